/// The outcome of normalizing one phone number.
public struct PhoneResult: Sendable, Hashable {
    /// The number in E.164 (`"+16172531000"`), empty when it cannot be normalized.
    public var e164: String = ""
    /// The extension's digits (`"204"`), empty when there is none.
    public var phoneExtension: String = ""
    /// The NANP area code (`"617"`), empty for other countries.
    public var areaCode: String = ""
    /// Where the area code is: a state or province name (`"Massachusetts"`), or the country's
    /// name for other NANP members (`"Jamaica"`); empty for non-geographic codes (toll-free).
    public var region: String = ""
    /// The state or province code of the area code (`"MA"`), empty when not in the US or Canada.
    public var regionCode: String = ""
    /// The ISO country of the number: from the area code table for NANP numbers, empty otherwise.
    public var country: String = ""
    /// What was noticed: `phone_invalid`, `area_code_unknown`, `phone_foreign`, `phone_vanity`.
    public var flags: [NormalizationFlag] = []
}

/// Normalizes phone numbers to E.164, North American numbers in particular.
///
/// ```swift
/// let phones = PhoneNormalizer()
/// phones.normalize("(617) 253-1000").e164           // "+16172531000"
/// phones.normalize("617-253-1000 ext. 204").phoneExtension // "204"
/// phones.normalize("1-800-FLOWERS").e164            // "+18003569377", flagged phone_vanity
/// phones.normalize("+44 20 7946 0958").e164         // "+442079460958", flagged phone_foreign
/// phones.normalize("555-555-5555").flags            // [.phoneInvalid]
/// ```
/// A number without `+`, `00` or `011` is read as North American. It is invalid when it does not
/// have 10 digits (or 11 starting with 1), when the area code or exchange starts with 0 or 1, when
/// either is an N11 code (211-911), when all ten digits are the same, or when it is one of the
/// 555-0100...555-0199 numbers reserved for fiction. A well-formed area code that is not in service
/// keeps its E.164 form and is flagged `area_code_unknown`. Other country codes are kept in E.164
/// when the number has 8 to 15 digits.
public struct PhoneNormalizer: Sendable {
    let areaCodes: AreaCodeDirectory

    /// A normalizer over the given reference data.
    public init(data: ReferenceData = .shared) {
        areaCodes = data.areaCodes
    }

    /// Normalizes one phone number.
    ///
    /// - Parameter raw: the number as written, in any common format, with or without extension.
    /// - Returns: the E.164 form, extension, area code region and flags. Never throws.
    /// - Complexity: O(*n*) in the length of the input.
    public func normalize(_ raw: String?) -> PhoneResult {
        var result = PhoneResult()
        guard let raw, raw.utf8.contains(where: { $0 > TextCleaning.space }) else { return result }
        guard raw.utf8.count <= TextCleaning.MaximumLength.phone, let parts = Self.split(TextCleaning.cleaned(raw)) else {
            result.flags.append(.phoneInvalid)
            return result
        }
        result.phoneExtension = parts.phoneExtension
        if parts.vanity { result.flags.append(.phoneVanity) }
        var digits = parts.digits[...]
        var international = parts.plus
        if !international, digits.starts(with: [0, 0]), digits.count >= 10 {
            digits = digits.dropFirst(2)
            international = true
        } else if !international, digits.starts(with: [0, 1, 1]), digits.count >= 11 {
            digits = digits.dropFirst(3)
            international = true
        }
        if international && digits.first != 1 {
            guard (8...15).contains(digits.count), digits.first != 0 else {
                result.flags.append(.phoneInvalid)
                return result
            }
            result.e164 = "+" + String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
            result.flags.append(.phoneForeign)
            return result
        }
        if digits.count == 11 && digits.first == 1 { digits = digits.dropFirst() }
        guard digits.count == 10, Self.isPossibleNANP(Array(digits)) else {
            result.flags.append(.phoneInvalid)
            return result
        }
        let npa = digits.prefix(3).reduce(0) { $0 * 10 + Int($1) }
        result.e164 = "+1" + String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
        result.areaCode = String(npa)
        if let entry = areaCodes.entry(npa) {
            result.region = entry.region
            result.regionCode = entry.regionCode
            result.country = entry.country
        } else {
            result.flags.append(.areaCodeUnknown)
        }
        return result
    }

    /// `true` for ten NANP digits (0-9 values) with a plausible area code and exchange.
    static func isPossibleNANP(_ d: [UInt8]) -> Bool {
        guard d.count == 10, d[0] >= 2, d[3] >= 2 else { return false }
        let isN11 = { (a: UInt8, b: UInt8) in a == 1 && b == 1 }
        if isN11(d[1], d[2]) || isN11(d[4], d[5]) { return false }
        if d.allSatisfy({ $0 == d[0] }) { return false }
        // 555-0100 through 555-0199 are reserved for fiction.
        if d[3] == 5 && d[4] == 5 && d[5] == 5 && d[6] == 0 && d[7] == 1 { return false }
        return true
    }

    struct Parts {
        var digits: [UInt8] = []
        var phoneExtension = ""
        var plus = false
        var vanity = false
    }

    /// Splits a written number into its digits (letters read from a phone keypad), a leading `+`,
    /// and an extension after `x`, `ext`, `extension`, `#` or `,`. Returns `nil` for text that is
    /// not a phone number (other characters, or letters before the third digit).
    static func split(_ raw: String) -> Parts? {
        var parts = Parts()
        let bytes = Array(raw.utf8)
        var index = 0
        while index < bytes.count {
            let byte = TextCleaning.lower(bytes[index])
            if TextCleaning.isDigit(byte) {
                parts.digits.append(byte - 0x30)
                index += 1
            } else if byte == UInt8(ascii: "+") && parts.digits.isEmpty && !parts.plus {
                parts.plus = true
                index += 1
            } else if parts.digits.count >= 7, let extensionStart = extensionDigitsStart(bytes, at: index) {
                let tail = bytes[extensionStart...].filter { $0 != TextCleaning.space }
                guard !tail.isEmpty, tail.count <= 8, tail.allSatisfy(TextCleaning.isDigit) else { return nil }
                parts.phoneExtension = String(decoding: tail, as: UTF8.self)
                break
            } else if TextCleaning.isLetter(byte) && parts.digits.count >= 1 {
                parts.digits.append(keypadDigit(byte))
                parts.vanity = true
                index += 1
            } else if separators[Int(byte)] {
                index += 1
            } else {
                return nil
            }
        }
        guard parts.digits.count >= 7, parts.digits.count <= 18 else { return nil }
        return parts
    }

    private static let separators: [Bool] = (0..<256).map { " -.()/[]".utf8.contains(UInt8($0)) }
    private static let extensionMarkers: [[UInt8]] = ["extension", "ext", "ex", "x", "#", ",", ";"].map { Array($0.utf8) }

    /// If an extension marker starts at `index` ("x", "ext", "ext.", "extension", "#", ","),
    /// the index of the extension's first byte after it and any spaces, dots or colons.
    private static func extensionDigitsStart(_ bytes: [UInt8], at index: Int) -> Int? {
        for m in extensionMarkers {
            guard index + m.count <= bytes.count,
                zip(bytes[index..<(index + m.count)], m).allSatisfy({ TextCleaning.lower($0) == $1 })
            else { continue }
            var next = index + m.count
            while next < bytes.count, [TextCleaning.space, UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "#")].contains(bytes[next]) {
                next += 1
            }
            if next < bytes.count, TextCleaning.isDigit(bytes[next]) { return next }
        }
        return nil
    }

    /// The digit a letter sits on on a phone keypad (`a`-`c` → 2 ... `w`-`z` → 9).
    private static func keypadDigit(_ letter: UInt8) -> UInt8 {
        let keys: [UInt8] = [2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9]
        return keys[Int(TextCleaning.lower(letter) - UInt8(ascii: "a"))]
    }
}

/// NANP area codes in service, indexed by NPA (internal).
struct AreaCodeDirectory: Sendable {
    struct Entry: Sendable, Hashable {
        var country: String
        var region: String
        var regionCode: String
    }

    private var entries: [Entry?] = Array(repeating: nil, count: 1000)

    init(csv: [UInt8], places: PlaceDirectory) {
        for row in ResourceText.csvRows(csv) where row.count >= 4 {
            guard let npa = Int(row[0]), (200..<1000).contains(npa) else { continue }
            let country = row[1]
            var region = row[2]
            // "San Antonio, TX": a city-level name; the suffix is the state.
            var code = row[3].split(separator: ";").first.map(String.init) ?? ""
            if let comma = region.lastIndex(of: ","), code.isEmpty {
                code = region[region.index(after: comma)...].trimmingSpaces()
                region = String(region[..<comma])
            }
            if code.isEmpty, let byName = places.stateCode(forKey: TextCleaning.foldedKey(region)) { code = byName }
            if country == "US" || country == "CA", let name = places.stateNames[code] {
                region = name
            } else if country != "US" && country != "CA" {
                code = ""
            }
            entries[npa] = Entry(country: country, region: region, regionCode: code)
        }
    }

    func entry(_ npa: Int) -> Entry? {
        guard npa >= 0 && npa < entries.count else { return nil }
        return entries[npa]
    }
}

extension Substring {
    /// The text without leading and trailing ASCII spaces.
    func trimmingSpaces() -> String {
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { $0 != TextCleaning.space }),
            let last = bytes.lastIndex(where: { $0 != TextCleaning.space })
        else { return "" }
        return String(self[first...last])
    }
}
