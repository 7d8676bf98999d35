import ListWashCore

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

    /// Finds the `email_freemail` flag in `listwash_flags` (see Docs/normalization.md).
    private static let freeMailFlag = FieldCondition(field: .output("listwash_flags"), contains: ["email_freemail"])

    /// A scorer for `rules`.
    public init(rules: ScoringRules) {
        self.rules = rules
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

    /// The score of record `row`.
    public func score(_ batch: RecordBatch, row: Int) -> Score {
        var titles: [String: TitleSeniority] = [:]
        return score(batch, row: row, columns: columns(for: batch), titles: &titles)
    }

    /// The score of record `row`, with the batch's columns and a cache of classified titles.
    public func score(_ batch: RecordBatch, row: Int, columns: Columns, titles: inout [String: TitleSeniority]) -> Score {
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
        if !rules.seniority.isEmpty {
            let title = columns.title.value(batch, row)
            let seniority: TitleSeniority
            if let known = titles[title] {
                seniority = known
            } else {
                seniority = TitleSeniority(title: title)
                if titles.count < 4096 { titles[title] = seniority }
            }
            add(rules.seniority[seniority] ?? 0, "title " + seniority.rawValue)
        }
        if rules.corporateDomain != 0 || rules.freeMail != 0 {
            let domain = columns.domain.value(batch, row)
            if !domain.isEmpty {
                if Self.freeMailFlag.matches(columns.flags.value(batch, row)) {
                    add(rules.freeMail, "free-mail domain")
                } else {
                    add(rules.corporateDomain, "corporate domain")
                }
            }
        }
        if let completeness = rules.completeness, !completeness.fields.isEmpty {
            var filled = 0
            for field in columns.completeness where FieldCondition.isFilled(field.value(batch, row)) { filled += 1 }
            add(filled * completeness.pointsPerField, "\(filled)/\(completeness.fields.count) fields")
        }
        if rules.matchedAccount != 0, !columns.account.value(batch, row).isEmpty {
            add(rules.matchedAccount, "matched account")
        }
        for (index, item) in rules.points.enumerated() where item.condition.matches(columns.points[index].value(batch, row)) {
            add(item.points, item.name)
        }
        return Score(points: total, grade: rules.grades.grade(for: total), reasons: reasons)
    }
}
