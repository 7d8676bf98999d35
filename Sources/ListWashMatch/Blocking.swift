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

    init(model: MatchModel, features: FeatureSet) {
        keys = model.blocking.map { rule in
            let parts = rule.keys.map { key -> (FeatureColumn?, KeyFunction) in (features.column(key.column), key.function) }
            var cache: [UInt64: UInt64] = [:]
            return (0..<features.count).map { record in
                var hash: UInt64 = 0x1234_5678
                for (column, function) in parts {
                    guard let column else { return 0 }
                    let part = column.withValue(record) { BlockingKeys.key($0, function, cache: &cache) }
                    hash = FeatureHash.combine(hash, part)
                    if hash == 0 { return 0 }
                }
                return hash
            }
        }
    }

    static let names = NameNormalizer()

    /// The key hash of one part.
    static func key(_ value: UnsafeBufferPointer<UInt8>, _ function: KeyFunction, cache: inout [UInt64: UInt64]) -> UInt64 {
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
            cache[whole] = hash
            return hash
        case .metaphone, .soundex:
            let whole = FeatureHash.of(value) ^ (function == .metaphone ? 0x6D65_7461 : 0x736F_756E)
            if let cached = cache[whole] { return cached }
            let text = String(decoding: value, as: UTF8.self)
            let code = function == .metaphone ? Phonetic.doubleMetaphone(text).primary : Phonetic.soundex(text)
            let hash = FeatureHash.of(code)
            cache[whole] = hash
            return hash
        case .sortedWords:
            let words = value.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }.sorted()
            return FeatureHash.of(words.joined(separator: " "))
        }
    }
}

/// Generates candidate pairs from blocking keys within one record set (dedupe).
///
/// Each rule's records are sorted by key (radix sort); a run of equal keys is a block. A block
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
    func generate(ruleNames: [String]) -> (pairs: [UInt64], statistics: BlockingStatistics) {
        var statistics = BlockingStatistics()
        var pairs: [UInt64] = []
        var oversize: [Set<UInt64>] = []
        for (ruleIndex, ruleKeys) in keys.keys.enumerated() {
            let order = RadixSort.indicesByKey(ruleKeys)
            var figures = BlockingStatistics.Rule(rule: ruleNames[ruleIndex], pairs: 0, oversizeBlocks: 0, largestBlock: 0)
            var oversizeKeys = Set<UInt64>()
            let before = pairs.count
            var start = 0
            while start < order.count {
                let key = ruleKeys[Int(order[start])]
                var end = start + 1
                while end < order.count, ruleKeys[Int(order[end])] == key { end += 1 }
                let size = end - start
                figures.largestBlock = max(figures.largestBlock, size)
                if size > 1 {
                    var members = order[start..<end]
                    var neighbours = size
                    if size > maxBlockSize {
                        figures.oversizeBlocks += 1
                        oversizeKeys.insert(key)
                        if let sortColumn { members = ArraySlice(members.sorted { sortColumn[Int($0)] < sortColumn[Int($1)] }) }
                        neighbours = window
                    }
                    let base = members.startIndex
                    for a in 0..<size {
                        for b in (a + 1)..<min(size, a + 1 + neighbours) {
                            let x = Int(members[base + a]), y = Int(members[base + b])
                            let i = min(x, y), j = max(x, y)
                            if ruleIndex > 0, seenByEarlierRule(i, j, before: ruleIndex, oversize: oversize) { continue }
                            pairs.append(UInt64(i) << 32 | UInt64(j))
                        }
                    }
                }
                start = end
            }
            oversize.append(oversizeKeys)
            figures.pairs = pairs.count - before
            statistics.rules.append(figures)
        }
        return (pairs, statistics)
    }

    /// Whether an earlier rule put `i` and `j` in one block that it compared in full.
    @inline(__always)
    private func seenByEarlierRule(_ i: Int, _ j: Int, before rule: Int, oversize: [Set<UInt64>]) -> Bool {
        for earlier in 0..<rule {
            let key = keys.keys[earlier][i]
            if key != 0, key == keys.keys[earlier][j], !oversize[earlier].contains(key) { return true }
        }
        return false
    }
}

/// LSD radix sort of record indices by 64-bit key, leaving out records whose key is 0.
enum RadixSort {
    static func indicesByKey(_ keys: [UInt64]) -> [Int32] {
        var items: [(key: UInt64, index: Int32)] = []
        items.reserveCapacity(keys.count)
        for (index, key) in keys.enumerated() where key != 0 { items.append((key, Int32(index))) }
        var scratch = items
        var counts = [Int](repeating: 0, count: 1 << 16)
        for pass in 0..<4 {
            let shift = UInt64(pass * 16)
            for index in counts.indices { counts[index] = 0 }
            for item in items { counts[Int((item.key >> shift) & 0xFFFF)] += 1 }
            var total = 0
            for index in counts.indices {
                let count = counts[index]
                counts[index] = total
                total += count
            }
            for item in items {
                let digit = Int((item.key >> shift) & 0xFFFF)
                scratch[counts[digit]] = item
                counts[digit] += 1
            }
            swap(&items, &scratch)
        }
        return items.map(\.index)
    }
}
