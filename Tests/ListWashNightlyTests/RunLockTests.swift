import Foundation
import ListWash
import Testing
@testable import ListWashNightly

@Suite struct RunLockTests {
    let scratch = Scratch()

    @Test func aSecondRunIsTurnedAwayNamingTheHolder() throws {
        let first = try RunLock.acquire(in: "\(scratch.path)/out", now: Date(timeIntervalSince1970: 1_795_400_100))
        do {
            _ = try RunLock.acquire(in: "\(scratch.path)/out")
            Issue.record("a second lock was granted")
        } catch let error as NightlyError {
            #expect(error.exitStatus == 75)
            #expect(error.description.contains("another listwash run (pid \(getpid()), started 2026-11-23T"))
            #expect(error.description.contains("holds \(scratch.path)/out/.listwash.lock"))
        }
        first.release()
        let again = try RunLock.acquire(in: "\(scratch.path)/out")
        #expect(again.previousHolder == nil)
        again.release()
        #expect(scratch.read("out/.listwash.lock").isEmpty)
    }

    @Test func aLockLeftByAKilledRunIsTakenOver() throws {
        // A killed run leaves its pid in the file, but the kernel has released its flock.
        scratch.write("out/.listwash.lock", "pid 99999, started 2026-11-23T02:15:00Z\n")
        let lock = try RunLock.acquire(in: "\(scratch.path)/out")
        #expect(lock.previousHolder == "pid 99999, started 2026-11-23T02:15:00Z")
        #expect(scratch.read("out/.listwash.lock").hasPrefix("pid \(getpid()), started "))
        lock.release()
    }

    @Test func anInboxThatCannotHoldALockFileIsLockedThroughTheTemporaryFolder() throws {
        // A pattern whose folder part is itself a pattern has no one folder to hold the file.
        scratch.write("inbox-a/x.csv", "email\n")
        let log = CollectedLog()
        let pattern = "\(scratch.path)/inbox-*/*.csv"
        let first = try #require(try InboxLock.acquire(pattern: pattern, outputRoot: "/srv/out", logger: log.logger))
        defer {
            first.release()
            try? FileManager.default.removeItem(atPath: first.path)
        }
        #expect(first.path.hasPrefix(FileManager.default.temporaryDirectory.path + "/listwash-inbox-"))
        #expect(log.lines.contains { $0.contains("cannot hold a lock file") && $0.contains("only covers runs on this machine") })
        do {
            _ = try InboxLock.acquire(pattern: pattern, outputRoot: "/srv/other", logger: log.logger)
            Issue.record("a second lock on the inbox was granted")
        } catch let error as NightlyError {
            #expect(error.exitStatus == 75)
            #expect(error.description.contains("writing to /srv/out) holds \(first.path)"))
        }
    }

    @Test func anInboxThatIsTheOutputRootIsCoveredByItsLock() throws {
        let folder = "\(scratch.path)/both"
        let root = try RunLock.acquire(in: folder)
        defer { root.release() }
        #expect(try InboxLock.acquire(pattern: "\(folder)/*.csv", outputRoot: folder, logger: CollectedLog().logger) == nil)
        #expect(try InboxLock.acquire(pattern: "\(scratch.path)/missing/*.csv", outputRoot: folder, logger: CollectedLog().logger) == nil)
    }
}
