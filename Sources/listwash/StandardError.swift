#if canImport(Glibc)
import Glibc
#endif
import ListWash

/// Writes lines to standard error.
enum StandardError {
    static func write(_ line: String) {
        var text = line
        text.append("\n")
        text.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }

    /// A diagnostic log that echoes each warning to standard error as it arrives.
    static func log() -> DiagnosticLog {
        DiagnosticLog { StandardError.write($0.description) }
    }
}
