#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read in large chunks with `read(2)`, keeping the unconsumed tail so that a record is
/// always contiguous in ``buffer``.
final class ByteInput {
    let path: String
    /// What the file is, for the exit status when reading it gets stuck (``ReadWatchdog``).
    private let kind: ListWashError.Kind
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Bytes read and not yet consumed live in `buffer[start..<end]`.
    private(set) var buffer: UnsafeMutableBufferPointer<UInt8>
    var start = 0
    private(set) var end = 0
    /// Whether the file has no more bytes to read.
    private(set) var atEOF = false
    /// Bytes consumed before `buffer[0]`, for progress.
    private(set) var consumedBefore = 0

    static let chunkSize = 1 << 20

    /// Opens `path` for reading; `"-"` reads standard input. Reads `chunkSize` bytes at a time
    /// (more only for a longer record); tests pass small sizes to split records across reads.
    /// Opening and each read of a file are timed by ``ReadWatchdog/shared``, which stops the
    /// process with `kind`'s exit status (65 for an input, 66 for a list or an export) when one
    /// makes no progress for too long; standard input may wait as long as it needs.
    init(path: String, kind: ListWashError.Kind = .input, chunkSize: Int = ByteInput.chunkSize) throws {
        self.path = path
        self.kind = kind
        if path == "-" {
            descriptor = 0
            ownsDescriptor = false
        } else {
            // Opened without waiting: a named pipe would otherwise block until something writes
            // to it, while the run holds its lock.
            descriptor = ReadWatchdog.shared.watch(path, kind: kind) { open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
            guard descriptor >= 0 else { throw ListWashError.cannotOpen(path, errno: errno) }
            var info = stat()
            guard fstat(descriptor, &info) == 0 else {
                let code = errno
                close(descriptor)
                throw ListWashError.cannotOpen(path, errno: code)
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                // A regular file: reads block as usual.
                _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
            case S_IFDIR:
                close(descriptor)
                throw ListWashError(.input, "\(path) is a folder, not a file", at: SourceLocation(file: path))
            default:
                close(descriptor)
                let kind = (info.st_mode & S_IFMT) == S_IFIFO ? "a named pipe (FIFO)" : (info.st_mode & S_IFMT) == S_IFSOCK ? "a socket" : "a device"
                throw ListWashError(.input, "\(path) is \(kind), not a regular file: ListWash reads files whose end it can see (a pipe could hold the run forever); copy the data to a file", at: SourceLocation(file: path))
            }
            ownsDescriptor = true
        }
        buffer = .allocate(capacity: max(1, chunkSize))
    }

    deinit {
        buffer.deallocate()
        if ownsDescriptor { close(descriptor) }
    }

    /// The bytes available now.
    var available: Int { end - start }

    /// Reads more bytes, moving the unconsumed tail to the front and growing the buffer when the
    /// tail already fills it. Returns `false` at end of file.
    @discardableResult
    func fill() throws -> Bool {
        if atEOF { return false }
        if start > 0 {
            let tail = end - start
            if tail > 0 { buffer.baseAddress!.update(from: buffer.baseAddress! + start, count: tail) }
            consumedBefore += start
            start = 0
            end = tail
        }
        if end == buffer.count {
            let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
            bigger.baseAddress!.update(from: buffer.baseAddress!, count: end)
            buffer.deallocate()
            buffer = bigger
        }
        while true {
            let n = ownsDescriptor
                ? ReadWatchdog.shared.watch(path, kind: kind) { read(descriptor, buffer.baseAddress! + end, buffer.count - end) }
                : read(descriptor, buffer.baseAddress! + end, buffer.count - end)
            if n > 0 {
                end += n
                return true
            }
            if n == 0 {
                atEOF = true
                return false
            }
            if errno == EINTR { continue }
            throw ListWashError(.input, "cannot read \(path): \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
    }

    /// Bytes read from the file so far.
    var bytesRead: Int { consumedBefore + end }
}

extension ListWashError {
    /// An input file that cannot be opened.
    static func cannotOpen(_ path: String, errno code: Int32) -> ListWashError {
        let reason = code == ENOENT ? "no such file" : String(cString: strerror(code))
        return ListWashError(.input, "cannot open \(path): \(reason)", at: SourceLocation(file: path))
    }
}
