import Dispatch
import ListWashNormalize
/// One field's comparison values for every record of an index, stored compactly: all values'
/// bytes one after another, and where each ends.
///
/// Values are already prepared for comparison (trimmed, folded to lower-case ASCII where the
/// comparison asks for it); an empty value means "missing".
public struct FeatureColumn: Sendable {
    private var bytes: [UInt8] = []
    private var ends: [UInt32] = []

    /// An empty column.
    public init() {}

    /// The number of values.
    public var count: Int { ends.count }

    /// Appends a value.
    public mutating func append(_ value: String) {
        var value = value
        value.withUTF8 { bytes.append(contentsOf: $0) }
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    /// Appends a value given as bytes and returns its bytes' range.
    @discardableResult
    public mutating func append(bytes value: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let start = bytes.count
        bytes.append(contentsOf: value)
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
        return start..<bytes.count
    }

    /// Appends `value` prepared for `method` (see ``FeaturePreparation/prepare(_:for:)``),
    /// straight from its bytes when it is ASCII, and returns the prepared value's bytes' range.
    @discardableResult
    public mutating func appendPrepared(_ value: UnsafeBufferPointer<UInt8>, for method: ComparisonMethod) -> Range<Int> {
        let start = bytes.count
        if !FeaturePreparation.prepareASCII(value, for: method, into: &bytes) {
            bytes.removeSubrange(start...)
            var prepared = FeaturePreparation.prepare(String(decoding: value, as: UTF8.self), for: method)
            prepared.withUTF8 { bytes.append(contentsOf: $0) }
        }
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
        return start..<bytes.count
    }

    /// Calls `body` with the bytes at `range` (as returned by ``appendPrepared(_:for:)``).
    func withBytes<T>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Appends every value of `other`.
    public mutating func append(contentsOf other: FeatureColumn) {
        let base = UInt32(truncatingIfNeeded: bytes.count)
        bytes.append(contentsOf: other.bytes)
        ends.append(contentsOf: other.ends.map { $0 &+ base })
    }

    /// The values of `columns`, in order, copied on all cores into storage of the exact size.
    init(joining columns: [FeatureColumn]) {
        var byteTotal = 0, valueTotal = 0
        let starts = columns.map { column in
            defer { byteTotal += column.bytes.count; valueTotal += column.ends.count }
            return (bytes: byteTotal, values: valueTotal)
        }
        let byteStarts = starts.map(\.bytes) + [byteTotal], valueStarts = starts.map(\.values) + [valueTotal]
        let byteCount = byteStarts[columns.count], count = valueStarts[columns.count]
        var bytes = [UInt8](), ends = [UInt32]()
        if count > 0 {
            bytes = [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialized in
                let out = UncheckedSendable(buffer)
                DispatchQueue.concurrentPerform(iterations: columns.count) { index in
                    columns[index].bytes.withUnsafeBufferPointer { source in
                        guard let base = source.baseAddress, let target = out.value.baseAddress else { return }
                        (target + byteStarts[index]).initialize(from: base, count: source.count)
                    }
                }
                initialized = byteCount
            }
            ends = [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
                let out = UncheckedSendable(buffer)
                DispatchQueue.concurrentPerform(iterations: columns.count) { index in
                    let base = UInt32(truncatingIfNeeded: byteStarts[index]), start = valueStarts[index]
                    for (offset, end) in columns[index].ends.enumerated() { out.value[start + offset] = end &+ base }
                }
                initialized = count
            }
        }
        self.bytes = bytes
        self.ends = ends
    }

    /// Reserves room for `count` values of about `averageLength` bytes.
    public mutating func reserve(_ count: Int, averageLength: Int = 12) {
        ends.reserveCapacity(count)
        bytes.reserveCapacity(count * averageLength)
    }

    /// The value of record `index`.
    public subscript(index: Int) -> String {
        withValue(index) { String(decoding: $0, as: UTF8.self) }
    }

    /// The byte count of record `index`'s value.
    @inline(__always)
    func length(_ index: Int) -> Int {
        Int(ends[index]) - (index == 0 ? 0 : Int(ends[index - 1]))
    }

    /// Whether record `index` has no value.
    public func isEmpty(_ index: Int) -> Bool {
        let start = index == 0 ? 0 : ends[index - 1]
        return ends[index] == start
    }

    /// Calls `body` with the bytes of record `index`'s value.
    @inline(__always)
    public func withValue<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        let end = Int(ends[index])
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// A 64-bit FNV-1a hash of record `index`'s value (0 for an empty value).
    public func hash(_ index: Int) -> UInt64 {
        withValue(index) { FeatureHash.of($0) }
    }

    /// A hash of record `index`'s value for grouping equal values within one run (0 for an
    /// empty value): eight bytes at a time, several times faster than ``hash(_:)``, and never
    /// stored (it may change between versions).
    func groupingHash(_ index: Int) -> UInt64 {
        withValue(index) { FeatureHash.grouping($0) }
    }

    /// Bytes held.
    public var byteCount: Int { bytes.count + ends.count * 4 }

    /// Appends the column to `out`: its value count and byte count (UInt32, little-endian), the
    /// values' ends, then their bytes (read back by ``init(decoding:at:)``).
    func encode(into out: inout [UInt8]) {
        ColumnCodec.append(UInt32(truncatingIfNeeded: ends.count), to: &out)
        ColumnCodec.append(UInt32(truncatingIfNeeded: bytes.count), to: &out)
        for end in ends { ColumnCodec.append(end, to: &out) }
        out.append(contentsOf: bytes)
    }

    /// Reads a column that ``encode(into:)`` wrote at `offset` of `data`, and moves `offset`
    /// past it.
    ///
    /// - Throws: ``ColumnCodec/Malformed`` when `data` ends early or the ends are out of order.
    init(decoding data: UnsafeRawBufferPointer, at offset: inout Int) throws {
        self.init()
        try append(decoding: data, at: &offset)
    }

    /// Appends the values of a column that ``encode(into:)`` wrote at `offset` of `data`, and
    /// moves `offset` past it. With `room`, a column that must grow makes room at once for
    /// about `room` values in all, as long on average as those it holds then: columns read
    /// part by part are allocated once, not copied each time they grow.
    ///
    /// - Throws: ``ColumnCodec/Malformed`` when `data` ends early or the ends are out of order;
    ///   the column is then left as it was.
    mutating func append(decoding data: UnsafeRawBufferPointer, at offset: inout Int, room: Int = 0) throws {
        var header = offset
        let count = Int(try ColumnCodec.read(data, at: &header)), byteCount = Int(try ColumnCodec.read(data, at: &header))
        let start = header
        guard count <= (data.count - start) / 4, byteCount <= data.count - start - 4 * count else { throw ColumnCodec.Malformed() }
        // The ends are checked before any value is appended (a plain loop over the bytes: this
        // reads every value of a ledger's pending leads each night).
        var previous: UInt32 = 0, ordered = true
        for index in 0..<count {
            let end = data.loadUnaligned(fromByteOffset: start + 4 * index, as: UInt32.self).littleEndian
            ordered = ordered && end >= previous
            previous = end
        }
        guard ordered, Int(previous) == byteCount else { throw ColumnCodec.Malformed() }
        let values = ends.count + count, length = bytes.count + byteCount
        if room > values, values > 0, ends.capacity < values {
            ends.reserveCapacity(room)
            // A quarter more than the average so far: room that is never written costs no memory.
            let estimate = length * room / values
            bytes.reserveCapacity(estimate + estimate / 4 + 4_096)
        }
        let base = UInt32(truncatingIfNeeded: bytes.count), first = ends.count
        ends.append(contentsOf: repeatElement(0, count: count))
        ends.withUnsafeMutableBufferPointer { ends in
            // Copied as bytes (the data need not be aligned for UInt32), then rebased in place.
            UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(ends)[(4 * first)...])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: data[start..<(start + 4 * count)]))
            for index in first..<ends.count { ends[index] = UInt32(littleEndian: ends[index]) &+ base }
        }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[(start + 4 * count)..<(start + 4 * count + byteCount)]))
        offset = start + 4 * count + byteCount
    }

    /// Keeps only the first `count` values (after an append that must be undone).
    mutating func keepFirst(_ count: Int) {
        guard count < ends.count else { return }
        bytes.removeSubrange((count == 0 ? 0 : Int(ends[count - 1]))...)
        ends.removeSubrange(count...)
    }
}

extension FeatureColumn {
    /// `count` empty values.
    init(empty count: Int) {
        self.init()
        ends = Array(repeating: 0, count: count)
    }

    /// Moves `offset` past a column that ``encode(into:)`` wrote, without reading its values,
    /// and returns how many it holds.
    ///
    /// - Throws: ``ColumnCodec/Malformed`` when `data` ends early.
    static func skip(_ data: UnsafeRawBufferPointer, at offset: inout Int) throws -> Int {
        let count = Int(try ColumnCodec.read(data, at: &offset)), byteCount = Int(try ColumnCodec.read(data, at: &offset))
        guard count <= (data.count - offset) / 4, byteCount <= data.count - offset - 4 * count else { throw ColumnCodec.Malformed() }
        offset += 4 * count + byteCount
        return count
    }
}

/// The little-endian integers of encoded columns (see ``FeatureColumn/encode(into:)``).
enum ColumnCodec {
    /// Encoded data that ends early or contradicts itself.
    struct Malformed: Error {}

    static func append(_ value: UInt32, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    static func read(_ data: UnsafeRawBufferPointer, at offset: inout Int) throws -> UInt32 {
        guard offset >= 0, offset + 4 <= data.count else { throw Malformed() }
        defer { offset += 4 }
        return data.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian
    }
}

/// Hashes of byte strings for blocking keys and frequency tables.
public enum FeatureHash {
    /// FNV-1a over `bytes`; 0 is kept for "no value".
    @inline(__always)
    public static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard !bytes.isEmpty else { return 0 }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash == 0 ? 1 : hash
    }

    /// A hash for grouping equal values within one run (see
    /// ``FeatureColumn/groupingHash(_:)``); 0 is kept for "no value".
    @inline(__always)
    static func grouping(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard !bytes.isEmpty else { return 0 }
        let hash = SharedByteCache.hash(bytes)
        return hash == 0 ? 1 : hash
    }

    /// FNV-1a of a string.
    public static func of(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { of($0) }
    }

    /// Combines two hashes (order matters); 0 stays "no value" if either is 0.
    @inline(__always)
    public static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        guard a != 0, b != 0 else { return 0 }
        var hash = a ^ (b &+ 0x9E37_79B9_7F4A_7C15 &+ (a << 6) &+ (a >> 2))
        hash = (hash ^ (hash >> 31)) &* 0xBF58_476D_1CE4_E5B9
        return hash == 0 ? 1 : hash
    }
}
