import ListWashCore
import ListWashMatch
import ListWashNormalize

/// Decides, for every row still open after matching and suppression, what the CRM does with it
/// under the run's lead management method (``LeadDecision``), and settles it: `create_lead` rows
/// go to `load`, the others to `attach` as campaign associations.
///
/// Fills `listwash_action`, `listwash_target_id` (the CRM id attached to, or `new:LW…` for a
/// lead the first response of the same person creates in this run), `listwash_external_id` (on a
/// row that creates a lead: its ``LeadKey``, stable across runs), `listwash_role` (buying group
/// only), `listwash_target_owner` (the CRM owner of the lead or contact a row attaches to, when
/// the export names one), and the campaign association: `listwash_campaign`, `listwash_response_date`
/// (YYYY-MM-DD) and `listwash_list`. Under hybrid, a lead created for a person who is already a
/// contact carries the contact's id in `listwash_match_id`.
///
/// It reads what the dedupe and match stages wrote (`listwash_cluster`, `listwash_lead_id`,
/// `listwash_contact_id`, `listwash_account_id`). Rows of one cluster are one person: the
/// person's lead or contact is the first one any of their open rows matched, and their first
/// open row is the one that creates a lead when the table says so. A person whom a suppression
/// list holds back by email or phone (do-not-contact, opt-out) in one row is held back in all
/// their rows. It is a barrier: it sees every row, in input order, before deciding any; then it
/// decides each row on its own, on all cores.
///
/// With a ``leadCheck`` (the import profile's: Salesforce requires LastName and Company and caps
/// field lengths), only a row that passes it creates a person's (or a buying group's) lead: the
/// person's first such row does, and their other rows attach to it. A row that would create a
/// lead and fails the check is settled as `rejected` with the reason, before any file is written.
public final class DecideStage: BarrierStage, @unchecked Sendable {
    public let name = "decide"
    /// The lead management method.
    public let method: LeadMethod
    /// The campaign of rows whose source has no campaign column; empty means the source list's name.
    public let campaign: String
    /// The response date of rows without a readable one (YYYY-MM-DD), usually the run's date.
    public let defaultDate: String
    /// What a response of a closed (disqualified, unqualified, ...) CRM lead does.
    public let recycle: Recycle
    /// What a row needs to create a lead in the CRM the run writes import files for; `nil`
    /// checks nothing.
    public let leadCheck: ImportProfile.LeadCheck?

    /// What a response of a lead the CRM has closed without converting does: `reopen` attaches
    /// it to that lead and says to reopen it; `create` makes a new lead (the reason names the
    /// closed one).
    public enum Recycle: String, Sendable, CaseIterable {
        case reopen, create
    }

    /// Person facts by cluster number (`C12` is 12), for people with a CRM match or held back.
    private var people: [Int: PersonFacts] = [:]
    /// The clusters whose first open row that may create a lead has been seen (a bit per
    /// cluster number): the people whose lead this run creates.
    private var started = NumberSet()
    /// The rows (by sequence) that are the first open row of their cluster that may create a
    /// lead (every row may without a lead check): the ones that create it when the table says so.
    private var firstRows = NumberSet()
    /// The rows (by sequence) that fail the lead check: only these are checked again (for the
    /// reason) when the table says they create a lead.
    private var failsCheck = NumberSet()
    /// Buying groups by account id.
    private var groups: [String: GroupFacts] = [:]
    /// Under the buying group: the open lead the CRM's leads export holds for an account (by
    /// the export's account id column), by account id. A group with one attaches to it instead
    /// of creating a second lead for the account. The runner fills it from the match stage
    /// (``MatchStage/openLeadsByAccount``) once the exports are read.
    public var accountLeads: [String: MatchStage.AccountLead] = [:]
    /// The lead id of each cluster's first open row, by cluster number.
    private var creators: [LeadKey] = []

    /// The columns this stage fills.
    public static let columns = [
        "listwash_action", "listwash_target_id", "listwash_external_id", "listwash_target_owner", "listwash_role",
        "listwash_campaign", "listwash_response_date", "listwash_list",
    ]

    public var outputColumns: [String] { Self.columns }

    /// Once every row has been observed, each row is decided on its own: on all cores.
    public var runsConcurrently: Bool { true }

    /// A decide stage for `method`.
    public init(method: LeadMethod, campaign: String = "", defaultDate: String, recycle: Recycle = .reopen,
                leadCheck: ImportProfile.LeadCheck? = nil) {
        self.method = method
        self.leadCheck = leadCheck
        self.recycle = recycle
        self.campaign = campaign
        self.defaultDate = defaultDate
    }

    // MARK: Seeing every row first

    /// What one row tells about its person.
    struct RowFacts: Sendable {
        var sequence: Int
        var cluster: Int
        var clusterLabel: String
        var leadID: String
        var contactID: String
        var accountID: String
        /// What the exports say of the matched lead and contact.
        var leadStatus = "", leadOwner = "", contactOwner = ""
        /// The id of the lead this row would create (only for rows seen before deciding).
        var key = LeadKey(high: 0, low: 0)
        /// Whether the row passes the lead check, so that it may create a lead.
        var canCreate = true
        /// For a row a suppression list held back by email or phone: why, for the person's
        /// other rows.
        var heldBack: HeldBack?
    }

    /// A person held back in one of their rows.
    struct HeldBack: Sendable {
        var list: String
        var reason: String
    }

    private struct PersonFacts {
        var leadID = ""
        var contactID = ""
        var leadStatus = "", leadOwner = "", contactOwner = ""
        var heldBack: HeldBack?

        /// Takes the lead and the contact of `row` where none is known yet.
        mutating func learn(_ row: RowFacts) {
            if leadID.isEmpty, !row.leadID.isEmpty { (leadID, leadStatus, leadOwner) = (row.leadID, row.leadStatus, row.leadOwner) }
            if contactID.isEmpty, !row.contactID.isEmpty { (contactID, contactOwner) = (row.contactID, row.contactOwner) }
        }
    }

    private struct GroupFacts {
        var firstSequence: Int
        var creator: LeadKey
        var leadID: String
    }

    public func digest(_ batch: RecordBatch) throws -> (any Sendable)? {
        Columns(batch.layout).facts(batch, check: leadCheck?.resolved(for: batch))
    }

    public func observe(_ batch: RecordBatch, digest: (any Sendable)?) throws {
        let rows = digest as? [RowFacts] ?? Columns(batch.layout).facts(batch, check: leadCheck?.resolved(for: batch))
        for row in rows {
            if let heldBack = row.heldBack {
                if people[row.cluster]?.heldBack == nil { people[row.cluster, default: PersonFacts()].heldBack = heldBack }
                continue
            }
            if !row.canCreate { failsCheck.insert(row.sequence) }
            if row.canCreate, started.insert(row.cluster) {
                firstRows.insert(row.sequence)
                if row.cluster >= creators.count {
                    creators.append(contentsOf: repeatElement(LeadKey(high: 0, low: 0), count: max(row.cluster + 1 - creators.count, creators.count)))
                }
                creators[row.cluster] = row.key
            }
            if !row.leadID.isEmpty || !row.contactID.isEmpty {
                people[row.cluster, default: PersonFacts()].learn(row)
            }
            guard method == .buyingGroup, !row.accountID.isEmpty else { continue }
            // The group's first row that may create its lead creates it (-1: none yet).
            var group = groups[row.accountID] ?? GroupFacts(firstSequence: -1, creator: row.key, leadID: "")
            if group.firstSequence < 0, row.canCreate { (group.firstSequence, group.creator) = (row.sequence, row.key) }
            if group.leadID.isEmpty { group.leadID = row.leadID }
            groups[row.accountID] = group
        }
    }

    public func prepare() throws {}

    // MARK: Deciding

    public func process(_ batch: inout RecordBatch) throws {
        let columns = Columns(batch.layout)
        guard let action = columns.action, let target = columns.target else { return }
        let context = RowContext(schema: batch.schema)
        let check = leadCheck?.resolved(for: batch)
        for row in batch.openRows {
            let facts = columns.facts(batch, row: row)
            if batch[row, OutputLayout.cluster].isEmpty { batch[row, OutputLayout.cluster] = facts.clusterLabel }
            if let heldBack = people[facts.cluster]?.heldBack {
                batch.settle(row, as: .suppressed, reason: heldBack.reason)
                if let list = columns.suppressionList { batch[row, list] = heldBack.list }
                continue
            }
            let decision = decide(facts, role: method == .buyingGroup ? context.role(batch, row) : .unknown)
            if decision.action == .createLead, failsCheck.contains(facts.sequence), let problem = check?.problem(batch, row: row) {
                batch.settle(row, as: .rejected, reason: problem)
                continue
            }
            batch[row, action] = decision.action.rawValue
            batch[row, target] = decision.target
            if let column = columns.targetOwner { batch[row, column] = decision.targetOwner }
            if let external = columns.external, let key = decision.createdLead { batch[row, external] = key.text }
            if let role = columns.role, method == .buyingGroup { batch[row, role] = decision.role?.rawValue ?? "" }
            if decision.matchID != nil { batch[row, OutputLayout.matchID] = decision.matchID ?? "" }
            if let column = columns.campaign { batch[row, column] = context.campaign(batch, row, fallback: campaign) }
            if let column = columns.responseDate { batch[row, column] = context.responseDate(batch, row) ?? defaultDate }
            if let column = columns.list { batch[row, column] = batch.schema.listName }
            batch.settle(row, as: decision.action == .createLead ? .load : .attach, reason: decision.reason)
        }
    }

    /// One row's decision with its reason.
    struct Decision {
        var action: CRMAction
        var target: String
        var reason: String
        var role: BuyingRole?
        var matchID: String?
        /// The id of the lead a `create_lead` row creates.
        var createdLead: LeadKey?
        /// The CRM owner of the record attached to, when the export names one.
        var targetOwner = ""
    }

    /// Row `facts`'s decision; `role` is its buying role (used under the buying group only).
    func decide(_ facts: RowFacts, role: BuyingRole) -> Decision {
        if method == .buyingGroup, !facts.accountID.isEmpty, let group = groups[facts.accountID], group.firstSequence >= 0 || !group.leadID.isEmpty || accountLeads[facts.accountID] != nil {
            return decideInGroup(facts, group: group, role: role)
        }
        var person = people[facts.cluster] ?? {
            var person = PersonFacts()
            person.learn(facts)
            return person
        }()
        // A lead the CRM closed without converting: under `recycle: create` it is no longer this person's lead.
        var recycled = ""
        if !person.leadStatus.isEmpty, recycle == .create {
            recycled = "; lead \(person.leadID) is closed (\(person.leadStatus)): recycle: create"
            person.leadID = ""
        }
        let isFirst = firstRows.contains(facts.sequence)
        let created = isFirst || !started.contains(facts.cluster) ? "" : "new:\(creator(of: facts.cluster).text)"
        let known = LeadDecision.Person(leadID: person.leadID, contactID: person.contactID, createdLead: created)
        let (action, target) = LeadDecision.decide(method, for: known)
        var decision = Decision(action: action, target: target, reason: "")
        if method == .buyingGroup { decision.role = role }
        switch action {
        case .createLead:
            decision.createdLead = creator(of: facts.cluster)
            if method == .pointOfInterest {
                decision.reason = "point of interest: every response creates a lead"
            } else if !person.contactID.isEmpty {
                decision.reason = "contact \(person.contactID) has no lead: hybrid creates one"
                decision.matchID = person.contactID
            } else {
                decision.reason = "not in the CRM: new lead"
            }
            decision.reason += recycled
        case .attachToLead where target == person.leadID:
            decision.reason = "response of \(Self.describe(lead: target))"
                + (person.contactID.isEmpty ? "" : " (also contact \(person.contactID): the lead wins)")
                + (person.leadStatus.isEmpty ? "" : "; the lead is closed (\(person.leadStatus)): reopen it")
            decision.targetOwner = person.leadOwner
        case .attachToLead:
            decision.reason = "repeat response: the lead its first response creates in this run (\(target))"
        case .attachToContact:
            decision.reason = "response of contact \(target) in the CRM" + recycled
            decision.targetOwner = person.contactOwner
        }
        return decision
    }

    private func decideInGroup(_ facts: RowFacts, group: GroupFacts, role: BuyingRole) -> Decision {
        if !group.leadID.isEmpty {
            return Decision(action: .attachToLead, target: group.leadID, reason: "buying group of account \(facts.accountID): \(Self.describe(lead: group.leadID))", role: role)
        }
        if let lead = accountLeads[facts.accountID] {
            return Decision(action: .attachToLead, target: lead.id, reason: "buying group of account \(facts.accountID): the account's open lead \(lead.id) in the CRM",
                            role: role, targetOwner: lead.owner)
        }
        if group.firstSequence == facts.sequence {
            return Decision(action: .createLead, target: "", reason: "buying group of account \(facts.accountID): first response, new lead", role: role, createdLead: group.creator)
        }
        let target = "new:\(group.creator.text)"
        return Decision(action: .attachToLead, target: target, reason: "buying group of account \(facts.accountID): the lead its first response creates in this run (\(target))", role: role)
    }

    /// A growable set of small non-negative numbers (cluster numbers, row sequences), a bit each.
    struct NumberSet {
        private var words: [UInt64] = []

        /// Adds `number`; whether it was new.
        @discardableResult
        mutating func insert(_ number: Int) -> Bool {
            guard number >= 0 else { return true }
            let (word, bit) = (number >> 6, UInt64(1) << UInt64(number & 63))
            if word >= words.count { words.append(contentsOf: repeatElement(0, count: max(word + 1 - words.count, words.count))) }
            defer { words[word] |= bit }
            return words[word] & bit == 0
        }

        /// Whether `number` is in the set.
        func contains(_ number: Int) -> Bool {
            let word = number >> 6
            return number >= 0 && word < words.count && words[word] & (UInt64(1) << UInt64(number & 63)) != 0
        }
    }

    /// `lead 00Q... in the CRM`, or for a lead of an earlier run (a ListWash id) that the export
    /// does not show yet `a lead an earlier run created (LW..., not yet in the CRM export)`.
    static func describe(lead id: String) -> String {
        LeadKey.isLeadKey(id) ? "a lead an earlier run created (\(id), not yet in the CRM export)" : "lead \(id) in the CRM"
    }

    /// The id of the lead that cluster `cluster`'s first open row creates.
    private func creator(of cluster: Int) -> LeadKey {
        cluster >= 0 && cluster < creators.count ? creators[cluster] : LeadKey(high: 0, low: 0)
    }

    /// `C12` for cluster 12.
    static func label(_ cluster: Int) -> String { "C\(cluster)" }

    /// The cluster number in a `listwash_cluster` value (`C12` → 12).
    static func clusterNumber(_ label: String) -> Int? {
        guard label.first == "C" else { return nil }
        return Int(label.dropFirst())
    }

    /// The columns the stage reads and writes, looked up once per batch.
    struct Columns {
        let action, target, external, role, campaign, responseDate, list: OutputLayout.Column?
        let lead, contact, account, suppressionList, targetOwner: OutputLayout.Column?
        let leadStatus, leadOwner, contactOwner: OutputLayout.Column?

        init(_ layout: OutputLayout) {
            action = layout.column("listwash_action")
            target = layout.column("listwash_target_id")
            external = layout.column("listwash_external_id")
            role = layout.column("listwash_role")
            campaign = layout.column("listwash_campaign")
            responseDate = layout.column("listwash_response_date")
            list = layout.column("listwash_list")
            lead = layout.column("listwash_lead_id")
            contact = layout.column("listwash_contact_id")
            account = layout.column("listwash_account_id")
            suppressionList = layout.column(SuppressStage.listColumn)
            targetOwner = layout.column("listwash_target_owner")
            leadStatus = layout.column(MatchStage.stateColumns[0])
            leadOwner = layout.column(MatchStage.stateColumns[1])
            contactOwner = layout.column(MatchStage.stateColumns[2])
        }

        /// The facts of a batch's open rows, and of its rows held back by a rule that names the
        /// person.
        func facts(_ batch: RecordBatch, check: ImportProfile.LeadCheck.Resolved?) -> [RowFacts] {
            var keys = LeadKey.Maker(batch)
            return batch.dispositions.indices.compactMap { row in
                switch batch.dispositions[row] {
                case nil:
                    var fact = facts(batch, row: row)
                    fact.key = keys.key(batch, row: row)
                    fact.canCreate = check?.problem(batch, row: row) == nil
                    return fact
                case .suppressed?:
                    guard let (list, rule) = SuppressionMatch.parse(reason: batch.reasons[row]), rule.identifiesPerson else { return nil }
                    var held = facts(batch, row: row)
                    held.heldBack = HeldBack(list: list, reason: "same person as row \(batch.rows[row]) of \(batch.schema.source), held back: \(batch.reasons[row])")
                    return held
                default:
                    return nil
                }
            }
        }

        /// What row `row` says about its person. A row without a cluster (no dedupe stage ran) is
        /// a cluster of its own, numbered like the dedupe stage numbers them.
        func facts(_ batch: RecordBatch, row: Int) -> RowFacts {
            let sequence = batch.sequence(row)
            let written = batch[row, OutputLayout.cluster]
            let cluster = DecideStage.clusterNumber(written) ?? sequence + 1
            func value(_ column: OutputLayout.Column?) -> String { column.map { batch[row, $0] } ?? "" }
            return RowFacts(sequence: sequence, cluster: cluster, clusterLabel: DecideStage.label(cluster),
                            leadID: value(lead), contactID: value(contact), accountID: value(account),
                            leadStatus: value(leadStatus), leadOwner: value(leadOwner), contactOwner: value(contactOwner))
        }
    }
}
