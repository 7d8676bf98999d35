#if canImport(Glibc)
import Glibc
#endif

/// Scores pairs under a model: each comparison's level weight, term-frequency adjustments for
/// exact agreement on rare or common values, and the prior, summed into a match weight.
struct PairScorer: Sendable {
    let model: MatchModel
    let evaluator: ComparisonEvaluator
    /// weights[k][level]; level 0 (null) weighs 0.
    let weights: [[Double]]
    /// For term-frequency comparisons: per record of the left set, the adjustment applied when
    /// the pair agrees exactly (log2(u_exact / frequency of the value)).
    let frequencyAdjustments: [Int: [Float]]

    init(model: MatchModel, evaluator: ComparisonEvaluator, features: FeatureSet, frequencies: TermFrequencies? = nil) {
        self.model = model
        self.evaluator = evaluator
        // A fuzzy level never weighs more than exact agreement (a level seldom seen among random
        // pairs would otherwise get an absurd weight from a tiny u).
        weights = model.comparisons.map { comparison in
            let exact = comparison.levels.first?.weight ?? 0
            return [0] + comparison.levels.enumerated().map { index, level in index == 0 ? level.weight : min(level.weight, exact) }
        }
        var adjustments: [Int: [Float]] = [:]
        let table = frequencies ?? TermFrequencies(model: model, sets: [features])
        for (k, comparison) in model.comparisons.enumerated() where comparison.termFrequency {
            guard let column = features.column(comparison.column), let uExact = comparison.levels.first?.u else { continue }
            adjustments[k] = (0..<features.count).map { record in
                let frequency = table.frequency(k, hash: column.hash(record))
                // Rare values count for more, common ones for less, within bounds: even a rare
                // name alone must not outweigh disagreement everywhere else.
                return Float(min(max(log2(max(uExact, 1e-9) / max(frequency, 1e-9)), -5), 3))
            }
        }
        frequencyAdjustments = adjustments
        sufficient = model.sufficient.compactMap { name in model.comparisons.firstIndex { $0.name == name } }
        requirements = model.required.compactMap { name in
            model.comparisons.firstIndex { $0.name == name }.map { ($0, UInt64(model.comparisons[$0].levels.count)) }
        }
    }

    /// For each required comparison: its index and its "else" level.
    let requirements: [(comparison: Int, elseLevel: UInt64)]

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

    /// Comparisons whose exact agreement lifts the requirements.
    let sufficient: [Int]

    /// The comparison-level pattern of a pair: 4 bits per comparison.
    @inline(__always)
    func pattern(_ left: FeatureSet, _ i: Int, _ right: FeatureSet, _ j: Int) -> UInt64 {
        var pattern: UInt64 = 0
        for k in evaluator.compiled.indices {
            pattern |= UInt64(evaluator.level(k, left, i, right, j)) << UInt64(4 * k)
        }
        return pattern
    }

    /// The match weight of a pair with `pattern`, where `i` indexes the left set.
    @inline(__always)
    func weight(pattern: UInt64, leftRecord i: Int) -> Double {
        var total = model.priorWeight
        for k in weights.indices {
            let level = Int((pattern >> UInt64(4 * k)) & 0xF)
            total += weights[k][level]
            if level == 1, let adjustments = frequencyAdjustments[k] { total += Double(adjustments[i]) }
        }
        return total
    }
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
