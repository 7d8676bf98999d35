import Testing
@testable import ListWashMatch

@Suite struct TokenSimilarityTests {
    @Test func jellyfishJaccard() {
        let rows = StringMetricsFixtures.rows("jellyfish_jaccard.csv")
        #expect(rows.count == 16)
        for row in rows {
            let n = row[3].isEmpty ? nil : Int(row[3])!
            let got = Similarity.jaccard(row[0], row[1], ngramSize: n)
            #expect(abs(got - Double(row[2])!) <= 0.001, "jaccard(\(row[0]), \(row[1]), \(row[3])) = \(got), expected \(row[2])")
        }
    }

    @Test func jaccardEdgeCases() {
        #expect(Similarity.jaccard("", "") == 0)
        #expect(Similarity.jaccard("  a \t b\n", "b a") == 1)
        #expect(Similarity.jaccard("Çáŕ", "Çáx", ngramSize: 2) == 1.0 / 3.0)  // {Çá, ŕ} vs {Çá, x}
    }

    @Test func tokenSetRatio() {
        #expect(Similarity.tokenSetRatio("acme corp", "acme corp international") == 1)
        #expect(Similarity.tokenSetRatio("new york mets vs atlanta braves", "atlanta braves vs new york mets") == 1)
        #expect(Similarity.tokenSetRatio("", "acme") == 0)
        // shared "smith", "john" vs "jon": 1 - indel(john, jon) / (10 + 9) = 1 - 1/19
        #expect(abs(Similarity.tokenSetRatio("john smith", "smith jon") - (1 - 1.0 / 19)) < 1e-12)
        // nothing shared: plain InDel ratio of the sorted joins, 1 - indel("ab", "cd") / 4 = 0
        #expect(Similarity.tokenSetRatio("ab", "cd") == 0)
    }
}
