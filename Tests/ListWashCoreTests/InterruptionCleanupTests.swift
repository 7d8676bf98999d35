#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing
@testable import ListWashCore

/// The bookkeeping of ``Interruption`` (the signals themselves are tested on the real
/// executable in ListWashNightlyTests' InterruptionTests).
@Suite struct InterruptionCleanupTests {
    let scratch = Scratch()

    @Test func cleanupsRunOnceNewestFirstAndTheirNotesAreJoinedOnce() {
        let interruption = Interruption()
        let order = Mutex<[String]>([])
        interruption.register("a") { _ in order.withLock { $0.append("a") }; return ["nothing was written"] }
        interruption.register("b") { signal in order.withLock { $0.append("b") }; return ["nothing was written", "run b marked interrupted (\(signal))"] }
        let message = interruption.runCleanups(signal: SIGINT)
        #expect(message == "listwash: interrupted (SIGINT); nothing was written, run b marked interrupted (\(SIGINT))")
        #expect(order.withLock { $0 } == ["b", "a"])
        #expect(interruption.runCleanups(signal: SIGTERM) == "listwash: interrupted (SIGTERM)")
        #expect(order.withLock { $0 }.count == 2)
    }

    @Test func aCommittedStepIsNeverUndoneAndAFailedOneStillIs() {
        let interruption = Interruption()
        let undone = Mutex<[String]>([])
        interruption.register("done") { _ in undone.withLock { $0.append("done") }; return [] }
        interruption.register("failed") { _ in undone.withLock { $0.append("failed") }; return [] }
        interruption.register("cancelled") { _ in undone.withLock { $0.append("cancelled") }; return [] }
        interruption.commit("done") {}
        #expect(throws: CancellationError.self) { try interruption.commit("failed") { throw CancellationError() } }
        interruption.cancel("cancelled")
        #expect(interruption.registeredKeys == ["failed"])
        _ = interruption.runCleanups(signal: SIGINT)
        #expect(undone.withLock { $0 } == ["failed"])
    }

    /// A signal that arrives while a commit renames the outputs waits for it, and then finds
    /// nothing to undo: the committed folder stays.
    @Test func aSignalDuringACommitWaitsForItAndLeavesTheCommittedFolder() async {
        let interruption = Interruption()
        scratch.write("staged/load.csv", "Email\n")
        let stagedFolder = "\(scratch.path)/staged", finalFolder = "\(scratch.path)/final"
        interruption.register(stagedFolder) { _ in
            Interruption.removeTree(stagedFolder)
            Interruption.removeTree(finalFolder)   // what a careless cleanup would do: it must not run
            return ["nothing was written"]
        }
        let inCommit = Atomic<Bool>(false)
        let handler = Task.detached {
            while !inCommit.load(ordering: .acquiring) { usleep(1_000) }
            return interruption.runCleanups(signal: SIGINT)
        }
        interruption.commit(stagedFolder) {
            inCommit.store(true, ordering: .releasing)
            usleep(200_000)   // the handler is waiting meanwhile
            #expect(rename(stagedFolder, finalFolder) == 0)
        }
        #expect(await handler.value == "listwash: interrupted (SIGINT)")
        #expect(scratch.contents("final") == ["load.csv"])
    }

    @Test func removeTreeRemovesNestedFoldersAndNothingElse() {
        scratch.write("out/.listwash-incomplete-x/.listwash-staging-1/load.csv", "a")
        scratch.write("out/.listwash-incomplete-x/report.json", "{}")
        scratch.write("out/keep.csv", "b")
        #expect(Interruption.removeTree("\(scratch.path)/out/.listwash-incomplete-x"))
        #expect(scratch.contents("out") == ["keep.csv"])
        #expect(Interruption.removeTree("\(scratch.path)/out/missing"))
    }
}
