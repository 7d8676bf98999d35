// American Soundex as jellyfish 1.x computes it: upper-case, compatibility-decompose (NFKD), keep
// the first character, code the rest (B F P V = 1, C G J K Q S X Z = 2, D T = 3, L = 4,
// M N = 5, R = 6), skip a repeat of the previous code, let H and W keep the previous code while
// any other uncoded character (vowels, marks, digits, blanks) clears it, pad with zeros to 4.

import ListWashText

extension Phonetic {
    /// American Soundex code: the first letter and three digits, zero-padded (`"Robert"` gives
    /// `"R163"`). The empty string gives `""`.
    ///
    /// Letters with diacritics count as their base letter followed by a mark, as after NFKD
    /// (`"Çáŕẗéř"` gives `"C636"`); a leading character that is not a letter is kept as it is
    /// (`"¿"` gives `"¿000"`).
    ///
    ///     Phonetic.soundex("Tymczak")    // "T522"
    ///     Phonetic.soundex("Ashcroft")   // "A261"
    ///
    /// - Complexity: O(n); stops at the fourth character of the code.
    public static func soundex(_ word: String) -> String {
        if word.isEmpty { return "" }
        var units: [UInt32] = []
        if TextUnits.isASCII(word) {
            units = word.utf8.map { UInt32(($0 >= 0x61 && $0 <= 0x7A) ? $0 - 0x20 : $0) }
        } else {
            for scalar in word.uppercased().unicodeScalars {
                SoundexKernel.appendDecomposed(scalar, to: &units)
            }
        }
        if units.isEmpty { return "" }
        var result = String.UnicodeScalarView()
        result.append(Unicode.Scalar(units[0]) ?? " ")
        var count = 1
        var last = SoundexKernel.code(units[0])
        for unit in units.dropFirst() {
            let code = SoundexKernel.code(unit)
            if code != 0 {
                if code != last {
                    result.append(Unicode.Scalar(code))
                    count += 1
                    if count == 4 { break }
                }
                last = code
            } else if unit != 0x48 && unit != 0x57 {  // H and W keep the previous code
                last = 0
            }
        }
        while count < 4 {
            result.append("0")
            count += 1
        }
        return String(result)
    }
}

enum SoundexKernel {
    /// The digit (as an ASCII value) of an upper-case letter, 0 when it has none.
    @inline(__always)
    static func code(_ unit: UInt32) -> UInt8 {
        switch unit {
        case 0x42, 0x46, 0x50, 0x56: return 0x31  // B F P V
        case 0x43, 0x47, 0x4A, 0x4B, 0x51, 0x53, 0x58, 0x5A: return 0x32  // C G J K Q S X Z
        case 0x44, 0x54: return 0x33  // D T
        case 0x4C: return 0x34  // L
        case 0x4D, 0x4E: return 0x35  // M N
        case 0x52: return 0x36  // R
        default: return 0
        }
    }

    /// Appends what NFKD makes of `scalar` as far as Soundex can tell: a Latin letter with
    /// diacritics becomes its upper-case base letter(s) followed by a mark (U+0301 stands for
    /// every mark: none has a code); Latin letters without a decomposition (Æ, Ø, Ł, ...) and
    /// characters of other scripts stay as they are.
    static func appendDecomposed(_ scalar: Unicode.Scalar, to units: inout [UInt32]) {
        let v = scalar.value
        guard v >= 0x80 else {
            units.append(v)
            return
        }
        guard decomposesToLatinBase(v), let folded = ICU.foldToASCII(String(scalar)), !folded.isEmpty,
              folded.utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A })
        else {
            units.append(v)
            return
        }
        for byte in folded.utf8 { units.append(UInt32(byte & ~0x20)) }
        if !compatibilityOnly(v) { units.append(0x301) }
    }

    static let withoutDecomposition: Set<UInt32> = [
        0xC6, 0xD0, 0xD7, 0xD8, 0xDE, 0xDF, 0xE6, 0xF0, 0xF7, 0xF8, 0xFE,
        0x110, 0x111, 0x126, 0x127, 0x131, 0x138, 0x141, 0x142, 0x149, 0x14A, 0x14B,
        0x152, 0x153, 0x166, 0x167,
    ]

    /// Latin letters whose NFKD form starts with an ASCII letter.
    static func decomposesToLatinBase(_ v: UInt32) -> Bool {
        switch v {
        case 0xC0...0x17F:
            // Latin-1 Supplement and Latin Extended-A minus the letters (and signs) that do not
            // decompose.
            return !withoutDecomposition.contains(v)
        case 0x1A0, 0x1A1, 0x1AF, 0x1B0, 0x1C4...0x1DC, 0x1DE...0x1E3, 0x1E6...0x1F5, 0x1F8...0x21B,
             0x21E, 0x21F, 0x226...0x233:
            return true
        case 0x1E00...0x1E9B, 0x1EA0...0x1EF9:
            return true
        default:
            return false
        }
    }

    /// Letters whose NFKD form has no mark (ligatures, long s).
    static func compatibilityOnly(_ v: UInt32) -> Bool {
        switch v {
        case 0x132, 0x133, 0x13F, 0x140, 0x17F, 0x1C4...0x1CC, 0x1F1...0x1F3: return true
        default: return false
        }
    }
}
