/// A batch as bytes, to hand it to another ListWash process (the Spark job moves batches between
/// `listwash stream` processes on its executors): the spool's encoding of every field,
/// disposition, reason and line number, then the `listwash_*` values (each one's length in one to
/// five bytes, then their bytes: an empty value takes one byte, where the spool keeps eight),
/// framed by a checksum.
///
/// ```swift
/// let bytes = BatchTransfer.encode(batch)
/// let same = try BatchTransfer.decode(bytes, schema: batch.schema, layout: batch.layout)
/// ```
/// The frame is for ListWash's own processes, written by one and read by another of the same
/// version; a frame cut short or changed on the way is refused, not read.
public enum BatchTransfer {
    /// `batch` as bytes: its spool encoding without the values, the values, and an eight-byte
    /// checksum of both.
    public static func encode(_ batch: RecordBatch) -> [UInt8] {
        var withoutValues = batch
        withoutValues.valueBytes = []
        withoutValues.valueBytesUsed = 0
        withoutValues.valueSpans = []
        var encoder = SpoolEncoder()
        encoder.encode(withoutValues, schemaIndex: 0)
        var bytes = encoder.bytes
        appendValues(of: batch, to: &bytes)
        withUnsafeBytes(of: checksum(bytes[...]).littleEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The batch ``encode(_:)`` made, read with `schema` (the source's columns and roles) and
    /// `layout` (which must list the same `listwash_*` columns as the writer's).
    ///
    /// - Throws: ``ListWashError`` (`.input`) when the bytes are not a whole frame with its checksum.
    public static func decode(_ bytes: [UInt8], schema: Schema, layout: OutputLayout) throws -> RecordBatch {
        let body = bytes.dropLast(8)
        let spooled = integer(at: body.startIndex, in: body)
        guard bytes.count >= 32, spooled >= 16, spooled <= body.count - 8,
              bytes.suffix(8).reversed().reduce(UInt64(0), { $0 << 8 | UInt64($1) }) == checksum(body) else {
            throw damaged(bytes.count, schema)
        }
        var copy = Array(body.prefix(spooled))
        var batch = copy.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return RecordBatch(schema: schema, layout: layout) }
            var cursor = SpoolDecoder.Cursor(base: base)
            _ = cursor.int()   // length
            _ = cursor.int()   // schema index
            return SpoolDecoder.batch(from: &cursor, schema: schema, layout: layout)
        }
        guard readValues(body.dropFirst(spooled), into: &batch) else { throw damaged(bytes.count, schema) }
        guard fits(batch) else {
            throw ListWashError(.input, "a batch handed over from another listwash process does not fit this pipeline's columns: run the same pipeline file and listwash version everywhere", at: SourceLocation(file: schema.source))
        }
        return batch
    }

    private static func damaged(_ count: Int, _ schema: Schema) -> ListWashError {
        ListWashError(.input, "a batch handed over from another listwash process is damaged (\(count) bytes)", at: SourceLocation(file: schema.source))
    }

    /// The values of `batch`, row by row: their number (eight bytes), each one's length (seven
    /// bits a byte, the high bit set on all but the last), then their bytes one after another.
    private static func appendValues(of batch: RecordBatch, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: Int64(batch.valueSpans.count).littleEndian) { bytes.append(contentsOf: $0) }
        for span in batch.valueSpans {
            var length = span.count
            while length >= 0x80 {
                bytes.append(UInt8(length & 0x7F) | 0x80)
                length >>= 7
            }
            bytes.append(UInt8(length))
        }
        batch.valueBytes.withUnsafeBufferPointer { all in
            for span in batch.valueSpans where span.count > 0 {
                bytes.append(contentsOf: all[Int(span.start)..<Int(span.start) + Int(span.count)])
            }
        }
    }

    /// Reads what ``appendValues(of:to:)`` wrote into `batch`; false when `section` is not that
    /// exactly.
    private static func readValues(_ section: ArraySlice<UInt8>, into batch: inout RecordBatch) -> Bool {
        guard section.count >= 8 else { return false }
        let count = integer(at: section.startIndex, in: section)
        var index = section.startIndex + 8
        guard count >= 0, count <= section.endIndex - index else { return false }
        var spans = [ValueSpan]()
        spans.reserveCapacity(count)
        var start = 0
        for _ in 0..<count {
            var length = 0, shift = 0
            while true {
                guard index < section.endIndex, shift <= 28 else { return false }
                let byte = section[index]
                index += 1
                length |= Int(byte & 0x7F) << shift
                shift += 7
                if byte < 0x80 { break }
            }
            spans.append(ValueSpan(start: UInt32(truncatingIfNeeded: start), count: UInt32(truncatingIfNeeded: length)))
            start += length
        }
        guard section.endIndex - index == start, start <= Int(UInt32.max) else { return false }
        batch.valueBytes = Array(section[index...])
        batch.valueBytesUsed = start
        batch.valueSpans = spans
        return true
    }

    /// The little-endian eight-byte integer at `index` of `bytes` (0 past their end).
    private static func integer(at index: Int, in bytes: ArraySlice<UInt8>) -> Int {
        guard index >= bytes.startIndex, index + 8 <= bytes.endIndex else { return 0 }
        return bytes[index..<index + 8].reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    /// FNV-1a over `bytes`.
    private static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }

    /// Whether `batch`'s arrays agree with one another and with its layout (a batch written under
    /// another pipeline file has another number of `listwash_*` columns).
    private static func fits(_ batch: RecordBatch) -> Bool {
        let count = batch.rows.count
        let fields = batch.recordStarts.last ?? -1
        return batch.recordStarts.count == count + 1 && [batch.lines.count, batch.dispositions.count, batch.reasons.count,
                                                         batch.rawStarts.count, batch.rawEnds.count].allSatisfy { $0 == count }
            && batch.fieldStarts.count == fields && batch.fieldEnds.count == fields
            && zip(batch.fieldStarts, batch.fieldEnds).allSatisfy { 0 <= $0 && $0 <= $1 && $1 <= batch.bytes.count }
            && (batch.valueSpans.isEmpty || batch.valueSpans.count == count * batch.layout.names.count)
            && batch.valueSpans.allSatisfy { Int($0.start) + Int($0.count) <= batch.valueBytes.count || $0.count == 0 }
    }
}
