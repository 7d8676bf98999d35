#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import CListWashSystem
import ListWashCore

/// A cache of normalized results shared by the batches a stage normalizes on every core, for
/// fields with many distinct values (last names, companies), where a cache per batch
/// workspace would work each value out once per workspace (internal).
///
/// Sixteen shards of fixed size, each a hash table with linear probing. Lookups take no lock:
/// an entry (its key bytes, length and value) is written completely before its slot is
/// published with a release store, and a lookup reads the slot with an acquire load. Inserts
/// take the shard's lock; a value is worked out outside it. Entries are never dropped or
/// moved while the cache lives (once a shard is full, a value is worked out each time
/// instead), so a hit is handed out without reference counting: the cache keeps it alive.
/// Bytes of keys a shard of a ``SharedByteCache`` allocates at a time.
private let sharedCacheChunkSize = 1 << 16

final class SharedByteCache<Value>: @unchecked Sendable {
    typealias Entry = Boxed<Value>

    /// One entry: its key's bytes (in the shard's arena) and its value.
    private struct Stored {
        let key: UnsafePointer<UInt8>?
        let count: Int
        let value: Unmanaged<Entry>
    }

    /// One shard. Its fields never change after `init`, so the cache line holding them is
    /// never invalidated by another core's insert; what inserts change lives in `writer`.
    private final class Shard {
        /// Per slot, the top 32 bits of the key's hash and the entry's index plus one (0 = empty),
        /// read with acquire loads.
        let slots: UnsafeMutablePointer<UInt64>
        let mask: Int
        let capacity: Int
        let entries: UnsafeMutablePointer<Stored>
        let writer = Writer()

        /// What inserts change, under `lock`.
        final class Writer {
            let lock = Lock()
            /// Entries written so far.
            var count = 0
            /// Key bytes, in chunks that never move.
            var chunks: [UnsafeMutableRawPointer] = []
            var chunkFree = 0

            /// A lasting copy of `key`.
            func store(_ key: UnsafeBufferPointer<UInt8>) -> UnsafePointer<UInt8>? {
                guard let source = key.baseAddress, key.count > 0 else { return nil }
                let size = max(sharedCacheChunkSize, key.count)
                if key.count > chunkFree {
                    chunks.append(.allocate(byteCount: size, alignment: 8))
                    chunkFree = size
                }
                guard let chunk = chunks.last else { return nil }
                let target = chunk + (size - chunkFree)
                target.copyMemory(from: source, byteCount: key.count)
                chunkFree -= key.count
                return UnsafePointer(target.assumingMemoryBound(to: UInt8.self))
            }

            deinit {
                for chunk in chunks { chunk.deallocate() }
            }
        }

        init(capacity: Int) {
            self.capacity = capacity
            var size = 16
            while size < capacity * 2 { size <<= 1 }
            slots = .allocate(capacity: size)
            slots.initialize(repeating: 0, count: size)
            mask = size - 1
            entries = .allocate(capacity: max(capacity, 1))
        }

        deinit {
            for index in 0..<writer.count { entries[index].value.release() }
            entries.deallocate()
            slots.deallocate()
        }
    }

    private let shards: [Shard]

    /// A cache of at most about `limit` values.
    init(limit: Int) {
        shards = (0..<16).map { _ in Shard(capacity: max(1, limit / 16)) }
    }

    /// Calls `body` with the value for `key`, working it out with `make` the first time.
    @inline(__always)
    func withValue<T>(for key: UnsafeBufferPointer<UInt8>, _ make: (UnsafeBufferPointer<UInt8>) -> Value, _ body: (Value) -> T) -> T {
        let hash = ByteCache<Entry>.hash(key)
        let shard = shards[Int(truncatingIfNeeded: hash >> 60)]
        if let found = Self.lookup(key, hash: hash, in: shard) {
            return found._withUnsafeGuaranteedRef { body($0.value) }
        }
        let made = Entry(make(key))
        let writer = shard.writer
        writer.lock.withLock {
            // Another core may have stored the same value meanwhile: the first one stays.
            guard Self.lookup(key, hash: hash, in: shard) == nil, writer.count < shard.capacity else { return }
            let index = writer.count
            (shard.entries + index).initialize(to: Stored(key: writer.store(key), count: key.count, value: .passRetained(made)))
            writer.count += 1
            var slot = Int(truncatingIfNeeded: hash) & shard.mask
            while shard.slots[slot] != 0 { slot = (slot + 1) & shard.mask }
            listwash_store_release(shard.slots + slot, hash & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1))
        }
        return body(made.value)
    }

    /// The value stored for `key` (whose hash is `hash`) in `shard`, if any, without a lock.
    @inline(__always)
    private static func lookup(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, in shard: Shard) -> Unmanaged<Entry>? {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & shard.mask
        while true {
            let stored = listwash_load_acquire(shard.slots + slot)
            if stored == 0 { return nil }
            if stored & 0xFFFF_FFFF_0000_0000 == tag {
                let entry = shard.entries[Int(stored & 0xFFFF_FFFF) - 1]
                if entry.count == key.count {
                    guard let stored = entry.key, let wanted = key.baseAddress else { return entry.value }
                    if memcmp(stored, wanted, key.count) == 0 { return entry.value }
                }
            }
            slot = (slot + 1) & shard.mask
        }
    }
}
