import Foundation
import GRDB
import ListWash
import Testing
@testable import ListWashNightly

/// Holds a read transaction on an SQLite database from another connection (as `listwash
/// history`, a backup or `sqlite3` would) until ``end()``: writers cannot commit meanwhile.
final class HeldRead: @unchecked Sendable {
    private let held = DispatchSemaphore(value: 0)
    private let release = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var ended = false

    init(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        Thread { [held, release, finished] in
            try? queue.inDatabase { db in
                try db.execute(sql: "BEGIN DEFERRED")
                _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run")
                held.signal()
                release.wait()
                try db.execute(sql: "ROLLBACK")
            }
            held.signal()   // in case the transaction could not be opened
            finished.signal()
        }.start()
        _ = held.wait(timeout: .now() + 5)
    }

    /// Ends the transaction.
    func end() {
        guard !ended else { return }
        ended = true
        release.signal()
        finished.wait()
    }

    deinit { end() }
}

/// #18 "Fail closed everywhere": the history is the commit point (item 2), the history belongs
/// to its output root and the inbox is locked (item 8), a suppression list cannot disappear
/// silently (item 4).
@Suite struct FailClosedTests {
    let scratch = Scratch()

    var out: String { "\(scratch.path)/out" }
    var historyPath: String { "\(out)/\(HistoryStore.defaultFileName)" }

    func configuration(out: String = "../out", after: String = "keep", extra: String = "") throws -> PipelineConfiguration {
        let file = scratch.write("pipelines/nightly.yaml", nightlyPipeline(inbox: "../inbox/*.csv", out: out, after: after, extra: extra))
        return try PipelineConfiguration.load(path: file)
    }

    func nightly(_ configuration: PipelineConfiguration, log: CollectedLog = CollectedLog(), busyTimeout: Double = 5,
                 beforeStep: ((NightlyRun.CommitStep) throws -> Void)? = nil) -> NightlyRun {
        var options = NightlyOptions()
        options.progress = false
        var run = NightlyRun(configuration: configuration, options: options, logger: log.logger)
        run.historyBusyTimeout = busyTimeout
        run.beforeStep = beforeStep
        return run
    }

    func history() throws -> HistoryStore { try HistoryStore(path: historyPath) }

    /// Every visible run folder belongs to a run the history records as succeeded.
    func expectNoVisibleFolderWithoutSuccess(_ root: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let succeeded = Set(try HistoryStore(path: "\(root)/\(HistoryStore.defaultFileName)").runs().filter { $0.status == .succeeded }.map(\.id))
        for folder in RunID.folders(in: root) {
            #expect(succeeded.contains(folder), "run folder \(folder) is visible without a succeeded run", sourceLocation: sourceLocation)
        }
    }

    // MARK: Item 2: the history is the commit point

    @Test func aHistoryHeldAcrossTheCommitLeavesNoVisibleFolderAndTheNextRunRedoesIt() throws {
        scratch.write("inbox/a.csv", "email\na@b.com\n")
        let configuration = try configuration()
        var reader: HeldRead?
        let failure = errorOf {
            _ = try nightly(configuration, busyTimeout: 0.2) { step in
                if step == .commit { reader = try HeldRead(path: historyPath) }
            }.run()
        }
        reader?.end()
        #expect(failure?.exitStatus == 74)
        #expect(RunID.folders(in: out).isEmpty)
        #expect(!scratch.contents("out").contains { $0.hasPrefix(NightlyRun.stagingPrefix) })
        let stopped = try #require(try history().runs().first)
        #expect(stopped.status != .succeeded)
        try expectNoVisibleFolderWithoutSuccess(out)

        // The next run marks it interrupted and processes the file again, once.
        let log = CollectedLog()
        let next = try nightly(configuration, log: log).run()
        #expect(next.status == .succeeded)
        #expect(next.processed.map(\.name) == ["a.csv"])
        #expect(RunID.folders(in: out) == [next.runID])
        #expect(try history().runs().map(\.status) == [.succeeded, .interrupted])
        #expect(log.lines.contains { $0.contains("run \(stopped.id) (started ") && $0.contains("did not finish") })
    }

    @Test func aHistoryHeldBrieflyIsWaitedFor() throws {
        scratch.write("inbox/a.csv", "email\na@b.com\n")
        var reader: HeldRead?
        let outcome = try nightly(try configuration(), busyTimeout: 10) { step in
            guard step == .commit else { return }
            let held = try HeldRead(path: historyPath)
            reader = held
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { held.end() }
        }.run()
        reader?.end()
        #expect(outcome.status == .succeeded)
        #expect(RunID.folders(in: out) == [outcome.runID])
        #expect(try history().runs().map(\.status) == [.succeeded])
    }

    @Test func everyFailurePointLeavesNothingVisibleAndTheNextRunProcessesTheFile() throws {
        for step in [NightlyRun.CommitStep.results, .page, .commit, .reveal] {
            let scratch = Scratch()
            scratch.write("inbox/a.csv", "email\na@b.com\n")
            let file = scratch.write("p.yaml", nightlyPipeline(inbox: "inbox/*.csv", out: "out", after: "move"))
            let configuration = try PipelineConfiguration.load(path: file)
            let root = "\(scratch.path)/out"
            let failure = errorOf {
                _ = try nightly(configuration) { if $0 == step { throw ListWashError(.output, "no space left on device (test)") } }.run()
            }
            #expect(failure?.exitStatus == 73, "\(step)")
            #expect(RunID.folders(in: root).isEmpty, "\(step)")
            #expect(!scratch.contents("out").contains { $0.hasPrefix(NightlyRun.stagingPrefix) }, "\(step)")
            #expect(scratch.contents("inbox").contains("a.csv"), "\(step)")
            let runs = try HistoryStore(path: "\(root)/\(HistoryStore.defaultFileName)").runs()
            #expect(runs.map(\.status) == [.failed], "\(step)")
            #expect(runs.first?.exitStatus == 73, "\(step)")

            let next = try nightly(configuration).run()
            #expect(next.processed.map(\.name) == ["a.csv"], "\(step)")
            #expect(RunID.folders(in: root) == [next.runID], "\(step)")
            try expectNoVisibleFolderWithoutSuccess(root)
        }
    }

    @Test func aCommittedRunWhoseFolderWasNotMovedIsMovedIntoPlaceByTheNextRun() throws {
        scratch.write("inbox/a.csv", "email\na@b.com\n")
        let configuration = try configuration()
        var reader: HeldRead?
        // The rename fails, and the history, held by another connection, cannot take the
        // success back: the run is committed, its folder still hidden (as after a kill there).
        let failure = errorOf {
            _ = try nightly(configuration, busyTimeout: 0.2) { step in
                guard step == .reveal else { return }
                reader = try HeldRead(path: historyPath)
                throw ListWashError(.output, "cannot move the folder (test)")
            }.run()
        }
        reader?.end()
        #expect(failure?.exitStatus == 74)
        #expect(failure?.description.contains("cannot move the folder (test); the outputs of run ") == true)
        #expect(failure?.description.contains("the history records it as succeeded: the next run moves them into place") == true)
        let committed = try #require(try history().runs().first)
        #expect(committed.status == .succeeded)
        #expect(RunID.folders(in: out).isEmpty)
        #expect(scratch.exists("out/\(NightlyRun.stagingPrefix)\(committed.id)/report.json"))

        let log = CollectedLog()
        let next = try nightly(configuration, log: log).run()
        #expect(next.status == .nothingNew)
        #expect(next.skipped.first?.reason.hasPrefix("already processed by run \(committed.id)") == true)
        #expect(RunID.folders(in: out) == [committed.id])
        #expect(scratch.contents("out/\(committed.id)").contains("load.csv"))
        #expect(log.lines.contains { $0.contains("moved") && $0.contains(committed.id) })
        try expectNoVisibleFolderWithoutSuccess(out)
    }

    // MARK: Item 8: the history belongs to its output root; the inbox is locked

    @Test func aDeletedOrEmptiedHistoryNextToRunFoldersStopsTheRun() throws {
        scratch.write("inbox/a.csv", "email\na@b.com\n")
        let configuration = try configuration()
        let first = try nightly(configuration).run()
        #expect(first.status == .succeeded)
        #expect(HistoryIdentity.markerID(in: out) == (try history().identity()?.id))

        let named = NightlyRun.historyPath(for: configuration), root = configuration.outputFolder
        // Deleted: refused, and no new history is created.
        try FileManager.default.removeItem(atPath: historyPath)
        scratch.write("inbox/b.csv", "email\nb@b.com\n")
        let deleted = errorOf { _ = try nightly(configuration).run() }
        #expect(deleted?.exitStatus == 74)
        #expect(deleted?.description.contains("there is no run history at \(named), but \(root) holds 1 run folder (newest \(first.runID))") == true)
        #expect(deleted?.description.contains("Restore the history from a backup") == true)
        #expect(!scratch.exists("out/\(HistoryStore.defaultFileName)"))

        // Emptied (a zero-byte file is an empty SQLite database): refused, nothing processed.
        scratch.write("out/\(HistoryStore.defaultFileName)", "")
        let emptied = errorOf { _ = try nightly(configuration).run() }
        #expect(emptied?.exitStatus == 74)
        #expect(emptied?.description.contains("the run history \(named) is empty, but \(root) holds 1 run folder (newest \(first.runID)) and the history marker") == true)
        #expect(RunID.folders(in: out) == [first.runID])
        #expect(try history().runs().isEmpty)
    }

    @Test func aDeletedHistoryExits74FromTheCommandLine() throws {
        scratch.write("inbox/a.csv", "email\na@b.com\n")
        scratch.write("p.yaml", nightlyPipeline())
        #expect(try listwash(["run", "p.yaml", "--no-progress"], in: scratch.path).status == 0)
        try FileManager.default.removeItem(atPath: historyPath)
        let refused = try listwash(["run", "p.yaml", "--no-progress"], in: scratch.path)
        #expect(refused.status == 74)
        #expect(refused.err.contains("error: there is no run history at out/listwash-history.sqlite, but out holds 1 run folder"))
        #expect(!scratch.exists("out/listwash-history.sqlite"))
    }

    @Test func anotherRootsHistoryOrAnOlderCopyStopsTheRun() throws {
        scratch.write("inbox/a.csv", "email\na@b.com\n")
        let configuration = try configuration()
        let other = try self.configuration(out: "../other")
        let first = try nightly(configuration).run()
        _ = try nightly(other).run()
        let backup = "\(scratch.path)/backup.sqlite"
        try FileManager.default.copyItem(atPath: historyPath, toPath: backup)
        scratch.write("inbox/b.csv", "email\nb@b.com\n")
        let second = try nightly(configuration).run()
        #expect(second.processed.map(\.name) == ["b.csv"])

        // Another root's history in place of this one's.
        try FileManager.default.removeItem(atPath: historyPath)
        try FileManager.default.copyItem(atPath: "\(scratch.path)/other/\(HistoryStore.defaultFileName)", toPath: historyPath)
        scratch.write("inbox/c.csv", "email\nc@b.com\n")
        let foreign = errorOf { _ = try nightly(configuration).run() }
        #expect(foreign?.exitStatus == 74)
        #expect(foreign?.description.contains("belongs to the output root \(FileSystem.realPath("\(scratch.path)/other") ?? "")") == true)

        // An older copy of this root's own history: it does not know the newest run.
        try FileManager.default.removeItem(atPath: historyPath)
        try FileManager.default.copyItem(atPath: backup, toPath: historyPath)
        let older = errorOf { _ = try nightly(configuration).run() }
        let named = NightlyRun.historyPath(for: configuration), root = configuration.outputFolder
        #expect(older?.exitStatus == 74)
        #expect(older?.description.contains("\(root) holds 1 run folder that the run history \(named) does not know (\(second.runID))") == true)
        #expect(RunID.folders(in: out) == [first.runID, second.runID].sorted())
        #expect(scratch.contents("inbox").contains("c.csv"))
    }

    @Test func aBrandNewRootStartsAHistoryAndAnOldHistoryIsAdopted() throws {
        scratch.write("inbox/a.csv", "email\na@b.com\n")
        let configuration = try configuration()
        let first = try nightly(configuration).run()
        let identity = try #require(try history().identity())
        #expect(identity.outputRoot == FileSystem.realPath(out))
        #expect(scratch.read("out/.listwash-history-id").hasPrefix(identity.id + "\n"))

        // A history from before identities: no identity, no marker, but it knows the run.
        let queue = try DatabaseQueue(path: historyPath)
        try queue.write { try $0.execute(sql: "DELETE FROM history_identity") }
        try FileManager.default.removeItem(atPath: "\(out)/\(HistoryIdentity.markerFileName)")
        let next = try nightly(configuration).run()
        #expect(next.status == .nothingNew)
        #expect(next.skipped.first?.reason.contains(first.runID) == true)
        #expect(HistoryIdentity.markerID(in: out) == (try history().identity()?.id))
    }

    @Test func twoRunsWithDifferentOutputsOverOneInboxDoNotOverlap() throws {
        scratch.write("inbox/a.csv", "email\na@b.com\n")
        let configuration = try configuration()
        let second = try self.configuration(out: "../out2")
        var secondError: (any Error)?
        let first = try nightly(configuration) { step in
            guard step == .commit else { return }
            do { _ = try nightly(second).run() } catch { secondError = error }
        }.run()
        #expect(first.status == .succeeded)
        let error = try #require(secondError as? NightlyError)
        #expect(error.exitStatus == 75)
        #expect(error.description.contains("another listwash run (pid \(getpid()), started "))
        #expect(error.description.contains("writing to \(configuration.outputFolder)) holds \(scratch.path)/inbox/.listwash.lock"))
        #expect(!scratch.exists("out2/\(HistoryStore.defaultFileName)"))
        // Once the first is done, the second runs (and skips nothing: its history is its own).
        #expect(try nightly(second).run().processed.map(\.name) == ["a.csv"])
    }

    @Test func aSecondRunOverTheSameInboxExits75FromTheCommandLine() throws {
        scratch.write("inbox/a.csv", "email\na@b.com\n")
        scratch.write("p.yaml", nightlyPipeline())
        let lock = try RunLock.acquire(in: "\(scratch.path)/inbox", outputRoot: "/srv/out")
        let result = try listwash(["run", "p.yaml", "--out", "other", "--no-progress"], in: scratch.path)
        lock.release()
        #expect(result.status == 75)
        #expect(result.err.contains("error: another listwash run (pid \(getpid()), started "))
        #expect(result.err.contains("writing to /srv/out) holds inbox/.listwash.lock"))
        #expect(try listwash(["run", "p.yaml", "--out", "other", "--no-progress"], in: scratch.path).status == 0)
    }

    // MARK: Item 4: a suppression list cannot disappear silently

    func suppressingPipeline(lists: String = "") -> String {
        """
        name: nightly-lists
        inbox: {path: "../inbox/*.csv", after: keep}
        suppression: {folder: ../lists\(lists)}
        stages:
          - normalize
          - suppress
        output: {folder: ../out}
        """
    }

    @Test func aSuppressionListThatDisappearsStopsTheRun() throws {
        scratch.write("lists/competitors.csv", "domain\nglobex.com\n")
        scratch.write("lists/do-not-contact.csv", "email\nnever@example.com\nnot-me@example.com\n")
        scratch.write("inbox/a.csv", "email\nnever@example.com\nyes@example.com\n")
        let configuration = try PipelineConfiguration.load(path: scratch.write("pipelines/nightly.yaml", suppressingPipeline()))
        let first = try nightly(configuration).run()
        #expect(first.report?.totals.rowsOut["suppressed"] == 1)
        let applied = try #require(first.report?.suppressionLists)
        #expect(applied.map(\.name) == ["competitors.csv", "do-not-contact.csv"])
        #expect(applied.map(\.entries) == [1, 2])
        #expect(applied.last?.sha256 == (try FileHash.sha256(path: "\(scratch.path)/lists/do-not-contact.csv").hex))
        #expect(applied.allSatisfy { !$0.named })
        #expect(scratch.read("out/\(first.runID)/report.json").contains("\"suppression_lists\""))
        #expect(try history().lastAppliedLists(pipeline: "nightly-lists")?.lists == applied)

        // The do-not-contact list is deleted: the next run stops before reading a row.
        try FileManager.default.removeItem(atPath: "\(scratch.path)/lists/do-not-contact.csv")
        scratch.write("inbox/b.csv", "email\nnever@example.com\n")
        let error = errorOf { _ = try nightly(configuration).run() }
        #expect(error?.exitStatus == 66)
        #expect(error?.description.contains("suppression list do-not-contact.csv (2 entries, SHA-256 ") == true)
        #expect(error?.description.contains("run \(first.runID) applied it") == true)
        #expect(error?.description.contains("lists: [competitors.csv]") == true)
        #expect(RunID.folders(in: out) == [first.runID])
        #expect(try history().runs().first?.status == .failed)

        // Renamed with an upper-case extension, the same list applies again.
        scratch.write("lists/DO-NOT-CONTACT.CSV", "email\nnever@example.com\nnot-me@example.com\n")
        let renamed = try nightly(configuration).run()
        #expect(renamed.processed.map(\.name) == ["b.csv"])
        #expect(renamed.report?.totals.rowsOut["suppressed"] == 1)
        #expect(renamed.report?.suppressionLists.map(\.name) == ["DO-NOT-CONTACT.CSV", "competitors.csv"])

        // Removed on purpose: a pipeline that names its lists without it runs.
        try FileManager.default.removeItem(atPath: "\(scratch.path)/lists/DO-NOT-CONTACT.CSV")
        scratch.write("inbox/c.csv", "email\nnever@example.com\nc@example.com\n")
        #expect(errorOf { _ = try nightly(configuration).run() }?.exitStatus == 66)
        let named = try PipelineConfiguration.load(path: scratch.write("pipelines/nightly.yaml", suppressingPipeline(lists: ", lists: [competitors.csv]")))
        let explicit = try nightly(named).run()
        #expect(explicit.processed.map(\.name) == ["c.csv"])
        #expect(explicit.report?.suppressionLists.map(\.named) == [true])
    }

    func errorOf(_ body: () throws -> Void) -> (exitStatus: Int32, description: String)? {
        do {
            try body()
            return nil
        } catch {
            let (status, message) = NightlyRun.describe(error)
            return (status, message)
        }
    }
}
