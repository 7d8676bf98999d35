/// Why two records match or not: each comparison's level and weight, the prior, the total and
/// the decision, like Splink's waterfall chart, in plain text.
public struct PairExplanation: Sendable {
    /// One comparison's part.
    public struct Row: Sendable {
        /// The comparison's name.
        public var comparison: String
        /// The two prepared values.
        public var left: String, right: String
        /// The level reached ("null" when a value is missing).
        public var level: String
        /// The level's weight, log2(m/u).
        public var weight: Double
        /// The term-frequency adjustment added for exact agreement, when there is one.
        public var termFrequency: Double?
        /// m and u of the level.
        public var m: Double, u: Double
        /// When the agreed value is one several people give (see ``Comparison/sharedValues``):
        /// how many distinct names give it. The agreement then weighs nothing.
        public var sharedBy: Int? = nil
    }

    /// The comparisons.
    public var rows: [Row]
    /// The prior weight.
    public var prior: Double
    /// What agreements in one group do not add, counted once (see ``Comparison/group``): 0 or less.
    public var groupDiscount: Double = 0
    /// Whether a required comparison disagrees outright, or a level contradicts a match (the
    /// pair can then be no match).
    public var failsRequirement: Bool
    /// The model's thresholds.
    public var matchThreshold: Double, reviewThreshold: Double

    /// The total match weight.
    public var total: Double { prior + rows.reduce(0) { $0 + $1.weight + ($1.termFrequency ?? 0) } + groupDiscount }
    /// The match probability.
    public var probability: Double { failsRequirement ? 0 : MatchModel.probability(weight: total) }
    /// "match", "possible match (review)" or "no match".
    public var decision: String {
        if failsRequirement { return "no match (a required comparison disagrees, or a level contradicts a match)" }
        if probability >= matchThreshold { return "match" }
        return probability >= reviewThreshold ? "possible match (review)" : "no match"
    }

    /// The explanation as an aligned table.
    public var text: String {
        let signed = Self.signed
        func cut(_ text: String, _ width: Int) -> String {
            let short = text.count > width ? String(text.prefix(width - 1)) + "…" : text
            return short.padding(toLength: width, withPad: " ", startingAt: 0)
        }
        var lines = [cut("comparison", 14) + cut("left", 26) + cut("right", 26) + cut("level", 24) + "weight"]
        lines.append(cut("prior", 14) + cut("", 26) + cut("", 26) + cut("", 24) + signed(prior))
        for row in rows {
            var line = cut(row.comparison, 14) + cut(row.left, 26) + cut(row.right, 26) + cut(row.level, 24) + signed(row.weight)
            if let names = row.sharedBy, names >= SharedValues.cap {
                line += "  (\(row.comparison) is a placeholder or given by \(names) or more names; weighs nothing: \(signed(row.termFrequency ?? 0)))"
            } else if let names = row.sharedBy {
                line += "  (\(row.comparison) shared by \(names) names: \(row.comparison == "phone" ? "a switchboard or household line" : "a role or family mailbox, or a placeholder"); weighs nothing: \(signed(row.termFrequency ?? 0)))"
            } else if let tf = row.termFrequency {
                line += "  (term frequency \(signed(tf)))"
            }
            lines.append(line)
        }
        if groupDiscount != 0 {
            lines.append(cut("(one group)", 14) + cut("a group's agreements count once, and its disagreements", 76) + signed(groupDiscount))
        }
        lines.append("total match weight \(signed(total)) -> match probability \(Self.rounded(probability))")
        lines.append("thresholds: match >= \(matchThreshold), review >= \(reviewThreshold) -> \(decision)")
        return lines.joined(separator: "\n")
    }

    /// A weight with its sign, to two decimals: `+6.84`, `-11.17`.
    static func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + String((value * 100).rounded() / 100) }

    /// A probability to four decimals, as `explain` prints it.
    static func rounded(_ probability: Double) -> String { String((probability * 10000).rounded() / 10000) }
}

extension Deduplicator {
    /// Explains records `i` and `j` of the set an ``Estimate`` was made on.
    public func explain(_ estimate: Estimate, features: FeatureSet, _ i: Int, _ j: Int) -> PairExplanation {
        // The run scores a pair with its earlier record's term frequencies.
        let (i, j) = (min(i, j), max(i, j))
        let scorer = estimate.scorer
        let pattern = scorer.pattern(estimate.store, i, estimate.store, j)
        let rows = estimate.model.comparisons.enumerated().map { k, comparison -> PairExplanation.Row in
            let level = Int((pattern >> UInt64(4 * k)) & 0xF)
            let column = features.column(comparison.column)
            let details = level == 0 ? nil : comparison.levels[level - 1]
            let shared = level == 1 ? scorer.sharedBy(k, record: i) : nil
            return PairExplanation.Row(
                comparison: comparison.name, left: column?[i] ?? "", right: column?[j] ?? "",
                level: details?.label ?? "null", weight: scorer.levelWeight(k, level: level),
                termFrequency: level == 1 ? scorer.adjustment(k, record: i) : nil,
                m: details?.m ?? 1, u: details?.u ?? 1, sharedBy: shared)
        }
        return PairExplanation(rows: rows, prior: estimate.model.priorWeight, groupDiscount: scorer.groupDiscount(pattern: pattern, leftRecord: i),
                               failsRequirement: scorer.failsRequirement(pattern),
                               matchThreshold: estimate.model.matchThreshold, reviewThreshold: estimate.model.reviewThreshold)
    }
}
