/// How to read a CSV file; everything has a sensible default.
public struct CSVOptions: Sendable, Equatable {
    /// The field delimiter, or `nil` to sniff it (comma, semicolon, tab or pipe).
    public var delimiter: UInt8?
    /// Whether the first line is a header. When not, ``columnNames`` names the columns.
    public var hasHeader = true
    /// Column names for a header-less file.
    public var columnNames: [String] = []
    /// Records per batch.
    public var batchSize = 4096
    /// A record longer than this is taken for a runaway quote: its first line is rejected and
    /// reading goes on at the next line.
    public var maxRecordBytes = 64 << 20
    /// The file's declared encoding, or `nil` (the default) to decide per field: a field that is
    /// valid UTF-8 stays UTF-8, and only a field that is not is decoded as Windows-1252, its
    /// record marked (``RecordBatch/isEncodingRepaired(_:)``; `encoding_repaired` in
    /// `listwash_flags`). See ``TextEncoding/decodeField(_:as:)``.
    public var encoding: TextEncoding?
    /// Bytes read at a time (1 MiB). The fuzz tests set a few bytes, so that records, quotes
    /// and multi-byte characters are split across reads; the delimiter is then sniffed from the
    /// first chunk (at least 4 bytes) instead of the first 64 KiB.
    public var chunkSize = 1 << 20

    /// Default options: sniffed delimiter, a header line, batches of 4,096.
    public init() {}
}

/// A streaming RFC 4180 reader: quoted fields, doubled quotes, delimiters and line breaks inside
/// quotes, CRLF, LF or CR line ends, UTF-8 with or without BOM, Windows-1252 decoding per field
/// (only a field that is not valid UTF-8, unless ``CSVOptions/encoding`` declares the file's
/// encoding), and a sniffed delimiter.
///
/// Memory stays flat: the reader holds one chunk (1 MiB, more only for a longer record) and one
/// batch. A record it cannot split into the header's fields is not dropped: it comes out settled
/// as ``Disposition/rejected`` with its line number and original text.
///
/// ```swift
/// let reader = try CSVReader(path: "leads.csv")
/// let schema = try ColumnMapping().resolve(header: reader.header, source: "leads.csv")
/// while let batch = try reader.nextBatch(schema: schema, layout: OutputLayout()) { ... }
/// ```
/// - Complexity: O(n) in the file's size.
public final class CSVReader: RecordReader {
    /// The file's path.
    public let path: String
    /// The header fields (or the configured column names for a header-less file).
    public private(set) var header: [String] = []
    /// The field delimiter in use.
    public private(set) var delimiter: UInt8 = UInt8(ascii: ",")
    /// The encoding the file was declared in (``CSVOptions/encoding``), or `.utf8` when it is
    /// decided per field (see ``recordsRepaired`` for the records that were not all UTF-8).
    public var encoding: TextEncoding { declaredEncoding ?? .utf8 }
    /// The records read so far that had a field that was not valid UTF-8 and was decoded as
    /// Windows-1252 (none when the encoding is declared).
    public private(set) var recordsRepaired = 0
    /// The number of records read so far.
    public private(set) var recordsRead = 0
    /// Bytes read so far.
    public var bytesRead: Int { input.bytesRead }

    private let input: ByteInput
    private let options: CSVOptions
    private let log: DiagnosticLog?
    private var line = 1
    private var spans: [FieldSpan] = []
    /// ``CSVOptions/encoding``, kept apart so that the record loop reads one stored property.
    private let declaredEncoding: TextEncoding?
    /// Records counted for the end-of-file warning: repaired ones (encoding decided per field)
    /// or ones with bytes that are not UTF-8 in a file declared UTF-8.
    private var invalidUTF8Records = 0
    private var scratch: [UInt8] = []

    /// Opens `path` and reads its header; `kind` is what the file is (`.referenceData` for a
    /// CRM export), for the exit status when reading it gets stuck (``ReadWatchdog``).
    ///
    /// - Throws: ``ListWashError`` (`.input`) when the file cannot be opened or read, or is UTF-16.
    public init(path: String, options: CSVOptions = CSVOptions(), log: DiagnosticLog? = nil, kind: ListWashError.Kind = .input) throws {
        self.path = path
        self.options = options
        self.log = log
        declaredEncoding = options.encoding
        input = try ByteInput(path: path, kind: kind, chunkSize: options.chunkSize)
        try readPreamble()
    }

    private func location(line: Int, column: Int? = nil) -> SourceLocation {
        SourceLocation(file: path, line: line, column: column)
    }

    // MARK: Preamble: encoding, delimiter, header

    private func readPreamble() throws {
        while input.available < max(4, min(64 * 1024, options.chunkSize)), try input.fill() {}
        let head = UnsafeBufferPointer(rebasing: input.buffer[input.start..<input.end])
        if head.count >= 2, (head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF) {
            throw ListWashError(.input, "\(path) is UTF-16 text; save it as UTF-8 (Excel: \"CSV UTF-8\") and run again", at: location(line: 1))
        }
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { input.start += 3 }
        let body = UnsafeBufferPointer(rebasing: input.buffer[input.start..<input.end])
        // No file-wide guess at the encoding: unless it is declared, each field that is not
        // valid UTF-8 is decoded as Windows-1252 on its own (see appendDecoded).
        delimiter = options.delimiter ?? Self.sniffDelimiter(body)
        guard options.hasHeader else {
            header = options.columnNames
            return
        }
        while true {
            skipBlankLines()
            if input.available == 0 {
                // Read on, then skip blank lines again: a blank line may start the new bytes.
                guard try input.fill() else { return }
                continue
            }
            switch parseRecord() {
            case .needMore:
                if !(try input.fill()), case .needMore = parseRecord() {
                    throw ListWashError(.input, "the header line has an unterminated quote", at: location(line: line))
                }
            case .record(let end, let newlines):
                header = fieldStrings(UnsafeBufferPointer(input.buffer))
                input.start = end
                line += newlines
                return
            case .malformed(let problem):
                throw ListWashError(.input, "the header line is broken: \(problem.message)", at: location(line: line))
            }
        }
    }

    /// Picks the candidate delimiter that splits the first lines most consistently.
    static func sniffDelimiter(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
        var counts = [[Int]](repeating: [], count: candidates.count)
        var current = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var lines = 0
        for byte in bytes.prefix(64 * 1024) {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if byte == UInt8(ascii: "\n") {
                for k in candidates.indices { counts[k].append(current[k]); current[k] = 0 }
                lines += 1
                if lines == 20 { break }
                continue
            }
            if let k = candidates.firstIndex(of: byte) { current[k] += 1 }
        }
        if lines < 20 { for k in candidates.indices where current[k] > 0 { counts[k].append(current[k]) } }
        var best = 0, bestScore = 0
        for k in candidates.indices {
            guard let first = counts[k].first, first > 0 else { continue }
            let consistent = counts[k].filter { $0 == first }.count
            let score = consistent * 1000 + first
            if score > bestScore { best = k; bestScore = score }
        }
        return candidates[best]
    }

    // MARK: Records

    /// Reads the next batch of up to `options.batchSize` records, or `nil` at end of file.
    ///
    /// - Throws: ``ListWashError`` (`.input`) when the file cannot be read.
    public func nextBatch(schema: Schema, layout: OutputLayout) throws -> RecordBatch? {
        var batch = RecordBatch(schema: schema, layout: layout, capacity: options.batchSize)
        let width = header.count
        while batch.count < options.batchSize, batch.byteCount < 4 << 20 {
            skipBlankLines()
            if input.available == 0 {
                // Read on, then skip blank lines again: a blank line may start the new bytes.
                guard try input.fill() else { break }
                continue
            }
            let recordStart = input.start
            switch parseRecord() {
            case .needMore:
                if input.available >= options.maxRecordBytes {
                    try rejectFirstLine(of: &batch, reason: "a quoted field runs past \(options.maxRecordBytes >> 20) MiB: probably an unterminated quote")
                } else if !(try input.fill()) {
                    // At end of file: a record still open is an unterminated quote.
                    if case .needMore = parseRecord() { try rejectFirstLine(of: &batch, reason: "unterminated quote") }
                }
            case .malformed(let problem):
                try rejectFirstLine(of: &batch, reason: problem.message)
            case .record(let end, let newlines):
                recordsRead += 1
                appendRecord(to: &batch, bytes: recordStart..<end, width: width)
                input.start = end
                line += newlines
            }
        }
        finishFile(isDone: batch.isEmpty)
        return batch.isEmpty ? nil : batch
    }

    private func finishFile(isDone: Bool) {
        guard isDone, invalidUTF8Records > 0 else { return }
        if declaredEncoding == .utf8 {
            log?.warn("\(invalidUTF8Records) record(s) held bytes that are not valid UTF-8 (the file is declared utf-8); they were replaced with U+FFFD", at: location(line: line))
        } else {
            log?.warn("\(invalidUTF8Records) record(s) had fields that were not valid UTF-8; those fields alone were decoded as Windows-1252 and the records flagged encoding_repaired. Save as \"CSV UTF-8\" to avoid this warning", at: location(line: line))
        }
        invalidUTF8Records = 0
    }

    private func appendRecord(to batch: inout RecordBatch, bytes range: Range<Int>, width: Int) {
        let buffer = UnsafeBufferPointer(input.buffer)
        let recordBytes = UnsafeBufferPointer(rebasing: buffer[range])
        var fieldCount = spans.count
        // Excel writes trailing delimiters: extra fields that are all empty are not a ragged row.
        while fieldCount > width, spans[fieldCount - 1].start == spans[fieldCount - 1].end { fieldCount -= 1 }
        let row = recordsRead
        let recordLine = line
        var reason: String?
        if declaredEncoding != .windows1252 && (TextEncoding.isPlainASCII(recordBytes) || (!recordBytes.contains(0) && TextEncoding.isValidUTF8(recordBytes))) {
            let reusable = delimiter == UInt8(ascii: ",") && fieldCount == spans.count && fieldCount == width
            spans.withUnsafeBufferPointer {
                batch.append(fields: UnsafeBufferPointer(rebasing: $0[0..<fieldCount]), in: buffer, record: range, row: row, line: recordLine, reusableAsComma: reusable)
            }
        } else {
            reason = appendDecoded(to: &batch, buffer: buffer, fieldCount: fieldCount, recordBytes: recordBytes, row: row)
        }
        let index = batch.count - 1
        if fieldCount != width {
            batch.settle(index, as: .rejected, reason: "ragged row: \(fieldCount) field\(fieldCount == 1 ? "" : "s") where the header has \(width)")
            var textEnd = recordBytes.count
            while textEnd > 0, recordBytes[textEnd - 1] == UInt8(ascii: "\n") || recordBytes[textEnd - 1] == UInt8(ascii: "\r") { textEnd -= 1 }
            batch.keepRawText(index, decodedText(UnsafeBufferPointer(rebasing: recordBytes[0..<textEnd])))
        } else if let reason {
            batch.settle(index, as: .rejected, reason: reason)
        }
    }

    /// Appends a record that holds non-ASCII bytes or NULs, removing NULs and decoding each
    /// field on its own (``TextEncoding/decodeField(_:as:)``): unless the encoding is declared,
    /// only a field that is not valid UTF-8 is decoded as Windows-1252, and its record is marked
    /// as repaired. Returns a rejection reason for NULs.
    private func appendDecoded(
        to batch: inout RecordBatch, buffer: UnsafeBufferPointer<UInt8>, fieldCount: Int,
        recordBytes: UnsafeBufferPointer<UInt8>, row: Int
    ) -> String? {
        var fields: [String] = []
        fields.reserveCapacity(fieldCount)
        var nulColumn: Int?
        var firstInvalidColumn: Int?
        for (column, span) in spans.prefix(fieldCount).enumerated() {
            scratch.removeAll(keepingCapacity: true)
            var index = span.start
            while index < span.end {
                let byte = buffer[index]
                if byte == UInt8(ascii: "\""), span.hasEscapedQuotes, index + 1 < span.end, buffer[index + 1] == UInt8(ascii: "\"") { index += 1 }
                if byte == 0 {
                    nulColumn = nulColumn ?? column + 1
                } else {
                    scratch.append(byte)
                }
                index += 1
            }
            let decoded = scratch.withUnsafeBufferPointer { bytes in
                let decoded = TextEncoding.decodeField(bytes, as: declaredEncoding)
                if firstInvalidColumn == nil, declaredEncoding == .utf8, !TextEncoding.isValidUTF8(bytes) { firstInvalidColumn = column + 1 }
                return decoded
            }
            if decoded.repaired, firstInvalidColumn == nil { firstInvalidColumn = column + 1 }
            fields.append(decoded.text)
        }
        batch.append(fields: fields, row: row, line: line)
        if let column = firstInvalidColumn {
            if declaredEncoding == nil { batch.markEncodingRepaired(batch.count - 1) }
            if invalidUTF8Records == 0 {
                let name = column <= header.count ? " (\(header[column - 1]))" : ""
                if declaredEncoding == .utf8 {
                    log?.warn("record \(row): field \(column)\(name) is not valid UTF-8 (the file is declared utf-8); its bad bytes were replaced with U+FFFD", at: location(line: line, column: column))
                } else {
                    log?.warn("record \(row): field \(column)\(name) is not valid UTF-8; decoding that field as Windows-1252 (flagged encoding_repaired)", at: location(line: line, column: column))
                }
            }
            invalidUTF8Records += 1
            if declaredEncoding == nil { recordsRepaired += 1 }
        }
        return nulColumn.map { "NUL byte (0x00) in column \($0); it was removed" }
    }

    /// Rejects the physical line where the current record starts and goes on after it.
    private func rejectFirstLine(of batch: inout RecordBatch, reason: String) throws {
        // The whole line, and the byte after a CR, must be in the buffer: a line that runs past
        // the bytes read so far is not cut in two (up to twice the longest record).
        while !input.atEOF && input.available < 2 * options.maxRecordBytes {
            let buffer = input.buffer
            var end = input.start
            while end < input.end, buffer[end] != UInt8(ascii: "\n"), buffer[end] != UInt8(ascii: "\r") { end += 1 }
            if end + 1 < input.end || (end < input.end && buffer[end] == UInt8(ascii: "\n")) { break }
            try input.fill()
        }
        let buffer = UnsafeBufferPointer(input.buffer)
        var end = input.start
        while end < input.end, buffer[end] != UInt8(ascii: "\n"), buffer[end] != UInt8(ascii: "\r") { end += 1 }
        let text = decodedText(UnsafeBufferPointer(rebasing: buffer[input.start..<end]))
        if end < input.end, buffer[end] == UInt8(ascii: "\r") { end += 1 }
        if end < input.end, buffer[end] == UInt8(ascii: "\n") { end += 1 }
        recordsRead += 1
        batch.append(fields: [], row: recordsRead, line: line)
        batch.settle(batch.count - 1, as: .rejected, reason: reason)
        batch.keepRawText(batch.count - 1, text)
        input.start = end
        line += 1
    }

    /// The text of a line that is not split into fields (a rejected line): decoded as declared,
    /// or, undeclared, its UTF-8 sequences kept and only the other bytes read as Windows-1252.
    private func decodedText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let clean = bytes.filter { $0 != 0 }
        return clean.withUnsafeBufferPointer { clean in
            if declaredEncoding != nil { return TextEncoding.decodeField(clean, as: declaredEncoding).text }
            if TextEncoding.isValidUTF8(clean) { return String(decoding: clean, as: UTF8.self) }
            var out: [UInt8] = []
            TextEncoding.appendRepairingUTF8(clean, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    private func fieldStrings(_ buffer: UnsafeBufferPointer<UInt8>) -> [String] {
        spans.map { span in
            var bytes: [UInt8] = []
            var index = span.start
            while index < span.end {
                let byte = buffer[index]
                if byte == UInt8(ascii: "\""), span.hasEscapedQuotes, index + 1 < span.end, buffer[index + 1] == UInt8(ascii: "\"") { index += 1 }
                if byte != 0 { bytes.append(byte) }
                index += 1
            }
            return bytes.withUnsafeBufferPointer { TextEncoding.decodeField($0, as: declaredEncoding).text }
        }
    }

    private func skipBlankLines() {
        let buffer = input.buffer
        while input.start < input.end {
            let byte = buffer[input.start]
            if byte == UInt8(ascii: "\n") {
                line += 1
                input.start += 1
            } else if byte == UInt8(ascii: "\r") {
                if input.start + 1 < input.end, buffer[input.start + 1] == UInt8(ascii: "\n") { input.start += 1 }
                else if input.start + 1 == input.end, !input.atEOF { return }
                line += 1
                input.start += 1
            } else {
                return
            }
        }
    }

    // MARK: The record parser

    private enum Problem {
        case textAfterQuote(column: Int)
        var message: String {
            switch self {
            case .textAfterQuote(let column): "text after a closing quote in field \(column) (a quote inside a quoted field must be doubled)"
            }
        }
    }

    private enum ParseResult {
        case record(end: Int, newlines: Int)
        case needMore
        case malformed(Problem)
    }

    /// Splits the record at `input.start` into `spans`. Does not consume it.
    private func parseRecord() -> ParseResult {
        // Work on locals: class properties cost an exclusivity check on every access.
        var spans: [FieldSpan] = []
        swap(&spans, &self.spans)
        defer { swap(&spans, &self.spans) }
        spans.removeAll(keepingCapacity: true)
        let buffer = input.buffer
        let end = input.end
        let atEOF = input.atEOF
        let delimiter = self.delimiter
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        var position = input.start
        var newlines = 0
        while true {
            // One field.
            if position < end, buffer[position] == quote {
                var scan = position + 1
                var escaped = false
                var closed = false
                while scan < end {
                    let byte = buffer[scan]
                    if byte == quote {
                        if scan + 1 < end, buffer[scan + 1] == quote {
                            escaped = true
                            scan += 2
                            continue
                        }
                        if scan + 1 == end, !atEOF { return .needMore }
                        closed = true
                        break
                    }
                    if byte == newline { newlines += 1 }
                    scan += 1
                }
                guard closed else { return .needMore }
                spans.append(FieldSpan(start: position + 1, end: scan, hasEscapedQuotes: escaped))
                position = scan + 1
                if position < end {
                    let next = buffer[position]
                    if next != delimiter && next != newline && next != carriageReturn {
                        return .malformed(.textAfterQuote(column: spans.count))
                    }
                }
            } else {
                let fieldStart = position
                while position < end {
                    let byte = buffer[position]
                    if byte == delimiter || byte == newline || byte == carriageReturn { break }
                    position += 1
                }
                spans.append(FieldSpan(start: fieldStart, end: position, hasEscapedQuotes: false))
            }
            // What ends the field.
            if position == end {
                return atEOF ? .record(end: end, newlines: newlines) : .needMore
            }
            let byte = buffer[position]
            if byte == delimiter {
                position += 1
                if position == end {
                    if !atEOF { return .needMore }
                    spans.append(FieldSpan(start: end, end: end, hasEscapedQuotes: false))
                    return .record(end: end, newlines: newlines)
                }
                continue
            }
            if byte == carriageReturn {
                if position + 1 == end, !atEOF { return .needMore }
                if position + 1 < end, buffer[position + 1] == newline { position += 1 }
            }
            return .record(end: position + 1, newlines: newlines + 1)
        }
    }
}
