/// Writes records as RFC 4180 CSV: the input columns unchanged and in order, then the
/// `listwash_*` columns. Fields holding a comma, quote or line break are quoted.
///
/// ```swift
/// let writer = try CSVWriter(path: "load.csv", columns: OutputColumns(headers: [("in.csv", header)]), layout: layout)
/// try writer.write(batch, rows: batch.openRows)
/// try writer.finish()
/// ```
public final class CSVWriter: RecordWriter, @unchecked Sendable {
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
        var line: [UInt8] = []
        Self.appendLine(header, to: &line)
        line.withUnsafeBufferPointer { output.append($0) }
    }

    /// Appends `fields` as one CSV line (quoted where needed, then a line feed) to `line`.
    static func appendLine(_ fields: [String], to line: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            var field = field
            field.withUTF8 { appendField($0, to: &line) }
        }
        line.append(UInt8(ascii: "\n"))
    }

    /// Appends records already encoded by ``encode(_:rows:)``.
    public func append(encoded: [UInt8], records: Int) throws {
        encoded.withUnsafeBufferPointer { output.append($0) }
        try output.flushIfFull()
        recordsWritten += records
    }

    /// The CSV bytes of records `rows` of `batch`; reads only this writer's settings, so any
    /// thread may call it.
    public func encode(_ batch: RecordBatch, rows: [Int]) -> [UInt8] {
        let map = columns.columnMap(for: batch.schema.source)
        let width = columns.names.count
        var source = batch.schema.source
        let sourceField: [UInt8] = source.withUTF8 { bytes in
            var field: [UInt8] = []
            Self.appendField(bytes, to: &field)
            return field
        }
        // Sized once from a bound, then written through a pointer: no capacity check per byte.
        let bound = rows.reduce(0) { $0 + batch.encodedSizeBound($1) + 3 * width }
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, written in
            guard let base = buffer.baseAddress else { written = 0; return }
            var out = ByteCursor(base)
            for row in rows {
                if let map {
                    for column in 0..<width {
                        if column > 0 { out.put(UInt8(ascii: ",")) }
                        if map[column] >= 0 { batch.withField(row, column: map[column]) { out.putField($0) } }
                    }
                } else if batch.withCommaSeparatedText(row, { text in
                    guard let text else { return false }
                    out.put(text)
                    return true
                }) {
                    // The record's own text, copied as read.
                } else {
                    let fields = batch.fieldCount(row)
                    batch.forEachField(row) { column, bytes in
                        if column > 0 { out.put(UInt8(ascii: ",")) }
                        out.putField(bytes)
                    }
                    // A rejected record may have fewer fields than the header.
                    for _ in fields..<max(fields, width) { out.put(UInt8(ascii: ",")) }
                    if fields == 0 && width > 0 { out.unput() }
                }
                for column in layoutColumns {
                    out.put(UInt8(ascii: ","))
                    switch column.index {
                    case 0: out.putNumber(batch.rows[row])
                    case 1: sourceField.withUnsafeBufferPointer { out.put($0) }
                    default: batch.withValue(row, column) { out.putField($0) }
                    }
                }
                if includeRawText {
                    out.put(UInt8(ascii: ","))
                    var raw = batch.rawText[row] ?? ""
                    raw.withUTF8 { out.putField($0) }
                }
                out.put(UInt8(ascii: "\n"))
            }
            written = out.position - base
        }
    }

    /// Flushes and syncs the file.
    public func finish() throws {
        try output.finish()
    }

    /// Whether a field holds a comma, quote, CR or LF, eight bytes at a time.
    @inline(__always)
    static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let count = bytes.count
        var index = 0
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
            let x = word ^ (ones &* UInt64(byte))
            return (x &- ones) & ~x & high != 0
        }
        @inline(__always) func hasAny(_ word: UInt64) -> Bool {
            hasByte(word, 0x2C) || hasByte(word, 0x22) || hasByte(word, 0x0A) || hasByte(word, 0x0D)
        }
        let raw = UnsafeRawPointer(base)
        if count >= 8 {
            while index + 8 <= count {
                if hasAny(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) { return true }
                index += 8
            }
            // The tail as the last eight bytes (some looked at twice).
            return index < count && hasAny(raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
        }
        if count >= 4 {
            // The first and the last four bytes (overlapping); the other half of the word is 0.
            let word = UInt64(raw.loadUnaligned(as: UInt32.self)) | UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32
            return hasAny(word)
        }
        while index < count {
            let byte = base[index]
            if byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D { return true }
            index += 1
        }
        return false
    }

    /// Appends a field, quoted when it holds a comma, quote or line break (written by
    /// ``ByteCursor/putField(_:)`` into room for its worst case).
    static func appendField(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: 2 * bytes.count + 2))
        let end = out.withUnsafeMutableBufferPointer { room -> Int in
            guard let base = room.baseAddress else { return start }
            var cursor = ByteCursor(base + start)
            cursor.putField(bytes)
            return cursor.position - base
        }
        out.removeSubrange(end...)
    }
}

/// A destination for records: a CSV or JSON Lines file.
public protocol RecordWriter: AnyObject, Sendable {
    /// The bytes of records `rows` of `batch`, made without touching the file (any thread).
    func encode(_ batch: RecordBatch, rows: [Int]) -> [UInt8]
    /// Appends bytes made by ``encode(_:rows:)``, in order.
    func append(encoded: [UInt8], records: Int) throws
    /// Flushes and syncs.
    func finish() throws
    /// Records written so far.
    var recordsWritten: Int { get }
}

extension RecordWriter {
    /// Writes records `rows` of `batch`: encodes them, then appends the bytes.
    public func write(_ batch: RecordBatch, rows: [Int]) throws {
        try append(encoded: encode(batch, rows: rows), records: rows.count)
    }
}

/// Copies of short byte strings (most fields and values are short).
enum ByteCopy {
    /// Copies `count` bytes; up to 16 with two overlapping loads and stores rather than a call
    /// to `memmove`.
    @inline(__always)
    static func copy(from source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(target)
        switch count {
        case 8...16:
            let first = from.loadUnaligned(as: UInt64.self), last = from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            to.storeBytes(of: first, as: UInt64.self)
            to.storeBytes(of: last, toByteOffset: count - 8, as: UInt64.self)
        case 4..<8:
            let first = from.loadUnaligned(as: UInt32.self), last = from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            to.storeBytes(of: first, as: UInt32.self)
            to.storeBytes(of: last, toByteOffset: count - 4, as: UInt32.self)
        case 1..<4:
            for index in 0..<count { target[index] = source[index] }
        case 0:
            return
        default:
            target.update(from: source, count: count)
        }
    }
}

/// Writes bytes through a pointer into memory sized beforehand (see
/// ``RecordBatch/encodedSizeBound(_:)``), for the CSV encoder's hot loop.
struct ByteCursor {
    private(set) var position: UnsafeMutablePointer<UInt8>

    init(_ start: UnsafeMutablePointer<UInt8>) { position = start }

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        position.pointee = byte
        position += 1
    }

    /// Copies `bytes` (see ``ByteCopy/copy(from:to:count:)``).
    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        ByteCopy.copy(from: source, to: position, count: bytes.count)
        position += bytes.count
    }

    /// Takes back the last byte written.
    mutating func unput() { position -= 1 }

    /// A field, quoted (its quotes doubled) when it holds a comma, quote or line break.
    @inline(__always)
    mutating func putField(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard CSVWriter.needsQuotes(bytes) else { return put(bytes) }
        put(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { put(byte) }
            put(byte)
        }
        put(UInt8(ascii: "\""))
    }

    /// A decimal number.
    mutating func putNumber(_ number: Int) {
        if number < 0 { put(UInt8(ascii: "-")) }
        var value = number.magnitude, count = 0, rest = value
        repeat {
            count += 1
            rest /= 10
        } while rest > 0
        for index in stride(from: count - 1, through: 0, by: -1) {
            position[index] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
        position += count
    }
}
