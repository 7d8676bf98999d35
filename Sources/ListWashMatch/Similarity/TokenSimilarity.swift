// Token-set similarities: Jaccard on whitespace-separated words or on non-overlapping
// character n-grams (jellyfish's `jaccard_similarity`), and a token-set ratio in the manner of
// RapidFuzz's `fuzz.token_set_ratio` (scaled to 0...1, no preprocessing).

extension Similarity {
    /// Jaccard similarity of two token sets, |A ∩ B| / |A ∪ B|, as jellyfish's
    /// `jaccard_similarity`.
    ///
    /// Without `ngramSize` the tokens are the words separated by Unicode white space; with it,
    /// the tokens are consecutive *non-overlapping* chunks of `ngramSize` characters (Unicode
    /// scalars), the last chunk possibly shorter. Two empty token sets give 0.
    ///
    ///     Similarity.jaccard("John Smith", "John Jacob Smith")   // 0.667
    ///     Similarity.jaccard("night", "nacht", ngramSize: 2)      // 0.2 ({ni, gh, t} vs {na, ch, t})
    ///
    /// - Precondition: `ngramSize`, when given, is at least 1.
    /// - Complexity: O(|a| + |b|) expected (hashing), allocates the token sets.
    public static func jaccard(_ a: String, _ b: String, ngramSize: Int? = nil) -> Double {
        let ta = TokenKernel.tokens(a, ngramSize: ngramSize)
        let tb = TokenKernel.tokens(b, ngramSize: ngramSize)
        let (small, large) = ta.count <= tb.count ? (ta, tb) : (tb, ta)
        var intersection = 0
        for token in small where large.contains(token) { intersection += 1 }
        let union = ta.count + tb.count - intersection
        return union == 0 ? 0 : Double(intersection) / Double(union)
    }

    /// Token-set ratio, from 0 to 1: RapidFuzz's `fuzz.token_set_ratio` / 100 without its
    /// preprocessing (normalize case and punctuation first). Splits both strings into word sets;
    /// when one set contains the other (and they share a word) the ratio is 1; otherwise it is
    /// the best InDel similarity among "shared words", "shared + only-in-a" and
    /// "shared + only-in-b" (each sorted and joined by spaces).
    ///
    ///     Similarity.tokenSetRatio("acme corp", "acme corp international")   // 1.0
    ///     Similarity.tokenSetRatio("john smith", "smith jon")                // 0.947
    ///
    /// - Complexity: O(k log k) for sorting k words plus O(m · n) for the InDel distances of the
    ///   joined strings (m, n their lengths).
    public static func tokenSetRatio(_ a: String, _ b: String) -> Double {
        let ta = TokenKernel.tokens(a, ngramSize: nil)
        let tb = TokenKernel.tokens(b, ngramSize: nil)
        if ta.isEmpty || tb.isEmpty { return 0 }
        let byScalars: (String, String) -> Bool = { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        let shared = ta.intersection(tb).sorted(by: byScalars)
        let onlyA = ta.subtracting(tb).sorted(by: byScalars)
        let onlyB = tb.subtracting(ta).sorted(by: byScalars)
        if !shared.isEmpty && (onlyA.isEmpty || onlyB.isEmpty) { return 1 }
        let sect = Array(shared.joined(separator: " ").unicodeScalars.map(\.value))
        let diffA = Array(onlyA.joined(separator: " ").unicodeScalars.map(\.value))
        let diffB = Array(onlyB.joined(separator: " ").unicodeScalars.map(\.value))
        let separator = sect.isEmpty ? 0 : 1
        let sectALength = sect.count + separator + diffA.count
        let sectBLength = sect.count + separator + diffB.count
        // "sect + diffA" against "sect + diffB": the shared part aligns, only the diffs differ.
        var result = 1 - Double(TokenKernel.indel(diffA, diffB)) / Double(sectALength + sectBLength)
        if !sect.isEmpty {
            // "sect" against "sect + diffX": InDel distance is the appended length.
            let ratioA = 1 - Double(separator + diffA.count) / Double(sect.count + sectALength)
            let ratioB = 1 - Double(separator + diffB.count) / Double(sect.count + sectBLength)
            result = max(result, ratioA, ratioB)
        }
        return result
    }
}

@usableFromInline
enum TokenKernel {
    static func tokens(_ text: String, ngramSize: Int?) -> Set<String> {
        var result = Set<String>()
        if let size = ngramSize {
            precondition(size >= 1, "ngramSize must be at least 1")
            var chunk = String.UnicodeScalarView()
            var count = 0
            for scalar in text.unicodeScalars {
                chunk.append(scalar)
                count += 1
                if count == size {
                    result.insert(String(chunk))
                    chunk = String.UnicodeScalarView()
                    count = 0
                }
            }
            if count > 0 { result.insert(String(chunk)) }
        } else {
            for word in text.unicodeScalars.split(whereSeparator: { $0.properties.isWhitespace }) {
                result.insert(String(word))
            }
        }
        return result
    }

    /// InDel distance (insertions and deletions only): |a| + |b| - 2 · LCS(a, b).
    static func indel(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.isEmpty || b.isEmpty { return a.count + b.count }
        var row = [Int](repeating: 0, count: b.count + 1)
        for x in a {
            var diagonal = 0
            for j in 1...b.count {
                let up = row[j]
                row[j] = x == b[j - 1] ? diagonal + 1 : max(up, row[j - 1])
                diagonal = up
            }
        }
        return a.count + b.count - 2 * row[b.count]
    }
}
