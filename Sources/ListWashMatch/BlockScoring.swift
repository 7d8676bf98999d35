import ListWashCore
import ListWashNormalize

/// What a pair's score depends on beyond the pair itself, worked out once over the whole list so
/// that blocks of it can be scored apart (the Spark job scores them on its executors): the
/// estimated model (u, m, prior), each term-frequency comparison's value counts, and the values
/// several people give (``SharedValues``), with the blocking figures for the run report.
///
/// ```swift
/// let statistics = ListStatistics(features, deduplicator: Deduplicator(model: .leadList))
/// let scoring = BlockScoring(statistics: statistics)
/// let pairs = try scoring.scoreBlocks(rows, blocks: [(rule: 0, members: [0, 1, 2])])   // rows: FeatureRows
/// ```
public struct ListStatistics: Codable, Sendable {
    /// The model with its estimated parameters.
    public var model: MatchModel
    /// The list's blocking figures.
    public var blocking: BlockingStatistics
    /// Per comparison, its values' counts by hash (empty unless it applies term frequencies).
    var frequencies: [[UInt64: Int]]
    /// Per comparison, how many values were counted.
    var totals: [Int]
    /// Per comparison, the values several people give, by hash, with how many distinct names
    /// give them (empty unless it counts shared values).
    var shared: [[UInt64: UInt8]]

    /// Estimates `deduplicator`'s model on `features` (the whole list's open records, in input
    /// order, as the dedupe stage sees them) and counts its values.
    ///
    /// - Complexity: as ``Deduplicator/estimate(_:)``: blocking and comparing every candidate pair
    ///   (the prior and the m values are learned from them).
    public init(_ features: FeatureSet, deduplicator: Deduplicator) {
        let estimate = deduplicator.estimate(features)
        let model = estimate.model
        self.model = model
        blocking = estimate.blocking
        let frequencies = TermFrequencies(model: model, sets: [features])
        self.frequencies = model.comparisons.indices.map { frequencies.counts($0) }
        totals = model.comparisons.indices.map { frequencies.total($0) }
        let sharedValues = estimate.scorer.sharedValues
        shared = model.comparisons.indices.map { k in
            guard model.comparisons[k].sharedValues == true, let column = features.column(model.comparisons[k].column) else { return [:] }
            var table: [UInt64: UInt8] = [:]
            for record in 0..<features.count where sharedValues.isShared(k, record: record) {
                table[column.hash(record)] = UInt8(sharedValues.names(k, record: record))
            }
            return table
        }
    }

    /// The value counts, for ``scorer(for:evaluator:frequencies:)`` (made once per process: they
    /// hold every value of the list).
    func termFrequencies() -> TermFrequencies {
        TermFrequencies(counts: frequencies, totals: totals)
    }

    /// A scorer for the records of `set` (some records of the list) under these statistics, with
    /// `frequencies` made by ``termFrequencies()``.
    func scorer(for set: FeatureSet, evaluator: ComparisonEvaluator, frequencies: TermFrequencies) -> PairScorer {
        let names: [[UInt8]] = model.comparisons.indices.map { k in
            let table = shared[k]
            guard !table.isEmpty, let column = set.column(model.comparisons[k].column) else { return [] }
            return (0..<set.count).map { table[column.hash($0)] ?? 0 }
        }
        return PairScorer(model: model, evaluator: evaluator, features: set, frequencies: frequencies,
                          shared: SharedValues(names: names))
    }
}

/// One record's prepared comparison values as bytes, so that records travel between processes
/// without their rows: each column's value, then each name column's related-name list, as a
/// little-endian UInt32 length and the bytes.
public enum FeatureRows {
    /// Record `record` of `set`.
    public static func encode(_ set: FeatureSet, record: Int) -> [UInt8] {
        var out: [UInt8] = []
        for column in set.columns + set.nameKeys.keys.sorted().compactMap({ set.nameKeys[$0] }) {
            column.withValue(record) { value in
                ColumnCodec.append(UInt32(value.count), to: &out)
                out.append(contentsOf: value)
            }
        }
        return out
    }

    /// A set for `model` of the records `rows` (as ``encode(_:record:)`` wrote them), in order.
    ///
    /// - Throws: ``ListWashError`` (`.input`) when a record is damaged.
    public static func decode(_ rows: [[UInt8]], model: MatchModel) throws -> FeatureSet {
        let empty = FeatureSet(model: model, variants: variants)
        let names = empty.nameKeys.keys.sorted()
        var columns = [FeatureColumn](repeating: FeatureColumn(), count: empty.columnNames.count + names.count)
        for row in rows {
            try row.withUnsafeBytes { data in
                var offset = 0
                for index in columns.indices {
                    let length = Int(try read(data, at: &offset))
                    guard length <= data.count - offset else { throw ListWashError(.input, "a damaged feature row") }
                    columns[index].append(bytes: UnsafeBufferPointer(rebasing: data.bindMemory(to: UInt8.self)[offset..<(offset + length)]))
                    offset += length
                }
                guard offset == data.count else { throw ListWashError(.input, "a damaged feature row") }
            }
        }
        let count = empty.columnNames.count
        let nameKeys = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, columns[count + $0]) })
        return FeatureSet(model: model, variants: variants, columns: Array(columns[..<count]), nameKeys: nameKeys, count: rows.count)
    }

    /// Related-name lists are read from the rows, never made: one empty cache serves every set.
    private static let variants = PreparationCache()

    private static func read(_ data: UnsafeRawBufferPointer, at offset: inout Int) throws -> UInt32 {
        do { return try ColumnCodec.read(data, at: &offset) } catch { throw ListWashError(.input, "a damaged feature row") }
    }
}

/// Dedupe in pieces, each over some records of the list, with the answer of
/// ``Deduplicator/run(_:)`` over all of them:
///
/// 1. ``keys(of:model:)``: each record's blocking key under each rule (a block is every record
///    of the list with one key under one rule);
/// 2. ``scoreBlocks(_:blocks:)``: blocks' candidate pairs, as their rules give them on one machine
///    (every pair of a block up to ``MatchModel/maxBlockSize``; each record's next
///    ``MatchModel/window`` neighbours by the first comparison's value in a larger one), scored
///    with the list's statistics; a pair several rules give is scored the same by each;
/// 3. ``clusterComponent(_:pairs:)``: the coherent clustering of connected components of the
///    pairs at or above the match threshold (clustering never joins across components, and the
///    guards only compare records of the two clusters joined, so a component's clusters are
///    those of the whole list).
public struct BlockScoring: Sendable {
    /// The list's statistics.
    public let statistics: ListStatistics
    private let deduplicator: Deduplicator
    private let frequencies: TermFrequencies

    /// Scoring under `statistics`, on one thread (a task of the Spark job holds one core).
    public init(statistics: ListStatistics, workers: Int = 1) {
        self.statistics = statistics
        deduplicator = Deduplicator(model: statistics.model, workers: workers)
        frequencies = statistics.termFrequencies()
    }

    /// Each record of `set` with its key under each of `model`'s blocking rules (by index; a
    /// record without one under a rule is left out).
    public static func keys(of set: FeatureSet, model: MatchModel) -> [(record: Int, rule: Int, key: UInt64)] {
        let keys = BlockingKeys(model: model, features: set, store: set.store(model: model), workers: 1)
        var found: [(record: Int, rule: Int, key: UInt64)] = []
        for record in 0..<set.count {
            for (rule, ruleKeys) in keys.keys.enumerated() where ruleKeys[record] != 0 { found.append((record, rule, ruleKeys[record])) }
        }
        return found
    }

    /// The candidate pairs `blocks` give with a probability at or above the review threshold:
    /// (left record, right record, probability), the records by their positions in `rows`
    /// (feature rows, in input order), left before right. A block is a rule (by index) and its
    /// members: every record of the list with one key under that rule (positions in `rows`); a
    /// record is in at most one block per rule. The pairs of many blocks are made and scored in
    /// one pass (a pair two blocks give comes once).
    ///
    /// - Throws: ``ListWashError`` (`.input`) for a damaged row, a member out of range or in two
    ///   blocks of one rule, (`.usage`) for a rule the model lacks.
    public func scoreBlocks(_ rows: [[UInt8]], blocks: [(rule: Int, members: [Int])]) throws -> [(left: Int, right: Int, probability: Double)] {
        let model = statistics.model
        // Each block's members share a key of their own under its rule (its number, from 1).
        var keys = [[UInt64]](repeating: [UInt64](repeating: 0, count: rows.count), count: model.blocking.count)
        for (number, block) in blocks.enumerated() where block.members.count > 1 {
            guard model.blocking.indices.contains(block.rule) else { throw ListWashError(.usage, "the model has no blocking rule \(block.rule)") }
            for member in block.members {
                guard rows.indices.contains(member), keys[block.rule][member] == 0 else {
                    throw ListWashError(.input, "a block names a record that is not given or is in another block of its rule")
                }
                keys[block.rule][member] = UInt64(number + 1)
            }
        }
        let set = try FeatureRows.decode(rows, model: model)
        let store = set.store(model: model)
        let evaluator = ComparisonEvaluator(model: model, columns: set.columnNames)
        let sortColumn = model.comparisons.first.flatMap { set.column($0.column) }
        let (pairs, _) = PairGenerator(keys: BlockingKeys(keys: keys), maxBlockSize: model.maxBlockSize, window: model.window, sortColumn: sortColumn)
            .generate(ruleNames: model.blocking.map(\.description))
        guard !pairs.isEmpty else { return [] }
        let patterns = deduplicator.parallelPatterns(pairs, evaluator: evaluator, features: store,
                                                     requirements: model.train ? nil : Requirements(model: model))
        let scorer = statistics.scorer(for: set, evaluator: evaluator, frequencies: frequencies)
        return deduplicator.parallelScores(pairs, patterns: patterns, scorer: scorer, threshold: model.reviewThreshold)
            .map { (Int($0.pair >> 32), Int($0.pair & 0xFFFF_FFFF), $0.probability) }
    }

    /// The clusters of one or more connected components: `rows` their records' feature rows in
    /// input order, `pairs` their pairs at or above the match threshold (records by position in
    /// `rows`).
    ///
    /// - Throws: ``ListWashError`` (`.input`) for a damaged row or a pair naming no row.
    public func clusterComponent(_ rows: [[UInt8]], pairs: [(left: Int, right: Int, probability: Double)]) throws -> ComponentClusters {
        let model = statistics.model
        let set = try FeatureRows.decode(rows, model: model)
        guard pairs.allSatisfy({ $0.left != $0.right && rows.indices.contains($0.left) && rows.indices.contains($0.right) }) else {
            throw ListWashError(.input, "a pair names a record its component lacks")
        }
        let store = set.store(model: model)
        let scorer = statistics.scorer(for: set, evaluator: ComparisonEvaluator(model: model, columns: set.columnNames), frequencies: frequencies)
        let scored = pairs.map { (pair: UInt64(min($0.left, $0.right)) << 32 | UInt64(max($0.left, $0.right)), probability: $0.probability) }
        let clusters = deduplicator.cluster(scored, count: rows.count, model: model, scorer: scorer, store: store)
        return ComponentClusters(cluster: clusters.cluster, score: clusters.score, guarded: clusters.possible, joins: clusters.joins)
    }
}

/// The clusters of one connected component (see ``BlockScoring/clusterComponent(_:pairs:)``).
public struct ComponentClusters: Sendable {
    /// Each record's cluster: the position of its cluster's first record.
    public var cluster: [Int]
    /// Each record's best probability with another record of its cluster (0 when alone).
    public var score: [Double]
    /// The pairs at or above the match threshold a guard kept apart (possible matches).
    public var guarded: [(Int, Int, Double)]
    /// The pairs joined.
    public var joins: Int
}
