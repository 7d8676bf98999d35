import Foundation
import Testing
@testable import ListWash

/// Buying-group members as contacts with roles (`method: buying-group`, `profile: salesforce`):
/// `Contact.csv` holds one new contact per member the CRM does not know, `ContactRole.csv` every
/// member's role on the account's lead, and a response from an account whose open lead is in the
/// CRM's leads export attaches to that lead.
@Suite struct BuyingGroupImportTests {
    let scratch = Scratch()

    /// Acme: Bob (new, creates the group's lead), Alice (new, twice, her role column says
    /// Champion), Carol (already a CRM contact). Hooli: Dan, whose account has Erin's open lead in
    /// the CRM. Initech: Ian, whose account's only CRM lead is disqualified. Zed: no account.
    func write(extraForm: String = "") {
        scratch.write("forms.csv", """
            First Name,Last Name,Email,Company,Title,Buying Role,Campaign,Response Date
            Robert,Smith,bob.smith@acme.com,Acme Inc,VP Marketing,,Webinar,2026-11-02
            Alice,Wu,alice.wu@acme.com,Acme Inc,Software Engineer,Champion,Webinar,2026-11-02
            Carol,Diaz,carol.diaz@acme.com,Acme Inc,IT Manager,,Webinar,2026-11-03
            Alice,Wu,alice.wu@acme.com,Acme Inc,Software Engineer,champion,Pricing page,2026-11-04
            Dan,Lee,dan.lee@hooli.com,Hooli,CTO,,Webinar,2026-11-02
            Ian,Park,ian.park@initech.com,Initech,Head of IT,,Webinar,2026-11-02
            Zed,Moss,zed.moss@gmail.com,Freelance,Designer,,Webinar,2026-11-02
            \(extraForm)
            """)
        scratch.write("contacts.csv", "Contact ID,First Name,Last Name,Email,Account ID\n003X0003,Carol,Diaz,carol.diaz@acme.com,001X0001\n")
        scratch.write("leads.csv", """
            Lead ID,First Name,Last Name,Email,Company,Account ID,Status,Owner Email
            00QX0007,Erin,Bach,erin.bach@hooli.com,Hooli,001X0002,Working,rep@example.com
            00QX0008,Ivy,Stone,ivy.stone@initech.com,Initech,001X0003,Disqualified,rep@example.com

            """)
        scratch.write("accounts.csv", """
            Account ID,Account Name,Website,Billing State
            001X0001,Acme Inc.,acme.com,MA
            001X0002,Hooli,hooli.com,CA
            001X0003,Initech,initech.com,TX

            """)
    }

    @discardableResult
    func run(profile: String = "salesforce", method: String = "buying-group", extraForm: String = "") throws -> RunReport {
        write(extraForm: extraForm)
        let yaml = """
            inputs: [forms.csv]
            references: {contacts: contacts.csv, leads: leads.csv, accounts: accounts.csv}
            method: \(method)
            stages: [normalize, dedupe, match, decide]
            output: {folder: out, profile: \(profile)}
            """
        return try Runner(configuration: try PipelineConfiguration.load(path: scratch.write("p.yaml", yaml))).run()
    }

    /// The values of `columns` in every row of `file`, in file order.
    func values(_ file: String, _ columns: [String]) throws -> [[String]] {
        let (header, rows) = try readCSV("\(scratch.path)/out/\(file)")
        let indexes = try columns.map { name in try #require(header.firstIndex(of: name), "\(file): \(name) in \(header)") }
        return rows.map { row in indexes.map { row[$0] } }
    }

    /// Every decided row by its record number: action, target, role, reason.
    func decided() throws -> [Int: [String]] {
        let columns = ["listwash_row", "listwash_action", "listwash_target_id", "listwash_role", "listwash_reason", "listwash_external_id"]
        let rows = try values("load.csv", columns) + values("attach.csv", columns)
        return Dictionary(uniqueKeysWithValues: rows.map { (Int($0[0]) ?? 0, Array($0.dropFirst())) })
    }

    @Test func anAccountsOpenCRMLeadTakesItsResponsesAndAClosedOneDoesNot() throws {
        let report = try run()
        let rows = try decided()
        #expect(rows.count == 7 && report.totals.rowsIn == 7, "nothing lost: \(rows)")
        let dan = try #require(rows[5])
        #expect(dan[0] == "attach_to_lead" && dan[1] == "00QX0007", "\(dan)")
        #expect(dan[3] == "buying group of account 001X0002: the account's open lead 00QX0007 in the CRM", "\(dan)")
        let ian = try #require(rows[6])
        #expect(ian[0] == "create_lead", "a disqualified lead is not the account's open lead: \(ian)")
        let owner = try values("attach.csv", ["listwash_row", "listwash_target_owner"]).first { $0[0] == "5" }
        #expect(owner?[1] == "rep@example.com", "the account lead's owner, for routing")
    }

    @Test func newMembersBecomeContactsOfTheirAccountOncePerPerson() throws {
        try run()
        let rows = try decided()
        let bobsLead = try #require(rows[1]?[4])
        #expect(LeadKey(text: bobsLead) != nil)
        #expect(rows[2]?[1] == "new:\(bobsLead)" && rows[3]?[1] == "new:\(bobsLead)" && rows[4]?[1] == "new:\(bobsLead)", "\(rows)")
        let contacts = try values("Contact.csv", ["ListWash_Id__c", "FirstName", "LastName", "Title", "Email", "AccountId"])
        #expect(contacts.map { Array($0.dropFirst()) } == [
            ["Robert", "Smith", "VP Marketing", "bob.smith@acme.com", "001X0001"],
            ["Alice", "Wu", "Software Engineer", "alice.wu@acme.com", "001X0001"],
            ["Dan", "Lee", "CTO", "dan.lee@hooli.com", "001X0002"],
            ["Ian", "Park", "Head of IT", "ian.park@initech.com", "001X0003"],
        ], "Carol is already a contact, Zed has no account, Alice is one person")
        #expect(contacts.allSatisfy { LeadKey(text: $0[0]) != nil } && Set(contacts.map { $0[0] }).count == 4, "\(contacts)")
        #expect(contacts[0][0] == bobsLead, "a member's contact id is the SHA-256 of their first row, as the lead's is")
    }

    @Test func theGroupsLeadCarriesEveryMembersRole() throws {
        try run()
        let rows = try decided()
        let (bobsLead, iansLead) = (try #require(rows[1]?[4]), try #require(rows[6]?[4]))
        let contacts = try values("Contact.csv", ["ListWash_Id__c", "FirstName"])
        let key = Dictionary(uniqueKeysWithValues: contacts.map { ($0[1], $0[0]) })
        let roles = try values("ContactRole.csv", ["Lead__c", "Lead__r.ListWash_Id__c", "Contact__c", "Contact__r.ListWash_Id__c", "Role__c"])
        #expect(roles == [
            ["", bobsLead, "", key["Robert"] ?? "?", "Decision Maker"],
            ["", bobsLead, "", key["Alice"] ?? "?", "Influencer"],
            ["", bobsLead, "003X0003", "", "Influencer"],
            ["00QX0007", "", "", key["Dan"] ?? "?", "Decision Maker"],
            ["", iansLead, "", key["Ian"] ?? "?", "Influencer"],
        ], "Alice's role column (Champion) overrides her title (a user); Carol is named by her CRM id")
        #expect(rows[2]?[2] == "influencer" && rows[4]?[2] == "influencer", "listwash_role follows the role column too")
        let readme = scratch.read("out/README-import.txt")
        #expect(readme.contains("Contact.csv  4 rows") && readme.contains("ContactRole.csv  5 rows") && readme.contains("Step 4"), "\(readme)")
    }

    /// HubSpot: every member once, as a contact of the account's company with HubSpot's buying
    /// role; a member already in HubSpot by its record id, the others by their ListWash id (the
    /// group lead's creator by the same id as in hubspot-contacts.csv).
    @Test func hubspotMembersCarryTheirBuyingRole() throws {
        try run(profile: "hubspot")
        let members = try values("hubspot-buying-group.csv", ["hs_object_id", "listwash_id", "email", "associatedcompanyid", "hs_buying_role"])
        let created = try values("hubspot-contacts.csv", ["listwash_id", "email"])
        let bob = try #require(created.first { $0[1] == "bob.smith@acme.com" })
        #expect(members.map { [$0[0], $0[2], $0[3], $0[4]] } == [
            ["", "bob.smith@acme.com", "001X0001", "DECISION_MAKER"],
            ["", "alice.wu@acme.com", "001X0001", "INFLUENCER"],
            ["003X0003", "carol.diaz@acme.com", "001X0001", "INFLUENCER"],
            ["", "dan.lee@hooli.com", "001X0002", "DECISION_MAKER"],
            ["", "ian.park@initech.com", "001X0003", "INFLUENCER"],
        ])
        #expect(members[0][1] == bob[0] && members[2][1].isEmpty && LeadKey(text: members[1][1]) != nil, "\(members)")
        #expect(scratch.read("out/README-import.txt").contains("hubspot-buying-group.csv  5 rows"))
    }

    /// What Data Loader would refuse across the member files: a role naming no lead or two, no
    /// contact or two, a contact or lead of this load that its file does not hold; a contact
    /// without LastName or AccountId, or a repeated id.
    @Test func theMemberFilesReferToEachOtherAndToTheLeadFile() throws {
        try run()
        let leads = Set(try values("Lead.csv", ["ListWash_Id__c"]).map { $0[0] })
        let contacts = try values("Contact.csv", ["ListWash_Id__c", "LastName", "AccountId"])
        #expect(Set(contacts.map { $0[0] }).count == contacts.count && contacts.allSatisfy { !$0[1].isEmpty && !$0[2].isEmpty }, "\(contacts)")
        let keys = Set(contacts.map { $0[0] })
        let roles = try values("ContactRole.csv", ["Lead__c", "Lead__r.ListWash_Id__c", "Contact__c", "Contact__r.ListWash_Id__c", "Role__c"])
        for role in roles {
            #expect(role[0].isEmpty != role[1].isEmpty && role[2].isEmpty != role[3].isEmpty, "one lead and one contact: \(role)")
            #expect(role[1].isEmpty || leads.contains(role[1]), "a lead of Lead.csv: \(role)")
            #expect(role[3].isEmpty || keys.contains(role[3]), "a contact of Contact.csv: \(role)")
        }
        #expect(Set(roles.map { $0[0] + $0[1] + "|" + $0[2] + $0[3] }).count == roles.count, "one role per member and lead")
    }

    /// A member Salesforce would refuse as a contact (a title longer than 128 characters) is in
    /// neither member file, so no role points at a contact that failed; the row still attaches.
    @Test func aMemberSalesforceWouldRefuseIsInNeitherMemberFile() throws {
        let title = "Manager of " + String(repeating: "x", count: 120)
        let report = try run(extraForm: "Gus,Long,gus.long@acme.com,Acme Inc,\(title),,Webinar,2026-11-05")
        let rows = try decided(), emails = try values("Contact.csv", ["Email"]), roles = try values("ContactRole.csv", ["Role__c"])
        #expect(report.totals.rowsIn == 8 && rows.count == 8)
        #expect(rows[8]?[0] == "attach_to_lead")
        #expect(!emails.contains(["gus.long@acme.com"]) && emails.count == 4)
        #expect(roles.count == 5)
    }

    @Test func otherMethodsAndProfilesWriteNoMemberFiles() throws {
        try run(method: "unique")
        #expect(!scratch.exists("out/Contact.csv") && !scratch.exists("out/ContactRole.csv"))
        #expect(!scratch.read("out/README-import.txt").contains("Buying group"))
        try run(profile: "generic")
        #expect(!scratch.exists("out/Contact.csv") && !scratch.exists("out/ContactRole.csv") && !scratch.exists("out/Lead.csv"),
                "a generic run into the same folder removes the member files")
    }

    @Test func memberFieldsAreRenamedForCustomFields() throws {
        write()
        scratch.write("p.yaml", """
            inputs: [forms.csv]
            references: {contacts: contacts.csv, leads: leads.csv, accounts: accounts.csv}
            method: buying-group
            stages: [normalize, dedupe, match, decide]
            output: {folder: out, profile: salesforce, fields: {role: Buying_Role__c, contact_external_id: Member_Id__c}}
            """)
        _ = try Runner(configuration: try PipelineConfiguration.load(path: scratch.path + "/p.yaml")).run()
        #expect(try readCSV("\(scratch.path)/out/Contact.csv").header.first == "Member_Id__c")
        let header = try readCSV("\(scratch.path)/out/ContactRole.csv").header
        #expect(header.contains("Buying_Role__c") && header.contains("Contact__r.Member_Id__c"), "\(header)")
    }
}
