import Foundation
import Testing
@testable import ListWash

/// The article's own example (../shared/domain/000_d7c374d6c9ac638b.txt): Bob Smith at Acme
/// submits four forms in a week, and is in the CRM as nothing, as a lead, or as a contact. Each
/// method and state runs the whole pipeline (normalize, dedupe, match, decide) from files.
@Suite struct LeadMethodRunTests {
    enum CRMState: CaseIterable { case nothing, lead, contact }

    /// One decided row as the output files show it.
    struct Decided: Equatable, CustomStringConvertible {
        var row: Int
        var disposition: String
        var action: String
        var target: String
        var cluster: String
        var externalID: String
        var matchID: String
        var role: String
        var accountID: String
        var description: String { "row \(row): \(disposition) \(action) \(target) [\(cluster)] match=\(matchID) role=\(role)" }
    }

    let scratch = Scratch()

    /// Four forms in a week, hidden by case, a nickname, an Excel-mangled ZIP and a plus tag.
    static let bobsForms = """
        First Name,Last Name,Email,Company,Phone,Zip,State,Title,Campaign,Response Date
        Robert,Smith,bob.smith@acme.com,"Acme, Inc.",(617) 253-1000,02134,MA,VP Marketing,Webinar: Pipeline 101,2026-11-02
        BOB,SMITH,BOB.SMITH@ACME.COM,ACME Incorporated,617.253.1000,2134,MA,VP Marketing,Whitepaper: Lead Methods,2026-11-03T09:15:00Z
        bob,smith,bob.smith@acme.com,Acme,,02134,Mass.,vp marketing,Pricing page,11/05/2026
        Bobby,Smith,bob.smith+events@acme.com,Acme Inc,617-253-1000,02134,MA,"VP, Marketing",Demo request,
        """

    func write(state: CRMState, colleague: Bool = false) {
        var forms = Self.bobsForms
        if colleague { forms += "\nAlice,Wu,alice.wu@acme.com,Acme Inc.,(617) 253-1044,02134,MA,Software Engineer,Webinar: Pipeline 101,2026-11-02" }
        scratch.write("forms.csv", forms + "\n")
        var contacts = "Contact ID,First Name,Last Name,Email,Account ID,Phone,Mailing Zip\n003X0009,Gavin,Belson,gavin@hooli.com,001X0002,415-555-0100,94043\n"
        var leads = "Lead ID,First Name,Last Name,Email,Company,Phone,Zip Code\n00QX0009,Kim,Nguyen,kim.nguyen@cyberdyne.com,Cyberdyne,408-555-0166,95014\n"
        switch state {
        case .nothing: break
        case .lead: leads += "00QX0001,Bob,Smith,bob.smith@acme.com,Acme,617-253-1000,02134\n"
        case .contact: contacts += "003X0001,Robert,Smith,bob.smith@acme.com,001X0001,617-253-1000,02134\n"
        }
        scratch.write("contacts.csv", contacts)
        scratch.write("leads.csv", leads)
        scratch.write("accounts.csv", "Account ID,Account Name,Website,Billing State\n001X0001,Acme Inc.,acme.com,MA\n001X0002,Hooli,hooli.com,CA\n")
    }

    func run(_ method: LeadMethod, state: CRMState, colleague: Bool = false) throws -> [Decided] {
        write(state: state, colleague: colleague)
        let yaml = """
            inputs: [{path: forms.csv, list: Website forms}]
            references:
              contacts: contacts.csv
              leads: leads.csv
              accounts: accounts.csv
            method: \(method.rawValue)
            stages: [normalize, dedupe, match, decide]
            output: {folder: out}
            """
        let configuration = try PipelineConfiguration.load(path: scratch.write("p.yaml", yaml))
        let report = try Runner(configuration: configuration).run()
        var decided: [Decided] = []
        for file in ["load.csv", "attach.csv"] {
            let (header, rows) = try readCSV("\(scratch.path)/out/\(file)")
            func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name), "\(name)") }
            let (row, disposition, action, target) = (try column("listwash_row"), try column("listwash_disposition"), try column("listwash_action"), try column("listwash_target_id"))
            let (cluster, matchID, role, account) = (try column("listwash_cluster"), try column("listwash_match_id"), try column("listwash_role"), try column("listwash_account_id"))
            let external = try column("listwash_external_id")
            decided += rows.map {
                Decided(row: Int($0[row]) ?? 0, disposition: $0[disposition], action: $0[action], target: $0[target],
                        cluster: $0[cluster], externalID: $0[external], matchID: $0[matchID], role: $0[role], accountID: $0[account])
            }
        }
        #expect(report.totals.rowsIn == decided.count, "every form is decided: none lost, none held back")
        return decided.sorted { $0.row < $1.row }
    }

    /// Runs forms.csv through normalize, dedupe, match (suppress) and decide.
    @discardableResult
    func runForms(_ method: LeadMethod, rows: RowKind = .responses, references: String = "{contacts: contacts.csv, leads: leads.csv}", suppression: String? = nil) throws -> RunReport {
        let yaml = """
            inputs: [forms.csv]
            references: \(references)
            \(suppression.map { "suppression: \($0)\n" } ?? "")method: \(method.rawValue)
            rows: \(rows.rawValue)
            stages: [normalize, dedupe, match, \(suppression == nil ? "" : "suppress, ")decide]
            output: {folder: out}
            """
        return try Runner(configuration: try PipelineConfiguration.load(path: scratch.write("p.yaml", yaml))).run()
    }

    /// The first form creates the lead (with its ListWash id); the other three attach to it by `new:<that id>`.
    func expectCreatedThenAttached(_ rows: [Decided], contact: String = "") throws {
        try #require(rows.count == 4, "\(rows)")
        let first = rows[0]
        #expect(first.disposition == "load" && first.action == "create_lead" && first.target == "", "\(first)")
        #expect(first.matchID == contact, "a lead created for a contact carries the contact's id: \(first)")
        #expect(first.externalID.hasPrefix("LW") && first.externalID.count == 28, "\(first)")
        for later in rows.dropFirst() {
            #expect(later.disposition == "attach" && later.action == "attach_to_lead", "\(later)")
            #expect(later.target == "new:\(first.externalID)" && later.externalID.isEmpty, "\(later)")
            #expect(later.cluster == first.cluster, "\(later)")
        }
    }

    @Test(arguments: CRMState.allCases)
    func pointOfInterestCreatesFourLeads(state: CRMState) throws {
        let rows = try run(.pointOfInterest, state: state)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.disposition == "load" && $0.action == "create_lead" && $0.target == "" }, "\(rows)")
    }

    @Test func hybridNotInTheCRM() throws {
        try expectCreatedThenAttached(try run(.hybrid, state: .nothing))
    }

    @Test func hybridAlreadyALead() throws {
        let rows = try run(.hybrid, state: .lead)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.disposition == "attach" && $0.action == "attach_to_lead" && $0.target == "00QX0001" }, "\(rows)")
    }

    @Test func hybridAlreadyAContact() throws {
        try expectCreatedThenAttached(try run(.hybrid, state: .contact), contact: "003X0001")
    }

    @Test func uniqueNotInTheCRM() throws {
        try expectCreatedThenAttached(try run(.unique, state: .nothing))
    }

    @Test func uniqueAlreadyALead() throws {
        let rows = try run(.unique, state: .lead)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.action == "attach_to_lead" && $0.target == "00QX0001" }, "\(rows)")
    }

    @Test func uniqueAlreadyAContact() throws {
        let rows = try run(.unique, state: .contact)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.disposition == "attach" && $0.action == "attach_to_contact" && $0.target == "003X0001" }, "\(rows)")
    }

    @Test(arguments: CRMState.allCases)
    func buyingGroupJoinsOneLeadPerAccount(state: CRMState) throws {
        let rows = try run(.buyingGroup, state: state, colleague: true)
        try #require(rows.count == 5, "\(rows)")
        #expect(rows.allSatisfy { $0.accountID == "001X0001" }, "\(rows)")
        #expect(rows.filter { $0.row <= 4 }.allSatisfy { $0.role == "decision_maker" }, "\(rows)")
        #expect(rows.first { $0.row == 5 }?.role == "user")
        if state == .lead {
            #expect(rows.allSatisfy { $0.action == "attach_to_lead" && $0.target == "00QX0001" }, "\(rows)")
        } else {
            let first = rows[0]
            #expect(first.action == "create_lead" && first.disposition == "load", "\(first)")
            #expect(rows.dropFirst().allSatisfy { $0.action == "attach_to_lead" && $0.target == "new:\(first.externalID)" }, "\(rows)")
            #expect(rows[4].cluster != first.cluster, "Alice is another person in the same group")
        }
    }

    @Test func campaignAssociationsCarryCampaignDateAndList() throws {
        _ = try run(.hybrid, state: .lead)
        let (header, rows) = try readCSV("\(scratch.path)/out/attach.csv")
        let campaign = try #require(header.firstIndex(of: "listwash_campaign"))
        let date = try #require(header.firstIndex(of: "listwash_response_date"))
        let list = try #require(header.firstIndex(of: "listwash_list"))
        #expect(rows.map { $0[campaign] } == ["Webinar: Pipeline 101", "Whitepaper: Lead Methods", "Pricing page", "Demo request"])
        try #require(rows.count == 4, "four forms attached")
        #expect(Array(rows.map { $0[date] }.prefix(3)) == ["2026-11-02", "2026-11-03", "2026-11-05"])
        #expect(rows[3][date].count == 10, "a form without a date gets the run's date")
        #expect(rows.allSatisfy { $0[list] == "Website forms" })
    }

    /// Repeats hidden by a nickname, case and Gmail dots are one person; a namesake at another
    /// company is not.
    @Test func mixedRunFindsHiddenRepeats() throws {
        scratch.write("forms.csv", """
            First Name,Last Name,Email,Company,Zip,Title
            Katherine,Lee,katherine.lee@gmail.com,Initech,78701,Analyst
            KATE,LEE,Katherine.Lee@googlemail.com,Initech LLC,78701,analyst
            Kate,Lee,k.a.t.h.e.r.i.n.e.lee@gmail.com,Initech,78701,Analyst
            Katherine,Lee,klee@umbrella-corp.com,Umbrella Corporation,10001,CFO

            """)
        scratch.write("contacts.csv", "Contact ID,First Name,Last Name,Email\n003X0009,Gavin,Belson,gavin@hooli.com\n")
        scratch.write("leads.csv", "Lead ID,First Name,Last Name,Email\n00QX0009,Kim,Nguyen,kim.nguyen@cyberdyne.com\n")
        try runForms(.unique)
        let load = try readCSV("\(scratch.path)/out/load.csv")
        let attach = try readCSV("\(scratch.path)/out/attach.csv")
        #expect(load.rows.count == 2, "Katherine at Initech and Katherine at Umbrella: \(load.rows)")
        #expect(attach.rows.count == 2, "\(attach.rows)")
        let external = try #require(load.header.firstIndex(of: "listwash_external_id"))
        let target = try #require(attach.header.firstIndex(of: "listwash_target_id"))
        #expect(attach.rows.allSatisfy { $0[target] == "new:\(load.rows[0][external])" }, "\(attach.rows)")
    }

    @Test func decideWithoutDedupeOrMatchIsAPipelineError() throws {
        write(state: .nothing)
        for stages in ["[normalize, match, decide]", "[normalize, dedupe, decide]"] {
            let path = scratch.write("p.yaml", "inputs: [forms.csv]\nreferences: {leads: leads.csv}\nmethod: unique\nstages: \(stages)\n")
            let text = errorText { _ = try Runner(configuration: try PipelineConfiguration.load(path: path)).run() }
            #expect(text?.contains("the decide stage needs a") == true, "\(text ?? "no error")")
            #expect(text?.contains("p.yaml:4") == true, "\(text ?? "no error")")
        }
        let poi = scratch.write("p.yaml", "inputs: [forms.csv]\nmethod: poi\nstages: [normalize, decide]\noutput: {folder: out}\n")
        #expect(try Runner(configuration: try PipelineConfiguration.load(path: poi)).run().totals.rowsOut["load"] == 4)
    }

    @Test func recordsMergeOnePersonIntoOneDecidedRow() throws {
        write(state: .contact)
        let report = try runForms(.hybrid, rows: .records)
        #expect(report.totals.rowsOut["load"] == 1)
        #expect(report.totals.rowsOut["duplicate"] == 3)
        #expect(report.totals.rowsOut["attach", default: 0] == 0)
        let load = try readCSV("\(scratch.path)/out/load.csv")
        let matchID = try #require(load.header.firstIndex(of: "listwash_match_id"))
        #expect(load.rows.first?[matchID] == "003X0001")
    }

    /// A person who is both a lead and a contact (the CRM holds a duplicate): the response goes to
    /// the lead, and the reason says so.
    @Test func aLeadAndAContactWithOneEmailAttachToTheLead() throws {
        write(state: .lead)
        scratch.write("contacts.csv", "Contact ID,First Name,Last Name,Email,Account ID\n003X0001,Robert,Smith,bob.smith@acme.com,001X0001\n")
        try runForms(.unique)
        let attach = try readCSV("\(scratch.path)/out/attach.csv")
        let target = try #require(attach.header.firstIndex(of: "listwash_target_id"))
        let reason = try #require(attach.header.firstIndex(of: "listwash_reason"))
        #expect(attach.rows.count == 4)
        #expect(attach.rows.allSatisfy { $0[target] == "00QX0001" })
        #expect(attach.rows.first?[reason] == "response of lead 00QX0001 in the CRM (also contact 003X0001: the lead wins)")
    }

    /// A contacts export without a contact id column is never read by its "Account ID".
    @Test func aContactsExportWithOnlyAnAccountIDStopsTheRun() throws {
        write(state: .nothing)
        scratch.write("contacts.csv", "Account ID,First Name,Last Name,Email\n001X0001,Robert,Smith,bob.smith@acme.com\n")
        let path = scratch.write("p.yaml", "inputs: [forms.csv]\nreferences: {contacts: contacts.csv}\nstages: [normalize, dedupe, match, decide]\noutput: {folder: out}\n")
        let text = errorText { _ = try Runner(configuration: try PipelineConfiguration.load(path: path)).run() }
        #expect(text?.contains("no id column in") == true, "\(text ?? "no error")")
        #expect(text?.contains("contacts.csv:1") == true, "\(text ?? "no error")")
    }

    /// A do-not-contact person is held back in every row of theirs, even one with another email;
    /// a role address held back is not a reason to hold back the person's other row.
    @Test func aPersonHeldBackByEmailIsHeldBackInAllTheirRows() throws {
        scratch.write("forms.csv", """
            First Name,Last Name,Email,Phone,Zip,Company
            Dana,Scully,dana.scully@fbi-x.org,(202) 555-0123,20535,FBI X
            Dana,Scully,dscully@gmail.com,202-555-0123,20535,FBI X
            Tom,Baker,info@stark-industries.com,(310) 555-0111,90210,Stark Industries
            Tom,Baker,tom.baker@stark-industries.com,(310) 555-0111,90210,Stark Industries

            """)
        scratch.write("leads.csv", "Lead ID,First Name,Last Name,Email\n00QX0009,Kim,Nguyen,kim.nguyen@cyberdyne.com\n")
        scratch.write("lists/do-not-contact.csv", "# people who asked not to be contacted\nemail\ndana.scully@fbi-x.org\n")
        scratch.write("lists/role-accounts.csv", "local_part\ninfo\n")
        let report = try runForms(.unique, references: "{leads: leads.csv}", suppression: "{folder: lists, lists: [do-not-contact.csv, role-accounts.csv]}")
        let suppressed = try readCSV("\(scratch.path)/out/suppressed.csv")
        let reason = try #require(suppressed.header.firstIndex(of: "listwash_reason"))
        let list = try #require(suppressed.header.firstIndex(of: "listwash_suppression_list"))
        let cluster = try #require(suppressed.header.firstIndex(of: "listwash_cluster"))
        #expect(suppressed.rows.map { $0[reason] } == [
            "do-not-contact.csv:3 email dana.scully@fbi-x.org",
            "same person as row 1 of \(scratch.path)/forms.csv, held back: do-not-contact.csv:3 email dana.scully@fbi-x.org",
            "role-accounts.csv:2 local_part info",
        ])
        #expect(suppressed.rows.map { $0[list] } == ["do-not-contact.csv", "do-not-contact.csv", "role-accounts.csv"])
        #expect(suppressed.rows[0][cluster] == suppressed.rows[1][cluster])
        #expect(report.totals.rowsOut["load"] == 1, "Tom Baker loads from his own address")
    }

    /// One pipeline file serves many runs: the CRM exports and the suppression folder may come
    /// from flags alone; without them the run stops with the stage's line.
    @Test func flagsSupplyTheExportsAndTheSuppressionFolder() throws {
        write(state: .lead)
        scratch.write("lists/opt-outs.csv", "email\nnobody@example.com\n")
        let path = scratch.write("p.yaml", "inputs: [forms.csv]\nmethod: unique\nstages: [normalize, dedupe, match, suppress, decide]\noutput: {folder: out}\n")
        let configuration = try PipelineConfiguration.load(path: path)
        var overrides = RunOverrides()
        overrides.leads = "\(scratch.path)/leads.csv"
        overrides.suppression = "\(scratch.path)/lists"
        let report = try Runner(configuration: configuration.applying(overrides)).run()
        #expect(report.totals.rowsOut["attach"] == 4, "every form attaches to the lead from --leads")
        let withoutFlags = errorText { _ = try Runner(configuration: configuration).run() }
        #expect(withoutFlags?.contains("p.yaml:3") == true, "\(withoutFlags ?? "no error")")
        #expect(withoutFlags?.contains("--contacts") == true, "\(withoutFlags ?? "no error")")
        #expect(errorText { try configuration.checkStages() } != nil, "listwash check still asks for them")
    }

    @Test func aMisspelledMethodIsCaughtWithItsLine() throws {
        let path = scratch.write("p.yaml", "inputs: [forms.csv]\nmethod: hybird\n")
        let text = errorText { _ = try PipelineConfiguration.load(path: path) }
        #expect(text?.contains("p.yaml:2") == true, "\(text ?? "")")
        #expect(text?.contains("hybrid") == true, "did you mean: \(text ?? "")")
    }
}
