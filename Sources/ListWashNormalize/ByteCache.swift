/// A small hash map from byte strings to values, for remembering normalized results of raw field
/// values that repeat (company names, states, email domains) within one batch (internal).
///
/// Open addressing with linear probing; keys are copied into one byte arena. It is a value
/// owned by one thread at a time (the normalize stage keeps one per batch), so it needs no lock.
/// When it holds ``limit`` entries it starts over empty, so memory stays bounded. Values are
/// kept boxed, so a hit costs one reference count rather than a copy of every field.
struct ByteCache<Value> {
    /// A cached value.
    final class Entry {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var keyEnds: [Int] = []
    private var arena: [UInt8] = []
    private var values: [Entry] = []
    private var mask: Int
    /// The most entries kept before the cache starts over.
    let limit: Int

    init(capacity: Int = 64, limit: Int = 1 << 14) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        self.limit = limit
    }

    /// The number of entries.
    var count: Int { values.count }

    /// The value for `key`, computing it with `make` (from the key's bytes) the first time.
    @inline(__always)
    mutating func value(for key: UnsafeBufferPointer<UInt8>, _ make: (UnsafeBufferPointer<UInt8>) -> Value) -> Entry {
        let hash = Self.hash(key)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { break }
            if hashes[index] == hash && keyMatches(index, key) { return values[index] }
            slot = (slot + 1) & mask
        }
        let value = Entry(make(key))
        insert(key, hash: hash, value: value, slot: slot)
        return value
    }

    private func keyMatches(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = index == 0 ? 0 : keyEnds[index - 1]
        guard keyEnds[index] - start == key.count else { return false }
        return arena.withUnsafeBufferPointer { stored in
            var offset = 0
            while offset < key.count {
                if stored[start + offset] != key[offset] { return false }
                offset += 1
            }
            return true
        }
    }

    private mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Entry, slot: Int) {
        if values.count >= limit {
            removeAll()
            insertFresh(key, hash: hash, value: value)
            return
        }
        slots[slot] = Int32(values.count)
        hashes.append(hash)
        arena.append(contentsOf: key)
        keyEnds.append(arena.count)
        values.append(value)
        if values.count * 2 > slots.count { grow() }
    }

    private mutating func insertFresh(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Entry) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        insert(key, hash: hash, value: value, slot: slot)
    }

    private mutating func removeAll() {
        for index in slots.indices { slots[index] = -1 }
        hashes.removeAll(keepingCapacity: true)
        keyEnds.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    /// A fast 64-bit hash of a byte string, eight bytes at a time.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        guard let base = key.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= key.count {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < key.count {
            tail |= UInt64(key[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 29
        return hash
    }
}
