import Foundation
import ListWashCore
import ListWashMatch

/// What a run did, written as `report.json` beside the outputs and printed as a short summary.
public struct RunReport: Codable, Sendable {
    /// One input file's part of the run.
    public struct InputReport: Codable, Sendable {
        /// The file's path.
        public var path: String
        /// `csv` or `jsonl`.
        public var format: String
        /// The encoding it was decoded from.
        public var encoding: String
        /// The delimiter, for CSV.
        public var delimiter: String?
        /// Bytes read.
        public var bytes: Int
        /// How its columns mapped to roles.
        public var mapping: [ColumnMapping.Entry]
        /// Rows in, rows out per disposition, reasons.
        public var counts: Counts
    }

    /// Rows in and out, in the JSON shape users read.
    public struct Counts: Codable, Sendable {
        /// Rows read.
        public var rowsIn: Int
        /// Rows written per disposition (every disposition listed).
        public var rowsOut: [String: Int]
        /// Reasons with their counts, most frequent first.
        public var reasons: [Reason]

        init(_ counts: DispositionCounts) {
            rowsIn = counts.rowsIn
            rowsOut = Dictionary(uniqueKeysWithValues: Disposition.allCases.map { ($0.rawValue, counts.rowsOut[$0] ?? 0) })
            reasons = counts.reasons.map { Reason(reason: $0.key, rows: $0.value) }
                .sorted { ($0.rows, $1.reason) > ($1.rows, $0.reason) }
        }
    }

    /// A reason and how many rows it was given for.
    public struct Reason: Codable, Sendable {
        /// The reason.
        public var reason: String
        /// Rows.
        public var rows: Int
    }

    /// The pipeline file, when the run came from one.
    public var pipeline: String?
    /// The pipeline's name.
    public var name: String
    /// When the run started (ISO 8601, UTC).
    public var startedAt: String
    /// Seconds the run took.
    public var seconds: Double
    /// The lead management method in force.
    public var method: String
    /// Whether rows were responses or records.
    public var rows: String
    /// The stages, in order.
    public var stages: [String]
    /// Each input file.
    public var inputs: [InputReport]
    /// All inputs together.
    public var totals: Counts
    /// Warnings, as `file:line:column: warning: message`.
    public var warnings: [String]
    /// The output folder.
    public var outputFolder: String
    /// The output files.
    public var outputFiles: [String]
    /// What within-list dedupe did, when the pipeline has a dedupe stage.
    public var dedupe: DedupeSummary?
    /// Files the stages wrote beside the disposition files (update.csv, merge.csv), with their rows.
    public var stageFiles: [WrittenFile]?
    /// The suppression lists the run applied, in the order they applied (empty without a
    /// `suppress` stage).
    public var suppressionLists: [AppliedList] = []
    /// The ledger's leads that earlier runs created and the CRM export did not show yet (nightly
    /// runs only).
    public var pendingLeads: PendingLeads?

    /// What a nightly run found of the leads earlier runs created.
    public struct PendingLeads: Codable, Sendable, Equatable {
        /// Leads pending and created within `days`: this run's rows were matched against them.
        public var pending: Int
        /// Leads the leads export now shows (by their ListWash id), no longer pending.
        public var confirmed: Int
        /// The days after which a pending lead counts as not loaded (and is no longer matched).
        public var days: Int
        /// How many leads are pending for more than `days` days: perhaps never loaded.
        public var notLoadedCount: Int
        /// The ListWash ids of the first hundred of them, oldest first.
        public var notLoaded: [String]

        /// A summary of `pending` leads matched, `confirmed` by this run's export, and
        /// `notLoadedCount` older than `days` (the first of them in `notLoaded`).
        public init(pending: Int, confirmed: Int, days: Int, notLoadedCount: Int, notLoaded: [String]) {
            self.pending = pending
            self.confirmed = confirmed
            self.days = days
            self.notLoadedCount = notLoadedCount
            self.notLoaded = notLoaded
        }
    }

    /// A suppression list a run applied: which file, which version of it (SHA-256) and how many
    /// entries, so that a list that later disappears can be noticed.
    public struct AppliedList: Codable, Sendable, Equatable {
        /// The file's name (`do-not-contact.csv`).
        public var name: String
        /// Its real path (absolute, links resolved).
        public var path: String
        /// The real path of the folder it was read from.
        public var folder: String
        /// The SHA-256 of its content (hex).
        public var sha256: String
        /// Its entries.
        public var entries: Int
        /// Whether the pipeline named it (`lists:`), rather than it being one of the `*.csv`
        /// files of a folder whose lists are not named.
        public var named: Bool

        /// A list `name` at `path` in `folder`, with its hash, entries and how it was chosen.
        public init(name: String, path: String, folder: String, sha256: String, entries: Int, named: Bool) {
            self.name = name
            self.path = path
            self.folder = folder
            self.sha256 = sha256
            self.entries = entries
            self.named = named
        }
    }

    /// Blocking, scoring and clustering figures of a dedupe stage.
    public struct DedupeSummary: Codable, Sendable {
        /// Records indexed.
        public var records: Int
        /// Candidate pairs per blocking rule, with oversize blocks and the largest block.
        public var blocking: [BlockingStatistics.Rule]
        /// All candidate pairs.
        public var candidatePairs: Int
        /// Matched pairs joined into clusters, and pairs the chaining guard kept apart.
        public var joins: Int, guardedJoins: Int
        /// The prior the model used.
        public var prior: Double
        /// The largest cluster's label, records and distinct email keys.
        public var largestCluster: LargestCluster?
        /// Seconds per step.
        public var seconds: [String: Double]
    }

    /// The largest cluster of a dedupe: many records with many emails is a sign that different
    /// people were chained together.
    public struct LargestCluster: Codable, Sendable {
        /// `C12`: the cluster's label in `listwash_cluster`.
        public var label: String
        /// Its records, and their distinct email keys.
        public var records: Int, emails: Int
    }

    /// Encodes the report as pretty-printed JSON.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// The short summary printed at the end of a run.
    public var summary: String {
        let files = inputs.count == 1 ? "1 file" : "\(inputs.count) files"
        var lines = ["\(name): \(Self.grouped(totals.rowsIn)) rows in from \(files) in \(String(format: "%.2f", seconds)) s (\(method), \(rows))"]
        let width = Self.grouped(totals.rowsIn).count
        for disposition in Disposition.allCases {
            let count = totals.rowsOut[disposition.rawValue] ?? 0
            let padded = String(repeating: " ", count: max(0, width - Self.grouped(count).count)) + Self.grouped(count)
            lines.append("  \(disposition.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0))\(padded)")
        }
        if !totals.reasons.isEmpty {
            let top = totals.reasons.prefix(5).map { "\($0.reason) (\(Self.grouped($0.rows)))" }
            lines.append("top reasons: " + top.joined(separator: "; "))
        }
        if let dedupe {
            let oversize = dedupe.blocking.reduce(0) { $0 + $1.oversizeBlocks }
            var line = "dedupe: \(Self.grouped(dedupe.records)) records, \(Self.grouped(dedupe.candidatePairs)) candidate pairs (\(Self.grouped(oversize)) oversize blocks compared by neighbourhood), \(Self.grouped(dedupe.joins)) matches joined"
            if let largest = dedupe.largestCluster {
                line += "; largest cluster \(largest.label): \(Self.grouped(largest.records)) rows, \(Self.grouped(largest.emails)) distinct email\(largest.emails == 1 ? "" : "s")"
            }
            lines.append(line)
        }
        for file in stageFiles ?? [] {
            let notes = file.notes.sorted { $0.key < $1.key }.map { "\($0.key): \(Self.grouped($0.value))" }
            lines.append("\(file.name): \(Self.grouped(file.rows)) row\(file.rows == 1 ? "" : "s")" + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))"))
        }
        if !warnings.isEmpty { lines.append("\(warnings.count) warning\(warnings.count == 1 ? "" : "s") (see report.json)") }
        lines.append(outputFolder.isEmpty ? "output: \(outputFiles.joined(separator: ", "))" : "outputs: \(outputFolder)/ (\(outputFiles.joined(separator: ", ")))")
        return lines.joined(separator: "\n")
    }

    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
