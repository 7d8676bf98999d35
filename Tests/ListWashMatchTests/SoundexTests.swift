import Testing
@testable import ListWashMatch

@Suite struct SoundexTests {
    @Test func jellyfishSoundex() {
        let rows = StringMetricsFixtures.rows("jellyfish_soundex.csv")
        #expect(rows.count == 11)
        for row in rows {
            #expect(Phonetic.soundex(row[0]) == row[1], "\(row)")
        }
    }

    @Test func textgemSoundex() {
        let rows = StringMetricsFixtures.rows("textgem_soundex.csv")
        #expect(rows.count == 14)
        for row in rows {
            #expect(Phonetic.soundex(row[0]) == row[1], "\(row)")
        }
    }

    @Test func knownValues() {
        #expect(Phonetic.soundex("Robert") == "R163")
        #expect(Phonetic.soundex("Rupert") == "R163")
        #expect(Phonetic.soundex("robert") == "R163")
        #expect(Phonetic.soundex("Müller") == Phonetic.soundex("Muller"))
        #expect(Phonetic.soundex("Øre") == "Ø600")  // Ø has no decomposition: kept, uncoded
    }
}
