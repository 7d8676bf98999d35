import Dispatch
import Foundation
import Synchronization
import Testing
@testable import ListWashCore

/// #18 item 7: a read that hangs (a list on a dead network mount) stops the run, naming the
/// file, instead of holding the lock forever.
@Suite struct ReadWatchdogTests {
    /// The stalls a watchdog reported; each report also ends the read that waits for it.
    final class Stalls: Sendable {
        let seen = Mutex<[ReadWatchdog.Stall]>([])
        let released = DispatchSemaphore(value: 0)

        func report(_ stall: ReadWatchdog.Stall) {
            seen.withLock { $0.append(stall) }
            released.signal()
        }

        /// A read that blocks until the watchdog reports it (5 s at most).
        func hungRead() -> Int {
            _ = released.wait(timeout: .now() + 5)
            return 0
        }
    }

    @Test(arguments: [(ListWashError.Kind.referenceData, Int32(66)), (.input, 65)])
    func aReadThatMakesNoProgressStopsTheRunNamingTheFile(kind: ListWashError.Kind, status: Int32) {
        let stalls = Stalls()
        let watchdog = ReadWatchdog(limit: 0.1) { stalls.report($0) }
        let clock = ContinuousClock()
        let started = clock.now
        _ = watchdog.watch("lists/do-not-contact.csv", kind: kind) { stalls.hungRead() }
        #expect(clock.now - started < .seconds(3))
        let stall = stalls.seen.withLock { $0 }
        #expect(stall.map(\.path) == ["lists/do-not-contact.csv"])
        let error = stall.first?.error
        #expect(error?.exitStatus == status)
        // The seconds are those waited: the limit, or a little more on a busy machine.
        let text = error?.description ?? ""
        #expect(text.hasPrefix("lists/do-not-contact.csv: error: no data from lists/do-not-contact.csv for ") && text.contains(" s: reading it is stuck"), "\(text)")
    }

    @Test func readsThatMakeProgressAreNeverStopped() {
        let stalls = Stalls()
        let watchdog = ReadWatchdog(limit: 0.15) { stalls.report($0) }
        // Twenty chunks of 20 ms: 0.4 s in all, each well within the limit.
        for _ in 0..<20 {
            _ = watchdog.watch("leads.csv", kind: .input) { usleep(20_000) }
        }
        usleep(300_000)
        #expect(stalls.seen.withLock { $0 }.isEmpty)
    }
}
