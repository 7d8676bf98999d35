// Double Metaphone (Lawrence Philips, C/C++ Users Journal, June 2000), following the Ruby `text`
// gem 1.3.1 (Tim Fletcher's port of Stephen Woodbridge's PHP version) rule for rule, including
// its reading of positions before the start of the word as blanks, codes cut to 4 characters,
// "0" (theta) for TH, and Ç / Ñ handled as S / N.

/// Phonetic codes for names: similar-sounding names get equal codes.
public enum Phonetic {}

extension Phonetic {
    /// Double Metaphone codes of a word: a primary code and an alternate (secondary) code, each
    /// at most 4 characters from `A F H J K L M N P R S T X 0` (`0` stands for "th").
    ///
    /// When the word has no distinct alternate pronunciation, `secondary` equals `primary`. The
    /// empty string gives two empty codes. Letters are upper-cased first; characters other than
    /// letters (and Ç, Ñ) are skipped.
    ///
    ///     Phonetic.doubleMetaphone("Schmidt")   // (primary: "XMT", secondary: "SMT")
    ///     Phonetic.doubleMetaphone("Thompson")  // (primary: "TMPS", secondary: "TMPS")
    ///
    /// - Complexity: O(n) in the length of the word; stops once both codes have 4 characters.
    public static func doubleMetaphone(_ word: String) -> (primary: String, secondary: String) {
        var encoder = DoubleMetaphoneEncoder(word)
        return encoder.encode()
    }
}

struct DoubleMetaphoneEncoder {
    /// The upper-cased word.
    private let s: [Unicode.Scalar]
    /// Length of the word as given (the gem uses the length before upper-casing).
    private let length: Int
    private let last: Int
    private let slavoGermanic: Bool
    private var primary: [UInt8] = []
    private var secondary: [UInt8] = []

    init(_ word: String) {
        let upper: String
        if TextUnits.isASCII(word) {
            upper = String(decoding: word.utf8.map { ($0 >= 0x61 && $0 <= 0x7A) ? $0 - 0x20 : $0 }, as: UTF8.self)
        } else {
            upper = word.uppercased()
        }
        s = Array(upper.unicodeScalars)
        length = word.unicodeScalars.count
        last = length - 1
        var slavo = false
        for (i, c) in s.enumerated() where c == "W" || c == "K" || (c == "C" && i + 1 < s.count && s[i + 1] == "Z") {
            slavo = true
            break
        }
        slavoGermanic = slavo
    }

    mutating func encode() -> (primary: String, secondary: String) {
        var current = 0
        if at(0, "GN") || at(0, "KN") || at(0, "PN") || at(0, "WR") || at(0, "PS") { current += 1 }
        if c(0) == "X" {
            emit("S", "S")
            current += 1
        }
        while (primary.count < 4 || secondary.count < 4) && current <= length {
            current += step(current)
        }
        let p = String(decoding: primary.prefix(4), as: UTF8.self)
        let q = String(decoding: secondary.prefix(4), as: UTF8.self)
        return (p, q)
    }

    // MARK: reading the word

    /// The character at `i`; a blank before the start and past the end (the gem pads with
    /// blanks, and its negative indices read the padding).
    @inline(__always)
    private func c(_ i: Int) -> Unicode.Scalar {
        i >= 0 && i < s.count ? s[i] : " "
    }

    /// Whether the word has `literal` at `i`.
    private func at(_ i: Int, _ literal: StaticString) -> Bool {
        var k = i
        for byte in UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount) {
            if c(k).value != UInt32(byte) { return false }
            k += 1
        }
        return true
    }

    /// Whether the character at `i` is one of `set` (ASCII).
    private func isIn(_ i: Int, _ set: StaticString) -> Bool {
        let v = c(i).value
        for byte in UnsafeBufferPointer(start: set.utf8Start, count: set.utf8CodeUnitCount) where UInt32(byte) == v {
            return true
        }
        return false
    }

    private func vowel(_ i: Int) -> Bool { isIn(i, "AEIOUY") }

    private mutating func emit(_ p: StaticString?, _ q: StaticString?) {
        if let p { primary.append(contentsOf: UnsafeBufferPointer(start: p.utf8Start, count: p.utf8CodeUnitCount)) }
        if let q { secondary.append(contentsOf: UnsafeBufferPointer(start: q.utf8Start, count: q.utf8CodeUnitCount)) }
    }

    // MARK: rules

    /// Encodes the character at `pos`; returns how many characters it consumed.
    private mutating func step(_ pos: Int) -> Int {
        switch c(pos) {
        case "A", "E", "I", "O", "U", "Y":
            if pos == 0 { emit("A", "A") }
            return 1
        case "B":
            emit("P", "P")
            return c(pos + 1) == "B" ? 2 : 1
        case "Ç":
            emit("S", "S")
            return 1
        case "C":
            return stepC(pos)
        case "D":
            if at(pos, "DG") {
                if isIn(pos + 2, "IEY") {
                    emit("J", "J")
                    return 3
                }
                emit("TK", "TK")
                return 2
            }
            emit("T", "T")
            return at(pos, "DT") || at(pos, "DD") ? 2 : 1
        case "F":
            emit("F", "F")
            return c(pos + 1) == "F" ? 2 : 1
        case "G":
            return stepG(pos)
        case "H":
            if (pos == 0 || vowel(pos - 1)) && vowel(pos + 1) {
                emit("H", "H")
                return 2
            }
            return 1
        case "J":
            return stepJ(pos)
        case "K":
            emit("K", "K")
            return c(pos + 1) == "K" ? 2 : 1
        case "L":
            if c(pos + 1) == "L" {
                let spanish = (pos == length - 3 && (at(pos - 1, "ILLO") || at(pos - 1, "ILLA") || at(pos - 1, "ALLE")))
                    || ((at(last - 1, "AS") || at(last - 1, "OS") || isIn(last, "AO")) && at(pos - 1, "ALLE"))
                emit("L", spanish ? nil : "L")
                return 2
            }
            emit("L", "L")
            return 1
        case "M":
            emit("M", "M")
            if (at(pos - 1, "UMB") && (pos == last - 1 || at(pos + 2, "ER"))) || c(pos + 1) == "M" { return 2 }
            return 1
        case "N":
            emit("N", "N")
            return c(pos + 1) == "N" ? 2 : 1
        case "Ñ":
            emit("N", "N")
            return 1
        case "P":
            if c(pos + 1) == "H" {
                emit("F", "F")
                return 2
            }
            emit("P", "P")
            return isIn(pos + 1, "PB") ? 2 : 1
        case "Q":
            emit("K", "K")
            return c(pos + 1) == "Q" ? 2 : 1
        case "R":
            let advance = c(pos + 1) == "R" ? 2 : 1
            if pos == last && !slavoGermanic && at(pos - 2, "IE") && !(at(pos - 4, "ME") || at(pos - 4, "MA")) {
                emit(nil, "R")
            } else {
                emit("R", "R")
            }
            return advance
        case "S":
            return stepS(pos)
        case "T":
            if at(pos, "TION") || at(pos, "TIA") || at(pos, "TCH") {
                emit("X", "X")
                return 3
            }
            if at(pos, "TH") || at(pos, "TTH") {
                if at(pos + 2, "OM") || at(pos + 2, "AM") || at(0, "VAN ") || at(0, "VON ") || at(0, "SCH") {
                    emit("T", "T")
                } else {
                    emit("0", "T")
                }
                return 2
            }
            emit("T", "T")
            return isIn(pos + 1, "TD") ? 2 : 1
        case "V":
            emit("F", "F")
            return c(pos + 1) == "V" ? 2 : 1
        case "W":
            return stepW(pos)
        case "X":
            let advance = isIn(pos + 1, "CX") ? 2 : 1
            let frenchSilent = pos == last
                && (at(pos - 3, "IAU") || at(pos - 3, "EAU") || at(pos - 2, "AU") || at(pos - 2, "OU"))
            if !frenchSilent { emit("KS", "KS") }
            return advance
        case "Z":
            if c(pos + 1) == "H" {
                emit("J", "J")
                return 2
            }
            let advance = c(pos + 1) == "Z" ? 2 : 1
            if at(pos + 1, "ZO") || at(pos + 1, "ZI") || at(pos + 1, "ZA")
                || (slavoGermanic && pos > 0 && c(pos - 1) != "T") {
                emit("S", "TS")
            } else {
                emit("S", "S")
            }
            return advance
        default:
            return 1
        }
    }

    private mutating func stepC(_ pos: Int) -> Int {
        // Germanic "-ACH-" (but not "-ACHI-", "-ACHE-" except BACHER / MACHER).
        if pos > 1 && !vowel(pos - 2) && at(pos - 1, "ACH") && c(pos + 2) != "I"
            && (c(pos + 2) != "E" || at(pos - 2, "BACHER") || at(pos - 2, "MACHER")) {
            emit("K", "K")
            return 2
        }
        if pos == 0 && at(pos, "CAESAR") {
            emit("S", "S")
            return 2
        }
        if at(pos, "CHIA") {
            emit("K", "K")
            return 2
        }
        if at(pos, "CH") {
            if pos > 0 && at(pos, "CHAE") {
                emit("K", "X")
                return 2
            }
            if pos == 0
                && (at(pos + 1, "HARAC") || at(pos + 1, "HARIS") || at(pos + 1, "HOR") || at(pos + 1, "HYM")
                    || at(pos + 1, "HIA") || at(pos + 1, "HEM"))
                && !at(0, "CHORE") {
                emit("K", "K")
                return 2
            }
            if at(0, "VAN ") || at(0, "VON ") || at(0, "SCH")
                || at(pos - 2, "ORCHES") || at(pos - 2, "ARCHIT") || at(pos - 2, "ORCHID")
                || isIn(pos + 2, "TS")
                || ((pos == 0 || isIn(pos - 1, "AOUE")) && isIn(pos + 2, "LRNMBHFVW ")) {
                emit("K", "K")
                return 2
            }
            if pos > 0 {
                emit(at(0, "MC") ? "K" : "X", "K")
                return 2
            }
            emit("X", "X")
            return 2
        }
        if at(pos, "CZ") && !at(pos - 2, "WICZ") {
            emit("S", "X")
            return 2
        }
        if at(pos + 1, "CIA") {
            emit("X", "X")
            return 3
        }
        if at(pos, "CC") && !(pos == 1 && c(0) == "M") {
            if isIn(pos + 2, "IEH") && !at(pos + 2, "HU") {
                if (pos == 1 && c(pos - 1) == "A") || at(pos - 1, "UCCEE") || at(pos - 1, "UCCES") {
                    emit("KS", "KS")
                } else {
                    emit("X", "X")
                }
                return 3
            }
            emit("K", "K")
            return 2
        }
        if at(pos, "CK") || at(pos, "CG") || at(pos, "CQ") {
            emit("K", "K")
            return 2
        }
        if at(pos, "CI") || at(pos, "CE") || at(pos, "CY") {
            emit("S", at(pos, "CIO") || at(pos, "CIE") || at(pos, "CIA") ? "X" : "S")
            return 2
        }
        emit("K", "K")
        if c(pos + 1) == " " && isIn(pos + 2, "CQG") { return 3 }
        return isIn(pos + 1, "CKQ") && !at(pos + 1, "CE") && !at(pos + 1, "CI") ? 2 : 1
    }

    private mutating func stepG(_ pos: Int) -> Int {
        if c(pos + 1) == "H" {
            if pos > 0 && !vowel(pos - 1) {
                emit("K", "K")
            } else if pos == 0 {
                if c(pos + 2) == "I" { emit("J", "J") } else { emit("K", "K") }
            } else if (pos > 1 && isIn(pos - 2, "BHD")) || (pos > 2 && isIn(pos - 3, "BHD"))
                || (pos > 3 && isIn(pos - 4, "BH")) {
                // silent, as in "hugh", "bough", "broughton"
            } else if pos > 2 && c(pos - 1) == "U" && isIn(pos - 3, "CGLRT") {
                emit("F", "F")
            } else if pos > 0 && c(pos - 1) != "I" {
                emit("K", "K")
            }
            return 2
        }
        if c(pos + 1) == "N" {
            if pos == 1 && vowel(0) && !slavoGermanic {
                emit("KN", "N")
            } else if !at(pos + 2, "EY") && c(pos + 1) != "Y" && !slavoGermanic {
                emit("N", "KN")
            } else {
                emit("KN", "KN")
            }
            return 2
        }
        if at(pos + 1, "LI") && !slavoGermanic {
            emit("KL", "L")
            return 2
        }
        if pos == 0
            && (c(pos + 1) == "Y" || at(pos + 1, "ES") || at(pos + 1, "EP") || at(pos + 1, "EB")
                || at(pos + 1, "EL") || at(pos + 1, "EY") || at(pos + 1, "EI") || at(pos + 1, "ER")
                || at(pos + 1, "IB") || at(pos + 1, "IL") || at(pos + 1, "IN") || at(pos + 1, "IE")) {
            emit("K", "J")
            return 2
        }
        if (at(pos + 1, "ER") || c(pos + 1) == "Y")
            && !(at(0, "DANGER") || at(0, "RANGER") || at(0, "MANGER"))
            && !isIn(pos - 1, "EI")
            && !(at(pos - 1, "RGY") || at(pos - 1, "OGY")) {
            emit("K", "J")
            return 2
        }
        if isIn(pos + 1, "EIY") || at(pos - 1, "AGGI") || at(pos - 1, "OGGI") {
            if at(0, "VAN ") || at(0, "VON ") || at(0, "SCH") || at(pos + 1, "ET") {
                emit("K", "K")
            } else if at(pos + 1, "IER ") {
                emit("J", "J")
            } else {
                emit("J", "K")
            }
            return 2
        }
        emit("K", "K")
        return c(pos + 1) == "G" ? 2 : 1
    }

    private mutating func stepJ(_ pos: Int) -> Int {
        if at(pos, "JOSE") || at(0, "SAN ") {
            if (pos == 0 && c(pos + 4) == " ") || at(0, "SAN ") {
                emit("H", "H")
            } else {
                emit("J", "H")
            }
            return 1
        }
        let advance = c(pos + 1) == "J" ? 2 : 1
        if pos == 0 {
            emit("J", "A")
        } else if vowel(pos - 1) && !slavoGermanic && isIn(pos + 1, "AO") {
            emit("J", "H")
        } else if pos == last {
            emit("J", nil)
        } else if !isIn(pos + 1, "LTKSNMBZ") && !isIn(pos - 1, "SKL") {
            emit("J", "J")
        }
        return advance
    }

    private mutating func stepS(_ pos: Int) -> Int {
        if at(pos - 1, "ISL") || at(pos - 1, "YSL") { return 1 }
        if pos == 0 && at(pos, "SUGAR") {
            emit("X", "S")
            return 1
        }
        if at(pos, "SH") {
            if at(pos + 1, "HEIM") || at(pos + 1, "HOEK") || at(pos + 1, "HOLM") || at(pos + 1, "HOLZ") {
                emit("S", "S")
            } else {
                emit("X", "X")
            }
            return 2
        }
        if at(pos, "SIO") || at(pos, "SIA") || at(pos, "SIAN") {
            emit("S", slavoGermanic ? "S" : "X")
            return 3
        }
        if (pos == 0 && isIn(pos + 1, "MNLW")) || c(pos + 1) == "Z" {
            emit("S", "X")
            return c(pos + 1) == "Z" ? 2 : 1
        }
        if at(pos, "SC") {
            if c(pos + 2) == "H" {
                if at(pos + 3, "OO") || at(pos + 3, "ER") || at(pos + 3, "EN") || at(pos + 3, "UY")
                    || at(pos + 3, "ED") || at(pos + 3, "EM") {
                    emit(at(pos + 3, "ER") || at(pos + 3, "EN") ? "X" : "SK", "SK")
                } else {
                    emit("X", pos == 0 && !vowel(3) && c(pos + 3) != "W" ? "S" : "X")
                }
                return 3
            }
            emit(isIn(pos + 2, "IEY") ? "S" : "SK", isIn(pos + 2, "IEY") ? "S" : "SK")
            return 3
        }
        emit(pos == last && (at(pos - 2, "AI") || at(pos - 2, "OI")) ? nil : "S", "S")
        return isIn(pos + 1, "SZ") ? 2 : 1
    }

    private mutating func stepW(_ pos: Int) -> Int {
        if at(pos, "WR") {
            emit("R", "R")
            return 2
        }
        var p: StaticString? = nil
        var q: StaticString? = nil
        if pos == 0 && (vowel(pos + 1) || at(pos, "WH")) {
            p = "A"
            q = vowel(pos + 1) ? "F" : "A"
        }
        if (pos == last && vowel(pos - 1)) || at(0, "SCH")
            || at(pos - 1, "EWSKI") || at(pos - 1, "EWSKY") || at(pos - 1, "OWSKI") || at(pos - 1, "OWSKY") {
            emit(p, nil)
            emit(nil, q)
            emit(nil, "F")
            return 1
        }
        if at(pos, "WICZ") || at(pos, "WITZ") {
            emit(p, q)
            emit("TS", "FX")
            return 4
        }
        emit(p, q)
        return 1
    }
}
