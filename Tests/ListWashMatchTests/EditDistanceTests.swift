import Testing
@testable import ListWashMatch

@Suite struct EditDistanceTests {
    @Test func jellyfishLevenshtein() {
        let rows = StringMetricsFixtures.rows("jellyfish_levenshtein.csv")
        #expect(rows.count == 6)
        for row in rows {
            #expect(Similarity.levenshtein(row[0], row[1]) == Int(row[2])!, "\(row)")
            #expect(Similarity.levenshtein(row[1], row[0]) == Int(row[2])!, "\(row)")
        }
    }

    @Test func jellyfishDamerauLevenshtein() {
        let rows = StringMetricsFixtures.rows("jellyfish_damerau_levenshtein.csv")
        #expect(rows.count == 9)
        for row in rows {
            #expect(Similarity.damerauLevenshtein(row[0], row[1]) == Int(row[2])!, "\(row)")
        }
    }

    @Test func jellyfishHamming() {
        let rows = StringMetricsFixtures.rows("jellyfish_hamming.csv")
        #expect(rows.count == 8)
        for row in rows {
            #expect(Similarity.hamming(row[0], row[1]) == Int(row[2])!, "\(row)")
        }
    }

    @Test func knownValues() {
        #expect(Similarity.levenshtein("kitten", "sitting") == 3)
        #expect(Similarity.levenshtein("Çáŕẗéř", "Çárter") == 4)  // scalars, not bytes (8 bytes differ)
        #expect(Similarity.optimalStringAlignment("ca", "abc") == 3)
        #expect(Similarity.damerauLevenshtein("ca", "abc") == 2)
        #expect(Similarity.optimalStringAlignment("abcd", "acbd") == 1)
        #expect(Similarity.optimalStringAlignment("", "abc") == 3)
        #expect(Similarity.optimalStringAlignment("jellyifhs", "jellyfish") == 2)
        #expect(Similarity.hamming("Çáŕ", "Çár") == 1)
    }

    @Test func cutoffReturnsTheDistanceOrNil() {
        #expect(Similarity.levenshtein("kitten", "sitting", maximum: 2) == nil)
        #expect(Similarity.levenshtein("kitten", "sitting", maximum: 3) == 3)
        #expect(Similarity.levenshtein("kitten", "sitten", maximum: 2) == 1)
        #expect(Similarity.levenshtein("a", "abcdef", maximum: 2) == nil)
        #expect(Similarity.levenshtein("same", "same", maximum: 0) == 0)
        #expect(Similarity.levenshtein("same", "sane", maximum: 0) == nil)
        let (d, cut): (Int, Int?) = Array("12345".utf8).withUnsafeBufferPointer { a in
            Array("12354".utf8).withUnsafeBufferPointer { b in
                (Similarity.levenshtein(a, b), Similarity.levenshtein(a, b, maximum: 1))
            }
        }
        #expect(d == 2 && cut == nil)
    }

    /// Bit-parallel (≤ 64 units), row DP (> 64), the cut-off, OSA and Damerau against plain
    /// matrix implementations, on ASCII and non-ASCII strings.
    @Test func agreesWithReferenceImplementations() {
        var rng = SimilaritySeededGenerator(seed: 7)
        let ascii = Array("abcd")
        let wide = Array("aéøü")
        for round in 0..<2500 {
            let alphabet = round % 3 == 0 ? wide : ascii
            let maxLength = round % 4 == 0 ? 140 : 16
            let a = randomString(alphabet, length: Int.random(in: 0...maxLength, using: &rng), using: &rng)
            let b = randomString(alphabet, length: Int.random(in: 0...maxLength, using: &rng), using: &rng)
            let ua = Array(a.unicodeScalars), ub = Array(b.unicodeScalars)
            let lev = Self.levenshtein(ua, ub)
            #expect(Similarity.levenshtein(a, b) == lev, "\(a) / \(b)")
            let k = Int.random(in: 0...6, using: &rng)
            #expect(Similarity.levenshtein(a, b, maximum: k) == (lev <= k ? lev : nil), "\(a) / \(b) k=\(k)")
            if maxLength < 100 {
                let osa = Self.osa(ua, ub)
                let dl = Self.damerau(ua, ub)
                #expect(Similarity.optimalStringAlignment(a, b) == osa, "\(a) / \(b)")
                #expect(Similarity.damerauLevenshtein(a, b) == dl, "\(a) / \(b)")
                #expect(dl <= osa && osa <= lev)
            }
        }
    }

    /// The byte entry points on arbitrary bytes (ASCII table path and the fallback for bytes
    /// of 0x80 and above).
    @Test func byteEntryPointsOnAnyBytes() {
        var rng = SimilaritySeededGenerator(seed: 11)
        for round in 0..<2000 {
            let high = round % 2 == 0
            let pool: [UInt8] = high ? [0x61, 0x62, 0xC3, 0xA9, 0xFF] : [0x61, 0x62, 0x63]
            let a = (0..<Int.random(in: 0...(round % 7 == 0 ? 90 : 14), using: &rng)).map { _ in pool.randomElement(using: &rng)! }
            let b = (0..<Int.random(in: 0...(round % 7 == 0 ? 90 : 14), using: &rng)).map { _ in pool.randomElement(using: &rng)! }
            let lev = Self.levenshtein(a, b)
            let k = Int.random(in: 0...5, using: &rng)
            let (d, cut, jw): (Int, Int?, Double) = a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    (Similarity.levenshtein(pa, pb), Similarity.levenshtein(pa, pb, maximum: k), Similarity.jaroWinkler(pa, pb))
                }
            }
            #expect(d == lev, "\(a) / \(b)")
            #expect(cut == (lev <= k ? lev : nil), "\(a) / \(b) k=\(k)")
            #expect(abs(jw - JaroWinklerTests.reference(a, b, winkler: true)) < 1e-12, "\(a) / \(b)")
        }
    }

    static func levenshtein<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
        }
        return d[a.count][b.count]
    }

    static func osa<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }

    /// jellyfish's `vec_damerau_levenshtein_distance`, transcribed (dictionary of last rows).
    static func damerau<T: Hashable>(_ a: [T], _ b: [T]) -> Int {
        let inf = a.count + b.count
        var score = [[Int]](repeating: [Int](repeating: 0, count: b.count + 2), count: a.count + 2)
        score[0][0] = inf
        for i in 0...a.count { score[i + 1][0] = inf; score[i + 1][1] = i }
        for j in 0...b.count { score[0][j + 1] = inf; score[1][j + 1] = j }
        var da: [T: Int] = [:]
        for i in stride(from: 1, through: a.count, by: 1) {
            var db = 0
            for j in stride(from: 1, through: b.count, by: 1) {
                let i1 = da[b[j - 1]] ?? 0, j1 = db
                var cost = 1
                if a[i - 1] == b[j - 1] { cost = 0; db = j }
                score[i + 1][j + 1] = min(score[i][j] + cost, score[i + 1][j] + 1, score[i][j + 1] + 1,
                                          score[i1][j1] + (i - i1 - 1) + 1 + (j - j1 - 1))
            }
            da[a[i - 1]] = i
        }
        return score[a.count + 1][b.count + 1]
    }
}
