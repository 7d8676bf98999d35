import Foundation
import Testing
@testable import ListWash

/// Import profiles (`output: {profile: salesforce | hubspot | generic}`): the CRM's own files beside
/// the disposition files, checked against golden files of the bundled example, against
/// Salesforce's rules for a lead (required fields, lengths), and with renamed fields.
@Suite struct ImportProfileTests {
    let scratch = Scratch()

    /// The golden files: `Fixtures/profiles/<profile>/`, made by running the bundled example with
    /// the profile and read line by line before they were kept (see `Fixtures/SOURCES.md`).
    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/profiles").path

    /// Runs the bundled example (`pipelines/acquired-list.yaml`) with `--profile profile` into
    /// `out` in the scratch folder.
    func runExample(profile: String?, out: String) throws {
        let arguments = ["run", "\(packageRoot)/pipelines/acquired-list.yaml", "--out", "\(scratch.path)/\(out)"] + (profile.map { ["--profile", $0] } ?? [])
        let result = try listwash(arguments, in: scratch.path)
        #expect(result.status == 0, "\(result.err)")
    }

    @Test(arguments: [
        ("salesforce", ["Lead.csv", "CampaignMember.csv", "README-import.txt"]),
        ("hubspot", ["hubspot-contacts.csv", "hubspot-list-members.csv", "README-import.txt"]),
    ])
    func writesTheGoldenFilesForTheExample(profile: String, files: [String]) throws {
        try runExample(profile: profile, out: "out")
        for file in files {
            let golden = try String(contentsOfFile: "\(Self.goldenFolder)/\(profile)/\(file)", encoding: .utf8)
            #expect(scratch.read("out/\(file)") == golden, "\(profile)/\(file)")
        }
        let report = try JSONSerialization.jsonObject(with: Data(scratch.read("out/report.json").utf8)) as? [String: Any]
        #expect((report?["output_files"] as? [String] ?? []).filter(files.contains) == files)
    }

    /// `generic` writes the disposition files alone; the profiles add views of the load and
    /// attach rows and leave the disposition files byte for byte as they were (the example has
    /// no row Salesforce would refuse).
    @Test func genericIsTheDispositionFilesAloneAndProfilesLeaveThemAsTheyWere() throws {
        try runExample(profile: nil, out: "plain")
        try runExample(profile: "generic", out: "generic")
        try runExample(profile: "salesforce", out: "salesforce")
        #expect(scratch.contents("generic") == scratch.contents("plain"))
        #expect(!scratch.contents("generic").contains("Lead.csv") && !scratch.contents("generic").contains(ImportProfile.readmeName))
        for disposition in Disposition.allCases {
            let name = disposition.fileName(extension: "csv")
            #expect(scratch.read("generic/\(name)") == scratch.read("plain/\(name)"), "\(name)")
            #expect(scratch.read("salesforce/\(name)") == scratch.read("plain/\(name)"), "\(name)")
        }
        // A generic run into the Salesforce run's folder leaves no stale import files.
        try runExample(profile: "generic", out: "salesforce")
        #expect(scratch.contents("salesforce") == scratch.contents("plain"))
    }

    /// What Salesforce's Data Loader would refuse in a lead file and its campaign members: a
    /// lead without LastName or Company, a value longer than its field, a repeated external id,
    /// a campaign member naming no lead or contact (or a lead the lead file does not create), a
    /// member named twice in one campaign.
    static func salesforceViolations(lead: (header: [String], rows: [[String]]), members: (header: [String], rows: [[String]])) -> [String] {
        var problems: [String] = []
        func index(_ name: String, in header: [String]) -> Int? {
            let found = header.firstIndex(of: name)
            if found == nil { problems.append("no \(name) column") }
            return found
        }
        let limits = ["Email": 80, "LastName": 80, "FirstName": 40, "Company": 255, "Title": 128, "Phone": 40, "PostalCode": 20]
        var keys = Set<String>()
        if let last = index("LastName", in: lead.header), let company = index("Company", in: lead.header), let key = index("ListWash_Id__c", in: lead.header) {
            for (number, row) in lead.rows.enumerated() {
                if row[last].isEmpty { problems.append("lead \(number + 1): no LastName") }
                if row[company].isEmpty { problems.append("lead \(number + 1): no Company") }
                if LeadKey(text: row[key]) == nil { problems.append("lead \(number + 1): external id '\(row[key])'") }
                if !keys.insert(row[key]).inserted { problems.append("lead \(number + 1): external id \(row[key]) twice") }
                for (field, limit) in limits {
                    guard let column = lead.header.firstIndex(of: field) else { continue }
                    if row[column].count > limit { problems.append("lead \(number + 1): \(field) of \(row[column].count) characters") }
                }
            }
        }
        let columns = ["CampaignId", "LeadId", "ContactId", "Lead.ListWash_Id__c", "Status"].map { index($0, in: members.header) }
        guard case let (campaign?, leadID?, contactID?, leadKey?, status?) = (columns[0], columns[1], columns[2], columns[3], columns[4]) else { return problems }
        var members_ = Set<[String]>()
        for (number, row) in members.rows.enumerated() {
            let references = [row[leadID], row[contactID], row[leadKey]].filter { !$0.isEmpty }
            if references.count != 1 { problems.append("member \(number + 1): \(references.count) references") }
            if !row[leadKey].isEmpty, !keys.contains(row[leadKey]), !LeadKey.isLeadKey(row[leadKey]) { problems.append("member \(number + 1): unknown lead") }
            if row[campaign].isEmpty || row[status].isEmpty { problems.append("member \(number + 1): no campaign or status") }
            if !members_.insert([row[campaign]] + references).inserted { problems.append("member \(number + 1): twice in \(row[campaign])") }
        }
        return problems
    }

    @Test func theExamplesSalesforceImportPassesTheSchemaCheck() throws {
        try runExample(profile: "salesforce", out: "out")
        let lead = try readCSV("\(scratch.path)/out/Lead.csv"), members = try readCSV("\(scratch.path)/out/CampaignMember.csv")
        #expect(Self.salesforceViolations(lead: lead, members: members) == [])
        // Every load row is one lead, under the id the load file gives it.
        let load = try readCSV("\(scratch.path)/out/load.csv")
        let external = try #require(load.header.firstIndex(of: "listwash_external_id"))
        #expect(Set(load.rows.map { $0[external] }) == Set(lead.rows.map { $0[0] }))
        #expect(lead.rows.count == load.rows.count)
    }

    /// The check itself catches what it claims to.
    @Test func theSchemaCheckFindsBrokenLeadsAndMembers() {
        let key = "LW108P8AQTHV13HBYEE124STX6G0"
        let lead = (header: ["ListWash_Id__c", "LastName", "Company", "Email"],
                    rows: [[key, "", "Acme", String(repeating: "a", count: 75) + "@x.com"], [key, "Doe", "", ""]])
        let members = (header: ["CampaignId", "LeadId", "ContactId", "Lead.ListWash_Id__c", "Status"],
                       rows: [["Expo", "00Q1", "", key, "Responded"], ["Expo", "", "", "", "Responded"]])
        #expect(Self.salesforceViolations(lead: lead, members: members) == [
            "lead 1: no LastName", "lead 1: Email of 81 characters", "lead 2: no Company", "lead 2: external id \(key) twice",
            "member 1: 2 references", "member 2: 0 references",
        ])
    }

    /// Rows to check a Salesforce load with: a person whose first response lacks the company,
    /// a row without a last name, a title longer than Salesforce's 128 characters, a full name
    /// with a title and a middle initial.
    static let forms = """
        First Name,Last Name,Email,Company,Title,Campaign,Response Date
        Ann,Lee,ann.lee@acme.com,,VP Sales,Expo,2026-11-02
        Ann,Lee,ann.lee@acme.com,Acme Inc,VP Sales,Expo,2026-11-03
        Bo,,bo@initech.com,Initech,Analyst,Expo,2026-11-02
        Cy,Young,cy@hooli.com,Hooli,\(String(repeating: "x", count: 129)),Expo,2026-11-02
        Dr. Jane Q.,Doe,jane.doe@umbrella.com,Umbrella,CTO,Expo,2026-11-02
        Ed,Ray,ed@nowhere.com,,Engineer,Expo,2026-11-02

        """

    func runForms(fields: String = "", method: String = "hybrid") throws -> RunReport {
        scratch.write("forms.csv", Self.forms)
        scratch.write("contacts.csv", "Contact ID,First Name,Last Name,Email\n003X0001,Gavin,Belson,gavin@hooli.com\n")
        scratch.write("leads.csv", "Lead ID,First Name,Last Name,Email,Company\n00QX0001,Kim,Nguyen,kim@cyberdyne.com,Cyberdyne\n")
        scratch.write("accounts.csv", "Account ID,Account Name,Website\n001X0001,Acme Inc.,acme.com\n")
        let yaml = """
            inputs: [forms.csv]
            references: {contacts: contacts.csv, leads: leads.csv, accounts: accounts.csv}
            method: \(method)
            stages: [normalize, dedupe, match, decide]
            output:
              folder: out
              profile: salesforce
            \(fields.isEmpty ? "" : "  fields: \(fields)")
            """
        let configuration = try PipelineConfiguration.load(path: scratch.write("p.yaml", yaml))
        return try Runner(configuration: configuration).run()
    }

    @Test func rowsSalesforceWouldRefuseAreRejectedWithTheirReasonAndNoneIsLost() throws {
        let report = try runForms()
        #expect(report.totals.rowsIn == 6 && report.totals.rowsOut.values.reduce(0, +) == 6)
        let rejected = try readCSV("\(scratch.path)/out/rejected.csv")
        let row = try #require(rejected.header.firstIndex(of: "listwash_row")), reason = try #require(rejected.header.firstIndex(of: "listwash_reason"))
        #expect(rejected.rows.map { [$0[row], $0[reason]] } == [
            ["3", "LastName is empty, and Salesforce requires it for a new lead"],
            ["4", "Title is longer than Salesforce takes (129 characters, at most 128)"],
            ["6", "Company is empty, and Salesforce requires it for a new lead"],
        ])
        // Ann's first response lacks the company: her second creates the lead, the first attaches to it.
        let lead = try readCSV("\(scratch.path)/out/Lead.csv")
        let (last, company, salutation, first, middle) = (try #require(lead.header.firstIndex(of: "LastName")), try #require(lead.header.firstIndex(of: "Company")),
                                                        try #require(lead.header.firstIndex(of: "Salutation")), try #require(lead.header.firstIndex(of: "FirstName")),
                                                        try #require(lead.header.firstIndex(of: "MiddleName")))
        #expect(lead.rows.map { [$0[salutation], $0[first], $0[middle], $0[last], $0[company]] } == [["", "Ann", "", "Lee", "Acme Inc"], ["Dr.", "Jane", "Q.", "Doe", "Umbrella"]])
        let attach = try readCSV("\(scratch.path)/out/attach.csv")
        let target = try #require(attach.header.firstIndex(of: "listwash_target_id"))
        #expect(attach.rows.map { $0[target] } == ["new:\(lead.rows[0][0])"])
        let members = try readCSV("\(scratch.path)/out/CampaignMember.csv")
        #expect(Self.salesforceViolations(lead: lead, members: members) == [])
        #expect(members.rows.map { $0[3] } == [lead.rows[0][0], lead.rows[1][0]], "one member per campaign and person")
        #expect(scratch.read("out/README-import.txt").contains("Lead.csv  2 rows"))
    }

    /// Under point of interest every response creates a lead: still only complete rows.
    @Test func pointOfInterestRejectsEveryIncompleteRow() throws {
        let report = try runForms(method: "poi")
        #expect(report.totals.rowsOut["rejected"] == 4)
        #expect(report.totals.rowsOut["load"] == 2)
    }

    /// Under buying group, the account's first row that Salesforce would take creates the
    /// group's lead; the earlier incomplete row joins it.
    @Test func aBuyingGroupsLeadComesFromItsFirstCompleteRow() throws {
        _ = try runForms(method: "buying-group")
        let lead = try readCSV("\(scratch.path)/out/Lead.csv"), attach = try readCSV("\(scratch.path)/out/attach.csv")
        let (row, target, account) = (try #require(attach.header.firstIndex(of: "listwash_row")), try #require(attach.header.firstIndex(of: "listwash_target_id")),
                                      try #require(attach.header.firstIndex(of: "listwash_account_id")))
        #expect(attach.rows.map { [$0[row], $0[target], $0[account]] } == [["1", "new:\(lead.rows[0][0])", "001X0001"]])
        #expect(lead.rows.map { $0[6] } == ["Acme Inc", "Umbrella"])
    }

    @Test func fieldNamesAreRenamedForCustomFields() throws {
        _ = try runForms(fields: "{external_id: External_Id__c, owner: Owner_Email__c, last_name: Surname}")
        let lead = try readCSV("\(scratch.path)/out/Lead.csv"), members = try readCSV("\(scratch.path)/out/CampaignMember.csv")
        #expect(lead.header.first == "External_Id__c")
        #expect(lead.header.contains("Owner_Email__c") && lead.header.contains("Surname"))
        #expect(!lead.header.contains("OwnerId") && !lead.header.contains("LastName"))
        #expect(members.header.contains("Lead.External_Id__c"))
        #expect(scratch.read("out/README-import.txt").contains("match on External_Id__c"))
        let rejected = try readCSV("\(scratch.path)/out/rejected.csv")
        let reason = try #require(rejected.header.firstIndex(of: "listwash_reason"))
        #expect(rejected.rows.first?[reason] == "Surname is empty, and Salesforce requires it for a new lead")
    }

    @Test func badProfileSettingsNameFileLineAndColumn() {
        func error(_ output: String, stages: String = "[normalize, decide]") -> String? {
            errorText { _ = try PipelineConfiguration.parse("inputs: [a.csv]\nmethod: poi\nstages: \(stages)\noutput:\n  folder: out\n\(output)", file: "p.yaml") }
        }
        #expect(error("  profile: salesfroce") == "p.yaml:6:12: error: unknown profile 'salesfroce' in output. Did you mean 'salesforce'?")
        #expect(error("  profile: hubspot\n  fields: {ownr: OwnerId}") == "p.yaml:7:12: error: unknown field 'ownr' in the hubspot profile's fields. Did you mean 'owner'?")
        #expect(error("  fields: {owner: OwnerId}")?.hasPrefix("p.yaml:6:12: error: output fields: rename the columns of an import profile") == true)
        #expect(error("  profile: salesforce", stages: "[normalize]") == "p.yaml:6:12: error: profile salesforce writes the leads and campaign members that the decide stage settles: add a decide stage")
        #expect(error("  profile: SalesForce") == nil)
    }

    @Test func checkNamesTheProfilesFiles() throws {
        scratch.write("p.yaml", "inputs: [a.csv]\nmethod: poi\nstages: [normalize, decide]\noutput: {folder: out, profile: hubspot}\n")
        let result = try listwash(["check", "p.yaml"], in: scratch.path)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == "p.yaml: ok (1 input; stages: normalize | decide; method: poi; profile: hubspot-contacts.csv, hubspot-list-members.csv, README-import.txt)\n")
    }

    @Test func theProfileFlagIsChecked() throws {
        let result = try listwash(["run", "\(packageRoot)/pipelines/acquired-list.yaml", "--profile", "dynamics", "--out", "\(scratch.path)/out"], in: scratch.path)
        #expect(result.status != 0)
        #expect(result.err.contains("unknown profile 'dynamics'; expected one of: generic, salesforce, hubspot"), "\(result.err)")
        #expect(!scratch.exists("out"))
    }
}
