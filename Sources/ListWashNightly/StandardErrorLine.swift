#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Standard error, shared by log lines and the progress bar: a log line first clears the bar,
/// then the bar is drawn again below it.
public final class StandardErrorLine: Sendable {
    /// The process's standard error.
    public static let shared = StandardErrorLine(descriptor: 2)

    private let descriptor: Int32
    private let status = Mutex("")
    /// Set by ``finish(with:)``: no status line is drawn after it.
    private let closed = Atomic<Bool>(false)

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Whether standard error is a terminal (and not a dumb one): cron's is not.
    public var isTerminal: Bool {
        isatty(descriptor) == 1 && (getenv("TERM").map { String(cString: $0) } ?? "") != "dumb"
    }

    /// Writes a whole line, keeping the status line (if any) below it.
    public func writeLine(_ line: String) {
        status.withLock { status in
            emit((status.isEmpty ? "" : "\r\u{1B}[K") + line + "\n" + (status.isEmpty ? "" : status))
        }
    }

    /// Shows `text` as the status line (replacing the last one); empty clears it.
    public func setStatus(_ text: String) {
        status.withLock { status in
            if text.isEmpty && status.isEmpty { return }
            if closed.load(ordering: .acquiring) { return }
            emit("\r\u{1B}[K" + text)
            status = text
        }
    }

    /// Writes a last line below the status line (an interrupted run's message): the progress
    /// bar stays as it was, ended by a line break, and none is drawn after it.
    public func finish(with line: String) {
        status.withLock { status in
            closed.store(true, ordering: .releasing)
            emit((status.isEmpty ? "" : "\n") + line + "\n")
            status = ""
        }
    }

    private func emit(_ text: String) {
        var copy = text
        copy.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
