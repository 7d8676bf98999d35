import ListWashCore

/// `listwash explain --html`: a pair's match waterfall as one self-contained HTML page (no
/// network, no script, every value escaped), as Splink draws it: the prior, then each
/// comparison's weight stacked on the running total, then the total and the decision, with the
/// table that `explain` prints beside it.
///
/// ```swift
/// let page = ExplanationPage(explanation: explanation, left: "list.csv:3", right: "list.csv:7").html
/// ```
public struct ExplanationPage: Sendable {
    /// The pair's explanation.
    public var explanation: PairExplanation
    /// How the two records are named (`FILE:ROW`), shown as given.
    public var left: String, right: String

    /// A page for `explanation` of the records named `left` and `right`.
    public init(explanation: PairExplanation, left: String, right: String) {
        self.explanation = explanation
        self.left = left
        self.right = right
    }

    /// One bar of the waterfall: its label, the level reached, its weight (the term-frequency
    /// adjustment included) and the running total after it.
    public struct Step: Sendable, Equatable {
        /// The comparison (or `prior`, `(one group)`).
        public var label: String
        /// The level reached, empty for the prior and the group.
        public var level: String
        /// The bar's weight in bits.
        public var weight: Double
        /// The total after this bar.
        public var total: Double
    }

    /// The bars, in order: the prior, each comparison, the group's discount when there is one.
    public var steps: [Step] {
        var total = explanation.prior
        var steps = [Step(label: "prior", level: "", weight: total, total: total)]
        for row in explanation.rows {
            let weight = row.weight + (row.termFrequency ?? 0)
            total += weight
            steps.append(Step(label: row.comparison, level: row.level, weight: weight, total: total))
        }
        if explanation.groupDiscount != 0 {
            total += explanation.groupDiscount
            steps.append(Step(label: "(one group)", level: "counted once", weight: explanation.groupDiscount, total: total))
        }
        return steps
    }

    /// The page.
    public var html: String {
        let title = "Why \(left) and \(right) match or not"
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>
        <style>\(Self.style)</style>
        </head>
        <body>
        <header><h1>\(HTML.escape(title))</h1>
        <p class="decision \(explanation.probability >= explanation.matchThreshold && !explanation.failsRequirement ? "match" : "other")" id="decision">\(HTML.escape(explanation.decision))</p>
        <p class="meta">total match weight \(Self.signed(explanation.total)) → match probability \(Self.probability(explanation.probability)) · thresholds: match ≥ \(explanation.matchThreshold), review ≥ \(explanation.reviewThreshold)</p>
        </header>
        <main>
        \(waterfall)\(table)</main>
        <footer>Written by ListWash (<code>listwash explain --html</code>). Each bar is a comparison's weight, log2(m/u), added to the running total; green says same person, red says two people.</footer>
        </body>
        </html>

        """
    }

    /// The waterfall chart: one horizontal bar a step, from the running total before it to the one after.
    private var waterfall: String {
        let steps = steps
        let totals = [0.0] + steps.map(\.total)
        let low = min(0, totals.min() ?? 0), high = max(0, totals.max() ?? 0)
        let span = max(1, high - low)
        let labelWidth = 240.0, chart = 520.0, rowHeight = 26.0
        let height = rowHeight * Double(steps.count + 1) + 24
        func x(_ value: Double) -> Double { labelWidth + (value - low) / span * chart }
        var svg = "<section id=\"waterfall\"><h2>Waterfall</h2>\n"
        svg += "<svg class=\"waterfall\" viewBox=\"0 0 \(Int(labelWidth + chart + 80)) \(Int(height))\" role=\"img\" aria-label=\"match weight waterfall\">\n"
        svg += "<line class=\"axis\" x1=\"\(HTML.decimal(x(0)))\" y1=\"4\" x2=\"\(HTML.decimal(x(0)))\" y2=\"\(HTML.decimal(height - 20))\"/>\n"
        var before = 0.0
        for (index, step) in steps.enumerated() {
            let y = 8 + rowHeight * Double(index)
            let (from, to) = index == 0 ? (0, step.total) : (before, step.total)
            let kind = step.weight >= 0 ? "up" : "down"
            let label = step.level.isEmpty ? step.label : "\(step.label): \(step.level)"
            svg += "<text class=\"label\" x=\"\(HTML.decimal(labelWidth - 8))\" y=\"\(HTML.decimal(y + 15))\">\(HTML.escape(label))</text>"
            svg += "<rect class=\"bar \(kind)\" x=\"\(HTML.decimal(x(min(from, to))))\" y=\"\(HTML.decimal(y))\" width=\"\(HTML.decimal(max(1, abs(x(to) - x(from)))))\" height=\"\(HTML.decimal(rowHeight - 8))\"/>"
            svg += "<text class=\"value\" x=\"\(HTML.decimal(x(max(from, to)) + 4))\" y=\"\(HTML.decimal(y + 15))\">\(Self.signed(step.weight))</text>\n"
            before = step.total
        }
        let y = 8 + rowHeight * Double(steps.count)
        svg += "<text class=\"label total\" x=\"\(HTML.decimal(labelWidth - 8))\" y=\"\(HTML.decimal(y + 15))\">total</text>"
        svg += "<rect class=\"bar total\" x=\"\(HTML.decimal(x(min(0, explanation.total))))\" y=\"\(HTML.decimal(y))\" width=\"\(HTML.decimal(max(1, abs(x(explanation.total) - x(0)))))\" height=\"\(HTML.decimal(rowHeight - 8))\"/>"
        svg += "<text class=\"value\" x=\"\(HTML.decimal(x(max(0, explanation.total)) + 4))\" y=\"\(HTML.decimal(y + 15))\">\(Self.signed(explanation.total))</text>\n"
        return svg + "</svg></section>\n"
    }

    /// The comparisons as `explain` prints them: values, level, weight, m and u.
    private var table: String {
        var html = "<section id=\"comparisons\"><h2>Comparisons</h2>\n<table><tr><th>comparison</th><th>\(HTML.escape(left))</th><th>\(HTML.escape(right))</th><th>level</th><th class=\"num\">weight</th><th class=\"num\">m</th><th class=\"num\">u</th><th>note</th></tr>\n"
        html += "<tr><td>prior</td><td></td><td></td><td></td><td class=\"num\">\(Self.signed(explanation.prior))</td><td></td><td></td><td></td></tr>\n"
        for row in explanation.rows {
            var note = ""
            if let names = row.sharedBy {
                note = "shared by \(names)\(names >= SharedValues.cap ? " or more" : "") names: weighs nothing"
            } else if let tf = row.termFrequency {
                note = "term frequency \(Self.signed(tf))"
            }
            html += "<tr><td>\(HTML.escape(row.comparison))</td><td>\(HTML.escape(row.left))</td><td>\(HTML.escape(row.right))</td><td>\(HTML.escape(row.level))</td>"
            html += "<td class=\"num\">\(Self.signed(row.weight))</td><td class=\"num\">\(String(row.m))</td><td class=\"num\">\(String(row.u))</td><td>\(HTML.escape(note))</td></tr>\n"
        }
        if explanation.groupDiscount != 0 {
            html += "<tr><td>(one group)</td><td colspan=\"3\">a group's agreements count once, and its disagreements</td><td class=\"num\">\(Self.signed(explanation.groupDiscount))</td><td></td><td></td><td></td></tr>\n"
        }
        html += "<tr class=\"total\"><td>total</td><td colspan=\"3\">match probability \(Self.probability(explanation.probability))</td><td class=\"num\">\(Self.signed(explanation.total))</td><td></td><td></td><td></td></tr>\n"
        return html + "</table></section>\n"
    }

    private static func signed(_ value: Double) -> String { PairExplanation.signed(value) }

    private static func probability(_ value: Double) -> String { PairExplanation.rounded(value) }

    private static let style = """
    body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2933;background:#f5f7fa}header,main,footer{max-width:1000px;margin:0 auto;padding:12px 24px}\
    h1{font-size:1.35rem;margin:16px 0 4px}h2{font-size:1.1rem;margin:0 0 8px}.meta{color:#52606d;margin:4px 0}\
    .decision{display:inline-block;padding:3px 10px;border-radius:4px;font-weight:600}.decision.match{background:#e3f9e5;color:#207227}.decision.other{background:#fde8e8;color:#9b1c1c}\
    section{background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:14px 18px;margin:14px 0}\
    svg.waterfall{width:100%;height:auto}svg .label{font-size:12px;fill:#1f2933;text-anchor:end}svg .value{font-size:11px;fill:#52606d}\
    svg .bar.up{fill:#3f9142}svg .bar.down{fill:#c53030}svg .bar.total{fill:#2680c2}svg .axis{stroke:#9aa5b1}\
    table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e4e7eb;overflow-wrap:anywhere}\
    th{white-space:nowrap}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;overflow-wrap:normal}tr.total td{font-weight:600}footer{color:#7b8794;font-size:.85rem}
    """
}
