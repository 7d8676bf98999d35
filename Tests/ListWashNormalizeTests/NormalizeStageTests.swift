import Dispatch
import Synchronization
import Foundation
import ListWashCore
import Testing
@testable import ListWashNormalize

/// The normalize stage (byte-level fast paths and per-batch caches) must write exactly what
/// `Normalizer.normalize` gives for each record.
@Suite struct NormalizeStageTests {
    let normalizer = TestSupport.normalizer

    static let roles: [(String, FieldRole)] = [
        ("First Name", .firstName), ("Last Name", .lastName), ("Full Name", .fullName), ("Email", .email),
        ("Phone", .phone), ("Mobile", .mobile), ("Company", .company), ("Website", .website), ("City", .city),
        ("State", .state), ("Zip", .zip), ("Country", .country),
    ]

    /// Values lead lists hold, clean and messy, per role.
    static let samples: [[String]] = [
        ["James", "MARY", " olivia ", "José", "Zoë", "Dr. Jane", "N/A", "", "Bob", "jean-luc", "Smith", "李", "x", "mary\u{200B}ann", "Ann\tMarie",
         "John Jr", "JOHN, III", "Junior", "Laura Heath", "Russ Green-Garcia", "Daniel townsold", "CHRISTOPHER GREER",
         "Heath, Laura", "John Smith Jr", "Dr. Jane A. Doe, PhD", "Mary Ann", "Madonna", "m.", "A.", "Carolyn S.", "MELANIE D",
         "Heath, L.", "J R", "John S. Jr"],
        ["Smith", "DOE JR.", "van der berg", "müller", "O'BRIEN", "John", "", "Lee III", "unknown", "Thanh Le", "e\u{301}clair",
         "Reed, JR", "Jones Sr.", "Kelly 2nd", "Reed, PhD", "Reed,", "Junior", "N/A Sr.", "Hale, CPA", ""],
        ["", "", "Dr. Jane A. Doe, PhD", "Smith, John", "Robert \"Bob\" Smith", "LUDWIG VAN BEETHOVEN", "Cher", "N/A",
         "John Reed, JR", "JOHN REED SENIOR", "Smith III, MD"],
        ["jane.doe@acme.com", "J.O.H.N+promo@googlemail.com", "info@acme.com", "michael.müller@initech.com",
         "ZOË@GMAIL.COM", "jane@gmial.com", "jane@gmail.con", "a..b@acme.com", ".a@acme.com", "jdoe-shop@yahoo.com",
         "+only@gmail.com", "x@mailinator.com", "x@example.test", "x@bücher.de", "x@xn--bcher-kva.de", "x@ab--cd.com",
         "mailto:x@acme.com?subject=hi", "Jane <jane@acme.com>", " jane@acme.com. ", "\"jane@acme.com\"", "not an email",
         "a@b@c.com", "x@acme", "ÆØÅ@yahoo.com", "İstanbul@acme.com", "ñandú@acme.com", "\u{200B}jane@acme.com",
         "sales+emea@acme.co.uk", String(repeating: "x", count: 64) + "@" + String(repeating: "a", count: 63) + "." + String(repeating: "b", count: 63) + "." + String(repeating: "c", count: 61) + ".com", ""],
        ["(617) 253-1000", "617.253.1000 ext. 204", "+1 617 253 1000", "1-800-FLOWERS", "+44 20 7946 0958",
         "0044 20 7946 0958", "011 44 20 7946 0958", "555-555-5555", "212-555-0150", "617-253-1000#55", "6172531000",
         "617 253 1000 x", "617-253-1000 xabc", "617\t253\t1000", "+", "617-253-1000, 33", "(876) 555-2345", "12345678901234567890", ""],
        ["", "", "(212) 555-2345", "+49 30 1234567"],
        ["Acme, Inc.", "ACME Incorporated", "The Acme Company", "AT&T", "N/A", "", "Société Générale S.A.", "  Hooli  ", "株式会社"],
        ["", "https://www.acme.com/about", "www.acme.co.uk", "not a site", "co.uk", "bücher.de", "192.168.0.1"],
        ["", "Boston", "  new   york ", "München"],
        ["MA", "Mass.", "N.Y.", "Ontario", "Québec", "XX", "", "Bavaria", "PR", "state of new york"],
        ["02134", "2134", "2134.0", "02134-1234", "021341234", "k1a0b1", "99999", "", "abc", "SW1A 1AA", "30301"],
        ["", "US", "USA", "Canada", "Germany", "UK", "Narnia", "Türkiye", "PR"],
    ]

    func check(rows: [[String]], roles: [(String, FieldRole)]) throws {
        var roleColumns: [FieldRole: Int] = [:]
        for (index, role) in roles.enumerated() { roleColumns[role.1] = index }
        let schema = Schema(source: "test.csv", columns: roles.map(\.0), roles: roleColumns)
        let stage = NormalizeStage(normalizer: normalizer)
        var batch = RecordBatch(schema: schema, layout: Pipeline([stage]).layout, rows: rows)
        try stage.process(&batch)
        for (row, fields) in rows.enumerated() {
            func value(_ role: FieldRole) -> String? { roleColumns[role].map { fields[$0] } }
            var raw = RawContact(
                firstName: value(.firstName), lastName: value(.lastName), fullName: value(.fullName), email: value(.email),
                phone: value(.phone) ?? value(.mobile), company: value(.company), website: value(.website),
                city: value(.city), state: value(.state), zip: value(.zip), country: value(.country))
            if raw.phone?.isEmpty ?? true, let mobile = value(.mobile) { raw.phone = mobile }
            let contact = normalizer.normalize(raw)
            let expected = [
                contact.firstName, contact.lastName, contact.nameSuffix, contact.email, contact.emailKey, contact.phone,
                contact.phoneExtension, contact.areaCodeRegion, contact.zip, contact.city, contact.state,
                contact.country, contact.company, contact.companyKey, contact.domain, contact.flagsText,
                contact.name.prefix, contact.name.middle,
            ]
            let written = NormalizeStage.columns.compactMap { batch.layout.column($0) }.map { batch[row, $0] }
            #expect(written == expected, "\(fields.debugDescription)")
        }
    }

    @Test func matchesTheNormalizerOnMessyValues() throws {
        var generator = SeededGenerator(seed: 2026)
        let rows = (0..<3000).map { _ in
            Self.samples.map { pool in
                Int.random(in: 0..<8, using: &generator) == 0
                    ? FuzzTests.randomString(&generator, length: Int.random(in: 0..<12, using: &generator))
                    : pool[Int.random(in: 0..<pool.count, using: &generator)]
            }
        }
        try check(rows: rows, roles: Self.roles)
    }

    @Test func matchesTheNormalizerWithFewColumns() throws {
        var generator = SeededGenerator(seed: 7)
        let picked = [2, 3, 5, 10]  // full name, email, mobile only, ZIP
        let rows = (0..<500).map { _ in
            picked.map { Self.samples[$0][Int.random(in: 0..<Self.samples[$0].count, using: &generator)] }
        }
        try check(rows: rows, roles: picked.map { Self.roles[$0] })
    }

    /// The suffix column: from the last name, else from a first name without a last name,
    /// else from a split full name; the same for every record with the same raw value (read
    /// from the shared caches), and written for a reader of only that column and the last name
    /// (a matcher indexing a CRM export).
    @Test func writesTheGenerationalSuffixColumn() throws {
        let schema = Schema(source: "t.csv", columns: ["First Name", "Last Name", "Full Name"], roles: [.firstName: 0, .lastName: 1, .fullName: 2])
        let rows = [
            ["John", "Reed, JR", ""], ["Ann", "Reed, JR", ""], ["Bo", "SMITH III", ""], ["John Jr", "", ""], ["John Jr", "Reed", ""],
            ["", "", "John Reed Junior"], ["Al", "Reed, PhD", ""], ["Al", "Junior", ""], ["Al", "Jones Sr.", ""], ["John Jr", "", ""],
        ]
        let expected = [
            ("John", "Reed", "Jr"), ("Ann", "Reed", "Jr"), ("Bo", "Smith", "III"), ("John", "", "Jr"), ("John Jr", "Reed", ""),
            ("John", "Reed", "Jr"), ("Al", "Reed", ""), ("Al", "Junior", ""), ("Al", "Jones", "Sr"), ("John", "", "Jr"),
        ]
        let full = NormalizeStage(normalizer: normalizer)
        let matcher = NormalizeStage(normalizer: normalizer, reading: ["listwash_last_name", "listwash_name_suffix"])
        // Twice each: the second time every value comes from the shared caches.
        for (stage, writesFirstName) in [(full, true), (matcher, false), (full, true), (matcher, false)] {
            var batch = RecordBatch(schema: schema, layout: Pipeline([stage]).layout, rows: rows)
            try stage.process(&batch)
            let first = try #require(batch.layout.column("listwash_first_name"))
            let last = try #require(batch.layout.column("listwash_last_name"))
            let suffix = try #require(batch.layout.column("listwash_name_suffix"))
            for (row, (firstName, lastName, nameSuffix)) in expected.enumerated() {
                #expect(batch[row, first] == (writesFirstName ? firstName : ""), "row \(row)")
                #expect(batch[row, last] == lastName, "row \(row)")
                #expect(batch[row, suffix] == nameSuffix, "row \(row)")
            }
        }
    }

    /// The salutation and middle name that parsing takes out of the names get their own columns,
    /// from the first-name column (cached path) and from a full name (split path).
    @Test func writesTheSalutationAndMiddleName() throws {
        let schema = Schema(source: "t.csv", columns: ["First Name", "Last Name", "Full Name"], roles: [.firstName: 0, .lastName: 1, .fullName: 2])
        let rows = [["Dr. Carolyn S.", "Heath", ""], ["Dr. Carolyn S.", "Heath", ""], ["", "", "Mr. John Q. Public Jr."], ["Ann", "Lee", ""]]
        let stage = NormalizeStage(normalizer: normalizer)
        var batch = RecordBatch(schema: schema, layout: Pipeline([stage]).layout, rows: rows)
        try stage.process(&batch)
        let names = ["listwash_salutation", "listwash_first_name", "listwash_middle_name", "listwash_last_name", "listwash_name_suffix"]
        let columns = try names.map { try #require(batch.layout.column($0)) }
        #expect((0..<rows.count).map { row in columns.map { batch[row, $0] } } == [
            ["Dr.", "Carolyn", "S.", "Heath", ""], ["Dr.", "Carolyn", "S.", "Heath", ""], ["Mr.", "John", "Q.", "Public", "Jr"], ["", "Ann", "", "Lee", ""],
        ])
    }

    /// A whole name in the first-name column without a last name is split (the general path),
    /// a first name's initial loses its period and a trailing middle initial leaves it (the
    /// cached path); the same for every record with the same raw value.
    @Test func splitsAWholeNameInTheFirstNameColumn() throws {
        let schema = Schema(source: "t.csv", columns: ["First Name", "Last Name", "Full Name"], roles: [.firstName: 0, .lastName: 1, .fullName: 2])
        let rows = [
            ["Laura Heath", "", ""], ["Laura", "Heath", ""], ["Laura Heath", "unknown", ""], ["Laura Heath", "Heath", ""],
            ["Madonna", "", ""], ["m.", "Smith", ""], ["Carolyn S.", "Jones", ""], ["Carolyn S.", "", ""], ["John Jr", "", ""],
            ["Heath, Laura", "", ""], ["John Smith Jr", "", ""], ["CHRISTOPHER GREER", "", "Someone Else"], ["", "", "Laura Heath"],
            ["Laura Heath", "", ""], ["m.", "", ""],
        ]
        let expected = [
            ("Laura", "Heath", "", true), ("Laura", "Heath", "", false), ("Laura", "Heath", "", true), ("Laura Heath", "Heath", "", false),
            ("Madonna", "", "", false), ("M", "Smith", "", false), ("Carolyn", "Jones", "", false), ("Carolyn", "", "", false), ("John", "", "Jr", false),
            ("Laura", "Heath", "", true), ("John", "Smith", "Jr", true), ("Christopher", "Greer", "", true), ("Laura", "Heath", "", true),
            ("Laura", "Heath", "", true), ("M", "", "", false),
        ]
        let stage = NormalizeStage(normalizer: normalizer)
        // Twice: the second time every value comes from the shared caches.
        for _ in 0..<2 {
            var batch = RecordBatch(schema: schema, layout: Pipeline([stage]).layout, rows: rows)
            try stage.process(&batch)
            let first = try #require(batch.layout.column("listwash_first_name"))
            let last = try #require(batch.layout.column("listwash_last_name"))
            let suffix = try #require(batch.layout.column("listwash_name_suffix"))
            let flags = try #require(batch.layout.column("listwash_flags"))
            for (row, (firstName, lastName, nameSuffix, split)) in expected.enumerated() {
                #expect(batch[row, first] == firstName, "row \(row)")
                #expect(batch[row, last] == lastName, "row \(row)")
                #expect(batch[row, suffix] == nameSuffix, "row \(row)")
                #expect(batch[row, flags].split(separator: ";").contains("name_split") == split, "row \(row)")
            }
        }
        try check(rows: rows, roles: Array(Self.roles.prefix(3)))
    }

    @Test func leavesSettledRecordsAlone() throws {
        let schema = Schema(source: "t.csv", columns: ["Email"], roles: [.email: 0])
        let stage = NormalizeStage(normalizer: normalizer)
        var batch = RecordBatch(schema: schema, layout: Pipeline([stage]).layout, rows: [["A@ACME.COM"], ["B@ACME.COM"]])
        batch.settle(0, as: .rejected, reason: "test")
        try stage.process(&batch)
        let email = try #require(batch.layout.column("listwash_email"))
        #expect(batch[0, email] == "" && batch[1, email] == "b@acme.com")
    }

    /// Stages over the same reference data share their caches, whatever they output: a
    /// matcher's stage (no domain column) that meets a domain first leaves the employer's
    /// domain for a full stage that meets it later, and writes none itself.
    @Test func stagesOverTheSameDataShareTheirCachesButKeepTheirOutputs() throws {
        let data = normalizer.referenceData
        #expect(BatchNormalizer.SharedCaches.shared(for: data) === BatchNormalizer.SharedCaches.shared(for: data))
        let other = ReferenceData(directory: NSTemporaryDirectory() + "listwash-no-data-\(UUID().uuidString)")
        #expect(BatchNormalizer.SharedCaches.shared(for: other) !== BatchNormalizer.SharedCaches.shared(for: data))

        let schema = Schema(source: "t.csv", columns: ["Email", "Last Name"], roles: [.email: 0, .lastName: 1])
        let domain = "shared-cache-\(UUID().uuidString.prefix(8).lowercased()).com"
        let rows = [["Jane@\(domain)", "O'BRIEN"], ["x@gmail.com", "O'BRIEN"]]
        let matcher = NormalizeStage(normalizer: normalizer, reading: ["listwash_email_key", "listwash_last_name"])
        var first = RecordBatch(schema: schema, layout: Pipeline([matcher]).layout, rows: rows)
        try matcher.process(&first)
        let full = NormalizeStage(normalizer: normalizer)
        var second = RecordBatch(schema: schema, layout: Pipeline([full]).layout, rows: rows)
        try full.process(&second)
        for (batch, domainColumn) in [(first, ""), (second, domain)] {
            func value(_ name: String, _ row: Int) throws -> String { batch[row, try #require(batch.layout.column(name))] }
            #expect(try value("listwash_email_key", 0) == "jane@\(domain)")
            #expect(try value("listwash_last_name", 1) == "O'Brien")
            #expect(try value("listwash_domain", 0) == domainColumn)
            #expect(try value("listwash_domain", 1) == "")
        }
        let flags = try #require(second.layout.column("listwash_flags"))
        #expect(second[0, flags].contains("domain_from_email"))
    }

    @Test func missingReferenceDataStopsTheStage() throws {
        let folder = NSTemporaryDirectory() + "listwash-no-data-\(UUID().uuidString)"
        let data = ReferenceData(directory: folder)
        #expect(data.missingResources == ReferenceData.resourceNames)
        let stage = NormalizeStage(normalizer: Normalizer(data: data))
        let schema = Schema(source: "t.csv", columns: ["Email"], roles: [.email: 0])
        var batch = RecordBatch(schema: schema, layout: Pipeline([stage]).layout, rows: [["a@acme.com"]])
        do {
            try stage.process(&batch)
            Issue.record("expected an error")
        } catch let error as ListWashError {
            #expect(error.exitStatus == 66)
            #expect(error.description.contains("looked in \(folder)"))
        }
        #expect(throws: ListWashError.self) { try stage.setUp() }
        #expect(throws: Never.self) { try ReferenceData.shared.requireComplete() }
    }

    @Test func referenceDataIsLookedForNextToTheExecutableThenInLISTWASH_DATA() {
        let folders = BundledResources.candidateFolders(environment: ["LISTWASH_DATA": "/opt/data"])
        #expect(folders.first?.hasSuffix("/ListWash_ListWashNormalize.resources/Resources") == true)
        #expect(Array(folders.suffix(3)) == ["/opt/data", "/opt/data/Resources", "/opt/data/ListWash_ListWashNormalize.resources/Resources"])
        #expect(!BundledResources.candidateFolders(environment: [:]).contains { $0.hasPrefix("/opt/data") })
    }

    @Test func byteCacheKeepsDistinctKeysApartAndStaysBounded() {
        var cache = ByteCache<Int>(capacity: 4, limit: 100)
        var computed = 0
        func lookup(_ text: String) -> Int {
            var text = text
            let count = text.utf8.count
            return text.withUTF8 { bytes in cache.value(for: bytes) { _ in computed += 1; return count } }
        }
        for round in 0..<3 {
            for index in 0..<90 { #expect(lookup("key \(index) " + String(repeating: "x", count: index)) == 5 + String(index).count + index) }
            #expect(computed == 90, "round \(round)")
        }
        #expect(lookup("") == 0)
        for index in 0..<200 { _ = lookup("other \(index)") }
        #expect(cache.count <= 100)
    }

    /// A cached result's fields come back as they went in: empty ones, non-ASCII ones, one
    /// field or several, with its flags.
    @Test func cachedFieldsGiveBackEachField() {
        for fields in [["94105", "San Francisco", "CA", "US"], ["", "Zürich", "", "CH"], ["Müller"], [""], ["acme corp", ""]] {
            var bytes: [UInt8] = []
            CachedFields.encode(flags: 0x8000_0000_0000_0005, fields, into: &bytes)
            bytes.withUnsafeBufferPointer { cached in
                #expect(CachedFields.flags(cached) == 0x8000_0000_0000_0005)
                let back = fields.indices.map { String(decoding: CachedFields.field($0, of: fields.count, in: cached), as: UTF8.self) }
                #expect(back == fields)
            }
        }
    }

    /// Batches on every core share one cache of last names and companies, read without locks
    /// while other cores insert: each value is right whichever core worked it out, and past
    /// its limit the cache still answers (uncached).
    @Test(arguments: [64, 1 << 12])
    func sharedByteCacheGivesEachKeyItsOwnValueFromEveryCore(limit: Int) {
        let cache = SharedByteCache(limit: limit)
        let misses = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for round in 0..<3 {
                for index in 0..<500 {
                    // Keys of many lengths (the empty one too), values longer than their keys.
                    let number = (index * 7 + worker) % 500
                    var key = number == 499 ? "" : String(repeating: "n", count: number % 37) + "\(number)"
                    let value = key.withUTF8 { bytes in
                        cache.withValue(for: bytes, { bytes, out in
                            misses.add(1, ordering: .relaxed)
                            out.append(contentsOf: (String(decoding: bytes, as: UTF8.self).uppercased() + "!").utf8)
                        }, { String(decoding: $0, as: UTF8.self) })
                    }
                    #expect(value == key.uppercased() + "!", "round \(round)")
                }
            }
        }
        // 500 keys, 4 cores, 3 rounds: the ones cached are worked out far fewer times; with room
        // for all, each about once (twice when two cores miss it at the same moment).
        #expect(misses.load(ordering: .relaxed) < 4 * 3 * 500)
        #expect(misses.load(ordering: .relaxed) >= 500)
        if limit >= 4 * 500 { #expect(misses.load(ordering: .relaxed) < 2 * 500) }
    }
}
