/// Writes a plain table of strings as RFC 4180 CSV, one line per call, with the quoting rules
/// of ``CSVWriter`` (fields holding a comma, quote or line break are quoted). For files whose
/// columns are not a source plus `listwash_*` values, such as `listwash reroute`'s outputs.
///
/// ```swift
/// let writer = try CSVTableWriter(path: "changes.csv", header: ["row", "old_owner", "new_owner"])
/// try writer.write(["12", "ana@example.com", "bo@example.com"])
/// try writer.finish()
/// ```
public final class CSVTableWriter {
    private let output: ByteOutput
    private var line: [UInt8] = []
    /// Lines written after the header.
    public private(set) var recordsWritten = 0

    /// Creates `path` and writes `header`.
    ///
    /// - Throws: ``ListWashError`` (`.output`) when the file cannot be created.
    public init(path: String, header: [String]) throws {
        output = try ByteOutput(path: path)
        encode(header)
    }

    /// Appends one record.
    public func write(_ fields: [String]) throws {
        encode(fields)
        recordsWritten += 1
        try output.flushIfFull()
    }

    /// Flushes and syncs the file.
    public func finish() throws {
        try output.finish()
    }

    private func encode(_ fields: [String]) {
        line.removeAll(keepingCapacity: true)
        CSVWriter.appendLine(fields, to: &line)
        line.withUnsafeBufferPointer { output.append($0) }
    }
}
