/// Text encodings ListWash reads: UTF-8 (with or without BOM), and Windows-1252 for Excel's
/// "CSV" exports, decoded with a warning rather than garbled.
///
/// Unless a file's encoding is declared, it is decided per field, not per file: a field that is
/// valid UTF-8 is read as UTF-8, and only a field that is not is decoded as Windows-1252
/// (``decodeField(_:as:)``). One stray Windows-1252 byte then cannot turn every other value of
/// the file into mojibake.
public enum TextEncoding: String, Sendable, Codable, CaseIterable {
    /// UTF-8.
    case utf8 = "utf-8"
    /// Windows-1252 (Excel's "CSV" on Windows; Latin-1 plus curly quotes, dashes and the euro).
    case windows1252 = "windows-1252"

    /// One field's text, decoded per field.
    ///
    /// With no declared encoding (`nil`, the default), bytes that are valid UTF-8 are kept as
    /// they are, and only a field that is not valid UTF-8 is decoded as Windows-1252 and counted
    /// as repaired. A declared encoding is used as is: `.windows1252` decodes every byte as
    /// Windows-1252; `.utf8` keeps the bytes, with U+FFFD for any that are not UTF-8.
    ///
    /// ```swift
    /// let field: [UInt8] = [0x4F, 0x92, 0x4E, 0x65, 0x69, 0x6C] // O’Neil in Windows-1252
    /// field.withUnsafeBufferPointer { TextEncoding.decodeField($0) } // ("O’Neil", repaired: true)
    /// Array("José".utf8).withUnsafeBufferPointer { TextEncoding.decodeField($0) } // ("José", repaired: false)
    /// ```
    /// - Parameters:
    ///   - bytes: The field's bytes (unescaped).
    ///   - declared: The declared encoding, or `nil` to decide from the bytes.
    /// - Returns: The text, and whether the field was not valid UTF-8 and was decoded as
    ///   Windows-1252 without a declaration.
    /// - Complexity: O(*n*) in the field's length.
    public static func decodeField(_ bytes: UnsafeBufferPointer<UInt8>, as declared: TextEncoding? = nil) -> (text: String, repaired: Bool) {
        switch declared {
        case .utf8?:
            return (String(decoding: bytes, as: UTF8.self), false)
        case .windows1252?:
            if isPlainASCII(bytes) { return (String(decoding: bytes, as: UTF8.self), false) }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count * 2)
            appendWindows1252(bytes, to: &out)
            return (String(decoding: out, as: UTF8.self), false)
        case nil:
            if isValidUTF8(bytes) { return (String(decoding: bytes, as: UTF8.self), false) }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count * 2)
            appendWindows1252(bytes, to: &out)
            return (String(decoding: out, as: UTF8.self), true)
        }
    }

    /// Appends `bytes` to `out` as UTF-8, keeping every valid UTF-8 sequence and decoding each
    /// byte that is not part of one as Windows-1252: for text that is not split into fields (the
    /// raw text of a rejected line), so that its UTF-8 parts are not garbled either.
    ///
    /// - Returns: Whether any byte was decoded as Windows-1252.
    @discardableResult
    static func appendRepairingUTF8(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        var repaired = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 { out.append(byte); index += 1; continue }
            let length: Int
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            if length > 0, index + length <= bytes.count,
               isValidUTF8(UnsafeBufferPointer(rebasing: bytes[index..<(index + length)])) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
                index += length
                continue
            }
            appendWindows1252(UnsafeBufferPointer(rebasing: bytes[index..<(index + 1)]), to: &out)
            repaired = true
            index += 1
        }
        return repaired
    }

    /// The Unicode scalars for Windows-1252 bytes 0x80-0x9F (the rest map to themselves, as in
    /// Latin-1); undefined bytes become U+FFFD.
    static let windows1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    /// Appends the UTF-8 form of Windows-1252 `bytes` to `out`.
    static func appendWindows1252(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        for byte in bytes {
            if byte < 0x80 {
                out.append(byte)
                continue
            }
            let scalar = byte < 0xA0 ? windows1252High[Int(byte - 0x80)] : UInt32(byte)
            appendUTF8(scalar, to: &out)
        }
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80: out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Whether `bytes` is valid UTF-8. When `allowTruncatedEnd` is set, an incomplete sequence
    /// at the very end counts as valid (the rest is in the next chunk).
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, allowTruncatedEnd: Bool = false) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch lead {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(lead & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(lead & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(lead & 0x07)
            default: return false
            }
            if index + length > count {
                guard allowTruncatedEnd else { return false }
                for k in (index + 1)..<count where bytes[k] & 0xC0 != 0x80 { return false }
                return true
            }
            for k in 1..<length {
                let next = bytes[index + k]
                guard next & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return false }
            index += length
        }
        return true
    }

    /// Whether every byte is ASCII and none is NUL, eight bytes at a time.
    static func isPlainASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        let high: UInt64 = 0x8080_8080_8080_8080, low: UInt64 = 0x0101_0101_0101_0101
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if word & high != 0 || (word &- low) & ~word & high != 0 { return false }
            index += 8
        }
        while index < count {
            if bytes[index] >= 0x80 || bytes[index] == 0 { return false }
            index += 1
        }
        return true
    }
}

extension StringProtocol {
    /// The text without leading and trailing ASCII spaces and tabs.
    public func trimmingSpaces() -> String {
        let text = Substring(self)
        let bytes = text.utf8
        guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
              let last = bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        return String(text[first...last])
    }
}
