/// A batch as bytes, to hand it to another ListWash process (the Spark job moves batches between
/// `listwash stream` processes on its executors): the spool's encoding of every field, value,
/// disposition, reason and line number, framed by its length and a checksum.
///
/// ```swift
/// let bytes = BatchTransfer.encode(batch)
/// let same = try BatchTransfer.decode(bytes, schema: batch.schema, layout: batch.layout)
/// ```
/// The frame is for ListWash's own processes, written by one and read by another of the same
/// version; a frame cut short or changed on the way is refused, not read.
public enum BatchTransfer {
    /// `batch` as bytes: its spool encoding followed by an eight-byte checksum of it.
    public static func encode(_ batch: RecordBatch) -> [UInt8] {
        var encoder = SpoolEncoder()
        encoder.encode(batch, schemaIndex: 0)
        var bytes = encoder.bytes
        withUnsafeBytes(of: checksum(bytes[...]).littleEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The batch ``encode(_:)`` made, read with `schema` (the source's columns and roles) and
    /// `layout` (which must list the same `listwash_*` columns as the writer's).
    ///
    /// - Throws: ``ListWashError`` (`.input`) when the bytes are not a whole frame with its checksum.
    public static func decode(_ bytes: [UInt8], schema: Schema, layout: OutputLayout) throws -> RecordBatch {
        let body = bytes.dropLast(8)
        guard bytes.count >= 24, length(of: body) == body.count,
              bytes.suffix(8).reversed().reduce(UInt64(0), { $0 << 8 | UInt64($1) }) == checksum(body) else {
            throw ListWashError(.input, "a batch handed over from another listwash process is damaged (\(bytes.count) bytes)", at: SourceLocation(file: schema.source))
        }
        var copy = Array(body)
        let batch = copy.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return RecordBatch(schema: schema, layout: layout) }
            var cursor = SpoolDecoder.Cursor(base: base)
            _ = cursor.int()   // total length
            _ = cursor.int()   // schema index
            return SpoolDecoder.batch(from: &cursor, schema: schema, layout: layout)
        }
        guard fits(batch) else {
            throw ListWashError(.input, "a batch handed over from another listwash process does not fit this pipeline's columns: run the same pipeline file and listwash version everywhere", at: SourceLocation(file: schema.source))
        }
        return batch
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

    /// The total length a frame's first eight bytes give.
    private static func length(of body: ArraySlice<UInt8>) -> Int {
        body.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
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
}
