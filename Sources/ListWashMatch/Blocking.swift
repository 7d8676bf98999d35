import ListWashCore
import ListWashNormalize
import Dispatch

/// What blocking produced, for the run report: how many candidate pairs each rule gave and how
/// many oversize blocks were compared by sorted neighbourhood instead of every pair.
public struct BlockingStatistics: Sendable, Codable, Equatable {
    /// One rule's figures.
    public struct Rule: Sendable, Codable, Equatable {
        /// The rule, as `column:function + column`.
        public var rule: String
        /// New candidate pairs this rule added (pairs an earlier rule gave are not counted again).
        public var pairs: Int
        /// Blocks larger than the cap.
        public var oversizeBlocks: Int
        /// The largest block.
        public var largestBlock: Int
    }

    /// Per rule, in order.
    public var rules: [Rule] = []

    /// All candidate pairs.
    public var totalPairs: Int { rules.reduce(0) { $0 + $1.pairs } }
}

/// Computes blocking keys: for every record and rule, a 64-bit hash of the rule's key parts
/// (0 when a part is empty, so the record is not blocked by that rule).
struct BlockingKeys: Sendable {
    /// keys[rule][record]
    let keys: [[UInt64]]

    /// Keys computed before (see ``PendingLeads``).
    init(keys: [[UInt64]]) {
        self.keys = keys
    }

    /// Computes the keys on all cores: each rule's records are cut into one chunk per core, and
    /// every chunk of every rule is one task (with its own cache of phonetic and nickname keys,
    /// so few chunks keep those caches warm).
    init(model: MatchModel, features: FeatureSet, store: FeatureStore, workers: Int = ProcessorInfo.activeCores) {
        // Each rule as (column index in the store, or -1 when the set lacks it; key function).
        let rules: [[KeyPart]] = model.blocking.map { rule in
            rule.keys.map { key in KeyPart(column: features.columnNames.firstIndex(of: key.column) ?? -1, function: key.function) }
        }
        let unordered = model.blocking.map { $0.unordered == true }
        let count = features.count
        let chunks = count < 4096 ? 1 : max(1, workers)
        let chunkSize = (count + chunks - 1) / chunks
        let buffers = rules.map { _ in UnsafeMutableBufferPointer<UInt64>.allocate(capacity: max(count, 1)) }
        let shared = UncheckedSendable(buffers)
        DispatchQueue.concurrentPerform(iterations: rules.count * chunks) { task in
            let rule = task / chunks, chunk = task % chunks
            let out = shared.value[rule], parts = rules[rule], anyOrder = unordered[rule]
            var cache = HashedKeyMap<UInt64>(capacity: 1 << 12, filler: 0)
            for record in (chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize) {
                out[record] = anyOrder ? Self.unorderedKey(of: record, parts: parts, store: store, cache: &cache)
                    : Self.key(of: record, parts: parts, store: store, cache: &cache)
            }
        }
        keys = buffers.map { buffer in
            defer { buffer.deallocate() }
            return Array(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// One part of a rule: a column of the store (-1 when the set lacks it) and a key function.
    private struct KeyPart: Sendable {
        let column: Int
        let function: KeyFunction
    }

    /// One record's key hash under a rule made of `parts`.
    @inline(__always)
    private static func key(of record: Int, parts: [KeyPart], store: FeatureStore, cache: inout HashedKeyMap<UInt64>) -> UInt64 {
        var hash: UInt64 = 0x1234_5678
        for part in parts {
            guard part.column >= 0 else { return 0 }
            hash = FeatureHash.combine(hash, BlockingKeys.key(store.value(part.column, record), part.function, cache: &cache))
            if hash == 0 { return 0 }
        }
        return hash
    }

    /// One record's key hash under a rule made of `parts` in any order: the parts' hashes
    /// sorted, then combined.
    private static func unorderedKey(of record: Int, parts: [KeyPart], store: FeatureStore, cache: inout HashedKeyMap<UInt64>) -> UInt64 {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: parts.count) { buffer in
            var hashes = buffer
            for (index, part) in parts.enumerated() {
                guard part.column >= 0 else { return 0 }
                let hash = BlockingKeys.key(store.value(part.column, record), part.function, cache: &cache)
                if hash == 0 { return 0 }
                hashes[index] = hash
            }
            hashes.sort()
            return hashes.reduce(0x8765_4321) { FeatureHash.combine($0, $1) }
        }
    }

    static let names = NameNormalizer()

    /// The key hash of one part.
    static func key(_ value: UnsafeBufferPointer<UInt8>, _ function: KeyFunction, cache: inout HashedKeyMap<UInt64>) -> UInt64 {
        guard !value.isEmpty else { return 0 }
        switch function {
        case .exact: return FeatureHash.of(value)
        case .initial: return FeatureHash.of(UnsafeBufferPointer(rebasing: value.prefix(1)))
        case .prefix3: return FeatureHash.of(UnsafeBufferPointer(rebasing: value.prefix(3)))
        case .digits3:
            let digits = value.filter { $0 >= 0x30 && $0 <= 0x39 }
            return digits.count < 3 ? 0 : digits.prefix(3).withUnsafeBufferPointer { FeatureHash.of($0) }
        case .year:
            let digits = value.filter { $0 >= 0x30 && $0 <= 0x39 }
            return digits.count < 4 ? 0 : digits.prefix(4).withUnsafeBufferPointer { FeatureHash.of($0) }
        case .nickname:
            let whole = FeatureHash.of(value) ^ 0x6E69_636B
            if let cached = cache[whole] { return cached }
            let hash = FeatureHash.of(Self.names.firstNameKey(String(decoding: value, as: UTF8.self)))
            if whole != 0 { cache.set(whole, hash) }
            return hash
        case .metaphone, .soundex:
            let whole = FeatureHash.of(value) ^ (function == .metaphone ? 0x6D65_7461 : 0x736F_756E)
            if let cached = cache[whole] { return cached }
            let text = String(decoding: value, as: UTF8.self)
            let code = function == .metaphone ? Phonetic.doubleMetaphone(text).primary : Phonetic.soundex(text)
            let hash = FeatureHash.of(code)
            if whole != 0 { cache.set(whole, hash) }
            return hash
        case .sortedWords:
            let words = value.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }.sorted()
            return FeatureHash.of(words.joined(separator: " "))
        }
    }
}

/// Generates candidate pairs from blocking keys within one record set (dedupe).
///
/// Each rule's records are sorted by key (``KeySort``); a run of equal keys is a block. A block
/// up to `maxBlockSize` yields every pair; a larger one is sorted by its records' first
/// comparison value and yields each record with its next `window` neighbours (sorted
/// neighbourhood), so no block explodes into quadratic work. A pair an earlier rule already
/// gave is not repeated.
struct PairGenerator {
    let keys: BlockingKeys
    let maxBlockSize: Int
    let window: Int
    let sortColumn: FeatureColumn?

    /// Every candidate pair (i < j), packed as `i << 32 | j`, and the figures per rule.
    ///
    /// The rules are sorted, then their pairs made, on all cores; the pairs come out rule by
    /// rule, in the same order as one rule after another would give them.
    func generate(ruleNames: [String]) -> (pairs: [UInt64], statistics: BlockingStatistics) {
        let rules = keys.keys.count
        // Each rule's records in key order, and the records in its oversize blocks.
        var blocks = [(order: [Int32], oversize: [Int32], figures: BlockingStatistics.Rule)?](repeating: nil, count: rules)
        blocks.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: rules) { rule in
                out.value[rule] = sortedBlocks(rule, name: ruleNames[rule])
            }
        }
        let sorted = blocks.compactMap { $0 }
        let compared = ComparedBlocks(keys: keys, oversize: sorted.map(\.oversize))
        // Each rule's records cut into pieces at block boundaries, so that a large rule is
        // shared out over the cores too; the pieces come back in order.
        let pieces = (0..<rules).flatMap { rule in self.pieces(of: sorted[rule].order, rule: rule, count: 8).map { (rule, $0) } }
        var parts = [[UInt64]](repeating: [], count: pieces.count)
        parts.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: pieces.count) { index in
                let (rule, range) = pieces[index]
                out.value[index] = rulePairs(rule, order: sorted[rule].order[range], compared: compared)
            }
        }
        var statistics = BlockingStatistics()
        var pairs: [UInt64] = []
        pairs.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for rule in 0..<rules {
            var figures = sorted[rule].figures
            for (index, piece) in pieces.enumerated() where piece.0 == rule {
                figures.pairs += parts[index].count
                pairs.append(contentsOf: parts[index])
                parts[index] = []
            }
            statistics.rules.append(figures)
        }
        return (pairs, statistics)
    }

    /// `order` cut into about `count` ranges that do not split a block of equal keys.
    private func pieces(of order: [Int32], rule: Int, count: Int) -> [Range<Int>] {
        let ruleKeys = keys.keys[rule]
        var ranges: [Range<Int>] = []
        var start = 0
        let size = max(1, order.count / count)
        while start < order.count {
            var end = min(order.count, start + size)
            while end < order.count, ruleKeys[Int(order[end])] == ruleKeys[Int(order[end - 1])] { end += 1 }
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    /// Rule `rule`'s records sorted by key, the records in its blocks larger than the cap, and
    /// its figures (without pairs).
    private func sortedBlocks(_ rule: Int, name: String) -> (order: [Int32], oversize: [Int32], figures: BlockingStatistics.Rule) {
        let ruleKeys = keys.keys[rule]
        let order = KeySort.indicesByKey(ruleKeys)
        var figures = BlockingStatistics.Rule(rule: name, pairs: 0, oversizeBlocks: 0, largestBlock: 0)
        var oversize: [Int32] = []
        forEachBlock(order[...], rule: rule) { block in
            figures.largestBlock = max(figures.largestBlock, block.count)
            if block.count > maxBlockSize {
                figures.oversizeBlocks += 1
                oversize.append(contentsOf: block)
            }
        }
        return (order, oversize, figures)
    }

    /// Calls `body` with each run of records of equal key under rule `rule` in `order`.
    private func forEachBlock(_ order: ArraySlice<Int32>, rule: Int, _ body: (UnsafeBufferPointer<Int32>) -> Void) {
        order.withUnsafeBufferPointer { order in
            keys.keys[rule].withUnsafeBufferPointer { KeySort.forEachRun(order, keys: $0, body) }
        }
    }

    /// The pairs rule `rule` adds: every pair of a block up to the cap, each record's next
    /// `window` neighbours (by the sort column) in a larger one, leaving out pairs an earlier
    /// rule compared in full.
    private func rulePairs(_ rule: Int, order: ArraySlice<Int32>, compared: ComparedBlocks) -> [UInt64] {
        var pairs: [UInt64] = []
        /// Each member with its next `neighbours` members.
        func pair(_ members: UnsafeBufferPointer<Int32>, neighbours: Int) {
            let size = members.count
            for a in 0..<size {
                for b in (a + 1)..<min(size, a + 1 + neighbours) {
                    let x = Int(members[a]), y = Int(members[b])
                    let i = min(x, y), j = max(x, y)
                    if rule > 0, compared.together(i, j, before: rule) { continue }
                    pairs.append(UInt64(i) << 32 | UInt64(j))
                }
            }
        }
        forEachBlock(order, rule: rule) { block in
            if block.count > maxBlockSize {
                var members = Array(block)
                if let sortColumn { members.sort { Self.precedes(sortColumn, Int($0), Int($1)) } }
                members.withUnsafeBufferPointer { pair($0, neighbours: window) }
            } else if block.count > 1 {
                pair(block, neighbours: block.count)
            }
        }
        return pairs
    }

    /// Whether record `a`'s value sorts before record `b`'s (prepared values are ASCII, so byte
    /// order is the strings' order).
    private static func precedes(_ column: FeatureColumn, _ a: Int, _ b: Int) -> Bool {
        column.withValue(a) { x in column.withValue(b) { y in Metrics.compare(x, y) < 0 } }
    }
}

/// Per record, the keys of the blocks each rule but the last compared in full (0 for none:
/// no key, or an oversize block), record by record, so that asking whether an earlier rule
/// already gave a pair reads two short runs of memory (internal).
private final class ComparedBlocks: @unchecked Sendable {
    private let stride: Int
    private let table: UnsafeMutableBufferPointer<UInt64>

    init(keys: BlockingKeys, oversize: [[Int32]]) {
        let rules = keys.keys.count, count = keys.keys.first?.count ?? 0
        stride = max(rules - 1, 1)
        table = .allocate(capacity: max(count * stride, 1))
        let (table, stride) = (UncheckedSendable(table), self.stride)
        let chunkSize = 1 << 16, chunks = (count + chunkSize - 1) / chunkSize
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for rule in 0..<(rules - 1) {
                keys.keys[rule].withUnsafeBufferPointer { ruleKeys in
                    for record in (chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize) {
                        table.value[record * stride + rule] = ruleKeys[record]
                    }
                }
            }
        }
        for rule in 0..<max(rules - 1, 0) {
            for record in oversize[rule] { table.value[Int(record) * stride + rule] = 0 }
        }
    }

    deinit { table.deallocate() }

    /// Whether a rule before `rule` put `i` and `j` in one block that it compared in full.
    @inline(__always)
    func together(_ i: Int, _ j: Int, before rule: Int) -> Bool {
        let left = i * stride, right = j * stride
        for earlier in 0..<rule {
            let key = table[left + earlier]
            if key != 0, key == table[right + earlier] { return true }
        }
        return false
    }
}

/// Sorts record indices by 64-bit key, leaving out records whose key is 0; records with equal
/// keys stay in index order.
///
/// One pass spreads the records over 65,536 buckets by their key's top 16 bits; each bucket
/// (a handful of records: keys are hashes) is then sorted in place. That moves each record
/// twice, where a sort by all 64 bits, 16 at a time, moves it four times over scattered memory.
enum KeySort {
    static func indicesByKey(_ keys: [UInt64]) -> [Int32] {
        sortedByKey(keys).map(\.index)
    }

    /// The record indices as ``indicesByKey(_:)`` sorts them, and their keys in that order
    /// (read from the sort itself, not gathered again from `keys` at random).
    static func indicesAndKeys(_ keys: [UInt64]) -> (indices: [Int32], keys: [UInt64]) {
        let sorted = sortedByKey(keys)
        return (sorted.map(\.index), sorted.map(\.key))
    }

    /// The records whose key is not 0, with their keys, sorted by key then index.
    private static func sortedByKey(_ keys: [UInt64]) -> [(key: UInt64, index: Int32)] {
        var starts = [Int](repeating: 0, count: (1 << 16) + 1)
        var total = 0
        for key in keys where key != 0 {
            starts[Int(key >> 48) + 1] += 1
            total += 1
        }
        for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
        var items = [(key: UInt64, index: Int32)](repeating: (0, 0), count: total)
        var next = starts
        for (index, key) in keys.enumerated() where key != 0 {
            let bucket = Int(key >> 48)
            items[next[bucket]] = (key, Int32(truncatingIfNeeded: index))
            next[bucket] += 1
        }
        items.withUnsafeMutableBufferPointer { items in
            for bucket in 0..<(1 << 16) {
                let start = starts[bucket], end = starts[bucket + 1]
                if end - start < 2 { continue }
                if end - start > 64 {
                    // Many records: a block of one key, or keys that share their top bits.
                    let sorted = items[start..<end].sorted { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
                    for (offset, item) in sorted.enumerated() { items[start + offset] = item }
                    continue
                }
                // Insertion sort, which keeps equal keys in index order.
                for i in (start + 1)..<end {
                    let item = items[i]
                    var j = i
                    while j > start && items[j - 1].key > item.key {
                        items[j] = items[j - 1]
                        j -= 1
                    }
                    items[j] = item
                }
            }
        }
        return items
    }

    /// Calls `body` with each run of `order` (record indices sorted by key, as
    /// ``indicesByKey(_:)`` gives them) whose records have one key in `keys`.
    static func forEachRun(_ order: UnsafeBufferPointer<Int32>, keys: UnsafeBufferPointer<UInt64>, _ body: (UnsafeBufferPointer<Int32>) -> Void) {
        var start = 0
        while start < order.count {
            let key = keys[Int(order[start])]
            var end = start + 1
            while end < order.count, keys[Int(order[end])] == key { end += 1 }
            body(UnsafeBufferPointer(rebasing: order[start..<end]))
            start = end
        }
    }
}
