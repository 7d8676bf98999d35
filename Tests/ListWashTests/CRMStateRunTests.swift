import Foundation
import Testing
@testable import ListWash

/// What the CRM export says of Bob's lead (its owner, converted, closed) decides where his four
/// forms go: the whole pipeline from files, as in ``LeadMethodRunTests``.
@Suite struct CRMStateRunTests {
    let scratch = Scratch()

    /// One output row: its file, action, target, target owner, owner, queue and reason.
    struct Row {
        var file, action, target, targetOwner, owner, reason: String
    }

    /// Runs Bob's forms against a leads export whose Bob row ends with `bob` (after the usual
    /// columns `Lead ID,First Name,Last Name,Email,Company,Phone,Zip Code`) under the header
    /// columns `extra`, and a contacts export with `003X0001` (not Bob by his fields).
    func run(_ method: String, extra: String, bob: String, decide: String = "decide") throws -> [Row] {
        scratch.write("forms.csv", LeadMethodRunTests.bobsForms + "\n")
        scratch.write("leads.csv", """
            Lead ID,First Name,Last Name,Email,Company,Phone,Zip Code,\(extra)
            00QX0001,Bob,Smith,bob.smith@acme.com,Acme,617-253-1000,02134,\(bob)

            """)
        scratch.write("contacts.csv", "Contact ID,First Name,Last Name,Email,Owner Email\n003X0001,Gavin,Belson,gavin@hooli.com,gil@x.com\n")
        scratch.write("rules.yaml", "routing:\n  teams: {east: [ann@x.com, ben@x.com]}\n  rules:\n    - {name: east, states: [MA], team: east}\n  default_queue: Rest\n")
        scratch.write("p.yaml", """
            inputs: [forms.csv]
            references: {contacts: contacts.csv, leads: leads.csv}
            method: \(method)
            stages: [normalize, dedupe, match, \(decide), {route: {rules: rules.yaml}}]
            output: {folder: out}
            """)
        let report = try Runner(configuration: try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml")).run()
        var rows: [Row] = []
        for file in ["load", "attach"] {
            let (header, lines) = try readCSV("\(scratch.path)/out/\(file).csv")
            func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name), "\(name)") }
            let columns = try ["listwash_action", "listwash_target_id", "listwash_target_owner", "listwash_owner", "listwash_reason"].map(column)
            rows += lines.map { Row(file: file, action: $0[columns[0]], target: $0[columns[1]], targetOwner: $0[columns[2]], owner: $0[columns[3]], reason: $0[columns[4]]) }
        }
        #expect(rows.count == report.totals.rowsIn)
        return rows
    }

    @Test func responsesOfAnOwnedLeadGoToItsOwner() throws {
        let rows = try run("hybrid", extra: "Lead Owner,Lead Status", bob: "dana@x.com,Working - Contacted")
        #expect(rows.count == 4)
        for row in rows {
            #expect(row.action == "attach_to_lead" && row.target == "00QX0001", "\(row)")
            #expect(row.targetOwner == "dana@x.com" && row.owner == "dana@x.com", "the lead's owner, not a round-robin turn: \(row)")
        }
    }

    @Test func aConvertedLeadsResponsesGoToItsContact() throws {
        let unique = try run("unique", extra: "Is Converted,Converted Contact ID,Status", bob: "true,003X0007,Closed - Converted")
        #expect(unique.allSatisfy { $0.action == "attach_to_contact" && $0.target == "003X0007" }, "\(unique.map(\.target))")
        #expect(unique[0].reason.contains("response of contact 003X0007"), "\(unique[0].reason)")
        // Hybrid: the contact has no lead, so the first form creates one for it; none attaches to the dead lead.
        let hybrid = try run("hybrid", extra: "Is Converted,Converted Contact ID", bob: "1,003X0007")
        #expect(hybrid.filter { $0.file == "load" }.count == 1, "\(hybrid)")
        #expect(!hybrid.contains { $0.target == "00QX0001" }, "\(hybrid)")
        #expect(hybrid.first { $0.file == "load" }?.reason.contains("contact 003X0007 has no lead") == true)
    }

    @Test func aClosedLeadIsReopenedOrRecycledAsTheStageSays() throws {
        let reopened = try run("hybrid", extra: "Status", bob: "Closed - Not Converted")
        #expect(reopened.allSatisfy { $0.action == "attach_to_lead" && $0.target == "00QX0001" }, "\(reopened)")
        #expect(reopened.allSatisfy { $0.reason.contains("the lead is closed (Closed - Not Converted): reopen it") }, "\(reopened[0].reason)")
        let recycled = try run("hybrid", extra: "Status", bob: "Disqualified", decide: "{decide: {recycle: create}}")
        let created = recycled.filter { $0.file == "load" }
        #expect(created.count == 1 && created[0].reason.contains("lead 00QX0001 is closed (Disqualified): recycle: create"), "\(created)")
        #expect(recycled.filter { $0.file == "attach" }.allSatisfy { $0.target.hasPrefix("new:LW") && $0.owner == created[0].owner }, "\(recycled)")
    }

    @Test func aMisspelledRecycleValueStopsWithItsLine() throws {
        scratch.write("p.yaml", "stages: [{decide: {recycle: reopn}}]\n")
        let result = try listwash(["check", "p.yaml"], in: scratch.path)
        #expect(result.status == 64)
        #expect(result.err.contains("p.yaml:1:29: error: unknown value 'reopn' in recycle. Did you mean 'reopen'?"), "\(result.err)")
    }
}
