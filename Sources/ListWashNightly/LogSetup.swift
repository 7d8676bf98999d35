#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ListWash
import Logging
import Synchronization

/// Where a nightly run's log lines go: standard error, and a file when one is named.
///
/// Lines read `2026-11-23T02:15:00Z listwash[1234] info: message`, the same on both.
public enum LogSetup {
    /// A logger writing at `level` and above to standard error and, when `file` is given,
    /// appending to it.
    ///
    /// - Throws: ``ListWashError`` (`.output`) when the log file cannot be opened.
    public static func logger(file: String?, level: Logger.Level = .info, standardError: StandardErrorLine? = .shared) throws -> Logger {
        var outputs: [LogOutput] = []
        if let standardError { outputs.append(.standardError(standardError)) }
        if let file { outputs.append(.file(try LogFile(path: file))) }
        var logger = Logger(label: "listwash") { _ in LineLogHandler(outputs: outputs) }
        logger.logLevel = level
        return logger
    }

    /// The level named in a pipeline file (`debug`, `info`, `warning`, `error`).
    public static func level(_ name: String?) -> Logger.Level {
        switch name {
        case "debug": .debug
        case "warning": .warning
        case "error": .error
        default: .info
        }
    }

    /// A diagnostic log (for a ``Runner``) whose warnings go to `logger`.
    public static func diagnostics(to logger: Logger) -> DiagnosticLog {
        DiagnosticLog { diagnostic in
            let text = diagnostic.location.map { "\($0): \(diagnostic.message)" } ?? diagnostic.message
            switch diagnostic.severity {
            case .error: logger.error("\(text)")
            case .warning: logger.warning("\(text)")
            case .note: logger.notice("\(text)")
            }
        }
    }
}

/// One place log lines go.
enum LogOutput: Sendable {
    case standardError(StandardErrorLine)
    case file(LogFile)
}

/// A log file, appended to line by line (`O_APPEND`, so several writers never interleave).
final class LogFile: Sendable {
    private let descriptor: Int32

    init(path: String) throws {
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try FileSystem.createDirectory(String(path[..<slash]))
        }
        descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ListWashError(.output, "cannot open the log file \(path): \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
    }

    deinit { close(descriptor) }

    func append(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { _ = write(descriptor, $0.baseAddress, $0.count) }
    }
}

/// A swift-log handler writing one plain line per message.
struct LineLogHandler: LogHandler {
    let outputs: [LogOutput]
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = "\(Timestamp.iso8601(Date())) listwash[\(getpid())] \(Self.label(event.level)): \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if !merged.isEmpty { line += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
        for output in outputs {
            switch output {
            case .standardError(let standardError): standardError.writeLine(line)
            case .file(let file): file.append(line)
            }
        }
    }

    static func label(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "trace"
        case .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warning"
        case .error, .critical: "error"
        }
    }
}
