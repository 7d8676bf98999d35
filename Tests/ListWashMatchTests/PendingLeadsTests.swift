import Dispatch
import Testing
@testable import ListWashMatch

/// The ledger's segments of pending leads, and how a CRM export is found to show one.
@Suite struct PendingLeadsTests {
    /// Leads of one run from `(id, owner, [column: value])`.
    static func leads(_ people: [(String, String, [String: String])], run: String = "run-1") -> PendingLeads {
        var leads = PendingLeads()
        for (id, owner, values) in people { leads.add(id: id, owner: owner, createdBy: run) { values[$0] ?? "" } }
        return leads
    }

    static let bob: [String: String] = ["listwash_first_name": "Bob", "listwash_last_name": "Smith", "listwash_email_key": "bob.smith@acme.com",
                                        "listwash_phone": "+16175550100", "listwash_company_key": "acme"]

    @Test func aSegmentReadsBackAsWritten() throws {
        let written = Self.leads([("LW1", "dana", Self.bob), ("LW2", "", ["listwash_first_name": "Ann", "listwash_last_name": "Lee"])])
        let read = try PendingLeads(decoding: written.encoded(), createdBy: "run-1")
        #expect(read.ids == ["LW1", "LW2"])
        #expect(read.owners == ["dana", ""])
        #expect(read.createdBy == ["run-1", "run-1"])
        for column in PendingLeads.columns {
            let (a, b) = (try #require(written.column(column)), try #require(read.column(column)))
            #expect((0..<2).map { a[$0] } == (0..<2).map { b[$0] }, "\(column)")
        }
        #expect(read.column("listwash_email_key")?[0] == "bob.smith@acme.com")
    }

    /// A damaged or foreign blob is an error, never a crash or a partial read.
    @Test(arguments: [0, 5, 11, 40, -1])
    func aTruncatedSegmentIsAnError(keep: Int) throws {
        let data = Self.leads([("LW1", "dana", Self.bob)]).encoded()
        let cut = keep < 0 ? Array(data.dropLast()) : Array(data.prefix(keep))
        #expect(throws: ColumnCodec.Malformed.self) { try PendingLeads(decoding: cut, createdBy: "r") }
        #expect(throws: ColumnCodec.Malformed.self) { try PendingLeads(decoding: cut, createdBy: "r", for: .leadList) }
    }

    @Test func aSegmentWhoseEndsPassItsBytesIsAnError() throws {
        var data = Self.leads([("LW1", "dana", Self.bob), ("LW2", "kim", Self.bob)]).encoded()
        // The ids column's first end (after the tag and two counts) set past the column's bytes.
        let first = "LWPENDING1".utf8.count + 8
        data[first] = 200
        #expect(throws: ColumnCodec.Malformed.self) { try PendingLeads(decoding: data, createdBy: "r") }
    }

    @Test func appendingMarksTheLeadsTheExportShows() {
        let part = Self.leads([("LW1", "dana", Self.bob), ("LW2", "kim", ["listwash_last_name": "Lee"]), ("LW3", "", [:])], run: "run-2")
        var all = Self.leads([("LW0", "", [:])])
        all.append(part) { $0 == "LW2" }
        #expect(all.ids == ["LW0", "LW1", "LW2", "LW3"])
        #expect(all.shown == [false, false, true, false])
        #expect(all.pendingCount == 3)
        #expect(all.owners == ["", "dana", "kim", ""])
        #expect(all.createdBy == ["run-1", "run-2", "run-2", "run-2"])
        #expect(all.column("listwash_email_key")?[1] == "bob.smith@acme.com")
        #expect(all.column("listwash_last_name")?[2] == "Lee")
    }

    /// A segment keeps its leads' comparison values and blocking keys under the built-in model:
    /// what a later run reads back is what it would have worked out, and a model that compares
    /// or blocks otherwise works them out again.
    @Test func theSegmentsPreparedValuesAreThoseTheModelWouldWorkOut() throws {
        let people: [(String, String, [String: String])] = [("LW1", "", Self.bob), ("LW2", "", ["listwash_first_name": "Ann", "listwash_last_name": "Lee", "listwash_zip": "02134"]),
                                                            ("LW3", "", ["listwash_first_name": "Robert", "listwash_last_name": "Smyth", "listwash_company_key": "acme"])]
        var read = try PendingLeads(decoding: Self.leads(Array(people.prefix(2))).encoded(), createdBy: "run-1")
        read.append(try PendingLeads(decoding: Self.leads(Array(people.suffix(1))).encoded(), createdBy: "run-2"))
        let variants = PreparationCache()
        let prepared = try #require(read.prepared(for: .leadList, variants: variants))
        var fresh = FeatureSet(model: .leadList)
        fresh.add(read, range: 0..<read.count, names: .init())
        #expect(prepared.features.labels == ["LW1", "LW2", "LW3"])
        for (index, name) in fresh.columnNames.enumerated() {
            #expect((0..<3).map { prepared.features.columns[index][$0] } == (0..<3).map { fresh.columns[index][$0] }, "\(name)")
        }
        for (name, list) in fresh.nameKeys { #expect((0..<3).map { prepared.features.nameKeys[name]?[$0] } == (0..<3).map { list[$0] }, "\(name)") }
        #expect(prepared.keys == BlockingKeys(model: .leadList, features: fresh, store: fresh.store(model: .leadList)).keys)

        var otherBlocking = MatchModel.leadList
        otherBlocking.blocking.removeLast()
        #expect(read.prepared(for: otherBlocking, variants: variants) == nil)
        var unprepared = read
        unprepared.add(id: "LW4", owner: "", createdBy: "run-3") { _ in "" }
        #expect(unprepared.prepared(for: .leadList, variants: variants) == nil, "a lead added since has no prepared values")
    }

    /// A run reads a segment for the model that will match its leads: only the prepared values
    /// when they fit that model (the normalized columns are not read into memory), else only
    /// the normalized columns, from which the values are worked out again. Either way the leads
    /// are indexed as from the whole segment.
    @Test func aSegmentIsReadForTheModelThatMatchesIt() throws {
        let people: [(String, String, [String: String])] = [("LW1", "dana", Self.bob), ("LW2", "", ["listwash_first_name": "Ann", "listwash_last_name": "Lee", "listwash_zip": "02134"])]
        let bytes = Self.leads(people).encoded()
        let variants = PreparationCache()
        let whole = try #require(try PendingLeads(decoding: bytes, createdBy: "run-1").prepared(for: .leadList, variants: variants))

        let forBuiltIn = try PendingLeads(decoding: bytes, createdBy: "run-1", for: .leadList)
        #expect(forBuiltIn.ids == ["LW1", "LW2"] && forBuiltIn.owners == ["dana", ""])
        #expect(forBuiltIn.column("listwash_email_key")?[0] == "", "the normalized columns are not read")
        let prepared = try #require(forBuiltIn.prepared(for: .leadList, variants: variants))
        #expect(prepared.keys == whole.keys)
        for index in whole.features.columns.indices {
            #expect((0..<2).map { prepared.features.columns[index][$0] } == (0..<2).map { whole.features.columns[index][$0] })
        }

        var otherBlocking = MatchModel.leadList
        otherBlocking.blocking.removeLast()
        let forOther = try PendingLeads(decoding: bytes, createdBy: "run-1", for: otherBlocking)
        #expect(forOther.prepared(for: otherBlocking, variants: variants) == nil)
        #expect(forOther.column("listwash_email_key")?[0] == "bob.smith@acme.com", "the normalized columns are read instead")
        var fresh = FeatureSet(model: otherBlocking)
        fresh.add(forOther, range: 0..<forOther.count, names: .init())
        #expect(fresh.labels == ["LW1", "LW2"])
        for (index, name) in fresh.columnNames.enumerated() {
            #expect((0..<2).map { fresh.columns[index][$0] } == (0..<2).map { whole.features.columns[index][$0] }, "\(name)")
        }
    }

    /// Segments read one after another for the model their prepared values fit are read into
    /// one: the leads are indexed as from the segments apart, without joining them.
    @Test func segmentsReadForTheirModelAreReadIntoOne() throws {
        let people: [(String, String, [String: String])] = [("LW1", "dana", Self.bob), ("LW2", "", ["listwash_first_name": "Ann", "listwash_last_name": "Lee", "listwash_zip": "02134"]),
                                                            ("LW3", "kim", ["listwash_first_name": "Robert", "listwash_last_name": "Smyth", "listwash_company_key": "acme"])]
        let first = Self.leads(Array(people.prefix(2))).encoded(), second = Self.leads(Array(people.suffix(1)), run: "run-2").encoded()
        var apart = try PendingLeads(decoding: first, createdBy: "run-1", for: .leadList)
        apart.append(try PendingLeads(decoding: second, createdBy: "run-2", for: .leadList)) { $0 == "LW3" }
        var read = PendingLeads()
        for (data, run) in [(first, "run-1"), (second, "run-2")] {
            try data.withUnsafeBytes { try read.append(decoding: $0, createdBy: run, for: .leadList, room: 3) { $0 == "LW3" } }
        }
        #expect(read.segmentRanges.map(\.range) == [0..<3])
        #expect(read.ids == apart.ids && read.owners == apart.owners && read.createdBy == apart.createdBy && read.shown == [false, false, true])
        let variants = PreparationCache()
        let (one, joined) = (try #require(read.prepared(for: .leadList, variants: variants)), try #require(apart.prepared(for: .leadList, variants: variants)))
        #expect(one.keys == joined.keys)
        #expect(one.features.labels == joined.features.labels)
        for index in joined.features.columns.indices {
            #expect((0..<3).map { one.features.columns[index][$0] } == (0..<3).map { joined.features.columns[index][$0] })
        }
        for (name, list) in joined.features.nameKeys { #expect((0..<3).map { one.features.nameKeys[name]?[$0] } == (0..<3).map { list[$0] }, "\(name)") }
    }

    /// A damaged segment read after others is an error that leaves the leads read before it as
    /// they were, wherever the damage is.
    @Test(arguments: [1, 2, 3, 8, 16, 64])
    func aDamagedSegmentLeavesTheLeadsReadBeforeIt(cut: Int) throws {
        let first = Self.leads([("LW1", "dana", Self.bob)]).encoded()
        let second = Self.leads([("LW2", "", ["listwash_first_name": "Ann", "listwash_last_name": "Lee"])], run: "run-2").encoded()
        var read = PendingLeads()
        try first.withUnsafeBytes { try read.append(decoding: $0, createdBy: "run-1", for: .leadList, room: 2) }
        let before = try #require(read.prepared(for: .leadList, variants: PreparationCache()))
        let damaged = Array(second.dropLast(cut))
        #expect(throws: ColumnCodec.Malformed.self) {
            try damaged.withUnsafeBytes { try read.append(decoding: $0, createdBy: "run-2", for: .leadList, room: 2) }
        }
        #expect(read.ids == ["LW1"] && read.createdBy == ["run-1"])
        let after = try #require(read.prepared(for: .leadList, variants: PreparationCache()))
        #expect(after.keys == before.keys)
        for index in before.features.columns.indices {
            #expect(after.features.columns[index].count == 1 && after.features.columns[index][0] == before.features.columns[index][0])
        }
        for (name, list) in before.features.nameKeys { #expect(after.features.nameKeys[name]?.count == 1 && after.features.nameKeys[name]?[0] == list[0]) }
    }

    /// The export's record of a pending lead carries the values ListWash gave it: the same email
    /// and last name (the first name may be written otherwise), or without an email the same
    /// phone and names. A namesake at another mailbox is another person.
    @Test func theExportShowsAPendingLeadByItsEmailAndLastNameOrItsPhoneAndNames() {
        var noEmail = Self.bob
        noEmail["listwash_email_key"] = ""
        let pending = Self.leads([("LW1", "", Self.bob), ("LW2", "", noEmail), ("LW3", "", ["listwash_first_name": "Ann", "listwash_last_name": "Lee"])])
        var robert = Self.bob
        robert["listwash_first_name"] = "Robert"
        var namesake = Self.bob
        namesake["listwash_email_key"] = "bsmith@globex.com"
        var otherName = noEmail
        otherName["listwash_first_name"] = "Barbara"
        let export = Self.leads([("00Q1", "", namesake), ("00Q2", "", otherName), ("00Q3", "", robert), ("00Q4", "", ["listwash_first_name": "Ann", "listwash_last_name": "Lee"])])
        func features(_ leads: PendingLeads) -> FeatureSet {
            var set = FeatureSet(model: .leadList)
            set.add(leads, range: 0..<leads.count, names: .init())
            return set
        }
        let found = ShownPendingLeads.find(features(pending), in: features(export))
        #expect(found.map { [$0.pending, $0.export] } == [[0, 2]], "Bob by email and last name; not Barbara on his phone; Ann Lee has nothing that identifies her")
    }

    /// The match stage looks for the pending leads the export shows while the rows are read: a
    /// run that reads what it found gets all of it, once the search has ended, never a part.
    @Test func theLeadsTheExportShowsAreReadOnceTheSearchHasEnded() {
        let matches = PendingLeadMatches()
        matches.add("LW1", crmID: "00Q1")
        matches.searchBegins()
        DispatchQueue.global().async {
            matches.add("LW2", crmID: "00Q2")
            matches.searchEnds()
        }
        #expect(matches.confirmed == ["LW1": "00Q1", "LW2": "00Q2"])
    }
}
