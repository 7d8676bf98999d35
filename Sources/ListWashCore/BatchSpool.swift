import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Holds the batches of a run while a barrier stage (such as dedupe) looks at all of them, then
/// gives them back in order. Batches stay in memory up to a budget and go to a temporary file
/// beyond it, so memory does not grow with the input.
final class BatchSpool {
    private let directory: String
    private let memoryBudget: Int
    private var inMemory: [RecordBatch] = []
    private var memoryBytes = 0
    private var file: ByteOutput?
    private var filePath: String { "\(directory)/.listwash-spool-\(FileSystem.processID)-\(ObjectIdentifier(self).hashValue & 0xFFFFFF)" }
    private var schemas: [Schema] = []
    private var onDisk = 0
    /// Whether batches now go to the file (read by the workers, see ``encodeIfSpilling(_:)``).
    private let spilling = Atomic<Bool>(false)
    /// Batches written so far.
    private(set) var count = 0

    init(directory: String, memoryBudget: Int = 256 << 20) {
        self.directory = directory
        self.memoryBudget = memoryBudget
    }

    deinit {
        FileSystem.remove(filePath)
    }

    /// The file form of `batch` once the spool has started writing to its file, else `nil`.
    /// Safe to call from any thread: workers encode batches so that ``append(_:encoded:)``,
    /// which runs in order on one thread, only writes bytes.
    func encodeIfSpilling(_ batch: RecordBatch) -> [UInt8]? {
        guard spilling.load(ordering: .acquiring) else { return nil }
        var encoder = SpoolEncoder()
        encoder.encode(batch, schemaIndex: 0)
        return encoder.bytes
    }

    /// Keeps `batch` (in memory, or in the file past the budget). `encoded` is its file form
    /// from ``encodeIfSpilling(_:)``, when a worker made it.
    func append(_ batch: RecordBatch, encoded: [UInt8]? = nil) throws {
        count += 1
        let size = batch.bytes.count + batch.valueByteCount + batch.count * 64
        if file == nil, memoryBytes + size <= memoryBudget {
            inMemory.append(batch)
            memoryBytes += size
            return
        }
        if file == nil {
            file = try ByteOutput(path: filePath, durable: false)
            spilling.store(true, ordering: .releasing)
        }
        guard let file else { return }
        let schemaIndex = schemas.firstIndex(where: { $0.source == batch.schema.source }) ?? { schemas.append(batch.schema); return schemas.count - 1 }()
        var bytes = encoded ?? {
            var encoder = SpoolEncoder()
            encoder.encode(batch, schemaIndex: schemaIndex)
            return encoder.bytes
        }()
        SpoolEncoder.setSchemaIndex(schemaIndex, in: &bytes)
        bytes.withUnsafeBufferPointer { file.append($0) }
        try file.flushIfFull()
        onDisk += 1
    }

    /// A reader that gives the batches back in the order they were appended.
    func replay(layout: OutputLayout) throws -> () throws -> RecordBatch? {
        // Written only to be read back by this run: no fsync.
        try file?.flush()
        var memory = inMemory[...]
        inMemory = []
        let input = onDisk > 0 ? try ByteInput(path: filePath) : nil
        let schemas = self.schemas
        var remaining = onDisk
        return {
            if let batch = memory.popFirst() { return batch }
            guard remaining > 0, let input else { return nil }
            remaining -= 1
            return try SpoolDecoder.decode(from: input, schemas: schemas, layout: layout)
        }
    }
}

/// Writes a batch as length-prefixed arrays.
struct SpoolEncoder {
    var bytes: [UInt8] = []

    mutating func int(_ value: Int) {
        withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func ints(_ values: [Int]) {
        array(values)
    }

    /// An array of plain values: its count, then its memory as is.
    mutating func array<Element: BitwiseCopyable>(_ values: [Element]) {
        array(values, count: values.count)
    }

    /// The first `count` values of an array.
    mutating func array<Element: BitwiseCopyable>(_ values: [Element], count: Int) {
        int(count)
        values.withUnsafeBytes { bytes.append(contentsOf: $0.prefix(count * MemoryLayout<Element>.stride)) }
    }

    /// Many strings at once: their lengths (4 bytes each), then all their bytes.
    mutating func strings(_ values: [String]) {
        int(values.count)
        var lengths = [UInt32](repeating: 0, count: values.count)
        var total = 0
        for (index, value) in values.enumerated() {
            lengths[index] = UInt32(value.utf8.count)
            total += value.utf8.count
        }
        lengths.withUnsafeBytes { bytes.append(contentsOf: $0) }
        bytes.reserveCapacity(bytes.count + total)
        for var value in values where !value.isEmpty { value.withUTF8 { bytes.append(contentsOf: $0) } }
    }

    mutating func string(_ value: String) {
        int(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    /// Writes the schema index of an encoded batch (the second eight bytes).
    static func setSchemaIndex(_ index: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: Int64(index).littleEndian) { raw in
            for (offset, byte) in raw.enumerated() where 8 + offset < bytes.count { bytes[8 + offset] = byte }
        }
    }

    mutating func encode(_ batch: RecordBatch, schemaIndex: Int) {
        // Room for all of it at once (the arrays below, their counts, the reasons' lengths),
        // so that the buffer is not grown and copied a dozen times.
        let integers = batch.fieldStarts.count * 2 + batch.recordStarts.count + batch.rawStarts.count * 2 + batch.count * 3
        bytes.reserveCapacity(bytes.count + 256 + batch.bytes.count + 8 * integers + batch.count * 4
            + batch.reasons.reduce(0) { $0 + $1.utf8.count } + batch.valueBytesUsed + batch.valueSpans.count * MemoryLayout<ValueSpan>.stride)
        let start = bytes.count
        int(0)  // total length, filled in below
        int(schemaIndex)
        int(batch.firstSequence)
        int(batch.bytes.count)
        bytes.append(contentsOf: batch.bytes)
        ints(batch.fieldStarts)
        ints(batch.fieldEnds)
        ints(batch.recordStarts)
        ints(batch.rawStarts)
        ints(batch.rawEnds)
        ints(batch.rows)
        ints(batch.lines)
        ints(batch.dispositions.map { $0.map { Disposition.allCases.firstIndex(of: $0) ?? 0 } ?? -1 })
        strings(batch.reasons)
        int(batch.rawText.count)
        for (row, text) in batch.rawText.sorted(by: { $0.key < $1.key }) {
            int(row)
            string(text)
        }
        ints(batch.encodingRepairedRows)
        array(batch.valueBytes, count: batch.valueBytesUsed)
        array(batch.valueSpans)
        let total = Int64(bytes.count - start).littleEndian
        withUnsafeBytes(of: total) { raw in
            for (offset, byte) in raw.enumerated() { bytes[start + offset] = byte }
        }
    }
}

/// Reads back what ``SpoolEncoder`` wrote.
enum SpoolDecoder {
    static func decode(from input: ByteInput, schemas: [Schema], layout: OutputLayout) throws -> RecordBatch? {
        while input.available < 8, try input.fill() {}
        guard input.available >= 8 else { return nil }
        var cursor = Cursor(input: input)
        let total = cursor.peekInt()
        while input.available < total, try input.fill() {}
        guard input.available >= total else {
            throw ListWashError(.internal, "the spool file ends early", at: SourceLocation(file: input.path))
        }
        cursor = Cursor(input: input)
        _ = cursor.int()
        let batch = self.batch(from: &cursor, schema: schemas[cursor.int()], layout: layout)
        input.start += total
        return batch
    }

    /// The batch `cursor` is at (past the total length and schema index), read with `schema`.
    static func batch(from cursor: inout Cursor, schema: Schema, layout: OutputLayout) -> RecordBatch {
        var batch = RecordBatch(schema: schema, layout: layout)
        batch.firstSequence = cursor.int()
        batch.bytes = cursor.bytes(cursor.int())
        batch.fieldStarts = cursor.ints()
        batch.fieldEnds = cursor.ints()
        batch.recordStarts = cursor.ints()
        batch.rawStarts = cursor.ints()
        batch.rawEnds = cursor.ints()
        batch.rows = cursor.ints()
        batch.lines = cursor.ints()
        batch.dispositions = cursor.ints().map { $0 < 0 ? nil : Disposition.allCases[$0] }
        batch.reasons = cursor.strings()
        for _ in 0..<cursor.int() {
            let row = cursor.int()
            batch.rawText[row] = cursor.string()
        }
        batch.encodingRepairedRows = cursor.ints()
        batch.valueBytes = cursor.array()
        batch.valueBytesUsed = batch.valueBytes.count
        batch.valueSpans = cursor.array()
        return batch
    }

    struct Cursor {
        let base: UnsafeMutablePointer<UInt8>
        var offset = 0

        init(input: ByteInput) {
            base = input.buffer.baseAddress! + input.start
        }

        init(base: UnsafeMutablePointer<UInt8>) {
            self.base = base
        }

        func peekInt() -> Int {
            Int(Int64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: Int64.self)))
        }

        mutating func int() -> Int {
            let value = peekInt()
            offset += 8
            return value
        }

        mutating func ints() -> [Int] {
            array()
        }

        /// What ``SpoolEncoder/array(_:)`` wrote.
        mutating func array<Element: BitwiseCopyable>() -> [Element] {
            let count = int()
            let size = count * MemoryLayout<Element>.stride
            let source = UnsafeRawPointer(base + offset)
            offset += size
            return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(start: source, count: size))
                initialized = count
            }
        }

        mutating func bytes(_ count: Int) -> [UInt8] {
            let value = Array(UnsafeBufferPointer(start: base + offset, count: count))
            offset += count
            return value
        }

        mutating func strings() -> [String] {
            let count = int()
            let lengths = UnsafeRawPointer(base + offset).bindMemory(to: UInt32.self, capacity: count)
            var start = offset + count * 4
            var values = [String]()
            values.reserveCapacity(count)
            for index in 0..<count {
                let length = Int(UnsafeRawPointer(lengths + index).loadUnaligned(as: UInt32.self))
                values.append(length == 0 ? "" : String(decoding: UnsafeBufferPointer(start: base + start, count: length), as: UTF8.self))
                start += length
            }
            offset = start
            return values
        }

        mutating func string() -> String {
            let count = int()
            let value = String(decoding: UnsafeBufferPointer(start: base + offset, count: count), as: UTF8.self)
            offset += count
            return value
        }
    }
}
