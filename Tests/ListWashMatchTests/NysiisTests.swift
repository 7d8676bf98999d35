import Testing
@testable import ListWashMatch

@Suite struct NysiisTests {
    @Test func jellyfishNysiis() {
        let rows = StringMetricsFixtures.rows("jellyfish_nysiis.csv")
        #expect(rows.count == 36)
        for row in rows {
            #expect(Phonetic.nysiis(row[0]) == row[1], "\(row)")
        }
    }
}
