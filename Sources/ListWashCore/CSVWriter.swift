/// Writes records as RFC 4180 CSV: the input columns unchanged and in order, then the
/// `listwash_*` columns. Fields holding a comma, quote or line break are quoted.
///
/// ```swift
/// let writer = try CSVWriter(path: "load.csv", columns: OutputColumns(headers: [("in.csv", header)]), layout: layout)
/// try writer.write(batch, rows: batch.openRows)
/// try writer.finish()
/// ```
public final class CSVWriter: RecordWriter {
    private let output: ByteOutput
    private let columns: OutputColumns
    private let layoutColumns: [OutputLayout.Column]
    private let includeRawText: Bool
    /// Records written so far.
    public private(set) var recordsWritten = 0

    /// Creates `path` and writes the header. With `includeRawText` a last `listwash_raw` column
    /// holds the original text of records that could not be split into fields.
    public init(path: String, columns: OutputColumns, layout: OutputLayout, includeRawText: Bool = false) throws {
        output = try ByteOutput(path: path)
        self.columns = columns
        self.layoutColumns = layout.names.indices.map(OutputLayout.Column.init(index:))
        self.includeRawText = includeRawText
        var header = columns.names + layout.names
        if includeRawText { header.append("listwash_raw") }
        for (index, name) in header.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            var name = name
            name.withUTF8 { writeField($0) }
        }
        output.append(UInt8(ascii: "\n"))
    }

    /// Writes records `rows` of `batch`.
    public func write(_ batch: RecordBatch, rows: [Int]) throws {
        let map = columns.columnMap(for: batch.schema.source)
        let width = columns.names.count
        for row in rows {
            for column in 0..<width {
                if column > 0 { output.append(UInt8(ascii: ",")) }
                let sourceColumn = map.map { $0[column] } ?? column
                if sourceColumn >= 0 { batch.withField(row, column: sourceColumn) { writeField($0) } }
            }
            for column in layoutColumns {
                output.append(UInt8(ascii: ","))
                var value = batch[row, column]
                value.withUTF8 { writeField($0) }
            }
            if includeRawText {
                output.append(UInt8(ascii: ","))
                var raw = batch.rawText[row] ?? ""
                raw.withUTF8 { writeField($0) }
            }
            output.append(UInt8(ascii: "\n"))
            try output.flushIfFull()
        }
        recordsWritten += rows.count
    }

    /// Flushes and syncs the file.
    public func finish() throws {
        try output.finish()
    }

    @inline(__always)
    private func writeField(_ bytes: UnsafeBufferPointer<UInt8>) {
        var needsQuotes = false
        for byte in bytes where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            output.append(bytes)
            return
        }
        output.append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { output.append(byte) }
            output.append(byte)
        }
        output.append(UInt8(ascii: "\""))
    }
}

/// A destination for records: a CSV or JSON Lines file.
public protocol RecordWriter: AnyObject {
    /// Writes records `rows` of `batch`.
    func write(_ batch: RecordBatch, rows: [Int]) throws
    /// Flushes and syncs.
    func finish() throws
    /// Records written so far.
    var recordsWritten: Int { get }
}
