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
