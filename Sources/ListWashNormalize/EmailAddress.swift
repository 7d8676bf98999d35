import ListWashText

/// A syntactically valid email address, split into its lower-cased parts.
///
/// ```swift
/// EmailAddress(validating: "Jane.Doe@Example.COM")?.address // "jane.doe@example.com"
/// EmailAddress(validating: "jeff@臺網中心.tw")?.domain      // "xn--fiqz9s5yav5d.tw" (or similar punycode)
/// EmailAddress(validating: "john@gmail")                    // nil: no top-level domain
/// ```
/// The rules follow what mailbox providers and CRM email fields accept:
/// - local part: 1-64 bytes of RFC 5322 `atext` (`a-z 0-9 ! # $ % & ' * + - / = ? ^ _ \` { | } ~`)
///   and dots (not first, not last, not doubled), plus non-ASCII letters, marks, numbers,
///   punctuation and symbols (RFC 6531); quoted local parts are rejected;
/// - domain: at least two labels of letters, digits and hyphens (1-63 bytes, no hyphen at either
///   end, `--` in positions 3-4 only for valid `xn--` labels), internationalized names through
///   ICU's UTS #46, at most 253 bytes in ASCII form; the top-level domain is letters (two or
///   more) or an `xn--` label and not a special-use name (`arpa`, `invalid`, `local`,
///   `localhost`, `onion`, `test`, `internal`, `alt`); no IP address literals;
/// - the whole address at most 254 bytes.
///
/// It takes the address as is; ``EmailNormalizer`` cleans raw values (display names,
/// `mailto:`, spaces, trailing dots) before validating.
public struct EmailAddress: Sendable, Hashable {
    /// The local part, lower case and NFC: `"jane.doe"`.
    public let localPart: String
    /// The domain in ASCII, lower case, with internationalized labels in punycode.
    public let domain: String
    /// The domain as written, lower case and NFC (equal to ``domain`` for ASCII domains).
    public let unicodeDomain: String

    /// The address with the ASCII domain: `"jane.doe@example.com"`.
    public var address: String { localPart + "@" + domain }

    /// `true` when the domain has non-ASCII labels (written in Unicode or as `xn--` punycode).
    public let isInternationalized: Bool

    /// Validates an address; `nil` when it is not one.
    ///
    /// - Complexity: O(*n*); ICU only for non-ASCII domains and `xn--` labels.
    public init?(validating text: String) {
        let bytes = text.utf8
        guard bytes.count <= 1024,
            let at = bytes.firstIndex(of: UInt8(ascii: "@")),
            !bytes[bytes.index(after: at)...].contains(UInt8(ascii: "@"))
        else { return nil }
        let local = text[..<at]
        let domainText = text[text.utf8.index(after: at)...]
        guard let localPart = Self.validLocalPart(local),
            let (ascii, unicode, international) = Self.validDomain(domainText),
            localPart.utf8.count + 1 + ascii.utf8.count <= 254
        else { return nil }
        self.localPart = localPart
        self.domain = ascii
        self.unicodeDomain = unicode
        self.isInternationalized = international
    }

    // MARK: Local part

    /// `atext` by byte value: letters, digits and `! # $ % & ' * + - / = ? ^ _ \` { | } ~`.
    private static let atextTable: [Bool] = (0..<256).map { value in
        let byte = UInt8(value)
        return TextCleaning.isDigit(byte) || TextCleaning.isLetter(byte) || "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }

    @inline(__always)
    static func isAtext(_ byte: UInt8) -> Bool { atextTable[Int(byte)] }

    private static func validLocalPart(_ local: Substring) -> String? {
        let bytes = local.utf8
        guard !bytes.isEmpty, bytes.count <= 64,
            bytes.first != UInt8(ascii: "."), bytes.last != UInt8(ascii: ".")
        else { return nil }
        var previous: UInt8 = 0
        var ascii = true
        for byte in bytes {
            if byte >= 0x80 {
                ascii = false
            } else if byte == UInt8(ascii: ".") {
                if previous == byte { return nil }
            } else if !isAtext(byte) {
                return nil
            }
            previous = byte
        }
        if ascii { return TextCleaning.lowercased(String(local)) }
        for (index, scalar) in local.unicodeScalars.enumerated() where !scalar.isASCII {
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned,
                .spaceSeparator, .lineSeparator, .paragraphSeparator:
                return nil
            case .nonspacingMark, .spacingMark, .enclosingMark:
                if index == 0 { return nil }
            default:
                continue
            }
        }
        let composed = ICU.nfc(String(local)) ?? String(local)
        // Composition can produce ASCII ("\u{37E}" becomes ";"): check the composed form again.
        var last: UInt8 = 0
        for byte in composed.utf8 {
            if byte < 0x80, byte == UInt8(ascii: ".") ? last == byte : !isAtext(byte) { return nil }
            last = byte
        }
        let lowered = composed.lowercased()
        guard lowered.utf8.count <= 64, lowered.utf8.first != UInt8(ascii: "."), lowered.utf8.last != UInt8(ascii: ".")
        else { return nil }
        return lowered
    }

    // MARK: Domain

    static let specialUseTLDs: Set<String> = ["arpa", "invalid", "local", "localhost", "onion", "test", "internal", "alt"]

    /// The ASCII and Unicode forms of a valid domain and whether it is internationalized, or `nil`.
    private static func validDomain(_ text: Substring) -> (String, String, Bool)? {
        guard !text.isEmpty else { return nil }
        let isASCII = text.utf8.allSatisfy { $0 < 0x80 }
        if isASCII {
            let lowered = TextCleaning.lowercased(String(text))
            guard let shape = labelShape(lowered) else { return nil }
            if shape.hasHyphenPair {
                // "xn--" labels must be valid punycode; other "ab--" labels are reserved.
                guard ICU.domainToASCII(lowered) != nil else { return nil }
            }
            return (lowered, lowered, shape.hasHyphenPair)
        }
        let written = String(text)
        guard let ascii = ICU.domainToASCII(written) else { return nil }
        // A mapping that invents a label separator (U+2488 "⒈" becomes "1.") is not a name
        // the writer typed.
        let writtenLabels = written.unicodeScalars.filter { ["." , "\u{FF0E}", "\u{3002}", "\u{FF61}"].contains($0) }.count
        guard ascii.utf8.filter({ $0 == UInt8(ascii: ".") }).count == writtenLabels,
            checkLabels(ascii)
        else { return nil }
        let unicode = ICU.nfc(written.lowercased()) ?? written.lowercased()
        return (ascii, unicode, true)
    }

    /// Checks lower-case ASCII labels: LDH, lengths, and the top-level domain.
    static func checkLabels(_ domain: String) -> Bool {
        labelShape(domain) != nil
    }

    /// Scans lower-case ASCII labels in one pass: LDH, lengths, at least two labels, and the
    /// top-level domain. Returns whether any label has `--` in positions 3-4 (an `xn--` label or
    /// a reserved one, which ICU must check) and the top-level domain's length, or `nil` when the
    /// domain is not valid.
    static func labelShape(_ domain: String) -> (hasHyphenPair: Bool, tldLength: Int)? {
        let bytes = domain.utf8
        guard bytes.count <= 253 else { return nil }
        var labelCount = 0
        var labelLength = 0
        var previous: UInt8 = UInt8(ascii: ".")
        var hasHyphenPair = false
        var tldIsLetters = true
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard labelLength > 0, previous != UInt8(ascii: "-") else { return nil }
                labelCount += 1
                labelLength = 0
                tldIsLetters = true
            } else {
                let isLetter = byte >= 0x61 && byte <= 0x7A
                guard isLetter || TextCleaning.isDigit(byte) || byte == UInt8(ascii: "-") else { return nil }
                guard byte != UInt8(ascii: "-") || labelLength > 0 else { return nil }
                labelLength += 1
                guard labelLength <= 63 else { return nil }
                if !isLetter { tldIsLetters = false }
                if labelLength == 4 && byte == UInt8(ascii: "-") && previous == UInt8(ascii: "-") {
                    hasHyphenPair = true
                }
            }
            previous = byte
        }
        guard labelLength > 0, previous != UInt8(ascii: "-"), labelCount >= 1 else { return nil }
        let tld = bytes.suffix(labelLength)
        let tldPunycode = labelLength > 4 && tld.starts(with: "xn--".utf8)
        guard (tldIsLetters && labelLength >= 2) || tldPunycode else { return nil }
        if tldIsLetters && labelLength <= 9 && specialUseTLDs.contains(String(decoding: tld, as: UTF8.self)) {
            return nil
        }
        return (hasHyphenPair, labelLength)
    }
}
