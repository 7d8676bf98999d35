/// A hash map whose keys are non-zero 64-bit hashes already (``FeatureHash`` values, blocking
/// keys), so it does not hash them again as `Dictionary` does (SipHash): open addressing with
/// linear probing, the slot taken from the key's top bits after one multiplication (internal).
struct HashedKeyMap<Value> {
    /// Per slot, its key (0 = empty).
    private var keys: [UInt64]
    private var values: [Value]
    private let filler: Value
    private var shift: UInt64
    /// The number of keys held.
    private(set) var count = 0

    /// An empty map with room for about `capacity` keys before it grows; `filler` fills the
    /// empty slots' values and is never returned.
    init(capacity: Int = 16, filler: Value) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: filler, count: size)
        self.filler = filler
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    /// The value for `key`, if any.
    @inline(__always)
    subscript(key: UInt64) -> Value? {
        let slot = find(key)
        return keys[slot] == 0 ? nil : values[slot]
    }

    /// Changes the value for `key` (non-zero) with `body`, starting from `initial` when the map
    /// lacks it.
    @inline(__always)
    mutating func update(_ key: UInt64, initial: Value, _ body: (inout Value) -> Void) {
        var slot = find(key)
        if keys[slot] == 0 {
            if (count + 1) * 2 > keys.count {
                grow()
                slot = find(key)
            }
            keys[slot] = key
            values[slot] = initial
            count += 1
        }
        body(&values[slot])
    }

    /// Sets the value for `key` (non-zero).
    @inline(__always)
    mutating func set(_ key: UInt64, _ value: Value) {
        update(key, initial: value) { $0 = value }
    }

    /// Calls `body` with every key and its value, in no particular order.
    func forEach(_ body: (UInt64, Value) -> Void) {
        for (slot, key) in keys.enumerated() where key != 0 { body(key, values[slot]) }
    }

    /// The slot holding `key`, or the empty slot where it would go.
    @inline(__always)
    private func find(_ key: UInt64) -> Int {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while keys[slot] != 0 && keys[slot] != key { slot = (slot + 1) & mask }
        return slot
    }

    private mutating func grow() {
        let old = (keys, values)
        keys = Array(repeating: 0, count: old.0.count * 2)
        values = Array(repeating: filler, count: old.0.count * 2)
        shift -= 1
        for (slot, key) in old.0.enumerated() where key != 0 {
            let target = find(key)
            keys[target] = key
            values[target] = old.1[slot]
        }
    }
}

extension HashedKeyMap: Sendable where Value: Sendable {}
