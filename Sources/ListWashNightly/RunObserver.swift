import ListWash
import Synchronization

/// Match scores binned over 0...1 (scores given in percent, 0...100, are scaled down).
public enum MatchScoreHistogram {
    /// How many bins: 20 bins of 0.05.
    public static let binCount = 20

    /// The bin of `score`, or `nil` when it is not a score.
    public static func bin(_ score: String) -> Int? {
        guard var value = Double(score), value.isFinite, value >= 0 else { return nil }
        if value > 1 { value /= 100 }
        guard value <= 1 else { return nil }
        return min(binCount - 1, Int(value * Double(binCount)))
    }
}

/// Watches every batch just before it is written (as a ``Runner`` observer) and counts, per
/// source file, the reasons per disposition, and over the run the match-score histogram.
///
/// Records still open at that point are counted as `load`, as the sink writes them.
public final class RunObserver: Stage {
    /// What the observer saw.
    public struct Tally: Sendable, Equatable {
        /// Per source path: per disposition: per reason: rows.
        public var reasons: [String: [Disposition: [String: Int]]] = [:]
        /// Rows per match-score bin.
        public var histogram = [Int](repeating: 0, count: MatchScoreHistogram.binCount)
    }

    private let tally = Mutex(Tally())

    /// A fresh observer.
    public init() {}

    public var name: String { "observe" }

    /// Counts batch by batch into one tally under a lock: on all cores, in any order.
    public var runsConcurrently: Bool { true }

    /// Everything counted so far.
    public var counts: Tally { tally.withLock { $0 } }

    public func process(_ batch: inout RecordBatch) throws {
        var reasons: [Disposition: [String: Int]] = [:]
        var bins = [Int](repeating: 0, count: MatchScoreHistogram.binCount)
        var scored = false
        for row in 0..<batch.count {
            let reason = batch.reasons[row]
            if !reason.isEmpty {
                reasons[batch.dispositions[row] ?? .load, default: [:]][DispositionSink.reasonKey(reason), default: 0] += 1
            }
            let score = batch[row, OutputLayout.matchScore]
            if !score.isEmpty, let bin = MatchScoreHistogram.bin(score) {
                bins[bin] += 1
                scored = true
            }
        }
        guard scored || !reasons.isEmpty else { return }
        let source = batch.schema.source
        tally.withLock { tally in
            for (disposition, counts) in reasons {
                for (reason, rows) in counts { tally.reasons[source, default: [:]][disposition, default: [:]][reason, default: 0] += rows }
            }
            if scored { for bin in bins.indices { tally.histogram[bin] += bins[bin] } }
        }
    }
}
