import Testing
@testable import ListWashNormalize

@Suite struct PhoneTests {
    let phones = TestSupport.normalizer.phones

    @Test(arguments: [
        ("(617) 253-1000", ""), ("617.253.1000", ""), ("617-253-1000", ""), ("6172531000", ""),
        ("+1 617 253 1000", ""), ("+1 (617) 253-1000", ""), ("1-617-253-1000", ""), ("1 617 253 1000", ""),
        ("001 617 253 1000", ""), ("011 1 617 253 1000", ""),
        ("1-617-253-1000 x204", "204"), ("617-253-1000 ext. 204", "204"), ("617 253 1000 #204", "204"),
        ("617-253-1000 Ext 204", "204"), ("617-253-1000 extension 204", "204"), ("617.253.1000x204", "204"),
        ("(617) 253-1000, 204", "204"), ("\u{00A0}617\u{00A0}253\u{00A0}1000", ""),
    ])
    func readsNorthAmericanFormats(raw: String, phoneExtension: String) {
        let result = phones.normalize(raw)
        #expect(result.e164 == "+16172531000")
        #expect(result.phoneExtension == phoneExtension)
        #expect(result.areaCode == "617" && result.region == "Massachusetts" && result.regionCode == "MA")
        #expect(result.country == "US")
        #expect(result.flags.isEmpty)
    }

    @Test(arguments: [
        ("416-967-1111", "Ontario", "ON", "CA"), ("202-456-1111", "District of Columbia", "DC", "US"),
        ("206-386-1234", "Washington", "WA", "US"), ("876-926-1234", "Jamaica", "", "JM"),
        ("800-356-9377", "", "", "US"), ("212-736-5000", "New York", "NY", "US"),
    ])
    func givesTheAreaCodesRegion(raw: String, region: String, code: String, country: String) {
        let result = phones.normalize(raw)
        #expect(result.region == region && result.regionCode == code && result.country == country)
        #expect(result.flags.isEmpty)
    }

    @Test(arguments: [
        "555-1234", "123-456-7890", "023-456-7890", "617-053-1000", "617-153-1000", "911-253-1000",
        "411-253-1000", "617-911-1000", "555-555-5555", "222-222-2222", "000-000-0000", "212-555-0155",
        "617-253-10000", "+1 617 253 100", "not a phone", "☎ 617 253 1000", "617-253-1000 ext. abc",
        "+44", "+0 20 7946 0958",
    ])
    func flagsImpossibleNumbers(raw: String) {
        let result = phones.normalize(raw)
        #expect(result.e164.isEmpty)
        #expect(result.flags.contains(.phoneInvalid))
    }

    @Test func flagsAreaCodesNotInService() {
        let result = phones.normalize("(285) 253-1000")
        #expect(result.e164 == "+12852531000")
        #expect(result.flags == [.areaCodeUnknown])
    }

    @Test(arguments: [
        ("+44 20 7946 0958", "+442079460958"), ("0044 20 7946 0958", "+442079460958"),
        ("011 44 20 7946 0958", "+442079460958"), ("+49 (30) 1234567", "+49301234567"),
        ("+33 1 23 45 67 89", "+33123456789"),
    ])
    func keepsOtherCountriesInE164(raw: String, e164: String) {
        let result = phones.normalize(raw)
        #expect(result.e164 == e164)
        #expect(result.flags == [.phoneForeign])
        #expect(result.areaCode.isEmpty)
    }

    @Test func readsVanityNumbers() {
        let result = phones.normalize("1-800-FLOWERS")
        #expect(result.e164 == "+18003569377")
        #expect(result.flags == [.phoneVanity])
        #expect(phones.normalize("1 (800) GOT-JUNK").e164 == "+18004685865")
    }

    @Test func missingValuesAreNotFlagged() {
        #expect(phones.normalize(nil).flags.isEmpty)
        #expect(phones.normalize("  ").flags.isEmpty)
    }
}
