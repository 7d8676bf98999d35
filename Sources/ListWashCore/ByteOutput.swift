#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CListWashSystem

/// A file written through a 1 MiB buffer with `write(2)`.
final class ByteOutput {
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let ownsDescriptor: Bool
    private(set) var bytesWritten = 0
    /// Whether ``finish()`` makes the file durable; such a file is handed to the disk as it is
    /// written, so that the final sync has little left to wait for.
    private let durable: Bool
    /// How far the file has been handed to the disk.
    private var handedOver = 0

    /// Creates (or truncates) `path`; `"-"` writes standard output. A file that is not
    /// `durable` (a run's scratch file) is never synced.
    init(path: String, durable: Bool = true) throws {
        self.path = path
        self.durable = durable
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
        handOver()
    }

    /// Starts writing back each full 8 MiB written so far without waiting for it, so
    /// that a large output is mostly on disk by the time ``finish()`` syncs it.
    private func handOver() {
        let chunk = 8 << 20
        guard durable, ownsDescriptor, bytesWritten - handedOver >= chunk else { return }
        let end = bytesWritten / chunk * chunk
        // Only a head start: a failure here shows up in the final fsync.
        _ = listwash_start_writeback(descriptor, Int64(handedOver), Int64(end - handedOver))
        handedOver = end
    }

    /// Flushes and makes the file durable (fsync), so a rename after it publishes complete data.
    func finish() throws {
        try flush()
        if durable, ownsDescriptor, fsync(descriptor) != 0 {
            throw ListWashError(.output, "cannot sync \(path): \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
    }
}
