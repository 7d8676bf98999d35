import Testing
import ListWashCore
@testable import ListWashNormalize

@Suite struct NameTests {
    let names = TestSupport.normalizer.names

    @Test(arguments: [
        ("JOHN SMITH", "John Smith"),
        ("mary o'brien", "Mary O'Brien"),
        ("ronald mcdonald", "Ronald McDonald"),
        ("jean-luc", "Jean-Luc"),
        ("JEAN-LUC PICARD", "Jean-Luc Picard"),
        ("van der berg", "Van der Berg"),
        ("ludwig van beethoven", "Ludwig van Beethoven"),
        ("d'angelo", "D'Angelo"),
        ("smith-mcdonald", "Smith-McDonald"),
        ("john smith iii", "John Smith III"),
        ("thanh le", "Thanh Le"),
        ("JOSÉ MÜLLER", "José Müller"),
        ("élise dupont", "Élise Dupont"),
        ("DeShawn", "DeShawn"),
        ("McDonald", "McDonald"),
        ("John smith", "John smith"),
        ("李小龙", "李小龙"),
        ("J", "J"),
        ("mc", "Mc"),
    ])
    func properCase(input: String, expected: String) {
        #expect(NameNormalizer.properCased(input) == expected)
    }

    /// The byte-level path for ASCII names gives what the Unicode path gives, on names built
    /// from the pieces the rules care about (hyphens, apostrophes, Mc, particles, numerals).
    @Test func asciiCasingAgreesWithTheUnicodePath() {
        let pieces = ["mc", "mcdonald", "o'", "d'angelo", "-", "'", "van", "der", "iii", "iv", "ii", "x", "smith", "le", "a", "ab", "7", "jean-luc", "o'brien", "m", "c"]
        var random = SeededRandom(seed: 7)
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                if !text.isEmpty { text += Bool.random(using: &random) ? " " : "" }
                text += pieces.randomElement(using: &random) ?? ""
            }
            for variant in [text.uppercased(), text.lowercased()] where NameNormalizer.needsCaseFix(variant) {
                #expect(NameNormalizer.properCasedASCII(variant) == NameNormalizer.properCasedUnicode(variant), "\(variant)")
            }
        }
        #expect(NameNormalizer.properCasedASCII("JOSÉ") == nil)
    }

    @Test(arguments: [
        ("  John   Smith  ", "John Smith"),
        ("Jo\u{200B}hn", "John"),
        ("\u{FEFF}John", "John"),
        ("Jo\u{00AD}hn", "John"),
        ("John\u{0007}", "John"),
        ("John\tSmith\n", "John Smith"),
        ("Jos\u{0065}\u{0301}", "José"),
        ("John\u{00A0}Smith", "John Smith"),
        ("\u{202E}John", "John"),
    ])
    func cleansInvisibleCharactersAndSpaces(input: String, expected: String) {
        #expect(NameNormalizer.cleaned(input) == expected)
    }

    @Test(arguments: [
        ("Smith, John", PersonName(first: "John", last: "Smith")),
        ("Dr. Jane A. Doe, PhD", PersonName(prefix: "Dr.", first: "Jane", middle: "A.", last: "Doe", suffix: "PhD")),
        ("John Smith Jr.", PersonName(first: "John", last: "Smith", suffix: "Jr.")),
        ("John Smith, Jr.", PersonName(first: "John", last: "Smith", suffix: "Jr.")),
        ("Smith Jr., John", PersonName(first: "John", last: "Smith", suffix: "Jr.")),
        ("MR JOHN SMITH", PersonName(prefix: "Mr.", first: "John", last: "Smith")),
        ("Ludwig van Beethoven", PersonName(first: "Ludwig", last: "van Beethoven")),
        ("Juan de la Cruz", PersonName(first: "Juan", last: "de la Cruz")),
        ("Robert \"Bob\" Smith", PersonName(first: "Robert", last: "Smith")),
        ("Robert (Bob) Smith", PersonName(first: "Robert", last: "Smith")),
        ("Mary Ann Smith", PersonName(first: "Mary", middle: "Ann", last: "Smith")),
        ("Madonna", PersonName(first: "Madonna")),
        ("John Smith III, MD", PersonName(first: "John", last: "Smith", suffix: "III MD")),
        ("JOHN REED JUNIOR", PersonName(first: "John", last: "Reed", suffix: "Jr.")),
        ("John Reed, Senior", PersonName(first: "John", last: "Reed", suffix: "Sr.")),
        ("Jennifer Senior", PersonName(first: "Jennifer", last: "Senior")),
        ("", PersonName()),
    ])
    func splitsFullNames(input: String, expected: PersonName) {
        #expect(NameNormalizer.split(fullName: input) == expected)
    }

    @Test func splitsFromTheFullNameColumnOnlyWhenPartsAreMissing() {
        let split = names.normalize(full: "DR. JANE A. DOE, PHD")
        #expect(split.name.first == "Jane" && split.name.last == "Doe")
        #expect(split.flags.contains(.nameSplit) && split.flags.contains(.nameCaseFixed))
        let given = names.normalize(first: "Jane", last: "Doe", full: "Someone Else")
        #expect(given.name.first == "Jane" && !given.flags.contains(.nameSplit))
        #expect(names.normalize(full: "Madonna").flags.contains(.nameIncomplete))
    }

    @Test func movesTitlesAndSuffixesOutOfNameColumns() {
        let result = names.normalize(first: "Dr. Jane", last: "Doe Jr.")
        #expect(result.name == PersonName(prefix: "Dr.", first: "Jane", last: "Doe", suffix: "Jr."))
        #expect(result.name.generationalSuffix == "Jr")
    }

    /// A generational suffix at the end of the last name (after a space or a comma) moves out
    /// of it, and `generationalSuffix` (`listwash_name_suffix`) gives it in canonical form;
    /// credentials move out without being generational; commas and periods left at the end go.
    @Test(arguments: [
        ("Reed, JR", "Reed", "Jr"), ("Reed Jr.", "Reed", "Jr"), ("Reed,JR", "Reed", "Jr"), ("REED JR", "Reed", "Jr"),
        ("Reed, Junior", "Reed", "Jr"), ("Smith III", "Smith", "III"), ("REED III", "Reed", "III"),
        ("Jones Sr.", "Jones", "Sr"), ("Jones, SR", "Jones", "Sr"), ("jones senior", "Jones", "Sr"),
        ("Kelly II", "Kelly", "II"), ("Kelly 2nd", "Kelly", "II"), ("Kelly 3rd", "Kelly", "III"), ("Ford IV", "Ford", "IV"),
        ("van der Berg Jr.", "van der Berg", "Jr"), ("Smith Jr., PhD", "Smith", "Jr"), ("Smith III, MD", "Smith", "III"),
        ("Reed, PhD", "Reed", ""), ("O'Brien, Esq.", "O'Brien", ""), ("Hale, CPA", "Hale", ""), ("Hale, MBA", "Hale", ""),
        ("Reed,", "Reed", ""), ("Reed.", "Reed", ""), ("Reed ,", "Reed", ""), ("Reed", "Reed", ""),
        // A suffix moves only when a name remains before it.
        ("Junior", "Junior", ""), ("Senior", "Senior", ""), ("III", "III", ""), ("Jr", "Jr", ""),
    ])
    func movesGenerationalSuffixesOutOfTheLastName(last: String, expected: String, suffix: String) {
        let result = names.normalize(first: "John", last: last)
        #expect(result.name.first == "John")
        #expect(result.name.last == expected)
        #expect(result.name.generationalSuffix == suffix)
        #expect(result.lastNameKey == NameNormalizer.matchingKey(expected))
        #expect(names.normalize(full: "John " + last).name.generationalSuffix == suffix)
    }

    @Test func aFirstNameGivesItsGenerationalSuffixWithoutALastNameOrWhenItIsASurname() {
        for last in [nil, "", "  "] {
            let result = names.normalize(first: "John Jr", last: last)
            #expect(result.name.first == "John" && result.name.last.isEmpty)
            #expect(result.name.suffix == "Jr." && result.name.generationalSuffix == "Jr")
            #expect(result.firstNameKey == names.firstNameKey("John") && result.nameKey == "john")
        }
        let commas = names.normalize(first: "JOHN, III")
        #expect(commas.name.first == "John" && commas.name.generationalSuffix == "III")
        let kept = names.normalize(first: "John Jr", last: "Reed")
        #expect(kept.name.first == "John Jr" && kept.name.last == "Reed" && kept.name.generationalSuffix.isEmpty)
        // Swapped names: the surname in the first-name column takes its suffix along.
        let swapped = names.normalize(first: "Welandez, Jr.", last: "Alex")
        #expect(swapped.name.first == "Welandez" && swapped.name.last == "Alex" && swapped.name.generationalSuffix == "Jr")
        #expect(swapped.flags.contains(.nameSwapped))
        #expect(names.normalize(first: "VILLANO III", last: "Suresh").name.generationalSuffix == "III")
        let alone = names.normalize(first: "Junior")
        #expect(alone.name.first == "Junior" && alone.name.generationalSuffix.isEmpty)
        // Two words without a last name are a whole name (see `splitsAWholeNameInTheFirstNameColumn`).
        #expect(names.normalize(first: "Mary Ann").name == PersonName(first: "Mary", last: "Ann"))
        #expect(names.normalize(first: "Mary Ann", last: "Smith").name.first == "Mary Ann")
    }

    /// A whole name typed into the first-name column, the last-name column empty (missing,
    /// blank or not a name), is split as the full-name column would be, and flagged.
    @Test(arguments: [
        ("Laura Heath", PersonName(first: "Laura", last: "Heath")),
        ("Russ Green-Garcia", PersonName(first: "Russ", last: "Green-Garcia")),
        ("Daniel townsold", PersonName(first: "Daniel", last: "townsold")),
        ("CHRISTOPHER GREER", PersonName(first: "Christopher", last: "Greer")),
        ("Heath, Laura", PersonName(first: "Laura", last: "Heath")),
        ("HEATH, LAURA M.", PersonName(first: "Laura", middle: "M.", last: "Heath")),
        ("Justin O Goodmock", PersonName(first: "Justin", middle: "O", last: "Goodmock")),
        ("Ludwig van Beethoven", PersonName(first: "Ludwig", last: "van Beethoven")),
        ("Dr. Jane A. Doe, PhD", PersonName(prefix: "Dr.", first: "Jane", middle: "A.", last: "Doe", suffix: "PhD")),
        ("John Smith Jr", PersonName(first: "John", last: "Smith", suffix: "Jr.")),
        ("John Smith, JR.", PersonName(first: "John", last: "Smith", suffix: "Jr.")),
        ("Emily Ford, Esq.", PersonName(first: "Emily", last: "Ford", suffix: "Esq.")),
        ("Robert \"Bob\" Smith", PersonName(first: "Robert", last: "Smith")),
        ("Sofía Wu", PersonName(first: "Sofía", last: "Wu")),
        ("Heath, L.", PersonName(first: "L", last: "Heath")),
        // Two given names split too: nothing tells them from a given and a family name.
        ("Mary Ann", PersonName(first: "Mary", last: "Ann")),
    ])
    func splitsAWholeNameInTheFirstNameColumn(first: String, expected: PersonName) {
        for last in [nil, "", "  ", "N/A"] {
            let result = names.normalize(first: first, last: last)
            #expect(result.name == expected, "\(first) / \(last ?? "nil")")
            #expect(result.flags.contains(.nameSplit))
            #expect(result.flags.contains(.nameInvalid) == (last == "N/A"))
            if last != "N/A" { #expect(result.flags.contains(.nameCaseFixed) == (NameNormalizer.properCased(first) != first)) }
            #expect(result.lastNameKey == NameNormalizer.matchingKey(expected.last))
            #expect(result.firstNameKey == names.firstNameKey(expected.first))
            #expect(result.nameKey == NameNormalizer.matchingKey(expected.first) + " " + NameNormalizer.matchingKey(expected.last))
        }
        // Exactly what the full-name column gives.
        #expect(names.normalize(full: first).name == expected)
        #expect(names.normalize(first: "", last: "", full: first).name == expected)
    }

    /// A first name stays one when the last name is given, or when it has nothing to split off
    /// as a last name: one word, a generational suffix, a middle initial, two initials.
    @Test func keepsAFirstNameThatIsNotAWholeName() {
        let given = names.normalize(first: "Laura", last: "Heath")
        #expect(given.name == PersonName(first: "Laura", last: "Heath") && given.flags.isEmpty)
        let both = names.normalize(first: "Laura Heath", last: "Heath")
        #expect(both.name == PersonName(first: "Laura Heath", last: "Heath") && !both.flags.contains(.nameSplit))
        for last in [nil, ""] {
            for (first, expected) in [
                ("Madonna", PersonName(first: "Madonna")), ("MADONNA", PersonName(first: "Madonna")),
                ("John Jr", PersonName(first: "John", suffix: "Jr.")), ("JOHN, III", PersonName(first: "John", suffix: "III")),
                ("Carolyn S.", PersonName(first: "Carolyn", middle: "S.")), ("Jean-Luc", PersonName(first: "Jean-Luc")),
                ("J R", PersonName(first: "J R")), ("m.", PersonName(first: "M")), ("Cher Jr", PersonName(first: "Cher", suffix: "Jr.")),
            ] {
                let result = names.normalize(first: first, last: last)
                #expect(result.name == expected, "\(first)")
                #expect(!result.flags.contains(.nameSplit), "\(first)")
                #expect(result.lastNameKey.isEmpty && result.nameKey == NameNormalizer.matchingKey(expected.first), "\(first)")
            }
        }
        #expect(names.normalize(first: "John Jr").name.generationalSuffix == "Jr")
        #expect(names.normalize(first: "Madonna").flags.isEmpty)
    }

    /// A first name that is an initial loses its period, as a last name does ("J." → "J"), so
    /// that it compares as an initial.
    @Test(arguments: [("m.", "M"), ("A.", "A"), ("J.", "J"), ("J", "J"), ("j", "J"), ("É.", "É"), ("Dr. M.", "M")])
    func anInitialLosesItsPeriod(first: String, expected: String) {
        for last in ["Smith", "", "SMITH JR"] {
            let result = names.normalize(first: first, last: last)
            #expect(result.name.first == expected, "\(first) / \(last)")
            #expect(result.firstNameKey == names.firstNameKey(expected))
            #expect(result.name.middle.isEmpty && !result.flags.contains(.nameSplit))
        }
        if !first.hasPrefix("Dr.") { #expect(names.normalize(first: "John", last: first).name.last == expected) }
        #expect(names.normalize(full: first.uppercased() + " SMITH").name.first == expected)
    }

    /// A middle initial at the end of a first name moves to the middle name, whether or not
    /// the last name is given.
    @Test(arguments: [
        ("Carolyn S.", "Carolyn", "S."), ("Brenda E.", "Brenda", "E."), ("Melanie D", "Melanie", "D"),
        ("MELANIE D", "Melanie", "D"), ("Mary Ann S.", "Mary Ann", "S."), ("Dr. Jane A.", "Jane", "A."), ("Zoë É.", "Zoë", "É."),
    ])
    func aTrailingMiddleInitialLeavesTheFirstName(first: String, expected: String, middle: String) {
        let result = names.normalize(first: first, last: "Smith")
        #expect(result.name.first == expected && result.name.middle == middle && result.name.last == "Smith")
        #expect(result.firstNameKey == names.firstNameKey(expected))
        #expect(result.nameKey == NameNormalizer.matchingKey(expected) + " smith")
        #expect(!result.flags.contains(.nameSplit))
    }

    /// What is not a trailing middle initial stays in the first name.
    @Test(arguments: ["J R", "A. B.", "Heath, L.", "Jo Ann", "Mary-Jo", "7 S", "Ann Marie"])
    func otherFirstNamesKeepTheirLastWord(first: String) {
        let result = names.normalize(first: first, last: "Smith")
        #expect(result.name.middle.isEmpty, "\(first)")
        #expect(result.name.first == NameNormalizer.properCased(first), "\(first)")
    }

    @Test func generationalSuffixIsCanonicalAndSkipsCredentials() {
        #expect(PersonName(suffix: "III MD").generationalSuffix == "III")
        #expect(PersonName(suffix: "PhD Jr.").generationalSuffix == "Jr")
        #expect(PersonName(suffix: "2nd").generationalSuffix == "II")
        #expect(PersonName(suffix: "3rd").generationalSuffix == "III")
        #expect(PersonName(suffix: "PhD").generationalSuffix.isEmpty)
        #expect(PersonName().generationalSuffix.isEmpty)
        // Every generational suffix is one the parser moves out of a name.
        #expect(Set(NameNormalizer.generations.keys).isSubset(of: NameNormalizer.suffixDisplay.keys))
    }

    @Test(arguments: [("José Müller", "Jose Muller"), ("Zoë Ångström", "Zoe Angstrom"), ("O'Brien", "OBRIEN"), ("François", "francois")])
    func matchingKeyFoldsDiacritics(a: String, b: String) {
        #expect(NameNormalizer.matchingKey(a) == NameNormalizer.matchingKey(b))
        #expect(NameNormalizer.matchingKey(a).utf8.allSatisfy { $0 < 0x80 })
    }

    @Test func matchingKeyTransliteratesOtherScripts() {
        let key = NameNormalizer.matchingKey("Дмитрий Иванов")
        #expect(!key.isEmpty && key.utf8.allSatisfy { $0 < 0x80 })
        #expect(NameNormalizer.matchingKey("Jean-Luc") == "jean luc")
    }

    @Test(arguments: [
        ("Bob", "Robert"), ("Bobby", "Robert"), ("Bill", "William"), ("Billy", "William"), ("Will", "William"),
        ("Peggy", "Margaret"), ("Peg", "Margaret"), ("Liz", "Elizabeth"), ("Beth", "Elizabeth"), ("Ron", "Ronald"),
        ("Dick", "Richard"), ("Chuck", "Charles"), ("Ted", "Edward"), ("Jim", "James"), ("BOB", "robert"),
    ])
    func firstNameKeyMapsNicknamesToFormalNames(nickname: String, formal: String) {
        #expect(names.firstNameKey(nickname) == names.firstNameKey(formal))
        #expect(names.firstNameKey(nickname) == formal.lowercased())
    }

    @Test func nameVariantsAnswerCouldBeTheSamePerson() {
        #expect(names.nameVariants(of: "Bill").contains("william"))
        #expect(names.nameVariants(of: "Alex").contains("alexander"))
        #expect(!names.nameVariants(of: "Bob").isDisjoint(with: names.nameVariants(of: "Bobby")))
        #expect(names.nameVariants(of: "Zzyzx") == ["zzyzx"])
        #expect(names.nameVariants(of: "  ").isEmpty)
        #expect(names.nameVariants(of: "Christopher") == ["christopher"])
    }

    /// Two given names are related when one is a nickname of the other or both are nicknames
    /// of one formal name; two formal names that only share a nickname are not.
    @Test(arguments: [
        ("Chris", "Christopher", true), ("Bob", "Robert", true), ("Bob", "Rob", true), ("Bill", "Will", true),
        ("Chris", "Crystal", true), ("Peggy", "Margaret", true), ("Liz", "Beth", true), ("CHRIS", "christopher", true),
        ("Christopher", "Crystal", false), ("Christopher", "Christine", false), ("Alexander", "Alexandra", false),
        ("Victor", "Victoria", false), ("Crystal", "Kristopher", false),
    ])
    func nicknamesRelateToTheirFormalNamesOnly(a: String, b: String, related: Bool) {
        #expect(names.nameVariants(of: a).isDisjoint(with: names.nameVariants(of: b)) != related, "\(a) / \(b)")
        #expect(names.nameVariants(of: b).isDisjoint(with: names.nameVariants(of: a)) != related, "\(b) / \(a)")
    }

    /// Over the whole nickname table: each nickname is related to each of its formal names, and
    /// a formal name that is nobody's nickname stands only for itself (so it is related to no
    /// other formal name of that kind).
    @Test func everyNicknameReachesItsFormalNamesAndFormalNamesStayApart() {
        let table = names.nicknames
        for (formal, nicknames) in table.nicknamesByFormal {
            for nickname in nicknames {
                #expect(!names.nameVariants(of: nickname).isDisjoint(with: names.nameVariants(of: formal)), "\(nickname) / \(formal)")
            }
            if table.formalsByNickname[formal] == nil {
                #expect(names.nameVariants(of: formal) == [formal], "\(formal)")
            }
        }
    }

    @Test func flagsSwappedNamesWithoutSwapping() {
        let swapped = names.normalize(first: "GARCIA", last: "MARIA")
        #expect(swapped.flags.contains(.nameSwapped))
        #expect(swapped.name.first == "Garcia" && swapped.name.last == "Maria")
        #expect(!names.normalize(first: "John", last: "Smith").flags.contains(.nameSwapped))
        #expect(!names.normalize(first: "John", last: "James").flags.contains(.nameSwapped))
    }

    @Test(arguments: ["N/A", "n/a", "12345", "---", "Unknown", "TEST", "?"])
    func placeholdersAreInvalid(value: String) {
        let result = names.normalize(first: value, last: "Smith")
        #expect(result.name.first.isEmpty)
        #expect(result.flags.contains(.nameInvalid))
        #expect(result.name.last == "Smith")
    }

    @Test func keysOfANormalizedName() {
        let result = names.normalize(first: "BOB", last: "MÜLLER")
        #expect(result.name.first == "Bob" && result.name.last == "Müller")
        #expect(result.firstNameKey == "robert" && result.lastNameKey == "muller" && result.nameKey == "bob muller")
    }
}

extension NameTests {
    /// The generation a mailbox gives: "jr" or "sr" right after the last name's letters; not
    /// before it, not without a last name, not a last name of one letter.
    @Test(arguments: [
        ("grant.weeks81jr@yahoo.com", "Weeks", "Jr"), ("ddaniels80.jr@yahoo.com", "Daniels", "Jr"), ("d.danielsjr@acme.com", "Daniels", "Jr"),
        ("smithsr@acme.com", "Smith", "Sr"), ("john.smith.jr+events@gmail.com", "Smith", "Jr"), ("jrsmith@acme.com", "Smith", ""),
        ("john.smith@acme.com", "Smith", ""), ("johnjr@acme.com", "", ""), ("xjr@acme.com", "X", ""), ("o.connorjr@acme.com", "O'Connor", "Jr"),
        ("jr@acme.com", "Smith", ""), ("", "Smith", ""),
    ])
    func generationInTheMailbox(email: String, last: String, generation: String) {
        var email = email, last = last
        let found = email.withUTF8 { email in last.withUTF8 { NameNormalizer.generation(inMailbox: email, lastName: $0) } }
        #expect(found == generation, "\(email) \(last)")
    }
}
