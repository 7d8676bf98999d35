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
/// hidden folder and put in place only by ``commit(extraFiles:)``, so a failed or killed run
/// never leaves half-written outputs.
///
/// An output folder is committed as a whole (``FolderSwap``): the staging folder
/// (`.listwash-staging-<pid>-<n>-<name>`) sits beside it and the two are swapped in one step,
/// so the folder holds one run's files, never a mix; the user's other files in it are kept. A
/// single output file is staged beside it and renamed into place. Staging folders that killed
/// runs left are removed when a sink opens beside them.
public final class DispositionSink: @unchecked Sendable {
    /// The output folder.
    public let directory: String
    /// The hidden folder the files are written in until the run succeeds.
    public let stagingDirectory: String
    /// The swap that commits an output folder; `nil` for a single output file.
    var swap: FolderSwap?
    private var writers: [Disposition: any RecordWriter] = [:]
    /// The import profile's files (none for `generic` or a single output file).
    private var importWriters: [ImportFileWriter] = []
    /// The import profile whose files are written beside the disposition files.
    public let profile: ImportProfile
    /// Counts per source path.
    public private(set) var counts: [String: DispositionCounts] = [:]
    private let format: OutputFormat

    /// Where the outputs go: one file per disposition in a folder, or every row in one file.
    public enum Destination: Sendable {
        case folder(String)
        case file(String)
    }

    private let singleFile: String?

    /// Creates the output folder if needed and opens one staged file per disposition.
    ///
    /// - Throws: ``ListWashError`` (`.output`) when the folder cannot be created or written.
    public convenience init(directory: String, columns: OutputColumns, layout: OutputLayout, format: OutputFormat = .csv) throws {
        try self.init(.folder(directory), columns: columns, layout: layout, format: format)
    }

    /// The files ``commit(extraFiles:)`` puts in place besides the extra ones: one per
    /// disposition, then the import profile's.
    public var outputFiles: [String] {
        Disposition.allCases.map { $0.fileName(extension: format.rawValue) } + (importWriters.isEmpty ? [] : profile.fileNames)
    }

    /// Opens staged outputs at `destination`: a folder with one file per disposition, or one
    /// file holding every row (its `listwash_disposition` column tells them apart). In a folder,
    /// `profile`'s import files are written too, from the `load` and `attach` rows.
    public init(_ destination: Destination, columns: OutputColumns, layout: OutputLayout, format: OutputFormat = .csv,
                profile: ImportProfile = ImportProfile(.generic)) throws {
        self.format = format
        self.profile = profile
        switch destination {
        case .folder(let folder):
            directory = folder
            singleFile = nil
        case .file("-"):
            // Standard output: rows stream straight out (nothing to stage or rename); the
            // staging folder (for spooled batches) goes in the temporary folder.
            directory = Environment.value("TMPDIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            singleFile = "-"
        case .file(let path):
            let slash = path.lastIndex(of: "/")
            directory = slash.map { String(path[..<$0]) }.flatMap { $0.isEmpty ? "/" : $0 } ?? "."
            singleFile = slash.map { String(path[path.index(after: $0)...]) } ?? path
        }
        if let singleFile {
            StagingFolder.removeAbandoned(in: directory)
            try FileSystem.createDirectory(directory)
            stagingDirectory = StagingFolder.path(in: directory, for: singleFile == "-" ? "stdout" : singleFile)
            try FileSystem.createDirectory(stagingDirectory)
        } else {
            let swap = try FolderSwap(folder: directory)
            self.swap = swap
            stagingDirectory = swap.staging
        }
        func open(_ name: String, raw: Bool) throws -> any RecordWriter {
            let path = singleFile == "-" ? "-" : "\(stagingDirectory)/\(name)"
            return switch format {
            case .csv: try CSVWriter(path: path, columns: columns, layout: layout, includeRawText: raw)
            case .jsonl: try JSONLinesWriter(path: path, columns: columns, layout: layout, includeRawText: raw)
            }
        }
        if let singleFile {
            let writer = try open(singleFile, raw: true)
            for disposition in Disposition.allCases { writers[disposition] = writer }
        } else {
            for disposition in Disposition.allCases {
                writers[disposition] = try open(disposition.fileName(extension: format.rawValue), raw: disposition == .rejected)
            }
            importWriters = try profile.files.map { try ImportFileWriter(path: "\(stagingDirectory)/\($0.name)", file: $0, memberCheck: profile.memberCheck) }
        }
    }

    /// Writes every record of `batch` to its disposition's file; records still open count as `load`.
    public func write(_ batch: RecordBatch) throws {
        try write(encode(batch))
    }

    /// A batch turned into output bytes per file, with its counts; made on any thread by
    /// ``encode(_:)`` and written in order by ``write(_:)-(Encoded)``.
    public struct Encoded: Sendable {
        let source: String
        let bytes: [(disposition: Disposition, bytes: [UInt8], records: Int)]
        /// The import files' lines, one entry per file of the profile.
        let imports: [ImportFileWriter.Lines]
        let counts: DispositionCounts
    }

    /// Formats every record of `batch` for its disposition's file (records still open count as
    /// `load`). Reads only the sink's settings, so any thread may call it.
    public func encode(_ batch: RecordBatch) -> Encoded {
        var rows: [Disposition: [Int]] = [:]
        var counts = DispositionCounts()
        for row in 0..<batch.count {
            let disposition = batch.dispositions[row] ?? .load
            rows[disposition, default: []].append(row)
            let reason = batch.reasons[row]
            if !reason.isEmpty { counts.reasons[Self.reasonKey(reason), default: 0] += 1 }
        }
        var bytes: [(disposition: Disposition, bytes: [UInt8], records: Int)] = []
        for disposition in Disposition.allCases {
            guard let selected = rows[disposition], !selected.isEmpty else { continue }
            counts.rowsOut[disposition, default: 0] += selected.count
            if singleFile == nil, let writer = writers[disposition] { bytes.append((disposition, writer.encode(batch, rows: selected), selected.count)) }
        }
        // One file keeps the input order.
        if singleFile != nil, let writer = writers[.load] { bytes.append((.load, writer.encode(batch, rows: Array(0..<batch.count)), batch.count)) }
        let imports = importWriters.map { $0.encode(batch) }
        return Encoded(source: batch.schema.source, bytes: bytes, imports: imports, counts: counts)
    }

    /// Writes an encoded batch and adds its counts, in input order.
    public func write(_ encoded: Encoded) throws {
        for part in encoded.bytes {
            try writers[part.disposition]?.append(encoded: part.bytes, records: part.records)
        }
        for (writer, lines) in zip(importWriters, encoded.imports) { try writer.append(lines) }
        counts[encoded.source, default: DispositionCounts()].add(encoded.counts)
    }

    /// Records how many rows `source` had, for the rows-in = rows-out check.
    public func countRowsIn(_ rows: Int, source: String) {
        counts[source, default: DispositionCounts()].rowsIn = rows
    }

    /// The path of an extra file (such as the run report) staged with the outputs.
    public func stagedPath(_ name: String) -> String { "\(stagingDirectory)/\(name)" }

    /// Flushes every file, checks that no row was lost, and puts the outputs in place: an output
    /// folder swapped as a whole with the staging folder (the run's files and `extraFiles`, with
    /// the folder's other files carried over), or the single output file renamed.
    ///
    /// - Throws: ``ListWashError`` (`.internal`) when rows in differ from rows out for a source;
    ///   (`.output`) when a file cannot be written or moved.
    public func commit(extraFiles: [String] = []) throws {
        for (source, count) in counts where count.rowsIn != count.totalOut {
            throw ListWashError(.internal, "rows in (\(count.rowsIn)) differ from rows out (\(count.totalOut)) for \(source); no output was written", at: SourceLocation(file: source))
        }
        for disposition in Disposition.allCases where singleFile == nil || disposition == .load { try writers[disposition]?.finish() }
        for writer in importWriters { try writer.finish() }
        if !importWriters.isEmpty {
            let rows = Dictionary(uniqueKeysWithValues: importWriters.map { ($0.file.name, $0.recordsWritten) })
            try FileSystem.write(profile.readme(rows: rows), to: stagedPath(ImportProfile.readmeName))
        }
        if let swap {
            try swap.commit(outputs: outputFiles + extraFiles)
            return
        }
        if let singleFile, singleFile != "-" {
            try FileSystem.rename("\(stagingDirectory)/\(singleFile)", to: "\(directory)/\(singleFile)")
            FileSystem.syncFolder(directory)
        }
        FileSystem.removeTree(stagingDirectory)
    }

    /// Removes the staged files; the output folder keeps what it had before the run.
    public func abandon() {
        writers.removeAll()
        importWriters.removeAll()
        FileSystem.removeTree(stagingDirectory)
    }

    /// The part of a reason that groups it: the text before its first digit, parenthesis or
    /// colon (`ragged row: 9 fields ...` and `duplicate of row 12 ...` group as `ragged row`
    /// and `duplicate of row`).
    public static func reasonKey(_ reason: String) -> String {
        guard let cut = reason.firstIndex(where: { $0.isNumber || $0 == "(" || $0 == ":" }), cut != reason.startIndex else { return reason }
        let head = reason[..<cut].trimmingSuffix(while: { $0 == " " })
        return head.isEmpty ? reason : String(head)
    }
}

extension Substring {
    func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
