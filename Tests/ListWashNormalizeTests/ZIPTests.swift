import Testing
@testable import ListWashNormalize

@Suite struct ZIPTests {
    let zips = TestSupport.normalizer.postalCodes

    @Test(arguments: ["02134-1234", "021341234", "02134 1234", " 02134-1234 ", "2134-1234", "21341234"])
    func readsZIPPlus4Spellings(raw: String) {
        let result = zips.normalize(zip: raw, state: "MA")
        #expect(result.zip == "02134-1234")
        #expect(result.zip5 == "02134")
        #expect(result.flags.contains(.zipPlus4))
        #expect(!result.flags.contains(.zipUnknown) && !result.flags.contains(.zipStateMismatch))
    }

    @Test(arguments: [
        (" 2134 ", "MA", "02134"), ("2134", "Massachusetts", "02134"), ("2134.0", "MA", "02134"),
        ("2134.00", "MA", "02134"), ("501", "NY", "00501"), ("601", "PR", "00601"), ("7030", "NJ", "07030"),
    ])
    func restoresLeadingZerosExcelDropped(raw: String, state: String, expected: String) {
        let result = zips.normalize(zip: raw, state: state)
        #expect(result.zip == expected)
        #expect(result.flags.contains(.zipLeadingZeroRestored))
        #expect(!result.flags.contains(.zipUnknown) && !result.flags.contains(.zipStateMismatch))
    }

    @Test func keepsFiveDigitZIPsAndFillsCityAndState() {
        let result = zips.normalize(zip: "90210")
        #expect(result.zip == "90210" && result.city == "Beverly Hills" && result.state == "CA")
        #expect(result.flags == [.stateFilledFromZIP, .cityFilledFromZIP])
        let given = zips.normalize(zip: "90210", state: "CA", city: "Beverly Hills")
        #expect(given.flags.isEmpty)
        #expect(zips.normalize(zip: "90210.0", state: "CA").zip == "90210")
    }

    @Test func flagsUnknownZIPsAndStateMismatches() {
        #expect(zips.normalize(zip: "00000").flags == [.zipUnknown])
        #expect(zips.normalize(zip: "99999", state: "AK").flags == [.zipUnknown])
        let mismatch = zips.normalize(zip: "02134", state: "CA")
        #expect(mismatch.flags == [.zipStateMismatch])
        #expect(mismatch.state == "CA" && mismatch.city.isEmpty)
        #expect(zips.normalize(zip: "1133", state: "MA").flags.contains(.zipInactive))
    }

    @Test(arguments: ["", "   ", nil] as [String?])
    func missingValuesAreNotFlagged(raw: String?) {
        #expect(zips.normalize(zip: raw).flags.isEmpty)
    }

    @Test(arguments: ["12", "123456", "ABCDE", "021-34", "02134-12", "0213A", "02134--1234", "½"])
    func rejectsMalformedZIPs(raw: String) {
        let result = zips.normalize(zip: raw)
        #expect(result.zip.isEmpty)
        #expect(result.flags == [.zipInvalid])
    }

    @Test(arguments: ["k1a0b1", "K1A 0B1", "k1a-0b1", " K1A0B1 "])
    func formatsCanadianPostalCodes(raw: String) {
        let result = zips.normalize(zip: raw)
        #expect(result.zip == "K1A 0B1" && result.zip5.isEmpty)
        #expect(result.flags == [.postalCodeCA])
        #expect(zips.normalize(zip: raw, country: "CA").zip == "K1A 0B1")
    }

    @Test(arguments: ["D1A 0B1", "K1A 0BB", "W1A 0B1", "K1O 0B1"])
    func rejectsImpossibleCanadianCodes(raw: String) {
        #expect(PostalCodeNormalizer.canadianPostalCode(raw) == nil)
    }

    @Test func keepsOtherCountriesCodesTrimmed() {
        let result = zips.normalize(zip: "  SW1A   1AA ", country: "GB")
        #expect(result.zip == "SW1A 1AA")
        #expect(result.flags == [.postalCodeForeign])
        #expect(zips.normalize(zip: "10115", country: "DE").zip == "10115")
    }
}
