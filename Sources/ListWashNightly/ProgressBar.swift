import Foundation
import Synchronization

/// A progress bar on standard error for long runs, drawn only when standard error is a
/// terminal (cron gets none), from half a second into the run, at most ten times a second.
///
/// ```
/// [##########..........]  52%  53.4 of 102.7 MB  0:01 elapsed
/// ```
public final class ProgressBar: Sendable {
    private let output: StandardErrorLine
    private let total: Int
    private let started = ContinuousClock.now
    private let lastDrawn = Mutex<ContinuousClock.Instant?>(nil)

    /// A bar for `total` bytes on `output`, or `nil` when `output` is not a terminal or `enabled` is false.
    public init?(total: Int, output: StandardErrorLine = .shared, enabled: Bool? = nil) {
        guard enabled ?? output.isTerminal, total > 0 else { return nil }
        self.output = output
        self.total = total
    }

    /// Shows `done` bytes of the total.
    public func update(_ done: Int) {
        let now = ContinuousClock.now
        guard now - started >= .milliseconds(500) else { return }   // short runs get no bar at all
        let due = lastDrawn.withLock { last -> Bool in
            if let last, now - last < .milliseconds(100) { return false }
            last = now
            return true
        }
        guard due || done >= total else { return }   // the last step is always drawn
        output.setStatus(Self.render(done: done, total: total, elapsed: now - started))
    }

    /// A `Runner.run(progress:)` callback: the bytes read of each input in turn (a callback per
    /// run; it keeps which file it is in).
    public func reading() -> (String, Int) -> Void {
        var finished = 0, currentPath = "", currentBytes = 0
        return { [self] path, bytes in
            if path != currentPath {
                finished += currentBytes
                currentPath = path
            }
            currentBytes = bytes
            update(finished + bytes)
        }
    }

    /// Removes the bar.
    public func finish() {
        output.setStatus("")
    }

    /// The bar's text.
    static func render(done: Int, total: Int, elapsed: Duration) -> String {
        let fraction = min(1, max(0, Double(done) / Double(max(total, 1))))
        let width = 20
        let filled = Int(fraction * Double(width))
        let seconds = Int(elapsed.components.seconds)
        // Reading is done, the run is not: say what it does now rather than stand at 100%.
        if done >= total {
            return String(format: "read %.1f MB in %d:%02d; now matching, deciding and writing ...", Double(total) / 1e6, seconds / 60, seconds % 60)
        }
        return String(format: "[%@%@] %3d%%  %.1f of %.1f MB  %d:%02d elapsed",
                      String(repeating: "#", count: filled), String(repeating: ".", count: width - filled),
                      Int(fraction * 100), Double(done) / 1e6, Double(total) / 1e6, seconds / 60, seconds % 60)
    }
}
