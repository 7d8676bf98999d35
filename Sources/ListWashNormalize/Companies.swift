/// The outcome of normalizing a company name.
public struct CompanyResult: Sendable, Hashable {
    /// The name for display: invisible characters removed, spaces folded, NFC; case kept.
    public var name = ""
    /// The matching key: folded to ASCII, without legal suffixes and a leading "The".
    public var key = ""
    /// `company_invalid` when the value has no letters or digits or is a placeholder ("N/A").
    public var flags: [NormalizationFlag] = []
}

/// Normalizes company names for display and matching.
///
/// ```swift
/// let companies = CompanyNormalizer()
/// CompanyNormalizer.matchingKey("Acme, Inc.")          // "acme"
/// CompanyNormalizer.matchingKey("ACME Incorporated")   // "acme"
/// CompanyNormalizer.matchingKey("The Acme Company")    // "acme"
/// CompanyNormalizer.matchingKey("Johnson & Johnson")   // "johnson and johnson"
/// CompanyNormalizer.matchingKey("Acme Group")          // "acme group" (kept: see below)
/// ```
/// The key drops, from the end, legal-form words (``legalSuffixes``: Inc, Corp, LLC, Ltd, GmbH,
/// S.A., PLC, Co., Company, ...) and a dangling "and" ("Smith & Co." → "smith"), and a leading
/// "The"; it never drops the last remaining word. Words that often tell entities apart (Group,
/// Holdings, International, Technologies) are kept. `&` standing alone reads as "and"; inside a
/// word it vanishes ("AT&T" → "att"); dots and apostrophes vanish ("S.A." → "sa").
public struct CompanyNormalizer: Sendable {
    /// A company normalizer (it needs no reference data).
    public init() {}

    /// Normalizes one company name.
    /// - Complexity: O(*n*).
    public func normalize(_ raw: String?) -> CompanyResult {
        var result = CompanyResult()
        guard let raw, raw.utf8.count <= TextCleaning.MaximumLength.company else {
            if raw != nil { result.flags.append(.companyInvalid) }
            return result
        }
        let name = TextCleaning.cleaned(raw)
        guard !name.isEmpty else { return result }
        let key = Self.matchingKey(name)
        if key.isEmpty || Self.placeholders.contains(key) {
            result.flags.append(.companyInvalid)
            return result
        }
        result.name = name
        result.key = key
        return result
    }

    /// The display form: trimmed, spaces folded, invisible characters removed, NFC.
    ///
    /// ```swift
    /// CompanyNormalizer.displayName("  Acme\u{00A0} Corp. ") // "Acme Corp."
    /// ```
    public static func displayName(_ raw: String) -> String {
        TextCleaning.cleaned(raw)
    }

    /// The matching key of a company name (see the type's description).
    /// - Complexity: O(*n*); ICU only for non-ASCII text.
    public static func matchingKey(_ raw: String) -> String {
        TextCleaning.foldedKeyBytes(raw).withUnsafeBufferPointer { key in
            let words = TextCleaning.words(key)
            var first = 0, last = words.count
            func text(_ word: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: key[word]), as: UTF8.self) }
            if words.count > 1, text(words[0]) == "the" { first = 1 }
            while last - first > 1 {
                let word = words[last - 1], previous = words[last - 2]
                if last - first > 2, word.count == 1, previous.count == 1, legalSuffixes.contains(text(previous) + text(word)) {
                    last -= 2  // "S. A." read as "s a"
                } else if legalSuffixes.contains(text(word)) || text(word) == "and" {
                    last -= 1
                } else {
                    break
                }
            }
            // The words are separated by single spaces: the key is one slice.
            return first < last ? text(words[first].lowerBound..<words[last - 1].upperBound) : ""
        }
    }

    /// Legal-form words the key drops from the end of a name, as folded keys.
    public static let legalSuffixes: Set<String> = [
        "inc", "incorporated", "corp", "corporation", "co", "company", "cos", "llc", "pllc", "llp", "lp", "lllp",
        "ltd", "limited", "plc", "gmbh", "ag", "kg", "kgaa", "ohg", "ug", "sa", "sas", "sarl", "srl", "spa", "bv",
        "nv", "ab", "oy", "oyj", "kk", "pty", "pvt", "pte", "sdn", "bhd", "lda", "ltda", "se", "ulc", "pc", "aps",
        "asa", "sl", "sro", "zrt", "kft",
    ]

    static let placeholders: Set<String> = ["n a", "na", "none", "null", "nil", "unknown", "tbd", "test", "xxx", "x", "0"]
}
