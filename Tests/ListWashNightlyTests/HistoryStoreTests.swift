import Foundation
import ListWash
import Testing
@testable import ListWashNightly

@Suite struct HistoryStoreTests {
    let scratch = Scratch()

    func store() throws -> HistoryStore { try HistoryStore(path: "\(scratch.path)/history.sqlite") }

    func begin(_ store: HistoryStore, _ id: String, sha: String, list: String = "webinar") throws {
        try store.beginRun(.init(id: id, name: "nightly", pipeline: "p.yaml", startedAt: "2026-11-23T02:15:0\(id.suffix(1))Z", outputFolder: "\(scratch.path)/out/\(id)"),
                           inputs: [RunInput(path: "inbox/\(list).csv", sha256: sha, bytes: 100, list: list, processed: true)])
    }

    func results(_ rowsIn: Int, load: Int, rejected: Int, duplicate: Int = 0, suppressed: Int = 0, sha: String, list: String = "webinar") -> RunInput {
        RunInput(path: "inbox/\(list).csv", sha256: sha, bytes: 100, list: list, processed: true, rowsIn: rowsIn,
                 rowsOut: [.load: load, .rejected: rejected, .duplicate: duplicate, .suppressed: suppressed])
    }

    @Test func onlySucceededRunsCountAsProcessed() throws {
        let history = try store()
        try begin(history, "run-1", sha: "aaa")
        #expect(try history.processed(sha256: "aaa") == nil)
        try history.recordResults(runID: "run-1", inputs: [results(10, load: 8, rejected: 2, sha: "aaa")],
                                  reasons: [ReasonCount(list: "webinar", disposition: .rejected, reason: "ragged row", rows: 2)], histogram: [])
        #expect(try history.processed(sha256: "aaa") == nil)
        try history.finish(runID: "run-1", status: .succeeded, exitStatus: 0, message: nil, seconds: 1.5)
        #expect(try history.processed(sha256: "aaa")?.runID == "run-1")
        #expect(try history.processedSizes() == [100])

        let detail = try history.run(matching: "run-1")
        #expect(detail.summary.status == .succeeded)
        #expect(detail.summary.rowsIn == 10)
        #expect(detail.summary.rowsOut[.rejected] == 2)
        #expect(detail.reasons == [ReasonCount(list: "webinar", disposition: .rejected, reason: "ragged row", rows: 2)])
    }

    @Test func theScorecardAddsUpEachListAcrossRuns() throws {
        let history = try store()
        for (index, (rows, rejected, duplicate)) in [(10, 1, 2), (30, 3, 0)].enumerated() {
            let id = "run-\(index + 1)"
            try begin(history, id, sha: "sha\(index)")
            try history.recordResults(runID: id, inputs: [results(rows, load: rows - rejected - duplicate, rejected: rejected, duplicate: duplicate, sha: "sha\(index)")], reasons: [], histogram: [])
            try history.finish(runID: id, status: .succeeded, exitStatus: 0, message: nil, seconds: 1)
        }
        try begin(history, "run-3", sha: "sha3")
        try history.finish(runID: "run-3", status: .failed, exitStatus: 65, message: "bad file", seconds: 0.1)
        let card = try history.scorecard()
        #expect(card.count == 1)
        #expect(card.first?.runs == 2)
        #expect(card.first?.rows == 40)
        #expect(card.first?.rejected == 4)
        #expect(card.first.map { $0.share($0.rejected) } == 0.1)
        #expect(card.first.map { $0.share($0.duplicate) } == 0.05)
        #expect(try history.runs().map(\.id) == ["run-3", "run-2", "run-1"])
        #expect(try history.runs().first?.exitStatus == 65)
    }

    @Test func unknownRunsGetDidYouMean() throws {
        let history = try store()
        try begin(history, "2026-11-23T021500Z-3fa9c2", sha: "a")
        #expect(try history.run(matching: "2026-11-23T0215").summary.id == "2026-11-23T021500Z-3fa9c2")
        #expect(throws: ListWashError.self) { try history.run(matching: "2026-11-23T021500Z-3fa9c3x") }
        do {
            _ = try history.run(matching: "2026-11-23T021500Z-3fa9c3")
        } catch let error as ListWashError {
            #expect(error.description.hasSuffix("Did you mean '2026-11-23T021500Z-3fa9c2'?"))
        }
    }

    @Test func aFileThatIsNotAHistoryIsStatus74() throws {
        scratch.write("junk.sqlite", String(repeating: "not a database ", count: 100))
        do {
            _ = try HistoryStore(path: "\(scratch.path)/junk.sqlite")
            Issue.record("opened a junk file")
        } catch let error as NightlyError {
            #expect(error.exitStatus == 74)
            #expect(error.description.contains("junk.sqlite"))
        }
    }

    @Test func recoveryMarksKilledRunsAndRemovesTheirFolders() throws {
        let history = try store()
        let log = CollectedLog()
        try begin(history, "run-1", sha: "a")                  // killed while running
        try begin(history, "run-2", sha: "b")                  // killed after moving its outputs into place
        try history.recordResults(runID: "run-2", inputs: [results(1, load: 1, rejected: 0, sha: "b")], reasons: [], histogram: [])
        scratch.write("out/run-2/report.json", "{}")
        scratch.write("out/.listwash-incomplete-run-1/.listwash-staging-1/load.csv", "partial")
        let marked = try RunRecovery(root: "\(scratch.path)/out", history: history, logger: log.logger).recover()
        #expect(marked.map(\.id).sorted() == ["run-1", "run-2"])
        #expect(try history.run(matching: "run-1").summary.status == .interrupted)
        #expect(try history.run(matching: "run-2").summary.status == .succeeded)
        #expect(try history.processed(sha256: "a") == nil)
        #expect(try history.processed(sha256: "b") != nil)
        #expect(scratch.contents("out") == ["run-2"])
    }

    @Test func recoveryMovesACommittedRunIntoPlaceAndRemovesAFailedRunsFolder() throws {
        let history = try store()
        let log = CollectedLog()
        try begin(history, "run-3", sha: "c")                  // committed, killed before the rename
        try history.recordResults(runID: "run-3", inputs: [results(1, load: 1, rejected: 0, sha: "c")], reasons: [], histogram: [])
        try history.finish(runID: "run-3", status: .succeeded, exitStatus: 0, message: nil, seconds: 1)
        try begin(history, "run-4", sha: "d")                  // failed; its folder could not be removed
        try history.finish(runID: "run-4", status: .failed, exitStatus: 73, message: "disk full", seconds: 1)
        scratch.write("out/.listwash-incomplete-run-3/report.json", "{}")
        scratch.write("out/.listwash-incomplete-run-4/report.json", "{}")
        let marked = try RunRecovery(root: "\(scratch.path)/out", history: history, logger: log.logger).recover()
        #expect(marked.isEmpty)
        #expect(scratch.contents("out") == ["run-3"])
        #expect(scratch.exists("out/run-3/report.json"))
        #expect(try history.run(matching: "run-3").summary.status == .succeeded)
        #expect(log.lines.contains { $0.contains("run run-3 was recorded as succeeded but stopped before its outputs were moved into place") })
    }

    @Test func theListsARunAppliedAreKeptPerPipeline() throws {
        let history = try store()
        let lists = [RunReport.AppliedList(name: "dnc.csv", path: "/l/dnc.csv", folder: "/l", sha256: "ab", entries: 3, named: false)]
        try begin(history, "run-1", sha: "a")
        try history.recordResults(runID: "run-1", inputs: [results(1, load: 1, rejected: 0, sha: "a")], reasons: [], histogram: [], lists: lists)
        #expect(try history.lastAppliedLists(pipeline: "nightly") == nil)      // not yet succeeded
        try history.finish(runID: "run-1", status: .succeeded, exitStatus: 0, message: nil, seconds: 1)
        #expect(try history.lastAppliedLists(pipeline: "nightly")?.runID == "run-1")
        #expect(try history.lastAppliedLists(pipeline: "nightly")?.lists == lists)
        #expect(try history.lastAppliedLists(pipeline: "other") == nil)
    }
}
