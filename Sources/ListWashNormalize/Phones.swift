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
        guard var text = raw else { return PhoneResult() }
        return text.withUTF8 { normalize(utf8: $0) }
    }

    /// Normalizes one phone number given as UTF-8 bytes (what ``normalize(_:)`` does, without
    /// making a string of the input).
    func normalize(utf8 raw: UnsafeBufferPointer<UInt8>) -> PhoneResult {
        guard raw.contains(where: { $0 > TextCleaning.space }) else { return PhoneResult() }
        guard raw.count <= TextCleaning.MaximumLength.phone else { return Self.invalid }
        // Printable ASCII needs no cleaning: splitting skips spaces wherever they are.
        if raw.allSatisfy({ $0 >= TextCleaning.space && $0 < 0x7F }) { return normalize(split: raw) }
        var cleaned = TextCleaning.cleaned(String(decoding: raw, as: UTF8.self))
        return cleaned.withUTF8 { normalize(split: $0) }
    }

    private static let invalid: PhoneResult = {
        var result = PhoneResult()
        result.flags = [.phoneInvalid]
        return result
    }()

    private func normalize(split text: UnsafeBufferPointer<UInt8>) -> PhoneResult {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maximumDigits + 4) { buffer in
            guard let parts = Self.split(text, digits: buffer) else { return Self.invalid }
            var result = PhoneResult()
            result.phoneExtension = parts.phoneExtension
            if parts.vanity { result.flags.append(.phoneVanity) }
            var digits = UnsafeBufferPointer(rebasing: buffer[0..<parts.digitCount])
            var international = parts.plus
            if !international, digits.count >= 10, digits[0] == 0, digits[1] == 0 {
                digits = UnsafeBufferPointer(rebasing: digits[2...])
                international = true
            } else if !international, digits.count >= 11, digits[0] == 0, digits[1] == 1, digits[2] == 1 {
                digits = UnsafeBufferPointer(rebasing: digits[3...])
                international = true
            }
            if international && digits.first != 1 {
                guard (8...15).contains(digits.count), digits.first != 0 else {
                    result.flags.append(.phoneInvalid)
                    return result
                }
                result.e164 = Self.e164(prefix: "", digits)
                result.flags.append(.phoneForeign)
                return result
            }
            if digits.count == 11 && digits.first == 1 { digits = UnsafeBufferPointer(rebasing: digits[1...]) }
            guard digits.count == 10, Self.isPossibleNANP(digits) else {
                result.flags.append(.phoneInvalid)
                return result
            }
            let npa = Int(digits[0]) * 100 + Int(digits[1]) * 10 + Int(digits[2])
            result.e164 = Self.e164(prefix: "1", digits)
            result.areaCode = Self.areaCodeTexts[npa]
            if let entry = areaCodes.entry(npa) {
                result.region = entry.region
                result.regionCode = entry.regionCode
                result.country = entry.country
            } else {
                result.flags.append(.areaCodeUnknown)
            }
            return result
        }
    }

    /// `"200"` ... `"999"` by number (smaller numbers are never area codes).
    private static let areaCodeTexts: [String] = (0..<1000).map { String($0) }

    /// `"+"`, the prefix's digits and `digits` (values 0-9) as text.
    private static func e164(prefix: StaticString, _ digits: UnsafeBufferPointer<UInt8>) -> String {
        let count = 1 + prefix.utf8CodeUnitCount + digits.count
        return String(unsafeUninitializedCapacity: count) { out in
            out[0] = UInt8(ascii: "+")
            var index = 1
            let prefixBytes = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
            for byte in prefixBytes { out[index] = byte; index += 1 }
            for digit in digits { out[index] = digit + 0x30; index += 1 }
            return index
        }
    }

    /// `true` for ten NANP digits (0-9 values) with a plausible area code and exchange.
    static func isPossibleNANP(_ d: [UInt8]) -> Bool {
        d.withUnsafeBufferPointer { isPossibleNANP($0) }
    }

    static func isPossibleNANP(_ d: UnsafeBufferPointer<UInt8>) -> Bool {
        guard d.count == 10, d[0] >= 2, d[3] >= 2 else { return false }
        if (d[1] == 1 && d[2] == 1) || (d[4] == 1 && d[5] == 1) { return false }
        if d.allSatisfy({ $0 == d[0] }) { return false }
        // 555-0100 through 555-0199 are reserved for fiction.
        if d[3] == 5 && d[4] == 5 && d[5] == 5 && d[6] == 0 && d[7] == 1 { return false }
        return true
    }

    /// The most digits a number may have (country code, number and all).
    static let maximumDigits = 18

    struct Parts {
        var digitCount = 0
        var phoneExtension = ""
        var plus = false
        var vanity = false
    }

    /// Splits a written number into its digits (letters read from a phone keypad), a leading `+`,
    /// and an extension after `x`, `ext`, `extension`, `#` or `,`. Returns `nil` for text that is
    /// not a phone number (other characters, or letters before the first digit).
    static func split(_ raw: String) -> (digits: [UInt8], parts: Parts)? {
        var text = raw
        return text.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumDigits + 4) { buffer in
                split(bytes, digits: buffer).map { (Array(buffer[0..<$0.digitCount]), $0) }
            }
        }
    }

    /// ``split(_:)`` over bytes, writing the digits (values 0-9) into `digits`.
    static func split(_ bytes: UnsafeBufferPointer<UInt8>, digits: UnsafeMutableBufferPointer<UInt8>) -> Parts? {
        var parts = Parts()
        var index = 0
        while index < bytes.count {
            let byte = TextCleaning.lower(bytes[index])
            if TextCleaning.isDigit(byte) {
                guard parts.digitCount < maximumDigits else { return nil }
                digits[parts.digitCount] = byte - 0x30
                parts.digitCount += 1
                index += 1
            } else if byte == UInt8(ascii: "+") && parts.digitCount == 0 && !parts.plus {
                parts.plus = true
                index += 1
            } else if parts.digitCount >= 7, let extensionStart = extensionDigitsStart(bytes, at: index) {
                var tail: UInt64 = 0
                var length = 0
                for byte in bytes[extensionStart...] where byte != TextCleaning.space {
                    guard TextCleaning.isDigit(byte), length < 8 else { return nil }
                    tail |= UInt64(byte) << (8 * UInt64(length))
                    length += 1
                }
                guard length > 0 else { return nil }
                parts.phoneExtension = String(unsafeUninitializedCapacity: length) { out in
                    for offset in 0..<length { out[offset] = UInt8(truncatingIfNeeded: tail >> (8 * UInt64(offset))) }
                    return length
                }
                break
            } else if TextCleaning.isLetter(byte) && parts.digitCount >= 1 {
                guard parts.digitCount < maximumDigits else { return nil }
                digits[parts.digitCount] = keypadDigit(byte)
                parts.digitCount += 1
                parts.vanity = true
                index += 1
            } else if separators[Int(byte)] {
                index += 1
            } else {
                return nil
            }
        }
        guard parts.digitCount >= 7 else { return nil }
        return parts
    }

    private static let separators: [Bool] = (0..<256).map { " -.()/[]".utf8.contains(UInt8($0)) }
    private static let extensionMarkers: [[UInt8]] = ["extension", "ext", "ex", "x", "#", ",", ";"].map { Array($0.utf8) }

    /// If an extension marker starts at `index` ("x", "ext", "ext.", "extension", "#", ","),
    /// the index of the extension's first byte after it and any spaces, dots or colons.
    private static func extensionDigitsStart(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let first = TextCleaning.lower(bytes[index])
        guard first == UInt8(ascii: "e") || first == UInt8(ascii: "x") || first == UInt8(ascii: "#")
            || first == UInt8(ascii: ",") || first == UInt8(ascii: ";")
        else { return nil }
        for m in extensionMarkers {
            guard index + m.count <= bytes.count else { continue }
            var matches = true
            for offset in 0..<m.count where TextCleaning.lower(bytes[index + offset]) != m[offset] {
                matches = false
                break
            }
            guard matches else { continue }
            var next = index + m.count
            while next < bytes.count, bytes[next] == TextCleaning.space || bytes[next] == UInt8(ascii: ".")
                || bytes[next] == UInt8(ascii: ":") || bytes[next] == UInt8(ascii: "#")
            {
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
