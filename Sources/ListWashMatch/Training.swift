#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import ListWashCore

/// Estimates a model's parameters from the data itself, without labelled pairs, as Splink does:
/// u values from random pairs (almost all of which are different people), then m values and
/// the prior by expectation maximisation over the candidate pairs' comparison patterns.
enum Training {
    /// Level frequencies among `sampleSize` random pairs of `features`, as u values.
    ///
    /// - Complexity: O(sampleSize × comparisons).
    static func estimateU(model: inout MatchModel, features: FeatureStore, evaluator: ComparisonEvaluator, sampleSize: Int, seed: UInt64 = 1) {
        let n = features.count
        guard n >= MatchModel.minimumRecordsForU else { return }
        let comparisons = model.comparisons
        let allPairs = n * (n - 1) / 2
        let exhaustive = allPairs <= sampleSize
        // Each worker tallies its share of the pairs; the tallies are added up afterwards.
        let workers = max(1, min(ProcessorInfo.activeCores, (exhaustive ? n : sampleSize) / 1000 + 1))
        let tallies = Tallies(workers: workers, comparisons: comparisons.map { $0.levels.count + 1 })
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var counts = comparisons.map { [Int](repeating: 0, count: $0.levels.count + 1) }
            func tally(_ i: Int, _ j: Int) {
                for k in comparisons.indices { counts[k][evaluator.level(k, features, i, features, j)] += 1 }
            }
            if exhaustive {
                for i in stride(from: worker, to: n, by: workers) { for j in (i + 1)..<n { tally(i, j) } }
            } else {
                var random = SeededRandom(seed: seed &+ UInt64(worker) &* 0x9E37_79B9)
                // The pairs are drawn 64 at a time and their records' loads all started before
                // any is compared, so the cache misses of random records overlap.
                var remaining = sampleSize / workers
                withUnsafeTemporaryAllocation(of: (Int, Int).self, capacity: 64) { pairs in
                    while remaining > 0 {
                        let count = min(64, remaining)
                        for index in 0..<count {
                            let i = Int(random.next() % UInt64(n))
                            var j = Int(random.next() % UInt64(n - 1))
                            if j >= i { j += 1 }
                            pairs[index] = (i, j)
                            features.prefetchStart(i)
                            features.prefetchStart(j)
                        }
                        for index in 0..<count {
                            features.prefetch(pairs[index].0)
                            features.prefetch(pairs[index].1)
                        }
                        for index in 0..<count { tally(pairs[index].0, pairs[index].1) }
                        remaining -= count
                    }
                }
            }
            tallies.store(counts, worker: worker)
        }
        let counts = tallies.total
        for k in model.comparisons.indices {
            let nonNull = counts[k].dropFirst().reduce(0, +)
            guard nonNull > 0 else { continue }
            let floor = 0.5 / Double(nonNull)
            for level in model.comparisons[k].levels.indices where model.comparisons[k].levels[level].fixedU != true {
                model.comparisons[k].levels[level].u = max(Double(counts[k][level + 1]) / Double(nonNull), floor)
            }
        }
    }

    /// Per-worker level counts, added up at the end.
    private final class Tallies: @unchecked Sendable {
        private var perWorker: [[[Int]]]
        private let lock = Lock()

        init(workers: Int, comparisons: [Int]) {
            perWorker = Array(repeating: comparisons.map { [Int](repeating: 0, count: $0) }, count: workers)
        }

        func store(_ counts: [[Int]], worker: Int) {
            lock.withLock { perWorker[worker] = counts }
        }

        var total: [[Int]] {
            var sum = perWorker[0].map { $0.map { _ in 0 } }
            for counts in perWorker {
                for k in counts.indices { for level in counts[k].indices { sum[k][level] += counts[k][level] } }
            }
            return sum
        }
    }

    /// Estimates m values and the prior by EM over pattern counts (u values held fixed).
    ///
    /// - Parameter patterns: how many candidate pairs showed each comparison-level pattern
    ///   (4 bits per comparison).
    /// - Returns: the number of iterations run.
    @discardableResult
    static func expectationMaximisation(model: inout MatchModel, patterns: [UInt64: Int], iterations: Int = 40) -> Int {
        let comparisons = model.comparisons.count
        guard !patterns.isEmpty else { return 0 }
        let entries: [(levels: [Int], count: Double)] = patterns.map { pattern, count in
            let levels = (0..<comparisons).map { k in Int((pattern >> UInt64(4 * k)) & 0xF) }
            return (levels, Double(count))
        }
        var lambda = min(max(model.prior, 0.01), 0.5)
        for iteration in 1...iterations {
            var matchMass = 0.0
            var levelMass = model.comparisons.map { [Double](repeating: 0, count: $0.levels.count + 1) }
            for entry in entries {
                var m = lambda, u = 1 - lambda
                for k in 0..<comparisons where entry.levels[k] > 0 {
                    let level = model.comparisons[k].levels[entry.levels[k] - 1]
                    m *= level.m
                    u *= level.u
                }
                let probability = m / max(m + u, 1e-300)
                let mass = probability * entry.count
                matchMass += mass
                for k in 0..<comparisons { levelMass[k][entry.levels[k]] += mass }
            }
            let total = entries.reduce(0) { $0 + $1.count }
            var change = abs(matchMass / total - lambda)
            // At most half the candidate pairs are matches: past that, EM has mistaken a
            // common agreement (the same surname, the same ZIP) for identity.
            lambda = min(max(matchMass / total, 1e-6), 0.5)
            for k in 0..<comparisons {
                let nonNull = levelMass[k].dropFirst().reduce(0, +)
                guard nonNull > 0 else { continue }
                for level in model.comparisons[k].levels.indices {
                    let m = max(levelMass[k][level + 1] / nonNull, 1e-6)
                    change = max(change, abs(m - model.comparisons[k].levels[level].m))
                    model.comparisons[k].levels[level].m = m
                }
            }
            if change < 1e-5 { model.prior = lambda; return iteration }
        }
        model.prior = lambda
        return iterations
    }

    /// Restores `original`'s m values for each comparison whose learned ones make no sense for
    /// "same person": exact agreement not the likeliest of the agreeing levels, or, for a required
    /// comparison, less likely than disagreement (EM then learned another class, such as
    /// colleagues: `listwash train` on a hard lead list learned m(first name exact) = 0.12).
    /// Returns the names of the comparisons restored.
    @discardableResult
    static func keepSensibleM(_ model: inout MatchModel, else original: MatchModel) -> [String] {
        var restored: [String] = []
        for k in model.comparisons.indices where k < original.comparisons.count {
            let m = model.comparisons[k].levels.map(\.m)
            guard let exact = m.first, let disagree = m.last, m.count >= 2 else { continue }
            let agreeing = m.dropFirst().dropLast()
            let sensible = exact >= (agreeing.max() ?? 0) && (!model.required.contains(model.comparisons[k].name) || exact > disagree)
            guard !sensible else { continue }
            for level in model.comparisons[k].levels.indices { model.comparisons[k].levels[level].m = original.comparisons[k].levels[level].m }
            restored.append(model.comparisons[k].name)
        }
        return restored
    }

    /// The prior of a random pair, by EM over the candidate pairs' evidence with m and u held:
    /// each candidate's match probability under the prior so far, summed, is the number of
    /// matches; over `population` (all pairs of the list) it is the next prior, until it settles.
    /// Pairs outside the candidates are taken to be no matches (blocking finds nearly all).
    ///
    /// - Parameters:
    ///   - evidence: a histogram of the candidate pairs' evidence (log2 Bayes factors against
    ///     random pairs), see ``EvidenceHistogram``.
    ///   - prior: the prior to start from.
    ///   - population: the number of pairs the prior is a share of.
    static func randomPairPrior(_ evidence: EvidenceHistogram, prior: Double, population: Double, iterations: Int = 200) -> Double {
        guard evidence.total > 0, population > 0 else { return prior }
        var prior = min(max(prior, 1e-15), 0.5)
        for _ in 0..<iterations {
            let odds = prior / (1 - prior)
            var matches = 0.0
            for (bin, count) in evidence.counts.enumerated() where count > 0 {
                let factor = exp2(evidence.value(ofBin: bin)) * odds
                matches += Double(count) * (factor.isFinite ? factor / (1 + factor) : 1)
            }
            let next = min(max(matches / population, 1e-15), 0.5)
            defer { prior = next }
            if abs(next - prior) <= prior * 1e-4 { return next }
        }
        return prior
    }
}

extension Training {
    /// How many rows' worth the starting share weighs against a list's own rows in
    /// ``customerShare(logOdds:rows:share:)``: a list of a few rows keeps about the share it
    /// started from, a list of thousands says for itself.
    static let customerSharePriorRows = 100.0

    /// The share of an incoming list's rows that are records of an export, by EM over the
    /// rows' candidates (each row is one of the export's records or nobody): each row's chance
    /// of being somebody under the share so far, summed over the rows, is the next share,
    /// until it settles. The starting `share` counts as ``customerSharePriorRows`` rows.
    ///
    /// - Parameters:
    ///   - logOdds: per row with candidates, the log2 of the sum of its candidates' prior odds
    ///     times Bayes factors under `share` (see ``ReferenceIndex/candidateLogOdds(for:record:keys:)``).
    ///   - rows: all rows of the list, those without candidates included (they are nobody).
    ///   - share: the share the odds were worked out under.
    static func customerShare(logOdds: [Double], rows: Int, share: Double, iterations: Int = 200) -> Double {
        guard rows > 0, share > 0, share < 1 else { return share }
        var current = share
        for _ in 0..<iterations {
            // A candidate's prior odds grow with the share (the prior of a pair is the share
            // over the export's size); nobody's chance is one less the share.
            let scale = current / share, none = 1 - current
            var somebody = 0.0
            for odds in logOdds {
                let a = exp2(odds) * scale
                somebody += a.isFinite ? a / (none + a) : 1
            }
            let next = min(max((somebody + customerSharePriorRows * share) / (Double(rows) + customerSharePriorRows), 1e-6), ReferenceIndex.maximumCustomerShare)
            defer { current = next }
            if abs(next - current) <= current * 1e-6 { return next }
        }
        return current
    }
}

/// m values learned from the list itself, guarded so that they describe "same person" and not
/// "same name" (what EM over name blocks learns): only from candidate pairs that share an
/// identifier (the leading blocking rules, which read no name), each weighed by its chance of
/// being a match judged without the comparison being learned (leave one out).
struct IdentityPairs {
    /// The leading blocking rules that read none of the required comparisons' columns (an email,
    /// a phone): their candidate pairs come first in the pair list.
    static func ruleCount(_ model: MatchModel) -> Int {
        let required = Set(model.required.flatMap { name in
            model.comparisons.filter { $0.name == name }.flatMap { [$0.column] + ($0.swapColumn.map { [$0] } ?? []) }
        })
        guard !required.isEmpty else { return 0 }
        return model.blocking.prefix { rule in rule.keys.allSatisfy { !required.contains($0.column) } }.count
    }

    /// The comparisons whose m values are learned from those pairs: the required ones (the
    /// names), when the identity rules do not read them and no level has a given u (such weights
    /// are designed contradictions). Company and ZIP are left alone: two records that share an
    /// email share its employer far more often than two records of one person do.
    static func learnable(_ model: MatchModel, identityRules: Int) -> [Int] {
        let read = Set(model.blocking.prefix(identityRules).flatMap { $0.keys.map(\.column) })
        return model.comparisons.indices.filter { k in
            let comparison = model.comparisons[k]
            let columns = [comparison.column] + [comparison.swapColumn, comparison.detailColumn].compactMap { $0 }
            return model.required.contains(comparison.name) && columns.allSatisfy { !read.contains($0) } && !comparison.levels.contains { $0.fixedU == true }
        }
    }

    /// The fewest pairs' worth of match probability a comparison's m values are learned from.
    static let minimumMass = 200.0
    /// How many pairs' worth the model's own m values weigh against the learned ones.
    static let priorMass = 100.0

    /// Learns the m values of `comparisons` from the first `count` candidate pairs (with full
    /// patterns), under the scorer's current model and prior. A comparison keeps its m values when
    /// the pairs are too few, or when the learned exact level is not its most likely level among
    /// the agreeing ones (the data then says nothing sensible). Returns the comparisons learned.
    static func learnM(_ model: inout MatchModel, comparisons: [Int], pairs: [UInt64], patterns: [UInt64], count: Int,
                       scorer: PairScorer, workers: Int) -> [Int] {
        guard count > 0, !comparisons.isEmpty else { return [] }
        let chunks = max(1, min(workers * 4, count / 16384 + 1)), chunkSize = (count + chunks - 1) / chunks
        let levelCounts = comparisons.map { model.comparisons[$0].levels.count + 1 }
        var parts = [[[Double]]](repeating: [], count: chunks)
        parts.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var mass = levelCounts.map { [Double](repeating: 0, count: $0) }
                for index in (chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize) {
                    let pattern = patterns[index], record = Int(pairs[index] >> 32)
                    let total = scorer.weight(pattern: pattern, leftRecord: record)
                    for (slot, k) in comparisons.enumerated() {
                        let level = Int((pattern >> UInt64(4 * k)) & 0xF)
                        guard level > 0 else { continue }
                        let without = total - scorer.levelWeight(k, level: level, record: record)
                        mass[slot][level] += 1 / (1 + exp2(-without))
                    }
                }
                out.value[chunk] = mass
            }
        }
        var learned: [Int] = []
        for (slot, k) in comparisons.enumerated() {
            let levels = model.comparisons[k].levels.count
            var mass = [Double](repeating: 0, count: levels + 1)
            for part in parts where !part.isEmpty { for level in 1...levels { mass[level] += part[slot][level] } }
            let total = mass.dropFirst().reduce(0, +)
            guard total >= minimumMass else { continue }
            // The model's m values count as `priorMass` pairs, so that a level the list seldom
            // shows (few swapped names in a small list) keeps a sensible weight.
            let prior = model.comparisons[k].levels.map(\.m)
            var m = (1...levels).map { max((mass[$0] + priorMass * prior[$0 - 1]) / (total + priorMass), 1e-5) }
            let sum = m.reduce(0, +)
            m = m.map { $0 / sum }
            // Exact agreement must be the likeliest way two records of one person agree.
            guard levels < 3 || m[0] >= m[1..<(levels - 1)].max() ?? 0 else { continue }
            for level in 0..<levels { model.comparisons[k].levels[level].m = m[level] }
            learned.append(k)
        }
        return learned
    }
}

/// Counts of pairs by their evidence (log2 Bayes factor) in bins of a quarter bit; pairs that
/// fail a requirement count in the lowest bin (no chance of a match).
struct EvidenceHistogram: Sendable {
    static let low = -80.0, width = 0.25, bins = 640
    /// Pairs per bin.
    private(set) var counts = [Int](repeating: 0, count: bins)
    /// All pairs counted.
    private(set) var total = 0

    /// Counts a pair with `evidence`.
    mutating func add(_ evidence: Double) {
        let position = ((evidence - Self.low) / Self.width).rounded(.down)
        let bin = position.isNaN || position < 0 ? 0 : Int(min(position, Double(Self.bins - 1)))
        counts[bin] += 1
        total += 1
    }

    /// Adds another histogram's counts.
    mutating func add(_ other: EvidenceHistogram) {
        for bin in counts.indices { counts[bin] += other.counts[bin] }
        total += other.total
    }

    /// The evidence a bin stands for (its middle).
    func value(ofBin bin: Int) -> Double {
        Self.low + (Double(bin) + 0.5) * Self.width
    }
}
