/// Computes the level two records reach on each comparison of a model.
///
/// Level 0 is "null" (a value missing on either side); level `k` (1-based) is the comparison's
/// `levels[k - 1]`.
struct ComparisonEvaluator: Sendable {
    struct Compiled: Sendable {
        let comparison: Comparison
        let column: Int
        let swapColumn: Int?
        /// For `.name`: the column's nickname keys.
        let hasNameKeys: Bool
    }

    let compiled: [Compiled]

    init(model: MatchModel, columns: [String]) {
        compiled = model.comparisons.map { comparison in
            Compiled(
                comparison: comparison,
                column: columns.firstIndex(of: comparison.column) ?? 0,
                swapColumn: comparison.swapColumn.flatMap { columns.firstIndex(of: $0) },
                hasNameKeys: comparison.method == .name)
        }
    }

    /// The level of comparison `k` for records `i` of `left` and `j` of `right`.
    @inline(__always)
    func level(_ k: Int, _ left: FeatureSet, _ i: Int, _ right: FeatureSet, _ j: Int) -> Int {
        let c = compiled[k]
        let a = left.columns[c.column], b = right.columns[c.column]
        if a.isEmpty(i) || b.isEmpty(j) {
            // A name that appears in the other record's swap column still counts as swapped.
            return 0
        }
        return a.withValue(i) { x in
            b.withValue(j) { y in
                levelOf(c, x, y, left: left, i: i, right: right, j: j)
            }
        }
    }

    @inline(__always)
    private func levelOf(_ c: Compiled, _ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>,
                         left: FeatureSet, i: Int, right: FeatureSet, j: Int) -> Int {
        let exact = x.elementsEqual(y)
        let thresholds = c.comparison.thresholds
        switch c.comparison.method {
        case .exact:
            return exact ? 1 : 2
        case .jaroWinkler:
            if exact { return 1 }
            let similarity = Metrics.jaroWinkler(x, y)
            for (index, threshold) in thresholds.enumerated() where similarity >= threshold { return 2 + index }
            return 2 + thresholds.count
        case .levenshtein:
            if exact { return 1 }
            let limit = Int(thresholds.last ?? 2)
            let distance = Metrics.levenshtein(x, y, maximum: limit)
            for (index, threshold) in thresholds.enumerated() where distance <= Int(threshold) { return 2 + index }
            return 2 + thresholds.count
        case .name:
            if exact { return 1 }
            var level = 2
            if let swap = c.swapColumn {
                // First name here is the other's last name, and the other way round.
                let crossed = left.columns[swap].withValue(i) { y.elementsEqual($0) } && right.columns[swap].withValue(j) { x.elementsEqual($0) }
                if crossed { return level }
                level += 1
            }
            if let keys = left.nameKeys[c.comparison.column], let otherKeys = right.nameKeys[c.comparison.column],
               !keys.isEmpty(i), keys.withValue(i, { k in otherKeys.withValue(j) { k.elementsEqual($0) } }) {
                return level
            }
            level += 1
            let similarity = Metrics.jaroWinkler(x, y)
            for (index, threshold) in thresholds.enumerated() where similarity >= threshold { return level + index }
            level += thresholds.count
            if (x.count == 1 || y.count == 1) && x[0] == y[0] { return level }
            return level + 1
        case .email:
            if exact { return 1 }
            let localX = x.firstIndex(of: UInt8(ascii: "@")) ?? x.count, localY = y.firstIndex(of: UInt8(ascii: "@")) ?? y.count
            if localX > 0, localX == localY, x[0..<localX].elementsEqual(y[0..<localY]) { return 2 }
            return Metrics.levenshtein(x, y, maximum: 2) <= 2 ? 3 : 4
        case .phone:
            if exact { return 1 }
            if x.count >= 7, y.count >= 7, x.suffix(7).elementsEqual(y.suffix(7)) { return 2 }
            return Metrics.levenshtein(x, y, maximum: 1) <= 1 ? 3 : 4
        case .date:
            if exact { return 1 }
            if x.count == 8, y.count == 8, x[0..<4].elementsEqual(y[0..<4]), x[4..<6].elementsEqual(y[6..<8]), x[6..<8].elementsEqual(y[4..<6]) { return 2 }
            if Metrics.levenshtein(x, y, maximum: 1) <= 1 { return 3 }
            if x.count == 8, y.count == 8, x[4..<8].elementsEqual(y[4..<8]), let yearX = Metrics.number(x[0..<4]), let yearY = Metrics.number(y[0..<4]), abs(yearX - yearY) == 1 { return 4 }
            return 5
        case .numeric:
            if exact { return 1 }
            guard let p = Metrics.decimal(x), let q = Metrics.decimal(y) else { return 3 }
            let scale = max(abs(p), abs(q))
            return scale > 0 && abs(p - q) / scale <= (thresholds.first ?? 0.05) ? 2 : 3
        case .tokenSet:
            if exact { return 1 }
            if Metrics.jaroWinkler(x, y) >= (thresholds.first ?? 0.9) { return 2 }
            return Metrics.wordJaccard(x, y) >= (thresholds.dropFirst().first ?? 0.5) ? 3 : 4
        case .postcode:
            if exact { return 1 }
            return Metrics.levenshtein(x, y, maximum: 1) <= 1 ? 2 : 3
        }
    }
}

/// The string metrics the evaluator calls, on prepared (ASCII) bytes, without allocating.
enum Metrics {
    @inline(__always)
    static func jaroWinkler(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        Similarity.jaroWinkler(a, b)
    }

    /// Levenshtein distance, or `maximum + 1` once it is known to exceed `maximum`.
    @inline(__always)
    static func levenshtein(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, maximum: Int) -> Int {
        if abs(a.count - b.count) > maximum { return maximum + 1 }
        return Similarity.levenshtein(a, b, maximum: maximum) ?? maximum + 1
    }

    static func number(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(String(decoding: bytes, as: UTF8.self))
    }

    /// Jaccard similarity of the two values' sets of words.
    static func wordJaccard(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        let wordsA = Set(a.split(separator: 0x20).map(FeatureHash.of)), wordsB = Set(b.split(separator: 0x20).map(FeatureHash.of))
        let union = wordsA.union(wordsB).count
        return union == 0 ? 0 : Double(wordsA.intersection(wordsB).count) / Double(union)
    }
}

extension FeatureHash {
    static func of(_ slice: Slice<UnsafeBufferPointer<UInt8>>) -> UInt64 {
        of(UnsafeBufferPointer(rebasing: slice))
    }
}
