import ListWashCore

/// The `score` stage: fills `listwash_score`, `listwash_grade` and `listwash_score_reasons` of
/// every row that will reach the CRM (still open, or settled as `load` or `attach`), by the
/// `scoring:` rules. Rows settled otherwise keep these columns empty.
///
/// ```swift
/// let stage = ScoreStage(rules: scoring)
/// try stage.process(&batch)
/// ```
/// - Complexity: O(*n* × *c*) for *n* rows and *c* criteria; runs on all cores.
public struct ScoreStage: Stage {
    /// The scorer.
    public let scorer: LeadScorer

    /// A stage scoring by `rules`.
    public init(rules: ScoringRules) {
        scorer = LeadScorer(rules: rules)
    }

    public var name: String { "score" }
    public var outputColumns: [String] { Self.columns }
    /// The columns this stage fills: score, grade and the score's reasons.
    public static let columns = [RouteColumns.score, RouteColumns.grade, RouteColumns.scoreReasons]
    public var runsConcurrently: Bool { true }

    public func process(_ batch: inout RecordBatch) throws {
        guard let score = batch.layout.column(RouteColumns.score), let grade = batch.layout.column(RouteColumns.grade),
              let reasons = batch.layout.column(RouteColumns.scoreReasons) else { return }
        let columns = scorer.columns(for: batch)
        var cache = LeadScorer.Cache()
        for row in 0..<batch.count where Disposition.isRouted(batch.dispositions[row]) {
            let result = scorer.score(batch, row: row, columns: columns, cache: &cache)
            batch[row, score] = result.pointsText
            batch[row, grade] = result.grade.rawValue
            batch[row, reasons] = result.reasons
        }
    }
}
