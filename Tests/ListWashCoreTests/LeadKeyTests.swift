
@testable import ListWashCore
import Testing

@Suite struct LeadKeyTests {
    static let header = ["Email", "First Name"]

    func key(_ fields: [String], source: String = "inbox/leads.csv", row: Int = 1) -> LeadKey {
        var batch = RecordBatch(schema: Schema(source: source, columns: Self.header, roles: [.email: 0]), layout: OutputLayout(), capacity: 1)
        batch.append(fields: fields, row: row, line: row + 1)
        return LeadKey(batch, row: 0)
    }

    /// The id is pinned: a lead loaded with it is upserted by it in later runs and versions.
    @Test func theIdIsTheRowsOwnAndPinned() {
        let bob = key(["bob@acme.com", "Bob"])
        #expect(bob.text == key(["bob@acme.com", "Bob"], source: "/srv/processed/leads.csv").text,
                "washing the same file again (from another folder) upserts the same lead")
        #expect(bob.text.count == 28 && bob.text.hasPrefix("LW"))
        #expect(bob.text.dropFirst(2).allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
        // SHA-256 of "listwash-lead␟leads.csv␟1␟bob@acme.com␟Bob" (␟ = U+001F), its first 16 bytes in base32,
        // worked out with Python's hashlib.
        #expect(bob.text == "LW0S0FNYGKSZZZY6BXXSF02G1FMX")
    }

    @Test func theTextReadsBackAsTheSameId() {
        let bob = key(["bob@acme.com", "Bob"])
        #expect(LeadKey(text: bob.text) == bob)
        #expect(LeadKey(text: "LW0S0FNYGKSZZZY6BXXSF02G1FMI") == nil, "I is no Crockford digit")
        #expect(LeadKey(text: "00QA0001") == nil && !LeadKey.isLeadKey("00QA0001"))
    }

    /// Another night's file of the same name, another row, another file: never the same id.
    @Test func anotherRowFileOrNightIsAnotherLead() {
        let bob = key(["bob@acme.com", "Bob"])
        #expect(bob != key(["ann@acme.com", "Ann"]), "tomorrow's leads.csv, row 1")
        #expect(bob != key(["bob@acme.com", "Bob"], row: 2), "the same fields on another row")
        #expect(bob != key(["bob@acme.com", "Bob"], source: "expo.csv"), "another file")
        #expect(key(["a", "bc"]) != key(["ab", "c"]), "fields are kept apart")
    }
}
