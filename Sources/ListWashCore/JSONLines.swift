/// Reads JSON Lines: one flat JSON object per line. The first object's keys, in order, are the
/// columns; strings are taken as they are, numbers and booleans as their JSON text, `null` as
/// empty, nested arrays and objects as their JSON text.
///
/// A line that is not a JSON object, or has a key the first object lacks, is rejected with its
/// line number and text; the run goes on.
public final class JSONLinesReader: RecordReader {
    /// The file's path.
    public let path: String
    /// The keys of the first object.
    public private(set) var header: [String] = []
    /// The number of records read so far.
    public private(set) var recordsRead = 0
    /// Bytes read so far.
    public var bytesRead: Int { input.bytesRead }

    private let input: ByteInput
    private let batchSize: Int
    private var line = 0
    private var pending: (fields: [(String, String)], line: Int, text: String, error: String?)?
    private var columnIndex: [String: Int] = [:]

    /// Opens `path` and reads the first object to learn the columns, `chunkSize` bytes at a
    /// time (tests pass a few bytes, to split lines across reads).
    public init(path: String, batchSize: Int = 4096, chunkSize: Int = 1 << 20) throws {
        self.path = path
        self.batchSize = batchSize
        input = try ByteInput(path: path, chunkSize: chunkSize)
        if let first = try nextLine() {
            pending = first
            if first.error == nil {
                header = first.fields.map(\.0)
                columnIndex = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            }
        }
    }

    /// Reads the next batch, or `nil` at end of input.
    public func nextBatch(schema: Schema, layout: OutputLayout) throws -> RecordBatch? {
        var batch = RecordBatch(schema: schema, layout: layout, capacity: batchSize)
        // Like the CSV reader: a batch also ends past 4 MiB, so that long records keep memory
        // flat (and a batch's value offsets small).
        while batch.count < batchSize, batch.byteCount < 4 << 20 {
            let next: (fields: [(String, String)], line: Int, text: String, error: String?)
            if let pending {
                next = pending
                self.pending = nil
            } else if let read = try nextLine() {
                next = read
            } else {
                break
            }
            recordsRead += 1
            var values = [String](repeating: "", count: header.count)
            var problem = next.error
            for (key, value) in next.fields where problem == nil {
                if let index = columnIndex[key] { values[index] = value } else { problem = "key '\(key)' is not in the first record" }
            }
            if let problem {
                batch.append(fields: [], row: recordsRead, line: next.line)
                batch.settle(batch.count - 1, as: .rejected, reason: problem)
                batch.keepRawText(batch.count - 1, next.text)
            } else {
                batch.append(fields: values, row: recordsRead, line: next.line)
            }
        }
        return batch.isEmpty ? nil : batch
    }

    /// The next non-blank line, parsed.
    private func nextLine() throws -> (fields: [(String, String)], line: Int, text: String, error: String?)? {
        while true {
            let buffer = input.buffer
            var scan = input.start
            while scan < input.end, buffer[scan] != UInt8(ascii: "\n") { scan += 1 }
            if scan == input.end, !input.atEOF {
                try input.fill()
                continue
            }
            if scan == input.end, input.available == 0 { return nil }
            line += 1
            var lineEnd = scan
            if lineEnd > input.start, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let bytes = Array(buffer[input.start..<lineEnd])
            input.start = min(scan + 1, input.end)
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            var parser = FlatJSONParser(bytes: bytes)
            do {
                return (try parser.parseObject(), line, text, nil)
            } catch let error as FlatJSONParser.Failure {
                return ([], line, text, "invalid JSON at column \(error.offset + 1): \(error.message)")
            }
        }
    }
}

/// A parser for one flat JSON object, keeping key order.
struct FlatJSONParser {
    struct Failure: Error {
        var offset: Int
        var message: String
    }

    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseObject() throws -> [(String, String)] {
        skipSpace()
        try expect(UInt8(ascii: "{"))
        var fields: [(String, String)] = []
        skipSpace()
        if peek() == UInt8(ascii: "}") { index += 1; return try finished(fields) }
        while true {
            skipSpace()
            let key = try parseString()
            skipSpace()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            fields.append((key, try parseValue()))
            skipSpace()
            if peek() == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "}"))
            return try finished(fields)
        }
    }

    private mutating func finished(_ fields: [(String, String)]) throws -> [(String, String)] {
        skipSpace()
        guard index == bytes.count else { throw Failure(offset: index, message: "text after the object") }
        return fields
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else {
            throw Failure(offset: index, message: "expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    private mutating func parseValue() throws -> String {
        guard let byte = peek() else { throw Failure(offset: index, message: "expected a value") }
        switch byte {
        case UInt8(ascii: "\""): return try parseString()
        case UInt8(ascii: "{"), UInt8(ascii: "["): return try parseNested()
        default:
            let start = index
            while let next = peek(), next != UInt8(ascii: ","), next != UInt8(ascii: "}"), next != 0x20, next != 0x09 { index += 1 }
            let literal = String(decoding: bytes[start..<index], as: UTF8.self)
            if literal == "null" { return "" }
            if literal == "true" || literal == "false" || Double(literal) != nil { return literal }
            throw Failure(offset: start, message: "unexpected '\(literal)'")
        }
    }

    private mutating func parseNested() throws -> String {
        let start = index
        var depth = 0
        var inString = false
        while let byte = peek() {
            index += 1
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return String(decoding: bytes[start..<index], as: UTF8.self) }
            default: break
            }
        }
        throw Failure(offset: start, message: "unterminated array or object")
    }

    private mutating func parseString() throws -> String {
        try expect(UInt8(ascii: "\""))
        var out: [UInt8] = []
        while let byte = peek() {
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { break }
                index += 1
                switch escape {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800..<0xDC00).contains(scalar), peek() == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try parseHex4()
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low &- 0xDC00)
                    }
                    out.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                default: out.append(escape)
                }
            default: out.append(byte)
            }
        }
        throw Failure(offset: index, message: "unterminated string")
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
            throw Failure(offset: index, message: "bad \\u escape")
        }
        index += 4
        return value
    }
}

/// Writes records as JSON Lines: one object per record with the input columns and the
/// `listwash_*` columns, every value a string.
public final class JSONLinesWriter: RecordWriter, @unchecked Sendable {
    private let output: ByteOutput
    private let columns: OutputColumns
    private let layout: OutputLayout
    private let includeRawText: Bool
    /// Records written so far.
    public private(set) var recordsWritten = 0

    /// Creates `path`.
    public init(path: String, columns: OutputColumns, layout: OutputLayout, includeRawText: Bool = false) throws {
        output = try ByteOutput(path: path)
        self.columns = columns
        self.layout = layout
        self.includeRawText = includeRawText
    }

    /// Appends records already encoded by ``encode(_:rows:)``.
    public func append(encoded: [UInt8], records: Int) throws {
        encoded.withUnsafeBufferPointer { output.append($0) }
        try output.flushIfFull()
        recordsWritten += records
    }

    /// The JSON Lines bytes of records `rows` of `batch` (any thread).
    public func encode(_ batch: RecordBatch, rows: [Int]) -> [UInt8] {
        let map = columns.columnMap(for: batch.schema.source)
        var out: [UInt8] = []
        for row in rows {
            out.append(UInt8(ascii: "{"))
            var first = true
            func pair(_ key: String, _ value: String) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                Self.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                Self.appendString(value, to: &out)
            }
            for (column, name) in columns.names.enumerated() {
                let sourceColumn = map.map { $0[column] } ?? column
                pair(name, sourceColumn >= 0 ? batch.value(row, column: sourceColumn) : "")
            }
            for (index, name) in layout.names.enumerated() { pair(name, batch[row, OutputLayout.Column(index: index)]) }
            if includeRawText { pair("listwash_raw", batch.rawText[row] ?? "") }
            out.append(UInt8(ascii: "}"))
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// Flushes and syncs the file.
    public func finish() throws {
        try output.finish()
    }

    static func appendString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(UInt8(ascii: "\\")); output.append(byte)
            case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\")); output.append(byte)
            case 0x0A: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "r"))
            case 0x09: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "t"))
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                for b in "\\u00".utf8 { output.append(b) }
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0xF)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
