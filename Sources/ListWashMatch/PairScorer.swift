#if canImport(Glibc)
import Glibc
#endif

/// Scores pairs under a model: each comparison's level weight, term-frequency adjustments for
/// exact agreement on rare or common values, and the prior, summed into a match weight.
final class PairScorer: @unchecked Sendable {
    let model: MatchModel
    let evaluator: ComparisonEvaluator
    /// weights[k * 16 + level]; level 0 (null) weighs 0.
    private let weights: UnsafeMutableBufferPointer<Double>
    /// For term-frequency comparison `k`: per record of the scored set, the adjustment applied
    /// when a pair agrees exactly (log2(u_exact / frequency of the value)), else empty.
    private let frequencyAdjustments: [UnsafeMutableBufferPointer<Float>]
    private let hasAdjustments: UnsafeMutableBufferPointer<Bool>
    private let comparisonCount: Int
    private let priorWeight: Double
    /// For each required comparison: its index and its "else" level.
    private let requirements: [(comparison: Int, elseLevel: UInt64)]
    /// Comparisons whose exact agreement lifts the requirements.
    private let sufficient: [Int]

    init(model: MatchModel, evaluator: ComparisonEvaluator, features: FeatureSet, frequencies: TermFrequencies? = nil) {
        self.model = model
        self.evaluator = evaluator
        comparisonCount = model.comparisons.count
        priorWeight = model.priorWeight
        weights = .allocate(capacity: max(comparisonCount, 1) * 16)
        weights.initialize(repeating: 0)
        hasAdjustments = .allocate(capacity: max(comparisonCount, 1))
        hasAdjustments.initialize(repeating: false)
        // A fuzzy level never weighs more than exact agreement (a level seldom seen among random
        // pairs would otherwise get an absurd weight from a tiny u).
        for (k, comparison) in model.comparisons.enumerated() {
            let exact = comparison.levels.first?.weight ?? 0
            for (index, level) in comparison.levels.enumerated() where index < 15 {
                weights[k * 16 + index + 1] = index == 0 ? level.weight : min(level.weight, exact)
            }
        }
        let table = frequencies ?? TermFrequencies(model: model, sets: [features])
        var adjustments: [UnsafeMutableBufferPointer<Float>] = []
        for (k, comparison) in model.comparisons.enumerated() {
            guard comparison.termFrequency, let column = features.column(comparison.column), let uExact = comparison.levels.first?.u else {
                adjustments.append(.allocate(capacity: 1))
                continue
            }
            let values = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(features.count, 1))
            for record in 0..<features.count {
                let frequency = table.frequency(k, hash: column.hash(record))
                // Rare values count for more, common ones for less, within bounds: even a rare
                // name alone must not outweigh disagreement everywhere else.
                values[record] = Float(min(max(log2(max(uExact, 1e-9) / max(frequency, 1e-9)), -5), 3))
            }
            adjustments.append(values)
            hasAdjustments[k] = true
        }
        frequencyAdjustments = adjustments
        sufficient = model.sufficient.compactMap { name in model.comparisons.firstIndex { $0.name == name } }
        requirements = model.required.compactMap { name in
            model.comparisons.firstIndex { $0.name == name }.map { ($0, UInt64(model.comparisons[$0].levels.count)) }
        }
    }

    deinit {
        weights.deallocate()
        hasAdjustments.deallocate()
        for values in frequencyAdjustments { values.deallocate() }
    }

    /// Whether a pair with `pattern` disagrees outright on a required comparison (and so can
    /// be neither a match nor a possible match).
    @inline(__always)
    func failsRequirement(_ pattern: UInt64) -> Bool {
        for requirement in requirements where (pattern >> UInt64(4 * requirement.comparison)) & 0xF == requirement.elseLevel {
            // Exact agreement on a sufficient comparison (the same email) lifts the requirement.
            for k in sufficient where (pattern >> UInt64(4 * k)) & 0xF == 1 { return false }
            return true
        }
        return false
    }

    /// The comparison-level pattern of a pair: 4 bits per comparison.
    @inline(__always)
    func pattern(_ left: FeatureStore, _ i: Int, _ right: FeatureStore, _ j: Int) -> UInt64 {
        var pattern: UInt64 = 0
        for k in 0..<comparisonCount {
            pattern |= UInt64(evaluator.level(k, left, i, right, j)) << UInt64(4 * k)
        }
        return pattern
    }

    /// The match weight of a pair with `pattern`, where `record` indexes the scored set (the
    /// one whose term frequencies apply).
    @inline(__always)
    func weight(pattern: UInt64, leftRecord record: Int) -> Double {
        var total = priorWeight
        for k in 0..<comparisonCount {
            let level = Int((pattern >> UInt64(4 * k)) & 0xF)
            total += weights[k * 16 + level]
            if level == 1, hasAdjustments[k] { total += Double(frequencyAdjustments[k][record]) }
        }
        return total
    }

    /// Each comparison's weight at `level`, for explanations.
    func levelWeight(_ k: Int, level: Int) -> Double { weights[k * 16 + level] }

    /// The term-frequency adjustment of comparison `k` for `record`, when it has one.
    func adjustment(_ k: Int, record: Int) -> Double? { hasAdjustments[k] ? Double(frequencyAdjustments[k][record]) : nil }
}

/// How often each value of a term-frequency comparison occurs, over one or more record sets.
struct TermFrequencies: Sendable {
    private var counts: [Int: [UInt64: Int]] = [:]
    private var totals: [Int: Int] = [:]

    init(model: MatchModel, sets: [FeatureSet]) {
        for (k, comparison) in model.comparisons.enumerated() where comparison.termFrequency {
            var table: [UInt64: Int] = [:]
            var total = 0
            for set in sets {
                guard let column = set.column(comparison.column) else { continue }
                for record in 0..<set.count {
                    let hash = column.hash(record)
                    if hash != 0 { table[hash, default: 0] += 1; total += 1 }
                }
            }
            counts[k] = table
            totals[k] = total
        }
    }

    /// The share of records holding the value with `hash` (at least one record's share).
    func frequency(_ k: Int, hash: UInt64) -> Double {
        let total = max(totals[k] ?? 1, 1)
        return Double(max(counts[k]?[hash] ?? 1, 1)) / Double(total)
    }
}
