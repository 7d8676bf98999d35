#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ListWash

/// The lock that keeps two runs from working on one output root at once: `flock(2)` on
/// `OUTPUT_ROOT/.listwash.lock` (and, through ``InboxLock``, on one inbox).
///
/// The kernel releases a `flock` when its process ends, however it ends, so a lock left by a
/// killed run is simply taken by the next one. The file holds the holder's pid and start time
/// for the message a second run prints; a run that ends normally empties it, so a next run that
/// finds it filled knows the last run was killed.
///
/// ```swift
/// let lock = try RunLock.acquire(in: "/srv/out")   // throws NightlyError(.locked) when held
/// defer { lock.release() }
/// ```
public final class RunLock {
    /// The lock file's path.
    public let path: String
    /// What the file said when this run took it over from a run that did not end normally
    /// (`pid 1234, started 2026-11-23T02:15:00Z`), or `nil`.
    public let previousHolder: String?
    private var descriptor: Int32

    private init(path: String, descriptor: Int32, previousHolder: String?) {
        self.path = path
        self.descriptor = descriptor
        self.previousHolder = previousHolder
    }

    /// The lock file's name inside the output root.
    public static let fileName = ".listwash.lock"

    /// Takes the lock on `folder` (created if missing), without waiting.
    ///
    /// - Parameter outputRoot: the output root of the run taking it, shown to a run it turns away.
    /// - Throws: ``NightlyError`` (`.locked`) naming the holder when another run holds it;
    ///   ``ListWashError`` (`.output`) when the lock file cannot be created.
    public static func acquire(in folder: String, now: Date = Date(), outputRoot: String? = nil) throws -> RunLock {
        try FileSystem.createDirectory(folder)
        let path = "\(folder)/\(fileName)"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ListWashError(.output, "cannot create the lock file \(path): \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
        return try acquire(descriptor: descriptor, path: path, now: now, outputRoot: outputRoot)
    }

    /// Takes the lock on the open lock file `descriptor` (at `path`), without waiting; the lock
    /// owns the descriptor from then on.
    ///
    /// - Throws: ``NightlyError`` (`.locked`) naming the holder when another run holds it;
    ///   ``ListWashError`` (`.output`) when it cannot be locked.
    static func acquire(descriptor: Int32, path: String, now: Date, outputRoot: String?) throws -> RunLock {
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let failure = errno
            let holder = readContents(descriptor)
            close(descriptor)
            if failure == EWOULDBLOCK {
                let who = holder.isEmpty ? "another listwash run" : "another listwash run (\(holder))"
                throw NightlyError(.locked, "\(who) holds \(path); this run stops without doing anything. Try again when it has finished", at: SourceLocation(file: path))
            }
            throw ListWashError(.output, "cannot lock \(path): \(String(cString: strerror(failure)))", at: SourceLocation(file: path))
        }
        let previous = readContents(descriptor)
        let lock = RunLock(path: path, descriptor: descriptor, previousHolder: previous.isEmpty ? nil : previous)
        lock.writeContents("pid \(getpid()), started \(Timestamp.iso8601(now))" + (outputRoot.map { ", writing to \($0)" } ?? ""))
        return lock
    }

    /// Empties the lock file and releases the lock (the kernel would release it anyway when
    /// the process ends).
    public func release() {
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }

    private func writeContents(_ text: String) {
        _ = ftruncate(descriptor, 0)
        let line = text + "\n"
        _ = line.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        _ = fsync(descriptor)
    }

    private static func readContents(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return "" }
        return String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
