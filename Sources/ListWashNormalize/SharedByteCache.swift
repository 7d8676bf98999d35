#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import CListWashSystem
import ListWashCore

/// A cache of normalized results as bytes, shared by the batches a stage normalizes on every
/// core, for fields with many distinct values (last names, companies), where a cache per batch
/// workspace would work each value out once per workspace (internal).
///
/// Sixteen shards of fixed size, each a hash table with linear probing whose slot holds 16 bits
/// of the key's hash and the address of its entry: the key's and the value's lengths, then
/// their bytes, side by side, so that a hit reads two places (slot and entry). Lookups take no
/// lock: an entry is written completely before its slot is published with a release store,
/// and a lookup reads the slot with an acquire load. Inserts take the shard's lock; a value is
/// worked out outside it. Entries never move and are never dropped while the cache lives (once
/// a shard is full, a value is worked out each time instead). The matching module keeps given
/// names' related-name lists in one too.
package final class SharedByteCache: @unchecked Sendable {
    /// One shard's table: plain values in one allocation for all shards, so a lookup touches
    /// no reference count (a retained shard object would bounce its count's cache line
    /// between the cores on every lookup). What inserts change lives in `writers`.
    private struct Shard {
        /// Per slot, 16 bits of the key's hash above the entry's address (0 = empty), read with
        /// acquire loads.
        let slots: UnsafeMutablePointer<UInt64>
        let mask: Int
        let capacity: Int
    }

    /// What inserts into one shard change, under `lock`.
    private final class Writer {
        let lock = Lock()
        /// Entries written so far.
        var count = 0
        /// Entries' bytes, in chunks that never move.
        var chunks: [UnsafeMutableRawPointer] = []
        var chunkFree = 0
        var chunkSize = 0

        /// A lasting entry for `key` and `value`: both lengths (4 bytes each), then both.
        func store(_ key: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) -> UnsafeMutableRawPointer {
            let size = (8 + key.count + value.count + 7) & ~7
            if size > chunkFree {
                chunkSize = max(1 << 16, size)
                chunks.append(.allocate(byteCount: chunkSize, alignment: 8))
                chunkFree = chunkSize
            }
            let entry = chunks[chunks.count - 1] + (chunkSize - chunkFree)
            chunkFree -= size
            entry.storeBytes(of: UInt32(truncatingIfNeeded: key.count), as: UInt32.self)
            entry.storeBytes(of: UInt32(truncatingIfNeeded: value.count), toByteOffset: 4, as: UInt32.self)
            if let source = key.baseAddress { (entry + 8).copyMemory(from: source, byteCount: key.count) }
            if let source = value.baseAddress { (entry + 8 + key.count).copyMemory(from: source, byteCount: value.count) }
            return entry
        }

        deinit {
            for chunk in chunks { chunk.deallocate() }
        }
    }

    private static let shardCount = 16
    private let shards: UnsafeMutablePointer<Shard>
    private let writers: [Writer]
    /// The bits of a slot that hold the entry's address (user-space addresses fit in 48 bits).
    private static let addressBits: UInt64 = (1 << 48) - 1

    /// A cache of at most about `limit` values.
    package init(limit: Int) {
        let capacity = max(1, limit / Self.shardCount)
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        shards = .allocate(capacity: Self.shardCount)
        for index in 0..<Self.shardCount {
            let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
            slots.initialize(repeating: 0, count: size)
            (shards + index).initialize(to: Shard(slots: slots, mask: size - 1, capacity: capacity))
        }
        writers = (0..<Self.shardCount).map { _ in Writer() }
    }

    deinit {
        for index in 0..<Self.shardCount { shards[index].slots.deallocate() }
        shards.deallocate()
    }

    /// Calls `body` with the value bytes for `key`, working them out the first time with
    /// `make`, which appends them to the array it is given.
    @inline(__always)
    package func withValue<T>(
        for key: UnsafeBufferPointer<UInt8>, _ make: (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Void,
        _ body: (UnsafeBufferPointer<UInt8>) -> T
    ) -> T {
        let hash = Self.hash(key)
        let index = Self.shardIndex(hash)
        let shard = shards[index]
        if let found = Self.lookup(key, hash: hash, in: shard) { return body(found) }
        var made: [UInt8] = []
        make(key, &made)
        return made.withUnsafeBufferPointer { value in
            let writer = writers[index]
            writer.lock.withLock {
                // Another core may have stored the same value meanwhile: the first one stays.
                guard Self.lookup(key, hash: hash, in: shard) == nil, writer.count < shard.capacity else { return }
                let entry = writer.store(key, value)
                let address = UInt64(UInt(bitPattern: entry))
                // An address beyond 48 bits (not given out by today's systems) is not cached.
                guard address & ~Self.addressBits == 0 else { return }
                writer.count += 1
                var slot = Int(truncatingIfNeeded: hash) & shard.mask
                while shard.slots[slot] != 0 { slot = (slot + 1) & shard.mask }
                listwash_store_release(shard.slots + slot, hash & ~Self.addressBits | address)
            }
            return body(value)
        }
    }

    /// The shard of a key whose hash is `hash`: its top four bits.
    @inline(__always)
    private static func shardIndex(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash >> 60)
    }

    /// The hash of `key` that lookups use (for ``prefetchSlot(_:)`` and ``prefetchEntry(_:)``).
    @inline(__always)
    package static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        ByteCache<Void>.hash(key)
    }

    /// Starts loading the slot where a lookup of the key whose hash is `hash` begins.
    @inline(__always)
    package func prefetchSlot(_ hash: UInt64) {
        let shard = shards[Self.shardIndex(hash)]
        listwash_prefetch(shard.slots + (Int(truncatingIfNeeded: hash) & shard.mask))
    }

    /// Starts loading the entry that the slot of ``prefetchSlot(_:)`` names, if any: called a
    /// little after it, when the slot has arrived, so that a lookup finds both in the cache
    /// (a lookup of the records of a batch one by one otherwise waits for memory twice).
    @inline(__always)
    package func prefetchEntry(_ hash: UInt64) {
        let shard = shards[Self.shardIndex(hash)]
        let stored = listwash_load_acquire(shard.slots + (Int(truncatingIfNeeded: hash) & shard.mask))
        if stored & ~Self.addressBits == hash & ~Self.addressBits, let entry = UnsafeRawPointer(bitPattern: UInt(stored & Self.addressBits)) {
            listwash_prefetch(entry)
        }
    }

    /// The value bytes stored for `key` (whose hash is `hash`) in `shard`, if any, without a lock.
    @inline(__always)
    private static func lookup(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, in shard: Shard) -> UnsafeBufferPointer<UInt8>? {
        let tag = hash & ~addressBits
        var slot = Int(truncatingIfNeeded: hash) & shard.mask
        while true {
            let stored = listwash_load_acquire(shard.slots + slot)
            if stored == 0 { return nil }
            if stored & ~addressBits == tag, let entry = UnsafeRawPointer(bitPattern: UInt(stored & addressBits)) {
                let keyCount = Int(entry.load(as: UInt32.self))
                if keyCount == key.count {
                    let storedKey = entry + 8
                    if keyCount == 0 || key.baseAddress.map({ memcmp(storedKey, $0, keyCount) == 0 }) == true {
                        let valueCount = Int(entry.load(fromByteOffset: 4, as: UInt32.self))
                        return UnsafeBufferPointer(start: (storedKey + keyCount).assumingMemoryBound(to: UInt8.self), count: valueCount)
                    }
                }
            }
            slot = (slot + 1) & shard.mask
        }
    }
}

/// A normalized result as a ``SharedByteCache`` keeps it (internal): 8 bytes of flags, the
/// lengths of every field but the last (4 bytes each), then the fields' UTF-8 bytes.
enum CachedFields {
    static func encode(flags: UInt64, _ fields: [String], into out: inout [UInt8]) {
        encode(flags: flags, fields.map(\.utf8), into: &out)
    }

    static func encode(flags: UInt64, _ fields: [[UInt8]], into out: inout [UInt8]) {
        encode(flags: flags, fields[...], into: &out)
    }

    /// Appends the flags, the lengths of all fields but the last, then their bytes, in room
    /// reserved once.
    private static func encode<Field: Collection>(flags: UInt64, _ fields: some Collection<Field>, into out: inout [UInt8])
    where Field.Element == UInt8 {
        out.reserveCapacity(out.count + 8 + 4 * max(fields.count - 1, 0) + fields.reduce(0) { $0 + $1.count })
        withUnsafeBytes(of: flags.littleEndian) { out.append(contentsOf: $0) }
        for field in fields.dropLast() {
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: field.count).littleEndian) { out.append(contentsOf: $0) }
        }
        for field in fields { out.append(contentsOf: field) }
    }

    /// The flags.
    @inline(__always)
    static func flags(_ cached: UnsafeBufferPointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawBufferPointer(cached).loadUnaligned(as: UInt64.self))
    }

    /// Field `index` of the `count` fields.
    @inline(__always)
    static func field(_ index: Int, of count: Int, in cached: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: cached[bounds(index, of: count, in: cached)])
    }

    /// Fields `range` of the `count` fields, as one run of bytes (they lie one after another).
    @inline(__always)
    static func fields(_ range: Range<Int>, of count: Int, in cached: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let start = bounds(range.lowerBound, of: count, in: cached).lowerBound
        let end = bounds(range.upperBound - 1, of: count, in: cached).upperBound
        return UnsafeBufferPointer(rebasing: cached[start..<end])
    }

    /// Where field `index` of the `count` fields lies in `cached`.
    @inline(__always)
    private static func bounds(_ index: Int, of count: Int, in cached: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let raw = UnsafeRawBufferPointer(cached)
        func length(_ field: Int) -> Int {
            Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8 + 4 * field, as: UInt32.self)))
        }
        var start = 8 + 4 * (count - 1)
        for earlier in 0..<index { start += length(earlier) }
        let end = index == count - 1 ? cached.count : start + length(index)
        return start..<end
    }
}
