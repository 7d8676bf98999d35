#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ListWash
import Testing
@testable import ListWashNightly

@Suite(.serialized) struct NightlyCommandLineTests {
    let scratch = Scratch()

    @Test func runHistoryAndReportFromTheCommandLine() throws {
        scratch.write("inbox/2026-11-20-webinar.csv", "email\na@b.com\nc@d.com\n")
        scratch.write("pipelines/nightly.yaml", nightlyPipeline(inbox: "../inbox/*.csv", out: "../out", after: "move"))
        let first = try listwash(["run", "pipelines/nightly.yaml", "--no-progress"], in: scratch.path)
        #expect(first.status == 0)
        #expect(first.out.hasPrefix("run 20"))
        #expect(first.out.contains("nightly-test: 2 rows in from 1 file in "))
        #expect(first.out.contains("report: out/20"))
        #expect(first.err.contains(" info: run 20"))
        #expect(!first.err.contains("\r"))               // no progress bar when standard error is not a terminal
        #expect(scratch.contents("inbox") == [".listwash.lock", "processed"])

        let history = try listwash(["history", "--out", "out"], in: scratch.path)
        #expect(history.status == 0)
        #expect(history.out.hasPrefix("run "))
        #expect(history.out.contains("succeeded"))

        let report = try listwash(["report", "last", "--pipeline", "pipelines/nightly.yaml"], in: scratch.path)
        #expect(report.status == 0)
        #expect(report.out.contains(": succeeded, exit status 0"))
        #expect(report.out.contains("list webinar"))

        #expect(try listwash(["report", "nope", "--out", "out"], in: scratch.path).status == 64)
        #expect(try listwash(["history", "--out", "elsewhere"], in: scratch.path).status == 74)
    }

    @Test func theInboxAndOutFlagsOverrideTheFileAndALogFileIsWritten() throws {
        scratch.write("drop/x.csv", "email\na@b.com\n")
        scratch.write("p.yaml", nightlyPipeline(inbox: "inbox/*.csv", out: "out", after: "keep"))
        let result = try listwash(["run", "p.yaml", "--inbox", "drop", "--out", "o2", "--log-file", "logs/nightly.log"], in: scratch.path)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("1 rows in from 1 file"))
        #expect(scratch.read("logs/nightly.log").contains("succeeded"))
        #expect(scratch.exists("o2/listwash-history.sqlite"))
    }

    @Test func aSecondRunWhileOneIsInProgressExits75() throws {
        scratch.write("inbox/a.csv", "email\na@b.com\n")
        scratch.write("p.yaml", nightlyPipeline())
        let lock = try RunLock.acquire(in: "\(scratch.path)/out")
        let result = try listwash(["run", "p.yaml"], in: scratch.path)
        lock.release()
        #expect(result.status == 75)
        #expect(result.err.contains("error: another listwash run (pid \(getpid()), started "))
        #expect(result.err.contains("holds out/.listwash.lock"))
        #expect(try listwash(["run", "p.yaml"], in: scratch.path).status == 0)
    }

    /// A run killed with SIGKILL in the middle leaves no output and no success in the history;
    /// the next run processes the same files and writes what one clean run writes.
    @Test func aRunKilledMidwayLeavesNothingAndTheNextRunRedoesIt() throws {
        var text = "Email,First Name,Last Name,Phone,Company\n"
        text.reserveCapacity(12_000_000)
        for row in 0..<200_000 {
            text += row % 97 == 0 ? ",Ann,Lee,,Acme\n" : "person\(row)@example.com,First\(row),\"Last, \(row)\",555-01\(row % 100),Company \(row % 1000)\n"
        }
        scratch.write("inbox/big.csv", text)
        scratch.write("inbox/small.csv", "email\na@b.com\n")
        scratch.write("p.yaml", nightlyPipeline(after: "keep"))
        scratch.write("clean.yaml", nightlyPipeline(out: "clean", after: "keep"))

        let started = try startListwash(["run", "p.yaml"], in: scratch.path)
        let deadline = Date().addingTimeInterval(30)
        var killedMidway = false
        while Date() < deadline && started.process.isRunning {
            // The run stages its outputs beside its hidden run folder.
            if let staging = scratch.contents("out").first(where: { $0.hasPrefix(".listwash-staging-") }),
               let size = try? FileManager.default.attributesOfItem(atPath: "\(scratch.path)/out/\(staging)/load.csv")[.size] as? Int,
               size > 0 {
                kill(started.process.processIdentifier, SIGKILL)
                killedMidway = true
                break
            }
            usleep(2_000)
        }
        started.process.waitUntilExit()
        #expect(killedMidway, "the run finished before it could be killed")
        #expect(started.process.terminationReason == .uncaughtSignal)

        // No partial outputs: only the hidden folder, the history and the lock file.
        let left = scratch.contents("out")
        #expect(left.filter { !$0.hasPrefix(".") && $0 != "listwash-history.sqlite" }.isEmpty, "\(left)")
        let history = try HistoryStore(path: "\(scratch.path)/out/listwash-history.sqlite")
        #expect(try history.runs().allSatisfy { $0.status != .succeeded })
        #expect(try history.processed(sha256: FileHash.sha256(path: "\(scratch.path)/inbox/big.csv").hex) == nil)

        // The next run takes the lock over, marks the killed run, and processes both files again.
        let rerun = try listwash(["run", "p.yaml"], in: scratch.path)
        #expect(rerun.status == 0, "\(rerun.err)")
        #expect(rerun.err.contains("did not finish"))
        #expect(rerun.out.contains("200,001 rows in from 2 files"))
        let runs = try history.runs()
        #expect(runs.map(\.status) == [.succeeded, .interrupted])
        #expect(scratch.contents("out").filter { $0.hasPrefix(".listwash-incomplete-") || $0.hasPrefix(".listwash-staging-") }.isEmpty)

        // The same outputs as one clean run.
        let clean = try listwash(["run", "clean.yaml"], in: scratch.path)
        #expect(clean.status == 0)
        let rerunFolder = try #require(runs.first?.id)
        let cleanFolder = try #require(scratch.contents("clean").first { $0.hasPrefix("20") })
        for disposition in Disposition.allCases {
            let name = disposition.fileName()
            let a = FileManager.default.contents(atPath: "\(scratch.path)/out/\(rerunFolder)/\(name)")
            let b = FileManager.default.contents(atPath: "\(scratch.path)/clean/\(cleanFolder)/\(name)")
            #expect(a != nil && a == b, "\(name) differs from a clean run")
        }
    }
}
