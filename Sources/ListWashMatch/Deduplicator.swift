import ListWashCore
import Dispatch

/// What within-list deduplication found.
public struct DedupeResult: Sendable {
    /// Each record's cluster: the index of its cluster's first record.
    public var cluster: [Int]
    /// Each record's best match probability with another record of its cluster (0 for a
    /// cluster of one).
    public var score: [Double]
    /// Each record's best partner in its cluster, or -1.
    public var partner: [Int]
    /// Records with a possible match (in another cluster): the partner and the probability.
    public var possibleMatches: [Int: (partner: Int, probability: Double)]
    /// Blocking figures.
    public var blocking: BlockingStatistics
    /// The model after estimation (u from random pairs; m and prior by EM when training).
    public var model: MatchModel
    /// Pairs joined, and pairs a guard kept apart.
    public var joins = 0, guardedJoins = 0
}

/// Finds the records of one list that are the same person: blocking, Fellegi-Sunter scoring
/// (optionally with parameters estimated from the data), and guarded clustering.
///
/// ```swift
/// var features = FeatureSet(model: .leadList)
/// features.add(batch, names: NameNormalizer())
/// let result = Deduplicator(model: .leadList).run(features)
/// result.cluster   // records sharing a value are one person
/// ```
/// - Complexity: O(n) to block (radix sort per rule), plus O(pairs × comparisons) to score.
public struct Deduplicator: Sendable {
    /// The model to apply (its u values, and with `train` its m values, are re-estimated).
    public var model: MatchModel
    /// Threads for scoring.
    public var workers: Int
    /// Random pairs sampled to estimate u values.
    public var uSampleSize: Int

    /// A deduplicator for `model`.
    public init(model: MatchModel, workers: Int = ProcessorInfo.activeCores, uSampleSize: Int = 200_000) {
        self.model = model
        self.workers = max(1, workers)
        self.uSampleSize = uSampleSize
    }

    /// Estimates the model's parameters on `features` as configured, without clustering.
    public func estimate(_ features: FeatureSet) -> (model: MatchModel, pairs: [UInt64], patterns: [UInt64], blocking: BlockingStatistics) {
        var model = self.model
        let evaluator = ComparisonEvaluator(model: model, columns: features.columnNames)
        if model.estimateU {
            Training.estimateU(model: &model, features: features, evaluator: evaluator, sampleSize: uSampleSize)
        }
        let keys = BlockingKeys(model: model, features: features)
        let sortColumn = model.comparisons.first.flatMap { features.column($0.column) }
        let generator = PairGenerator(keys: keys, maxBlockSize: model.maxBlockSize, window: model.window, sortColumn: sortColumn)
        let (pairs, blocking) = generator.generate(ruleNames: model.blocking.map(\.description))
        let scorer = PairScorer(model: model, evaluator: evaluator, features: features)
        let patterns = parallelPatterns(pairs, scorer: scorer, features: features)
        if model.train {
            var counts: [UInt64: Int] = [:]
            for pattern in patterns { counts[pattern, default: 0] += 1 }
            Training.expectationMaximisation(model: &model, patterns: counts)
        }
        return (model, pairs, patterns, blocking)
    }

    /// Deduplicates `features`.
    public func run(_ features: FeatureSet) -> DedupeResult {
        let (model, pairs, patterns, blocking) = estimate(features)
        let evaluator = ComparisonEvaluator(model: model, columns: features.columnNames)
        let scorer = PairScorer(model: model, evaluator: evaluator, features: features)
        let n = features.count
        var scored: [(pair: UInt64, probability: Double)] = []
        for (index, pair) in pairs.enumerated() where !scorer.failsRequirement(patterns[index]) {
            let probability = MatchModel.probability(weight: scorer.weight(pattern: patterns[index], leftRecord: Int(pair >> 32)))
            if probability >= model.reviewThreshold { scored.append((pair, probability)) }
        }
        scored.sort { $0.probability != $1.probability ? $0.probability > $1.probability : $0.pair < $1.pair }
        var clustering = Clustering(count: n)
        var result = DedupeResult(cluster: [], score: [Double](repeating: 0, count: n), partner: [Int](repeating: -1, count: n),
                                  possibleMatches: [:], blocking: blocking, model: model)
        var possible: [(Int, Int, Double)] = []
        for (pair, probability) in scored {
            let i = Int(pair >> 32), j = Int(pair & 0xFFFF_FFFF)
            guard probability >= model.matchThreshold else {
                possible.append((i, j, probability))
                continue
            }
            let joined = clustering.join(i, j) { a, b in
                let pattern = scorer.pattern(features, a, features, b)
                return !scorer.failsRequirement(pattern) && MatchModel.probability(weight: scorer.weight(pattern: pattern, leftRecord: a)) >= model.reviewThreshold
            }
            if joined {
                result.joins += 1
                if probability > result.score[i] { result.score[i] = probability; result.partner[i] = j }
                if probability > result.score[j] { result.score[j] = probability; result.partner[j] = i }
            } else {
                result.guardedJoins += 1
                possible.append((i, j, probability))
            }
        }
        result.cluster = (0..<n).map { clustering.root($0) }
        for (i, j, probability) in possible where result.cluster[i] != result.cluster[j] {
            // The later record of the pair waits for a person.
            let (early, late) = (min(i, j), max(i, j))
            if (result.possibleMatches[late]?.probability ?? 0) < probability { result.possibleMatches[late] = (early, probability) }
        }
        return result
    }

    private func parallelPatterns(_ pairs: [UInt64], scorer: PairScorer, features: FeatureSet) -> [UInt64] {
        var patterns = [UInt64](repeating: 0, count: pairs.count)
        let chunks = max(1, min(workers * 8, pairs.count / 4096 + 1))
        let chunkSize = (pairs.count + chunks - 1) / chunks
        patterns.withUnsafeMutableBufferPointer { output in
            let out = UncheckedSendable(output)
            pairs.withUnsafeBufferPointer { input in
                let source = UncheckedSendable(input)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let start = chunk * chunkSize, end = min(pairs.count, start + chunkSize)
                    guard start < end else { return }
                    for index in start..<end {
                        let pair = source.value[index]
                        out.value[index] = scorer.pattern(features, Int(pair >> 32), features, Int(pair & 0xFFFF_FFFF))
                    }
                }
            }
        }
        return patterns
    }
}

/// Hands a value to concurrent code that only touches disjoint parts of it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
