#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ListWash
import Synchronization

/// Which inbox files a run processes and which it skips, decided by content hash.
///
/// Content already processed by a successful run is skipped (unless forced), and so is a
/// second file with the same content in one inbox. A file whose size no processed file had
/// cannot have been processed: its hash is computed while the run reads it (see
/// ``BackgroundHasher``) instead of before, so hashing adds no time to the run.
public struct InboxPlan: Sendable {
    /// A file and what is known of it.
    public struct Entry: Sendable, Equatable {
        /// The file.
        public var file: InboxFile
        /// Its SHA-256 (hex), when computed up front.
        public var sha256: String?
        /// Why it is skipped, for skipped files.
        public var skipReason: String?
    }

    /// Files to process, in inbox order.
    public var process: [Entry] = []
    /// Files skipped as already processed.
    public var skip: [Entry] = []

    /// Plans a run over `files`; `force` processes everything again.
    public static func make(files: [InboxFile], history: HistoryStore, force: Bool) throws -> InboxPlan {
        var plan = InboxPlan()
        let processedSizes = force ? [] : try history.processedSizes()
        var sizeCounts: [Int: Int] = [:]
        for file in files { sizeCounts[file.size, default: 0] += 1 }
        var seen: [String: String] = [:]
        for file in files {
            let hashNow = !force && (processedSizes.contains(file.size) || sizeCounts[file.size, default: 0] > 1)
            guard hashNow else {
                plan.process.append(Entry(file: file, sha256: nil))
                continue
            }
            let digest = try FileHash.sha256(path: file.path).hex
            if let prior = try history.processed(sha256: digest) {
                let how = prior.path == file.path ? "" : " (as \(prior.path))"
                plan.skip.append(Entry(file: file, sha256: digest, skipReason: "already processed by run \(prior.runID) on \(prior.at)\(how); --force processes it again"))
            } else if let first = seen[digest] {
                plan.skip.append(Entry(file: file, sha256: digest, skipReason: "same content as \(first), processed in this run"))
            } else {
                seen[digest] = file.path
                plan.process.append(Entry(file: file, sha256: digest))
            }
        }
        return plan
    }
}

/// Hashes files on a thread of its own while the run goes on.
public final class BackgroundHasher: Sendable {
    private let results = Mutex<[String: Result<String, ListWashError>]>([:])
    private let done = DispatchSemaphore(value: 0)
    private let waiting = Mutex(false)

    /// Puts the calling thread in Linux's idle scheduling class, or back in the normal one.
    private static func setPolicy(idle: Bool) {
        #if os(Linux)
        var parameter = sched_param()
        _ = pthread_setschedparam(pthread_self(), idle ? 5 /* SCHED_IDLE */ : SCHED_OTHER, &parameter)
        #endif
    }

    /// Starts hashing `paths`.
    public init(paths: [String]) {
        let thread = Thread { [self] in work(paths) }
        thread.start()
    }

    private func work(_ paths: [String]) {
        // The hash waits for idle time (SCHED_IDLE) so that it takes no time from the run's own
        // threads; once the run is done and waiting for it, it goes back to normal priority.
        Self.setPolicy(idle: true)
        var idle = true
        for path in paths {
            let result: Result<String, ListWashError>
            do {
                result = .success(try FileHash.sha256(path: path, watchdog: nil) {
                    if idle && self.waiting.withLock({ $0 }) {
                        Self.setPolicy(idle: false)
                        idle = false
                    }
                }.hex)
            } catch let error as ListWashError {
                result = .failure(error)
            } catch {
                result = .failure(ListWashError(.input, "cannot read \(path): \(error)", at: SourceLocation(file: path)))
            }
            results.withLock { $0[path] = result }
        }
        done.signal()
    }

    /// Waits for every hash.
    ///
    /// - Throws: the first file's ``ListWashError`` when one could not be read.
    public func wait() throws -> [String: String] {
        waiting.withLock { $0 = true }
        done.wait()
        done.signal()
        return try results.withLock { results in try results.mapValues { try $0.get() } }
    }
}
