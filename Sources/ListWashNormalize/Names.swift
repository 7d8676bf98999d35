/// A person's name in parts.
public struct PersonName: Sendable, Hashable {
    /// A title before the name: `"Dr."`, `"Mrs."`.
    public var prefix: String = ""
    /// The given name: `"Jane"`.
    public var first: String = ""
    /// Middle names and initials: `"A."`.
    public var middle: String = ""
    /// The family name with its particles: `"Doe"`, `"van der Berg"`.
    public var last: String = ""
    /// Generational suffixes and credentials: `"Jr."`, `"PhD"`.
    public var suffix: String = ""

    /// The generational suffix among ``suffix``, in the canonical form the
    /// `listwash_name_suffix` column holds: `"Jr"`, `"Sr"`, `"II"`, `"III"` or `"IV"`; empty
    /// when there is none (credentials such as `"PhD"` are not generational).
    ///
    /// ```swift
    /// PersonName(last: "Smith", suffix: "III MD").generationalSuffix // "III"
    /// PersonName(last: "Smith", suffix: "2nd").generationalSuffix    // "II"
    /// PersonName(last: "Doe", suffix: "PhD").generationalSuffix      // ""
    /// ```
    /// - Complexity: O(*n*) in the length of ``suffix``.
    public var generationalSuffix: String { NameNormalizer.generation(amongSuffixes: suffix) }

    /// An empty name, or one from its parts.
    public init(prefix: String = "", first: String = "", middle: String = "", last: String = "", suffix: String = "") {
        self.prefix = prefix
        self.first = first
        self.middle = middle
        self.last = last
        self.suffix = suffix
    }
}

/// The outcome of normalizing a person's name.
public struct NameResult: Sendable, Hashable {
    /// The cleaned name in parts.
    public var name = PersonName()
    /// The first name folded to ASCII and mapped from a nickname to its formal name
    /// (`"Bob"` → `"robert"`); see ``NameNormalizer/firstNameKey(_:)``.
    public var firstNameKey = ""
    /// The last name folded to ASCII (`"Müller"` → `"muller"`).
    public var lastNameKey = ""
    /// First and last name folded to ASCII (`"José Müller"` → `"jose muller"`).
    public var nameKey = ""
    /// What was noticed: `name_case_fixed`, `name_split`, `name_incomplete`, `name_swapped`, `name_invalid`.
    public var flags: [NormalizationFlag] = []
}

/// Cleans, cases, splits and keys person names.
///
/// ```swift
/// let names = NameNormalizer()
/// NameNormalizer.properCased("mary o'brien")              // "Mary O'Brien"
/// NameNormalizer.split(fullName: "Dr. Jane A. Doe, PhD")  // first "Jane", last "Doe"
/// names.normalize(last: "Reed, JR").name                  // last "Reed", generationalSuffix "Jr"
/// NameNormalizer.matchingKey("José Müller")               // "jose muller"
/// names.firstNameKey("Peggy")                             // "margaret"
/// names.normalize(first: "GARCIA", last: "MARIA").flags  // [.nameCaseFixed, .nameSwapped]
/// ```
/// Casing is fixed only for text that is all upper case or all lower case; mixed case is the
/// writer's choice and is kept. See `Docs/normalization.md` for the rules.
public struct NameNormalizer: Sendable {
    let nicknames: NicknameDirectory

    /// A normalizer over the given reference data.
    public init(data: ReferenceData = .shared) {
        nicknames = data.names
    }

    /// Normalizes a name given as first and last name columns, or as one full-name column.
    ///
    /// The full name is split only when both first and last are empty. When the first-name
    /// column holds a value that is not a known given name and the last-name column holds one
    /// (`first: "Smith", last: "John"`), the result is flagged `name_swapped` and the values
    /// are kept where they were given (a wrong swap would corrupt a correct record).
    ///
    /// When the last name is empty (missing, blank or not a plausible name) and the first-name
    /// column holds several words, it is taken for a whole name and split as a full name is
    /// (``split(fullName:)``, flagged `name_split`): `first: "Laura Heath"` gives first "Laura",
    /// last "Heath"; `first: "Heath, Laura"` the same. It stays a first name when the split
    /// leaves no last name longer than an initial. Two given names without a last name split
    /// too: `first: "Mary Ann"` gives first "Mary", last "Ann" (nothing tells a double given
    /// name from a given name and a family name).
    ///
    /// Suffixes at the end of the last name ("Reed, JR", "Smith III", "Doe, PhD") move to the
    /// name's suffix, as do commas and periods left at its end; so does a generational suffix
    /// at the end of the first name when the last name is empty ("John Jr") or the first name
    /// is not a given name (names swapped: "Welandez, Jr." and "Alex"). A suffix moves
    /// only when a name remains before it: a last name "Junior" stays. The result's
    /// ``PersonName/generationalSuffix`` is the `listwash_name_suffix` column.
    ///
    /// A first name that is an initial loses its period ("m." → "M", as a last name "J." gives
    /// "J"), and a middle initial at the end of a first name moves to ``PersonName/middle``
    /// ("Carolyn S." → first "Carolyn", middle "S."; "Melanie D" → "Melanie", "D"), so that
    /// matching compares the given name (and an initial with the letter of a given name).
    /// - Returns: the cleaned name, its matching keys and flags. Never throws.
    /// - Complexity: O(*n*) in the length of the input.
    public func normalize(first: String? = nil, last: String? = nil, full: String? = nil) -> NameResult {
        var result = NameResult()
        let firstPart = part(first, role: .first)
        let lastPart = part(last, role: .last)
        var flags = FlagSet()
        let combined = combine(
            firstPart, lastPart, fullByteCount: full?.utf8.count, fullText: { TextCleaning.cleaned(full ?? "") },
            flags: &flags, order: &result.flags, recordsOrder: true)
        result.name = combined.name
        let firstKey = combined.firstKey, lastKey = combined.lastKey
        result.firstNameKey = nicknames.canonical[firstKey] ?? firstKey
        result.lastNameKey = lastKey
        result.nameKey = firstKey.isEmpty || lastKey.isEmpty ? firstKey + lastKey : firstKey + " " + lastKey
        return result
    }

    /// Which name column a ``NamePart`` comes from.
    enum PartRole { case first, last }

    /// One name column's value worked out on its own (internal): what ``normalize(first:last:full:)``
    /// needs from it, computed once per distinct raw value (the normalize stage caches it).
    struct NamePart: Sendable {
        /// What is known of a part besides its text, one bit each (what the normalize stage's
        /// cache keeps with the value, and all that ``NameNormalizer/columnFlags(_:_:raise:)``
        /// reads).
        struct Traits: OptionSet, Sendable {
            let rawValue: UInt64
            /// The value was over the length cap.
            static let tooLong = Traits(rawValue: 1)
            /// The cleaned text was empty (missing, blank, invisible characters only, or too long).
            static let isEmpty = Traits(rawValue: 2)
            /// Proper casing changed the cleaned text.
            static let caseFixed = Traits(rawValue: 4)
            /// The value was not a plausible name and was emptied.
            static let invalid = Traits(rawValue: 8)
            /// The key is one word (not empty, no space): a swap of first and last name can be told.
            static let isOneWord = Traits(rawValue: 16)
            /// The key is a known given name.
            static let isGivenName = Traits(rawValue: 32)
            /// The key is one letter (an initial).
            static let isInitial = Traits(rawValue: 64)
            /// A first-name value that is one word, not a known given name, and a generational
            /// suffix ("Welandez, Jr."): a surname with its suffix, the names swapped.
            static let isSuffixedSurname = Traits(rawValue: 128)
        }

        var traits: Traits = [.isEmpty]
        /// The title (first name) or suffixes (last name) moved out of the value.
        var moved = ""
        /// A first name's middle initial moved out of the end of the value ("S." of
        /// "Carolyn S."); empty otherwise.
        var middle = ""
        /// The value after casing and moving; empty when it is not a plausible name.
        var value = ""
        /// The generational suffix in canonical form ("Jr", "III"; see
        /// ``PersonName/generationalSuffix``): for a last name, the one among ``moved``; for a
        /// first name, the one still at the end of ``value``, moved out only when the last name
        /// is empty (see ``unsuffixed``).
        var generation = ""
        /// A first name's value without its trailing generational suffix and the spaces and
        /// commas before it ("John" for "John, Jr."); the value itself when there is none, and
        /// for a last name.
        var unsuffixed = ""
        /// ``NameNormalizer/matchingKey(_:)`` of ``value``.
        var key = ""

        var tooLong: Bool { traits.contains(.tooLong) }
        var isEmpty: Bool { traits.contains(.isEmpty) }
        var caseFixed: Bool { traits.contains(.caseFixed) }
        var invalid: Bool { traits.contains(.invalid) }
    }

    /// Works out one name column (see ``NamePart``).
    func part(_ raw: String?, role: PartRole) -> NamePart {
        var part = NamePart()
        guard let raw else { return part }
        guard raw.utf8.count <= TextCleaning.MaximumLength.name else {
            part.traits.insert(.tooLong)
            return part
        }
        let text = TextCleaning.cleaned(raw)
        guard !text.isEmpty else { return part }
        part.traits.remove(.isEmpty)
        var value = Self.properCased(text)
        if value != text { part.traits.insert(.caseFixed) }
        switch role {
        case .first: Self.movePrefix(from: &value, to: &part.moved)
        case .last: Self.moveSuffix(from: &value, to: &part.moved)
        }
        var key = Self.matchingKey(value)
        if !value.isEmpty && !Self.isPlausibleName(value, key: key) {
            value = ""
            key = ""
            part.traits.insert(.invalid)
        }
        switch role {
        case .first:
            let (remaining, found) = Self.trailingSuffixes(of: value, in: Self.generations)
            part.generation = found.first ?? ""
            // The given name: without the generational suffix, a middle initial after it, and
            // the period of an initial ("Carolyn S." → "Carolyn", "m." → "M").
            var given = found.isEmpty ? value[...] : remaining
            let rest = value[given.endIndex...]
            if let (name, initial) = Self.trailingInitial(of: given) {
                given = name
                part.middle = String(initial)
            }
            given = Self.withoutInitialsPeriod(given)
            part.unsuffixed = String(given)
            if given.endIndex != rest.startIndex {
                value = part.unsuffixed + rest
                key = Self.matchingKey(value)
            }
        case .last:
            part.generation = Self.generation(amongSuffixes: part.moved)
            part.unsuffixed = value
        }
        part.value = value
        part.key = key
        if nicknames.givenNames.contains(part.key) { part.traits.insert(.isGivenName) }
        if !part.key.isEmpty && !part.key.utf8.contains(TextCleaning.space) { part.traits.insert(.isOneWord) }
        if part.key.utf8.count == 1 { part.traits.insert(.isInitial) }
        if role == .first, !part.generation.isEmpty {
            let unsuffixedKey = Self.matchingKey(part.unsuffixed)
            if !unsuffixedKey.isEmpty, !unsuffixedKey.utf8.contains(TextCleaning.space), !nicknames.givenNames.contains(unsuffixedKey) {
                part.traits.insert(.isSuffixedSurname)
            }
        }
        return part
    }

    /// Combines the first- and last-name columns (and the full-name column when both are empty)
    /// into a name and its keys, adding flags to `flags` and, when `recordsOrder`, in the order
    /// they are raised to `order`.
    /// - Parameters:
    ///   - fullByteCount: the full-name value's length in bytes, `nil` when there is none.
    ///   - fullText: the cleaned full-name value (called only when it is needed).
    func combine(
        _ firstPart: NamePart, _ lastPart: NamePart, fullByteCount: Int?, fullText cleanedFull: () -> String,
        flags: inout FlagSet, order: inout [NormalizationFlag], recordsOrder: Bool
    ) -> (name: PersonName, firstKey: String, lastKey: String) {
        func raise(_ flag: NormalizationFlag) {
            guard !flags.contains(flag) else { return }
            flags.insert(flag)
            if recordsOrder { order.append(flag) }
        }
        if firstPart.tooLong || lastPart.tooLong { raise(.nameInvalid) }
        var fullText = ""
        if let fullByteCount {
            if fullByteCount > TextCleaning.MaximumLength.name {
                raise(.nameInvalid)
            } else if firstPart.isEmpty && lastPart.isEmpty {
                fullText = cleanedFull()
            }
        }
        if firstPart.isEmpty && lastPart.isEmpty && !fullText.isEmpty {
            var name = Self.split(fullName: fullText)
            name.first = String(Self.withoutInitialsPeriod(name.first[...]))
            raise(.nameSplit)
            if Self.properCased(fullText) != fullText { raise(.nameCaseFixed) }
            if !Self.isPlausibleName(name.first) && !Self.isPlausibleName(name.last) {
                name = PersonName()
                raise(.nameInvalid)
            } else if name.last.isEmpty || name.first.isEmpty {
                raise(.nameIncomplete)
            }
            return (name, Self.matchingKey(name.first), Self.matchingKey(name.last))
        }
        columnFlags(firstPart, lastPart, raise: raise)
        var name = PersonName(
            prefix: firstPart.moved, first: firstPart.value, middle: firstPart.middle, last: lastPart.value, suffix: lastPart.moved)
        var firstKey = firstPart.key
        // Swapped names with the surname's generational suffix ("Welandez, Jr." and "Alex"): the
        // suffix is the person's whichever column holds the surname. Behind a given name ("John
        // Jr" and "Reed") it stays, a part of the first name.
        if !lastPart.value.isEmpty, firstPart.traits.contains(.isSuffixedSurname) {
            name.first = firstPart.unsuffixed
            if lastPart.generation.isEmpty {
                name.suffix = [name.suffix, Self.suffixDisplay[Self.key(firstPart.generation[...])] ?? firstPart.generation]
                    .filter { !$0.isEmpty }.joined(separator: " ")
            }
            return (name, Self.matchingKey(name.first), lastPart.key)
        }
        guard lastPart.value.isEmpty else { return (name, firstKey, lastPart.key) }
        // Without a last name, a generational suffix ends the first name ("John Jr").
        var suffixes = [name.suffix]
        if !firstPart.generation.isEmpty {
            name.first = firstPart.unsuffixed
            firstKey = Self.matchingKey(name.first)
            if lastPart.generation.isEmpty {
                suffixes.append(Self.suffixDisplay[Self.key(firstPart.generation[...])] ?? firstPart.generation)
            }
        }
        if let split = Self.splitFirstName(firstPart) {
            // A whole name in the first-name column ("Laura Heath"): split as a full name.
            raise(.nameSplit)
            name.prefix = [name.prefix, split.prefix].filter { !$0.isEmpty }.joined(separator: " ")
            name.first = split.first
            name.middle = [split.middle, name.middle].filter { !$0.isEmpty }.joined(separator: " ")
            name.last = split.last
            suffixes.insert(split.suffix, at: 1)
            name.suffix = suffixes.filter { !$0.isEmpty }.joined(separator: " ")
            return (name, Self.matchingKey(name.first), Self.matchingKey(name.last))
        }
        name.suffix = suffixes.filter { !$0.isEmpty }.joined(separator: " ")
        return (name, firstKey, lastPart.key)
    }

    /// The name a first-name value holds when it is a whole name ("Laura Heath", "Heath, Laura",
    /// "Dr. Jane A. Doe"), split as a full name is (``split(fullName:)``, its first name without
    /// an initial's period); `nil` when the value is one word, or when the split leaves a first
    /// name or a last name that is not a plausible name, or a last name that is only an initial.
    ///
    /// Splits the given name (``NamePart/unsuffixed``: the title, a trailing generational suffix
    /// and a trailing middle initial are out of it already), so "John Jr" stays a first name.
    /// - Complexity: O(*n*) in the length of the value; nothing for a one-word value.
    static func splitFirstName(_ part: NamePart) -> PersonName? {
        guard !part.traits.contains(.isOneWord), !part.unsuffixed.isEmpty else { return nil }
        var name = split(fullName: part.unsuffixed)
        name.first = String(withoutInitialsPeriod(name.first[...]))
        let lastKey = matchingKey(name.last)
        guard lastKey.utf8.count > 1, isPlausibleName(name.last, key: lastKey), isPlausibleName(name.first) else { return nil }
        return name
    }

    /// The flags of a name taken from the first- and last-name columns (no split):
    /// `name_case_fixed`, `name_invalid`, `name_swapped`.
    @inline(__always)
    func columnFlags(_ firstPart: NamePart, _ lastPart: NamePart, raise: (NormalizationFlag) -> Void) {
        Self.columnFlags(firstPart.traits, lastPart.traits, raise: raise)
    }

    /// ``columnFlags(_:_:raise:)`` from the parts' traits.
    static func columnFlags(_ first: NamePart.Traits, _ last: NamePart.Traits, raise: (NormalizationFlag) -> Void) {
        let both = first.union(last)
        if both.contains(.caseFixed) { raise(.nameCaseFixed) }
        if both.contains(.invalid) { raise(.nameInvalid) }
        if first.contains(.isOneWord) || first.contains(.isSuffixedSurname), last.contains(.isOneWord), !first.contains(.isInitial),
            !first.contains(.isGivenName) && last.contains(.isGivenName)
        {
            raise(.nameSwapped)
        }
    }

    // MARK: Cleaning and casing

    /// Removes invisible characters and stray spaces, composes to NFC, and fixes the case of
    /// all-caps or all-lower text (see ``properCased(_:)``).
    ///
    /// ```swift
    /// NameNormalizer.cleaned("  JOHN\u{200B}  SMITH ") // "John Smith"
    /// ```
    public static func cleaned(_ name: String) -> String {
        properCased(TextCleaning.cleaned(name))
    }

    /// Proper case for text written all in capitals or all in lower case; other text unchanged.
    ///
    /// ```swift
    /// NameNormalizer.properCased("JOHN SMITH")      // "John Smith"
    /// NameNormalizer.properCased("mary o'brien")    // "Mary O'Brien"
    /// NameNormalizer.properCased("ronald mcdonald") // "Ronald McDonald"
    /// NameNormalizer.properCased("jean-luc")        // "Jean-Luc"
    /// NameNormalizer.properCased("ludwig van beethoven") // "Ludwig van Beethoven"
    /// NameNormalizer.properCased("DeShawn")         // "DeShawn" (mixed case is kept)
    /// ```
    /// Each word starts upper case, as does each part after a hyphen, the letter after a one-letter
    /// prefix and apostrophe (O'Brien, D'Angelo), and the letter after a leading "Mc". Particles
    /// (van, von, der, de, da, di, du, del, della, dos, das, la, le, ter, ten, zu, bin, ibn) stay
    /// lower case between other words; roman numerals (II, III, IV) are upper case.
    /// - Complexity: O(*n*).
    public static func properCased(_ text: String) -> String {
        guard needsCaseFix(text) else { return text }
        return properCasedASCII(text) ?? properCasedUnicode(text)
    }

    /// ``properCased(_:)`` of text that needs a case fix, by Unicode scalars.
    static func properCasedUnicode(_ text: String) -> String {
        let lowered = text.lowercased()
        let words = lowered.utf8.split(separator: TextCleaning.space).map { Substring($0) }
        var out: [String] = []
        out.reserveCapacity(words.count)
        for (index, word) in words.enumerated() {
            let isInner = index > 0 && index < words.count - 1
            if isInner && particles.contains(String(word)) {
                out.append(String(word))
            } else if let display = romanNumerals[String(word)] {
                out.append(display)
            } else {
                out.append(capitalized(word))
            }
        }
        return out.joined(separator: " ")
    }

    /// ``properCased(_:)`` of ASCII text that needs a case fix, on bytes (the same rules as
    /// ``properCasedUnicode(_:)`` and ``capitalized(_:)``); `nil` for other text.
    static func properCasedASCII(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            var words: [Range<Int>] = []
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == TextCleaning.space {
                if index > start { words.append(start..<index) }
                start = index + 1
            }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            for (number, range) in words.enumerated() {
                if number > 0 { out.append(TextCleaning.space) }
                let wordStart = out.count
                for index in range { out.append(TextCleaning.lower(bytes[index])) }
                let word = out[wordStart...]
                let isInner = number > 0 && number < words.count - 1
                if isInner || word.allSatisfy({ $0 == UInt8(ascii: "i") || $0 == UInt8(ascii: "v") }) {
                    let lowered = String(decoding: word, as: UTF8.self)
                    if isInner && particles.contains(lowered) { continue }
                    if let display = romanNumerals[lowered] {
                        out.replaceSubrange(wordStart..., with: display.utf8)
                        continue
                    }
                }
                capitalizeASCII(&out, from: wordStart)
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Capitalizes the lower-case ASCII word at `out[start...]` by the rules of ``capitalized(_:)``
    /// (in place: a part's first letter is already upper case when its "Mc" is checked).
    private static func capitalizeASCII(_ out: inout [UInt8], from start: Int) {
        let count = out.count - start
        var partStart = 0, lettersInPart = 0
        for offset in 0..<count {
            let byte = out[start + offset]
            let letter = TextCleaning.isLetter(byte)
            let isMc = offset == partStart + 2 && lettersInPart == 2 && count > offset + 1
                && out[start + partStart] | 0x20 == UInt8(ascii: "m") && out[start + partStart + 1] == UInt8(ascii: "c")
            if letter && (lettersInPart == 0 || isMc) { out[start + offset] = TextCleaning.upper(byte) }
            if byte == UInt8(ascii: "-") {
                partStart = offset + 1
                lettersInPart = 0
            } else if byte == UInt8(ascii: "'") {
                if lettersInPart == 1 {
                    partStart = offset + 1
                    lettersInPart = 0
                }
            } else if letter {
                lettersInPart += 1
            }
        }
    }

    /// `true` when the text has letters and they are all upper case or all lower case.
    static func needsCaseFix(_ text: String) -> Bool {
        var upper = false
        var lower = false
        if TextCleaning.isASCII(text) {
            for byte in text.utf8 {
                if byte >= 0x41 && byte <= 0x5A { upper = true } else if byte >= 0x61 && byte <= 0x7A { lower = true }
            }
        } else {
            for scalar in text.unicodeScalars {
                if scalar.properties.isUppercase { upper = true } else if scalar.properties.isLowercase { lower = true }
            }
        }
        return upper != lower
    }

    /// Capitalizes one lower-case word by the rules of ``properCased(_:)``.
    private static func capitalized(_ word: Substring) -> String {
        let scalars = Array(word.unicodeScalars)
        var out = String.UnicodeScalarView()
        var partStart = 0
        var lettersInPart = 0
        for (index, scalar) in scalars.enumerated() {
            let letter = isLetter(scalar)
            let isMc = index == partStart + 2 && lettersInPart == 2 && scalars.count > index + 1
                && scalars[partStart] == "m" && scalars[partStart + 1] == "c"
            if letter && (lettersInPart == 0 || isMc) {
                appendTitlecased(scalar, to: &out)
            } else {
                out.append(scalar)
            }
            if scalar == "-" || scalar == "\u{2010}" {
                partStart = index + 1
                lettersInPart = 0
            } else if scalar == "'" || scalar == "\u{2019}" {
                if lettersInPart == 1 {  // O'Brien, D'Angelo
                    partStart = index + 1
                    lettersInPart = 0
                }
            } else if letter {
                lettersInPart += 1
            }
        }
        return String(out)
    }

    @inline(__always)
    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? TextCleaning.isLetter(UInt8(scalar.value)) : scalar.properties.isAlphabetic
    }

    private static func appendTitlecased(_ scalar: Unicode.Scalar, to out: inout String.UnicodeScalarView) {
        if scalar.isASCII {
            out.append(Unicode.Scalar(TextCleaning.upper(UInt8(scalar.value))))
        } else {
            out.append(contentsOf: scalar.properties.titlecaseMapping.unicodeScalars)
        }
    }

    // MARK: Splitting

    /// Splits a full name into prefix, first, middle, last and suffix, fixing all-caps or
    /// all-lower case on the way.
    ///
    /// ```swift
    /// NameNormalizer.split(fullName: "Smith, John")            // first "John", last "Smith"
    /// NameNormalizer.split(fullName: "Dr. Jane A. Doe, PhD")   // prefix "Dr.", first "Jane", middle "A.", last "Doe", suffix "PhD"
    /// NameNormalizer.split(fullName: "John Smith Jr.")         // first "John", last "Smith", suffix "Jr."
    /// NameNormalizer.split(fullName: "Ludwig van Beethoven")   // last "van Beethoven"
    /// NameNormalizer.split(fullName: "Robert \"Bob\" Smith")   // first "Robert", last "Smith"
    /// ```
    /// "Last, First" is read when the part after the first comma is not only suffixes. A quoted
    /// or parenthesized nickname is dropped. One remaining word becomes the first name.
    /// - Complexity: O(*n*).
    public static func split(fullName: String) -> PersonName {
        let text = properCased(withoutNicknames(TextCleaning.cleaned(fullName)))
        var parts = text.split(separator: ",").map { $0.split(separator: " ") }.filter { !$0.isEmpty }
        var suffixes: [String] = []
        while parts.count > 1, let tail = parts.last, tail.allSatisfy({ suffixDisplay[key($0)] != nil }) {
            suffixes.insert(contentsOf: tail.compactMap { suffixDisplay[key($0)] }, at: 0)
            parts.removeLast()
        }
        var name = PersonName()
        var given: [Substring]
        var family: [Substring] = []
        if parts.count >= 2 {
            family = parts[0]
            given = parts[1...].flatMap { $0 }
            while family.count > 1, let display = suffixDisplay[key(family[family.count - 1])] {
                suffixes.insert(display, at: 0)
                family.removeLast()
            }
        } else {
            given = parts.first ?? []
        }
        var prefixes: [String] = []
        while given.count > 1, let display = prefixDisplay[key(given[0])] {
            prefixes.append(display)
            given.removeFirst()
        }
        let keepAtEnd = family.isEmpty ? 2 : 1
        while given.count > keepAtEnd, let display = suffixDisplay[key(given[given.count - 1])] {
            suffixes.insert(display, at: 0)
            given.removeLast()
        }
        if family.isEmpty && given.count >= 2 {
            var lastStart = given.count - 1
            while lastStart > 1 && particles.contains(key(given[lastStart - 1])) { lastStart -= 1 }
            family = Array(given[lastStart...])
            given.removeSubrange(lastStart...)
        }
        name.prefix = prefixes.joined(separator: " ")
        name.first = given.first.map(String.init) ?? ""
        name.middle = given.dropFirst().joined(separator: " ")
        name.last = family.joined(separator: " ")
        name.suffix = suffixes.joined(separator: " ")
        return name
    }

    /// Moves a leading title ("Dr. Jane") from a first-name value into the prefix.
    private static func movePrefix(from first: inout String, to prefix: inout String) {
        guard first.utf8.contains(TextCleaning.space) else { return }
        let words = first.split(separator: " ")
        guard words.count > 1, let display = prefixDisplay[key(words[0])] else { return }
        prefix = display
        first = words.dropFirst().joined(separator: " ")
    }

    /// Moves trailing suffixes ("Smith Jr.", "Reed, JR", "Doe, PhD") from a last-name value
    /// into the suffix, and drops the commas and periods left at its end ("Reed," → "Reed",
    /// "J." → "J"). A suffix moves only when a name remains before it ("Junior" alone stays).
    private static func moveSuffix(from last: inout String, to suffix: inout String) {
        let (remaining, found) = trailingSuffixes(of: last, in: suffixDisplay)
        let kept = withoutTrailingPunctuation(remaining)
        guard !found.isEmpty || kept.endIndex != last.endIndex else { return }
        last = String(kept)
        if !found.isEmpty { suffix = found.joined(separator: " ") }
    }

    /// The text without the commas, periods and spaces at its end ("Reed," → "Reed", "J." →
    /// "J"); unchanged when it has nothing else.
    private static func withoutTrailingPunctuation(_ text: Substring) -> Substring {
        guard let end = text.lastIndex(where: { $0 != "," && $0 != "." && $0 != " " }) else { return text }
        return text[...end]
    }

    /// `true` for one letter alone or followed by periods: "M", "m.", "É.".
    private static func isInitialWord(_ word: Substring) -> Bool {
        guard let letter = word.first, letter.isLetter else { return false }
        return word.dropFirst().allSatisfy { $0 == "." }
    }

    /// A first name without the period of an initial ("M." → "M"); other names unchanged.
    private static func withoutInitialsPeriod(_ first: Substring) -> Substring {
        isInitialWord(first) ? withoutTrailingPunctuation(first) : first
    }

    /// A middle initial at the end of a first name, after a space and a word that is not an
    /// initial itself: `("Carolyn", "S.")` for "Carolyn S.", `("Melanie", "D")` for "Melanie D";
    /// `nil` for "J R", "Madonna", and a name with a comma ("Heath, L." is "Last, First").
    /// - Complexity: O(*n*) on bytes; a name whose last word is longer than an initial (most
    ///   names) is told apart by the bytes after its last space.
    private static func trailingInitial(of name: Substring) -> (name: Substring, initial: Substring)? {
        let bytes = name.utf8
        guard let space = bytes.lastIndex(of: TextCleaning.space), bytes.distance(from: space, to: bytes.endIndex) <= 8,
            !bytes.contains(UInt8(ascii: ","))
        else { return nil }
        let initial = name[bytes.index(after: space)...]
        guard isInitialWord(initial), let end = name[..<space].lastIndex(where: { $0 != " " }) else { return nil }
        let kept = name[...end]
        let word = kept[(kept.utf8.lastIndex(of: TextCleaning.space).map { kept.utf8.index(after: $0) } ?? kept.startIndex)...]
        guard !isInitialWord(word), word.contains(where: \.isLetter) else { return nil }
        return (kept, initial)
    }

    /// The suffixes `table` knows (by ``key(_:)``) at the end of `value`, each after a space or
    /// a comma, in their order and in the table's form, taken from the end while a name
    /// remains before them; and that name, without the spaces and commas before the suffixes.
    ///
    /// `trailingSuffixes(of: "Reed, JR", in: suffixDisplay)` is `("Reed", ["Jr."])`;
    /// `trailingSuffixes(of: "Junior", in: suffixDisplay)` is `("Junior", [])`.
    private static func trailingSuffixes(of value: String, in table: [String: String]) -> (remaining: Substring, suffixes: [String]) {
        func isSeparator(_ character: Character) -> Bool { character == " " || character == "," }
        var remaining = value[...]
        var suffixes: [String] = []
        while let end = remaining.lastIndex(where: { !isSeparator($0) }),
            let separator = remaining[...end].lastIndex(where: isSeparator),
            let form = table[key(remaining[remaining.index(after: separator)...end])],
            let kept = remaining[..<separator].lastIndex(where: { !isSeparator($0) })
        {
            suffixes.insert(form, at: 0)
            remaining = remaining[...kept]
        }
        return (remaining, suffixes)
    }

    /// The first generational suffix among `suffixes` (display forms separated by spaces, as
    /// ``PersonName/suffix`` holds them), in canonical form; empty when there is none.
    static func generation(amongSuffixes suffixes: String) -> String {
        guard !suffixes.isEmpty else { return "" }
        for word in suffixes.split(separator: " ") {
            if let generation = generations[key(word)] { return generation }
        }
        return ""
    }

    /// The generation a mailbox gives after the person's last name, when the name columns give
    /// none: "Jr" for `john.smithjr@`, `jsmith81.jr@` or `smith.jr@` of a Smith, "Sr" for
    /// `smithsr@`; `""` otherwise (no last name of two letters or more, or none right before the
    /// marker). Only the letters of the mailbox (before `@` and any `+tag`) and of the last name
    /// count, case folded.
    ///
    /// ```swift
    /// NameNormalizer.generation(inMailbox: "grant.weeks81jr@yahoo.com", lastName: "Weeks") // "Jr"
    /// NameNormalizer.generation(inMailbox: "jrweeks@yahoo.com", lastName: "Weeks")         // ""
    /// ```
    public static func generation(inMailbox email: UnsafeBufferPointer<UInt8>, lastName: UnsafeBufferPointer<UInt8>) -> String {
        // Walks both backwards, letter by letter, without copying (it runs for every record).
        func letter(before index: inout Int, in bytes: UnsafeBufferPointer<UInt8>) -> UInt8? {
            while index > 0 {
                index -= 1
                let byte = bytes[index]
                if byte >= 0x61 && byte <= 0x7A { return byte }
                if byte >= 0x41 && byte <= 0x5A { return byte | 0x20 }
            }
            return nil
        }
        guard lastName.allSatisfy({ $0 < 0x80 }) else { return "" }
        var mailbox = email.firstIndex { $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: "+") } ?? email.count
        guard let r = letter(before: &mailbox, in: email), r == UInt8(ascii: "r"), let marker = letter(before: &mailbox, in: email),
              marker == UInt8(ascii: "j") || marker == UInt8(ascii: "s") else { return "" }
        var last = lastName.count, matched = 0
        while let expected = letter(before: &last, in: lastName) {
            guard letter(before: &mailbox, in: email) == expected else { return "" }
            matched += 1
        }
        guard matched >= 2 else { return "" }
        return marker == UInt8(ascii: "j") ? "Jr" : "Sr"
    }

    /// The text without parenthesized or quoted parts: `Robert "Bob" Smith` → `Robert Smith`.
    private static func withoutNicknames(_ text: String) -> String {
        guard text.contains(where: { "(\"\u{201C}".contains($0) }) else { return text }
        var out = ""
        var closing: Character?
        for character in text {
            if let expected = closing {
                if character == expected { closing = nil }
            } else if character == "(" {
                closing = ")"
            } else if character == "\"" {
                closing = "\""
            } else if character == "\u{201C}" {
                closing = "\u{201D}"
            } else {
                out.append(character)
            }
        }
        return TextCleaning.cleaned(out)
    }

    /// A lookup key for a title, suffix or particle: lower case without dots.
    private static func key(_ word: Substring) -> String {
        String(word.lowercased().filter { $0 != "." })
    }

    /// `true` when a name value has a letter and is not a placeholder such as "N/A" or "unknown".
    static func isPlausibleName(_ value: String) -> Bool {
        isPlausibleName(value, key: nil)
    }

    /// ``isPlausibleName(_:)`` given the value's matching key when it is already known.
    static func isPlausibleName(_ value: String, key: String?) -> Bool {
        guard TextCleaning.isASCII(value) else { return value.contains(where: \.isLetter) }
        guard value.utf8.contains(where: TextCleaning.isLetter) else { return false }
        return value.utf8.count > 12 || !placeholders.contains(key ?? TextCleaning.foldedKey(value))
    }

    // MARK: Keys and nicknames

    /// A key for matching names across spellings and scripts: folded to lower-case ASCII, letters
    /// and digits only, words separated by one space.
    ///
    /// ```swift
    /// NameNormalizer.matchingKey("José Müller")  // "jose muller"
    /// NameNormalizer.matchingKey("O'Brien")      // "obrien"
    /// NameNormalizer.matchingKey("Jean-Luc")     // "jean luc"
    /// ```
    /// - Complexity: O(*n*); ICU only for non-ASCII text.
    public static func matchingKey(_ name: String) -> String {
        TextCleaning.foldedKey(name)
    }

    /// A deterministic key for a first name that maps nicknames to a formal name, so that
    /// "Bob" and "Robert", "Bill" and "William", "Peggy" and "Margaret" share it.
    ///
    /// ```swift
    /// names.firstNameKey("Bob")    // "robert"
    /// names.firstNameKey("ROBERT") // "robert"
    /// names.firstNameKey("Zoë")    // "zoe" (not in the table: the matching key)
    /// ```
    /// The nickname table is not symmetric and one nickname can belong to several names, so no key
    /// can be exact; use ``nameVariants(of:)`` to ask "could these be the same person".
    /// - Complexity: O(*n*) plus one dictionary lookup.
    public func firstNameKey(_ first: String) -> String {
        let key = Self.matchingKey(first)
        return nicknames.canonical[key] ?? key
    }

    /// The names a given name may stand for, as matching keys: itself and, when the table
    /// knows it as a nickname, the formal names it is short for (not a formal name's nicknames).
    ///
    /// Two given names may be the same person when their variants share a name: when one is a
    /// nickname of the other (Bob and Robert, Chris and Crystal) or both are nicknames of one
    /// formal name (Bob and Rob through Robert, Bill and Will through William). Two formal names
    /// that only share a nickname are not related (Christopher and Crystal, both "Chris").
    ///
    /// ```swift
    /// names.nameVariants(of: "Bill").contains("william") // true
    /// names.nameVariants(of: "Christopher")              // ["christopher"]
    /// !names.nameVariants(of: "Bob").isDisjoint(with: names.nameVariants(of: "Rob")) // true
    /// names.nameVariants(of: "Christopher").isDisjoint(with: names.nameVariants(of: "Crystal")) // true
    /// ```
    /// The ``firstNameKey(_:)`` is not among them: it may lie several nickname steps away, and
    /// would relate two formal names through them (Victor → Vic → Victoria).
    /// - Complexity: O(*n* + *k*) for *k* formal names.
    public func nameVariants(of name: String) -> Set<String> {
        let key = Self.matchingKey(name)
        guard !key.isEmpty else { return [] }
        var variants: Set<String> = [key]
        variants.formUnion(nicknames.formalsByNickname[key] ?? [])
        return variants
    }

    /// `true` when the nickname table knows the name as a formal name or a nickname.
    public func isKnownGivenName(_ name: String) -> Bool {
        nicknames.givenNames.contains(Self.matchingKey(name))
    }

    // MARK: Tables

    static let particles: Set<String> = [
        "van", "von", "der", "den", "de", "da", "di", "du", "del", "della", "dos", "das", "la", "le", "ter", "ten",
        "zu", "bin", "ibn", "vander", "vanden",
    ]

    static let romanNumerals: [String: String] = ["ii": "II", "iii": "III", "iv": "IV"]

    static let prefixDisplay: [String: String] = [
        "mr": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "miss": "Miss", "mx": "Mx.", "dr": "Dr.", "doctor": "Dr.",
        "prof": "Prof.", "professor": "Prof.", "rev": "Rev.", "reverend": "Rev.", "fr": "Fr.", "sir": "Sir",
        "dame": "Dame", "hon": "Hon.", "sen": "Sen.", "rep": "Rep.", "gov": "Gov.", "capt": "Capt.", "col": "Col.",
        "gen": "Gen.", "lt": "Lt.", "maj": "Maj.", "sgt": "Sgt.", "mme": "Mme", "mlle": "Mlle", "herr": "Herr",
        "frau": "Frau", "rabbi": "Rabbi", "pastor": "Pastor",
    ]

    /// Suffixes by lookup key (``key(_:)``), in the form ``PersonName/suffix`` holds them.
    static let suffixDisplay: [String: String] = [
        "jr": "Jr.", "junior": "Jr.", "sr": "Sr.", "senior": "Sr.", "ii": "II", "iii": "III", "iv": "IV", "2nd": "2nd", "3rd": "3rd",
        "phd": "PhD", "md": "MD", "dds": "DDS", "dmd": "DMD", "esq": "Esq.", "cpa": "CPA", "mba": "MBA",
        "rn": "RN", "jd": "JD", "pe": "PE", "cfa": "CFA", "pmp": "PMP", "dvm": "DVM", "msc": "MSc",
        "bsc": "BSc", "llm": "LLM", "facs": "FACS", "ret": "Ret.", "obe": "OBE", "mbe": "MBE", "cbe": "CBE",
        "qc": "QC", "kc": "KC", "np": "NP", "pa-c": "PA-C", "lcsw": "LCSW",
    ]

    /// The generational suffixes among ``suffixDisplay``, by the same keys, in the canonical form
    /// of ``PersonName/generationalSuffix``: the ``romanNumerals``, "2nd" and "3rd" as numerals,
    /// Jr and Sr without a period.
    static let generations: [String: String] = romanNumerals.merging(
        ["jr": "Jr", "junior": "Jr", "sr": "Sr", "senior": "Sr", "2nd": "II", "3rd": "III"]) { numeral, _ in numeral }

    static let placeholders: Set<String> = [
        "n a", "na", "none", "null", "nil", "unknown", "test", "asdf", "xxx", "xx", "tbd", "undefined",
        "first", "last", "firstname", "lastname", "first name", "last name", "name", "noname", "no name",
    ]
}

/// The nickname table: formal names, their nicknames, and a canonical key per name (internal).
struct NicknameDirectory: Sendable {
    let formalsByNickname: [String: [String]]
    let nicknamesByFormal: [String: [String]]
    let givenNames: Set<String>
    let canonical: [String: String]

    init(csv: [UInt8]) {
        var formals: [String: [String]] = [:]
        var nicks: [String: [String]] = [:]
        for row in ResourceText.csvRows(csv) where row.count >= 2 {
            let formal = TextCleaning.foldedKey(row[0])
            let nick = TextCleaning.foldedKey(row[1])
            guard !formal.isEmpty, !nick.isEmpty, formal != nick else { continue }
            formals[nick, default: []].append(formal)
            nicks[formal, default: []].append(nick)
        }
        formalsByNickname = formals
        nicknamesByFormal = nicks
        givenNames = Set(formals.keys).union(nicks.keys)
        var canonical: [String: String] = [:]
        for name in givenNames {
            let key = Self.canonicalName(of: name, formals: formals, nicknames: nicks)
            if key != name { canonical[name] = key }
        }
        self.canonical = canonical
    }

    /// Follows a name to its most formal relative. One step goes to the formal name that has
    /// more nicknames than the name itself, sharing the longest common substring with it, then the
    /// longest common prefix, then the most nicknames, then alphabetical; steps repeat until none
    /// applies (Bob → Robert, Bill → William, Peggy → Margaret, Ron → Ronald, Liz → Elizabeth).
    private static func canonicalName(of name: String, formals: [String: [String]], nicknames: [String: [String]]) -> String {
        var current = name
        var seen: Set<String> = []
        while seen.insert(current).inserted {
            let degree = nicknames[current]?.count ?? 0
            let candidates = (formals[current] ?? []).filter { (nicknames[$0]?.count ?? 0) > degree }
            let ranked = candidates.map { candidate in
                (candidate, commonSubstring(current, candidate), commonPrefix(current, candidate), nicknames[candidate]?.count ?? 0)
            }
            guard let best = ranked.min(by: { a, b in
                (a.1, a.2, a.3) != (b.1, b.2, b.3) ? (a.1, a.2, a.3) > (b.1, b.2, b.3) : a.0 < b.0
            }) else { break }
            current = best.0
        }
        return current
    }

    private static func commonSubstring(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        var best = 0
        for i in x.indices {
            for j in y.indices {
                var k = 0
                while i + k < x.count && j + k < y.count && x[i + k] == y[j + k] { k += 1 }
                best = max(best, k)
            }
        }
        return best
    }

    private static func commonPrefix(_ a: String, _ b: String) -> Int {
        zip(a.utf8, b.utf8).prefix { $0 == $1 }.count
    }
}
