// Edit distances: Levenshtein (Myers/Hyyrö bit-parallel when the shorter string has at most 64
// units, a row DP otherwise), optimal string alignment, unrestricted Damerau-Levenshtein (the
// Lowrance-Wagner algorithm jellyfish uses) and Hamming (jellyfish's: a length difference counts
// as extra mismatches).

extension Similarity {
    /// Levenshtein distance: the fewest insertions, deletions and substitutions turning `a`
    /// into `b`.
    ///
    ///     Similarity.levenshtein("kitten", "sitting")   // 3
    ///
    /// - Complexity: O(|a| + |b|) time when the shorter string (after removing the common prefix
    ///   and suffix) has at most 64 units (bit-parallel), O(|a| · |b|) otherwise.
    public static func levenshtein(_ a: String, _ b: String) -> Int {
        TextUnits.withUnits(
            a, b,
            ascii: { EditKernel.levenshtein($0, $1, maximum: Int.max)! },
            scalars: { EditKernel.levenshtein($0, $1, maximum: Int.max)! })
    }

    /// Levenshtein distance when it is at most `maximum`, `nil` when it is larger. Stops as
    /// soon as the bound cannot be met (length difference first, then row by row).
    ///
    ///     Similarity.levenshtein("kitten", "sitting", maximum: 2)   // nil
    ///     Similarity.levenshtein("kitten", "sitten", maximum: 2)    // 1
    ///
    /// - Complexity: as the unbounded `levenshtein`, often much less when the bound fails early.
    public static func levenshtein(_ a: String, _ b: String, maximum: Int) -> Int? {
        TextUnits.withUnits(
            a, b,
            ascii: { EditKernel.levenshtein($0, $1, maximum: maximum) },
            scalars: { EditKernel.levenshtein($0, $1, maximum: maximum) })
    }

    /// Levenshtein distance of two byte strings, one unit per byte. The hot-path entry point:
    /// no heap allocation.
    ///
    ///     let d = Similarity.levenshtein(zipBytesA, zipBytesB)
    ///
    /// - Complexity: O(|a| + |b|) up to 64 bytes in the shorter string, O(|a| · |b|) beyond.
    @inlinable
    public static func levenshtein(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        EditKernel.levenshtein(a, b, maximum: Int.max)!
    }

    /// Levenshtein distance of two byte strings when it is at most `maximum`, `nil` otherwise;
    /// stops early. The hot-path entry point for thresholded comparison levels: no heap
    /// allocation.
    ///
    ///     if let d = Similarity.levenshtein(a, b, maximum: 2) { /* level "within 2 edits" */ }
    ///
    /// - Complexity: O(|a| + |b|) up to 64 bytes in the shorter string, O(|a| · |b|) beyond;
    ///   constant when the lengths differ by more than `maximum`.
    @inlinable
    public static func levenshtein(
        _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, maximum: Int
    ) -> Int? {
        EditKernel.levenshtein(a, b, maximum: maximum)
    }

    /// Optimal string alignment distance (restricted Damerau-Levenshtein): Levenshtein plus the
    /// transposition of two adjacent characters, where no substring is edited twice.
    ///
    ///     Similarity.optimalStringAlignment("ca", "abc")   // 3 (unrestricted Damerau gives 2)
    ///
    /// - Complexity: O(|a| · |b|) time, O(|b|) memory.
    public static func optimalStringAlignment(_ a: String, _ b: String) -> Int {
        TextUnits.withUnits(a, b, ascii: { EditKernel.osa($0, $1) }, scalars: { EditKernel.osa($0, $1) })
    }

    /// Unrestricted Damerau-Levenshtein distance (insertions, deletions, substitutions and
    /// transpositions of adjacent characters, edits between transposed characters allowed), as
    /// jellyfish's `damerau_levenshtein_distance`.
    ///
    ///     Similarity.damerauLevenshtein("abcd", "acb")   // 2
    ///
    /// - Complexity: O(|a| · |b|) time and memory.
    public static func damerauLevenshtein(_ a: String, _ b: String) -> Int {
        TextUnits.withUnits(
            a, b,
            ascii: { EditKernel.damerau($0, $1, alphabet: 256) },
            scalars: { sa, sb in
                // Renumber the scalars 0..<k so the last-row table stays an array.
                var ids: [UInt32: UInt32] = [:]
                let ia = sa.map { s in ids[s] ?? { let id = UInt32(ids.count); ids[s] = id; return id }() }
                let ib = sb.map { s in ids[s] ?? { let id = UInt32(ids.count); ids[s] = id; return id }() }
                return ia.withUnsafeBufferPointer { pa in
                    ib.withUnsafeBufferPointer { pb in EditKernel.damerau(pa, pb, alphabet: ids.count) }
                }
            })
    }

    /// Hamming distance as jellyfish defines it: the positions that differ over the shorter
    /// length, plus the difference in length.
    ///
    ///     Similarity.hamming("abc", "abcd")   // 1
    ///     Similarity.hamming("acc", "abc")    // 1
    ///
    /// - Complexity: O(max(|a|, |b|)).
    public static func hamming(_ a: String, _ b: String) -> Int {
        TextUnits.withUnits(a, b, ascii: { EditKernel.hamming($0, $1) }, scalars: { EditKernel.hamming($0, $1) })
    }
}

@usableFromInline
enum EditKernel {
    @inlinable
    static func levenshtein<T: FixedWidthInteger>(
        _ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>, maximum: Int
    ) -> Int? {
        if maximum < 0 { return nil }
        // Common prefix and suffix cost nothing.
        var start = 0
        let shorter = min(a.count, b.count)
        while start < shorter && a[start] == b[start] { start += 1 }
        var endA = a.count, endB = b.count
        while endA > start && endB > start && a[endA - 1] == b[endB - 1] {
            endA -= 1
            endB -= 1
        }
        let ra = UnsafeBufferPointer(rebasing: a[start..<endA])
        let rb = UnsafeBufferPointer(rebasing: b[start..<endB])
        let (p, t) = ra.count <= rb.count ? (ra, rb) : (rb, ra)
        let m = p.count, n = t.count
        if n - m > maximum { return nil }
        if m == 0 { return n }
        if m <= 64 { return myers(p, t, maximum: maximum) }
        return rowDP(p, t, maximum: maximum)
    }

    /// Myers' bit-vector algorithm in Hyyrö's formulation; `p` has 1...64 units and is no
    /// longer than `t`.
    @inlinable
    static func myers<T: FixedWidthInteger>(
        _ p: UnsafeBufferPointer<T>, _ t: UnsafeBufferPointer<T>, maximum: Int
    ) -> Int? {
        let m = p.count
        if T.bitWidth == 8 && TextUnits.isASCII(p, t) {
            // 128 masks = 1 KiB, within the size Swift always places on the stack.
            return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 128) { peq in
                // Clear only the entries this comparison reads.
                for c in t { peq[Int(truncatingIfNeeded: c)] = 0 }
                for c in p { peq[Int(truncatingIfNeeded: c)] = 0 }
                for i in 0..<m { peq[Int(truncatingIfNeeded: p[i])] |= 1 << UInt64(i) }
                if maximum >= t.count { return myersRun(m: m, t, maximum: Int.max) { peq[Int(truncatingIfNeeded: $0)] } }
                return myersRun(m: m, t, maximum: maximum) { peq[Int(truncatingIfNeeded: $0)] }
            }
        }
        // Wide units (or non-ASCII bytes): a short list of the pattern's distinct units and their
        // masks.
        return withUnsafeTemporaryAllocation(of: T.self, capacity: m) { keys in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: m) { masks in
                var k = 0
                for i in 0..<m {
                    let c = p[i]
                    var slot = 0
                    while slot < k && keys[slot] != c { slot += 1 }
                    if slot == k {
                        keys.baseAddress!.advanced(by: k).initialize(to: c)
                        masks.baseAddress!.advanced(by: k).initialize(to: 0)
                        k += 1
                    }
                    masks[slot] |= 1 << UInt64(i)
                }
                return myersRun(m: m, t, maximum: maximum) { c in
                    var slot = 0
                    while slot < k {
                        if keys[slot] == c { return masks[slot] }
                        slot += 1
                    }
                    return 0
                }
            }
        }
    }

    @inlinable @inline(__always)
    static func myersRun<T: FixedWidthInteger>(
        m: Int, _ t: UnsafeBufferPointer<T>, maximum: Int, _ peq: (T) -> UInt64
    ) -> Int? {
        var pv: UInt64 = ~0, mv: UInt64 = 0
        var score = m
        let last: UInt64 = 1 << UInt64(m - 1)
        let n = t.count
        for j in 0..<n {
            let eq = peq(t[j])
            let xv = eq | mv
            let xh = (((eq & pv) &+ pv) ^ pv) | eq
            var ph = mv | ~(xh | pv)
            var mh = pv & xh
            if ph & last != 0 { score += 1 } else if mh & last != 0 { score -= 1 }
            ph = (ph << 1) | 1
            mh = mh << 1
            pv = mh | ~(xv | ph)
            mv = ph & xv
            // Each remaining column lowers the score by at most one.
            if maximum != Int.max && score - (n - j - 1) > maximum { return nil }
        }
        return score <= maximum ? score : nil
    }

    /// Two-row DP over the shorter string `p`, stopping when a whole row exceeds `maximum`.
    @inlinable
    static func rowDP<T: FixedWidthInteger>(
        _ p: UnsafeBufferPointer<T>, _ t: UnsafeBufferPointer<T>, maximum: Int
    ) -> Int? {
        let m = p.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: m + 1) { row -> Int? in
            for i in 0...m { row.baseAddress!.advanced(by: i).initialize(to: i) }
            for (j, c) in t.enumerated() {
                var diagonal = row[0]
                row[0] = j + 1
                var rowMin = j + 1
                for i in 1...m {
                    let up = row[i]
                    let value = min(min(up, row[i - 1]) + 1, diagonal + (p[i - 1] == c ? 0 : 1))
                    diagonal = up
                    row[i] = value
                    rowMin = min(rowMin, value)
                }
                if rowMin > maximum { return nil }
            }
            return row[m] <= maximum ? row[m] : nil
        }
    }

    @inlinable
    static func osa<T: FixedWidthInteger>(_ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>) -> Int {
        let n1 = a.count, n2 = b.count
        if n1 == 0 { return n2 }
        if n2 == 0 { return n1 }
        let width = n2 + 1
        var rows = [Int](repeating: 0, count: 3 * width)
        return rows.withUnsafeMutableBufferPointer { r in
            // Rows i-2, i-1 and i live at offsets ((i + k) % 3) * width.
            for j in 0...n2 { r[j] = j }
            for i in 1...n1 {
                let cur = (i % 3) * width, prev = ((i + 2) % 3) * width, prev2 = ((i + 1) % 3) * width
                r[cur] = i
                let ca = a[i - 1]
                for j in 1...n2 {
                    let cost = ca == b[j - 1] ? 0 : 1
                    var value = min(min(r[prev + j], r[cur + j - 1]) + 1, r[prev + j - 1] + cost)
                    if i > 1 && j > 1 && ca == b[j - 2] && a[i - 2] == b[j - 1] {
                        value = min(value, r[prev2 + j - 2] + 1)
                    }
                    r[cur + j] = value
                }
            }
            return r[(n1 % 3) * width + n2]
        }
    }

    /// Lowrance-Wagner unrestricted Damerau-Levenshtein; units are below `alphabet`.
    @inlinable
    static func damerau<T: FixedWidthInteger>(
        _ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>, alphabet: Int
    ) -> Int {
        let n1 = a.count, n2 = b.count
        let infinite = n1 + n2
        let width = n2 + 2
        var score = [Int](repeating: 0, count: (n1 + 2) * width)
        var lastRow = [Int](repeating: 0, count: alphabet)
        score[0] = infinite
        for i in 0...n1 {
            score[(i + 1) * width] = infinite
            score[(i + 1) * width + 1] = i
        }
        for j in 0...n2 {
            score[j + 1] = infinite
            score[width + j + 1] = j
        }
        if n1 == 0 || n2 == 0 { return score[(n1 + 1) * width + n2 + 1] }
        for i in 1...n1 {
            var db = 0
            let ca = a[i - 1]
            for j in 1...n2 {
                let cb = b[j - 1]
                let i1 = lastRow[Int(truncatingIfNeeded: cb)]
                let j1 = db
                var cost = 1
                if ca == cb {
                    cost = 0
                    db = j
                }
                score[(i + 1) * width + j + 1] = min(
                    min(score[i * width + j] + cost, score[(i + 1) * width + j] + 1),
                    min(score[i * width + j + 1] + 1, score[i1 * width + j1] + (i - i1 - 1) + 1 + (j - j1 - 1)))
            }
            lastRow[Int(truncatingIfNeeded: ca)] = i
        }
        return score[(n1 + 1) * width + n2 + 1]
    }

    @inlinable
    static func hamming<T: FixedWidthInteger>(_ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>) -> Int {
        let shorter = min(a.count, b.count)
        var distance = max(a.count, b.count) - shorter
        for i in 0..<shorter where a[i] != b[i] { distance += 1 }
        return distance
    }
}
