#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Scores pairs under a model: each comparison's level weight, term-frequency adjustments for
/// exact agreement on rare or common values, and the prior, summed into a match weight.
final class PairScorer: @unchecked Sendable {
    private(set) var model: MatchModel
    let evaluator: ComparisonEvaluator
    /// weights[k * 16 + level]; level 0 (null) weighs 0.
    private let weights: UnsafeMutableBufferPointer<Double>
    /// For a term-frequency or shared-values comparison `k`: per record of the scored set, the
    /// adjustment applied when a pair agrees exactly (log2(u_exact / frequency of the value)), or
    /// `nan` for a shared value (it takes the exact level's whole weight back); else empty.
    private let frequencyAdjustments: [UnsafeMutableBufferPointer<Float>]
    private let hasAdjustments: UnsafeMutableBufferPointer<Bool>
    private let comparisonCount: Int
    /// The prior's weight (see ``setPrior(_:)``).
    private(set) var priorWeight: Double
    /// The required and sufficient comparisons.
    let requirements: Requirements
    /// Values of identifying comparisons that several people give (they weigh nothing).
    let sharedValues: SharedValues
    /// Per comparison, its highest level weight (at least 0, the null level's), before
    /// term-frequency adjustments: what the rest of a pair cut short could still add.
    private let highestWeights: UnsafeMutableBufferPointer<Double>
    /// The comparisons, cheapest first (see ``pattern(_:_:_:_:atLeast:adjustedFor:)``).
    private let evaluationOrder: [Int]
    /// Per comparison, its group's number (see ``Comparison/group``), or -1.
    private let groups: UnsafeMutableBufferPointer<Int8>
    /// Whether any comparison is in a group.
    private let hasGroups: Bool
    /// Whether any level contradicts a match (see ``contradiction``).
    private var hasContradictions: Bool
    /// Bit `k` set for each required comparison, and for each sufficient one.
    private let requirementMask: UInt64, sufficientMask: UInt64

    init(model: MatchModel, evaluator: ComparisonEvaluator, features: FeatureSet, frequencies: TermFrequencies? = nil, shared known: SharedValues? = nil) {
        self.model = model
        self.evaluator = evaluator
        comparisonCount = model.comparisons.count
        priorWeight = model.priorWeight
        weights = .allocate(capacity: max(comparisonCount, 1) * 16)
        weights.initialize(repeating: 0)
        hasAdjustments = .allocate(capacity: max(comparisonCount, 1))
        hasAdjustments.initialize(repeating: false)
        Self.fill(weights, from: model)
        let table = frequencies ?? TermFrequencies(model: model, sets: [features])
        let shared = known ?? SharedValues(model: model, features: features)
        sharedValues = shared
        var adjustments: [UnsafeMutableBufferPointer<Float>] = []
        var tasks: [Int] = []
        for (k, comparison) in model.comparisons.enumerated() {
            let applies = (comparison.termFrequency || comparison.sharedValues == true) && features.column(comparison.column) != nil && comparison.levels.first != nil
            adjustments.append(.allocate(capacity: applies ? max(features.count, 1) : 1))
            hasAdjustments[k] = applies
            if applies { tasks.append(k) }
        }
        // One comparison per core.
        let outputs = UncheckedSendable(adjustments), applying = tasks
        DispatchQueue.concurrentPerform(iterations: applying.count) { task in
            let k = applying[task], comparison = model.comparisons[k], values = outputs.value[k]
            guard let column = features.column(comparison.column), let uExact = comparison.levels.first?.u else { return }
            for record in 0..<features.count {
                if shared.isShared(k, record: record) {
                    // A value several people give identifies no one: agreeing on it weighs nothing
                    // (`Float.nan` stands for "minus the exact level's weight", whatever m is).
                    values[record] = .nan
                } else if comparison.termFrequency {
                    let frequency = table.frequency(k, hash: column.hash(record))
                    // Rare values count for more, common ones for less, within bounds: even a rare
                    // name alone must not outweigh disagreement everywhere else.
                    values[record] = Float(min(max(log2(max(uExact, 1e-9) / max(frequency, 1e-9)), -8), 8))
                } else {
                    values[record] = 0
                }
            }
        }
        frequencyAdjustments = adjustments
        requirements = Requirements(model: model)
        groups = .allocate(capacity: max(comparisonCount, 1))
        let names = Array(Set(model.comparisons.compactMap(\.group))).sorted()
        for (k, comparison) in model.comparisons.enumerated() { groups[k] = Int8(comparison.group.flatMap { names.firstIndex(of: $0) }.map { min($0, 7) } ?? -1) }
        hasGroups = !names.isEmpty
        hasContradictions = Self.anyContradiction(weights)
        highestWeights = .allocate(capacity: max(comparisonCount, 1))
        Self.fillHighest(highestWeights, weights: weights, count: comparisonCount)
        evaluationOrder = evaluator.cheapestFirst
        requirementMask = requirements.required.reduce(0) { $0 | 1 << UInt64($1.comparison) }
        sufficientMask = requirements.sufficient.reduce(0) { $0 | 1 << UInt64($1) }
    }

    /// The level weights of `model`: a fuzzy level never weighs more than exact agreement (a
    /// level seldom seen among random pairs would otherwise get an absurd weight from a tiny u).
    private static func fill(_ weights: UnsafeMutableBufferPointer<Double>, from model: MatchModel) {
        for (k, comparison) in model.comparisons.enumerated() {
            let exact = comparison.levels.first?.weight ?? 0
            for (index, level) in comparison.levels.enumerated() where index < 15 {
                weights[k * 16 + index + 1] = index == 0 ? level.weight : min(level.weight, exact)
            }
        }
    }

    /// Per comparison, its highest level weight (at least 0).
    private static func fillHighest(_ highest: UnsafeMutableBufferPointer<Double>, weights: UnsafeMutableBufferPointer<Double>, count: Int) {
        for k in 0..<count { highest[k] = (1..<16).reduce(0) { max($0, weights[k * 16 + $1]) } }
    }

    /// Whether some level of `weights` contradicts a match (see ``contradiction``).
    private static func anyContradiction(_ weights: UnsafeMutableBufferPointer<Double>) -> Bool {
        weights.contains { $0 <= contradiction }
    }

    /// Scores with the m values (and prior) of `model` from now on: a model of the same
    /// comparisons whose m values were learned (see ``Training/learnM(_:)``).
    func setM(from model: MatchModel) {
        self.model = model
        Self.fill(weights, from: model)
        Self.fillHighest(highestWeights, weights: weights, count: comparisonCount)
        hasContradictions = Self.anyContradiction(weights)
        setPrior(model.prior)
    }

    /// Scores with `prior` from now on (a run that works its prior out from its candidate
    /// pairs' evidence sets it before it scores).
    func setPrior(_ prior: Double) {
        priorWeight = log2(prior / (1 - prior))
    }

    /// The evidence of a pair with `pattern`: its weight without the prior (the log2 Bayes
    /// factor), with `record`'s term-frequency adjustments.
    @inline(__always)
    func evidence(pattern: UInt64, leftRecord record: Int) -> Double {
        weight(pattern: pattern, leftRecord: record) - priorWeight
    }

    deinit {
        groups.deallocate()
        highestWeights.deallocate()
        weights.deallocate()
        hasAdjustments.deallocate()
        for values in frequencyAdjustments { values.deallocate() }
    }

    /// Whether a pair with `pattern` disagrees outright on a required comparison, or reaches a
    /// level that contradicts a match (see ``contradicts(_:)``), and so can be neither a match nor
    /// a possible match.
    @inline(__always)
    func failsRequirement(_ pattern: UInt64) -> Bool {
        requirements.fails(pattern) || (hasContradictions && contradicts(pattern))
    }

    /// The comparison-level pattern of a pair: 4 bits per comparison. With `stopsEarly`, a pair
    /// that fails a requirement gets only the levels that decided so.
    @inline(__always)
    func pattern(_ left: FeatureStore, _ i: Int, _ right: FeatureStore, _ j: Int, stopsEarly: Bool = false) -> UInt64 {
        evaluator.pattern(left, i, right, j, stoppingAt: stopsEarly ? requirements : nil)
    }

    /// The match weight of a pair with `pattern`, where `record` indexes the scored set (the
    /// one whose term frequencies apply).
    @inline(__always)
    func weight(pattern: UInt64, leftRecord record: Int) -> Double {
        var total = priorWeight
        // Per group, the strongest agreement and the strongest disagreement (up to 8 groups).
        var strongest: (Double, Double, Double, Double, Double, Double, Double, Double) = (0, 0, 0, 0, 0, 0, 0, 0)
        var weakest: (Double, Double, Double, Double, Double, Double, Double, Double) = (0, 0, 0, 0, 0, 0, 0, 0)
        for k in 0..<comparisonCount {
            let level = Int((pattern >> UInt64(4 * k)) & 0xF)
            var weight = weights[k * 16 + level]
            if level == 1, hasAdjustments[k] { weight += adjustment(k, record: record, exact: weight) }
            let group = hasGroups ? Int(groups[k]) : -1
            if group < 0 {
                total += weight
            } else if weight > 0 {
                withUnsafeMutableBytes(of: &strongest) { bytes in
                    if weight > bytes.load(fromByteOffset: group * 8, as: Double.self) { bytes.storeBytes(of: weight, toByteOffset: group * 8, as: Double.self) }
                }
            } else {
                withUnsafeMutableBytes(of: &weakest) { bytes in
                    if weight < bytes.load(fromByteOffset: group * 8, as: Double.self) { bytes.storeBytes(of: weight, toByteOffset: group * 8, as: Double.self) }
                }
            }
        }
        if hasGroups {
            total += strongest.0 + strongest.1 + strongest.2 + strongest.3 + strongest.4 + strongest.5 + strongest.6 + strongest.7
            total += weakest.0 + weakest.1 + weakest.2 + weakest.3 + weakest.4 + weakest.5 + weakest.6 + weakest.7
        }
        return total
    }

    /// The weight at or below which one comparison's level contradicts a match outright (another
    /// mailbox at one employer, another extension of one number, another generation).
    static let contradiction = -9.0

    /// Whether some comparison of a pair with `pattern` reaches a level that contradicts a
    /// match (see ``contradiction``).
    func contradicts(_ pattern: UInt64) -> Bool {
        for k in 0..<comparisonCount where weights[k * 16 + Int((pattern >> UInt64(4 * k)) & 0xF)] <= Self.contradiction { return true }
        return false
    }

    /// How much less than the sum of its levels' weights a pair with `pattern` weighs because
    /// agreements in one group count once (see ``Comparison/group``); 0 for most pairs.
    func groupDiscount(pattern: UInt64, leftRecord record: Int) -> Double {
        var sum = priorWeight
        for k in 0..<comparisonCount {
            let level = Int((pattern >> UInt64(4 * k)) & 0xF)
            sum += levelWeight(k, level: level, record: record)
        }
        return weight(pattern: pattern, leftRecord: record) - sum
    }

    /// The comparison-level pattern of records `i` of `left` and `j` of `right`, cut short when
    /// the pair cannot be kept: when it fails a requirement, or when even the highest levels of
    /// the comparisons left could not lift its weight (with `record`'s term frequencies) to
    /// `cutoff`. The comparisons go cheapest first. `kept` says whether the pair was neither;
    /// a pair that was cut gets the levels found so far, which weigh less than `cutoff` or
    /// fail a requirement.
    @inline(__always)
    func pattern(_ left: FeatureStore, _ i: Int, _ right: FeatureStore, _ j: Int, atLeast cutoff: Double,
                 adjustedFor record: Int) -> (pattern: UInt64, kept: Bool) {
        var pattern: UInt64 = 0, done: UInt64 = 0
        // The highest weight the pair can still reach: the levels found, the best of the rest.
        var reachable = priorWeight
        for k in 0..<comparisonCount { reachable += highestWeight(k, record: record) }
        for k in evaluationOrder {
            if reachable < cutoff { return (pattern, false) }
            let level = evaluator.level(k, left, i, right, j)
            pattern |= UInt64(level) << UInt64(4 * k)
            done |= 1 << UInt64(k)
            // In a group only the weakest disagreement counts (see `weight(pattern:leftRecord:)`):
            // a grouped comparison's disagreement lowers the bound by nothing.
            let weight = levelWeight(k, level: level, record: record)
            reachable += (hasGroups && groups[k] >= 0 ? max(weight, 0) : weight) - highestWeight(k, record: record)
            // Once the sufficient comparisons are known, a required one that disagrees decides.
            if requirementMask & (1 << UInt64(k)) != 0, done & sufficientMask == sufficientMask, requirements.fails(pattern) {
                return (pattern, false)
            }
        }
        // A sufficient comparison may come after the required ones: the verdict is the whole pattern's.
        return (pattern, reachable >= cutoff && !failsRequirement(pattern))
    }

    /// The match weight of records `i` of `left` and `j` of `right` (the scored set, whose term
    /// frequencies apply), or `nil` when the pair fails a requirement or cannot reach `cutoff`
    /// (see ``pattern(_:_:_:_:atLeast:adjustedFor:)``). A weight that is returned is exactly
    /// ``weight(pattern:leftRecord:)`` of the whole pattern.
    func weight(_ left: FeatureStore, _ i: Int, _ right: FeatureStore, _ j: Int, atLeast cutoff: Double) -> Double? {
        let (pattern, kept) = pattern(left, i, right, j, atLeast: cutoff, adjustedFor: j)
        return kept ? weight(pattern: pattern, leftRecord: j) : nil
    }

    /// Comparison `k`'s weight at `level` for `record`, with its term-frequency adjustment.
    @inline(__always)
    func levelWeight(_ k: Int, level: Int, record: Int) -> Double {
        let weight = weights[k * 16 + level]
        return level == 1 && hasAdjustments[k] ? weight + adjustment(k, record: record, exact: weight) : weight
    }

    /// The highest weight comparison `k` can give `record`.
    @inline(__always)
    private func highestWeight(_ k: Int, record: Int) -> Double {
        hasAdjustments[k] ? max(highestWeights[k], levelWeight(k, level: 1, record: record)) : highestWeights[k]
    }

    /// Each comparison's weight at `level`, for explanations.
    func levelWeight(_ k: Int, level: Int) -> Double { weights[k * 16 + level] }

    /// How many distinct names give `record`'s value of comparison `k`, when that makes it a
    /// shared value (one that weighs nothing); `nil` otherwise.
    func sharedBy(_ k: Int, record: Int) -> Int? {
        sharedValues.isShared(k, record: record) ? sharedValues.names(k, record: record) : nil
    }

    /// The term-frequency adjustment of comparison `k` for `record`, when it has one.
    func adjustment(_ k: Int, record: Int) -> Double? { hasAdjustments[k] ? adjustment(k, record: record, exact: weights[k * 16 + 1]) : nil }

    /// Comparison `k`'s adjustment of exact agreement for `record`, whose exact level weighs `exact`.
    @inline(__always)
    private func adjustment(_ k: Int, record: Int, exact: Double) -> Double {
        let value = frequencyAdjustments[k][record]
        return value.isNaN ? -exact : Double(value)
    }
}

/// A model's required comparisons (see ``MatchModel/required``) and the sufficient ones that
/// lift them: a pair at the "else" level of a required comparison can be no match, unless it
/// agrees exactly on a sufficient one.
struct Requirements: Sendable {
    /// For each required comparison: its index and its "else" level.
    let required: [(comparison: Int, elseLevel: UInt64)]
    /// Comparisons whose exact agreement lifts the requirements.
    let sufficient: [Int]

    init(model: MatchModel) {
        sufficient = model.sufficient.compactMap { name in model.comparisons.firstIndex { $0.name == name } }
        required = model.required.compactMap { name in
            model.comparisons.firstIndex { $0.name == name }.map { ($0, UInt64(model.comparisons[$0].levels.count)) }
        }
    }

    /// Whether some required comparison is at its "else" level in `pattern`.
    @inline(__always)
    func anyRequiredDisagrees(_ pattern: UInt64) -> Bool {
        for requirement in required where (pattern >> UInt64(4 * requirement.comparison)) & 0xF == requirement.elseLevel { return true }
        return false
    }

    /// Whether a pair with `pattern` fails: a required comparison disagrees outright and no
    /// sufficient comparison agrees exactly.
    @inline(__always)
    func fails(_ pattern: UInt64) -> Bool {
        guard anyRequiredDisagrees(pattern) else { return false }
        for k in sufficient where (pattern >> UInt64(4 * k)) & 0xF == 1 { return false }
        return true
    }
}

/// How often each value of a term-frequency comparison occurs, over one or more record sets.
struct TermFrequencies: Sendable {
    /// Per comparison (by index), its values' counts (empty when it has none), and how many
    /// values were counted (0 when none).
    private var counts: [HashedKeyMap<Int>] = []
    private var totals: [Int] = []

    /// Counts the values of every term-frequency comparison, one comparison per core.
    init(model: MatchModel, sets: [FeatureSet]) {
        let comparisons = model.comparisons.indices.filter { model.comparisons[$0].termFrequency }
        var tables = [(table: HashedKeyMap<Int>, total: Int)?](repeating: nil, count: comparisons.count)
        tables.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: comparisons.count) { index in
                let column = model.comparisons[comparisons[index]].column
                var table = HashedKeyMap<Int>(capacity: sets.reduce(0) { $0 + $1.count } / 4, filler: 0)
                var total = 0
                for set in sets {
                    guard let column = set.column(column) else { continue }
                    for record in 0..<set.count {
                        let hash = column.hash(record)
                        if hash != 0 { table.update(hash, initial: 0) { $0 += 1 }; total += 1 }
                    }
                }
                out.value[index] = (table, total)
            }
        }
        counts = Array(repeating: HashedKeyMap(filler: 0), count: model.comparisons.count)
        totals = Array(repeating: 0, count: model.comparisons.count)
        for (index, k) in comparisons.enumerated() {
            guard let (table, total) = tables[index] else { continue }
            counts[k] = table
            totals[k] = total
        }
    }

    /// Counts kept from another run over the same list (see ``ListStatistics``): per
    /// comparison, its values' counts by hash and how many values were counted.
    init(counts: [[UInt64: Int]], totals: [Int]) {
        self.counts = counts.map { table in
            var map = HashedKeyMap<Int>(capacity: table.count, filler: 0)
            for (hash, count) in table where hash != 0 { map.set(hash, count) }
            return map
        }
        self.totals = totals
    }

    /// Comparison `k`'s counts by value hash (empty when it has none).
    func counts(_ k: Int) -> [UInt64: Int] {
        var table: [UInt64: Int] = [:]
        if k < counts.count { counts[k].forEach { table[$0] = $1 } }
        return table
    }

    /// How many values of comparison `k` were counted.
    func total(_ k: Int) -> Int { k < totals.count ? totals[k] : 0 }

    /// The share of records holding the value with `hash` (at least one record's share).
    func frequency(_ k: Int, hash: UInt64) -> Double {
        guard k < totals.count, totals[k] > 0 else { return 1 }
        return Double(max(hash == 0 ? 1 : counts[k][hash] ?? 1, 1)) / Double(totals[k])
    }
}
