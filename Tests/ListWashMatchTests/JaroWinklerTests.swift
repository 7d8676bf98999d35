import Testing
@testable import ListWashMatch

@Suite struct JaroWinklerTests {
    /// Upstream (jellyfish) compares with an absolute tolerance of 0.001.
    static let tolerance = 0.001

    @Test func jellyfishJaro() {
        let rows = StringMetricsFixtures.rows("jellyfish_jaro_distance.csv")
        #expect(rows.count == 5)
        for row in rows {
            let got = Similarity.jaro(row[0], row[1])
            #expect(abs(got - Double(row[2])!) <= Self.tolerance, "jaro(\(row[0]), \(row[1])) = \(got), expected \(row[2])")
        }
    }

    @Test func jellyfishJaroWinkler() {
        let rows = StringMetricsFixtures.rows("jellyfish_jaro_winkler.csv")
        #expect(rows.count == 17)
        for row in rows {
            let got = Similarity.jaroWinkler(row[0], row[1])
            #expect(abs(got - Double(row[2])!) <= Self.tolerance, "jaroWinkler(\(row[0]), \(row[1])) = \(got), expected \(row[2])")
        }
    }

    @Test func jellyfishJaroWinklerLongTolerance() {
        let rows = StringMetricsFixtures.rows("jellyfish_jaro_winkler_longtol.csv")
        #expect(rows.count == 10)
        for row in rows {
            let got = Similarity.jaroWinkler(row[0], row[1], longTolerance: true)
            #expect(abs(got - Double(row[2])!) <= Self.tolerance, "jaroWinkler(\(row[0]), \(row[1]), longTolerance) = \(got), expected \(row[2])")
        }
    }

    @Test func byteEntryPointsMatchTheStringFunctions() {
        let pairs = [("martha", "marhta"), ("dixon", "dicksonx"), ("", "abc"), ("a", "a"), ("JONES", "JOHNSON")]
        for (a, b) in pairs {
            let (jaro, jw): (Double, Double) = Array(a.utf8).withUnsafeBufferPointer { pa in
                Array(b.utf8).withUnsafeBufferPointer { pb in
                    (Similarity.jaro(pa, pb), Similarity.jaroWinkler(pa, pb))
                }
            }
            #expect(jaro == Similarity.jaro(a, b))
            #expect(jw == Similarity.jaroWinkler(a, b))
        }
    }

    @Test func countsUnicodeScalarsNotBytes() {
        // 6 scalars each (12 bytes): one differing character.
        let a = "Çáŕẗéř", b = "Çáŕẗéx"
        let expected = Self.reference(Array(a.unicodeScalars), Array(b.unicodeScalars), winkler: true)
        #expect(abs(Similarity.jaroWinkler(a, b) - expected) < 1e-12)
        #expect(Similarity.jaro("0ð00", "0ð00") == 1)
    }

    /// Short (bit-mask) and long (flag-array) paths against a plain transcription of
    /// jellyfish's algorithm, on ASCII and non-ASCII strings of 0...150 characters.
    @Test func agreesWithReferenceImplementation() {
        var rng = SimilaritySeededGenerator(seed: 42)
        let ascii = Array("abcde ")
        let wide = Array("aéiøü")
        for round in 0..<3000 {
            let alphabet = round % 3 == 0 ? wide : ascii
            let maxLength = round % 5 == 0 ? 150 : 12
            let a = randomString(alphabet, length: Int.random(in: 0...maxLength, using: &rng), using: &rng)
            let b = randomString(alphabet, length: Int.random(in: 0...maxLength, using: &rng), using: &rng)
            let ua = Array(a.unicodeScalars), ub = Array(b.unicodeScalars)
            let jaro = Similarity.jaro(a, b), jw = Similarity.jaroWinkler(a, b)
            let lt = Similarity.jaroWinkler(a, b, longTolerance: true)
            #expect(abs(jaro - Self.reference(ua, ub, winkler: false)) < 1e-12, "\(a) / \(b)")
            #expect(abs(jw - Self.reference(ua, ub, winkler: true)) < 1e-12, "\(a) / \(b)")
            #expect(abs(lt - Self.reference(ua, ub, winkler: true, longTolerance: true)) < 1e-12, "\(a) / \(b)")
            #expect(jaro >= 0 && jaro <= 1 && jw >= jaro && jw <= 1)
        }
    }

    /// jellyfish's `vec_jaro_or_winkler`, transcribed.
    static func reference<T: Equatable>(_ s1: [T], _ s2: [T], winkler: Bool, longTolerance: Bool = false) -> Double {
        if s1.isEmpty || s2.isEmpty { return 0 }
        let minLength = min(s1.count, s2.count)
        let range = max(0, max(s1.count, s2.count) / 2 - 1)
        var f1 = [Bool](repeating: false, count: s1.count), f2 = [Bool](repeating: false, count: s2.count)
        var common = 0
        for (i, c) in s1.enumerated() {
            let lo = max(0, i - range), hi = min(i + range, s2.count - 1)
            if lo > hi { continue }
            for j in lo...hi where !f2[j] && s2[j] == c {
                f1[i] = true
                f2[j] = true
                common += 1
                break
            }
        }
        if common == 0 { return 0 }
        var k = 0, trans = 0
        for i in 0..<s1.count where f1[i] {
            var j = k
            while j < s2.count {
                if f2[j] { k = j + 1; break }
                j += 1
            }
            if s1[i] != s2[j] { trans += 1 }
        }
        let c = Double(common)
        var w = (c / Double(s1.count) + c / Double(s2.count) + (c - Double(trans / 2)) / c) / 3
        if winkler && w > 0.7 {
            var i = 0
            while i < min(minLength, 4) && s1[i] == s2[i] { i += 1 }
            if i > 0 { w += Double(i) * 0.1 * (1 - w) }
            if longTolerance && minLength > 4 && common > i + 1 && 2 * common >= minLength + i {
                w += (1 - w) * (c - Double(i) - 1) / (Double(s1.count + s2.count) - Double(i) * 2 + 2)
            }
        }
        return w
    }
}
