#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import ListWashCore

/// A normalized result kept in a cache: boxed, so that a hit costs at most one reference
/// count rather than a copy of every field (internal).
final class Boxed<Value> {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// A small hash map from byte strings to values, for remembering normalized results of raw field
/// values that repeat (company names, states, email domains) (internal).
///
/// Open addressing with linear probing; keys are copied into one byte arena. It is a value
/// owned by one thread at a time (a normalize workspace), so it needs no lock. When it holds
/// ``limit`` entries it starts over empty, so memory stays bounded.
struct ByteCache<Stored> {
    /// An entry: where its key starts in `arena`, the key's length, and its value, together so
    /// that a hit touches one place after the slot.
    private struct Entry {
        var keyStart: Int
        var keyCount: Int
        var value: Stored
    }

    /// The hash table: per slot, the top 32 bits of the key's hash and the entry's index plus
    /// one (0 = empty), so that a probe rarely touches anything but this array.
    private var slots: [UInt64]
    private var entries: [Entry] = []
    private var arena: [UInt8] = []
    private var mask: Int
    /// The most entries kept before the cache starts over.
    let limit: Int

    init(capacity: Int = 64, limit: Int = 1 << 14) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        self.limit = limit
    }

    /// The number of entries.
    var count: Int { entries.count }

    /// The value for `key`, computing it with `make` (from the key's bytes) the first time.
    @inline(__always)
    mutating func value(for key: UnsafeBufferPointer<UInt8>, _ make: (UnsafeBufferPointer<UInt8>) -> Stored) -> Stored {
        let hash = Self.hash(key)
        let (index, slot) = probe(key, hash: hash)
        if let index { return entries[index].value }
        let value = make(key)
        insert(key, hash: hash, value: value, slot: slot)
        return value
    }

    /// The entry holding `key`, or `nil` and the empty slot where it would go.
    @inline(__always)
    private func probe(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (index: Int?, slot: Int) {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = slots[slot]
            if stored == 0 { return (nil, slot) }
            if stored & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(stored & 0xFFFF_FFFF) - 1
                if keyMatches(index, key) { return (index, slot) }
            }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private func keyMatches(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let (start, count) = entries.withUnsafeBufferPointer { ($0[index].keyStart, $0[index].keyCount) }
        guard count == key.count else { return false }
        guard let keyBase = key.baseAddress else { return true }
        return arena.withUnsafeBufferPointer { stored in
            guard let base = stored.baseAddress else { return false }
            return memcmp(base + start, keyBase, key.count) == 0
        }
    }

    private mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Stored, slot: Int) {
        if entries.count >= limit {
            removeAll()
            insertFresh(key, hash: hash, value: value)
            return
        }
        entries.append(Entry(keyStart: arena.count, keyCount: key.count, value: value))
        slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(entries.count)
        arena.append(contentsOf: key)
        if entries.count * 2 > slots.count { grow() }
    }

    private mutating func insertFresh(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Stored) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        insert(key, hash: hash, value: value, slot: slot)
    }

    private mutating func removeAll() {
        for index in slots.indices { slots[index] = 0 }
        entries.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
    }

    private mutating func grow() {
        let size = slots.count * 2
        var larger = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        arena.withUnsafeBufferPointer { arena in
            for (index, entry) in entries.enumerated() {
                let key = UnsafeBufferPointer(rebasing: arena[entry.keyStart..<entry.keyStart + entry.keyCount])
                let hash = Self.hash(key)
                var slot = Int(truncatingIfNeeded: hash) & mask
                while larger[slot] != 0 { slot = (slot + 1) & mask }
                larger[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
            }
        }
        slots = larger
        self.mask = mask
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
