/// Up to a few thousand records of one source, stored compactly, with their `listwash_*` values.
///
/// The source fields are kept exactly as read (unescaped UTF-8, every column in order, never
/// changed). Stages read them by column or role and write `listwash_*` values by layout column.
/// A batch is the unit records move in: stages process whole batches, concurrent stages process
/// several batches at once, and sinks write them in input order.
///
/// ```swift
/// var batch = RecordBatch(schema: schema, layout: OutputLayout(), rows: [["Ann", "ann@x.com"]])
/// batch.value(0, role: .email) // "ann@x.com"
/// batch.settle(0, as: .rejected, reason: "no email")
/// ```
public struct RecordBatch: Sendable {
    /// The source's columns and roles.
    public let schema: Schema
    /// The `listwash_*` columns.
    public let layout: OutputLayout
    /// Bytes of every record: its text as read (fields are ranges of it), plus unescaped copies
    /// of fields that held doubled quotes.
    var bytes: [UInt8] = []
    /// Start offset in `bytes` of each field.
    var fieldStarts: [Int] = []
    /// End offset in `bytes` of each field.
    var fieldEnds: [Int] = []
    /// For records whose text as read is already a comma-separated line of exactly their
    /// fields: where that text is in `bytes` (start, end); -1 otherwise. Writers copy it as is.
    var rawStarts: [Int] = [], rawEnds: [Int] = []
    /// Index into `fieldEnds` of each record's first field, plus one final entry.
    var recordStarts: [Int] = [0]
    /// 1-based record number in the source (the header is not a record).
    public internal(set) var rows: [Int] = []
    /// 1-based line in the source where each record starts.
    public internal(set) var lines: [Int] = []
    /// Each record's disposition once a stage settles it; `nil` while it is still in play.
    public internal(set) var dispositions: [Disposition?] = []
    /// Why a record was settled (or flagged), in words a user reads.
    public internal(set) var reasons: [String] = []
    /// The original text of records whose fields do not fit the header (ragged or broken lines).
    public internal(set) var rawText: [Int: String] = [:]
    /// The records (indexes in this batch, ascending) that had a field that was not valid UTF-8
    /// and was decoded as Windows-1252 on its own (see ``CSVOptions/encoding``); usually none.
    public internal(set) var encodingRepairedRows: [Int] = []
    /// `listwash_*` values' UTF-8 bytes, one after another (a value written again leaves its
    /// old bytes behind): the first `valueBytesUsed`; the rest is room for more, so that a
    /// value is copied in without growing the array.
    var valueBytes: [UInt8] = []
    var valueBytesUsed = 0
    /// Where each `listwash_*` value is in `valueBytes`, row-major: `layout.names.count` per
    /// record (empty until a stage writes one).
    var valueSpans: [ValueSpan] = []
    /// The position of the batch's first record among all records of the run (0-based), so that
    /// stages that index the whole run can refer to a record.
    public internal(set) var firstSequence = 0

    /// Creates an empty batch.
    public init(schema: Schema, layout: OutputLayout, capacity: Int = 0) {
        self.schema = schema
        self.layout = layout
        rows.reserveCapacity(capacity)
        lines.reserveCapacity(capacity)
        dispositions.reserveCapacity(capacity)
        reasons.reserveCapacity(capacity)
        rawStarts.reserveCapacity(capacity)
        rawEnds.reserveCapacity(capacity)
        recordStarts.reserveCapacity(capacity + 1)
        let fields = capacity * max(schema.columns.count, 1)
        fieldStarts.reserveCapacity(fields)
        fieldEnds.reserveCapacity(fields)
        bytes.reserveCapacity(capacity * 96)
    }

    /// Creates a batch from rows of strings, numbering them from 1 (for library users and tests).
    public init(schema: Schema, layout: OutputLayout = OutputLayout(), rows: [[String]]) {
        self.init(schema: schema, layout: layout, capacity: rows.count)
        for (index, fields) in rows.enumerated() {
            append(fields: fields, row: index + 1, line: index + 2)
        }
    }

    /// The number of records.
    public var count: Int { rows.count }

    /// Numbers the batch's records in the run from `sequence` (see ``sequence(_:)``).
    public mutating func renumber(from sequence: Int) {
        firstSequence = sequence
    }

    /// The position of record `row` among all records of the run (0-based).
    public func sequence(_ row: Int) -> Int { firstSequence + row }

    /// Whether the batch holds no records.
    public var isEmpty: Bool { rows.isEmpty }

    /// The number of bytes the records take.
    public var byteCount: Int { bytes.count }

    // MARK: Building

    /// Appends a record given as field byte ranges of `buffer`, unescaping doubled quotes in the
    /// fields marked as quoted.
    mutating func append(
        fields: UnsafeBufferPointer<FieldSpan>, in buffer: UnsafeBufferPointer<UInt8>, record: Range<Int>,
        row: Int, line: Int, reusableAsComma: Bool
    ) {
        // The record's text is copied once; fields are ranges of it.
        let base = bytes.count - record.lowerBound
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[record]))
        if reusableAsComma {
            var end = bytes.count
            while end > base + record.lowerBound, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            rawStarts.append(base + record.lowerBound)
            rawEnds.append(end)
        } else {
            rawStarts.append(-1)
            rawEnds.append(-1)
        }
        for span in fields {
            if span.hasEscapedQuotes {
                let start = bytes.count
                var index = span.start
                while index < span.end {
                    let byte = buffer[index]
                    bytes.append(byte)
                    index += (byte == UInt8(ascii: "\"") && index + 1 < span.end && buffer[index + 1] == UInt8(ascii: "\"")) ? 2 : 1
                }
                fieldStarts.append(start)
                fieldEnds.append(bytes.count)
            } else {
                fieldStarts.append(base + span.start)
                fieldEnds.append(base + span.end)
            }
        }
        finishRecord(row: row, line: line)
    }

    /// Appends a record given as strings.
    public mutating func append(fields: [String], row: Int, line: Int) {
        for field in fields {
            fieldStarts.append(bytes.count)
            bytes.append(contentsOf: field.utf8)
            fieldEnds.append(bytes.count)
        }
        rawStarts.append(-1)
        rawEnds.append(-1)
        finishRecord(row: row, line: line)
    }

    private mutating func finishRecord(row: Int, line: Int) {
        recordStarts.append(fieldEnds.count)
        rows.append(row)
        lines.append(line)
        dispositions.append(nil)
        reasons.append("")
        // The value table is made on the first write (a batch no stage writes to never has one).
        if !valueSpans.isEmpty { valueSpans.append(contentsOf: repeatElement(ValueSpan(start: 0, count: 0), count: layout.names.count)) }
    }

    // MARK: Reading source fields

    /// The number of fields record `row` has (the header's count unless the line was ragged).
    public func fieldCount(_ row: Int) -> Int { recordStarts[row + 1] - recordStarts[row] }

    /// The field at `column` of record `row`, or `""` when the record has no such field.
    public func value(_ row: Int, column: Int) -> String {
        withField(row, column: column) { String(decoding: $0, as: UTF8.self) }
    }

    /// The field holding `role`, or `nil` when the source has no column for it.
    public func value(_ row: Int, role: FieldRole) -> String? {
        schema.column(role).map { value(row, column: $0) }
    }

    /// All of record `row`'s fields, in source order.
    public func fields(_ row: Int) -> [String] {
        (0..<fieldCount(row)).map { value(row, column: $0) }
    }

    /// Calls `body` with the raw UTF-8 bytes of a field (empty when the record has no such field).
    public func withField<T>(_ row: Int, column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let first = recordStarts[row]
        guard column >= 0, column < recordStarts[row + 1] - first else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        let fieldIndex = first + column
        let start = fieldStarts[fieldIndex]
        let end = fieldEnds[fieldIndex]
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Calls `body` with a function that gives the raw UTF-8 bytes of any record's field (by
    /// row and column; empty when the record has no such field), valid while `body` runs: for
    /// reading many fields in a loop without entering the batch's storage for each.
    public func withFields<T>(_ body: ((_ row: Int, _ column: Int) -> UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { all in
            try recordStarts.withUnsafeBufferPointer { records in
                try fieldStarts.withUnsafeBufferPointer { starts in
                    try fieldEnds.withUnsafeBufferPointer { ends in
                        try body { row, column in
                            let first = records[row]
                            guard column >= 0, column < records[row + 1] - first else { return UnsafeBufferPointer(start: nil, count: 0) }
                            return UnsafeBufferPointer(rebasing: all[starts[first + column]..<ends[first + column]])
                        }
                    }
                }
            }
        }
    }

    /// Calls `body` with each field of record `row` (its index and raw UTF-8 bytes), in order,
    /// but never more than the header's column count.
    public func forEachField(_ row: Int, _ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        let first = recordStarts[row]
        let last = min(recordStarts[row + 1], first + schema.columns.count)
        try bytes.withUnsafeBufferPointer { all in
            for index in first..<last {
                try body(index - first, UnsafeBufferPointer(rebasing: all[fieldStarts[index]..<fieldEnds[index]]))
            }
        }
    }

    /// An upper bound on the bytes record `row` takes written as a CSV line, every field and
    /// value quoted with all its quotes doubled (for sizing an encoder's output once).
    func encodedSizeBound(_ row: Int) -> Int {
        var total = 0
        for index in recordStarts[row]..<recordStarts[row + 1] { total += 2 * (fieldEnds[index] - fieldStarts[index]) + 3 }
        let width = layout.names.count
        if !valueSpans.isEmpty {
            for index in (row * width)..<((row + 1) * width) { total += 2 * Int(valueSpans[index].count) }
        }
        total += 3 * width + 2 * (schema.source.utf8.count + reasons[row].utf8.count + (rawText[row]?.utf8.count ?? 0)) + 64
        return total
    }

    /// Calls `body` with record `row`'s text as read when it is a comma-separated line of
    /// exactly the header's fields (so a CSV writer can copy it as is), else with `nil`.
    func withCommaSeparatedText<T>(_ row: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> T) rethrows -> T {
        guard rawStarts[row] >= 0, fieldCount(row) == schema.columns.count else { return try body(nil) }
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[rawStarts[row]..<rawEnds[row]])) }
    }

    // MARK: listwash_* values

    /// A `listwash_*` value of record `row`.
    public subscript(row: Int, column: OutputLayout.Column) -> String {
        get {
            switch column {
            case OutputLayout.row: String(rows[row])
            case OutputLayout.source: schema.source
            case OutputLayout.disposition: dispositions[row]?.rawValue ?? ""
            case OutputLayout.reason: reasons[row]
            default: withValue(row, column) { String(decoding: $0, as: UTF8.self) }
            }
        }
        set { setValue(row, column, newValue) }
    }

    /// Sets a `listwash_*` value of record `row` to `text` (as the byte form of this method does),
    /// reading the string's bytes in place.
    @inline(__always)
    public mutating func setValue(_ row: Int, _ column: OutputLayout.Column, _ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ setValue(row, column, $0) }) != nil { return }
        var copy = text
        copy.withUTF8 { setValue(row, column, $0) }
    }

    /// Calls `body` with the UTF-8 bytes of a `listwash_*` value of record `row`, without
    /// making a string.
    @inline(__always)
    public func withValue<T>(_ row: Int, _ column: OutputLayout.Column, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        guard column.index >= OutputLayout.fixedCount else {
            var text = self[row, column]
            return try text.withUTF8(body)
        }
        guard !valueSpans.isEmpty else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        let span = valueSpans[row * layout.names.count + column.index]
        return try valueBytes.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[Int(span.start)..<Int(span.start) + Int(span.count)]))
        }
    }

    /// Sets a `listwash_*` value of record `row` to the UTF-8 text `bytes`. The first four
    /// columns (row, source, disposition, reason) are set by settling a record, except the
    /// reason, which may be written here too; a value for the others (``OutputLayout/discarded``)
    /// is dropped.
    public mutating func setValue(_ row: Int, _ column: OutputLayout.Column, _ bytes: UnsafeBufferPointer<UInt8>) {
        switch column {
        case OutputLayout.row, OutputLayout.source, OutputLayout.disposition: return
        case OutputLayout.reason: reasons[row] = String(decoding: bytes, as: UTF8.self)
        default:
            if valueSpans.isEmpty {
                valueSpans = Array(repeating: ValueSpan(start: 0, count: 0), count: count * layout.names.count)
            }
            let start = valueBytesUsed
            if let source = bytes.baseAddress, bytes.count > 0 {
                if valueBytes.count - start < bytes.count {
                    valueBytes.append(contentsOf: repeatElement(0, count: max(valueBytes.count, bytes.count, count * layout.names.count * 12)))
                }
                valueBytes.withUnsafeMutableBufferPointer { room in
                    if let base = room.baseAddress { ByteCopy.copy(from: source, to: base + start, count: bytes.count) }
                }
                valueBytesUsed += bytes.count
            }
            valueSpans[row * layout.names.count + column.index] = ValueSpan(start: UInt32(truncatingIfNeeded: start), count: UInt32(truncatingIfNeeded: bytes.count))
        }
    }

    /// Bytes the `listwash_*` values take (for memory budgets).
    var valueByteCount: Int { valueBytes.count + valueSpans.count * MemoryLayout<ValueSpan>.stride }

    // MARK: Dispositions

    /// Whether record `row` is still in play (no stage has settled it).
    public func isOpen(_ row: Int) -> Bool { dispositions[row] == nil }

    /// The records still in play.
    public var openRows: [Int] { dispositions.indices.filter { dispositions[$0] == nil } }

    /// Settles record `row` as `disposition` with a reason; later stages leave it alone.
    public mutating func settle(_ row: Int, as disposition: Disposition, reason: String) {
        dispositions[row] = disposition
        reasons[row] = reason
    }

    /// Settles every open record as `disposition` (the last step of a run: what survives loads).
    public mutating func settleOpen(as disposition: Disposition) {
        for index in dispositions.indices where dispositions[index] == nil { dispositions[index] = disposition }
    }

    /// Keeps the original text of a record whose fields do not fit the header.
    /// Whether record `row` had a field that was not valid UTF-8 and was decoded as
    /// Windows-1252 (the normalize stage flags it `encoding_repaired`).
    ///
    /// - Complexity: O(log *r*) for *r* repaired records in the batch; O(1) when there are none.
    public func isEncodingRepaired(_ row: Int) -> Bool {
        guard !encodingRepairedRows.isEmpty else { return false }
        var low = 0, high = encodingRepairedRows.count
        while low < high {
            let middle = (low + high) / 2
            if encodingRepairedRows[middle] < row { low = middle + 1 } else { high = middle }
        }
        return low < encodingRepairedRows.count && encodingRepairedRows[low] == row
    }

    /// Marks record `row`, the last one appended, as repaired (see ``isEncodingRepaired(_:)``).
    mutating func markEncodingRepaired(_ row: Int) {
        if encodingRepairedRows.last != row { encodingRepairedRows.append(row) }
    }

    mutating func keepRawText(_ row: Int, _ text: String) {
        rawText[row] = text
    }
}

/// A field's byte range in a read buffer, as the CSV reader finds it.
struct FieldSpan {
    var start: Int
    var end: Int
    /// The field was quoted and holds doubled quotes to unescape.
    var hasEscapedQuotes: Bool
}

/// Where one `listwash_*` value is in a batch's value bytes (internal). 32-bit offsets suffice:
/// readers end a batch past 4 MiB of records (one record is at most 64 MiB), and the values
/// stages write are a small multiple of those bytes at most.
struct ValueSpan: Equatable {
    var start: UInt32
    var count: UInt32
}
