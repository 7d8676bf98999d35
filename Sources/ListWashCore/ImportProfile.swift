/// The files a CRM imports as they are, made from a run's `load` and `attach` rows: Salesforce's
/// `Lead.csv` and `CampaignMember.csv`, or HubSpot's `hubspot-contacts.csv` and `hubspot-list-members.csv`, each
/// with a `README-import.txt` naming the import steps in order. `generic` writes none (the
/// disposition files alone). Under the buying group the members of matched accounts are added as
/// contacts with their roles (Salesforce `Contact.csv` and `ContactRole.csv`, HubSpot
/// `hubspot-buying-group.csv`).
///
/// A profile is a table: per file, which rows it holds and, per column, the CRM's field name
/// and where the value comes from (a `listwash_*` column, the input column of a role, a fixed
/// text, or the campaign member's lead or contact). The field names can be renamed for an org's
/// custom fields (`fields: {external_id: External_Id__c}` in the pipeline file). The profile's
/// lead file also says what a new lead needs (``LeadCheck``): Salesforce requires LastName and
/// Company and caps the fields' lengths; the decide stage settles a row that would create a lead
/// without them as `rejected`, with the reason, so nothing reaches the CRM that it would refuse.
///
/// ```swift
/// let profile = ImportProfile(.salesforce, fields: ["external_id": "External_Id__c"])
/// profile.files.map(\.name)   // ["Lead.csv", "CampaignMember.csv"]
/// ```
public struct ImportProfile: Sendable, Equatable {
    /// The CRMs ListWash writes import files for.
    public enum Name: String, Sendable, CaseIterable {
        /// The disposition files only.
        case generic
        /// Salesforce: `Lead.csv`, `CampaignMember.csv` (Data Loader or Data Import Wizard).
        case salesforce
        /// HubSpot: `hubspot-contacts.csv`, `hubspot-list-members.csv` (HubSpot's import tool).
        case hubspot
    }

    /// Where a column's value comes from.
    public enum Source: Sendable, Equatable {
        /// A `listwash_*` column.
        case value(String)
        /// The input column of a role, without spaces around it.
        case input(FieldRole)
        /// The same text on every row.
        case fixed(String)
        /// The CRM id of the lead a row attaches to (not one this run or an earlier one created).
        case attachedLead
        /// The CRM id of the contact a row attaches to.
        case attachedContact
        /// The ListWash id of the lead a row creates, or of the lead created by this run or an
        /// earlier one that it attaches to (the Salesforce upsert key).
        case leadKey
        /// The ListWash id of the row itself (``LeadKey``, the SHA-256 of the row): a buying-group
        /// member's new contact, when the row names no CRM contact (`listwash_contact_id`).
        case memberKey
        /// The buying role (`listwash_role`) as the CRM spells it: Salesforce's picklist `Decision
        /// Maker`, `Influencer`, `User`; HubSpot's `hs_buying_role` `DECISION_MAKER`, `INFLUENCER`,
        /// `END_USER` (empty for `unknown`).
        case roleLabel(Name)
    }

    /// Which rows of a buying group a file holds: the rows of a matched account
    /// (`listwash_account_id`), one per person (`listwash_cluster`).
    public enum Members: Sendable, Equatable {
        /// Members the CRM does not know as a contact (no `listwash_contact_id`), with a last name
        /// and passing the profile's ``ImportProfile/memberCheck``: the contacts to create.
        case new
        /// The members of `new` and those with a CRM contact: one contact role each.
        case all
    }

    /// One column of an import file.
    public struct Column: Sendable, Equatable {
        /// Its key under `fields:` in the pipeline file (`last_name`, `external_id`, ...).
        public let field: String
        /// The CRM's field name (the header written).
        public var header: String
        /// Written before ``header`` (`Lead.` for a lookup through the lead's external id).
        public let prefix: String
        /// Where the value comes from: the first that is not empty.
        public let sources: [Source]
        /// The CRM's length limit in characters, if it has one that a lead must keep.
        public let maxLength: Int?
        /// Whether the CRM refuses a new lead without a value.
        public let required: Bool

        init(_ field: String, _ header: String, prefix: String = "", _ sources: [Source], max maxLength: Int? = nil, required: Bool = false) {
            self.field = field
            self.header = header
            self.prefix = prefix
            self.sources = sources
            self.maxLength = maxLength
            self.required = required
        }

        /// The header as written: ``prefix`` and ``header``.
        public var title: String { prefix + header }
    }

    /// One import file.
    public struct File: Sendable, Equatable {
        /// Its name in the output folder.
        public let name: String
        /// The rows it holds: `load` only (the new leads), or `load` and `attach` (every
        /// response, as a campaign or list membership).
        public let dispositions: Set<Disposition>
        /// The fields (``Column/field``) that name one record of the CRM: of several rows with
        /// the same values, only the first is written.
        public let unique: Set<String>
        /// Its columns, in order.
        public internal(set) var columns: [Column]
        /// For a buying group's file: which members it holds, one line per person; `nil` for
        /// every row of ``dispositions``.
        public var members: Members? = nil
    }

    /// Which CRM.
    public let name: Name
    /// The files written, the lead (or contact) file first; none for `generic`.
    public private(set) var files: [File]

    /// The run's lead method: under `buying-group` the Salesforce profile adds `Contact.csv`
    /// and `ContactRole.csv`, the HubSpot profile `hubspot-buying-group.csv` (``buyingGroupFiles(_:)``).
    public let method: LeadMethod

    /// The profile `name` with the field names in `fields` (key: a column's ``Column/field``)
    /// instead of the CRM's defaults; `responses` says whether rows are campaign responses
    /// (member status `Responded`) or records of a purchased list (`Sent`); `method` is the run's
    /// lead method (the buying group adds its members' files).
    ///
    /// Keys that name no column are ignored; ``fieldKeys(of:)`` lists the valid ones (the
    /// pipeline file checks them).
    public init(_ name: Name, fields: [String: String] = [:], responses: Bool = true, method: LeadMethod = .hybrid) {
        self.name = name
        self.method = method
        files = Self.defaultFiles(name, status: responses ? "Responded" : "Sent")
            + (method == .buyingGroup ? Self.buyingGroupFiles(name) : [])
        for file in files.indices {
            for column in files[file].columns.indices {
                if let renamed = fields[files[file].columns[column].field] { files[file].columns[column].header = renamed }
            }
        }
    }

    /// The keys `fields:` may rename for profile `name`, in the files' order.
    public static func fieldKeys(of name: Name) -> [String] {
        var keys: [String] = []
        for file in defaultFiles(name, status: "") + buyingGroupFiles(name) {
            for column in file.columns where !keys.contains(column.field) { keys.append(column.field) }
        }
        return keys
    }

    /// The file names this profile adds to the output folder, `README-import.txt` last.
    public var fileNames: [String] { files.isEmpty ? [] : files.map(\.name) + [Self.readmeName] }

    /// The name of the file with the import steps.
    public static let readmeName = "README-import.txt"

    /// What a new lead needs in this CRM (required fields, lengths); `nil` when nothing is checked.
    public var leadCheck: LeadCheck? {
        files.first.flatMap(check)
    }

    /// What a buying-group member needs to become a new contact in this CRM (Salesforce:
    /// LastName, the Contact's lengths); `nil` when nothing is checked. A member who fails it is
    /// in neither member file (their rows stay in the disposition files as decided).
    public var memberCheck: LeadCheck? {
        files.first { $0.members == .new }.flatMap(check)
    }

    /// The check of `file`'s required and length-limited columns, `nil` when it has none.
    private func check(_ file: File) -> LeadCheck? {
        let checked = file.columns.filter { $0.required || $0.maxLength != nil }
        return checked.isEmpty ? nil : LeadCheck(crm: name, columns: checked)
    }

    /// The files a buying group adds. Salesforce: `Contact.csv`, one new contact of the account
    /// per member the CRM does not know as a contact, and `ContactRole.csv`, the role of every
    /// member on the group's lead (a custom object `ListWash_Contact_Role__c`: Salesforce has
    /// contact roles on opportunities, not on leads). HubSpot: `hubspot-buying-group.csv`, every
    /// member as a contact of the account's company with HubSpot's buying role property.
    static func buyingGroupFiles(_ name: Name) -> [File] {
        let both: Set<Disposition> = [.load, .attach]
        if name == .hubspot {
            return [
                File(name: "hubspot-buying-group.csv", dispositions: both, unique: [], columns: [
                    Column("record_id", "hs_object_id", [.value("listwash_contact_id")]),
                    Column("contact_external_id", "listwash_id", [.memberKey]),
                    Column("first_name", "firstname", [.value("listwash_first_name")]),
                    Column("last_name", "lastname", [.value("listwash_last_name")]),
                    Column("email", "email", [.value("listwash_email")]),
                    Column("title", "jobtitle", [.input(.title)]),
                    Column("account_id", "associatedcompanyid", [.value("listwash_account_id")]),
                    Column("role", "hs_buying_role", [.roleLabel(.hubspot)]),
                ], members: .all),
            ]
        }
        guard name == .salesforce else { return [] }
        return [
            File(name: "Contact.csv", dispositions: both, unique: [], columns: [
                Column("contact_external_id", "ListWash_Id__c", [.memberKey]),
                // Lengths: Salesforce's Contact object, as its Lead's.
                Column("first_name", "FirstName", [.value("listwash_first_name")], max: 40),
                Column("last_name", "LastName", [.value("listwash_last_name")], max: 80, required: true),
                Column("title", "Title", [.input(.title)], max: 128),
                Column("email", "Email", [.value("listwash_email")], max: 80),
                Column("phone", "Phone", [.value("listwash_phone")], max: 40),
                Column("account_id", "AccountId", [.value("listwash_account_id")]),
            ], members: .new),
            File(name: "ContactRole.csv", dispositions: both, unique: ["lead_id", "external_id"], columns: [
                Column("lead_id", "Lead__c", [.attachedLead]),
                Column("external_id", "ListWash_Id__c", prefix: "Lead__r.", [.leadKey]),
                Column("contact_id", "Contact__c", [.value("listwash_contact_id")]),
                Column("contact_external_id", "ListWash_Id__c", prefix: "Contact__r.", [.memberKey]),
                Column("role", "Role__c", [.roleLabel(.salesforce)]),
            ], members: .all),
        ]
    }

    private static func defaultFiles(_ name: Name, status: String) -> [File] {
        let both: Set<Disposition> = [.load, .attach]
        switch name {
        case .generic:
            return []
        case .salesforce:
            // Lengths: Salesforce's Lead object (Email 80, LastName 80, FirstName 40, Company 255,
            // Title 128, Phone 40, PostalCode 20, City 40, State and Country 80, MiddleName and
            // Suffix 40, when the org shows middle names and suffixes).
            return [
                File(name: "Lead.csv", dispositions: [.load], unique: ["external_id"], columns: [
                    Column("external_id", "ListWash_Id__c", [.leadKey]),
                    Column("salutation", "Salutation", [.value("listwash_salutation")], max: 40),
                    Column("first_name", "FirstName", [.value("listwash_first_name")], max: 40),
                    Column("middle_name", "MiddleName", [.value("listwash_middle_name")], max: 40),
                    Column("last_name", "LastName", [.value("listwash_last_name")], max: 80, required: true),
                    Column("suffix", "Suffix", [.value("listwash_name_suffix")], max: 40),
                    Column("company", "Company", [.value("listwash_company"), .input(.company)], max: 255, required: true),
                    Column("title", "Title", [.input(.title)], max: 128),
                    Column("email", "Email", [.value("listwash_email")], max: 80),
                    Column("phone", "Phone", [.value("listwash_phone")], max: 40),
                    Column("city", "City", [.value("listwash_city")], max: 40),
                    Column("state", "State", [.value("listwash_state")], max: 80),
                    Column("zip", "PostalCode", [.value("listwash_zip")], max: 20),
                    Column("country", "Country", [.value("listwash_country")], max: 80),
                    Column("lead_source", "LeadSource", [.input(.leadSource), .value("listwash_list")]),
                    Column("owner", "OwnerId", [.value("listwash_owner"), .value("listwash_queue")]),
                ]),
                File(name: "CampaignMember.csv", dispositions: both, unique: ["campaign", "lead_id", "contact_id", "external_id"], columns: [
                    Column("campaign", "CampaignId", [.value("listwash_campaign")]),
                    Column("lead_id", "LeadId", [.attachedLead]),
                    Column("contact_id", "ContactId", [.attachedContact]),
                    Column("external_id", "ListWash_Id__c", prefix: "Lead.", [.leadKey]),
                    Column("status", "Status", [.fixed(status)]),
                    Column("response_date", "ListWash_Response_Date__c", [.value("listwash_response_date")]),
                ]),
            ]
        case .hubspot:
            return [
                File(name: "hubspot-contacts.csv", dispositions: [.load], unique: ["external_id"], columns: [
                    Column("external_id", "listwash_id", [.leadKey]),
                    Column("salutation", "salutation", [.value("listwash_salutation")]),
                    Column("first_name", "firstname", [.value("listwash_first_name")]),
                    Column("last_name", "lastname", [.value("listwash_last_name")]),
                    Column("email", "email", [.value("listwash_email")]),
                    Column("company", "company", [.value("listwash_company"), .input(.company)]),
                    Column("title", "jobtitle", [.input(.title)]),
                    Column("phone", "phone", [.value("listwash_phone")]),
                    Column("city", "city", [.value("listwash_city")]),
                    Column("state", "state", [.value("listwash_state")]),
                    Column("zip", "zip", [.value("listwash_zip")]),
                    Column("country", "country", [.value("listwash_country")]),
                    Column("owner", "hubspot_owner_id", [.value("listwash_owner")]),
                    Column("lifecycle_stage", "lifecyclestage", [.fixed("lead")]),
                ]),
                File(name: "hubspot-list-members.csv", dispositions: both, unique: ["campaign", "record_id", "external_id"], columns: [
                    Column("record_id", "hs_object_id", [.attachedContact, .attachedLead]),
                    Column("external_id", "listwash_id", [.leadKey]),
                    Column("email", "email", [.value("listwash_email")]),
                    Column("campaign", "campaign", [.value("listwash_campaign")]),
                    Column("response_date", "response_date", [.value("listwash_response_date")]),
                ]),
            ]
        }
    }
}

extension ImportProfile {
    /// A profile's columns looked up in one batch: each source as a `listwash_*` column or an
    /// input column index, so that rows are read without looking names up again.
    struct Resolved {
        /// A source without a payload to retain: a fixed text is its index in ``fixed``.
        enum Source {
            case value(OutputLayout.Column), input(Int), fixed(Int), attachedLead, attachedContact, leadKey, memberKey, roleLabel(Name), none
        }

        /// Every column's sources one after another; column `i`'s are `starts[i]..<starts[i + 1]`.
        let sources: [Source], starts: [Int]
        /// The fixed texts' bytes.
        let fixed: [[UInt8]]
        let action, target, external: OutputLayout.Column?
        let account, contact, lastName, role: OutputLayout.Column?
        /// Makes members' ListWash ids: the batch's file name worked out once, not per row.
        let memberKeys: LeadKey.Maker

        init(_ columns: [Column], batch: RecordBatch) {
            let layout = batch.layout, schema = batch.schema
            memberKeys = LeadKey.Maker(batch)
            var sources: [Source] = [], starts = [0], fixed: [[UInt8]] = []
            for column in columns {
                for source in column.sources {
                    switch source {
                    case .value(let name): sources.append(layout.column(name).map(Source.value) ?? .none)
                    case .input(let role): sources.append(schema.column(role).map(Source.input) ?? .none)
                    case .fixed(let text):
                        sources.append(.fixed(fixed.count))
                        fixed.append(Array(text.utf8))
                    case .attachedLead: sources.append(.attachedLead)
                    case .attachedContact: sources.append(.attachedContact)
                    case .leadKey: sources.append(.leadKey)
                    case .memberKey: sources.append(.memberKey)
                    case .roleLabel(let crm): sources.append(.roleLabel(crm))
                    }
                }
                starts.append(sources.count)
            }
            (self.sources, self.starts, self.fixed) = (sources, starts, fixed)
            action = layout.column("listwash_action")
            target = layout.column("listwash_target_id")
            external = layout.column("listwash_external_id")
            account = layout.column("listwash_account_id")
            contact = layout.column("listwash_contact_id")
            lastName = layout.column("listwash_last_name")
            role = layout.column("listwash_role")
        }

        /// Whether row `row` is one of `members` (see ``Members``); a member without a CRM
        /// contact counts only with a last name and when it passes `check` (the profile's
        /// ``ImportProfile/memberCheck``).
        func isMember(_ batch: RecordBatch, row: Int, _ members: Members, check: LeadCheck.Resolved?) -> Bool {
            func filled(_ column: OutputLayout.Column?) -> Bool { column.map { batch.withValue(row, $0) { !$0.isEmpty } } ?? false }
            guard filled(account) else { return false }
            if filled(contact) { return members == .all }
            return filled(lastName) && check?.problem(batch, row: row) == nil
        }

        /// Calls `body` with the bytes of column `index`'s value for `row` (the first of its
        /// sources that is not empty; input fields without spaces around them).
        func withValue<T>(_ batch: RecordBatch, row: Int, column index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
            for position in starts[index]..<starts[index + 1] {
                let source = sources[position]
                switch source {
                case .value(let column):
                    if let result = batch.withValue(row, column, { $0.isEmpty ? nil : body($0) }) { return result }
                case .input(let field):
                    if let result = batch.withField(row, column: field, { bytes -> T? in
                        let trimmed = Self.trimmed(bytes)
                        return trimmed.isEmpty ? nil : body(trimmed)
                    }) { return result }
                case .fixed(let text):
                    if !fixed[text].isEmpty { return fixed[text].withUnsafeBufferPointer(body) }
                case .attachedLead, .attachedContact, .leadKey:
                    if let result = withReference(source, batch, row: row, { $0.isEmpty ? nil : body($0) }) { return result }
                case .memberKey:
                    if contact.map({ batch.withValue(row, $0) { $0.isEmpty } }) ?? true {
                        var maker = memberKeys
                        var text = Array(maker.key(batch, row: row).text.utf8)
                        return text.withUnsafeMutableBufferPointer { body(UnsafeBufferPointer($0)) }
                    }
                case .roleLabel(let crm):
                    guard let role, let labels = Self.roleLabels[crm],
                          let label = batch.withValue(row, role, { labels[String(decoding: $0, as: UTF8.self)] }) else { continue }
                    return label.withUnsafeBufferPointer(body)
                case .none:
                    continue
                }
            }
            return body(UnsafeBufferPointer(start: nil, count: 0))
        }

        /// The id a campaign member names: the lead a row creates (its ListWash id), or the one
        /// it attaches to, as a CRM lead or contact id or a ListWash id (`new:LW…` of this run,
        /// `LW…` of an earlier one).
        /// Calls `body` with the bytes of that id (empty when the row names none of this kind),
        /// read in place.
        private func withReference<T>(_ source: Source, _ batch: RecordBatch, row: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
            let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            guard let target else { return body(none) }
            return batch.withValue(row, target) { attaching in
                if attaching.isEmpty {
                    guard case .leadKey = source, let external else { return body(none) }
                    return batch.withValue(row, external, body)
                }
                let created: UnsafeBufferPointer<UInt8>? =
                    attaching.starts(with: Self.newPrefix) ? UnsafeBufferPointer(rebasing: attaching[Self.newPrefix.count...])
                    : Self.isLeadKey(attaching) ? attaching : nil
                if case .leadKey = source { return body(created ?? none) }
                guard created == nil else { return body(none) }
                let toContact = action.map { batch.withValue(row, $0) { $0.elementsEqual(Self.attachToContact) } } ?? false
                switch source {
                case .attachedContact: return body(toContact ? attaching : none)
                case .attachedLead: return body(toContact ? none : attaching)
                default: return body(none)
                }
            }
        }

        private static let newPrefix = Array("new:".utf8), attachToContact = Array("attach_to_contact".utf8)

        /// `listwash_role`'s values as each CRM spells them: Salesforce's contact-role picklist,
        /// HubSpot's `hs_buying_role` values.
        private static let roleLabels: [Name: [String: [UInt8]]] = [
            .salesforce: ["decision_maker": Array("Decision Maker".utf8), "influencer": Array("Influencer".utf8), "user": Array("User".utf8)],
            .hubspot: ["decision_maker": Array("DECISION_MAKER".utf8), "influencer": Array("INFLUENCER".utf8), "user": Array("END_USER".utf8)],
        ]

        /// Whether `bytes` spell a ListWash id (``LeadKey``): a string is made only for
        /// 28 bytes starting `LW`, never for a CRM's ids.
        private static func isLeadKey(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            bytes.count == 28 && bytes.starts(with: LeadKey.prefix.utf8) && LeadKey.isLeadKey(String(decoding: bytes, as: UTF8.self))
        }

        /// `bytes` without spaces and tabs at either end.
        static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
            var start = 0, end = bytes.count
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            return UnsafeBufferPointer(rebasing: bytes[start..<end])
        }
    }

    /// What a CRM needs of a new lead: the profile's required fields and length limits, checked
    /// on the values the lead file would hold. The decide stage asks it of every row before the
    /// row may create a lead.
    public struct LeadCheck: Sendable, Equatable {
        /// The CRM, named in reasons.
        public let crm: Name
        /// The lead file's columns that are required or have a length limit.
        public let columns: [Column]

        /// The check, looked up in one batch.
        public func resolved(for batch: RecordBatch) -> Resolved {
            Resolved(check: self, columns: ImportProfile.Resolved(columns, batch: batch))
        }

        /// A ``LeadCheck`` for one batch's columns.
        public struct Resolved {
            let check: LeadCheck
            let columns: ImportProfile.Resolved
            /// Per column: whether it is required, and its limit (`Int.max` for none).
            private let required: [Bool], limits: [Int]

            init(check: LeadCheck, columns: ImportProfile.Resolved) {
                self.check = check
                self.columns = columns
                required = check.columns.map(\.required)
                limits = check.columns.map { $0.maxLength ?? Int.max }
            }

            /// Why row `row` of `batch` cannot become a lead, or `nil` when it can: the first
            /// required field that is empty, or the first value longer than its field takes
            /// (counted in characters).
            public func problem(_ batch: RecordBatch, row: Int) -> String? {
                for index in required.indices {
                    let (isRequired, limit) = (required[index], limits[index])
                    // The first failing column's index, and its length in characters (0: empty).
                    let failed: Int? = columns.withValue(batch, row: row, column: index) { bytes in
                        if bytes.isEmpty { return isRequired ? 0 : nil }
                        guard bytes.count > limit else { return nil }
                        let characters = String(decoding: bytes, as: UTF8.self).count
                        return characters > limit ? characters : nil
                    }
                    guard let failed else { continue }
                    let crm = check.crm == .salesforce ? "Salesforce" : "HubSpot", header = check.columns[index].header
                    return failed == 0 ? "\(header) is empty, and \(crm) requires it for a new lead"
                        : "\(header) is longer than \(crm) takes (\(failed) characters, at most \(limit))"
                }
                return nil
            }
        }
    }
}

extension ImportProfile {
    /// The buying group's part of Salesforce's `README-import.txt` (steps 3 and 4); empty
    /// without its files. `count` gives a file's line by position, `header` a field's name.
    private func buyingGroupSteps(count: (Int) -> String, header: (String, Int) -> String) -> String {
        guard files.contains(where: { $0.members != nil }) else { return "" }
        let contactKey = header("contact_external_id", 2), lead = header("lead_id", 3), contact = header("contact_id", 3)
        let role = header("role", 3), leadKey = header("external_id", 0)
        return """

            Buying group (method: buying-group):
            \(count(2)): one new contact per member of a matched account whom the CRM does
              not know as a contact (AccountId = listwash_account_id)
            \(count(3)): one role per member on the account's lead (Decision Maker,
              Influencer, User: from the role column, else the job title)

            Once, before the first import:
            - Contact: a custom field \(contactKey), Text(28), External ID and Unique.
            - A custom object ListWash_Contact_Role__c with lookups \(lead) (Lead) and \(contact)
              (Contact) and a picklist \(role) (Decision Maker, Influencer, User); rename the
              columns in the pipeline (output: {fields: {lead_id: ..., contact_id: ..., role: ...}})
              to your org's fields.

            Step 3, after step 1: Data Loader > Upsert > Contact > Contact.csv, match on \(contactKey).
            Step 4, then contact roles: Data Loader > Insert > ListWash_Contact_Role__c >
              ContactRole.csv. Lead__r.\(leadKey) names a lead of step 1, \(lead) one already in
              Salesforce; Contact__r.\(contactKey) a contact of step 3, \(contact) one already in
              Salesforce.

            """
    }

    /// The buying group's part of HubSpot's `README-import.txt` (step 3); empty without its file.
    private func hubspotBuyingGroupSteps(count: (Int) -> String) -> String {
        guard files.contains(where: { $0.members != nil }) else { return "" }
        return """

            Buying group (method: buying-group):
            \(count(2)): every member of a matched account, once: a contact of the
              account's company (associatedcompanyid = listwash_account_id) with its buying role
              (hs_buying_role: DECISION_MAKER, INFLUENCER, END_USER, from the role column, else the
              job title)

            Step 3, after step 1: Contacts > Import > hubspot-buying-group.csv (one object,
              Contacts, "Create and update"). A member already in HubSpot is named by hs_object_id;
              the others are created (or found by email).

            """
    }

    /// The text of `README-import.txt`: the files with their row counts (`rows`, by file name)
    /// and the import steps in the order the CRM needs them, with this profile's field names.
    public func readme(rows: [String: Int]) -> String {
        func header(_ field: String, in file: Int) -> String {
            files.indices.contains(file) ? files[file].columns.first { $0.field == field }?.header ?? field : field
        }
        func count(_ file: Int) -> String {
            guard files.indices.contains(file) else { return "" }
            return "\(files[file].name)  \(rows[files[file].name] ?? 0) rows"
        }
        switch name {
        case .generic:
            return ""
        case .salesforce:
            let key = header("external_id", in: 0), owner = header("owner", in: 0), date = header("response_date", in: 1)
            return """
            Salesforce import files written by ListWash (output profile: salesforce)

            \(count(0)): one new lead per load row (one per ListWash id)
            \(count(1)): one campaign member per campaign and person (their first
              load or attach row)

            Once, before the first import:
            - Lead: a custom field \(key), Text(28), External ID and Unique. It carries ListWash's
              stable lead id (listwash_external_id), so loading the same file again updates the
              same leads instead of creating them twice.
            - Campaign Member: a custom Date field \(date), or leave that column unmapped.
            - \(owner) takes a user or queue id (005..., 00G...). When the routing rules name
              owners by email, rename the column in the pipeline (output: {fields: {owner: ...}})
              to a field your assignment flow reads, or leave it unmapped.
            - MiddleName and Suffix exist when "Enable Middle Names" and "Enable Name Suffixes"
              are on (Setup > User Interface); leave them unmapped otherwise.

            Step 1, leads first: Data Loader > Upsert > Lead > Lead.csv, match on \(key),
              map every column to the field of the same name. (Data Import Wizard: Leads > Add
              new and update existing records, matching on \(key).) Check the error file: a
              lead that failed here fails its campaign members in step 2.
            Step 2, then campaign members: Data Loader > Insert > Campaign Member >
              CampaignMember.csv. Lead.\(key) names a lead of step 1 by its external id (Data
              Loader: choose \(key) for the Lead relationship); LeadId and ContactId name records
              already in Salesforce (a converted lead's responses go to its contact). CampaignId
              must be a campaign id (701...): put ids in the input's campaign column or in
              decide: {campaign: 701...}. (Data Import Wizard: Campaign Members, one file per
              campaign.)

            Rows Salesforce would refuse (no LastName or Company, a value longer than its field)
            are in rejected.csv with the reason, not in these files.

            """ + buyingGroupSteps(count: count, header: header)
        case .hubspot:
            let key = header("external_id", in: 0)
            return """
            HubSpot import files written by ListWash (output profile: hubspot)

            \(count(0)): one new contact per load row (lifecycle stage lead)
            \(count(1)): one list member per campaign and person (their first load
              or attach row)

            Once, before the first import: a contact property \(key) (single-line text, unique
            value), which carries ListWash's stable lead id.

            Step 1, contacts first: Contacts > Import > File from computer > One file > One
              object > Contacts > hubspot-contacts.csv; HubSpot matches the columns by their property
              names and deduplicates by email. The owner column takes an owner's email.
            Step 2, then list members: Import > hubspot-list-members.csv, one campaign at a time
              (filter the file by its campaign column), with "Create a list from this import".
              Rows name the contact by its record id (hs_object_id) when it was already in
              HubSpot, else by \(key) and email from step 1.

            """ + hubspotBuyingGroupSteps(count: count)
        }
    }
}
