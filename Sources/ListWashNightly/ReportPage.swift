import ListWash

/// `report.html`: one self-contained page about a run, with no network and no scripts: the
/// funnel from rows in to rows loaded, the reasons for suppression and rejection, the
/// match-score histogram, each input file, and a scorecard per list vendor across runs.
public struct ReportPage: Sendable {
    /// The run, as the history has it.
    public var run: RunDetail
    /// The run's report (warnings, stages, method).
    public var report: RunReport?
    /// The vendor scorecard across runs (`nil`: a run by hand, which has no history).
    public var scorecard: [ListScore]?

    /// The page of a run by hand (no history: no scorecard), from its report and the reasons
    /// and match scores `tally` (a ``RunObserver`` of the run) counted.
    public init(report: RunReport, tally: RunObserver.Tally) {
        let inputs = RunInput.processed(by: report)
        var reasons: [ReasonCount] = []
        for input in inputs {
            for (disposition, counts) in tally.reasons[input.path] ?? [:] {
                for (reason, rows) in counts { reasons.append(ReasonCount(list: input.list, disposition: disposition, reason: reason, rows: rows)) }
            }
        }
        let summary = RunSummary(id: "by hand", name: report.name, pipeline: report.pipeline, startedAt: report.startedAt, finishedAt: nil, status: .succeeded,
                                 exitStatus: 0, message: nil, seconds: report.seconds, outputFolder: report.outputFolder, files: inputs.count, skipped: 0,
                                 rowsIn: report.totals.rowsIn,
                                 rowsOut: Dictionary(uniqueKeysWithValues: Disposition.allCases.map { ($0, report.totals.rowsOut[$0.rawValue] ?? 0) }))
        self.init(run: RunDetail(summary: summary, inputs: inputs, reasons: NightlyRun.merged(reasons), histogram: tally.histogram), report: report, scorecard: nil)
    }

    /// A page for `run`.
    public init(run: RunDetail, report: RunReport?, scorecard: [ListScore]?) {
        self.run = run
        self.report = report
        self.scorecard = scorecard
    }

    /// The funnel's steps: each keeps what the one before it kept less one disposition.
    public var funnel: [(label: String, rows: Int, removed: String?)] {
        let out = run.summary.rowsOut
        let rowsIn = run.summary.rowsIn
        let valid = rowsIn - (out[.rejected] ?? 0)
        let unique = valid - (out[.duplicate] ?? 0)
        let allowed = unique - (out[.suppressed] ?? 0)
        let decided = allowed - (out[.review] ?? 0)
        return [
            ("rows in", rowsIn, nil),
            ("valid", valid, "\(HTML.grouped(out[.rejected] ?? 0)) rejected"),
            ("unique", unique, "\(HTML.grouped(out[.duplicate] ?? 0)) duplicates merged"),
            ("not suppressed", allowed, "\(HTML.grouped(out[.suppressed] ?? 0)) suppressed"),
            ("decided", decided, "\(HTML.grouped(out[.review] ?? 0)) sent to review"),
            ("loaded as new leads", out[.load] ?? 0, "\(HTML.grouped(out[.attach] ?? 0)) attached to existing records"),
        ]
    }

    /// The page.
    public var html: String {
        let summary = run.summary
        var page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>ListWash run \(HTML.escape(summary.id))</title>
        <style>\(Self.style)</style>
        </head>
        <body>
        <header>
        <h1>\(HTML.escape(summary.name)) <span class="id">run \(HTML.escape(summary.id))</span></h1>
        <p class="meta"><span class="status \(summary.status.rawValue)">\(summary.status.rawValue)</span>
        started \(HTML.escape(summary.startedAt))\(summary.seconds.map { " · \(Self.seconds($0))" } ?? "")
        · \(summary.files) file\(summary.files == 1 ? "" : "s") processed\(summary.skipped > 0 ? ", \(summary.skipped) skipped as already processed" : "")
        \(report.map { " · method \(HTML.escape($0.method)), \(HTML.escape($0.rows))" } ?? "")</p>
        </header>
        <main>
        """
        page += funnelSection + reasonsSection + histogramSection + inputsSection + scorecardSection + warningsSection
        page += "\n</main>\n<footer>Written by ListWash. Outputs and report.json are in the same folder as this page.</footer>\n</body>\n</html>\n"
        return page
    }

    private var funnelSection: String {
        let steps = funnel
        let top = max(1, steps.first?.rows ?? 1)
        var html = "<section id=\"funnel\"><h2>Funnel: from rows in to rows loaded</h2>\n<div class=\"funnel\">\n"
        for (index, step) in steps.enumerated() {
            let width = max(0.5, Double(step.rows) / Double(top) * 100)
            html += """
            <div class="step"><div class="label">\(HTML.escape(step.label))</div><div class="track"><div class="bar b\(index)" style="width:\(HTML.decimal(width))%"></div></div><div class="count">\(HTML.grouped(step.rows))</div><div class="removed">\(step.removed.map { "− " + HTML.escape($0) } ?? "")</div></div>

            """
        }
        html += "</div>\n<p class=\"note\">Every row in is in exactly one output file: "
        html += Disposition.allCases.map { "\($0.rawValue) \(HTML.grouped(run.summary.rowsOut[$0] ?? 0))" }.joined(separator: " · ")
        html += ".</p></section>\n"
        return html
    }

    private var reasonsSection: String {
        var html = "<section id=\"reasons\"><h2>Reasons for suppression and rejection</h2>\n"
        let shown: [Disposition] = [.suppressed, .rejected, .review, .duplicate]
        var any = false
        for disposition in shown {
            var totals: [String: Int] = [:]
            for reason in run.reasons where reason.disposition == disposition { totals[reason.reason, default: 0] += reason.rows }
            guard !totals.isEmpty else { continue }
            any = true
            let sorted = totals.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            let top = max(1, sorted.first?.value ?? 1)
            html += "<h3>\(disposition.rawValue)</h3>\n<table class=\"reasons\"><tr><th>reason</th><th class=\"num\">rows</th><th></th></tr>\n"
            for (reason, rows) in sorted {
                html += "<tr><td>\(HTML.escape(reason))</td><td class=\"num\">\(HTML.grouped(rows))</td><td class=\"barcell\"><div class=\"hbar \(disposition.rawValue)\" style=\"width:\(HTML.decimal(Double(rows) / Double(top) * 100))%\"></div></td></tr>\n"
            }
            html += "</table>\n"
        }
        if !any { html += "<p class=\"note\">No row was suppressed, rejected, merged or sent to review.</p>\n" }
        return html + "</section>\n"
    }

    private var histogramSection: String {
        let bins = run.histogram
        let total = bins.reduce(0, +)
        var html = "<section id=\"scores\"><h2>Match scores</h2>\n"
        guard total > 0 else {
            return html + "<p class=\"note\">No row of this run has a match score (the pipeline has no match stage, or nothing matched).</p></section>\n"
        }
        let width = 600.0, height = 180.0, left = 48.0, bottom = 24.0, right = 12.0
        let top = Double(max(1, bins.max() ?? 1))
        let slot = (width - left) / Double(bins.count)
        html += "<svg class=\"histogram\" viewBox=\"0 0 \(Int(width + right)) \(Int(height + bottom))\" role=\"img\" aria-label=\"match-score histogram, \(HTML.grouped(total)) rows\">\n"
        html += "<line x1=\"\(Int(left))\" y1=\"\(Int(height))\" x2=\"\(Int(width))\" y2=\"\(Int(height))\" class=\"axis\"/>\n"
        html += "<text x=\"\(Int(left) - 6)\" y=\"12\" class=\"tick\" text-anchor=\"end\">\(HTML.grouped(Int(top)))</text><text x=\"\(Int(left) - 6)\" y=\"\(Int(height))\" class=\"tick\" text-anchor=\"end\">0</text>\n"
        for (index, rows) in bins.enumerated() {
            let barHeight = Double(rows) / top * (height - 8)
            let x = left + Double(index) * slot + 1
            let low = Double(index) / Double(bins.count), high = Double(index + 1) / Double(bins.count)
            html += "<rect x=\"\(HTML.decimal(x))\" y=\"\(HTML.decimal(height - barHeight))\" width=\"\(HTML.decimal(slot - 2))\" height=\"\(HTML.decimal(barHeight))\" class=\"bin\"><title>\(HTML.decimal(low))–\(HTML.decimal(high)): \(HTML.grouped(rows)) rows</title></rect>\n"
        }
        for mark in [0.0, 0.25, 0.5, 0.75, 1.0] {
            html += "<text x=\"\(HTML.decimal(left + mark * (width - left)))\" y=\"\(Int(height + 16))\" class=\"tick\" text-anchor=\"middle\">\(HTML.decimal(mark))</text>\n"
        }
        html += "</svg>\n<p class=\"note\">\(HTML.grouped(total)) rows with a score, in bins of 0.05.</p></section>\n"
        return html
    }

    private var inputsSection: String {
        var html = "<section id=\"inputs\"><h2>Input files</h2>\n<table><tr><th>file</th><th>list</th><th class=\"num\">rows in</th>"
        html += Disposition.allCases.map { "<th class=\"num\">\($0.rawValue)</th>" }.joined() + "<th>note</th></tr>\n"
        for input in run.inputs {
            html += "<tr class=\"\(input.processed ? "" : "skipped")\"><td class=\"path\">\(HTML.escape(input.path))</td><td>\(HTML.escape(input.list))</td>"
            html += "<td class=\"num\">\(input.processed ? HTML.grouped(input.rowsIn) : "—")</td>"
            html += Disposition.allCases.map { "<td class=\"num\">\(input.processed ? HTML.grouped(input.rowsOut[$0] ?? 0) : "")</td>" }.joined()
            html += "<td class=\"note\">\(HTML.escape(input.note ?? ""))</td></tr>\n"
        }
        return html + "</table></section>\n"
    }

    private var scorecardSection: String {
        var html = "<section id=\"scorecard\"><h2>List vendor scorecard (all runs)</h2>\n"
        guard let scorecard else { return "" }
        guard !scorecard.isEmpty else { return html + "<p class=\"note\">No list processed yet.</p></section>\n" }
        html += "<table><tr><th>list</th><th class=\"num\">runs</th><th class=\"num\">files</th><th class=\"num\">rows</th><th>invalid share</th><th>duplicate share</th><th>suppressed share</th><th>last seen</th></tr>\n"
        for score in scorecard {
            html += "<tr><td>\(HTML.escape(score.list))</td><td class=\"num\">\(score.runs)</td><td class=\"num\">\(score.files)</td><td class=\"num\">\(HTML.grouped(score.rows))</td>"
            for (part, kind) in [(score.rejected, "rejected"), (score.duplicate, "duplicate"), (score.suppressed, "suppressed")] {
                let share = score.share(part)
                html += "<td class=\"share\"><span class=\"sharebar\"><span class=\"hbar \(kind)\" style=\"width:\(HTML.decimal(share * 100))%\"></span></span> \(HTML.percent(share))</td>"
            }
            html += "<td>\(HTML.escape(score.lastSeen))</td></tr>\n"
        }
        return html + "</table><p class=\"note\">Shares of each list's rows over every successful run, worst invalid share first.</p></section>\n"
    }

    private var warningsSection: String {
        guard let warnings = report?.warnings, !warnings.isEmpty else { return "" }
        return "<section id=\"warnings\"><h2>Warnings</h2><ul>" + warnings.map { "<li><code>\(HTML.escape($0))</code></li>" }.joined() + "</ul></section>\n"
    }

    static func seconds(_ value: Double) -> String {
        value < 60 ? "\(HTML.decimal(value)) s" : "\(Int(value) / 60) min \(Int(value) % 60) s"
    }

    /// A number with at most two decimals, no exponent.
    static let style = """
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f2933;background:#f7f8fa;margin:0;padding:24px 32px;max-width:1100px}
    h1{font-size:22px;margin:0 0 4px}h1 .id{font-size:14px;font-weight:normal;color:#627d98;font-family:ui-monospace,"DejaVu Sans Mono",monospace}
    h2{font-size:16px;margin:0 0 12px}h3{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#52606d;margin:14px 0 6px}
    section{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:16px 20px;margin:16px 0}
    .meta{color:#52606d;margin:0}.status{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px;background:#e4e7eb}
    .status.succeeded{background:#c6f7e2;color:#014d40}.status.failed,.status.interrupted{background:#ffe3e3;color:#8a041a}
    .funnel .step{display:grid;grid-template-columns:160px 1fr 90px 260px;align-items:center;gap:10px;margin:6px 0}
    .funnel .track{background:#f0f4f8;border-radius:4px;height:22px}.funnel .bar{height:22px;border-radius:4px;background:#2680c2}
    .funnel .b1{background:#2f8ccf}.funnel .b2{background:#3a9ad9}.funnel .b3{background:#47a3df}.funnel .b4{background:#5cb0e6}.funnel .b5{background:#27ab83}
    .funnel .count{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}.funnel .removed{color:#7b8794;font-size:13px}
    table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:4px 8px;border-bottom:1px solid #eef1f4;text-align:left;vertical-align:top}
    th{color:#52606d;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}td.path{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px}
    tr.skipped td{color:#9aa5b1}td.note{color:#7b8794;font-size:12px}
    .barcell{width:40%}.hbar{display:block;height:12px;border-radius:3px;background:#2680c2}
    .hbar.rejected{background:#e12d39}.hbar.suppressed{background:#f0b429}.hbar.duplicate{background:#8719e0}.hbar.review{background:#40c3f7}
    .sharebar{display:inline-block;width:90px;height:10px;background:#f0f4f8;border-radius:3px;vertical-align:middle;overflow:hidden}.sharebar .hbar{height:10px}
    td.share{white-space:nowrap;font-variant-numeric:tabular-nums}
    svg.histogram{width:100%;max-width:700px;height:auto}svg .bin{fill:#2680c2}svg .axis{stroke:#9aa5b1}svg .tick{font-size:11px;fill:#52606d}
    .note{color:#7b8794;font-size:12px;margin:8px 0 0}footer{color:#9aa5b1;font-size:12px;margin-top:12px}code{font-size:12px}
    """
}
