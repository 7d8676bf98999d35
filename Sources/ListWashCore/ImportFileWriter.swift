/// Writes one import file of a profile (``ImportProfile/File``): for every row of a batch whose
/// disposition the file takes, one CSV line of the profile's columns, and only the first line of
/// each ``ImportProfile/File/unique`` key (one lead per ListWash id, one campaign member per
/// campaign and person: the CRM refuses a second; a buying group's file also keys on the person,
/// `listwash_cluster`, and holds only its ``ImportProfile/File/members``). Encodes on any thread and appends in input
/// order, as the disposition files do, into the same staging folder.
public final class ImportFileWriter: @unchecked Sendable {
    /// The file written.
    public let file: ImportProfile.File
    private let output: ByteOutput
    /// The positions of the columns whose values make a line's key.
    private let keyColumns: [Int]
    /// Hashes of the keys written so far.
    private var seen = Set<Int>()
    /// Lines written after the header.
    public private(set) var recordsWritten = 0

    /// Some rows' lines, made on any thread by ``encode(_:)``: their bytes one after another,
    /// where each ends, and each line's key hash (`nil`: always written).
    public struct Lines: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var keys: [Int?] = []
    }

    /// What a buying-group member without a CRM contact needs to be in a member file
    /// (``ImportProfile/memberCheck``).
    public let memberCheck: ImportProfile.LeadCheck?

    /// Creates `path` and writes the file's header; `memberCheck` is the profile's
    /// ``ImportProfile/memberCheck`` (used by member files only).
    ///
    /// - Throws: ``ListWashError`` (`.output`) when the file cannot be created.
    public init(path: String, file: ImportProfile.File, memberCheck: ImportProfile.LeadCheck? = nil) throws {
        self.file = file
        self.memberCheck = memberCheck
        keyColumns = file.columns.indices.filter { file.unique.contains(file.columns[$0].field) }
        output = try ByteOutput(path: path)
        var line: [UInt8] = []
        CSVWriter.appendLine(file.columns.map(\.title), to: &line)
        line.withUnsafeBufferPointer { output.append($0) }
    }

    /// The lines of the rows of `batch` that this file takes (records still open count as
    /// `load`). Reads only the writer's settings, so any thread may call it.
    public func encode(_ batch: RecordBatch) -> Lines {
        var lines = Lines()
        var taken = (0..<batch.count).filter { file.dispositions.contains(batch.dispositions[$0] ?? .load) }
        guard !taken.isEmpty else { return lines }
        let resolved = ImportProfile.Resolved(file.columns, batch: batch)
        let person = file.members == nil ? nil : OutputLayout.cluster
        if let members = file.members {
            let check = memberCheck?.resolved(for: batch)
            taken = taken.filter { resolved.isMember(batch, row: $0, members, check: check) }
        }
        lines.bytes.reserveCapacity(taken.count * 160)
        for row in taken {
            var hasher = Hasher(), keyed = false
            // A buying group's file: one line per person (and lead).
            if let person {
                batch.withValue(row, person) { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
                keyed = true
            }
            for index in file.columns.indices {
                if index > 0 { lines.bytes.append(UInt8(ascii: ",")) }
                resolved.withValue(batch, row: row, column: index) { value in
                    CSVWriter.appendField(value, to: &lines.bytes)
                    guard keyColumns.contains(index) else { return }
                    hasher.combine(bytes: UnsafeRawBufferPointer(value))
                    hasher.combine(0x1F as UInt8)
                    keyed = keyed || !value.isEmpty
                }
            }
            lines.bytes.append(UInt8(ascii: "\n"))
            lines.ends.append(lines.bytes.count)
            lines.keys.append(keyed ? hasher.finalize() : nil)
        }
        return lines
    }

    /// Appends lines made by ``encode(_:)``, in input order, leaving out those whose key an
    /// earlier line had.
    public func append(_ lines: Lines) throws {
        guard !lines.ends.isEmpty else { return }
        lines.bytes.withUnsafeBufferPointer { bytes in
            // Runs of lines kept go out in one append each.
            var start = 0, runStart = 0
            for (end, key) in zip(lines.ends, lines.keys) {
                defer { start = end }
                if let key, !seen.insert(key).inserted {
                    if runStart < start { output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<start])) }
                    runStart = end
                    continue
                }
                recordsWritten += 1
            }
            if runStart < bytes.count { output.append(UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
        try output.flushIfFull()
    }

    /// Flushes and syncs the file.
    public func finish() throws {
        try output.finish()
    }
}
