import Foundation
@_exported import ListWashTestSupport
import ListWash
import Logging
@testable import ListWashNightly

/// A logger that keeps its lines (for tests that check what a run said).
final class CollectedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []

    var lines: [String] { lock.withLock { collected } }

    func append(_ line: String) { lock.withLock { collected.append(line) } }

    var logger: Logger {
        Logger(label: "test") { _ in CollectingHandler(log: self) }
    }
}

struct CollectingHandler: LogHandler {
    let log: CollectedLog
    var logLevel: Logger.Level = .debug
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log.append("\(event.level): \(event.message)")
    }
}

/// A nightly pipeline file over `inbox` writing to `out`, with `extra` lines; files are taken
/// once unchanged for `settle` seconds (none by default: tests write their files just before).
func nightlyPipeline(inbox: String = "inbox/*.csv", out: String = "out", after: String = "keep", settle: Double = 0, extra: String = "") -> String {
    """
    name: nightly-test
    inbox: {path: "\(inbox)", after: \(after), settle_seconds: \(settle)}
    stages:
      - validate: {required_any: [email, phone]}
    output: {folder: \(out)}
    \(extra)
    """
}

/// Sets the modification time of `path` back by `seconds`, as for a file that arrived earlier.
func age(_ path: String, by seconds: TimeInterval = 3600) throws {
    try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -seconds)], ofItemAtPath: path)
}
