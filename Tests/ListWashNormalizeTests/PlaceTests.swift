import Testing
@testable import ListWashNormalize

@Suite struct PlaceTests {
    let places = TestSupport.normalizer.places

    @Test(arguments: [
        ("Massachusetts", "MA"), ("Mass.", "MA"), ("mass", "MA"), ("MA", "MA"), ("ma", "MA"), ("Calif.", "CA"),
        ("California", "CA"), ("N.Y.", "NY"), ("ny", "NY"), ("New York", "NY"), ("NEW YORK", "NY"), ("Penn.", "PA"),
        ("Pa.", "PA"), ("Pennsylvania", "PA"), ("D.C.", "DC"), ("Washington, D.C.", "DC"), ("Washington", "WA"),
        ("W. Va.", "WV"), ("N. Carolina", "NC"), ("Puerto Rico", "PR"), ("Ont.", "ON"), ("Ontario", "ON"),
        ("Quebec", "QC"), ("Québec", "QC"), ("QUÉBEC", "QC"), ("Que.", "QC"), ("B.C.", "BC"), ("British Columbia", "BC"),
        ("Nfld.", "NL"), ("P.E.I.", "PE"), ("Nouvelle-Écosse", "NS"), ("  texas ", "TX"), ("State of Texas", "TX"),
    ])
    func recognizesStatesAndProvinces(text: String, code: String) {
        #expect(places.stateCode(text) == code)
    }

    @Test(arguments: ["Bavaria", "XX", "", "Narnia", "New"])
    func unknownStatesAreNil(text: String) {
        #expect(places.stateCode(text) == nil)
    }

    @Test(arguments: [
        ("USA", "US"), ("U.S.", "US"), ("U.S.A.", "US"), ("United States", "US"), ("United States of America", "US"),
        ("us", "US"), ("America", "US"), ("UK", "GB"), ("U.K.", "GB"), ("Great Britain", "GB"), ("United Kingdom", "GB"),
        ("England", "GB"), ("Deutschland", "DE"), ("Germany", "DE"), ("Allemagne", "DE"), ("DEU", "DE"),
        ("Holland", "NL"), ("The Netherlands", "NL"), ("Nederland", "NL"), ("Canada", "CA"), ("CAN", "CA"),
        ("Mexico", "MX"), ("México", "MX"), ("España", "ES"), ("Spain", "ES"), ("Italia", "IT"), ("Brasil", "BR"),
        ("Schweiz", "CH"), ("Suisse", "CH"), ("Japan", "JP"), ("South Korea", "KR"), ("Russia", "RU"),
        ("Czech Republic", "CZ"), ("Czechia", "CZ"), ("Ivory Coast", "CI"), ("Côte d’Ivoire", "CI"),
        ("Bosnia and Herzegovina", "BA"), ("Bosnia & Herzegovina", "BA"), ("Trinidad and Tobago", "TT"),
        ("Hong Kong", "HK"), ("UAE", "AE"), ("Türkiye", "TR"), ("Turkey", "TR"), ("Ireland", "IE"),
        ("Österreich", "AT"), ("Polska", "PL"),
    ])
    func recognizesCountries(text: String, code: String) {
        #expect(places.countryCode(text) == code)
    }

    @Test func normalizesStateAndCountryTogether() {
        let inferred = places.normalize(state: "Mass.", country: nil)
        #expect(inferred.state == "MA" && inferred.country == "US" && inferred.flags == [.countryInferred])
        let canadian = places.normalize(state: "Ont.", country: "Canada")
        #expect(canadian.state == "ON" && canadian.country == "CA" && canadian.flags.isEmpty)
        let foreign = places.normalize(state: "Bavaria", country: "Deutschland")
        #expect(foreign.state == "Bavaria" && foreign.country == "DE" && foreign.flags.isEmpty)
        let unknown = places.normalize(state: "Narnia", country: "USA")
        #expect(unknown.state.isEmpty && unknown.flags == [.stateUnknown])
        let badCountry = places.normalize(state: nil, country: "Atlantis")
        #expect(badCountry.country.isEmpty && badCountry.flags == [.countryUnknown])
        let territory = places.normalize(state: "PR", country: "US")
        #expect(territory.state == "PR" && territory.country == "US")
        #expect(places.normalize(state: nil, country: nil).flags.isEmpty)
    }

    @Test func namesStates() {
        #expect(places.stateName("MA") == "Massachusetts")
        #expect(places.stateName("QC") == "Quebec")
        #expect(places.stateName("ZZ") == nil)
    }
}
