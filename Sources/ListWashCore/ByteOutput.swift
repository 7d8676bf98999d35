#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written through a 1 MiB buffer with `write(2)`.
final class ByteOutput {
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let ownsDescriptor: Bool
    private(set) var bytesWritten = 0

    /// Creates (or truncates) `path`; `"-"` writes standard output.
    init(path: String) throws {
        self.path = path
        if path == "-" {
            descriptor = 1
            ownsDescriptor = false
        } else {
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw ListWashError(.output, "cannot create \(path): \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
            }
            ownsDescriptor = true
        }
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        buffer.append(byte)
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    /// Writes the buffer out when it holds a chunk's worth.
    @inline(__always)
    func flushIfFull() throws {
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes everything buffered.
    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ListWashError(.output, "cannot write \(path): \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
            }
            offset += n
        }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and makes the file durable (fsync), so a rename after it publishes complete data.
    func finish() throws {
        try flush()
        if ownsDescriptor, fsync(descriptor) != 0 {
            throw ListWashError(.output, "cannot sync \(path): \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
    }
}
