import Testing
@testable import ListWashNormalize

@Suite struct ContactTests {
    let normalizer = TestSupport.normalizer

    @Test func normalizesOneRecordEndToEnd() {
        let contact = normalizer.normalize(RawContact(
            fullName: "DR. JANE A. DOE, PHD", email: "Jane.Doe@ACME.com", phone: "(617) 253-1000 x204",
            company: "Acme, Inc.", state: "Mass.", zip: "2134"))
        #expect(contact.firstName == "Jane" && contact.lastName == "Doe")
        #expect(contact.name.prefix == "Dr." && contact.name.suffix == "PhD")
        #expect(contact.email == "jane.doe@acme.com" && contact.emailKey == "jane.doe@acme.com")
        #expect(contact.phone == "+16172531000" && contact.phoneExtension == "204")
        #expect(contact.areaCodeRegion == "Massachusetts" && contact.areaCodeRegionCode == "MA")
        #expect(contact.zip == "02134" && contact.city == "Allston" && contact.state == "MA" && contact.country == "US")
        #expect(contact.company == "Acme, Inc." && contact.companyKey == "acme")
        #expect(contact.domain == "acme.com")
        #expect(contact.flagsText
            == "name_case_fixed;name_split;zip_leading_zero_restored;city_filled_from_zip;country_inferred;domain_from_email")
    }

    @Test func domainComesFromTheWebsiteFirstAndNeverFromFreeMail() {
        let website = normalizer.normalize(RawContact(email: "jane@acme.com", website: "https://www.acme-corp.co.uk/"))
        #expect(website.domain == "acme-corp.co.uk" && !website.flags.contains(.domainFromEmail))
        let freeMail = normalizer.normalize(RawContact(email: "jane@gmail.com"))
        #expect(freeMail.domain.isEmpty)
        let badWebsite = normalizer.normalize(RawContact(website: "not a site"))
        #expect(badWebsite.flags == [.domainInvalid])
    }

    /// A mailbox that names a generation right after the last name gives the suffix the name
    /// columns do not ("Jr" in `grant.weeks81jr@`); a suffix in the names stays.
    @Test func aGenerationInTheMailboxIsTheSuffixWhenTheNamesGiveNone() {
        let son = normalizer.normalize(RawContact(firstName: "Grant", lastName: "WEEKS", email: "GRANT.WEEKS81JR@YAHOO.COM"))
        #expect(son.nameSuffix == "Jr" && son.flags.contains(.suffixFromEmail))
        let father = normalizer.normalize(RawContact(firstName: "Ed", lastName: "Smith", email: "ed.smith.sr+news@acme.com"))
        #expect(father.nameSuffix == "Sr")
        let named = normalizer.normalize(RawContact(firstName: "Ed", lastName: "Smith III", email: "edsmithjr@acme.com"))
        #expect(named.nameSuffix == "III" && !named.flags.contains(.suffixFromEmail))
        let initials = normalizer.normalize(RawContact(firstName: "Jr", lastName: "Weeks", email: "jrweeks@acme.com"))
        #expect(initials.nameSuffix.isEmpty && !initials.flags.contains(.suffixFromEmail))
    }

    @Test func emptyRecordHasNoFlags() {
        let contact = normalizer.normalize(RawContact())
        #expect(contact == NormalizedContact())
    }

    @Test func flagsAreWrittenInDeclarationOrder() {
        #expect(NormalizationFlag.joined([.zipUnknown, .emailRole, .zipUnknown]) == "email_role;zip_unknown")
        #expect(NormalizationFlag.ordered(NormalizationFlag.allCases.reversed()) == NormalizationFlag.allCases)
        #expect(NormalizationFlag.allCases.count <= 64)
        #expect(NormalizationFlag.allCases.map(\.rawValue).allSatisfy { raw in
            raw.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") }
        })
    }

    @Test func referenceDataLoadsEveryTable() {
        let data = ReferenceData.shared
        #expect(data.missingResources.isEmpty)
        #expect(data.zipCodes.count == 42789)
        #expect(!data.names.givenNames.isEmpty && !data.emailDomains.free.isEmpty && !data.emailDomains.disposable.isEmpty)
        let empty = ReferenceData(directory: "/nonexistent")
        #expect(empty.missingResources.count == 6)
        #expect(Normalizer(data: empty).normalize(RawContact(zip: "02134")).flags == [.zipUnknown])
    }
}
