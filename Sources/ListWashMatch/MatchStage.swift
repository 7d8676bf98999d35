import ListWashCore
import ListWashNormalize

/// Matches each row against the CRM's contacts and leads (a row matches at most one person of
/// each) and its accounts, and says which record it belongs to and how sure it is.
///
/// Fills `listwash_match_id` and `listwash_match_type` (the best of the lead and contact
/// matches; a lead wins a tie), `listwash_match_score`, `listwash_contact_id`, `listwash_lead_id`,
/// `listwash_account_id` and `listwash_match_reason`. A row whose best candidate is only a
/// possible match goes to `review`, with the candidate in `listwash_review_partner` as
/// `contact:ID` or `lead:ID`. The exports are read and indexed once per run; rows are
/// matched on all cores.
///
/// With ``updates`` it also writes `update.csv` (the fields matched rows bring newer or fuller
/// values of: ``UpdateFinder``), and with ``mergeLimit`` `merge.csv` (the duplicates the
/// exports themselves hold: ``ReferenceMerges``); a run that asks for neither keeps nothing
/// more of the exports.
public final class MatchStage: SetUpStage, FileWritingStage, @unchecked Sendable {
    /// A CRM export and its id column.
    public struct Reference: Sendable {
        /// The export's path.
        public var path: String
        /// The id column's header, or `nil` to recognize it.
        public var idColumn: String?

        /// An export at `path`.
        public init(path: String, idColumn: String? = nil) {
            self.path = path
            self.idColumn = idColumn
        }
    }

    public let name: String
    /// The model.
    public let model: MatchModel
    /// Contacts, leads, accounts.
    public let contacts: Reference?, leads: Reference?, accounts: Reference?
    /// Leads ListWash created in earlier runs that the CRM export does not show yet (the
    /// nightly ledger's pending creates, ids `LW…`): matched like CRM leads, after them.
    public let pending: PendingLeadSource?
    /// A reviewer's earlier answers: a row answered `same` as a CRM record matches it, one
    /// answered `different` never does.
    public let decisions: ReviewDecisions
    /// Where the pending leads the leads export shows (by their fields) are reported.
    public let pendingMatches: PendingLeadMatches?
    /// Which fields of matched records update.csv may change, and when (`nil`: no update.csv).
    public let updates: UpdateRules?
    /// Records per merge in merge.csv, the master included (`nil`: no merge.csv).
    public let mergeLimit: Int?
    private var updateFinder: UpdateFinder?
    private var merges: ReferenceMerges?
    private var mergeSeconds = 0.0
    /// The pending leads' index, worked out on another thread from the end of ``setUp()`` on
    /// (see ``indexPending(_:leadIndex:)``); the first batch waits for it.
    private var pendingWork: Background<PendingIndex?>?
    /// Where warnings about the exports go (skipped records, unreadable dates, fields an
    /// export lacks); a runner gives the stage its own log when it has none.
    public var log: DiagnosticLog?
    /// What the run loads once for all its stages: the accounts export, shared with the
    /// suppress stage.
    public let context: RunContext
    private var contactIndex: ReferenceIndex?
    private var leadIndex: ReferenceIndex?
    /// The accounts export, once set up.
    public private(set) var accountIndex: AccountIndex?
    private let names = NameNormalizer()
    /// Related-name lists, shared by the batches matched on every core.
    private let variants = PreparationCache()

    /// The match's type, its contact, lead and account ids and reason, a review row's
    /// candidate (`listwash_review_partner`), and what the exports say of the matched records:
    /// their owners and a closed lead's status.
    public var outputColumns: [String] { Self.columns }

    /// The columns this stage adds (see ``outputColumns``).
    public static let columns = ["listwash_match_type", "listwash_contact_id", "listwash_lead_id", "listwash_account_id", "listwash_match_reason",
                                 DedupeStage.reviewPartnerColumn, ReviewDecisions.keyColumn] + stateColumns

    /// The columns of the matched records' CRM state: the lead's status when it is closed, the
    /// lead's and the contact's owners.
    public static let stateColumns = ["listwash_lead_status", "listwash_lead_owner", "listwash_contact_owner"]

    public var runsConcurrently: Bool { true }

    /// A match stage against the given exports, loading what it shares with other stages through
    /// `context` (a context of its own when `nil`).
    public init(name: String = "match", model: MatchModel = .leadList, contacts: Reference?, leads: Reference?, accounts: Reference?,
                pending: PendingLeadSource? = nil, pendingMatches: PendingLeadMatches? = nil, decisions: ReviewDecisions = ReviewDecisions(), log: DiagnosticLog? = nil,
                updates: UpdateRules? = nil, mergeLimit: Int? = nil, context: RunContext? = nil) {
        self.name = name
        self.context = context ?? RunContext(log: log ?? DiagnosticLog())
        self.updates = updates
        self.mergeLimit = mergeLimit
        self.pending = pending
        self.pendingMatches = pendingMatches
        self.decisions = decisions
        self.model = model
        self.contacts = contacts
        self.leads = leads
        self.accounts = accounts
        self.log = log
    }

    /// Reads and indexes the exports.
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`) for a missing or broken export.
    public func setUp() throws {
        var facts = updates?.request ?? ExportFacts.Request()
        if mergeLimit != nil { facts = facts.union(ReferenceMerges.request) }
        // The pending leads are read and indexed on another thread while the exports are read;
        // only their scores wait for the leads export (below).
        let pendingLookup = pending.map { source in
            Background { [model, variants] () throws -> (leads: PendingLeads, lookup: ReferenceIndex.Lookup?) in
                let leads = try source.leads(for: model)
                return (leads, leads.isEmpty ? nil : ReferenceIndex.Lookup(pending: leads, model: model, variants: variants))
            }
        }
        if let contacts { contactIndex = try ReferenceIndex(path: contacts.path, kind: .contact, idColumn: contacts.idColumn, model: model, log: log, variants: variants, facts: facts) }
        if let leads { leadIndex = try ReferenceIndex(path: leads.path, kind: .lead, idColumn: leads.idColumn, model: model, log: log, variants: variants, facts: facts) }
        if let accounts { accountIndex = try context.accounts(path: accounts.path, idColumn: accounts.idColumn) }
        // The rest of the pending leads' set-up waits for no one: it goes on while the rows are
        // read, normalized and deduplicated, and the pending leads the export shows are reported
        // once it is done (``PendingLeadMatches/confirmed`` waits for it).
        pendingWork = pendingLookup.map { [leadIndex, pendingMatches] lookup in
            pendingMatches?.searchBegins()
            return Background {
                defer { pendingMatches?.searchEnds() }
                return try self.indexPending(try lookup.value(), leadIndex: leadIndex)
            }
        }
        let people = [contactIndex, leadIndex].compactMap { $0 }
        if let updates {
            for index in people {
                let missing = zip(updates.fields, index.facts.columns).filter { $0.1 == nil }.map(\.0.rawValue)
                if !missing.isEmpty {
                    log?.warn("updates: the \(index.kind.rawValue)s export has no column for \(missing.joined(separator: ", ")): \(missing.count == 1 ? "that field is" : "those fields are") not updated on \(index.kind.rawValue)s", at: SourceLocation(file: index.path, line: 1))
                }
            }
            updateFinder = UpdateFinder(rules: updates, indexes: people)
        }
        if let mergeLimit {
            let clock = ContinuousClock(), start = clock.now
            merges = ReferenceMerges(indexes: people, model: model, limit: mergeLimit)
            let (seconds, attoseconds) = (clock.now - start).components
            mergeSeconds = Double(seconds) + Double(attoseconds) / 1e18
        }
    }

    /// The pending leads' index, and per pending lead whether the leads export shows it
    /// (confirmed before, by its ListWash id, or by its fields): not matched as pending (the
    /// CRM lead is).
    private struct PendingIndex {
        let index: ReferenceIndex
        let shown: [Bool]
    }

    /// Indexes the pending leads `read` (with their lookup, unless there are none) and finds
    /// those the leads export shows by their fields.
    private func indexPending(_ read: (leads: PendingLeads, lookup: ReferenceIndex.Lookup?), leadIndex: ReferenceIndex?) throws -> PendingIndex? {
        guard let lookup = read.lookup else { return nil }
        // Pending leads are leads: with a leads export, the u values it gave the model and
        // the frequencies of its names.
        var pendingModel = leadIndex?.model ?? model
        if leadIndex != nil { pendingModel.estimateU = false }
        let index = ReferenceIndex(pending: read.leads, lookup: lookup, path: Self.ledgerName, model: pendingModel, frequencies: leadIndex?.frequencies)
        var shownPending = read.leads.shown
        // The index, then the search (each on all cores), not both at once: this runs on a
        // thread of the pool that waiting batches hold, so it waits for no work queued there.
        if let leadIndex { confirmShown(ShownPendingLeads.find(lookup.features, in: leadIndex.features), pending: index, export: leadIndex, shown: &shownPending) }
        return PendingIndex(index: index, shown: shownPending)
    }

    /// The pending leads' index, once worked out (`nil` when there are none, or reading them failed).
    private var pendingIndex: PendingIndex? {
        try? pendingWork?.value()
    }

    /// Reads a settled batch for update.csv (see ``UpdateFinder/observe(_:)``).
    public func observeWritten(_ batch: RecordBatch) {
        updateFinder?.observe(batch)
    }

    /// Writes update.csv and merge.csv, as asked.
    ///
    /// - Throws: what reading the pending leads threw, when no batch has yet.
    public func writeFiles(in folder: String) throws -> [WrittenFile] {
        _ = try pendingWork?.value()
        var files: [WrittenFile] = []
        if let updateFinder {
            let rows = try updateFinder.write(to: "\(folder)/update.csv")
            files.append(WrittenFile(name: "update.csv", rows: rows, notes: updateFinder.heldBack.reduce(into: [:]) { $0["held back: \($1.key)"] = $1.value }))
        }
        if let merges {
            try merges.write(to: "\(folder)/merge.csv")
            let groups = Set(merges.merges.map(\.group)).count
            files.append(WrittenFile(name: "merge.csv", rows: merges.merges.count,
                                     notes: ["clusters": merges.clusters, "merges": groups, "milliseconds to find": Int((mergeSeconds * 1000).rounded())]))
        }
        return files
    }

    /// What review reasons call the pending leads' source.
    static let ledgerName = "the lead ledger"

    /// Marks the pending leads the CRM's leads export shows (`found` by ``ShownPendingLeads``)
    /// in `shown` and reports each in ``pendingMatches``: they are no longer matched as pending,
    /// since rows then match the CRM lead itself.
    private func confirmShown(_ found: [(pending: Int, export: Int)], pending: ReferenceIndex, export: ReferenceIndex, shown shownPending: inout [Bool]) {
        for (record, match) in found where !shownPending[record] {
            shownPending[record] = true
            pendingMatches?.add(pending.features.labels[record], crmID: export.features.labels[match])
        }
    }

    /// The indexes, once set up (for explanations and reports).
    public var indexes: [ReferenceIndex] { [leadIndex, contactIndex, pendingIndex?.index].compactMap { $0 } }

    /// A CRM lead of an account: its id and owner.
    public struct AccountLead: Sendable, Equatable {
        /// The lead's CRM id.
        public let id: String
        /// Its owner, as the export writes it (empty when the export has no owner column).
        public let owner: String

        /// The lead `id`, owned by `owner`.
        public init(id: String, owner: String = "") {
            self.id = id
            self.owner = owner
        }
    }

    /// The open leads of the leads export that name an account (its account id column), by
    /// account id: the first such lead in the export for each account. Converted and closed
    /// leads are left out. Empty before ``setUp()`` or when the export has no account column.
    /// The buying group attaches every response of such an account to its lead.
    public var openLeadsByAccount: [String: AccountLead] {
        guard let leadIndex else { return [:] }
        var leads: [String: AccountLead] = [:]
        for record in leadIndex.accountIDs.indices {
            let account = leadIndex.accountIDs[record].trimmingSpaces()
            guard !account.isEmpty, leads[account] == nil else { continue }
            let state = leadIndex.state(record)
            guard state.standing == .open else { continue }
            leads[account] = AccountLead(id: leadIndex.features.labels[record], owner: state.owner)
        }
        return leads
    }

    public func process(_ batch: inout RecordBatch) throws {
        guard let type = batch.layout.column("listwash_match_type"), let contactColumn = batch.layout.column("listwash_contact_id"),
              let leadColumn = batch.layout.column("listwash_lead_id"), let accountColumn = batch.layout.column("listwash_account_id"),
              let reasonColumn = batch.layout.column("listwash_match_reason") else { return }
        let pendingLeads = try pendingWork?.value()
        var features = FeatureSet(model: model, variants: variants)
        features.add(batch, names: names)
        let open = batch.openRows
        let store = features.store(model: model)
        let results = keysByIndex(features, store: store)
        let domain = batch.layout.column("listwash_domain"), company = batch.layout.column("listwash_company_key"), state = batch.layout.column("listwash_state")
        let partnerColumn = batch.layout.column(DedupeStage.reviewPartnerColumn), keyColumn = batch.layout.column(ReviewDecisions.keyColumn)
        let columnCount = features.columnNames.count
        let (statusColumn, leadOwner, contactOwner) = (batch.layout.column(Self.stateColumns[0]), batch.layout.column(Self.stateColumns[1]), batch.layout.column(Self.stateColumns[2]))
        for (record, row) in open.enumerated() {
            // The indexes' tables are large: start loading the next records' parts of them.
            for (index, keys) in results {
                if record + 2 < keys.count { index.prefetch(keys[record + 2], stage: 0) }
                if record + 1 < keys.count { index.prefetch(keys[record + 1], stage: 1) }
            }
            // The row's fingerprint, for a reviewer's answers and a review row's key.
            var fingerprint: UInt64 { ReviewDecisions.fingerprint(store, record, columns: columnCount) }
            let answers = decisions.isEmpty ? nil : (decisions, fingerprint)
            if let (decisions, fingerprint) = answers, let answered = decisions.sameRecord(fingerprint), settleAnswered(answered, batch: &batch, row: row) { continue }
            var best: (index: ReferenceIndex, record: Int, probability: Double)?
            var converted: (lead: String, contact: String)?
            var pendingLead: (id: String, run: String)?
            for (index, keys) in results {
                // A CRM lead wins over a pending one: a row that matched one needs no pending lead.
                if index === pendingLeads?.index, !batch[row, leadColumn].isEmpty { continue }
                guard let match = index.bestMatch(for: store, record: record, keys: keys[record]) else { continue }
                // A candidate a reviewer said is another person is no candidate.
                if let (decisions, fingerprint) = answers, decisions.answer(fingerprint, record: "\(index.kind.rawValue):\(index.features.labels[match.record])") == .different { continue }
                if match.probability >= model.matchThreshold {
                    let id = index.features.labels[match.record], state = index.state(match.record)
                    switch (index.kind, state.standing) {
                    case (.lead, .converted(let contact)):
                        // A converted lead is dead: its responses go to the contact it became.
                        converted = (id, contact)
                    case (.lead, _) where index === pendingLeads?.index:
                        // A lead of an earlier run the export does not show yet; a CRM lead wins.
                        guard batch[row, leadColumn].isEmpty, pendingLeads?.shown[match.record] == false else { break }
                        batch[row, leadColumn] = id
                        if let leadOwner { batch[row, leadOwner] = state.owner }
                        pendingLead = (id, state.createdBy)
                    case (.lead, _):
                        batch[row, leadColumn] = id
                        if case .closed(let status) = state.standing, let statusColumn { batch[row, statusColumn] = status }
                        if let leadOwner { batch[row, leadOwner] = state.owner }
                    case (.contact, _):
                        batch[row, contactColumn] = id
                        if let contactOwner { batch[row, contactOwner] = state.owner }
                    }
                }
                if match.probability > (best?.probability ?? 0) { best = (index, match.record, match.probability) }
            }
            if let converted, !converted.contact.isEmpty, batch[row, contactColumn].isEmpty { batch[row, contactColumn] = converted.contact }
            var accountID = ""
            if let best {
                let label = best.index.features.labels[best.record]
                if best.probability >= model.matchThreshold {
                    // A lead and a contact both matching: the lead wins (hybrid and unique attach to it).
                    let (lead, contact) = (batch[row, leadColumn], batch[row, contactColumn])
                    if !lead.isEmpty || !contact.isEmpty {
                        batch[row, OutputLayout.matchID] = lead.isEmpty ? contact : lead
                        batch[row, type] = (lead.isEmpty ? ReferenceIndex.Kind.contact : .lead).rawValue
                    }
                    batch[row, OutputLayout.matchScore] = Self.format(best.probability)
                    var reason = "\(best.index.kind.rawValue) \(label) (p=\(Self.format(best.probability)))"
                    if let pendingLead, batch[row, leadColumn] == pendingLead.id {
                        reason += "; lead \(pendingLead.id) created by run \(pendingLead.run), not yet in the CRM export"
                    }
                    if let converted {
                        reason += converted.contact.isEmpty ? "; lead \(converted.lead) is converted and names no contact: not used"
                            : "; lead \(converted.lead) is converted to contact \(converted.contact)"
                    }
                    batch[row, reasonColumn] = reason
                    accountID = best.index.accountID(best.record)
                } else {
                    batch.settle(row, as: .review, reason: "possible match to \(best.index.kind.rawValue) \(label) in \(best.index.path) (p=\(Self.format(best.probability)), below the match threshold \(Self.format(model.matchThreshold)))")
                    batch[row, OutputLayout.matchScore] = Self.format(best.probability)
                    if let partnerColumn { batch[row, partnerColumn] = "\(best.index.kind.rawValue):\(label)" }
                    if let keyColumn { batch[row, keyColumn] = ReviewDecisions.key(fingerprint, record: "\(best.index.kind.rawValue):\(label)") }
                }
            }
            if accountID.isEmpty, let accountIndex,
               let account = accountIndex.account(domain: domain.map { batch[row, $0] } ?? "", companyKey: company.map { batch[row, $0] } ?? "", state: state.map { batch[row, $0] } ?? "") {
                accountID = account.id
                let reason = batch[row, reasonColumn]
                batch[row, reasonColumn] = (reason.isEmpty ? "" : reason + "; ") + "account \(account.id) by \(account.reason)"
            }
            batch[row, accountColumn] = accountID
        }
    }

    /// Per index (``indexes``), per open row of `batch` in order: the log2 odds that the row is
    /// one of the index's records (``ReferenceIndex/candidateLogOdds(for:record:keys:)``).
    func candidateLogOdds(_ batch: RecordBatch) -> [[Double]] {
        var features = FeatureSet(model: model, variants: variants)
        features.add(batch, names: names)
        let store = features.store(model: model)
        return keysByIndex(features, store: store).map { index, keys in
            keys.enumerated().map { record, keys in index.candidateLogOdds(for: store, record: record, keys: keys) }
        }
    }

    /// Per index (``indexes``), each record's blocking keys of `features` under the index's
    /// model; indexes blocked alike (the leads export and the pending leads) share them.
    private func keysByIndex(_ features: FeatureSet, store: FeatureStore) -> [(index: ReferenceIndex, keys: [[UInt64]])] {
        var results: [(index: ReferenceIndex, keys: [[UInt64]])] = []
        for index in indexes {
            let shared = results.first { $0.index.model.blocking == index.model.blocking && $0.index.model.columns == index.model.columns }
            results.append((index, shared?.keys ?? index.keys(for: features, store: store)))
        }
        return results
    }

    /// Matches row `row` to the CRM record a reviewer answered it is (`lead:ID`, `contact:ID`);
    /// whether the answer names a kind of record this stage has.
    private func settleAnswered(_ record: String, batch: inout RecordBatch, row: Int) -> Bool {
        let parts = record.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = ReferenceIndex.Kind(rawValue: parts[0]),
              let column = batch.layout.column(kind == .lead ? "listwash_lead_id" : "listwash_contact_id") else { return false }
        batch[row, column] = parts[1]
        batch[row, OutputLayout.matchID] = parts[1]
        batch[row, OutputLayout.matchScore] = Self.format(1)
        if let type = batch.layout.column("listwash_match_type") { batch[row, type] = kind.rawValue }
        if let reason = batch.layout.column("listwash_match_reason") { batch[row, reason] = "\(record): a reviewer answered same" }
        return true
    }

    static func format(_ probability: Double) -> String {
        ProbabilityText.text(probability)
    }
}
