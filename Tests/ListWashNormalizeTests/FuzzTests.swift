import Testing
@testable import ListWashNormalize

/// Random Unicode through every normalizer: nothing crashes, and a value that was given but
/// comes out empty is always flagged.
@Suite struct FuzzTests {
    let normalizer = TestSupport.normalizer

    /// Scalar pools: ASCII, controls, invisible characters, combining marks, Latin with
    /// diacritics, RTL scripts, CJK, emoji, and characters that mean something to the parsers.
    static let pools: [[Unicode.Scalar]] = {
        func range(_ r: ClosedRange<UInt32>) -> [Unicode.Scalar] { r.compactMap(Unicode.Scalar.init) }
        return [
            range(0x20...0x7E),
            range(0x00...0x1F) + [Unicode.Scalar(0x7F)!],
            [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x202E, 0x00A0, 0x2028, 0x3000].compactMap(Unicode.Scalar.init),
            range(0x0300...0x036F),
            range(0x00C0...0x017F),
            range(0x0590...0x05FF) + range(0x0600...0x06FF),
            range(0x4E00...0x4E80) + range(0x3040...0x309F),
            range(0x1F600...0x1F64F) + range(0x1F300...0x1F320),
            Array("@.+-()#xX0123456789 ,;<>\"'&/:".unicodeScalars),
            range(0xFF01...0xFF5E) + range(0x2400...0x241F) + [Unicode.Scalar(0xFFFD)!, Unicode.Scalar(0x10FFFF)!],
        ]
    }()

    static func randomString(_ generator: inout SeededGenerator, length: Int) -> String {
        var scalars = String.UnicodeScalarView()
        let pool = pools[Int.random(in: 0..<pools.count, using: &generator)]
        for _ in 0..<length {
            let from = Int.random(in: 0..<4, using: &generator) == 0
                ? pools[Int.random(in: 0..<pools.count, using: &generator)] : pool
            scalars.append(from[Int.random(in: 0..<from.count, using: &generator)])
        }
        return String(scalars)
    }

    /// `true` when a value holds something other than whitespace and invisible characters.
    static func isGiven(_ text: String) -> Bool { !TextCleaning.cleaned(text).isEmpty }

    func checkEveryNormalizer(_ text: String) {
        let given = Self.isGiven(text)

        let name = normalizer.names.normalize(first: text, last: text)
        if given && name.name.first.isEmpty { #expect(name.flags.contains(.nameInvalid), "\(text.debugDescription)") }
        let full = normalizer.names.normalize(full: text)
        if given && full.name.first.isEmpty && full.name.last.isEmpty {
            #expect(full.flags.contains(.nameInvalid), "\(text.debugDescription)")
        }
        _ = NameNormalizer.split(fullName: text)
        _ = normalizer.names.nameVariants(of: text)
        #expect(NameNormalizer.matchingKey(text).utf8.allSatisfy { $0 < 0x80 })

        let email = normalizer.emails.normalize(text)
        if given { #expect(!email.email.isEmpty || email.flags == [.emailInvalid], "\(text.debugDescription)") }

        let phone = normalizer.phones.normalize(text)
        if given && phone.e164.isEmpty { #expect(phone.flags.contains(.phoneInvalid), "\(text.debugDescription)") }
        if !phone.e164.isEmpty { #expect(phone.e164.first == "+" && phone.e164.dropFirst().allSatisfy(\.isNumber)) }

        let zip = normalizer.postalCodes.normalize(zip: text, state: text, city: text)
        if given && zip.zip.isEmpty { #expect(zip.flags.contains(.zipInvalid), "\(text.debugDescription)") }

        let place = normalizer.places.normalize(state: text, country: text)
        if given && place.country.isEmpty { #expect(place.flags.contains(.countryUnknown), "\(text.debugDescription)") }
        if given && place.state.isEmpty { #expect(place.flags.contains(.stateUnknown), "\(text.debugDescription)") }

        let company = normalizer.companies.normalize(text)
        if given && company.key.isEmpty { #expect(company.flags == [.companyInvalid], "\(text.debugDescription)") }

        if let domain = normalizer.domains.registrableDomain(from: text) {
            #expect(domain.utf8.allSatisfy { $0 < 0x80 } && domain.contains("."))
        }

        let contact = normalizer.normalize(RawContact(
            firstName: text, lastName: text, fullName: text, email: text, phone: text, company: text, website: text,
            city: text, state: text, zip: text, country: text))
        #expect(contact.flags == Array(Set(contact.flags)).sorted())
    }

    @Test func randomUnicodeNeverCrashesAndEmptyMeansFlagged() {
        var generator = SeededGenerator(seed: 0x4C57_4153_4801)
        for _ in 0..<3_000 {
            let length = Int.random(in: 0...40, using: &generator)
            checkEveryNormalizer(Self.randomString(&generator, length: length))
        }
    }

    @Test func veryLongValuesAreHandled() {
        var generator = SeededGenerator(seed: 7)
        for length in [1_000, 100_000] {
            checkEveryNormalizer(Self.randomString(&generator, length: length))
        }
        checkEveryNormalizer(String(repeating: "a", count: 100_000) + "@gmail.com")
        checkEveryNormalizer(String(repeating: "7", count: 100_000))
        checkEveryNormalizer(String(repeating: "é", count: 100_000))
        checkEveryNormalizer(String(repeating: "\u{0301}", count: 50_000))
    }
}
