/// What one run loads from files, shared by its stages: each reference export, suppression list
/// folder, rules file or answered review file is read once however many stages use it, and its
/// warnings go to one log.
///
/// A stage's run is built from its definition and a context (``StageDefinition/makeStage(in:)``);
/// what it loads goes through ``shared(_:load:)`` under a key naming the file and how it is read,
/// so that a second stage asking for the same key gets the first one's value:
///
/// ```swift
/// let context = RunContext(log: log)
/// let accounts = try context.shared("accounts \(path)") { try AccountIndex(path: path, log: context.log) }
/// ```
public final class RunContext: @unchecked Sendable {
    /// Where warnings about what is loaded go.
    public let log: DiagnosticLog
    private let lock = Lock()
    private var values: [String: any Sendable] = [:]
    private var counts: [String: Int] = [:]

    /// A context whose warnings go to `log`.
    public init(log: DiagnosticLog = DiagnosticLog()) {
        self.log = log
    }

    /// The value loaded under `key`: loaded by `load` the first time it is asked for (a failed
    /// load is not kept, so the next caller tries again and sees the error), then the same value.
    /// Loads run one at a time, so `load` must not ask the context for another value.
    ///
    /// - Throws: what `load` throws.
    public func shared<Value: Sendable>(_ key: String, load: () throws -> Value) throws -> Value {
        try lock.withLock {
            if let value = values[key] as? Value { return value }
            counts[key, default: 0] += 1
            let value = try load()
            values[key] = value
            return value
        }
    }

    /// How many times something was loaded under `key` (1 once it is, whoever asked).
    public func loads(of key: String) -> Int {
        lock.withLock { counts[key] ?? 0 }
    }

    /// The keys loaded so far, sorted.
    public var loadedKeys: [String] {
        lock.withLock { counts.keys.sorted() }
    }
}
