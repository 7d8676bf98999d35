import Testing
@testable import ListWashNormalize

@Suite struct EmailTests {
    let emails = TestSupport.normalizer.emails

    @Test(arguments: [
        (" Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("mailto:jane@acme.com", "jane@acme.com"),
        ("MAILTO:jane@acme.com?subject=Hello", "jane@acme.com"),
        ("Jane Doe <jane@acme.com>", "jane@acme.com"),
        ("\"Doe, Jane\" <jane@acme.com>", "jane@acme.com"),
        ("<jane@acme.com>", "jane@acme.com"),
        ("jane@acme.com.", "jane@acme.com"),
        ("jane@acme.com;", "jane@acme.com"),
        ("\"jane@acme.com\"", "jane@acme.com"),
        ("'jane@acme.com'", "jane@acme.com"),
        ("(jane@acme.com)", "jane@acme.com"),
        ("[jane@acme.com]", "jane@acme.com"),
        ("jane\u{200B}@acme.com", "jane@acme.com"),
        ("JANE+crm@acme.com", "jane+crm@acme.com"),
    ])
    func cleansCommonSpellings(raw: String, expected: String) {
        let result = emails.normalize(raw)
        #expect(result.email == expected)
        #expect(!result.flags.contains(.emailInvalid))
    }

    @Test(arguments: [
        "john@gmail", "john", "@acme.com", "john@", "john@@acme.com", "john smith@acme.com", "john@acme..com",
        "john@-acme.com", "john@acme-.com", "john@acme.123", "john@[1.2.3.4]", "john@localhost", "john@acme.test",
        ".john@acme.com", "john.@acme.com", "jo..hn@acme.com", "\"john\"@acme.com", "john@acme.c",
        "john@acme_corp.com", "john@xn--0.com", "Name <john@acme.com>>", String(repeating: "a", count: 65) + "@acme.com",
    ])
    func rejectsInvalidAddresses(raw: String) {
        let result = emails.normalize(raw)
        #expect(result.email.isEmpty && result.key.isEmpty)
        #expect(result.flags == [.emailInvalid])
    }

    @Test func emptyValuesAreMissingNotInvalid() {
        #expect(emails.normalize(nil).flags.isEmpty)
        #expect(emails.normalize("   ").flags.isEmpty)
    }

    @Test(arguments: [
        ("gmial.com", "gmail.com"), ("gmal.com", "gmail.com"), ("gmai.com", "gmail.com"), ("gamil.com", "gmail.com"),
        ("gmail.con", "gmail.com"), ("gmail.cmo", "gmail.com"), ("gmail.co", "gmail.com"), ("gmaill.com", "gmail.com"),
        ("hotmial.com", "hotmail.com"), ("hotmail.con", "hotmail.com"), ("hotmal.com", "hotmail.com"),
        ("yaho.com", "yahoo.com"), ("yahooo.com", "yahoo.com"), ("yahoo.con", "yahoo.com"),
        ("outlok.com", "outlook.com"), ("outlook.co", "outlook.com"), ("iclod.com", "icloud.com"),
        ("aol.con", "aol.com"), ("aol.cm", "aol.com"), ("comcast.ner", "comcast.net"),
    ])
    func correctsTyposOfBigProviders(typo: String, provider: String) {
        let result = emails.normalize("jane@" + typo)
        #expect(result.email == "jane@" + provider)
        #expect(result.flags.contains(.emailTypoCorrected))
    }

    @Test(arguments: [
        "ymail.com", "mail.com", "email.com", "gmx.com", "hotmail.fr", "acme.com", "gmail.co.uk", "aim.com",
        "yahoo.co.jp", "live.ca", "me.org", "mac.org", "gmailer.com",
    ])
    func leavesRealDomainsAlone(domain: String) {
        let result = emails.normalize("jane@" + domain)
        #expect(result.email == "jane@" + domain)
        #expect(!result.flags.contains(.emailTypoCorrected))
    }

    @Test(arguments: [
        ("J.O.H.N+promo@gmail.com", "john@gmail.com"),
        ("john.smith@googlemail.com", "johnsmith@gmail.com"),
        ("john+crm@outlook.com", "john@outlook.com"),
        ("john+x@hotmail.com", "john@hotmail.com"),
        ("john.smith+x@hotmail.com", "john.smith@hotmail.com"),
        ("john+news@icloud.com", "john@icloud.com"),
        ("john+news@fastmail.com", "john@fastmail.com"),
        ("john+news@proton.me", "john@proton.me"),
        ("john-shopping@yahoo.com", "john@yahoo.com"),
        ("john+x@yahoo.com", "john+x@yahoo.com"),
        ("john.smith+x@acme.com", "john.smith+x@acme.com"),
        ("+only@gmail.com", "+only@gmail.com"),
    ])
    func matchingKeyAppliesProviderRules(raw: String, key: String) {
        #expect(emails.normalize(raw).key == key)
    }

    @Test func classifiesRoleFreeMailAndDisposable() {
        #expect(emails.normalize("info@acme.com").flags == [.emailRole])
        #expect(emails.normalize("Sales+EMEA@acme.com").isRole)
        #expect(emails.normalize("jane@gmail.com").flags == [.emailFreemail])
        let disposable = emails.normalize("jane@guerrillamail.com")
        #expect(disposable.isDisposable && !disposable.isFreemail)
        // mailinator.com is on both lists: disposable wins.
        let both = emails.normalize("x@mailinator.com")
        #expect(both.flags == [.emailDisposable])
        #expect(EmailNormalizer.roleLocalParts.count >= 50)
    }

    @Test func internationalizedDomainsUseIDNA() {
        let result = emails.normalize("jeff@臺網中心.tw")
        #expect(result.email.hasPrefix("jeff@xn--"))
        #expect(result.displayEmail == "jeff@臺網中心.tw")
        #expect(result.flags.contains(.emailIDN))
        #expect(emails.normalize("hans@BÜCHER.de").email == "hans@xn--bcher-kva.de")
        #expect(emails.normalize("ñoño@example.com").email == "ñoño@example.com")
    }

    /// Agreement with the 576 reference verdicts of `Fixtures/validation_cases.csv`, for the bare
    /// validator (``EmailAddress``) and for the normalizer, which cleans first (trims whitespace
    /// and line breaks, takes the address out of `Name <address>`, drops a trailing dot). The
    /// disagreements are decisions, counted by category in `Docs/normalization.md`.
    @Test func agreesWithValidationCases() {
        let rows = TestSupport.fixtureCSV("validation_cases.csv")
        #expect(rows.count == 576)
        var validatorAgrees = 0
        var normalizerAgrees = 0
        var disagreements: [String] = []
        var validatorMisses: [String] = []
        for (index, row) in rows.enumerated() where row.count >= 2 {
            let address = Self.withControlCharacters(row[0])
            let expected = row[1] == "valid"
            if (EmailAddress(validating: address) != nil) == expected {
                validatorAgrees += 1
            } else {
                validatorMisses.append("\(index + 1)")
            }
            let result = emails.normalize(address)
            if (!result.email.isEmpty && !result.flags.contains(.emailInvalid)) == expected {
                normalizerAgrees += 1
            } else {
                disagreements.append("\(index + 1) \(row[1]) \(row[0].debugDescription)")
            }
        }
        #expect(validatorAgrees >= 474, "validator disagrees on rows \(validatorMisses.joined(separator: ", "))")
        #expect(normalizerAgrees >= 439, "normalizer disagrees on:\n\(disagreements.joined(separator: "\n"))")
    }

    /// The isemail rows show control characters as U+2400-U+241F symbols; put the real ones back.
    static func withControlCharacters(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if (0x2400...0x241F).contains(scalar.value), let control = Unicode.Scalar(scalar.value - 0x2400) {
                scalars.append(control)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
