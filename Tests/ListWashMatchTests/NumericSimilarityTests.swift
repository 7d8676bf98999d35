import Testing
@testable import ListWashMatch

@Suite struct NumericSimilarityTests {
    @Test func differences() {
        #expect(Similarity.absoluteDifference(120, 125) == 5)
        #expect(Similarity.absoluteDifference(-3, 4) == 7)
        #expect(abs(Similarity.relativeDifference(100, 110) - 10.0 / 110) < 1e-12)
        #expect(Similarity.relativeDifference(0, 0) == 0)
        #expect(Similarity.relativeDifference(5, -5) == 2)
        #expect(Similarity.relativeDifference(250, 200) == Similarity.relativeDifference(200, 250))
    }

    @Test func parsedText() {
        #expect(Similarity.absoluteDifference("$1,200", "1150") == 50)
        #expect(Similarity.relativeDifference("250", "200") == 0.2)
        #expect(Similarity.absoluteDifference(" -2.5 ", "+2.5") == 5)
        #expect(Similarity.absoluteDifference("abc", "1") == nil)
        #expect(Similarity.absoluteDifference("", "1") == nil)
        #expect(Similarity.absoluteDifference("inf", "1") == nil)
    }
}
