import ListWash

/// Where a run stands in the history.
public enum RunStatus: String, Sendable, CaseIterable {
    /// Started; outputs not yet in place. A run left in this state was stopped (killed).
    case running
    /// Counts recorded; its output folder is being moved into place.
    case committing
    /// Outputs in place and inputs recorded as processed.
    case succeeded
    /// Stopped by an error; nothing was written; its files are processed again next time.
    case failed
    /// Found unfinished by a later run (the process was killed or the machine went down).
    case interrupted
    /// Ran, found no new file in the inbox, wrote nothing.
    case nothingNew = "nothing-new"
}

/// One run as `listwash history` lists it.
public struct RunSummary: Sendable, Equatable {
    /// The run id (`2026-11-23T021500Z-3fa9c2`), also its output folder's name.
    public var id: String
    /// The pipeline's name.
    public var name: String
    /// The pipeline file.
    public var pipeline: String?
    /// When it started (ISO 8601, UTC).
    public var startedAt: String
    /// When it finished, if it did.
    public var finishedAt: String?
    /// Where it stands.
    public var status: RunStatus
    /// The exit status it ended with (`nil` while running or when killed).
    public var exitStatus: Int?
    /// The error or note, when there is one.
    public var message: String?
    /// Seconds it took.
    public var seconds: Double?
    /// Its output folder.
    public var outputFolder: String?
    /// Input files it processed.
    public var files: Int
    /// Input files it skipped as already processed.
    public var skipped: Int
    /// Rows read.
    public var rowsIn: Int
    /// Rows written per disposition.
    public var rowsOut: [Disposition: Int]
}

/// One input file of a run.
public struct RunInput: Sendable, Equatable {
    /// The inputs of a run by hand as its report gives them: processed, rows per disposition,
    /// their list named after the file (no hash: such a run keeps no file from being processed
    /// again).
    static func processed(by report: RunReport) -> [RunInput] {
        report.inputs.map { input in
            RunInput(path: input.path, sha256: nil, bytes: input.bytes, list: ListName.of(fileName: String(input.path.split(separator: "/").last ?? Substring(input.path))),
                     processed: true, rowsIn: input.counts.rowsIn,
                     rowsOut: Dictionary(uniqueKeysWithValues: Disposition.allCases.map { ($0, input.counts.rowsOut[$0.rawValue] ?? 0) }))
        }
    }

    /// The file's path when the run found it.
    public var path: String
    /// SHA-256 of its content (hex).
    public var sha256: String?
    /// Its size in bytes.
    public var bytes: Int
    /// Its source list.
    public var list: String
    /// Whether it was processed or skipped.
    public var processed: Bool
    /// Why it was skipped, where it was moved, ...
    public var note: String?
    /// Rows read from it.
    public var rowsIn: Int
    /// Rows written per disposition.
    public var rowsOut: [Disposition: Int]

    /// An input entry.
    public init(path: String, sha256: String?, bytes: Int, list: String, processed: Bool, note: String? = nil, rowsIn: Int = 0, rowsOut: [Disposition: Int] = [:]) {
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
        self.list = list
        self.processed = processed
        self.note = note
        self.rowsIn = rowsIn
        self.rowsOut = rowsOut
    }
}

/// How many rows of one list got one reason.
public struct ReasonCount: Sendable, Equatable {
    /// The source list.
    public var list: String
    /// The disposition the reason led to.
    public var disposition: Disposition
    /// The reason, grouped (details left out).
    public var reason: String
    /// Rows.
    public var rows: Int

    /// A reason count.
    public init(list: String, disposition: Disposition, reason: String, rows: Int) {
        self.list = list
        self.disposition = disposition
        self.reason = reason
        self.rows = rows
    }
}

/// One run in full, for `listwash report RUN` and report.html.
public struct RunDetail: Sendable, Equatable {
    /// The run.
    public var summary: RunSummary
    /// Its input files, processed and skipped.
    public var inputs: [RunInput]
    /// Reasons per list and disposition, most frequent first.
    public var reasons: [ReasonCount]
    /// Rows per match-score bin (``MatchScoreHistogram/binCount`` bins over 0...1).
    public var histogram: [Int]
}

/// A source list's record across all successful runs: the vendor scorecard.
public struct ListScore: Sendable, Equatable {
    /// The list.
    public var list: String
    /// Runs it was in.
    public var runs: Int
    /// Files received.
    public var files: Int
    /// Rows received.
    public var rows: Int
    /// Rows rejected as invalid.
    public var rejected: Int
    /// Rows merged as duplicates.
    public var duplicate: Int
    /// Rows suppressed.
    public var suppressed: Int
    /// Rows loaded as new leads.
    public var loaded: Int
    /// When its last file was processed.
    public var lastSeen: String

    /// `part` as a share of the list's rows (0 when it has none).
    public func share(_ part: Int) -> Double { rows == 0 ? 0 : Double(part) / Double(rows) }
}
