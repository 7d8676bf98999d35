import Foundation
import ListWash
import Testing
@testable import ListWashNightly

@Suite struct NightlyRunTests {
    let scratch = Scratch()

    func configuration(after: String = "keep", settle: Double = 0, extra: String = "") throws -> PipelineConfiguration {
        let file = scratch.write("pipelines/nightly.yaml", nightlyPipeline(inbox: "../inbox/*.csv", out: "../out", after: after, settle: settle, extra: extra))
        return try PipelineConfiguration.load(path: file)
    }

    func run(_ configuration: PipelineConfiguration, force: Bool = false, log: CollectedLog = CollectedLog(), afterPipeline: (() -> Void)? = nil) throws -> NightlyOutcome {
        var options = NightlyOptions()
        options.force = force
        options.progress = false
        var nightly = NightlyRun(configuration: configuration, options: options, logger: log.logger)
        nightly.afterPipeline = afterPipeline
        return try nightly.run()
    }

    func history() throws -> HistoryStore { try HistoryStore(path: "\(scratch.path)/out/listwash-history.sqlite") }

    @Test func eachFileIsProcessedOnceAndSkippedAfterwards() throws {
        scratch.write("inbox/2026-11-20-webinar.csv", "email,phone\na@b.com,\n,\nc@d.com,555\n")
        scratch.write("inbox/2026-11-21-expo.csv", "email\ne@f.com\n")
        let configuration = try configuration()
        let first = try run(configuration)
        #expect(first.status == .succeeded)
        #expect(first.processed.map(\.name) == ["2026-11-20-webinar.csv", "2026-11-21-expo.csv"])
        #expect(first.report?.totals.rowsIn == 4)
        let folder = try #require(first.outputFolder)
        #expect(scratch.contents("out/\(first.runID)") == ["attach.csv", "duplicate.csv", "load.csv", "rejected.csv", "report.html", "report.json", "review.csv", "suppressed.csv"])
        #expect(folder.hasSuffix("/out/\(first.runID)"))
        #expect(scratch.read("out/\(first.runID)/report.json").contains("\"output_folder\" : \"\(folder)\""))

        let log = CollectedLog()
        let second = try run(configuration, log: log)
        #expect(second.status == .nothingNew)
        #expect(second.skipped.count == 2)
        #expect(second.skipped.first?.reason.hasPrefix("already processed by run \(first.runID)") == true)
        #expect(second.summary.contains("no new files in the inbox; nothing written"))
        #expect(log.lines.contains { $0.contains("skipping \(scratch.path)/inbox/2026-11-20-webinar.csv: already processed") })
        #expect(!scratch.exists("out/\(second.runID)"))

        let forced = try run(configuration, force: true)
        #expect(forced.status == .succeeded)
        #expect(forced.processed.count == 2)

        let detail = try history().run(matching: first.runID)
        #expect(detail.summary.status == .succeeded)
        #expect(detail.summary.exitStatus == 0)
        #expect(detail.inputs.map(\.list) == ["webinar", "expo"])
        #expect(detail.inputs.allSatisfy { $0.sha256?.count == 64 })
        #expect(detail.inputs.first?.rowsOut[.rejected] == 1)
        #expect(detail.reasons.first?.reason.hasPrefix("missing email and phone") == true)
        #expect(try history().runs().map(\.status) == [.succeeded, .nothingNew, .succeeded])
    }

    /// A nightly run's import files go into its run folder with the other outputs.
    @Test func importProfileFilesAreCommittedInTheRunFolder() throws {
        scratch.write("inbox/2026-11-20-expo.csv", "First Name,Last Name,Email,Company\nAnn,Lee,ann@acme.com,Acme\nBo,Ray,bo@initech.com,\n")
        let file = scratch.write("pipelines/nightly.yaml", """
            inbox: {path: "../inbox/*.csv", after: keep, settle_seconds: 0}
            method: poi
            stages: [normalize, decide]
            output: {folder: ../out, profile: salesforce}
            """)
        let outcome = try run(try PipelineConfiguration.load(path: file))
        #expect(outcome.status == .succeeded)
        let folder = "out/\(outcome.runID)"
        #expect(scratch.contents(folder) == ["CampaignMember.csv", "Lead.csv", "README-import.txt", "attach.csv", "duplicate.csv", "load.csv", "rejected.csv", "report.html", "report.json", "review.csv", "suppressed.csv"])
        #expect(scratch.read("\(folder)/Lead.csv").split(separator: "\n").count == 2, "a header and Ann's lead")
        #expect(scratch.read("\(folder)/rejected.csv").contains("Company is empty, and Salesforce requires it for a new lead"))
    }

    @Test func theSameContentUnderAnotherNameIsSkipped() throws {
        scratch.write("inbox/a.csv", "email\na@b.com\n")
        let configuration = try configuration()
        let first = try run(configuration)
        scratch.write("inbox/b.csv", "email\na@b.com\n")   // same content, dropped again
        scratch.write("inbox/c.csv", "email\nz@b.com\n")   // same size, other content
        let second = try run(configuration)
        #expect(second.processed.map(\.name) == ["c.csv"])
        #expect(second.skipped.map(\.file.name) == ["a.csv", "b.csv"])
        #expect(second.skipped.last?.reason.contains("already processed by run \(first.runID)") == true)
        #expect(second.skipped.last?.reason.contains("(as \(scratch.path)/inbox/a.csv)") == true)
    }

    @Test func processedFilesAreMovedOrMarked() throws {
        scratch.write("inbox/a.csv", "email\na@b.com\n")
        let moved = try run(try configuration(after: "move"))
        #expect(scratch.contents("inbox") == [".listwash.lock", "processed"])   // the inbox lock stays
        #expect(scratch.contents("inbox/processed/\(moved.runID)") == ["a.csv"])

        scratch.write("inbox/b.csv", "email\nb@b.com\n")
        _ = try run(try configuration(after: "mark"))
        #expect(scratch.contents("inbox") == [".listwash.lock", "b.csv.done", "processed"])
        // A marked file is no longer picked up.
        #expect(try run(try configuration(after: "mark")).skipped.isEmpty)
    }

    @Test func aFailedRunWritesNothingAndIsRecordedWithItsStatus() throws {
        scratch.write("inbox/good.csv", "email\na@b.com\n")
        scratch.write("inbox/utf16.csv", bytes: [0xFF, 0xFE, 0x61, 0x00])
        let configuration = try configuration(after: "move")
        do {
            _ = try run(configuration)
            Issue.record("a UTF-16 input did not stop the run")
        } catch let error as ListWashError {
            #expect(error.exitStatus == 65)
        }
        #expect(scratch.contents("out") == [".listwash-history-id", ".listwash.lock", "listwash-history.sqlite"])
        #expect(scratch.contents("inbox") == [".listwash.lock", "good.csv", "utf16.csv"])
        let failed = try history().runs()
        #expect(failed.map(\.status) == [.failed])
        #expect(failed.first?.exitStatus == 65)
        #expect(failed.first?.message?.contains("utf16.csv") == true)
        // Once the bad file is gone, the good one is processed (it was never recorded as done).
        try FileManager.default.removeItem(atPath: "\(scratch.path)/inbox/utf16.csv")
        #expect(try run(configuration).processed.map(\.name) == ["good.csv"])
    }

    @Test func aSecondRunWhileOneHoldsTheLockStopsAtOnce() throws {
        scratch.write("inbox/a.csv", "email\na@b.com\n")
        let lock = try RunLock.acquire(in: "\(scratch.path)/out")
        defer { lock.release() }
        #expect(throws: NightlyError.self) { try run(try configuration()) }
        #expect(!scratch.exists("out/listwash-history.sqlite"))
    }

    @Test func theReportPageHasTheRunsNumbersAndTheScorecardAcrossRuns() throws {
        scratch.write("inbox/2026-11-20-webinar.csv", "email,phone\na@b.com,\n,\n")
        let configuration = try configuration(after: "move")
        _ = try run(configuration)
        scratch.write("inbox/2026-11-21-webinar.csv", "email,phone\nx@b.com,\ny@b.com,\n,\n,\n")
        let second = try run(configuration)
        let html = scratch.read("out/\(second.runID)/report.html")
        #expect(html.contains(">4</div>"))                 // rows in
        #expect(html.contains("− 2 rejected"))
        #expect(html.contains("<td>webinar</td><td class=\"num\">2</td><td class=\"num\">2</td><td class=\"num\">6</td>"))
        #expect(html.contains("50.0%"))                     // 3 of 6 webinar rows invalid
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))
    }

    /// #18 item 6: a file still being uploaded was half processed and then moved as done.
    @Test func aFileStillBeingWrittenIsLeftInTheInboxForTheNextRun() throws {
        try age(scratch.write("inbox/a.csv", "email\na@b.com\n"))
        let upload = try #require(FileHandle(forWritingAtPath: scratch.write("inbox/b.csv", "email\n" + (0..<14_000).map { "p\($0)@b.com\n" }.joined())))
        let configuration = try configuration(after: "move", settle: 0.2)
        let log = CollectedLog()
        let first = try run(configuration, log: log)
        #expect(first.processed.map(\.name) == ["a.csv"])
        #expect(first.skipped.map(\.file.name) == ["b.csv"])
        #expect(first.summary.contains("skipped \(scratch.path)/inbox/b.csv: still being written (open for writing by process \(getpid())); left for the next run"))
        #expect(log.lines.contains { $0.hasPrefix("warning: leaving \(scratch.path)/inbox/b.csv in the inbox: still being written") })
        #expect(scratch.contents("inbox") == [".listwash.lock", "b.csv", "processed"])
        #expect(try history().run(matching: first.runID).inputs.last?.processed == false)

        // The upload ends: the next run takes every row of it.
        upload.seekToEndOfFile()
        upload.write(Data((14_000..<20_000).map { "p\($0)@b.com\n" }.joined().utf8))
        try upload.close()
        let second = try run(configuration)
        #expect(second.processed.map(\.name) == ["b.csv"])
        #expect(second.report?.totals.rowsIn == 20_000)
        #expect(scratch.contents("inbox") == [".listwash.lock", "processed"])
    }

    @Test func aFileThatChangesWhileTheRunReadsItStopsTheRunAndStaysInTheInbox() throws {
        let path = scratch.write("inbox/a.csv", "email\na@b.com\n")
        try age(path)
        let configuration = try configuration(after: "move", settle: 0.2)
        let message = errorText {
            _ = try run(configuration) {
                // The uploader appends after the pipeline read the file.
                guard let handle = FileHandle(forWritingAtPath: path) else { return }
                handle.seekToEndOfFile()
                handle.write(Data("late@b.com\n".utf8))
                try? handle.close()
            }
        }
        #expect(message == "\(path): error: \(path) changed while the run read it (size 14 -> 25 bytes): it is still being written; nothing was written, and every file stays in the inbox for the next run")
        #expect(scratch.contents("inbox") == [".listwash.lock", "a.csv"])
        #expect(scratch.contents("out") == [".listwash-history-id", ".listwash.lock", "listwash-history.sqlite"])
        #expect(try history().runs().map(\.exitStatus) == [65])
        try age(path)
        #expect(try run(configuration).report?.totals.rowsIn == 2)
    }
}
