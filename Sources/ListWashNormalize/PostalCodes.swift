/// The outcome of normalizing a ZIP or postal code with its city and state.
public struct PostalCodeResult: Sendable, Hashable {
    /// The normalized code: `"02134"`, ZIP+4 as `"02134-1234"`, Canadian `"K1A 0B1"`, another
    /// country's code trimmed; empty when it cannot be normalized.
    public var zip: String = ""
    /// The 5-digit ZIP alone (empty for non-US codes): the part to match on.
    public var zip5: String = ""
    /// The city as given (cleaned), or the ZIP's USPS city when none was given.
    public var city: String = ""
    /// The state code as given, or the ZIP's state when none was given.
    public var state: String = ""
    /// What was noticed, e.g. `zip_leading_zero_restored`, `zip_unknown`, `zip_state_mismatch`.
    public var flags: [NormalizationFlag] = []
}

/// Normalizes US ZIP codes (and Canadian and other postal codes) and checks them against the
/// USPS ZIP table.
///
/// ```swift
/// let zips = PostalCodeNormalizer()
/// zips.normalize(zip: " 2134 ", state: "MA").zip      // "02134", flagged zip_leading_zero_restored
/// zips.normalize(zip: "021341234").zip                // "02134-1234"
/// zips.normalize(zip: "2134.0", state: "MA").zip      // "02134" (a spreadsheet number)
/// zips.normalize(zip: "k1a0b1").zip                   // "K1A 0B1", flagged postal_code_ca
/// zips.normalize(zip: "02134").city                   // "Allston", flagged city_filled_from_zip
/// ```
/// ZIP+4 is kept as `"NNNNN-NNNN"` (nothing the list gave is thrown away); ``PostalCodeResult/zip5``
/// holds the 5-digit part. Excel drops leading zeros, so a 3- or 4-digit value (or 8 digits for
/// ZIP+4) gets them back and is flagged; the table and the state then confirm or flag it.
public struct PostalCodeNormalizer: Sendable {
    let zips: ZIPDirectory
    let places: PlaceNormalizer

    /// A normalizer over the given reference data.
    public init(data: ReferenceData = .shared) {
        zips = data.zipCodes
        places = PlaceNormalizer(data: data)
    }

    /// Normalizes a postal code and fills city and state from the ZIP table when they are missing.
    ///
    /// - Parameters:
    ///   - zip: the raw code.
    ///   - state: the state as given: a code or any spelling ``PlaceNormalizer`` knows.
    ///   - city: the city as given.
    ///   - country: an ISO 3166 alpha-2 code; `nil` or empty means "US unless it looks Canadian".
    /// - Returns: the normalized code, city, state and flags. Never throws.
    /// - Complexity: O(*n*) in the length of the input; one array lookup in the ZIP table.
    public func normalize(zip: String?, state: String? = nil, city: String? = nil, country: String? = nil) -> PostalCodeResult {
        var result = PostalCodeResult()
        result.city = TextCleaning.cleaned(city ?? "")
        let stateText = (state?.utf8.count ?? 0) <= TextCleaning.MaximumLength.place ? TextCleaning.cleaned(state ?? "") : ""
        result.state = stateText.isEmpty ? "" : (places.stateCode(stateText) ?? stateText)
        let text = (zip?.utf8.count ?? 0) <= TextCleaning.MaximumLength.postalCode ? TextCleaning.cleaned(zip ?? "") : "?"
        guard !text.isEmpty else { return result }
        let countryCode = country ?? ""
        let isUS = countryCode.isEmpty || PlaceDirectory.stateCountries.contains(countryCode) && countryCode != "CA"

        if isUS, let parsed = Self.parseZIP(text) {
            apply(parsed, to: &result)
        } else if countryCode.isEmpty || countryCode == "CA", let canadian = Self.canadianPostalCode(text) {
            result.zip = canadian
            result.flags.append(.postalCodeCA)
        } else if isUS {
            result.flags.append(.zipInvalid)
        } else {
            result.zip = text
            result.flags.append(.postalCodeForeign)
        }
        return result
    }

    private func apply(_ parsed: ParsedZIP, to result: inout PostalCodeResult) {
        result.zip5 = parsed.zip5
        result.zip = parsed.plus4.isEmpty ? parsed.zip5 : parsed.zip5 + "-" + parsed.plus4
        if parsed.restoredZeros { result.flags.append(.zipLeadingZeroRestored) }
        if !parsed.plus4.isEmpty { result.flags.append(.zipPlus4) }
        guard let entry = zips.entry(parsed.number) else {
            result.flags.append(.zipUnknown)
            return
        }
        if !entry.active { result.flags.append(.zipInactive) }
        if result.state.isEmpty {
            result.state = entry.state
            result.flags.append(.stateFilledFromZIP)
        } else if result.state != entry.state {
            result.flags.append(.zipStateMismatch)
        }
        if result.city.isEmpty && !result.flags.contains(.zipStateMismatch) {
            result.city = entry.city
            result.flags.append(.cityFilledFromZIP)
        }
    }

    struct ParsedZIP {
        var number: Int
        var zip5: String
        var plus4: String
        var restoredZeros: Bool
    }

    /// Reads `NNNNN`, `NNNNN-NNNN`, `NNNNN NNNN`, `NNNNNNNNN`, spreadsheet forms `NNNN.0`, and
    /// forms missing leading zeros (3-4 digits, or 8 digits for ZIP+4).
    static func parseZIP(_ text: String) -> ParsedZIP? {
        var bytes = Array(text.utf8)
        // "2134.0" / "2134.00": a number that went through a spreadsheet.
        if let dot = bytes.firstIndex(of: UInt8(ascii: ".")), dot > 0,
            bytes[(dot + 1)...].allSatisfy({ $0 == UInt8(ascii: "0") })
        {
            bytes.removeSubrange(dot...)
        }
        let groups = bytes.split(omittingEmptySubsequences: false) { $0 == UInt8(ascii: "-") || $0 == TextCleaning.space }
        guard groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(TextCleaning.isDigit) }) else { return nil }
        var base: ArraySlice<UInt8>
        var plus4: ArraySlice<UInt8> = []
        switch (groups.count, groups.first?.count ?? 0) {
        case (1, 3...5): base = groups[0]
        case (1, 9): base = groups[0].prefix(5); plus4 = groups[0].suffix(4)
        case (1, 8): base = groups[0].prefix(4); plus4 = groups[0].suffix(4)
        case (2, 3...5) where groups[1].count == 4: base = groups[0]; plus4 = groups[1]
        default: return nil
        }
        let restored = base.count < 5
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: 5 - base.count) + base
        let number = padded.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return ParsedZIP(
            number: number, zip5: String(decoding: padded, as: UTF8.self),
            plus4: String(decoding: plus4, as: UTF8.self), restoredZeros: restored)
    }

    /// `"k1a0b1"`, `"K1A-0B1"`, `"k1a 0b1"` become `"K1A 0B1"`; `nil` when the text is not a
    /// Canadian postal code (letter-digit-letter digit-letter-digit, without D, F, I, O, Q, U;
    /// not starting with W or Z).
    static func canadianPostalCode(_ text: String) -> String? {
        let bytes = text.utf8.filter { $0 != TextCleaning.space && $0 != UInt8(ascii: "-") }.map(TextCleaning.upper)
        guard bytes.count == 6 else { return nil }
        let forbidden: Set<UInt8> = Set("DFIOQU".utf8)
        for (index, byte) in bytes.enumerated() {
            if index.isMultiple(of: 2) {
                guard TextCleaning.isLetter(byte), !forbidden.contains(byte) else { return nil }
                if index == 0 && (byte == UInt8(ascii: "W") || byte == UInt8(ascii: "Z")) { return nil }
            } else if !TextCleaning.isDigit(byte) {
                return nil
            }
        }
        return String(decoding: bytes[0..<3] + [TextCleaning.space] + bytes[3..<6], as: UTF8.self)
    }
}

/// The USPS ZIP table as an array indexed by the ZIP's number (internal).
struct ZIPDirectory: Sendable {
    struct Entry: Sendable, Hashable {
        var state: String
        var city: String
        var active: Bool
    }

    private var entries: [Entry] = []
    private var indexByZIP: [Int32] = []

    init(csv: [UInt8]) {
        indexByZIP = [Int32](repeating: -1, count: 100_000)
        for row in ResourceText.csvRows(csv) where row.count >= 4 {
            guard let zip = Int(row[0]), (0..<100_000).contains(zip) else { continue }
            indexByZIP[zip] = Int32(entries.count)
            entries.append(Entry(state: row[1], city: row[2], active: row[3] == "true"))
        }
    }

    /// The entry for a 5-digit ZIP given as a number (2134 for "02134").
    func entry(_ zip: Int) -> Entry? {
        guard zip >= 0 && zip < indexByZIP.count else { return nil }
        let index = indexByZIP[zip]
        return index < 0 ? nil : entries[Int(index)]
    }

    var count: Int { entries.count }
}
