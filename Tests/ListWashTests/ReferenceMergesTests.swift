import Foundation
import Testing
@testable import ListWash

/// merge.csv: the duplicates the CRM exports hold themselves, grouped for the CRM's merge tools.
@Suite struct ReferenceMergesTests {
    let scratch = Scratch()

    /// Runs a one-row list against `contacts` and `leads` (rows after their headers) with
    /// `references: {merge: merge}`; returns merge.csv's rows as `group master > duplicate action`.
    func run(contacts: String, leads: String, leadHeader: String = "Lead ID,First Name,Last Name,Email,Company,Phone,Zip Code,Created Date",
             merge: String = "true") throws -> (rows: [String], table: [[String: String]], report: RunReport) {
        scratch.write("list.csv", "First Name,Last Name,Email\nZed,Quist,zed@quist.org\n")
        scratch.write("contacts.csv", "Contact ID,First Name,Last Name,Email,Account Name,Phone,Mailing Zip,Created Date\n" + contacts + "\n")
        scratch.write("leads.csv", leadHeader + "\n" + leads + "\n")
        scratch.write("p.yaml", """
            inputs: [list.csv]
            references: {contacts: contacts.csv, leads: leads.csv, merge: \(merge)}
            stages: [normalize, match]
            output: {folder: out}
            """)
        let report = try Runner(configuration: try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml")).run()
        guard scratch.exists("out/merge.csv") else { return ([], [], report) }
        let (header, lines) = try readCSV("\(scratch.path)/out/merge.csv")
        #expect(header == ["merge_group", "master_id", "master_object", "duplicate_id", "duplicate_object", "action", "score", "reason", "note"])
        let table = lines.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        return (table.map { "\($0["merge_group"] ?? "") \($0["master_id"] ?? "") > \($0["duplicate_id"] ?? "") \($0["action"] ?? "")" }, table, report)
    }

    static let bob = "Bob,Smith,bob.smith@acme.com,Acme,617-253-1000,02134"

    /// Two leads of Bob and his contact: the contact is the master; the older lead comes first.
    @Test func aContactIsTheMasterAndTheOlderLeadComesFirst() throws {
        let (rows, table, report) = try run(
            contacts: "003A,\(Self.bob),2026-05-01\n003B,Gavin,Belson,gavin@hooli.com,Hooli,415-555-0100,94043,2020-01-01",
            leads: "00Q1,\(Self.bob),2026-03-01\n00Q2,Robert,Smith,bob.smith@acme.com,Acme,(617) 253-1000,2134,2025-01-15")
        #expect(rows == ["M1 003A > 00Q2 convert_lead", "M1 003A > 00Q1 convert_lead"])
        #expect(table.allSatisfy { $0["master_object"] == "contact" && $0["duplicate_object"] == "lead" })
        let reason = table.first?["reason"] ?? ""
        #expect(reason.contains("email exact") && reason.contains("first_name nickname"), "\(reason)")
        #expect(Double(table.first?["score"] ?? "") ?? 0 >= 0.9)
        #expect(report.outputFiles.contains("merge.csv"))
        #expect(report.stageFiles?.first { $0.name == "merge.csv" }?.notes["clusters"] == 1)
    }

    /// Among leads alone: the oldest is the master (an unknown date last); then the most
    /// complete; never more than three records a merge: the fourth and fifth leads go to a
    /// second merge after the first.
    @Test func theOldestLeadIsTheMasterAndAMergeHoldsThreeRecords() throws {
        let (rows, table, _) = try run(
            contacts: "003B,Gavin,Belson,gavin@hooli.com,Hooli,415-555-0100,94043,2020-01-01",
            leads: """
                00Q1,\(Self.bob),
                00Q2,\(Self.bob),2026-03-01
                00Q3,\(Self.bob),2024-07-04
                00Q4,Bob,Smith,bob.smith@acme.com,,,,
                00Q5,\(Self.bob),2026-03-01
                """)
        #expect(rows == ["M1 00Q3 > 00Q2 merge", "M1 00Q3 > 00Q5 merge", "M2 00Q3 > 00Q1 merge", "M2 00Q3 > 00Q4 merge"])
        #expect(table.map { $0["note"] ?? "" } == ["", "", "after merge M1: Salesforce merges 3 records at most", "after merge M1: Salesforce merges 3 records at most"])
        // limit: 2 merges one duplicate at a time.
        let (pairs, _, _) = try run(contacts: "", leads: "00Q1,\(Self.bob),2026-01-01\n00Q2,\(Self.bob),2025-01-01\n00Q3,\(Self.bob),2024-01-01", merge: "{limit: 2}")
        #expect(pairs == ["M1 00Q3 > 00Q2 merge", "M2 00Q3 > 00Q1 merge"])
    }

    /// A record in both exports under one id (HubSpot exports a contact that is also a lead)
    /// is one record, never merged with itself; a converted lead is its contact already; a
    /// possible match is no merge.
    @Test func sameIDsConvertedLeadsAndPossibleMatchesAreNotMerged() throws {
        let (rows, _, _) = try run(
            contacts: "501,\(Self.bob),2026-01-01\n502,Ann,Lee,ann.lee@initech.com,Initech,212-555-0142,10001,2026-01-01",
            leads: """
                501,\(Self.bob),2026-01-01,,
                00Q7,Ann,Lee,ann.lee@initech.com,Initech,212-555-0142,10001,2026-01-01,true,502
                00Q8,Ann,Leigh,,Globex,,,2026-01-01,,
                """,
            leadHeader: "Lead ID,First Name,Last Name,Email,Company,Phone,Zip Code,Created Date,Is Converted,Converted Contact ID")
        #expect(rows.isEmpty, "\(rows)")
        // The same exports with another id for Bob's lead: that lead is his contact's duplicate.
        let (other, _, _) = try run(
            contacts: "501,\(Self.bob),2026-01-01",
            leads: "00Q9,\(Self.bob),2026-01-01,,\n00Q7,Ann,Lee,ann.lee@initech.com,Initech,212-555-0142,10001,2026-01-01,true,502",
            leadHeader: "Lead ID,First Name,Last Name,Email,Company,Phone,Zip Code,Created Date,Is Converted,Converted Contact ID")
        #expect(other == ["M1 501 > 00Q9 convert_lead"])
    }

    /// Without `merge:` no merge.csv is written, and nothing of it is kept.
    @Test func aRunThatDoesNotAskWritesNoMergeFile() throws {
        let (_, _, report) = try run(contacts: "003A,\(Self.bob),2026-05-01", leads: "00Q1,\(Self.bob),2026-03-01", merge: "false")
        #expect(!scratch.exists("out/merge.csv"))
        #expect(!report.outputFiles.contains("merge.csv") && report.stageFiles == nil)
    }

    @Test func badMergeOptionsStopThePipelineWithTheirPlace() throws {
        func error(_ text: String) -> String? {
            errorText { _ = try PipelineConfiguration.parse(text, file: "p.yaml") }
        }
        #expect(error("references: {leads: l.csv, merge: {limit: 1}}\nstages: [normalize, match]\n")
                == "p.yaml:1:43: error: limit must be a whole number of records per merge from 2 to 100 (the master included; Salesforce merges 3)")
        #expect(error("references: {leads: l.csv, merge: {limt: 3}}\nstages: [normalize, match]\n")?.contains("unknown key 'limt' in merge. Did you mean 'limit'?") == true)
        #expect(error("references: {leads: l.csv, merge: true}\nstages: [normalize]\n")
                == "p.yaml:1:28: error: references: {merge: ...} needs a match stage (it reads the records the match stage finds in the CRM exports): add - match to stages:")
    }
}
