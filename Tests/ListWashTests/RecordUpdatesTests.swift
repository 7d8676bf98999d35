import Foundation
import Testing
@testable import ListWash

/// update.csv: what the rows that matched a CRM lead bring that the lead lacks or has older,
/// under the rules of `updates:` (the whole pipeline, from files).
@Suite struct RecordUpdatesTests {
    let scratch = Scratch()

    /// Runs `forms` (rows after the header `First Name,Last Name,Email,Company,Phone,Zip Code,
    /// State,Title,Response Date`) against a leads export of header `leadHeader` and rows
    /// `leads`, with `updates` as the pipeline's `updates:`. Returns update.csv's rows by column
    /// and the report.
    func run(forms: String, leadHeader: String = "Lead ID,First Name,Last Name,Email,Company,Phone,Zip Code,State,Title",
             leads: String, updates: String, extraStages: String = "") throws -> (rows: [[String: String]], report: RunReport) {
        scratch.write("forms.csv", "First Name,Last Name,Email,Company,Phone,Zip Code,State,Title,Response Date\n" + forms + "\n")
        scratch.write("leads.csv", leadHeader + "\n" + leads + "\n")
        scratch.write("p.yaml", """
            inputs: [forms.csv]
            references: {leads: leads.csv}
            updates: \(updates)
            stages: [normalize, dedupe, match\(extraStages), decide]
            output: {folder: out}
            """)
        let report = try Runner(configuration: try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml")).run()
        let (header, lines) = try readCSV("\(scratch.path)/out/update.csv")
        #expect(header == ["record_id", "object", "field", "old_value", "new_value", "rule", "source", "row", "response_date", "crm_last_modified"])
        #expect(report.outputFiles.contains("update.csv"))
        // update.csv is an extra file: every row is still in exactly one disposition file.
        #expect(report.totals.rowsIn == report.totals.rowsOut.values.reduce(0, +))
        return (lines.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }, report)
    }

    /// One update as `field: old -> new (rule)`.
    func describe(_ row: [String: String]) -> String {
        "\(row["record_id"] ?? "") \(row["field"] ?? ""): \(row["old_value"] ?? "") -> \(row["new_value"] ?? "") (\(row["rule"] ?? ""))"
    }

    @Test func fillOnlyFillsEmptyFieldsAndNeverBlanksOrOverwrites() throws {
        let (rows, report) = try run(
            forms: """
                Bob,Smith,bob.smith@acme.com,Acme,(617) 555-0234,2134,MA,VP Marketing,2026-11-02
                Ann,Lee,ann.lee@initech.com,Initech,212-555-0142,,,,2026-11-02
                """,
            leads: """
                00Q1,Bob,Smith,bob.smith@acme.com,Acme,617-253-1000,,MA,
                00Q2,Ann,Lee,ann.lee@initech.com,Initech,212-555-0142,10001,NY,Engineer
                """,
            updates: "{fields: [title, phone, zip, state], overwrite: fill_only}")
        // Bob's empty title and ZIP are filled (the ZIP with its leading zero); his phone is
        // there already: held back. Ann's empty values blank out nothing.
        #expect(rows.map(describe) == ["00Q1 title:  -> VP Marketing (fill)", "00Q1 zip:  -> 02134 (fill)"])
        #expect(rows.first?["source"]?.hasSuffix("forms.csv") == true && rows.first?["row"] == "1" && rows.first?["object"] == "lead")
        #expect(rows.first?["response_date"] == "2026-11-02")
        let file = try #require(report.stageFiles?.first { $0.name == "update.csv" })
        #expect(file.rows == 2 && file.notes == ["held back: the CRM has a value (overwrite: fill_only)": 1], "\(file)")
    }

    @Test func newerOverwritesOnlyValuesOlderThanTheResponse() throws {
        let (rows, report) = try run(
            forms: """
                Bob,Smith,bob.smith@acme.com,Acme,617-253-1000,02134,MA,Chief Marketing Officer,2026-11-02
                Ann,Lee,ann.lee@initech.com,Initech,212-555-0142,10001,NY,Engineering Manager,2026-11-02
                Cy,Ray,cy.ray@hooli.com,Hooli,415-555-0131,94043,CA,CTO,2026-11-02
                Di,Fox,di.fox@pied.com,Pied Piper,650-555-0177,94301,CA,CEO,
                """,
            leadHeader: "Lead ID,First Name,Last Name,Email,Company,Phone,Zip Code,State,Title,Last Modified Date",
            leads: """
                00Q1,Bob,Smith,bob.smith@acme.com,Acme,617-253-1000,02134,MA,VP Marketing,2026-10-01T09:30:00.000Z
                00Q2,Ann,Lee,ann.lee@initech.com,Initech,212-555-0142,10001,NY,Engineer,2026-12-01
                00Q3,Cy,Ray,cy.ray@hooli.com,Hooli,415-555-0131,94043,CA,Architect,last tuesday
                00Q4,Di,Fox,di.fox@pied.com,Pied Piper,650-555-0177,94301,CA,Founder,2026-01-01
                """,
            updates: "{fields: [title]}")
        // Bob's lead was last modified before his response: his new title wins. Ann's lead was
        // modified after hers; Cy's date is not a date (unknown age); Di's row has no date.
        #expect(rows.map(describe) == ["00Q1 title: VP Marketing -> Chief Marketing Officer (newer)"])
        #expect(rows.first?["crm_last_modified"] == "2026-10-01")
        let file = try #require(report.stageFiles?.first { $0.name == "update.csv" })
        #expect(file.notes == ["held back: the CRM value is as new as the response or newer": 1,
                               "held back: the CRM value's age is unknown (no readable last-modified date)": 1,
                               "held back: the row has no response date": 1])
        #expect(report.warnings.contains { $0.contains("leads.csv:4:10: warning: 1 record(s) have a last-modified date that is not a date (column 'Last Modified Date')") },
                "\(report.warnings)")
    }

    @Test func aFormattingDifferenceIsNoUpdate() throws {
        let (rows, _) = try run(
            forms: "Bob,Smith,bob.smith@acme.com,ACME Incorporated,(617) 253-1000,02134,Massachusetts,vp  marketing,2026-11-02",
            leadHeader: "Lead ID,First Name,Last Name,Email,Company,Phone,Zip Code,State,Title,LastModifiedDate",
            leads: "00Q1,Bob,Smith,BOB.SMITH@ACME.COM,\"Acme, Inc.\",617.253.1000,2134,MA,VP Marketing,2026-01-01",
            updates: "{fields: [email, company, phone, zip, state, title], overwrite: newer}")
        #expect(rows.isEmpty, "\(rows.map(describe))")
    }

    /// Two forms of Bob, the later one first in the file: the later response gives the title
    /// (most_recent); with `survivorship: first`, the first row does.
    @Test func severalRowsOfOnePersonGiveOneUpdateBySurvivorship() throws {
        let forms = """
            Bob,Smith,bob.smith@acme.com,Acme,617-253-1000,02134,MA,Chief Marketing Officer,2026-11-20
            Robert,Smith,bob.smith@acme.com,Acme,617-253-1000,02134,MA,Director of Marketing,2026-11-02
            """
        let leads = "00Q1,Bob,Smith,bob.smith@acme.com,Acme,617-253-1000,02134,MA,"
        let recent = try run(forms: forms, leads: leads, updates: "{fields: [title]}").rows
        #expect(recent.map(describe) == ["00Q1 title:  -> Chief Marketing Officer (fill)"])
        #expect(recent.first?["row"] == "1" && recent.first?["response_date"] == "2026-11-20")
        let first = try run(forms: forms, leads: leads, updates: "{fields: [title], survivorship: first}").rows
        #expect(first.map(describe) == ["00Q1 title:  -> Chief Marketing Officer (fill)"])
        // A field with a rule of its own: the more complete row (the older one, with a title)
        // gives the phone; without it the latest row does.
        let perField = try run(forms: """
            Bob,Smith,bob.smith@acme.com,Acme,617-253-1999,02134,MA,,2026-11-20
            Robert,Smith,bob.smith@acme.com,Acme,617-253-1000,02134,MA,Director of Marketing,2026-11-02
            """, leads: "00Q1,Bob,Smith,bob.smith@acme.com,Acme,,02134,MA,",
            updates: "{fields: [title, phone], survivorship: {row: most_recent, fields: {phone: most_complete}}}").rows
        #expect(perField.map(describe) == ["00Q1 title:  -> Director of Marketing (fill)", "00Q1 phone:  -> +16172531000 (fill)"])
        let byRow = try run(forms: """
            Bob,Smith,bob.smith@acme.com,Acme,617-253-1999,02134,MA,,2026-11-20
            Robert,Smith,bob.smith@acme.com,Acme,617-253-1000,02134,MA,Director of Marketing,2026-11-02
            """, leads: "00Q1,Bob,Smith,bob.smith@acme.com,Acme,,02134,MA,", updates: "{fields: [title, phone]}").rows
        #expect(byRow.map(describe) == ["00Q1 title:  -> Director of Marketing (fill)", "00Q1 phone:  -> +16172531999 (fill)"])
        let swapped = forms.split(separator: "\n").reversed().joined(separator: "\n")
        let firstSwapped = try run(forms: swapped, leads: leads, updates: "{fields: [title], survivorship: first}").rows
        #expect(firstSwapped.map(describe) == ["00Q1 title:  -> Director of Marketing (fill)"])
        // The newest response says what the CRM says: no update, though an older row differs
        // and the record is older than both.
        let same = try run(forms: forms, leadHeader: "Lead ID,First Name,Last Name,Email,Company,Phone,Zip Code,State,Title,Last Modified Date",
                           leads: "00Q1,Bob,Smith,bob.smith@acme.com,Acme,617-253-1000,02134,MA,Chief Marketing Officer,2026-01-01", updates: "{fields: [title]}").rows
        #expect(same.isEmpty, "\(same.map(describe))")
    }

    /// update.csv is one of the run's own files: swapped in with the run, and gone when a later
    /// run into the same folder asks for no updates (the user's own files stay).
    @Test func updateCSVIsCommittedWithTheRunAndReplacedByTheNext() throws {
        _ = try run(forms: "Bob,Smith,bob.smith@acme.com,Acme,617-253-1000,02134,MA,VP Marketing,2026-11-02",
                    leads: "00Q1,Bob,Smith,bob.smith@acme.com,Acme,617-253-1000,02134,MA,", updates: "{fields: [title]}")
        #expect(scratch.read("out/update.csv").contains("00Q1,lead,title,,VP Marketing,fill"))
        scratch.write("out/notes.txt", "mine")
        let without = scratch.read("p.yaml").split(separator: "\n").filter { !$0.hasPrefix("updates:") }.joined(separator: "\n")
        scratch.write("p.yaml", without)
        let report = try Runner(configuration: try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml")).run()
        #expect(!report.outputFiles.contains("update.csv"))
        #expect(scratch.contents("out") == ["attach.csv", "duplicate.csv", "load.csv", "notes.txt", "rejected.csv", "report.json", "review.csv", "suppressed.csv"])
    }

    /// A row held back by a suppression list does not reach the CRM, nor does its data.
    @Test func aSuppressedRowUpdatesNothing() throws {
        scratch.write("lists/do-not-contact.csv", "email\nbob.smith@acme.com\n")
        let (rows, report) = try run(
            forms: "Bob,Smith,bob.smith@acme.com,Acme,617-253-1000,02134,MA,VP Marketing,2026-11-02",
            leads: "00Q1,Bob,Smith,bob.smith@acme.com,Acme,617-253-1000,02134,MA,",
            updates: "{fields: [title]}", extraStages: ", {suppress: {folder: lists}}")
        #expect(rows.isEmpty)
        #expect(report.totals.rowsOut["suppressed"] == 1)
    }

    @Test func badUpdateRulesStopThePipelineWithTheirPlace() throws {
        func error(_ text: String) -> String? {
            errorText { _ = try PipelineConfiguration.parse(text, file: "p.yaml") }
        }
        #expect(error("references: {leads: l.csv}\nupdates: {fields: [title, phnoe]}\nstages: [normalize, match]\n")
                == "p.yaml:2:27: error: unknown field 'phnoe' in updates. Did you mean 'phone'?")
        #expect(error("references: {leads: l.csv}\nupdates: {fields: [title], overwrite: always}\nstages: [normalize, match]\n")
                == "p.yaml:2:39: error: unknown value 'always' in overwrite; expected one of: fill_only, newer")
        #expect(error("references: {leads: l.csv}\nupdates: {fields: [title]}\nstages: [normalize, dedupe]\n")
                == "p.yaml:2:1: error: updates: needs a match stage (it reads the records the match stage finds in the CRM exports): add - match to stages:")
        #expect(error("references: {leads: l.csv}\nupdates: {overwrite: newer}\nstages: [normalize, match]\n")?.hasPrefix("p.yaml:2:10: error: updates needs fields: [...]") == true)
    }

    /// The bundled example (pipelines/examples/crm-updates.yaml) run as a user runs it: its
    /// update.csv and merge.csv, whole.
    @Test func theBundledExampleWritesItsUpdatesAndMerges() throws {
        let out = "\(scratch.path)/out"
        let result = try listwash(["run", "pipelines/examples/crm-updates.yaml", "--out", out], in: packageRoot)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("update.csv: 4 rows (held back: the CRM value is as new as the response or newer: 1)"), "\(result.out)")
        #expect(result.err.contains("examples/crm-updates/leads.csv:5:10: warning: 1 record(s) have a last-modified date that is not a date"), "\(result.err)")
        #expect(scratch.read("out/update.csv") == """
            record_id,object,field,old_value,new_value,rule,source,row,response_date,crm_last_modified
            003U0001,contact,title,Marketing Coordinator,Marketing Manager,newer,examples/acquired-list.csv,7,2026-11-02,2026-06-01
            003U0002,contact,zip,,10016,fill,examples/acquired-list.csv,20,2026-11-02,2026-12-01
            00QU0002,lead,title,Operations Manager,Director of Operations,newer,examples/acquired-list.csv,23,2026-11-02,2026-10-01
            00QU0002,lead,zip,,02139,fill,examples/acquired-list.csv,23,2026-11-02,2026-10-01

            """)
        #expect(scratch.read("out/merge.csv") == """
            merge_group,master_id,master_object,duplicate_id,duplicate_object,action,score,reason,note
            M1,003U0003,contact,00QU0004,lead,convert_lead,1.0,first_name exact; last_name exact; email exact; company exact; zip exact; title exact,
            M1,003U0003,contact,00QU0003,lead,convert_lead,1.0,first_name exact; last_name exact; email exact; company exact; zip exact; title exact,

            """)
    }
}
