/// Text encodings ListWash reads: UTF-8 (with or without BOM), and Windows-1252 for Excel's
/// "CSV" exports, decoded with a warning rather than garbled.
public enum TextEncoding: String, Sendable, Codable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"

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
