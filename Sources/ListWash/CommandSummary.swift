import Foundation
import ListWashCore
import Synchronization

/// What `normalize`, `dedupe` and `link` print when they end: what they did to the list, in their
/// own words, rather than the lead decision's dispositions that `run` counts.
///
/// ```
/// dedupe: 21 rows of examples/acquired-list.csv in 0.01 s: 17 people; 4 rows repeat another row's person, 0 possible duplicates to review, 4 rejected
/// largest cluster C1: 2 rows, 1 distinct email
/// output: d.csv
/// ```
public enum CommandSummary {
    /// `normalize`: rows written with their normalized columns, and rows rejected (with why).
    public static func normalize(_ report: RunReport) -> String {
        let written = report.totals.rowsIn - rejected(report)
        return lines(report, verb: "", what: "\(RunReport.grouped(written)) written with their normalized columns, \(rejectedText(report))")
    }

    /// `dedupe`: how many people the rows are, how many repeat another row's person, how many
    /// wait for review.
    public static func dedupe(_ report: RunReport) -> String {
        let records = report.dedupe?.records ?? 0, joins = report.dedupe?.joins ?? 0
        let review = report.totals.rowsOut[Disposition.review.rawValue] ?? 0
        let largest = report.dedupe?.largestCluster.map { largest in
            "largest cluster \(largest.label): \(RunReport.grouped(largest.records)) rows, \(RunReport.grouped(largest.emails)) distinct email\(largest.emails == 1 ? "" : "s")"
        }
        return lines(report, verb: "", what: "\(RunReport.grouped(records - joins)) people; \(RunReport.grouped(joins)) rows repeat another row's person, "
                     + "\(RunReport.grouped(review)) possible duplicate\(review == 1 ? "" : "s") to review, \(rejectedText(report))", extra: largest.map { [$0] } ?? [])
    }

    /// `link`: how many rows were linked to a row of `reference`, sent to review, or not found;
    /// with `customerShare`, the share of rows the link learned to expect in `reference`.
    public static func link(_ report: RunReport, reference: String, linked: Int, customerShare: Double? = nil) -> String {
        let review = report.totals.rowsOut[Disposition.review.rawValue] ?? 0
        let found = report.totals.rowsIn - rejected(report) - review - linked
        let share = customerShare.map { ["rows expected to be in \(reference), learned from the list: \(String(format: "%.1f", $0 * 100))%"] } ?? []
        return lines(report, verb: " against \(reference)", what: "\(RunReport.grouped(linked)) linked to a row of \(reference), "
                     + "\(RunReport.grouped(review)) possible match\(review == 1 ? "" : "es") to review, \(RunReport.grouped(found)) not found, \(rejectedText(report))",
                     extra: share)
    }

    /// The first line (`NAME: N rows of FILE[ verb] in S s: what`), `extra` lines, and the output line.
    private static func lines(_ report: RunReport, verb: String, what: String, extra: [String] = []) -> String {
        let files = report.inputs.map(\.path).joined(separator: ", ")
        var lines = ["\(report.name): \(RunReport.grouped(report.totals.rowsIn)) rows of \(files)\(verb) in \(String(format: "%.2f", report.seconds)) s: \(what)"] + extra
        if !report.warnings.isEmpty { lines.append("\(report.warnings.count) warning\(report.warnings.count == 1 ? "" : "s") (on standard error)") }
        lines.append("output: \(report.outputFiles.joined(separator: ", "))")
        return lines.joined(separator: "\n")
    }

    private static func rejected(_ report: RunReport) -> Int {
        report.totals.rowsOut[Disposition.rejected.rawValue] ?? 0
    }

    /// `4 rejected (ragged row 2; unterminated quote 1)`.
    private static func rejectedText(_ report: RunReport) -> String {
        let count = rejected(report)
        guard count > 0 else { return "0 rejected" }
        let reasons = report.totals.reasons.prefix(3).map { "\($0.reason) \(RunReport.grouped($0.rows))" }
        return "\(RunReport.grouped(count)) rejected (\(reasons.joined(separator: "; ")))"
    }
}

/// Counts the rows a match stage linked to a reference row (`listwash_match_id` set): the
/// figure `link` reports. Add it after the stages (``Runner/observers``).
public final class LinkedRows: Stage, Sendable {
    private let count = Mutex(0)

    /// A counter at zero.
    public init() {}

    public var name: String { "linked-rows" }
    public var runsConcurrently: Bool { true }

    /// The rows counted so far.
    public var linked: Int { count.withLock { $0 } }

    public func process(_ batch: inout RecordBatch) throws {
        var linked = 0
        for row in 0..<batch.count where batch.isOpen(row) && !batch[row, OutputLayout.matchID].isEmpty { linked += 1 }
        count.withLock { $0 += linked }
    }
}
