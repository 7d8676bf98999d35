import ListWash

/// The text `listwash history` and `listwash report RUN` print.
public enum HistoryText {
    /// One line per run, newest first, under a header.
    public static func table(_ runs: [RunSummary]) -> String {
        guard !runs.isEmpty else { return "no runs yet" }
        let header = ["run", "started", "status", "exit", "files", "skipped", "rows in"] + Disposition.allCases.map(\.rawValue) + ["seconds"]
        var rows = [header]
        for run in runs {
            var row = [run.id, run.startedAt, run.status.rawValue, run.exitStatus.map(String.init) ?? "-", String(run.files), String(run.skipped), HTML.grouped(run.rowsIn)]
            row += Disposition.allCases.map { HTML.grouped(run.rowsOut[$0] ?? 0) }
            row.append(run.seconds.map { HTML.decimal($0) } ?? "-")
            rows.append(row)
        }
        return aligned(rows, numeric: Set(3..<header.count))
    }

    /// Every response of a person (`listwash history --person`), oldest first, under a header.
    public static func responses(_ responses: [Ledger.Response], of person: String) -> String {
        guard !responses.isEmpty else { return "no responses of \(person) in the lead ledger" }
        let header = ["run", "list", "campaign", "date", "action", "target", "email", "owner", "row"]
        let rows = [header] + responses.map { response in
            [response.runID, response.list, response.campaign, response.responseDate, response.action, response.target,
             response.email, response.owner, "\(response.source):\(response.row)"]
        }
        return aligned(rows, numeric: [])
    }

    /// `rows` in columns two spaces apart, `numeric` ones aligned right.
    static func aligned(_ rows: [[String]], numeric: Set<Int>) -> String {
        let widths = (rows.first ?? []).indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return numeric.contains(column) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }

    /// One run's summary.
    public static func detail(_ run: RunDetail) -> String {
        let summary = run.summary
        var lines = ["run \(summary.id) (\(summary.name)): \(summary.status.rawValue)" + (summary.exitStatus.map { ", exit status \($0)" } ?? "")]
        var timing = "started \(summary.startedAt)"
        if let finished = summary.finishedAt { timing += ", finished \(finished)" }
        if let seconds = summary.seconds { timing += ", \(HTML.decimal(seconds)) s" }
        lines.append(timing)
        if let pipeline = summary.pipeline { lines.append("pipeline: \(pipeline)") }
        if let message = summary.message { lines.append("note: \(message)") }
        if !run.inputs.isEmpty {
            lines.append("inputs:")
            for input in run.inputs {
                var line = "  \(input.path)  list \(input.list), \(HTML.grouped(input.bytes)) bytes"
                if input.processed { line += ", \(HTML.grouped(input.rowsIn)) rows" }
                if let hash = input.sha256 { line += ", sha256 \(hash.prefix(12))" }
                line += input.processed ? "" : " (skipped)"
                if let note = input.note, !note.isEmpty { line += "\n    \(note)" }
                lines.append(line)
            }
        }
        if summary.files > 0 {
            lines.append("rows: \(HTML.grouped(summary.rowsIn)) in")
            let width = HTML.grouped(summary.rowsIn).count
            for disposition in Disposition.allCases {
                let count = HTML.grouped(summary.rowsOut[disposition] ?? 0)
                lines.append("  \(disposition.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0))\(String(repeating: " ", count: max(0, width - count.count)))\(count)")
            }
        }
        if !run.reasons.isEmpty {
            lines.append("reasons:")
            for reason in run.reasons.prefix(15) {
                lines.append("  \(reason.disposition.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0))\(reason.reason) (\(HTML.grouped(reason.rows)), \(reason.list))")
            }
        }
        let scored = run.histogram.reduce(0, +)
        if scored > 0 { lines.append("match scores: \(HTML.grouped(scored)) rows (histogram in report.html)") }
        if let folder = summary.outputFolder, summary.status == .succeeded { lines.append("outputs: \(folder)/ (report: \(folder)/report.html)") }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
