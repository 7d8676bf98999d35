#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ListWash
import Logging

/// The lock that keeps two runs from reading one inbox at once, whatever their output roots:
/// `flock(2)` on `INBOX/.listwash.lock` (a hidden file, which the inbox scan leaves alone).
///
/// Two runs with different `--out` have different output-root locks and histories, so only a
/// lock on the inbox itself keeps them from loading the same files at the same time. When the
/// inbox folder cannot hold a lock file (read-only), an existing one is locked read-only, or
/// else a lock file in the temporary folder named by the inbox's real path, which keeps apart
/// the runs of this machine only; the run says so.
///
/// ```swift
/// let lock = try InboxLock.acquire(pattern: "/srv/inbox/*.csv", outputRoot: "/srv/out", logger: logger)
/// defer { lock?.release() }
/// ```
public enum InboxLock {
    /// Takes the lock on the folder of inbox `pattern`, without waiting; `nil` when the folder
    /// does not exist (the scan then reports it) or is the output root itself (whose lock
    /// covers it).
    ///
    /// - Throws: ``NightlyError`` (`.locked`, exit status 75) naming the holder when another
    ///   run holds it; ``ListWashError`` (`.output`) when no lock file can be had.
    public static func acquire(pattern: String, outputRoot: String, now: Date = Date(), logger: Logger) throws -> RunLock? {
        let folder = FileSystem.folder(of: pattern)
        guard InboxScanner.isGlob(folder) || FileSystem.isDirectory(folder) else { return nil }
        if let real = FileSystem.realPath(folder), real == FileSystem.realPath(outputRoot) { return nil }
        if !InboxScanner.isGlob(folder) {
            let path = "\(folder)/\(RunLock.fileName)"
            var descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            if descriptor < 0 && [EACCES, EROFS, EPERM].contains(errno) {
                descriptor = open(path, O_RDONLY | O_CLOEXEC)
            }
            if descriptor >= 0 {
                return try RunLock.acquire(descriptor: descriptor, path: path, now: now, outputRoot: outputRoot)
            }
        }
        // The inbox cannot hold a lock file (or is a pattern of folders): a lock named by it in
        // the temporary folder, shared by every run of this machine.
        let key = FileSystem.realPath(folder) ?? (folder.hasPrefix("/") ? folder : FileManager.default.currentDirectoryPath + "/" + folder)
        let path = "\(FileManager.default.temporaryDirectory.path)/listwash-inbox-\(SHA256.hash(utf8: key).hex.prefix(16)).lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw ListWashError(.output, "cannot lock the inbox \(folder): neither it nor the temporary folder can hold a lock file (\(path): \(String(cString: strerror(errno)))); make the inbox writable for listwash", at: SourceLocation(file: folder))
        }
        _ = fchmod(descriptor, 0o666)   // other users' runs over the same inbox must open it too
        logger.warning("the inbox \(folder) cannot hold a lock file; runs over it are kept apart by \(path) instead, which only covers runs on this machine")
        return try RunLock.acquire(descriptor: descriptor, path: path, now: now, outputRoot: outputRoot)
    }
}
