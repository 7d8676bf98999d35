import ListWashText

/// Byte- and scalar-level text helpers shared by the normalizers; ``cleaned(_:)`` and
/// ``hasInvisibleCharacters(_:)`` serve list files too.
///
/// Every function takes an ASCII fast path over `utf8` and reaches for Unicode scalars and ICU
/// only when the text is not ASCII.
public enum TextCleaning {
    static let space = UInt8(ascii: " ")

    /// Longest values, in UTF-8 bytes, that the normalizers read as a name, company, state or
    /// country, postal code, or phone number; longer values are flagged without further work.
    enum MaximumLength {
        static let name = 500
        static let company = 500
        static let place = 200
        static let postalCode = 64
        static let phone = 100
    }

    /// `true` when every byte is ASCII.
    @inline(__always)
    static func isASCII(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(isASCII) ?? text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Whether `bytes` are all ASCII, eight at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        var high: UInt64 = 0
        while offset + 8 <= bytes.count {
            high |= raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < bytes.count {
            high |= UInt64(bytes[offset])
            offset += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// Removes invisible characters (controls, zero-width characters, BOM, soft hyphen, bidi
    /// marks), turns every run of whitespace into one space, trims, and composes to NFC.
    ///
    /// `"  Jos\u{E9}\u{200B}  M\u{FC}ller\t"` becomes `"José Müller"`.
    /// - Complexity: O(*n*); ASCII text that needs no change is returned without copying.
    public static func cleaned(_ text: String) -> String {
        // One pass decides: ASCII that needs no change (the common case), ASCII to tidy, or Unicode.
        switch text.utf8.withContiguousStorageIfAvailable(cleaning) ?? Array(text.utf8).withUnsafeBufferPointer(cleaning) {
        case .none: return text
        case .ascii: return cleanedASCII(text)
        case .unicode: return cleanedUnicode(text)
        }
    }

    /// Whether `text` holds a character ``cleaned(_:)`` removes as invisible: a control character
    /// other than whitespace (NUL), or a format character (zero-width space, BOM, soft hyphen,
    /// zero-width joiner, word joiner, bidi marks).
    public static func hasInvisibleCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            guard !scalar.properties.isWhitespace else { return false }
            switch scalar.properties.generalCategory {
            case .control, .format: return true
            default: return false
            }
        }
    }

    /// What ``cleaned(_:)`` has to do to text.
    private enum Cleaning { case none, ascii, unicode }

    private static func cleaning(_ bytes: UnsafeBufferPointer<UInt8>) -> Cleaning {
        var needsWork = false
        var previous = space
        for byte in bytes {
            if byte >= 0x80 { return .unicode }
            if byte < 0x20 || byte == 0x7F || (byte == space && previous == space) { needsWork = true }
            previous = byte
        }
        return !needsWork && previous != space ? .none : .ascii
    }

    private static func cleanedUnicode(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !scalars.isEmpty
                continue
            }
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .unassigned, .lineSeparator, .paragraphSeparator:
                continue
            default:
                break
            }
            if pendingSpace { scalars.append(" "); pendingSpace = false }
            scalars.append(scalar)
        }
        let joined = String(scalars)
        // Scalars below U+0300 (ASCII, Latin-1, Latin Extended-A and -B) are already in NFC.
        if scalars.allSatisfy({ $0.value < 0x300 }) { return joined }
        return ICU.nfc(joined) ?? joined
    }

    private static func cleanedASCII(_ text: String) -> String {
        let bytes = text.utf8
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for byte in bytes {
            switch byte {
            case space, 0x09, 0x0A, 0x0B, 0x0C, 0x0D:
                pendingSpace = !out.isEmpty
            case 0x00..<0x20, 0x7F:
                continue
            default:
                if pendingSpace { out.append(space); pendingSpace = false }
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-cases ASCII letters; other bytes are kept.
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }

    /// Upper-cases ASCII letters; other bytes are kept.
    @inline(__always)
    static func upper(_ byte: UInt8) -> UInt8 {
        (byte >= 0x61 && byte <= 0x7A) ? byte & 0xDF : byte
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    /// The text with ASCII letters lower-cased (non-ASCII text through the standard library).
    static func lowercased(_ text: String) -> String {
        guard isASCII(text) else { return text.lowercased() }
        guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
        return String(decoding: text.utf8.map(lower), as: UTF8.self)
    }

    /// A matching key: any script folded to lower-case ASCII letters and digits, words
    /// separated by one space; apostrophes and dots vanish without a break, `&` becomes `and`.
    ///
    /// `"José O'Brien-Müller"` becomes `"jose obrien muller"`.
    static func foldedKey(_ text: String) -> String {
        let folded = isASCII(text) ? text : (ICU.foldToASCII(text) ?? "")
        return String(decoding: keyBytes(folded.utf8), as: UTF8.self)
    }

    /// The bytes of ``foldedKey(_:)``: words separated by single spaces.
    static func foldedKeyBytes(_ text: String) -> [UInt8] {
        let folded = isASCII(text) ? text : (ICU.foldToASCII(text) ?? "")
        return keyBytes(folded.utf8)
    }

    /// Where each space-separated word of `bytes` is.
    static func words(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var words: [Range<Int>] = []
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != space { end += 1 }
            if end > start { words.append(start..<end) }
            start = end + 1
        }
        return words
    }

    private static func keyBytes(_ text: String.UTF8View) -> [UInt8] {
        if let key = text.withContiguousStorageIfAvailable(keyBytes) { return key }
        return Array(text).withUnsafeBufferPointer(keyBytes)
    }

    /// The key of `bytes`, written straight into its array: at most four bytes for one (a
    /// lone "&" becomes " and").
    private static func keyBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 4 * bytes.count) { out, written in
            var used = 0
            var pendingSpace = false
            var previous: UInt8 = space
            for byte in bytes {
                let b = lower(byte)
                if isDigit(b) || (b >= 0x61 && b <= 0x7A) {
                    if pendingSpace && used > 0 {
                        out[used] = space
                        used += 1
                    }
                    pendingSpace = false
                    out[used] = b
                    used += 1
                } else if b == UInt8(ascii: "'") || b == UInt8(ascii: ".") || b == 0x60 {
                    // "o'brien" -> "obrien", "s.a." -> "sa": no word break.
                } else if b == UInt8(ascii: "&") {
                    let standsAlone = previous == space
                    if standsAlone {
                        if used > 0 {
                            out[used] = space
                            used += 1
                        }
                        for letter in "and".utf8 {
                            out[used] = letter
                            used += 1
                        }
                        pendingSpace = true
                    }
                    // "at&t" -> "att"
                } else {
                    pendingSpace = true
                }
                previous = b
            }
            written = used
        }
    }
}
