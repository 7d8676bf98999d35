import ListWashCore
import Testing
@testable import ListWashDecide

/// The decide stage on its own, as a library user calls it: batches whose match columns are
/// already filled.
@Suite struct DecideStageTests {
    static let header = ["Email", "Title", "Campaign", "Response Date"]

    func decided(_ method: LeadMethod, rows: [[String]], clusters: [String], leads: [String], contacts: [String], accounts: [String]? = nil) throws -> RecordBatch {
        let stage = DecideStage(method: method, campaign: "Fallback", defaultDate: "2026-11-30")
        let layout = OutputLayout(adding: ["listwash_contact_id", "listwash_lead_id", "listwash_account_id"] + stage.outputColumns)
        let schema = Schema(source: "forms/webinar.csv", columns: Self.header, roles: [.email: 0, .title: 1, .campaign: 2, .responseDate: 3])
        var batch = RecordBatch(schema: schema, layout: layout, rows: rows)
        let lead = try #require(layout.column("listwash_lead_id")), contact = try #require(layout.column("listwash_contact_id"))
        let account = try #require(layout.column("listwash_account_id"))
        for row in 0..<batch.count {
            batch[row, OutputLayout.cluster] = clusters[row]
            batch[row, lead] = leads[row]
            batch[row, contact] = contacts[row]
            batch[row, account] = accounts?[row] ?? ""
        }
        try stage.observe(batch, digest: try stage.digest(batch))
        try stage.prepare()
        try stage.process(&batch)
        return batch
    }

    func column(_ batch: RecordBatch, _ name: String) throws -> [String] {
        let column = try #require(batch.layout.column(name))
        return (0..<batch.count).map { batch[$0, column] }
    }

    @Test func aLaterRowsMatchMakesThePersonALead() throws {
        // The first response matched nothing (a new email); the second matched the lead: both
        // are the same person (one cluster), so both attach to the lead.
        let batch = try decided(.hybrid, rows: [["a@x.com", "", "", ""], ["b@x.com", "", "", ""]],
                                clusters: ["C1", "C1"], leads: ["", "00Q7"], contacts: ["", ""])
        #expect(try column(batch, "listwash_action") == ["attach_to_lead", "attach_to_lead"])
        #expect(try column(batch, "listwash_target_id") == ["00Q7", "00Q7"])
        #expect(batch.dispositions == [.attach, .attach])
    }

    @Test func settledRowsAreLeftAloneAndDoNotCreate() throws {
        let stage = DecideStage(method: .unique, defaultDate: "2026-11-30")
        let layout = OutputLayout(adding: stage.outputColumns)
        var batch = RecordBatch(schema: Schema(source: "a.csv", columns: ["Email"], roles: [.email: 0]), layout: layout,
                                rows: [["held@x.com"], ["later@x.com"]])
        batch[0, OutputLayout.cluster] = "C1"
        batch[1, OutputLayout.cluster] = "C1"
        batch.settle(0, as: .suppressed, reason: "role-accounts.csv:3 local_part info")
        var optedOut = batch
        optedOut.settle(0, as: .suppressed, reason: "opt-outs.csv:3 email held@x.com")
        try stage.observe(batch, digest: try stage.digest(batch))
        try stage.process(&batch)
        #expect(batch.dispositions == [.suppressed, .load], "the first open row of the person creates the lead")
        #expect(try column(batch, "listwash_action") == ["", "create_lead"])

        let another = DecideStage(method: .unique, defaultDate: "2026-11-30")
        try another.observe(optedOut, digest: try another.digest(optedOut))
        try another.process(&optedOut)
        #expect(optedOut.dispositions == [.suppressed, .suppressed], "an opted-out person is held back in all their rows")
        #expect(optedOut.reasons[1] == "same person as row 1 of a.csv, held back: opt-outs.csv:3 email held@x.com")
    }

    @Test func withoutClustersEachRowIsItsOwnPersonNumberedLikeDedupe() throws {
        let batch = try decided(.unique, rows: [["a@x.com", "", "", ""], ["b@x.com", "", "", ""]],
                                clusters: ["", ""], leads: ["", ""], contacts: ["", "0035"])
        #expect(try column(batch, "listwash_action") == ["create_lead", "attach_to_contact"])
        #expect(batch[0, OutputLayout.cluster] == "C1")
    }

    @Test func campaignDateAndListFallBackInOrder() throws {
        let batch = try decided(.pointOfInterest, rows: [
            ["a@x.com", "", "Spring Webinar", "2026-03-04 10:00"], ["b@x.com", "", " ", "3/5/2026"],
            ["c@x.com", "", "", "yesterday"], ["d@x.com", "", "", "2026-02-30"],
        ], clusters: ["C1", "C2", "C3", "C4"], leads: ["", "", "", ""], contacts: ["", "", "", ""])
        #expect(try column(batch, "listwash_campaign") == ["Spring Webinar", "Fallback", "Fallback", "Fallback"])
        #expect(try column(batch, "listwash_response_date") == ["2026-03-04", "2026-03-05", "2026-11-30", "2026-11-30"])
        #expect(try column(batch, "listwash_list") == Array(repeating: "webinar", count: 4))
    }

    @Test func buyingGroupRowsWithoutAnAccountFollowUnique() throws {
        let batch = try decided(.buyingGroup, rows: [
            ["ceo@acme.com", "CEO", "", ""], ["eng@acme.com", "Engineer", "", ""], ["me@home.com", "Director", "", ""],
        ], clusters: ["C1", "C2", "C3"], leads: ["", "", ""], contacts: ["", "", "0039"], accounts: ["001A", "001A", ""])
        #expect(try column(batch, "listwash_action") == ["create_lead", "attach_to_lead", "attach_to_contact"])
        let created = try column(batch, "listwash_external_id")
        #expect(created[0].hasPrefix("LW") && created[1].isEmpty && created[2].isEmpty, "\(created)")
        #expect(try column(batch, "listwash_target_id") == ["", "new:\(created[0])", "0039"])
        #expect(try column(batch, "listwash_role") == ["decision_maker", "user", "influencer"])
    }
}
