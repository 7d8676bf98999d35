import ListWashCore

/// Clusters found elsewhere (the Spark job clusters the list's components on its executors),
/// for the dedupe stage to assign instead of finding them itself (see ``DedupeStage/assigned``).
/// Rows are named by their source (its path, `listwash_source`) and row number.
public struct ClusterAssignment: Sendable {
    /// A row of the run.
    public struct Row: Hashable, Sendable {
        /// Its input's path.
        public var source: String
        /// Its row number in that input.
        public var row: Int

        /// Row `row` of `source`.
        public init(source: String, row: Int) {
            self.source = source
            self.row = row
        }
    }

    /// The list's statistics (the estimated model and the blocking figures, for the report).
    public var statistics: ListStatistics
    /// Each row of a cluster of several: the cluster's first row, and the row's best probability
    /// with another row of it.
    public var clusters: [Row: (first: Row, score: Double)] = [:]
    /// The pairs at or above the review threshold that were not joined: below the match
    /// threshold, or kept apart by a guard.
    public var possible: [(Row, Row, Double)] = []
    /// Pairs joined, and pairs a guard kept apart.
    public var joins = 0, guardedJoins = 0

    /// An assignment under `statistics`, with no cluster yet.
    public init(statistics: ListStatistics) {
        self.statistics = statistics
    }

    /// The result for the records of `features`, which are the rows `rows` (in order): what
    /// ``Deduplicator/run(_:)`` gives for them (clusters, scores, possible matches and their
    /// review keys), from the clusters and pairs found elsewhere.
    func result(features: FeatureSet, rows: [(source: String, row: Int)]) -> DedupeResult {
        let n = features.count
        var records: [Row: Int] = [:]
        records.reserveCapacity(n)
        for (record, row) in rows.enumerated() { records[Row(source: row.source, row: row.row)] = record }
        var cluster = Array(0..<n), score = [Double](repeating: 0, count: n)
        for (row, assigned) in clusters {
            guard let record = records[row], let first = records[assigned.first] else { continue }
            cluster[record] = first
            score[record] = assigned.score
        }
        // In the order one machine meets them: descending probability, then pair.
        let pairs = possible.compactMap { left, right, probability -> (Int, Int, Double)? in
            guard let i = records[left], let j = records[right] else { return nil }
            return (min(i, j), max(i, j), probability)
        }.sorted { $0.2 != $1.2 ? $0.2 > $1.2 : ($0.0, $0.1) < ($1.0, $1.1) }
        let model = statistics.model
        var result = DedupeResult(cluster: cluster, score: score, partner: [Int](repeating: -1, count: n),
                                  possibleMatches: Deduplicator.possibleMatches(pairs, cluster: cluster), blocking: statistics.blocking, model: model)
        result.reviewKeys = Deduplicator.reviewKeys(result.possibleMatches, store: features.store(model: model), columns: features.columnNames.count)
        (result.joins, result.guardedJoins) = (joins, guardedJoins)
        result.largestCluster = Deduplicator.largest(cluster, features: features, model: model)
        return result
    }
}
