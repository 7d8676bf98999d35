#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// What Ctrl-C (SIGINT) and `kill -TERM` do to a run: the cleanups registered for what the run
/// has half written are run once (a staging folder removed, a history entry marked
/// `interrupted`), one line says so on standard error, and the process exits with 128 + the
/// signal (130 for SIGINT, 143 for SIGTERM: the shell's convention).
///
/// ``start(say:)`` blocks both signals in the calling thread, and so in every thread started
/// after it, and starts one thread that waits for them (`sigwait`): the cleanups run as
/// ordinary code, not in a signal handler. A step that must not be undone once done (moving
/// staged outputs into place) runs in ``commit(_:_:)``, which the handler waits for and
/// after which that step's cleanups are gone: a signal arriving after the rename never removes
/// committed outputs. The handler never hangs: once a commit in progress has ended, the cleanups
/// get ``timeLimit``, then the process exits anyway; a second signal exits at once.
///
/// ```swift
/// Interruption.shared.start()                          // first thing in main
/// Interruption.shared.register(staging) { _ in Interruption.removeTree(staging); return ["nothing was written"] }
/// try Interruption.shared.commit(staging) { try FileSystem.rename(staging, to: final) }
/// ```
public final class Interruption: @unchecked Sendable {
    /// What a cleanup does when the process is interrupted by `signal`: undo, and return what
    /// it did, in a few words (`nothing was written`), for the message.
    public typealias Cleanup = @Sendable (_ signal: Int32) -> [String]

    /// The process's handler.
    public static let shared = Interruption()

    /// How long the cleanups may take (from the end of a commit in progress) before the process
    /// exits without them.
    public static let timeLimit: Duration = .seconds(10)

    private let lock = Lock()
    private var cleanups: [(key: String, action: Cleanup)] = []
    private var say: @Sendable (String) -> Void = Interruption.writeToStandardError
    private let started = Atomic<Bool>(false)
    /// The signal being handled, or 0.
    private let handling = Atomic<Int32>(0)

    /// A handler with nothing registered (``shared`` is the process's).
    package init() {}

    // MARK: Setting up

    /// Blocks SIGINT and SIGTERM in the calling thread (and so in every thread it starts later)
    /// and starts the thread that handles them. Call it first thing in `main`, before any other
    /// thread is started; calling it again does nothing.
    ///
    /// - Parameter say: writes the one-line message (default: a line on standard error). A
    ///   caller that draws a progress line passes a writer that finishes that line first.
    public func start(say: (@Sendable (String) -> Void)? = nil) {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        if let say { self.say = say }
        var signals = Self.handledSignals
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        // A path out of the process (an error reported, `exit` after the work) waits while an
        // interruption is being handled: the handler decides the exit status.
        atexit { Interruption.shared.waitIfInterrupted() }
        Self.spawn { Interruption.shared.waitForSignals() }
    }

    /// Whether ``start(say:)`` was called.
    public var isStarted: Bool { started.load(ordering: .acquiring) }

    // MARK: Registering

    /// Registers `cleanup` under `key` (usually the folder it removes), to run if the process is
    /// interrupted before ``commit(_:_:)`` or ``cancel(_:)`` with the same key. Cleanups run in
    /// the reverse order of registration.
    public func register(_ key: String, _ cleanup: @escaping Cleanup) {
        lock.withLock { cleanups.append((key, cleanup)) }
    }

    /// Drops the cleanups registered under `key` without running them (the run ended, and
    /// cleaned up after itself).
    public func cancel(_ key: String) {
        lock.withLock { cleanups.removeAll { $0.key == key } }
    }

    /// Runs `body` (the step that puts outputs in place) with the handler held off, then drops
    /// the cleanups registered under `key`. A signal arriving meanwhile is handled once `body`
    /// is done: after a successful commit there is nothing of it left to undo. When `body`
    /// throws, the cleanups stay registered.
    public func commit<T>(_ key: String, _ body: () throws -> T) rethrows -> T {
        try lock.withLock {
            let result = try body()
            cleanups.removeAll { $0.key == key }
            return result
        }
    }

    /// The keys registered now, oldest first (for tests).
    package var registeredKeys: [String] { lock.withLock { cleanups.map(\.key) } }

    /// When an interruption is being handled, blocks the calling thread for good (the handler
    /// ends the process); otherwise returns at once. Error paths call it first, so that a run
    /// whose files the handler removed does not report that as a failure of its own.
    public func waitIfInterrupted() {
        guard handling.load(ordering: .acquiring) != 0 else { return }
        while true { sleep(60) }
    }

    // MARK: Handling

    /// The message for `signal` and what the cleanups did: `listwash: interrupted (SIGINT);
    /// nothing was written, run ... marked interrupted`.
    package static func message(signal: Int32, notes: [String]) -> String {
        "listwash: interrupted (\(name(of: signal)))" + (notes.isEmpty ? "" : "; " + notes.joined(separator: ", "))
    }

    /// The signal's name: `SIGINT`, `SIGTERM`.
    package static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }

    /// Runs every registered cleanup once, newest first, after a commit in progress; returns
    /// the message.
    package func runCleanups(signal: Int32) -> String {
        lock.withLock { runCleanupsHoldingLock(signal: signal) }
    }

    private func runCleanupsHoldingLock(signal: Int32) -> String {
        let actions = cleanups.reversed().map(\.action)
        cleanups.removeAll()
        var notes: [String] = []
        for action in actions {
            for note in action(signal) where !notes.contains(note) { notes.append(note) }
        }
        return Self.message(signal: signal, notes: notes)
    }

    private func waitForSignals() {
        var signals = Self.handledSignals
        var received: Int32 = 0
        while sigwait(&signals, &received) != 0 || (received != SIGINT && received != SIGTERM) {}
        let signal = received
        let say = self.say   // set before this thread started
        let cleanupBegan = Atomic<Int64>(0)
        Self.spawn {
            // The watchdog: cleanups that hang (a stuck disk, a locked database) do not keep the
            // process alive past the time limit, counted once a commit in progress has ended (a
            // move into place is not cut short); a second signal exits at once.
            let limit = Interruption.timeLimit.components.seconds
            while true {
                if Interruption.waitForSecondSignal(milliseconds: 100) {
                    say(Interruption.message(signal: signal, notes: ["interrupted again: stopped without finishing the cleanup"]))
                    _exit(128 + signal)
                }
                let began = cleanupBegan.load(ordering: .acquiring)
                if began != 0 && Interruption.monotonicNanoseconds() - began > limit * 1_000_000_000 {
                    say(Interruption.message(signal: signal, notes: ["cleanup did not finish in \(limit) s"]))
                    _exit(128 + signal)
                }
            }
        }
        handling.store(signal, ordering: .releasing)
        // The lock is held until the end: no commit starts once the cleanups have run.
        lock.withLock {
            cleanupBegan.store(Self.monotonicNanoseconds(), ordering: .releasing)
            say(runCleanupsHoldingLock(signal: signal))
            _exit(128 + signal)
        }
    }

    /// Waits up to `milliseconds` for SIGINT or SIGTERM (blocked, so pending); whether one came.
    private static func waitForSecondSignal(milliseconds: Int) -> Bool {
        #if canImport(Glibc)
        var signals = handledSignals
        var timeout = timespec(tv_sec: 0, tv_nsec: milliseconds * 1_000_000)
        let received = sigtimedwait(&signals, nil, &timeout)
        return received == SIGINT || received == SIGTERM
        #else
        usleep(UInt32(milliseconds * 1000))
        return false
        #endif
    }

    private static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    private static var handledSignals: sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        return signals
    }

    private static func writeToStandardError(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(2, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Starts a detached thread running `body`.
    private static func spawn(_ body: @escaping @Sendable () -> Void) {
        final class Box: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let created = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<Box>.fromOpaque(context).takeRetainedValue().body()
            return nil
        }, context)
        if created == 0 { pthread_detach(thread) } else { Unmanaged<Box>.fromOpaque(context).release() }
    }

    // MARK: Removing a folder

    /// Removes the folder at `path` and everything in it, first renaming it aside (to
    /// `path` + `-removing`) so that a file the interrupted run creates meanwhile cannot land
    /// in it. Returns whether nothing is left at `path`.
    @discardableResult
    public static func removeTree(_ path: String) -> Bool {
        let aside = path + "-removing"
        let target = rename(path, aside) == 0 ? aside : path
        removeRecursively(target)
        return access(path, F_OK) != 0
    }

    private static func removeRecursively(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            for name in FileSystem.contents(of: path) { removeRecursively("\(path)/\(name)") }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
