import ListWashCore
import ListWashNormalize

/// Finds the rows of a run that are the same person and marks them: `listwash_cluster` (rows
/// sharing a value are one person) and `listwash_match_score` on every row; a possible match
/// goes to `review` with its partner and probability, the partner also in
/// `listwash_review_partner` as `FILE:ROW` (what `listwash explain` takes); when rows are records
/// of a purchased list, every row of a cluster but its survivor goes to `duplicate`.
///
/// Dedupe must see the whole list before it can decide, so it is a ``BarrierStage``: the rows
/// wait (in memory up to a budget, then in a temporary file) while it indexes them.
public final class DedupeStage: BarrierStage, @unchecked Sendable {
    public let name = "dedupe"
    /// After `prepare()` the stage only reads its results, so batches go through it on all cores.
    public var runsConcurrently: Bool { true }
    /// The model.
    public let model: MatchModel
    /// Whether rows are responses (repeats stay in play for the lead decision) or records
    /// (repeats are merged: all but the survivor become `duplicate`).
    public let rows: RowKind
    /// How the surviving row of a cluster is chosen when rows are records.
    public let survivorship: Survivorship
    /// Which row each normalized field of a surviving record comes from.
    public let fieldMerge: FieldMerge
    /// A reviewer's earlier answers (pairs answered `same` are joined, `different` never).
    public let decisions: ReviewDecisions

    /// Clusters found elsewhere (the Spark job's executors), assigned instead of deduplicating
    /// here; the records are still read, for labels, survivors and review keys.
    public var assigned: ClusterAssignment?

    private let names = NameNormalizer()
    /// Related-name lists, shared by the batches digested on every core.
    private let variants = PreparationCache()
    private var features: FeatureSet
    /// Each batch's records, joined into `features` once all are seen.
    private var parts: [FeatureSet] = []
    private var denseBySequence: [Int32] = []
    private var completeness: [Int16] = []
    private var recency: [String] = []
    private var sourceRows: [(source: String, row: Int)] = []
    private var result: DedupeResult?
    private var survivors: [Int: Int] = [:]
    /// The merge columns' values of every record (records only; ``FieldMerge/stride`` each).
    private var mergeValues: [String] = []
    /// The fields each surviving record takes from another row of its cluster.
    private var merges: [Int: [(field: Int, record: Int)]] = [:]

    /// A dedupe stage applying `model`.
    public init(model: MatchModel = .leadList, rows: RowKind = .responses, survivorship: Survivorship = .mostComplete,
                fieldMerge: FieldMerge = FieldMerge(), decisions: ReviewDecisions = ReviewDecisions()) {
        self.model = model
        self.decisions = decisions
        self.rows = rows
        self.survivorship = survivorship
        self.fieldMerge = fieldMerge
        features = FeatureSet(model: model, variants: variants)
    }

    /// `listwash_review_partner` (see ``reviewPartnerColumn``) and `listwash_review_key` (the
    /// pair's key for a reviewer's answer, ``ReviewDecisions``), and with `rows: records`
    /// `listwash_merged`: the fields a surviving row took from its duplicates.
    public var outputColumns: [String] { [Self.reviewPartnerColumn, ReviewDecisions.keyColumn] + (rows == .records ? [FieldMerge.column] : []) }

    /// The column that names a review row's possible partner, filled only on rows the matching
    /// stages send to `review`: `FILE:ROW` for another row of the run (dedupe), `contact:ID` or
    /// `lead:ID` for a CRM record (match).
    public static let reviewPartnerColumn = "listwash_review_partner"

    /// The result, once the stage has seen every row.
    public var outcome: DedupeResult? { result }

    /// Extracts the batch's comparison values (on any core).
    public func digest(_ batch: RecordBatch) throws -> (any Sendable)? {
        var part = FeatureSet(model: model, variants: variants)
        part.add(batch, names: names)
        return part
    }

    public func observe(_ batch: RecordBatch, digest: (any Sendable)?) throws {
        if let part = digest as? FeatureSet {
            parts.append(part)
        } else {
            var part = FeatureSet(model: model, variants: variants)
            part.add(batch, names: names)
            parts.append(part)
        }
        let dateColumn = batch.schema.column(.responseDate)
        for row in 0..<batch.count where batch.isOpen(row) {
            let sequence = batch.sequence(row)
            if denseBySequence.count <= sequence { denseBySequence.append(contentsOf: repeatElement(-1, count: sequence + 1 - denseBySequence.count)) }
            denseBySequence[sequence] = Int32(sourceRows.count)
            sourceRows.append((batch.schema.source, batch.rows[row]))
            var filled: Int16 = 0
            batch.forEachField(row) { _, bytes in if !bytes.isEmpty { filled += 1 } }
            completeness.append(filled)
            recency.append(dateColumn.map { batch.value(row, column: $0) } ?? "")
            if rows == .records { FieldMerge.append(batch, row: row, to: &mergeValues) }
        }
    }

    public func prepare() throws {
        features.join(&parts)
        var deduplicator = Deduplicator(model: model)
        deduplicator.decisions = decisions
        let outcome = assigned?.result(features: features, rows: sourceRows) ?? deduplicator.run(features)
        result = outcome
        guard rows == .records else { return }
        var best: [Int: Int] = [:]
        for record in 0..<features.count {
            let cluster = outcome.cluster[record]
            guard let current = best[cluster] else { best[cluster] = record; continue }
            if survivorship.prefers(record, over: current, completeness: completeness, recency: recency) { best[cluster] = record }
        }
        survivors = best
        var duplicates: [Int: [Int]] = [:]
        for record in 0..<features.count where best[outcome.cluster[record]] != record {
            duplicates[outcome.cluster[record], default: []].append(record)
        }
        for (cluster, others) in duplicates {
            guard let survivor = best[cluster] else { continue }
            let all = (others + [survivor]).sorted()
            let chosen = fieldMerge.sources(survivor: survivor, members: all, values: mergeValues, rowRule: survivorship,
                                            completeness: completeness, recency: recency)
            if !chosen.isEmpty { merges[survivor] = chosen }
        }
    }

    public func process(_ batch: inout RecordBatch) throws {
        guard let result else { return }
        let partnerColumn = batch.layout.column(Self.reviewPartnerColumn), keyColumn = batch.layout.column(ReviewDecisions.keyColumn)
        for row in 0..<batch.count where batch.isOpen(row) {
            let sequence = batch.sequence(row)
            guard sequence < denseBySequence.count, denseBySequence[sequence] >= 0 else { continue }
            let record = Int(denseBySequence[sequence])
            let cluster = result.cluster[record]
            ClusterLabel.withBytes(features.sequences[cluster]) { batch.setValue(row, OutputLayout.cluster, $0) }
            let score = result.score[record]
            if score > 0 { ProbabilityText.withBytes(score) { batch.setValue(row, OutputLayout.matchScore, $0) } }
            if rows == .records, let survivor = survivors[cluster], survivor != record {
                let (source, sourceRow) = sourceRows[survivor]
                batch.settle(row, as: .duplicate, reason: "duplicate of row \(sourceRow) of \(source) (cluster C\(features.sequences[cluster] + 1), p=\(Self.format(result.score[record])))")
                continue
            }
            if let chosen = merges[record] {
                FieldMerge.apply(chosen, values: mergeValues, sources: sourceRows, to: &batch, row: row)
            }
            if let possible = result.possibleMatches[record] {
                let (source, sourceRow) = sourceRows[possible.partner]
                let why = possible.probability >= result.model.matchThreshold
                    ? "kept apart: a record of one of their clusters is evidently another person than a record of the other"
                    : "below the match threshold \(Self.format(result.model.matchThreshold))"
                batch.settle(row, as: .review, reason: "possible duplicate of row \(sourceRow) of \(source) (p=\(Self.format(possible.probability)), \(why))")
                if let partnerColumn { batch[row, partnerColumn] = "\(source):\(sourceRow)" }
                if let keyColumn, let key = result.reviewKeys[record] { batch[row, keyColumn] = key }
            }
        }
    }

    static func format(_ probability: Double) -> String {
        ProbabilityText.text(probability)
    }
}

/// Which row of a cluster of records survives (the others become `duplicate`).
public enum Survivorship: String, Codable, CaseIterable, Sendable {
    /// The row with the most non-empty fields; ties go to the earlier row.
    case mostComplete = "most_complete"
    /// The row with the latest response date; ties go to the more complete row.
    case mostRecent = "most_recent"
    /// The earliest row (the first source listed wins: source priority).
    case first

    func prefers(_ candidate: Int, over current: Int, completeness: [Int16], recency: [String]) -> Bool {
        switch self {
        case .first: return false
        case .mostComplete: return completeness[candidate] > completeness[current]
        case .mostRecent:
            if recency[candidate] != recency[current] { return recency[candidate] > recency[current] }
            return completeness[candidate] > completeness[current]
        }
    }
}
