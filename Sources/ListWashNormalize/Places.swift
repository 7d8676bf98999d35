import ListWashText

/// The outcome of normalizing a state and a country.
public struct PlaceResult: Sendable, Hashable {
    /// USPS or Canada Post code (`"MA"`, `"ON"`); for other countries the cleaned text as given;
    /// empty when missing or not recognized.
    public var state: String = ""
    /// ISO 3166-1 alpha-2 code (`"US"`, `"DE"`), empty when missing or not recognized.
    public var country: String = ""
    /// What was noticed: `state_unknown`, `country_unknown`, `country_inferred`.
    public var flags: [NormalizationFlag] = []
}

/// Normalizes US states, Canadian provinces and countries to their codes.
///
/// ```swift
/// let places = PlaceNormalizer()
/// places.stateCode("Mass.")        // "MA"
/// places.stateCode("Québec")       // "QC"
/// places.countryCode("Deutschland") // "DE"
/// places.countryCode("U.S.A.")     // "US"
/// ```
/// Lookups fold case, accents, dots and spacing first ("N.Y.", "ny", "n y" are one key), then
/// read one dictionary. Country names come from ICU's locale data in English, German, French,
/// Spanish, Italian, Dutch and Portuguese, plus alpha-3 codes and a small alias table.
public struct PlaceNormalizer: Sendable {
    let directory: PlaceDirectory

    /// A normalizer over the given reference data.
    public init(data: ReferenceData = .shared) {
        directory = data.places
    }

    /// The USPS or Canada Post code of a state or province name, abbreviation or common spelling.
    ///
    /// ```swift
    /// places.stateCode("Calif.") // "CA"
    /// places.stateCode("D.C.")   // "DC"
    /// places.stateCode("Ont.")   // "ON"
    /// ```
    /// - Returns: the two-letter code, or `nil` when the text names no state or province.
    /// - Complexity: O(*n*) in the length of the text.
    public func stateCode(_ text: String) -> String? {
        directory.stateCode(forKey: TextCleaning.foldedKey(text))
    }

    /// The ISO 3166-1 alpha-2 code of a country name (in one of seven languages), alpha-2 or
    /// alpha-3 code, or common alias.
    ///
    /// ```swift
    /// places.countryCode("United States of America") // "US"
    /// places.countryCode("Great Britain")            // "GB"
    /// places.countryCode("Holland")                  // "NL"
    /// places.countryCode("DEU")                      // "DE"
    /// ```
    /// - Returns: the code, or `nil` when the text names no country.
    /// - Complexity: O(*n*) in the length of the text.
    public func countryCode(_ text: String) -> String? {
        directory.countryCode(forKey: TextCleaning.foldedKey(text))
    }

    /// The English name of a state or province code: `stateName("MA")` is `"Massachusetts"`.
    public func stateName(_ code: String) -> String? {
        directory.stateNames[code]
    }

    /// Normalizes a state and a country together: a recognized US state or Canadian province
    /// fills a missing country (`country_inferred`); a state that is not recognized is flagged
    /// `state_unknown` only when the country is the US, Canada or unknown, and kept as cleaned
    /// text for other countries.
    ///
    /// ```swift
    /// places.normalize(state: "Mass.", country: nil)
    /// // state "MA", country "US", flags [.countryInferred]
    /// ```
    public func normalize(state: String?, country: String?) -> PlaceResult {
        var result = PlaceResult()
        let countryText = Self.cleaned(country)
        if !countryText.isEmpty {
            if let code = countryCode(countryText) {
                result.country = code
            } else {
                result.flags.append(.countryUnknown)
            }
        }
        let stateText = Self.cleaned(state)
        guard !stateText.isEmpty else { return result }
        if let code = stateCode(stateText), let stateCountry = directory.country(ofState: code),
            result.country.isEmpty || result.country == stateCountry
                || (result.country == "US" && PlaceDirectory.territories.contains(code))
        {
            result.state = code
            if result.country.isEmpty && !result.flags.contains(.countryUnknown) {
                result.country = stateCountry
                result.flags.append(.countryInferred)
            }
        } else if result.country.isEmpty || PlaceDirectory.stateCountries.contains(result.country) {
            result.flags.append(.stateUnknown)
        } else {
            result.state = stateText
        }
        return result
    }
}

extension PlaceNormalizer {
    /// The cleaned text; a value too long to be a place name reads as `"?"` (never recognized).
    fileprivate static func cleaned(_ value: String?) -> String {
        guard let value else { return "" }
        return value.utf8.count <= TextCleaning.MaximumLength.place ? TextCleaning.cleaned(value) : "?"
    }
}

/// State, province and country lookup tables (internal; built once in ``ReferenceData``).
struct PlaceDirectory: Sendable {
    /// Countries whose addresses use the USPS or Canada Post codes this directory knows.
    static let stateCountries: Set<String> = ["US", "CA", "PR", "VI", "GU", "AS", "MP", "FM", "MH", "PW"]

    let stateNames: [String: String]
    private let statesByKey: [String: String]
    private let countriesByKey: [String: String]

    init() {
        var names: [String: String] = [:]
        var states: [String: String] = [:]
        for (code, name, aliases) in Self.stateTable {
            names[code] = name
            states[TextCleaning.foldedKey(code)] = code
            states[TextCleaning.foldedKey(name)] = code
            for alias in aliases { states[TextCleaning.foldedKey(alias)] = code }
        }
        stateNames = names
        statesByKey = states
        countriesByKey = Self.buildCountries()
    }

    func stateCode(forKey key: String) -> String? {
        statesByKey[key] ?? (key.hasPrefix("state of ") ? statesByKey[String(key.dropFirst(9))] : nil)
    }

    func countryCode(forKey key: String) -> String? {
        if let code = countriesByKey[key] { return code }
        if key.hasPrefix("the ") { return countriesByKey[String(key.dropFirst(4))] }
        return nil
    }

    /// The ISO country a USPS/Canada Post code belongs to: `"US"` for states, DC and military
    /// codes, `"CA"` for provinces, the territory's own code for PR, VI, GU, AS, MP, FM, MH, PW.
    func country(ofState code: String) -> String? {
        if Self.canadianProvinces.contains(code) { return "CA" }
        if Self.territories.contains(code) { return code }
        return stateNames[code] == nil ? nil : "US"
    }

    static let canadianProvinces: Set<String> = ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"]
    static let territories: Set<String> = ["PR", "VI", "GU", "AS", "MP", "FM", "MH", "PW"]

    private static func buildCountries() -> [String: String] {
        var table: [String: String] = [:]
        let codes = ICU.isoRegionCodes()
        for code in codes {
            table[TextCleaning.foldedKey(code)] = code
        }
        for locale in ["en", "de", "fr", "es", "it", "nl", "pt"] {
            for code in codes {
                guard let name = ICU.regionName(code, locale: locale) else { continue }
                let key = TextCleaning.foldedKey(name)
                if table[key] == nil { table[key] = code }
            }
        }
        for code in codes {
            if let iso3 = ICU.iso3RegionCode(code) {
                let key = TextCleaning.foldedKey(iso3)
                if table[key] == nil { table[key] = code }
            }
        }
        for (alias, code) in countryAliases { table[TextCleaning.foldedKey(alias)] = code }
        return table
    }

    /// Spellings ICU's display names do not cover. Aliases override ICU (so "UK" is GB, not Ukraine's "UKR").
    static let countryAliases: [(String, String)] = [
        ("USA", "US"), ("U.S.", "US"), ("U.S.A.", "US"), ("United States of America", "US"), ("America", "US"),
        ("United States", "US"), ("US of A", "US"), ("Estados Unidos", "US"), ("Vereinigte Staaten", "US"),
        ("UK", "GB"), ("U.K.", "GB"), ("Great Britain", "GB"), ("Britain", "GB"), ("England", "GB"),
        ("Scotland", "GB"), ("Wales", "GB"), ("Northern Ireland", "GB"), ("United Kingdom of Great Britain and Northern Ireland", "GB"),
        ("Holland", "NL"), ("The Netherlands", "NL"), ("Deutschland", "DE"), ("West Germany", "DE"),
        ("Korea", "KR"), ("South Korea", "KR"), ("Republic of Korea", "KR"), ("North Korea", "KP"),
        ("Russia", "RU"), ("Russian Federation", "RU"), ("Czech Republic", "CZ"), ("Ivory Coast", "CI"),
        ("Burma", "MM"), ("Vatican", "VA"), ("Vatican City", "VA"), ("UAE", "AE"), ("U.A.E.", "AE"),
        ("Macedonia", "MK"), ("Swaziland", "SZ"), ("Turkey", "TR"), ("Türkiye", "TR"),
        ("Hong Kong", "HK"), ("Macau", "MO"), ("Macao", "MO"), ("Republic of Ireland", "IE"), ("Eire", "IE"),
        ("Viet Nam", "VN"), ("Cape Verde", "CV"), ("East Timor", "TL"), ("Taiwan", "TW"), ("Republic of China", "TW"),
        ("PRC", "CN"), ("People's Republic of China", "CN"), ("Mainland China", "CN"), ("Palestine", "PS"),
        ("Bosnia", "BA"), ("Trinidad", "TT"), ("St Lucia", "LC"), ("St Kitts and Nevis", "KN"),
        ("St Vincent and the Grenadines", "VC"), ("Congo Kinshasa", "CD"), ("DRC", "CD"), ("Democratic Republic of the Congo", "CD"),
        ("Congo Brazzaville", "CG"), ("Republic of the Congo", "CG"), ("Brasil", "BR"), ("Méjico", "MX"),
        ("Schweiz", "CH"), ("Suisse", "CH"), ("Svizzera", "CH"), ("Österreich", "AT"), ("Nippon", "JP"),
        ("Espana", "ES"), ("Sverige", "SE"), ("Norge", "NO"), ("Danmark", "DK"), ("Suomi", "FI"), ("Polska", "PL"),
        ("Hellas", "GR"), ("Eesti", "EE"), ("Latvija", "LV"), ("Lietuva", "LT"), ("Magyarorszag", "HU"),
        ("Ceska republika", "CZ"), ("Hrvatska", "HR"), ("Rossiya", "RU"), ("Bharat", "IN"),
    ]

    /// USPS codes (states, DC, territories, military), Canada Post codes, and common spellings:
    /// AP-style abbreviations, older abbreviations, French names of provinces.
    static let stateTable: [(String, String, [String])] = [
        ("AL", "Alabama", ["Ala."]), ("AK", "Alaska", ["Alas."]), ("AZ", "Arizona", ["Ariz."]),
        ("AR", "Arkansas", ["Ark."]), ("CA", "California", ["Calif.", "Cal.", "Cali"]), ("CO", "Colorado", ["Colo.", "Col."]),
        ("CT", "Connecticut", ["Conn."]), ("DE", "Delaware", ["Del."]),
        ("DC", "District of Columbia", ["D.C.", "Washington DC", "Washington D.C.", "Wash. D.C."]),
        ("FL", "Florida", ["Fla.", "Flor."]), ("GA", "Georgia", ["Ga."]), ("HI", "Hawaii", ["Hawai'i"]),
        ("ID", "Idaho", ["Ida."]), ("IL", "Illinois", ["Ill.", "Ills."]), ("IN", "Indiana", ["Ind."]),
        ("IA", "Iowa", ["Ia."]), ("KS", "Kansas", ["Kan.", "Kans."]), ("KY", "Kentucky", ["Ky.", "Ken.", "Kent."]),
        ("LA", "Louisiana", ["La."]), ("ME", "Maine", ["Me."]), ("MD", "Maryland", ["Md."]),
        ("MA", "Massachusetts", ["Mass.", "Massachusets", "Massachussetts", "Commonwealth of Massachusetts"]),
        ("MI", "Michigan", ["Mich."]), ("MN", "Minnesota", ["Minn."]), ("MS", "Mississippi", ["Miss."]),
        ("MO", "Missouri", ["Mo."]), ("MT", "Montana", ["Mont."]), ("NE", "Nebraska", ["Neb.", "Nebr."]),
        ("NV", "Nevada", ["Nev."]), ("NH", "New Hampshire", ["N.H."]), ("NJ", "New Jersey", ["N.J."]),
        ("NM", "New Mexico", ["N.M.", "N. Mex.", "New Mex."]), ("NY", "New York", ["N.Y.", "N. York", "NY State", "New York State"]),
        ("NC", "North Carolina", ["N.C.", "N. Carolina", "No. Carolina"]), ("ND", "North Dakota", ["N.D.", "N. Dak.", "N. Dakota"]),
        ("OH", "Ohio", []), ("OK", "Oklahoma", ["Okla."]), ("OR", "Oregon", ["Ore.", "Oreg."]),
        ("PA", "Pennsylvania", ["Pa.", "Penn.", "Penna.", "Penn", "Pennsylvannia"]), ("RI", "Rhode Island", ["R.I."]),
        ("SC", "South Carolina", ["S.C.", "S. Carolina", "So. Carolina"]), ("SD", "South Dakota", ["S.D.", "S. Dak.", "S. Dakota"]),
        ("TN", "Tennessee", ["Tenn."]), ("TX", "Texas", ["Tex."]), ("UT", "Utah", []), ("VT", "Vermont", ["Vt."]),
        ("VA", "Virginia", ["Va."]), ("WA", "Washington", ["Wash.", "Washington State", "Wash. State"]),
        ("WV", "West Virginia", ["W.Va.", "W. Va.", "W. Virginia"]), ("WI", "Wisconsin", ["Wis.", "Wisc."]),
        ("WY", "Wyoming", ["Wyo."]),
        ("PR", "Puerto Rico", ["P.R."]), ("VI", "U.S. Virgin Islands", ["Virgin Islands", "USVI", "V.I."]),
        ("GU", "Guam", []), ("AS", "American Samoa", []), ("MP", "Northern Mariana Islands", ["CNMI"]),
        ("FM", "Federated States of Micronesia", ["Micronesia"]), ("MH", "Marshall Islands", []), ("PW", "Palau", []),
        ("AA", "Armed Forces Americas", []), ("AE", "Armed Forces Europe", []), ("AP", "Armed Forces Pacific", []),
        ("AB", "Alberta", ["Alta."]), ("BC", "British Columbia", ["B.C.", "Colombie-Britannique"]),
        ("MB", "Manitoba", ["Man."]), ("NB", "New Brunswick", ["N.B.", "Nouveau-Brunswick"]),
        ("NL", "Newfoundland and Labrador", ["Newfoundland", "Nfld.", "NF", "Terre-Neuve-et-Labrador", "Labrador"]),
        ("NS", "Nova Scotia", ["N.S.", "Nouvelle-Écosse"]),
        ("NT", "Northwest Territories", ["N.W.T.", "NWT", "Territoires du Nord-Ouest"]), ("NU", "Nunavut", []),
        ("ON", "Ontario", ["Ont."]), ("PE", "Prince Edward Island", ["P.E.I.", "PEI", "Île-du-Prince-Édouard"]),
        ("QC", "Quebec", ["Que.", "Qué.", "PQ", "P.Q.", "Province de Québec"]), ("SK", "Saskatchewan", ["Sask."]),
        ("YT", "Yukon", ["Y.T.", "Yukon Territory"]),
    ]
}
