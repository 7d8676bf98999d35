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
    /// For those records: the pair's key for a reviewer's answer (``ReviewDecisions``).
    public var reviewKeys: [Int: String] = [:]
    /// Blocking figures.
    public var blocking: BlockingStatistics
    /// The model after estimation (u from random pairs; m and prior by EM when training).
    public var model: MatchModel
    /// Pairs joined, and pairs a guard kept apart.
    public var joins = 0, guardedJoins = 0
    /// The largest cluster: its label (`C` and its first row's run-wide number), its records and
    /// their distinct email keys (many emails in one cluster is the sign of a chain of people).
    public var largestCluster: (label: String, records: Int, emails: Int)?
    /// How long each step took, in seconds.
    public var timings: [(step: String, seconds: Double)] = []
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
/// - Complexity: O(n) to block (a bucket sort by key per rule), plus O(pairs × comparisons) to score.
public struct Deduplicator: Sendable {
    /// The model to apply (its u values, and with `train` its m values, are re-estimated).
    public var model: MatchModel
    /// Threads for scoring.
    public var workers: Int
    /// Random pairs sampled to estimate u values.
    public var uSampleSize: Int
    /// A reviewer's earlier answers: pairs answered `same` are joined, `different` never.
    public var decisions = ReviewDecisions()

    /// A deduplicator for `model`.
    public init(model: MatchModel, workers: Int = ProcessorInfo.activeCores, uSampleSize: Int = 100_000) {
        self.model = model
        self.workers = max(1, workers)
        self.uSampleSize = uSampleSize
    }

    /// What estimation produced, for scoring.
    public struct Estimate {
        /// The model with estimated parameters.
        public var model: MatchModel
        /// Candidate pairs, packed `i << 32 | j`.
        public var pairs: [UInt64]
        /// Each pair's comparison-level pattern. When the model does not train, a pair that
        /// fails a requirement holds only the levels that decided so.
        public var patterns: [UInt64]
        /// Blocking figures.
        public var blocking: BlockingStatistics
        /// How long each step took.
        public var timings: [(step: String, seconds: Double)]
        let store: FeatureStore
        let evaluator: ComparisonEvaluator
        /// Scores pairs under the estimated model (its prior included).
        let scorer: PairScorer
    }

    /// Estimates the model's parameters on `features` as configured, without clustering.
    public func estimate(_ features: FeatureSet) -> Estimate {
        var timer = StepTimer()
        var model = self.model
        let evaluator = ComparisonEvaluator(model: model, columns: features.columnNames)
        let store = features.store(model: model)
        timer.mark("index")
        if model.estimateU {
            Training.estimateU(model: &model, features: store, evaluator: evaluator, sampleSize: uSampleSize)
        }
        timer.mark("u from random pairs")
        let keys = BlockingKeys(model: model, features: features, store: store)
        timer.mark("blocking keys")
        let sortColumn = model.comparisons.first.flatMap { features.column($0.column) }
        let generator = PairGenerator(keys: keys, maxBlockSize: model.maxBlockSize, window: model.window, sortColumn: sortColumn)
        let (pairs, blocking) = generator.generate(ruleNames: model.blocking.map(\.description))
        timer.mark("candidate pairs")
        // The pairs that share an identifier come first; m values may be learned from them.
        let learnsM = model.learnM && !model.train && features.count >= Self.minimumRecordsForPriorEM
        let identityRules = learnsM ? IdentityPairs.ruleCount(model) : 0
        let identityPairs = blocking.rules.prefix(identityRules).reduce(0) { $0 + $1.pairs }
        // Without EM, a pair that fails a requirement needs only the levels that decide so
        // (the pairs m values are learned from get every level).
        let patterns = parallelPatterns(pairs, evaluator: evaluator, features: store, requirements: model.train ? nil : Requirements(model: model),
                                        wholeUpTo: identityPairs)
        timer.mark("comparisons")
        if model.train {
            var counts: [UInt64: Int] = [:]
            for pattern in patterns { counts[pattern, default: 0] += 1 }
            let before = model
            Training.expectationMaximisation(model: &model, patterns: counts)
            // EM may learn another class than "same person" (on name blocks: "same name", or
            // colleagues): a comparison whose learned m values make no sense keeps the model's.
            Training.keepSensibleM(&model, else: before)
            // EM's prior is the share of matches among the candidate pairs, but the u values
            // describe random pairs: against them a candidate's agreement on its blocking keys
            // counts as evidence again, so two people who share a postcode and a street number
            // looked like one. The prior that goes with random-pair u values is that of a random
            // pair (the expected matches over all pairs of the list), as in Splink.
            let allPairs = Double(features.count) * Double(max(features.count - 1, 0)) / 2
            if allPairs > 0, !pairs.isEmpty {
                model.prior = min(model.prior, model.prior * Double(pairs.count) / allPairs)
            }
            timer.mark("EM")
        }
        let scorer = PairScorer(model: model, evaluator: evaluator, features: features)
        timer.mark("term frequencies")
        if model.priorFromData, !model.train {
            model.prior = dataPrior(model, pairs: pairs, patterns: patterns, scorer: scorer, records: features.count)
            scorer.setPrior(model.prior)
            timer.mark("prior")
        }
        if identityPairs > 0 {
            // m from the identity pairs, then the prior again under the new m (a second round
            // changed neither on the lists measured: see ARCHITECTURE.md).
            let comparisons = IdentityPairs.learnable(model, identityRules: identityRules)
            let learned = IdentityPairs.learnM(&model, comparisons: comparisons, pairs: pairs, patterns: patterns, count: identityPairs,
                                               scorer: scorer, workers: workers)
            if !learned.isEmpty {
                scorer.setM(from: model)
                if model.priorFromData {
                    model.prior = dataPrior(model, pairs: pairs, patterns: patterns, scorer: scorer, records: features.count)
                    scorer.setPrior(model.prior)
                }
            }
            timer.mark("m from identity pairs")
        }
        return Estimate(model: model, pairs: pairs, patterns: patterns, blocking: blocking, timings: timer.steps, store: store,
                        evaluator: evaluator, scorer: scorer)
    }

    /// Deduplicates `features`.
    public func run(_ features: FeatureSet) -> DedupeResult {
        run(features, estimate: estimate(features))
    }

    /// Clusters `features` with the parameters of `estimate` (made by ``estimate(_:)`` on the
    /// same records), which then also explains any of their pairs.
    public func run(_ features: FeatureSet, estimate: Estimate) -> DedupeResult {
        var timer = StepTimer()
        let (pairs, patterns, blocking, store) = (estimate.pairs, estimate.patterns, estimate.blocking, estimate.store)
        let (model, scorer) = (estimate.model, estimate.scorer)
        let n = features.count
        var scored = parallelScores(pairs, patterns: patterns, scorer: scorer, threshold: model.reviewThreshold)
        let columns = features.columnNames.count
        let fingerprints = decisions.isEmpty ? [] : (0..<n).map { ReviewDecisions.fingerprint(store, $0, columns: columns) }
        let answered = applyDecisions(to: &scored, fingerprints: fingerprints)
        timer.mark("scores")
        let clusters = cluster(scored, count: n, model: model, scorer: scorer, store: store, answered: answered, fingerprints: fingerprints)
        var result = DedupeResult(cluster: clusters.cluster, score: clusters.score, partner: clusters.partner,
                                  possibleMatches: Self.possibleMatches(clusters.possible, cluster: clusters.cluster), blocking: blocking, model: model)
        (result.joins, result.guardedJoins) = (clusters.joins, clusters.guardedJoins)
        result.largestCluster = Self.largest(result.cluster, features: features, model: model)
        timer.mark("clusters")
        result.timings = estimate.timings + timer.steps
        result.reviewKeys = Self.reviewKeys(result.possibleMatches, store: store, columns: columns, fingerprints: fingerprints)
        return result
    }

    /// The key of each possible match's pair for a reviewer's answer (``ReviewDecisions``), by
    /// the later record: from `fingerprints` when given, else from the records' values.
    static func reviewKeys(_ matches: [Int: (partner: Int, probability: Double)], store: FeatureStore, columns: Int,
                           fingerprints: [UInt64] = []) -> [Int: String] {
        var keys: [Int: String] = [:]
        for (late, match) in matches {
            func fingerprint(_ record: Int) -> UInt64 { fingerprints.isEmpty ? ReviewDecisions.fingerprint(store, record, columns: columns) : fingerprints[record] }
            keys[late] = ReviewDecisions.key(fingerprint(late), fingerprint(match.partner))
        }
        return keys
    }

    /// What clustering made of the scored pairs: each record's cluster (its root, the cluster's
    /// first record), best probability and partner in it, and the pairs at or above the review
    /// threshold that were not joined (below the match threshold, or kept apart by a guard).
    struct Clusters {
        var cluster: [Int], score: [Double], partner: [Int]
        var possible: [(Int, Int, Double)] = []
        var joins = 0, guardedJoins = 0
    }

    /// Joins the pairs of `scored` at or above the match threshold, in descending probability
    /// (ties by pair), into clusters of the `n` records of `store`: a pair across two clusters
    /// whose evidence says two people (a Bayes factor below 1), or that contradicts a match on
    /// one comparison, keeps them apart. A pair of `answered` (a reviewer said `same`) joins
    /// unless a cross pair was answered `different` (by `fingerprints`).
    func cluster(_ scored: [(pair: UInt64, probability: Double)], count n: Int, model: MatchModel, scorer: PairScorer, store: FeatureStore,
                 answered: Set<UInt64> = [], fingerprints: [UInt64] = []) -> Clusters {
        let scored = scored.sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.pair < $1.pair }
        var clustering = Clustering(count: n)
        var result = Clusters(cluster: [], score: [Double](repeating: 0, count: n), partner: [Int](repeating: -1, count: n))
        for (pair, probability) in scored {
            let i = Int(pair >> 32), j = Int(pair & 0xFFFF_FFFF)
            guard probability >= model.matchThreshold else {
                result.possible.append((i, j, probability))
                continue
            }
            let forced = answered.contains(pair)
            let joined = clustering.join(i, j) { a, b in
                if !fingerprints.isEmpty, decisions.answer(fingerprints[a], fingerprints[b]) == .different { return false }
                if forced { return true }
                let pattern = scorer.pattern(store, a, store, b)
                return !scorer.contradicts(pattern) && scorer.evidence(pattern: pattern, leftRecord: a) >= 0
            }
            if joined {
                result.joins += 1
                if probability > result.score[i] { result.score[i] = probability; result.partner[i] = j }
                if probability > result.score[j] { result.score[j] = probability; result.partner[j] = i }
            } else {
                result.guardedJoins += 1
                result.possible.append((i, j, probability))
            }
        }
        result.cluster = (0..<n).map { clustering.root($0) }
        return result
    }

    /// The possible matches among `possible` (pairs not joined, in descending probability):
    /// for each pair across two clusters of `cluster`, the later record waits for a person; it
    /// keeps its most probable partner (the first one listed on a tie).
    static func possibleMatches(_ possible: [(Int, Int, Double)], cluster: [Int]) -> [Int: (partner: Int, probability: Double)] {
        var matches: [Int: (partner: Int, probability: Double)] = [:]
        for (i, j, probability) in possible where cluster[i] != cluster[j] {
            let (early, late) = (min(i, j), max(i, j))
            if (matches[late]?.probability ?? 0) < probability { matches[late] = (early, probability) }
        }
        return matches
    }

    /// Applies a reviewer's answers to the scored pairs: drops the pairs answered `different`,
    /// and gives every pair of records answered `same` (scored or not) probability 1. Returns
    /// those pairs.
    private func applyDecisions(to scored: inout [(pair: UInt64, probability: Double)], fingerprints: [UInt64]) -> Set<UInt64> {
        guard !fingerprints.isEmpty else { return [] }
        scored.removeAll { decisions.answer(fingerprints[Int($0.pair >> 32)], fingerprints[Int($0.pair & 0xFFFF_FFFF)]) != nil }
        let wanted = decisions.sameRows
        var records: [UInt64: [Int]] = [:]
        for (record, fingerprint) in fingerprints.enumerated() where wanted.contains(fingerprint) { records[fingerprint, default: []].append(record) }
        var forced = Set<UInt64>()
        for (a, b) in decisions.samePairs {
            for x in records[a] ?? [] {
                for y in records[b] ?? [] where x != y {
                    forced.insert(UInt64(min(x, y)) << 32 | UInt64(max(x, y)))
                }
            }
        }
        scored += forced.map { ($0, 1.0) }
        return forced
    }

    /// The largest cluster of `cluster` (each record's root) with its distinct email keys (the
    /// model's first email comparison's column), or `nil` when no cluster has two records.
    static func largest(_ cluster: [Int], features: FeatureSet, model: MatchModel) -> (label: String, records: Int, emails: Int)? {
        var sizes = [Int32](repeating: 0, count: cluster.count)
        for root in cluster { sizes[root] += 1 }
        guard let root = sizes.indices.max(by: { sizes[$0] < sizes[$1] }), sizes[root] > 1 else { return nil }
        let email = model.comparisons.first { $0.method == .email }.flatMap { features.column($0.column) }
        var emails = Set<UInt64>()
        if let email { for record in cluster.indices where cluster[record] == root && email.hash(record) != 0 { emails.insert(email.hash(record)) } }
        return (ClusterLabel.withBytes(features.sequences[root]) { String(decoding: $0, as: UTF8.self) }, Int(sizes[root]), emails.count)
    }

    /// The fewest records whose prior is worked out by EM (smaller lists take
    /// ``MatchModel/expectedPartners``).
    public static let minimumRecordsForPriorEM = 2_000

    /// The prior of a random pair of `records` records: by EM over the candidate pairs'
    /// evidence (see ``Training/randomPairPrior(_:prior:population:)``) on lists of at least
    /// ``minimumRecordsForPriorEM`` records, kept between 0.01 and 2 expected partners a record;
    /// on smaller lists from the model's expected partners.
    private func dataPrior(_ model: MatchModel, pairs: [UInt64], patterns: [UInt64], scorer: PairScorer, records: Int) -> Double {
        let start = model.prior(amongOthers: records - 1)
        guard records >= Self.minimumRecordsForPriorEM, !pairs.isEmpty else { return start }
        let chunks = max(1, min(workers * 4, pairs.count / 65536 + 1))
        let chunkSize = (pairs.count + chunks - 1) / chunks
        var parts = [EvidenceHistogram](repeating: EvidenceHistogram(), count: chunks)
        parts.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var histogram = EvidenceHistogram()
                for index in (chunk * chunkSize)..<min(pairs.count, (chunk + 1) * chunkSize) {
                    let pattern = patterns[index]
                    histogram.add(scorer.failsRequirement(pattern) ? -.infinity : scorer.evidence(pattern: pattern, leftRecord: Int(pairs[index] >> 32)))
                }
                out.value[chunk] = histogram
            }
        }
        var evidence = EvidenceHistogram()
        for part in parts { evidence.add(part) }
        let population = Double(records) * Double(records - 1) / 2
        let prior = Training.randomPairPrior(evidence, prior: start, population: population)
        let others = Double(records - 1)
        return min(max(prior, 0.01 / others), 2 / others)
    }

    /// The pairs at or above `threshold` with their match probabilities, in pair order,
    /// scored on all cores.
    func parallelScores(_ pairs: [UInt64], patterns: [UInt64], scorer: PairScorer, threshold: Double) -> [(pair: UInt64, probability: Double)] {
        let chunks = max(1, min(workers * 4, pairs.count / 65536 + 1))
        let chunkSize = (pairs.count + chunks - 1) / chunks
        var parts = [[(pair: UInt64, probability: Double)]](repeating: [], count: chunks)
        parts.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var part: [(pair: UInt64, probability: Double)] = []
                for index in (chunk * chunkSize)..<min(pairs.count, (chunk + 1) * chunkSize) where !scorer.failsRequirement(patterns[index]) {
                    let probability = MatchModel.probability(weight: scorer.weight(pattern: patterns[index], leftRecord: Int(pairs[index] >> 32)))
                    if probability >= threshold { part.append((pairs[index], probability)) }
                }
                out.value[chunk] = part
            }
        }
        return Array(parts.joined())
    }

    func parallelPatterns(_ pairs: [UInt64], evaluator: ComparisonEvaluator, features: FeatureStore, requirements: Requirements?,
                                  wholeUpTo whole: Int = 0) -> [UInt64] {
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
                        // The records of pairs a little ahead are scattered: start loading them.
                        if index + 16 < end { features.prefetchStart(Int(source.value[index + 16] & 0xFFFF_FFFF)) }
                        if index + 8 < end {
                            let ahead = source.value[index + 8]
                            features.prefetch(Int(ahead >> 32))
                            features.prefetch(Int(ahead & 0xFFFF_FFFF))
                        }
                        let pair = source.value[index]
                        let i = Int(pair >> 32), j = Int(pair & 0xFFFF_FFFF)
                        out.value[index] = evaluator.pattern(features, i, features, j, stoppingAt: index < whole ? nil : requirements)
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

/// Measures the steps of a long computation.
struct StepTimer {
    private let clock = ContinuousClock()
    private var last: ContinuousClock.Instant
    private(set) var steps: [(step: String, seconds: Double)] = []

    init() { last = clock.now }

    mutating func mark(_ step: String) {
        let now = clock.now
        let elapsed = now - last
        steps.append((step, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        last = now
    }
}
