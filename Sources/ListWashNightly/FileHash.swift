#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ListWash

/// Hashes whole files.
public enum FileHash {
    /// The SHA-256 of the file at `path`, read in 1 MiB chunks (not mapped: a file truncated by
    /// its uploader while mapped would stop the process).
    ///
    /// - Parameters:
    ///   - watchdog: times the opening and each read (``ReadWatchdog``): a file on a hung mount
    ///     stops the run (65) instead of holding its lock; `nil` for a thread that may wait for
    ///     idle time (``BackgroundHasher``), where a slow read is no hang.
    ///   - eachChunk: called after each chunk is hashed.
    /// - Throws: ``ListWashError`` (`.input`) when the file cannot be opened or read.
    public static func sha256(path: String, watchdog: ReadWatchdog? = .shared, eachChunk: (() -> Void)? = nil) throws -> SHA256.Digest {
        func timed<T>(_ body: () -> T) -> T { watchdog.map { $0.watch(path, kind: .input, body) } ?? body() }
        let descriptor = timed { open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else {
            throw ListWashError(.input, "cannot open \(path): \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
        defer { close(descriptor) }
        var hash = SHA256()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { chunk.deallocate() }
        while true {
            let count = timed { read(descriptor, chunk.baseAddress, chunk.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ListWashError(.input, "cannot read \(path): \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
            }
            if count == 0 { break }
            hash.update(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            eachChunk?()
        }
        return hash.finalize()
    }
}
