#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ListWash
import ListWashCore
import Testing
@testable import ListWashNightly

/// Ctrl-C (SIGINT) and `kill -TERM` sent to the real `listwash` while it writes its outputs:
/// one line says so, the staging or incomplete folder is gone, a nightly run is marked
/// `interrupted` at once, and the exit status is 128 + the signal.
@Suite(.serialized) struct InterruptionTests {
    let scratch = Scratch()

    /// A list big enough to be still running when the signal comes (12 MB).
    func writeBigList(_ name: String, rows: Int = 200_000) {
        var text = "Email,First Name,Last Name,Phone,Company\n"
        text.reserveCapacity(rows * 64)
        for row in 0..<rows {
            text += "person\(row)@example.com,First\(row),\"Last, \(row)\",555-01\(row % 100),Company \(row % 1000)\n"
        }
        scratch.write(name, text)
    }

    /// Starts `listwash arguments`, waits until `staged()` names a `load.csv` with rows in it,
    /// sends `signal`, and returns how it ended.
    func interrupt(_ arguments: [String], with signal: Int32, after minimum: Duration = .zero,
                   staged: () -> String?) throws -> (status: Int32, reason: Process.TerminationReason, err: String, sent: Bool) {
        let started = try startListwash(arguments, in: scratch.path)
        let clock = ContinuousClock()
        let start = clock.now
        var sent = false
        while clock.now - start < .seconds(60) && started.process.isRunning {
            if clock.now - start >= minimum, let folder = staged(),
               let size = try? FileManager.default.attributesOfItem(atPath: "\(scratch.path)/\(folder)/load.csv")[.size] as? Int, size > 0 {
                kill(started.process.processIdentifier, signal)
                sent = true
                break
            }
            usleep(2_000)
        }
        let err = started.err.fileHandleForReading.readDataToEndOfFile()
        _ = started.out.fileHandleForReading.readDataToEndOfFile()
        started.process.waitUntilExit()
        return (started.process.terminationStatus, started.process.terminationReason, String(decoding: err, as: UTF8.self), sent)
    }

    /// The hidden folder a plain run stages its files in: beside `folder` (in the scratch folder),
    /// named after it.
    func plainStaging(for folder: String) -> String? {
        scratch.contents("").first { $0.hasPrefix(StagingFolder.prefix) && $0.hasSuffix("-\(folder)") }
    }

    /// The staging folder of a nightly run's sink: beside its incomplete folder in `root`.
    func nightlyStaging(in root: String) -> String? {
        scratch.contents(root).first { $0.hasPrefix(StagingFolder.prefix) && $0.contains(NightlyRun.stagingPrefix) }.map { "\(root)/\($0)" }
    }

    @Test func ctrlCStopsAPlainRunWithNothingWrittenAndStatus130() throws {
        writeBigList("big.csv")
        scratch.write("p.yaml", "name: plain\nstages:\n  - validate: {required_any: [email, phone]}\noutput: {folder: out}\n")
        let result = try interrupt(["run", "p.yaml", "--input", "big.csv"], with: SIGINT) { plainStaging(for: "out") }
        #expect(result.sent, "the run finished before it could be interrupted")
        #expect(result.reason == .exit)
        #expect(result.status == 130, "\(result.err)")
        #expect(result.err.hasSuffix("listwash: interrupted (SIGINT); nothing was written\n"), "\(result.err)")
        // The output folder did not exist before: nothing of it is left, staging included.
        #expect(scratch.contents("") == ["big.csv", "p.yaml"])
    }

    @Test func sigtermStopsAPlainRunAndTheOutputFolderKeepsWhatItHad() throws {
        writeBigList("big.csv")
        scratch.write("p.yaml", "name: plain\nstages:\n  - validate: {required_any: [email, phone]}\noutput: {folder: out}\n")
        scratch.write("out/load.csv", "Email\nold@example.com\n")
        let result = try interrupt(["run", "p.yaml", "--input", "big.csv"], with: SIGTERM) { plainStaging(for: "out") }
        #expect(result.sent, "the run finished before it could be interrupted")
        #expect(result.status == 143, "\(result.err)")
        #expect(result.err.hasSuffix("listwash: interrupted (SIGTERM); nothing was written\n"), "\(result.err)")
        #expect(scratch.contents("out") == ["load.csv"])
        #expect(scratch.read("out/load.csv") == "Email\nold@example.com\n")
    }

    @Test func ctrlCStopsANightlyRunAndMarksItInterruptedAtOnce() throws {
        writeBigList("inbox/big.csv", rows: 300_000)
        scratch.write("inbox/small.csv", "email\na@b.com\n")
        scratch.write("p.yaml", nightlyPipeline(after: "keep"))
        // --progress draws the bar (from half a second in); the signal comes after it.
        let result = try interrupt(["run", "p.yaml", "--progress"], with: SIGINT, after: .milliseconds(800)) { nightlyStaging(in: "out") }
        #expect(result.sent, "the run finished before it could be interrupted")
        #expect(result.reason == .exit)
        #expect(result.status == 130, "\(result.err)")

        let history = try HistoryStore(path: "\(scratch.path)/out/listwash-history.sqlite")
        let run = try #require(try history.runs().first)
        #expect(run.status == .interrupted)
        #expect(run.exitStatus == 130)
        #expect(run.message?.hasPrefix("interrupted by SIGINT: nothing was written") == true)
        let message = "listwash: interrupted (SIGINT); nothing was written, run \(run.id) marked interrupted\n"
        #expect(result.err.hasSuffix(message), "\(result.err)")
        // The progress bar (drawn with \r) is ended by a line break before the message.
        let lastBar = try #require(result.err.range(of: "\r", options: .backwards), "no progress bar was drawn")
        #expect(!result.err[lastBar.upperBound...].dropLast(message.count).contains("\r"))
        #expect(result.err[lastBar.upperBound...].hasSuffix("elapsed\n" + message), "\(result.err.suffix(300).debugDescription)")

        // No incomplete folder and no run folder; `listwash history` shows the run interrupted.
        #expect(scratch.contents("out").filter { ![".listwash.lock", ".listwash-history-id", "listwash-history.sqlite"].contains($0) }.isEmpty, "\(scratch.contents("out"))")
        let listed = try listwash(["history", "--out", "out"], in: scratch.path)
        #expect(listed.out.contains("interrupted"))
        #expect(listed.out.contains("130"))

        // The next run processes the files again, with nothing left to recover.
        let rerun = try listwash(["run", "p.yaml"], in: scratch.path)
        #expect(rerun.status == 0, "\(rerun.err)")
        #expect(!rerun.err.contains("run \(run.id) (started"))
        #expect(rerun.out.contains("300,001 rows in from 2 files"))
        #expect(try history.runs().map(\.status) == [.succeeded, .interrupted])
    }

    /// What the handler writes: a run still `running` or `committing` becomes `interrupted`
    /// with 128 + the signal; a finished run is left as it is.
    @Test func markingARunInterruptedTouchesOnlyUnfinishedRuns() throws {
        let path = "\(scratch.path)/history.sqlite"
        let history = try HistoryStore(path: path)
        for id in ["running", "committing", "done"] {
            try history.beginRun(.init(id: id, name: "nightly", pipeline: nil, startedAt: "2026-12-07T15:00:00Z", outputFolder: nil),
                                 inputs: [RunInput(path: "inbox/\(id).csv", sha256: nil, bytes: 1, list: id, processed: true)])
        }
        try history.recordResults(runID: "committing", inputs: [RunInput(path: "inbox/committing.csv", sha256: nil, bytes: 1, list: "committing", processed: true)], reasons: [], histogram: [])
        try history.finish(runID: "done", status: .succeeded, exitStatus: 0, message: nil, seconds: 1)
        try HistoryStore.markInterrupted(path: path, runID: "running", signal: SIGINT, timeout: 2)
        try HistoryStore.markInterrupted(path: path, runID: "committing", signal: SIGTERM, timeout: 2)
        try HistoryStore.markInterrupted(path: path, runID: "done", signal: SIGINT, timeout: 2)
        let runs = Dictionary(uniqueKeysWithValues: try history.runs().map { ($0.id, $0) })
        #expect(runs["running"]?.status == .interrupted)
        #expect(runs["running"]?.exitStatus == 130)
        #expect(runs["committing"]?.status == .interrupted)
        #expect(runs["committing"]?.exitStatus == 143)
        #expect(runs["committing"]?.message?.hasPrefix("interrupted by SIGTERM") == true)
        #expect(runs["done"]?.status == .succeeded)
        #expect(try history.unfinishedRuns().isEmpty)
        #expect(throws: NightlyError.self) {
            try HistoryStore.markInterrupted(path: "\(scratch.path)/missing/history.sqlite", runID: "x", signal: SIGINT, timeout: 0.1)
        }
    }

    @Test func sigtermStopsANightlyRunWithStatus143() throws {
        writeBigList("inbox/big.csv")
        scratch.write("p.yaml", nightlyPipeline(after: "move"))
        let result = try interrupt(["run", "p.yaml"], with: SIGTERM) { nightlyStaging(in: "out") }
        #expect(result.sent, "the run finished before it could be interrupted")
        #expect(result.status == 143, "\(result.err)")
        #expect(!result.err.contains("\r"))
        let history = try HistoryStore(path: "\(scratch.path)/out/listwash-history.sqlite")
        let run = try #require(try history.runs().first)
        #expect(run.status == .interrupted)
        #expect(run.exitStatus == 143)
        #expect(result.err.hasSuffix("listwash: interrupted (SIGTERM); nothing was written, run \(run.id) marked interrupted\n"), "\(result.err)")
        #expect(scratch.contents("out").allSatisfy { !$0.hasPrefix(NightlyRun.stagingPrefix) && !$0.hasPrefix("20") })
        #expect(scratch.contents("inbox") == [".listwash.lock", "big.csv"])   // not moved: the run did not succeed
    }
}
