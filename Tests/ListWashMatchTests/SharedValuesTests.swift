import Testing
@testable import ListWashMatch

/// How many different people give each email and phone (values several people give weigh nothing).
@Suite struct SharedValuesTests {
    /// The built-in model's features of leads given as `[column: value]`.
    static func features(_ people: [[String: String]]) -> FeatureSet {
        let leads = PendingLeadsTests.leads(people.enumerated().map { ("LW\($0.offset)", "", $0.element) })
        var features = FeatureSet(model: .leadList)
        features.add(leads, range: 0..<leads.count, names: .init())
        return features
    }

    static func person(_ first: String, _ last: String, phone: String = "", email: String = "") -> [String: String] {
        ["listwash_first_name": first, "listwash_last_name": last, "listwash_phone": phone, "listwash_email_key": email]
    }

    /// The `n`th of 729 surnames that all sound different ("Baboba", "Baboda", ...): three of
    /// nine consonants that Double Metaphone keeps apart.
    static func surname(_ n: Int) -> String {
        let consonants = Array("bdgflmnrs")
        let (a, b, c) = (consonants[n / 81 % 9], consonants[n / 9 % 9], consonants[n % 9])
        return "\(a.uppercased())a\(b)o\(c)a"
    }

    @Test func eachValueCountsTheDistinctNamesThatGiveIt() throws {
        let switchboard = "+12126397000", home = "+16175550100"
        var people = [Self.person("Bob", "Smith", phone: home), Self.person("Robert", "Smith", phone: home), Self.person("Ann", "Smith", phone: home),
                      Self.person("", "", phone: "+14155550111"), Self.person("Kim", "Lee", phone: "+14155550111"),
                      Self.person("Jo", "Park", email: "none@none.com"), Self.person("Jo", "Park")]
        // More names than are compared one by one, and more than are counted (surnames that
        // sound different: last names are counted as they sound).
        people += (0..<20).map { Self.person("Pat", Self.surname($0), phone: switchboard) }
        people += (0..<300).map { Self.person("Lee", Self.surname(100 + $0), phone: "+13125550199") }
        let features = Self.features(people)
        let shared = SharedValues(model: .leadList, features: features)
        let phone = try #require(MatchModel.leadList.comparisons.firstIndex { $0.name == "phone" })
        let email = try #require(MatchModel.leadList.comparisons.firstIndex { $0.name == "email" })
        // Bob and Robert Smith are one name: two people give the home number.
        #expect((0..<3).map { shared.names(phone, record: $0) } == [2, 2, 2])
        #expect(!shared.isShared(phone, record: 0))
        // A record without a name counts no one, but its value is counted as the others' is.
        #expect(shared.names(phone, record: 3) == 1 && shared.names(phone, record: 4) == 1)
        #expect(shared.names(email, record: 5) == SharedValues.cap, "a placeholder address is shared however few give it")
        #expect(shared.names(email, record: 6) == 0 && shared.names(phone, record: 5) == 0, "an empty value")
        #expect(shared.names(phone, record: 7) == 20 && shared.isShared(phone, record: 26))
        #expect(shared.names(phone, record: 27) == SharedValues.cap && shared.names(phone, record: people.count - 1) == SharedValues.cap)
    }
}
