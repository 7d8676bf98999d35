import Testing
@testable import ListWashNormalize

@Suite struct CompanyTests {
    let companies = TestSupport.normalizer.companies
    let domains = TestSupport.normalizer.domains

    @Test(arguments: [
        "Acme", "Acme, Inc.", "ACME Incorporated", "The Acme Company", "Acme Corp.", "Acme Corporation", "acme llc",
        "Acme L.L.C.", "Acme Ltd", "Acme Limited", "Acme GmbH", "Acme S.A.", "Acme S. A.", "Acme PLC", "Acme Co.",
        "Acme Co., Ltd.", "ACME, INC", "  Acme\u{00A0} Inc ", "Acme Pty Ltd", "Ácme Inc.", "Acme & Co.",
    ])
    func legalSuffixesShareOneKey(name: String) {
        #expect(CompanyNormalizer.matchingKey(name) == "acme")
    }

    @Test(arguments: [
        ("Johnson & Johnson", "johnson and johnson"), ("Johnson and Johnson", "johnson and johnson"),
        ("AT&T Inc.", "att"), ("Procter & Gamble Co.", "procter and gamble"), ("Acme Group", "acme group"),
        ("Acme Holdings, Inc.", "acme holdings"), ("The Company", "company"), ("Inc.", "inc"),
        ("Coca-Cola Company", "coca cola"), ("O'Reilly Media", "oreilly media"), ("Société Générale S.A.", "societe generale"),
        ("Bank of America Corporation", "bank of america"),
    ])
    func keysKeepWordsThatTellEntitiesApart(name: String, key: String) {
        #expect(CompanyNormalizer.matchingKey(name) == key)
    }

    @Test func displayFormIsCleanedNotRecased() {
        let result = companies.normalize("  IBM\u{200B}   Corp. ")
        #expect(result.name == "IBM Corp." && result.key == "ibm")
        #expect(companies.normalize("eBay Inc.").name == "eBay Inc.")
        #expect(companies.normalize("N/A").flags == [.companyInvalid])
        #expect(companies.normalize("---").flags == [.companyInvalid])
        #expect(companies.normalize(nil).flags.isEmpty)
    }

    @Test(arguments: [
        ("https://www.acme.com/about", "acme.com"), ("http://acme.com", "acme.com"), ("www.acme.com", "acme.com"),
        ("ACME.COM", "acme.com"), ("mail.acme.co.uk", "acme.co.uk"), ("https://shop.acme.co.uk:8443/x?y#z", "acme.co.uk"),
        ("jane@sales.acme.com", "acme.com"), ("//cdn.acme.io/lib.js", "acme.io"), ("acme.com.", "acme.com"),
        ("https://user:pw@www.acme.com/", "acme.com"), ("bücher.de", "xn--bcher-kva.de"),
        ("mysite.github.io", "mysite.github.io"), ("foo.blogspot.com", "foo.blogspot.com"),
        // Wildcard and exception rules: *.ck with !www.ck; *.kawasaki.jp with !city.kawasaki.jp.
        ("www.ck", "www.ck"), ("shop.acme.co.ck", "acme.co.ck"), ("city.kawasaki.jp", "city.kawasaki.jp"),
        ("a.b.kawasaki.jp", "a.b.kawasaki.jp"), ("acme.unknowntld", "acme.unknowntld"),
    ])
    func findsRegistrableDomains(text: String, domain: String) {
        #expect(domains.registrableDomain(from: text) == domain)
    }

    @Test(arguments: ["co.uk", "com", "", "http://", "192.168.0.1", "not a domain", "acme", "ck", "github.io", "a..com"])
    func rejectsTextWithoutARegistrableDomain(text: String) {
        #expect(domains.registrableDomain(from: text) == nil)
    }
}
