import ListWashCore

/// Everything a reader made of a file, record by record.
struct ReadOutcome: Equatable {
    /// One record as the reader gave it.
    struct Record: Equatable {
        var row: Int
        var line: Int
        var fields: [String]
        var disposition: Disposition?
        var reason: String
        var raw: String?
    }

    var header: [String]
    /// The CSV reader's delimiter (sniffed or given).
    var delimiter: UInt8?
    var records: [Record] = []
    /// What the reader counted (``RecordReader/recordsRead``).
    var recordsRead = 0

    /// Reads every batch of `reader`.
    init(reading reader: any RecordReader, delimiter: UInt8?) throws {
        header = reader.header
        self.delimiter = delimiter
        let schema = Schema(source: reader.path, columns: reader.header, roles: [:])
        while let batch = try reader.nextBatch(schema: schema, layout: OutputLayout()) {
            for row in 0..<batch.count {
                records.append(Record(row: batch.rows[row], line: batch.lines[row], fields: batch.fields(row),
                                      disposition: batch.dispositions[row], reason: batch.reasons[row], raw: batch.rawText[row]))
            }
        }
        recordsRead = reader.recordsRead
    }
}

/// A file read, or refused when it was opened.
enum ReadResult: Equatable, CustomStringConvertible {
    case read(ReadOutcome)
    /// The reader refused the file with this ListWash error.
    case refused(String)

    /// Reads `path` with ``CSVReader``. Throws what is not a ListWash error at opening, and any
    /// error while reading.
    static func csv(path: String, chunkSize: Int, delimiter: UInt8?, batchSize: Int) throws -> ReadResult {
        var options = CSVOptions()
        options.chunkSize = chunkSize
        options.delimiter = delimiter
        options.batchSize = batchSize
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path, options: options)
        } catch let error as ListWashError {
            return .refused(error.description)
        }
        return .read(try ReadOutcome(reading: reader, delimiter: reader.delimiter))
    }

    /// Reads `path` with ``JSONLinesReader``.
    static func jsonLines(path: String, chunkSize: Int, batchSize: Int) throws -> ReadResult {
        let reader: JSONLinesReader
        do {
            reader = try JSONLinesReader(path: path, batchSize: batchSize, chunkSize: chunkSize)
        } catch let error as ListWashError {
            return .refused(error.description)
        }
        return .read(try ReadOutcome(reading: reader, delimiter: nil))
    }

    var description: String {
        switch self {
        case .read(let outcome): "\(outcome.records.count) records"
        case .refused(let message): "refused: \(message)"
        }
    }

    /// The first difference between `self` and `other`, in words.
    func difference(from other: ReadResult) -> String {
        guard case .read(let mine) = self, case .read(let theirs) = other else { return "\(self) against \(other)" }
        if mine.header != theirs.header { return "header \(mine.header.prefix(5)) against \(theirs.header.prefix(5))" }
        if mine.recordsRead != theirs.recordsRead { return "\(mine.recordsRead) records counted against \(theirs.recordsRead)" }
        if mine.delimiter != theirs.delimiter { return "delimiter \(mine.delimiter ?? 0) against \(theirs.delimiter ?? 0)" }
        for (index, (a, b)) in zip(mine.records, theirs.records).enumerated() where a != b {
            return "record \(index + 1): \(a.brief) against \(b.brief)"
        }
        return "\(mine.records.count) records (\(mine.recordsRead) counted) against \(theirs.records.count) (\(theirs.recordsRead))"
    }

    /// What differs between the records read and the table written, or `nil`. The writers add
    /// the `listwash_*` columns after the table's: only the table's columns are compared.
    func roundTripProblem(_ table: (header: [String], rows: [[String]])) -> String? {
        guard case .read(let outcome) = self else { return "\(self)" }
        let width = table.header.count
        if Array(outcome.header.prefix(width)) != table.header { return "header \(outcome.header.prefix(5)) against \(table.header.prefix(5)) written" }
        if outcome.records.count != table.rows.count { return "\(outcome.records.count) records against \(table.rows.count) written" }
        for (index, (record, row)) in zip(outcome.records, table.rows).enumerated() where record.disposition != nil || Array(record.fields.prefix(width)) != row {
            return "record \(index + 1): \(record.brief) against \(row.prefix(5).map(\.debugDescription)) written"
        }
        return nil
    }
}

extension ReadOutcome.Record {
    /// The record in one line.
    var brief: String {
        "row \(row) line \(line) \(disposition?.rawValue ?? "open")\(reason.isEmpty ? "" : " (\(reason))") fields \(fields.prefix(5).map(\.debugDescription))"
            + (raw.map { " raw \(String($0.prefix(60)).debugDescription)\($0.count > 60 ? "... (\($0.count) characters)" : "")" } ?? "")
    }
}

/// The properties every read must have, whatever the bytes.
struct ReaderInvariants {
    let outcome: ReadOutcome
    let bytes: [UInt8]
    let format: FuzzFormat

    var problems: [String] {
        var problems: [String] = []
        let records = outcome.records
        if outcome.recordsRead != records.count {
            problems.append("the reader counted \(outcome.recordsRead) records but gave \(records.count)")
        }
        let lastLine = physicalLines + 1
        var previousLine = 0
        for (index, record) in records.enumerated() {
            let what = "record \(index + 1) (\(record.brief))"
            if record.row != index + 1 { problems.append("\(what) is numbered \(record.row)") }
            if record.line <= previousLine || record.line > lastLine {
                problems.append("\(what) has line \(record.line), after line \(previousLine), of \(lastLine - 1)")
            }
            previousLine = record.line
            switch record.disposition {
            case nil:
                if record.fields.count != outcome.header.count { problems.append("\(what) is accepted with \(record.fields.count) fields for a header of \(outcome.header.count)") }
            case .rejected:
                if record.reason.isEmpty { problems.append("\(what) is rejected without a reason") }
            case let other?:
                problems.append("\(what) is settled as \(other.rawValue) by the reader")
            }
            if problems.count > 5 { break }
        }
        if let expected = expectedLines, expected != records.map(\.line) {
            problems.append("records on lines \(records.map(\.line).prefix(12)) where the non-blank lines are \(expected.prefix(12)) (\(records.count) against \(expected.count))")
        }
        return problems
    }

    /// Line breaks in the file (CRLF, LF or CR), plus one.
    var physicalLines: Int {
        var lines = 1
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A || (byte == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) { lines += 1 }
        }
        return lines
    }

    /// The lines records must start on, worked out without the reader where that is simple:
    /// for JSON Lines every line that is not blank (spaces and tabs); for CSV without quotes
    /// every non-empty line after the header's (the reader's line numbers count LF, CR and
    /// CRLF alike). `nil` for CSV with quotes.
    var expectedLines: [Int]? {
        switch format {
        case .jsonl:
            var lines: [Int] = []
            var number = 0
            var start = 0
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
                number += 1
                var content = bytes[start..<end]
                if content.last == 0x0D { content = content.dropLast() }
                if !content.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { lines.append(number) }
                start = end + 1
            }
            return lines
        case .csv:
            guard !bytes.contains(0x22), !bytes.starts(with: [0xFF, 0xFE]), !bytes.starts(with: [0xFE, 0xFF]) else { return nil }
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
            var lines: [Int] = []
            var number = 1
            var index = 0
            var lineStart = 0
            while index <= body.count {
                let atEnd = index == body.count
                if atEnd || body[index] == 0x0A || body[index] == 0x0D {
                    if index > lineStart { lines.append(number) }
                    if atEnd { break }
                    if body[index] == 0x0D, index + 1 < body.count, body[index + 1] == 0x0A { index += 1 }
                    number += 1
                    lineStart = index + 1
                }
                index += 1
            }
            return Array(lines.dropFirst())   // the first is the header's
        }
    }
}
