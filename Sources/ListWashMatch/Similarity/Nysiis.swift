// NYSIIS (New York State Identification and Intelligence System) phonetic code, jellyfish 1.x's
// variant: codes are not cut to 6 characters, and W after a vowel repeats that vowel.

extension Phonetic {
    /// NYSIIS code of a name (jellyfish's variant, not truncated).
    ///
    /// Upper-cases the name, rewrites prefixes (MAC → MCC, KN → N, K → C, PH / PF → FF,
    /// SCH → SSS) and suffixes (EE / IE → Y; DT, RT, RD, NT, ND → D), keeps the first letter,
    /// translates the rest (vowels → A, EV → AF, Q → G, Z → S, M → N, KN → N, K → C,
    /// SCH → SSS, PH → FF, H and W after vowels), drops repeats, then a trailing S, AY → Y and a
    /// trailing A. Counts Unicode scalars. The empty string gives `""`.
    ///
    ///     Phonetic.nysiis("Catherine")   // "CATARAN"
    ///     Phonetic.nysiis("MacArthur")   // "MCARTAR"
    ///
    /// - Complexity: O(n).
    public static func nysiis(_ name: String) -> String {
        if name.isEmpty { return "" }
        let upper: String = TextUnits.isASCII(name)
            ? String(decoding: name.utf8.map { ($0 >= 0x61 && $0 <= 0x7A) ? $0 - 0x20 : $0 }, as: UTF8.self)
            : name.uppercased()
        var v = Array(upper.unicodeScalars)
        if v.isEmpty { return "" }
        func starts(_ prefix: String) -> Bool { upper.unicodeScalars.starts(with: prefix.unicodeScalars) }
        func ends(_ suffix: String) -> Bool {
            upper.unicodeScalars.reversed().starts(with: suffix.unicodeScalars.reversed())
        }
        // Step 1: prefixes.
        if starts("MAC") {
            v[1] = "C"
        } else if starts("KN") {
            v.removeFirst()
        } else if starts("K") {
            v[0] = "C"
        } else if starts("PH") || starts("PF") {
            v[0] = "F"
            v[1] = "F"
        } else if starts("SCH") {
            v[1] = "S"
            v[2] = "S"
        }
        // Step 2: suffixes.
        if ends("IE") || ends("EE") {
            v.removeLast(min(2, v.count))
            v.append("Y")
        } else if ends("DT") || ends("RT") || ends("RD") || ends("NT") || ends("ND") {
            v.removeLast(min(2, v.count))
            v.append("D")
        }
        func isVowel(_ c: Unicode.Scalar) -> Bool { c == "A" || c == "E" || c == "I" || c == "O" || c == "U" }
        // Steps 3 and 4: the first letter, then the rest translated.
        var key: [Unicode.Scalar] = [v[0]]
        var i = 1
        while i < v.count {
            var chars: [Unicode.Scalar]
            let c = v[i]
            if c == "E" && i + 1 < v.count && v[i + 1] == "V" {
                i += 1
                chars = ["A", "F"]
            } else if isVowel(c) {
                chars = ["A"]
            } else if c == "Q" {
                chars = ["G"]
            } else if c == "Z" {
                chars = ["S"]
            } else if c == "M" {
                chars = ["N"]
            } else if c == "K" {
                chars = i + 1 < v.count && v[i + 1] == "N" ? ["N"] : ["C"]
            } else if c == "S" && i + 2 < v.count && v[i + 1] == "C" && v[i + 2] == "H" {
                i += 2
                chars = ["S", "S"]
            } else if c == "P" && i + 1 < v.count && v[i + 1] == "H" {
                i += 1
                chars = ["F"]
            } else if c == "H"
                && (!isVowel(v[i - 1]) || (i + 1 < v.count && !isVowel(v[i + 1])) || i + 1 == v.count) {
                chars = isVowel(v[i - 1]) ? ["A"] : [v[i - 1]]
            } else if c == "W" && isVowel(v[i - 1]) {
                chars = [v[i - 1]]
            } else {
                chars = [c]
            }
            if chars.last! != key.last! { key.append(contentsOf: chars) }
            i += 1
        }
        // Step 5: trailing S; step 6: AY -> Y; step 7: trailing A.
        if key.last == "S" && key.count > 1 { key.removeLast() }
        if key.count >= 2 && key[key.count - 2] == "A" && key[key.count - 1] == "Y" { key.remove(at: key.count - 2) }
        if key.last == "A" && key.count > 1 { key.removeLast() }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: key)
        return String(out)
    }
}
