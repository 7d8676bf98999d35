// Jaro and Jaro-Winkler similarity, as jellyfish 1.x (Rust core) computes them:
// match window max(|a|, |b|) / 2 - 1 (at least 0), greedy first-free matching, half the
// out-of-order matches as transpositions, Winkler boost only above 0.7 on a common prefix of at
// most 4 units (digits included), optional long-string tolerance.

extension Similarity {
    /// Jaro similarity, from 0 (no characters in common) to 1 (equal).
    ///
    /// Either string empty gives 0 (two empty strings too, as jellyfish).
    ///
    ///     Similarity.jaro("martha", "marhta")   // 0.944
    ///
    /// - Complexity: O(|a| · window) time, with window = max(|a|, |b|) / 2; no allocation for
    ///   ASCII strings of up to 64 bytes.
    public static func jaro(_ a: String, _ b: String) -> Double {
        TextUnits.withUnits(
            a, b,
            ascii: { JaroKernel.similarity($0, $1, prefixScale: 0, winkler: false, longTolerance: false) },
            scalars: { JaroKernel.similarity($0, $1, prefixScale: 0, winkler: false, longTolerance: false) })
    }

    /// Jaro-Winkler similarity: Jaro raised for a common prefix of up to 4 characters when the
    /// Jaro value exceeds 0.7.
    ///
    ///     Similarity.jaroWinkler("martha", "marhta")                        // 0.961
    ///     Similarity.jaroWinkler("martha", "marhta", longTolerance: true)   // 0.971
    ///
    /// - Parameters:
    ///   - prefixScale: weight of each common prefix character; keep it at or below 0.25 so the
    ///     result stays within 0...1. 0.1 is the standard value (jellyfish, Splink).
    ///   - longTolerance: jellyfish's `long_tolerance`: a further raise for longer strings
    ///     (both longer than 4) whose agreeing characters beyond the prefix are many.
    /// - Complexity: O(|a| · window) time, with window = max(|a|, |b|) / 2; no allocation for
    ///   ASCII strings of up to 64 bytes.
    public static func jaroWinkler(
        _ a: String, _ b: String, prefixScale: Double = 0.1, longTolerance: Bool = false
    ) -> Double {
        TextUnits.withUnits(
            a, b,
            ascii: { JaroKernel.similarity($0, $1, prefixScale: prefixScale, winkler: true, longTolerance: longTolerance) },
            scalars: { JaroKernel.similarity($0, $1, prefixScale: prefixScale, winkler: true, longTolerance: longTolerance) })
    }

    /// Jaro similarity of two byte strings, one unit per byte (pass ASCII or accept that a
    /// multi-byte character counts as several units). The hot-path entry point: no allocation
    /// up to 64 bytes each, a stack buffer beyond.
    ///
    ///     "martha".utf8.withContiguousStorageIfAvailable { a in
    ///         "marhta".utf8.withContiguousStorageIfAvailable { b in Similarity.jaro(a, b) } }
    ///
    /// - Complexity: O(|a| · window) time, O(1) heap.
    @inlinable
    public static func jaro(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        JaroKernel.similarity(a, b, prefixScale: 0, winkler: false, longTolerance: false)
    }

    /// Jaro-Winkler similarity of two byte strings, one unit per byte; the parameters
    /// are those of the `String` overload.
    /// The hot-path entry point: no allocation up to 64 bytes each, a stack buffer beyond.
    ///
    ///     let s = Similarity.jaroWinkler(nameBytesA, nameBytesB)   // 0...1
    ///
    /// - Complexity: O(|a| · window) time, O(1) heap.
    @inlinable
    public static func jaroWinkler(
        _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>,
        prefixScale: Double = 0.1, longTolerance: Bool = false
    ) -> Double {
        JaroKernel.similarity(a, b, prefixScale: prefixScale, winkler: true, longTolerance: longTolerance)
    }
}

@usableFromInline
enum JaroKernel {
    @inlinable
    static func similarity<T: FixedWidthInteger>(
        _ s1: UnsafeBufferPointer<T>, _ s2: UnsafeBufferPointer<T>,
        prefixScale: Double, winkler: Bool, longTolerance: Bool
    ) -> Double {
        let n1 = s1.count, n2 = s2.count
        if n1 == 0 || n2 == 0 { return 0 }
        let common: Int, transpositions: Int
        if n1 <= 64 && n2 <= 64 && T.bitWidth == 8, let matched = matchBitParallel(s1, s2) {
            (common, transpositions) = matched
        } else if n1 <= 64 && n2 <= 64 {
            (common, transpositions) = matchShort(s1, s2)
        } else {
            (common, transpositions) = withUnsafeTemporaryAllocation(of: Bool.self, capacity: n1 + n2) { flags in
                flags.initialize(repeating: false)
                return matchLong(s1, s2, flags)
            }
        }
        if common == 0 { return 0 }
        let c = Double(common)
        var weight = (c / Double(n1) + c / Double(n2) + (c - Double(transpositions / 2)) / c) / 3
        guard winkler, weight > 0.7 else { return weight }
        let minLength = min(n1, n2)
        let limit = min(minLength, 4)
        var prefix = 0
        while prefix < limit && s1[prefix] == s2[prefix] { prefix += 1 }
        if prefix > 0 { weight += Double(prefix) * prefixScale * (1 - weight) }
        if longTolerance && minLength > 4 && common > prefix + 1 && 2 * common >= minLength + prefix {
            let p = Double(prefix)
            weight += (1 - weight) * (c - p - 1) / (Double(n1) + Double(n2) - p * 2 + 2)
        }
        return weight
    }

    /// Matching with the flags in two 64-bit masks and, per character of `s1`, the free
    /// positions of that character in `s2`'s window found in one step from a table of position
    /// masks (the table has 128 entries, 1 KiB on the stack). `nil` when a unit is not ASCII.
    /// Both strings must be 1...64 units long; shifts are then always below 64, so they need
    /// no checks.
    @inlinable @inline(__always)
    static func matchBitParallel<T: FixedWidthInteger>(
        _ s1: UnsafeBufferPointer<T>, _ s2: UnsafeBufferPointer<T>
    ) -> (common: Int, transpositions: Int)? {
        let n1 = s1.count, n2 = s2.count
        let range = max(n1, n2) / 2 >= 1 ? max(n1, n2) / 2 - 1 : 0
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 128) { positions -> (common: Int, transpositions: Int)? in
            var units: T = 0
            for c in s1 { units |= c; positions[Int(truncatingIfNeeded: c) & 127] = 0 }
            for c in s2 { units |= c; positions[Int(truncatingIfNeeded: c) & 127] = 0 }
            guard units < 0x80 else { return nil }
            for j in 0..<n2 { positions[Int(truncatingIfNeeded: s2[j])] |= 1 &<< UInt64(truncatingIfNeeded: j) }
            var f1: UInt64 = 0, f2: UInt64 = 0
            var common = 0
            for i in 0..<n1 {
                // The window is i - range ... i + range; positions past the end of s2 have no
                // bits, so only its two ends need masks.
                let lo = i &- range, end = i &+ range &+ 1
                if lo >= n2 { break }  // windows only move right
                let below: UInt64 = end >= 64 ? ~0 : (1 &<< UInt64(truncatingIfNeeded: end)) &- 1
                let before: UInt64 = lo <= 0 ? 0 : (1 &<< UInt64(truncatingIfNeeded: lo)) &- 1
                let candidates = positions[Int(truncatingIfNeeded: s1[i])] & ~f2 & below & ~before
                if candidates != 0 {
                    f2 |= candidates & (0 &- candidates)  // the first free match
                    f1 |= 1 &<< UInt64(truncatingIfNeeded: i)
                    common &+= 1
                }
            }
            var transpositions = 0
            var m1 = f1, m2 = f2
            while m1 != 0 {
                if s1[m1.trailingZeroBitCount] != s2[m2.trailingZeroBitCount] { transpositions &+= 1 }
                m1 &= m1 &- 1
                m2 &= m2 &- 1
            }
            return (common, transpositions)
        }
    }

    /// Matching with the flags held in two 64-bit masks.
    @inlinable @inline(__always)
    static func matchShort<T: FixedWidthInteger>(
        _ s1: UnsafeBufferPointer<T>, _ s2: UnsafeBufferPointer<T>
    ) -> (common: Int, transpositions: Int) {
        let n1 = s1.count, n2 = s2.count
        let range = max(n1, n2) / 2 >= 1 ? max(n1, n2) / 2 - 1 : 0
        var f1: UInt64 = 0, f2: UInt64 = 0
        var common = 0
        for i in 0..<n1 {
            let ch = s1[i]
            let lo = i > range ? i - range : 0
            let hi = min(i + range, n2 - 1)
            var j = lo
            while j <= hi {
                if s2[j] == ch && (f2 >> UInt64(j)) & 1 == 0 {
                    f1 |= 1 << UInt64(i)
                    f2 |= 1 << UInt64(j)
                    common += 1
                    break
                }
                j += 1
            }
        }
        var transpositions = 0
        var m1 = f1, m2 = f2
        while m1 != 0 {
            if s1[m1.trailingZeroBitCount] != s2[m2.trailingZeroBitCount] { transpositions += 1 }
            m1 &= m1 &- 1
            m2 &= m2 &- 1
        }
        return (common, transpositions)
    }

    /// Matching with one flag per unit in `flags` (|s1| + |s2| of them, all false).
    @inlinable
    static func matchLong<T: FixedWidthInteger>(
        _ s1: UnsafeBufferPointer<T>, _ s2: UnsafeBufferPointer<T>, _ flags: UnsafeMutableBufferPointer<Bool>
    ) -> (common: Int, transpositions: Int) {
        let n1 = s1.count, n2 = s2.count
        let range = max(n1, n2) / 2 >= 1 ? max(n1, n2) / 2 - 1 : 0
        var common = 0
        for i in 0..<n1 {
            let ch = s1[i]
            let lo = i > range ? i - range : 0
            let hi = min(i + range, n2 - 1)
            var j = lo
            while j <= hi {
                if !flags[n1 + j] && s2[j] == ch {
                    flags[i] = true
                    flags[n1 + j] = true
                    common += 1
                    break
                }
                j += 1
            }
        }
        var transpositions = 0
        var k = 0
        for i in 0..<n1 where flags[i] {
            while !flags[n1 + k] { k += 1 }
            if s1[i] != s2[k] { transpositions += 1 }
            k += 1
        }
        return (common, transpositions)
    }
}
