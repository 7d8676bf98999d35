import ListWashCore
import ListWashNormalize

/// Scores rows by ``ScoringRules``: the points of every criterion that holds, summed, graded,
/// and explained.
///
/// ```swift
/// let scorer = LeadScorer(rules: rules)
/// let score = scorer.score(batch, row: 0)
/// score.points   // 55
/// score.grade    // .warm
/// score.reasons  // "title vp +25; corporate domain +10; 5/5 fields +10; product interest +10"
/// ```
public struct LeadScorer: Sendable {
    /// A row's score.
    public struct Score: Sendable, Hashable {
        /// The total.
        public var points: Int
        /// The grade of the total.
        public var grade: Grade
        /// Each criterion that counted and its points, `; `-separated, in the file's order.
        public var reasons: String
        /// ``points`` as text, made once per combination of criteria.
        public var pointsText: String

        /// A score of `points` with its grade and reasons.
        public init(points: Int, grade: Grade, reasons: String) {
            self.points = points
            self.grade = grade
            self.reasons = reasons
            pointsText = String(points)
        }
    }

    /// Where a batch keeps what the rules read.
    public struct Columns: Sendable {
        let title: ResolvedField
        let domain: ResolvedField
        let flags: ResolvedField
        let account: ResolvedField
        let completeness: [ResolvedField]
        let points: [ResolvedField]
    }

    /// The rules.
    public let rules: ScoringRules
    private let pointMatchers: [ValueMatcher]

    /// Finds the `email_freemail` flag in `listwash_flags` (see Docs/normalization.md).
    private static let freeMailFlag = FieldCondition(field: .output("listwash_flags"), contains: ["email_freemail"])

    /// A scorer for `rules`.
    public init(rules: ScoringRules) {
        self.rules = rules
        pointMatchers = rules.points.map(\.condition.matcher)
    }

    /// Looks up, once per batch, the columns the rules read.
    public func columns(for batch: RecordBatch) -> Columns {
        let resolve = { (reference: FieldReference) in reference.resolve(schema: batch.schema, layout: batch.layout) }
        return Columns(
            title: resolve(.role(.title)), domain: resolve(.output("listwash_domain")),
            flags: resolve(.output("listwash_flags")), account: resolve(.output("listwash_account_id")),
            completeness: rules.completeness?.fields.map(resolve) ?? [],
            points: rules.points.map { resolve($0.condition.field) })
    }

    /// What a scorer remembers between the rows of a batch: classified titles, and the score of
    /// each combination of criteria seen (rows with the same combination share one score and one
    /// reasons text).
    public struct Cache {
        var titles: [String: JobLevel] = [:]
        var scores: [UInt64: Score] = [:]

        /// An empty cache.
        public init() {}
    }

    /// The score of record `row`.
    public func score(_ batch: RecordBatch, row: Int) -> Score {
        var cache = Cache()
        return score(batch, row: row, columns: columns(for: batch), cache: &cache)
    }

    /// The score of record `row`, with the batch's columns and a cache for the batch.
    ///
    /// - Complexity: O(*c*) in the criteria; the reasons text is made once per combination of
    ///   criteria that hold.
    public func score(_ batch: RecordBatch, row: Int, columns: Columns, cache: inout Cache) -> Score {
        // Which way each criterion went, packed into a key: seniority (3 bits), domain (2),
        // filled fields (6), matched account (1), one bit per points rule (at most 52).
        var key: UInt64 = 0
        var seniority = JobLevel.unknown
        if !rules.seniority.isEmpty {
            let title = columns.title.value(batch, row)
            if let known = cache.titles[title] {
                seniority = known
            } else {
                seniority = JobLevel(title: title)
                if cache.titles.count < 4096 { cache.titles[title] = seniority }
            }
            key = UInt64(JobLevel.allCases.firstIndex(of: seniority) ?? 0)
        }
        var domain: UInt64 = 0
        if rules.corporateDomain != 0 || rules.freeMail != 0, columns.domain.isFilled(batch, row) {
            domain = columns.flags.matches(Self.freeMailFlag.matcher, batch, row) ? 2 : 1
        }
        key |= domain << 3
        var filled = 0
        for field in columns.completeness where field.isFilled(batch, row) { filled += 1 }
        key |= UInt64(min(filled, 63)) << 5
        let matched = rules.matchedAccount != 0 && columns.account.isFilled(batch, row)
        if matched { key |= 1 << 11 }
        guard rules.points.count <= 52, columns.completeness.count <= 63 else {
            return explain(batch, row: row, columns: columns, seniority: seniority, domain: domain, filled: filled, matched: matched)
        }
        for index in pointMatchers.indices where columns.points[index].matches(pointMatchers[index], batch, row) {
            key |= 1 << UInt64(12 + index)
        }
        if let known = cache.scores[key] { return known }
        let score = explain(batch, row: row, columns: columns, seniority: seniority, domain: domain, filled: filled, matched: matched)
        if cache.scores.count < 65_536 { cache.scores[key] = score }
        return score
    }

    /// Adds up the criteria of record `row` and says what counted.
    private func explain(_ batch: RecordBatch, row: Int, columns: Columns, seniority: JobLevel, domain: UInt64, filled: Int, matched: Bool) -> Score {
        var total = 0
        var reasons = ""
        func add(_ points: Int, _ label: String) {
            guard points != 0 else { return }
            total += points
            if !reasons.isEmpty { reasons += "; " }
            reasons += label
            reasons += points > 0 ? " +" : " "
            reasons += String(points)
        }
        if !rules.seniority.isEmpty { add(rules.seniority[seniority] ?? 0, "title " + seniority.rawValue) }
        if domain == 2 { add(rules.freeMail, "free-mail domain") }
        if domain == 1 { add(rules.corporateDomain, "corporate domain") }
        if let completeness = rules.completeness, !completeness.fields.isEmpty {
            add(filled * completeness.pointsPerField, "\(filled)/\(completeness.fields.count) fields")
        }
        if matched { add(rules.matchedAccount, "matched account") }
        for (index, item) in rules.points.enumerated() where columns.points[index].matches(item.condition, batch, row) {
            add(item.points, item.name)
        }
        return Score(points: total, grade: rules.grades.grade(for: total), reasons: reasons)
    }
}
