#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// Stops the process when opening or reading a file makes no progress for too long.
///
/// A list on a hung network mount blocks `read(2)` forever, and no signal gets the thread out
/// of it; meanwhile the run holds its lock, so every later run exits 75. Each chunk read (1 MiB,
/// never per record) is timed: ``watch(_:kind:_:)`` notes when it starts and ends, and a
/// monitor thread, running only while a read is under way, checks a few times a second (at
/// most every second) that none has gone on longer than ``limit``. One that has stops the
/// process with the file's name and the exit status of its kind: 65 for an input, 66 for a
/// suppression list or a CRM export (``ListWashError/Kind``). The next run removes what the
/// stopped one left (its staging folder, its lock).
public final class ReadWatchdog: Sendable {
    /// A read that went on too long.
    public struct Stall: Sendable, Equatable {
        /// The file.
        public var path: String
        /// What the file is, for the exit status.
        public var kind: ListWashError.Kind
        /// How long it has waited, in seconds.
        public var seconds: Double

        /// The error the run stops with.
        public var error: ListWashError {
            ListWashError(kind, "no data from \(path) for \(seconds >= 10 ? String(Int(seconds.rounded())) : String((seconds * 10).rounded() / 10)) s: reading it is stuck (a hung network mount or a file system that does not answer); the run stopped. Copy the file to a local disk, or raise read_timeout_seconds: in the pipeline file", at: SourceLocation(file: path))
        }
    }

    /// The watchdog of every file this process reads.
    public static let shared = ReadWatchdog()

    /// The default limit, in seconds.
    public static let defaultLimit = 300.0

    private struct Read {
        var path: String
        var kind: ListWashError.Kind
        var started: ContinuousClock.Instant
    }

    private struct State {
        var limit: Double
        var reads: [Int: Read] = [:]
        var next = 0
        var monitoring = false
        var fired = false
    }

    private let state: Mutex<State>
    private let onStall: @Sendable (Stall) -> Void

    /// A watchdog that calls `onStall` (once) when a read has waited `limit` seconds; by
    /// default it prints the error and ends the process with the kind's exit status.
    public init(limit: Double = ReadWatchdog.defaultLimit, onStall: @escaping @Sendable (Stall) -> Void = ReadWatchdog.stop) {
        state = Mutex(State(limit: limit))
        self.onStall = onStall
    }

    /// The limit in seconds that a read may wait without progress (a pipeline's
    /// `read_timeout_seconds:`).
    public var limit: Double {
        get { state.withLock { $0.limit } }
        set { state.withLock { $0.limit = newValue } }
    }

    /// Runs `body`, one open or read of `path`, under watch.
    @inline(__always)
    public func watch<T>(_ path: String, kind: ListWashError.Kind, _ body: () throws -> T) rethrows -> T {
        let id = begin(path, kind: kind)
        defer { end(id) }
        return try body()
    }

    private func begin(_ path: String, kind: ListWashError.Kind) -> Int {
        let (id, start) = state.withLock { state -> (Int, Bool) in
            let id = state.next
            state.next &+= 1
            state.reads[id] = Read(path: path, kind: kind, started: .now)
            let start = !state.monitoring
            state.monitoring = true
            return (id, start)
        }
        if start { DispatchQueue.global(qos: .utility).async { self.monitor() } }
        return id
    }

    private func end(_ id: Int) {
        state.withLock { _ = $0.reads.removeValue(forKey: id) }
    }

    /// Checks the reads under way until there are none.
    private func monitor() {
        while true {
            let (stall, pause) = state.withLock { state -> (Stall?, Double?) in
                guard !state.reads.isEmpty, !state.fired else {
                    state.monitoring = false
                    return (nil, nil)
                }
                let pause = min(1, max(0.01, state.limit / 4))
                guard let oldest = state.reads.values.min(by: { $0.started < $1.started }) else { return (nil, pause) }
                let waited = (ContinuousClock.now - oldest.started) / .seconds(1)
                guard waited >= state.limit else { return (nil, pause) }
                state.fired = true
                state.monitoring = false
                return (Stall(path: oldest.path, kind: oldest.kind, seconds: waited), nil)
            }
            if let stall { onStall(stall) }
            guard let pause else { return }
            usleep(useconds_t(pause * 1_000_000))
        }
    }

    /// Prints the stall's error on standard error and ends the process with its exit status: the
    /// stuck thread cannot be woken, and the lock must not stay held.
    @Sendable public static func stop(_ stall: Stall) {
        let line = Array("\(stall.error.description)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        _exit(stall.error.exitStatus)
    }
}
