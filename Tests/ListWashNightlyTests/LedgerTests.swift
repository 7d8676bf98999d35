import Foundation
import GRDB
import ListWash
@testable import ListWashMatch
import Testing
@testable import ListWashNightly

/// The seed article's Bob Smith across nights: a webinar response on Monday, a whitepaper
/// download on Tuesday, while the CRM export lags a day behind the loads.
@Suite struct LedgerTests {
    let scratch = Scratch()

    static let leadsHeader = "Lead ID,First Name,Last Name,Email,Company,Lead Owner,ListWash Id"

    /// A nightly pipeline under `method` whose leads export is `crm/leads.csv`.
    func configuration(_ method: String, days: Int = 3) throws -> PipelineConfiguration {
        scratch.write("crm/contacts.csv", "Contact ID,First Name,Last Name,Email\n0031,Gavin,Belson,gavin@hooli.com\n")
        scratch.write("crm/accounts.csv", "Account ID,Account Name,Website\n001A,Acme Inc.,acme.com\n")
        if !scratch.exists("crm/leads.csv") { scratch.write("crm/leads.csv", Self.leadsHeader + "\n00QX0009,Kim,Nguyen,kim@cyberdyne.com,Cyberdyne,kay@x.com,\n") }
        let file = scratch.write("p.yaml", """
            name: bob
            inbox: {path: inbox/*.csv, after: move, pending_days: \(days), settle_seconds: 0}
            references:
              contacts: crm/contacts.csv
              leads: crm/leads.csv
              accounts: crm/accounts.csv
            method: \(method)
            stages: [normalize, dedupe, match, decide]
            output: {folder: out}
            """)
        return try PipelineConfiguration.load(path: file)
    }

    func night(_ configuration: PipelineConfiguration, file: String, row: String, at date: Date = Date(),
               beforeStep: ((NightlyRun.CommitStep) throws -> Void)? = nil) throws -> NightlyOutcome {
        scratch.write("inbox/\(file)", "First Name,Last Name,Email,Company,Campaign\n\(row)\n")
        var options = NightlyOptions()
        options.progress = false
        var run = NightlyRun(configuration: configuration, options: options, logger: CollectedLog().logger)
        run.now = { date }
        run.beforeStep = beforeStep
        return try run.run()
    }

    /// The rows of a run's file: (action, target, external id, reason).
    func rows(_ outcome: NightlyOutcome, _ file: String) throws -> [(action: String, target: String, key: String, reason: String)] {
        let (header, rows) = try readCSV("\(try #require(outcome.outputFolder))/\(file)")
        let columns = try ["listwash_action", "listwash_target_id", "listwash_external_id", "listwash_reason"].map { name in
            try #require(header.firstIndex(of: name), "\(name)")
        }
        return rows.map { ($0[columns[0]], $0[columns[1]], $0[columns[2]], $0[columns[3]]) }
    }

    func history() throws -> HistoryStore { try HistoryStore(path: "\(scratch.path)/out/listwash-history.sqlite") }

    @Test(arguments: ["hybrid", "unique", "buying-group"])
    func tuesdaysResponseAttachesToMondaysPendingLead(method: String) throws {
        let configuration = try configuration(method)
        let monday = try night(configuration, file: "monday.csv", row: "Bob,Smith,bob.smith@acme.com,Acme,Webinar")
        let created = try rows(monday, "load.csv")
        try #require(created.count == 1 && created[0].action == "create_lead", "\(created)")
        let key = created[0].key

        // The export does not show Monday's lead yet.
        let tuesday = try night(configuration, file: "tuesday.csv", row: "Robert,Smith,bob.smith@acme.com,Acme Inc,Whitepaper")
        #expect(try rows(tuesday, "load.csv").isEmpty, "no second lead for Bob")
        let attached = try rows(tuesday, "attach.csv")
        #expect(attached.count == 1 && attached[0].action == "attach_to_lead" && attached[0].target == key, "\(attached)")
        #expect(attached.first?.reason.contains("a lead an earlier run created (\(key), not yet in the CRM export)") == true, "\(attached)")
        #expect(tuesday.report?.pendingLeads == RunReport.PendingLeads(pending: 1, confirmed: 0, days: 3, notLoadedCount: 0, notLoaded: []))

        // Wednesday: the export shows the lead (its ListWash id in the external-id field).
        scratch.write("crm/leads.csv", Self.leadsHeader + "\n00QX0009,Kim,Nguyen,kim@cyberdyne.com,Cyberdyne,kay@x.com,\n00QX0100,Bob,Smith,bob.smith@acme.com,Acme,dana@x.com,\(key)\n")
        let wednesday = try night(configuration, file: "wednesday.csv", row: "Bob,Smith,bob.smith@acme.com,Acme,Pricing page")
        #expect(try rows(wednesday, "attach.csv").map(\.target) == ["00QX0100"])
        #expect(wednesday.report?.pendingLeads == RunReport.PendingLeads(pending: 0, confirmed: 1, days: 3, notLoadedCount: 0, notLoaded: []))
        #expect(try history().pendingLeadCount() == 0)

        let responses = try history().responses(person: "BOB.SMITH@acme.com")
        #expect(responses.map(\.campaign) == ["Webinar", "Whitepaper", "Pricing page"])
        #expect(responses.map(\.action) == ["create_lead", "attach_to_lead", "attach_to_lead"])
        #expect(try history().responses(person: "00QX0100").count == 3, "the CRM id finds the same person")
    }

    /// An export without the ListWash id column: the lead is found in it by its fields.
    @Test func aPendingLeadTheExportShowsByItsFieldsIsConfirmed() throws {
        let configuration = try configuration("hybrid")
        let monday = try night(configuration, file: "monday.csv", row: "Bob,Smith,bob.smith@acme.com,Acme,Webinar")
        #expect(try rows(monday, "load.csv").count == 1)
        scratch.write("crm/leads.csv", "Lead ID,First Name,Last Name,Email,Company\n00QX0009,Kim,Nguyen,kim@cyberdyne.com,Cyberdyne\n00QX0100,Robert,Smith,bob.smith@acme.com,Acme Inc\n")
        let tuesday = try night(configuration, file: "tuesday.csv", row: "Bob,Smith,bob.smith@acme.com,Acme,Whitepaper")
        #expect(try rows(tuesday, "attach.csv").map(\.target) == ["00QX0100"], "the CRM lead, not the pending one")
        #expect(tuesday.report?.pendingLeads == RunReport.PendingLeads(pending: 0, confirmed: 1, days: 3, notLoadedCount: 0, notLoaded: []))
        #expect(try history().pendingLeadCount() == 0)
        #expect(try history().responses(person: "00QX0100").count == 2)
    }

    /// An export lead of the same name at another mailbox is a namesake, not the pending lead.
    @Test func aNamesakeInTheExportDoesNotConfirmAPendingLead() throws {
        let configuration = try configuration("hybrid")
        let monday = try night(configuration, file: "monday.csv", row: "Bob,Smith,bob.smith@acme.com,Acme,Webinar")
        let key = try rows(monday, "load.csv")[0].key
        scratch.write("crm/leads.csv", "Lead ID,First Name,Last Name,Email,Company\n00QX0200,Bob,Smith,bsmith@globex.com,Globex\n")
        let tuesday = try night(configuration, file: "tuesday.csv", row: "Robert,Smith,bob.smith@acme.com,Acme Inc,Whitepaper")
        #expect(try rows(tuesday, "attach.csv").map(\.target) == [key])
        #expect(tuesday.report?.pendingLeads == RunReport.PendingLeads(pending: 1, confirmed: 0, days: 3, notLoadedCount: 0, notLoaded: []))
        #expect(try history().pendingLeadCount() == 1)
    }

    /// A ledger written before segments existed: opening it builds them from the stored fields,
    /// and its pending leads are matched as before.
    @Test func aLedgerFromBeforeSegmentsGetsThemWhenOpened() throws {
        let configuration = try configuration("unique")
        let monday = try night(configuration, file: "monday.csv", row: "Bob,Smith,bob.smith@acme.com,Acme,Webinar")
        let key = try rows(monday, "load.csv")[0].key
        let queue = try DatabaseQueue(path: "\(scratch.path)/out/listwash-history.sqlite")
        try queue.write { db in
            try rewindConfirmations(db)
            try db.execute(sql: """
                DROP TABLE ledger_segment; DROP INDEX ledger_lead_pending; DROP INDEX ledger_lead_confirmed;
                DELETE FROM grdb_migrations WHERE identifier = 'ledger-segments'
                """)
        }
        try queue.close()
        let tuesday = try night(configuration, file: "tuesday.csv", row: "Robert,Smith,bob.smith@acme.com,Acme Inc,Whitepaper")
        #expect(try rows(tuesday, "load.csv").isEmpty, "no second lead for Bob")
        #expect(try rows(tuesday, "attach.csv").map(\.target) == [key])
    }

    /// Turns the ledger back into one from before confirmations had a table of their own: the
    /// CRM ids of the `confirmed` leads (ListWash id → CRM id) in the leads' rows.
    func rewindConfirmations(_ db: Database, confirmed: [String: String] = [:]) throws {
        try db.execute(sql: """
            DROP TABLE ledger_confirmation; DROP INDEX ledger_lead_created;
            ALTER TABLE ledger_lead ADD COLUMN crm_id TEXT; ALTER TABLE ledger_lead ADD COLUMN confirmed_run TEXT;
            CREATE INDEX ledger_lead_pending ON ledger_lead (created_at, id) WHERE crm_id IS NULL;
            CREATE INDEX ledger_lead_confirmed ON ledger_lead (created_at, id) WHERE crm_id IS NOT NULL;
            DELETE FROM grdb_migrations WHERE identifier = 'ledger-confirmations'
            """)
        for (key, crmID) in confirmed {
            try db.execute(sql: "UPDATE ledger_lead SET crm_id = ?, confirmed_run = run_id WHERE id = ?", arguments: [crmID, key])
        }
    }

    /// A ledger whose confirmed leads' CRM ids are in the leads' rows (from before they had a
    /// table of their own): opening it keeps them confirmed, found by their CRM id, and the
    /// others pending.
    @Test func aLedgerFromBeforeTheConfirmationTableKeepsItsConfirmedLeads() throws {
        let configuration = try configuration("hybrid")
        let monday = try night(configuration, file: "monday.csv", row: "Bob,Smith,bob.smith@acme.com,Acme,Webinar\nAlice,Jones,alice.jones@initech.com,Initech,Webinar")
        try #require(try rows(monday, "load.csv").count == 2)
        let bob = try #require(try history().responses(person: "bob.smith@acme.com").first?.target)
        let alice = try #require(try history().responses(person: "alice.jones@initech.com").first?.target)
        let queue = try DatabaseQueue(path: "\(scratch.path)/out/listwash-history.sqlite")
        try queue.write { db in try rewindConfirmations(db, confirmed: [bob: "00QX0100"]) }
        try queue.close()
        #expect(try history().pendingLeadCount() == 1)
        #expect(try history().responses(person: "00QX0100").map(\.campaign) == ["Webinar"], "the CRM id finds the confirmed lead")
        let tuesday = try night(configuration, file: "tuesday.csv", row: "Alice,Jones,alice.jones@initech.com,Initech,Whitepaper")
        #expect(try rows(tuesday, "attach.csv").map(\.target) == [alice])
        #expect(tuesday.report?.pendingLeads == RunReport.PendingLeads(pending: 1, confirmed: 0, days: 3, notLoadedCount: 0, notLoaded: []))
    }

    /// A pending lead keeps what the model compares, the title too (read from the source column
    /// of that role, whatever its header), so that a later run compares it as it would a CRM lead's.
    @Test func aPendingLeadKeepsItsTitle() throws {
        let configuration = try configuration("hybrid")
        scratch.write("inbox/monday.csv", "First Name,Last Name,Email,Company,Job Title,Campaign\nBob,Smith,bob.smith@acme.com,Acme,Sr. Dir. Marketing,Webinar\n")
        var options = NightlyOptions()
        options.progress = false
        _ = try NightlyRun(configuration: configuration, options: options, logger: CollectedLog().logger).run()
        let pending = try history().pendingLeads(since: "", except: [:])
        #expect(pending.column("title")?[0] == "Sr. Dir. Marketing")
        #expect(pending.column("listwash_last_name")?[0] == "Smith")
    }

    /// A damaged segment stops the next run with the history's status: its pending leads are
    /// never silently left out (their people would be created twice).
    @Test func aDamagedSegmentStopsTheNextRunWithStatus74() throws {
        let configuration = try configuration("hybrid")
        _ = try night(configuration, file: "monday.csv", row: "Bob,Smith,bob.smith@acme.com,Acme,Webinar")
        let queue = try DatabaseQueue(path: "\(scratch.path)/out/listwash-history.sqlite")
        try queue.write { db in try db.execute(sql: "UPDATE ledger_segment SET data = substr(data, 1, 30)") }
        try queue.close()
        do {
            _ = try night(configuration, file: "tuesday.csv", row: "Robert,Smith,bob.smith@acme.com,Acme Inc,Whitepaper")
            Issue.record("the run went on without Monday's lead")
        } catch let error as NightlyError {
            #expect(error.exitStatus == 74)
            #expect(error.description.contains("segment of run"), "\(error)")
        }
    }

    @Test func underPointOfInterestEveryResponseIsANewLeadAndTheLedgerHasThemAll() throws {
        let configuration = try configuration("poi")
        _ = try night(configuration, file: "monday.csv", row: "Bob,Smith,bob.smith@acme.com,Acme,Webinar")
        let tuesday = try night(configuration, file: "tuesday.csv", row: "Robert,Smith,bob.smith@acme.com,Acme Inc,Whitepaper")
        #expect(try rows(tuesday, "load.csv").count == 1)
        #expect(try history().pendingLeadCount() == 2)
    }

    @Test func aRunStoppedBeforeItsCommitLeavesNoLedgerRowsAndTheNextCreatesTheLeadOnce() throws {
        let configuration = try configuration("hybrid")
        struct Killed: Error {}
        #expect(throws: Killed.self) {
            try night(configuration, file: "monday.csv", row: "Bob,Smith,bob.smith@acme.com,Acme,Webinar") { step in
                if step == .commit { throw Killed() }
            }
        }
        #expect(try history().pendingLeadCount() == 0)
        #expect(try history().responses(person: "bob.smith@acme.com").isEmpty)
        let again = try night(configuration, file: "monday.csv", row: "Bob,Smith,bob.smith@acme.com,Acme,Webinar")
        #expect(try rows(again, "load.csv").count == 1)
        #expect(try history().pendingLeadCount() == 1)
    }

    /// A lead no export shows after `pending_days` was probably never loaded: it is reported,
    /// and responses no longer attach to it (a new one is created).
    @Test func aLeadNoExportShowsForDaysIsReportedAsNotLoadedAndNoLongerMatched() throws {
        let configuration = try configuration("hybrid", days: 2)
        let monday = try night(configuration, file: "monday.csv", row: "Bob,Smith,bob.smith@acme.com,Acme,Webinar")
        let key = try rows(monday, "load.csv")[0].key
        let later = try night(configuration, file: "friday.csv", row: "Bob,Smith,bob.smith@acme.com,Acme,Webinar 2", at: Date().addingTimeInterval(4 * 86_400))
        #expect(later.report?.pendingLeads == RunReport.PendingLeads(pending: 0, confirmed: 0, days: 2, notLoadedCount: 1, notLoaded: [key]))
        #expect(try rows(later, "load.csv").count == 1, "Bob's lead was never loaded: a new one")
        #expect(later.summary.contains("warning: 1 lead created more than 2 days ago still not in the CRM export (no longer matched): not loaded? \(key)"), "\(later.summary)")
        #expect(scratch.read("out/\(later.runID)/report.json").contains("\"not_loaded\" : [\n      \"\(key)\""))
    }

    /// Two acquired lists washed by hand on two days, sharing a ledger: Bob is created once.
    @Test func runsByHandShareTheLedgerNamedByThePipelineOrAFlag() throws {
        _ = try configuration("hybrid")
        scratch.write("monday.csv", "First Name,Last Name,Email,Company,Campaign\nBob,Smith,bob.smith@acme.com,Acme,Expo\n")
        scratch.write("tuesday.csv", "First Name,Last Name,Email,Company,Campaign\nRobert,Smith,bob.smith@acme.com,Acme Inc,Trade show\n")
        scratch.write("hand.yaml", """
            name: by-hand
            references: {leads: crm/leads.csv}
            method: unique
            history: ledger/listwash-history.sqlite
            stages: [normalize, dedupe, match, decide]
            """)
        let monday = try listwash(["run", "hand.yaml", "--input", "monday.csv", "--out", "mon"], in: scratch.path)
        #expect(monday.status == 0, "\(monday.err)")
        let key = try #require(try readCSV("\(scratch.path)/mon/load.csv").rows.first?.last { $0.hasPrefix("LW") })
        let tuesday = try listwash(["run", "hand.yaml", "--input", "tuesday.csv", "--out", "tue"], in: scratch.path)
        #expect(tuesday.status == 0, "\(tuesday.err)")
        #expect(tuesday.out.contains("lead ledger: 1 lead of earlier runs not yet in the CRM export"), "\(tuesday.out)")
        #expect(scratch.read("tue/report.json").contains("\"pending_leads\""), "the run's report says what the ledger held")
        #expect(scratch.exists("tue/report.html"))
        #expect(try readCSV("\(scratch.path)/tue/load.csv").rows.isEmpty, "no second lead for Bob")
        let attached = try readCSV("\(scratch.path)/tue/attach.csv")
        let target = try #require(attached.header.firstIndex(of: "listwash_target_id"))
        #expect(attached.rows.map { $0[target] } == [key])
        let history = try HistoryStore(path: "\(scratch.path)/ledger/listwash-history.sqlite")
        #expect(try history.responses(person: "bob.smith@acme.com").map(\.campaign) == ["Expo", "Trade show"])
        #expect(try history.runs().map(\.rowsIn) == [1, 1])

        // --ledger names one for a pipeline without history:.
        scratch.write("plain.yaml", "name: plain\nreferences: {leads: crm/leads.csv}\nmethod: unique\nstages: [normalize, dedupe, match, decide]\n")
        let flagged = try listwash(["run", "plain.yaml", "--input", "tuesday.csv", "--out", "wed", "--ledger", "ledger/listwash-history.sqlite"], in: scratch.path)
        #expect(flagged.status == 0, "\(flagged.err)")
        #expect(try readCSV("\(scratch.path)/wed/attach.csv").rows.count == 1, "Robert attaches to Bob's lead again")
        #expect(try history.responses(person: "bob.smith@acme.com").count == 3)
    }
}
