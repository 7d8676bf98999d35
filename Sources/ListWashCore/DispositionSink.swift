/// The format of output files.
public enum OutputFormat: String, Sendable, Codable, CaseIterable {
    case csv
    case jsonl
}

/// Rows counted per disposition and reason, for one source or a whole run.
public struct DispositionCounts: Sendable, Codable, Equatable {
    /// Rows read.
    public var rowsIn = 0
    /// Rows written, per disposition.
    public var rowsOut: [Disposition: Int] = [:]
    /// How often each reason was given (a reason's text up to its details: the part before " (").
    public var reasons: [String: Int] = [:]

    /// Creates empty counts.
    public init() {}

    /// All rows written.
    public var totalOut: Int { rowsOut.values.reduce(0, +) }

    /// Adds `other` to these counts.
    public mutating func add(_ other: DispositionCounts) {
        rowsIn += other.rowsIn
        for (key, value) in other.rowsOut { rowsOut[key, default: 0] += value }
        for (key, value) in other.reasons { reasons[key, default: 0] += value }
    }
}

/// Writes each record to the file of its disposition (`load.csv`, `attach.csv`, ...), staged in a
/// hidden folder and moved into place only by ``commit()``, so a failed or killed run never
/// leaves half-written outputs.
public final class DispositionSink {
    /// The output folder.
    public let directory: String
    /// The hidden folder the files are written in until the run succeeds.
    public let stagingDirectory: String
    private var writers: [Disposition: any RecordWriter] = [:]
    private var rows: [Disposition: [Int]] = [:]
    /// Counts per source path.
    public private(set) var counts: [String: DispositionCounts] = [:]
    private let format: OutputFormat

    /// Creates the output folder if needed and opens one staged file per disposition.
    ///
    /// - Throws: ``ListWashError`` (`.output`) when the folder cannot be created or written.
    public init(directory: String, columns: OutputColumns, layout: OutputLayout, format: OutputFormat = .csv) throws {
        self.directory = directory
        self.format = format
        try FileSystem.createDirectory(directory)
        stagingDirectory = "\(directory)/.listwash-staging-\(FileSystem.processID)"
        if FileSystem.exists(stagingDirectory) { Self.removeStaging(stagingDirectory) }
        try FileSystem.createDirectory(stagingDirectory)
        for disposition in Disposition.allCases {
            let path = "\(stagingDirectory)/\(disposition.fileName(extension: format.rawValue))"
            let raw = disposition == .rejected
            writers[disposition] = switch format {
            case .csv: try CSVWriter(path: path, columns: columns, layout: layout, includeRawText: raw)
            case .jsonl: try JSONLinesWriter(path: path, columns: columns, layout: layout, includeRawText: raw)
            }
        }
    }

    /// Writes every record of `batch` to its disposition's file; records still open count as `load`.
    public func write(_ batch: RecordBatch) throws {
        for disposition in Disposition.allCases { rows[disposition, default: []].removeAll(keepingCapacity: true) }
        var sourceCounts = counts[batch.schema.source] ?? DispositionCounts()
        for row in 0..<batch.count {
            let disposition = batch.dispositions[row] ?? .load
            rows[disposition, default: []].append(row)
            let reason = batch.reasons[row]
            if !reason.isEmpty { sourceCounts.reasons[Self.reasonKey(reason), default: 0] += 1 }
        }
        for disposition in Disposition.allCases {
            guard let selected = rows[disposition], !selected.isEmpty, let writer = writers[disposition] else { continue }
            try writer.write(batch, rows: selected)
            sourceCounts.rowsOut[disposition, default: 0] += selected.count
        }
        counts[batch.schema.source] = sourceCounts
    }

    /// Records how many rows `source` had, for the rows-in = rows-out check.
    public func countRowsIn(_ rows: Int, source: String) {
        counts[source, default: DispositionCounts()].rowsIn = rows
    }

    /// The path of an extra file (such as the run report) staged with the outputs.
    public func stagedPath(_ name: String) -> String { "\(stagingDirectory)/\(name)" }

    /// Flushes every file, checks that no row was lost, and moves the files into the output folder.
    ///
    /// - Throws: ``ListWashError`` (`.internal`) when rows in differ from rows out for a source;
    ///   (`.output`) when a file cannot be written or moved.
    public func commit(extraFiles: [String] = []) throws {
        for (source, count) in counts where count.rowsIn != count.totalOut {
            throw ListWashError(.internal, "rows in (\(count.rowsIn)) differ from rows out (\(count.totalOut)) for \(source); no output was written", at: SourceLocation(file: source))
        }
        for writer in writers.values { try writer.finish() }
        let names = Disposition.allCases.map { $0.fileName(extension: format.rawValue) } + extraFiles
        for name in names { try FileSystem.rename("\(stagingDirectory)/\(name)", to: "\(directory)/\(name)") }
        Self.removeStaging(stagingDirectory)
    }

    /// Removes the staged files; the output folder keeps what it had before the run.
    public func abandon() {
        writers.removeAll()
        Self.removeStaging(stagingDirectory)
    }

    private static func removeStaging(_ path: String) {
        for name in FileSystem.contents(of: path) { FileSystem.remove("\(path)/\(name)") }
        FileSystem.remove(path)
    }

    /// The part of a reason that groups it: the text before any details in parentheses or after
    /// a colon with numbers (`ragged row: 9 fields ...` groups as `ragged row`).
    static func reasonKey(_ reason: String) -> String {
        if let colon = reason.firstIndex(of: ":") {
            let head = reason[..<colon]
            if !head.contains(".") { return String(head) }
        }
        return reason
    }
}
