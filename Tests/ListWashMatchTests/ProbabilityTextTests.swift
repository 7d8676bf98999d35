import Testing
@testable import ListWashMatch

@Suite struct ProbabilityTextTests {
    /// Every four-decimal probability, and values between them, reads as Swift prints it.
    @Test func matchesTheStandardPrinterForEveryFourDecimalValue() {
        for units in 0...10_000 {
            for offset in [0.0, 0.000_04, -0.000_04] {
                let probability = min(1, max(0, Double(units) / 10_000 + offset))
                #expect(ProbabilityText.text(probability) == String((probability * 10000).rounded() / 10000))
            }
        }
        #expect(ProbabilityText.text(0.99874) == "0.9987")
        #expect(ProbabilityText.text(1) == "1.0")
        #expect(ProbabilityText.text(0.5) == "0.5")
        #expect(ProbabilityText.text(0.0001) == "0.0001")
        #expect(ProbabilityText.text(2.5) == "2.5", "out of range: the standard printer")
    }

    @Test func clusterLabelsNumberRowsFromOne() {
        #expect(ClusterLabel.withBytes(0) { String(decoding: $0, as: UTF8.self) } == "C1")
        #expect(ClusterLabel.withBytes(1_234_567) { String(decoding: $0, as: UTF8.self) } == "C1234568")
    }
}
