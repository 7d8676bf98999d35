import CListWashICU

/// Unicode text operations backed by the system ICU library.
///
/// Every function takes and returns Swift strings; ICU works on UTF-8 behind a C interface, so
/// this module never sees ICU's own types (which clash with Foundation's bundled ICU).
public enum ICU {
    /// Unicode normalization form C: `"e\u{301}"` becomes `"é"`.
    ///
    /// - Returns: the NFC form, or `nil` when ICU cannot process the text.
    public static func nfc(_ text: String) -> String? {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        return call(text) { lw_icu_nfc($0, $1, $2, $3) }
    }

    /// Folds text of any script to lower-case ASCII: `"José Müller"` becomes `"jose muller"`,
    /// `"Дмитрий"` becomes `"dmitrij"`.
    ///
    /// ASCII input takes a fast path; Latin text is decomposed and stripped of marks; only other
    /// scripts go through ICU's transliterator.
    /// - Returns: the folded text, or `nil` when ICU cannot process it.
    public static func foldToASCII(_ text: String) -> String? {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        return call(text) { lw_icu_fold_ascii($0, $1, $2, $3) }
    }

    /// Converts an internationalized domain name to its ASCII form (UTS #46): `"bücher.de"`
    /// becomes `"xn--bcher-kva.de"`.
    ///
    /// - Returns: the ASCII form, or `nil` when the name is not a valid IDNA name.
    public static func domainToASCII(_ domain: String) -> String? {
        call(domain) { lw_icu_idna_to_ascii($0, $1, $2, $3) }
    }

    /// Title-cases each word with ICU's root-locale rules: `"élise DUPONT"` becomes `"Élise Dupont"`.
    public static func titleCased(_ text: String) -> String? {
        call(text) { lw_icu_title_case($0, $1, $2, $3) }
    }

    /// The name of an ISO 3166 region in a language: `regionName("DE", locale: "de")` is
    /// `"Deutschland"`.
    public static func regionName(_ code: String, locale: String = "en") -> String? {
        var capacity: Int32 = 128
        while true {
            var buffer = [UInt8](repeating: 0, count: Int(capacity))
            let n = buffer.withUnsafeMutableBufferPointer { out in
                out.withMemoryRebound(to: CChar.self) { lw_icu_region_name(code, locale, $0.baseAddress, capacity) }
            }
            if n >= 0 { return String(decoding: buffer[0..<Int(n)], as: UTF8.self) }
            if n == -1 { return nil }
            capacity = -n
        }
    }

    /// The ISO 3166-1 alpha-2 region codes in ICU's locale data: `["AD", "AE", "AF", ...]`.
    public static func isoRegionCodes() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 2048)
        let n = buffer.withUnsafeMutableBufferPointer { out in
            out.withMemoryRebound(to: CChar.self) { lw_icu_iso_countries($0.baseAddress, Int32($0.count)) }
        }
        guard n > 0 else { return [] }
        return buffer[0..<Int(n)].split(separator: UInt8(ascii: ",")).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The ISO 3166-1 alpha-3 code of an alpha-2 region code: `iso3RegionCode("DE")` is `"DEU"`.
    public static func iso3RegionCode(_ code: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = buffer.withUnsafeMutableBufferPointer { out in
            out.withMemoryRebound(to: CChar.self) { lw_icu_iso3_country(code, $0.baseAddress, Int32($0.count)) }
        }
        return n > 0 ? String(decoding: buffer[0..<Int(n)], as: UTF8.self) : nil
    }

    private static func call(
        _ text: String,
        _ body: (UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<CChar>?, Int32) -> Int32
    ) -> String? {
        var input = text
        return input.withUTF8 { bytes -> String? in
            guard bytes.count < Int(Int32.max / 8) else { return nil }
            var capacity = Int32(bytes.count * 2 + 32)
            for _ in 0..<3 {
                var buffer = [UInt8](repeating: 0, count: Int(capacity))
                let n = bytes.withMemoryRebound(to: CChar.self) { inBytes in
                    buffer.withUnsafeMutableBufferPointer { out in
                        out.withMemoryRebound(to: CChar.self) {
                            body(inBytes.baseAddress, Int32(bytes.count), $0.baseAddress, capacity)
                        }
                    }
                }
                if n >= 0 { return String(decoding: buffer[0..<Int(n)], as: UTF8.self) }
                if n == -1 { return nil }
                capacity = -n
            }
            return nil
        }
    }
}
