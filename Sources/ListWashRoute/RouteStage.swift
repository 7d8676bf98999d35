import ListWashCore
import Synchronization

/// The `route` stage: fills `listwash_owner`, `listwash_queue` and `listwash_route_rule` of
/// every row that will reach the CRM (still open, or settled as `load` or `attach`), by the
/// `routing:` rules (see ``Router`` for the order). Rows settled otherwise keep them empty.
///
/// A rule naming a team hands its rows to the members in turn, in row order, so the stage then
/// runs ordered (one batch at a time, in input order) and the same input routes the same way.
/// Rules that look at the grade use `listwash_grade` (from a `score` stage before this one), or
/// score the row themselves when there is none.
///
/// Rules route people, not rows. After a `decide` stage, only the rows that create a lead are
/// routed (and only they take team turns); a row that attaches to a lead created in this run
/// (`listwash_target_id` = `new:LW…`) gets that lead's owner or queue, and a row that attaches to
/// a lead or contact already in the CRM gets the owner the export names for it
/// (`listwash_target_owner`), or none: the record keeps its owner in the CRM.
/// The stage then runs ordered, so that a lead is routed before the rows that attach to it.
///
/// ```swift
/// let stage = RouteStage(rules: rules)   // a LeadRules with a routing section
/// try stage.process(&batch)
/// ```
/// - Throws: ``ListWashError/orphan(source:row:rules:)`` for a row nothing routes.
/// - Complexity: O(*n* × *k*) for *n* rows and *k* candidate rules per row (see ``TerritoryIndex``).
public struct RouteStage: Stage {
    /// The router.
    public let router: Router
    /// Scores rows for rules that look at the grade when no score stage ran.
    public let scorer: LeadScorer?
    /// The rules file's path.
    public let file: String
    /// Whose turn it is in each team.
    public let turns: RoundRobin
    /// Whether rows come from a `decide` stage (attach rows follow their lead).
    public let followsLeads: Bool
    /// The owner or queue of each lead routed so far, by its ListWash id.
    private let leads = LeadAssignments()

    /// A stage routing by the `routing:` section of `rules` (and scoring by its `scoring:`
    /// section where rules need a grade). Rules without a routing section route every row to
    /// no one: the reader rejects them first.
    public init(rules: LeadRules, followsLeads: Bool = false) {
        self.followsLeads = followsLeads
        let routing = rules.routing ?? RoutingRules()
        router = Router(rules: routing, file: rules.file)
        scorer = rules.scoring.map(LeadScorer.init(rules:))
        file = rules.file
        turns = RoundRobin(teams: routing.teams)
    }

    public var name: String { "route" }
    public var outputColumns: [String] { Self.columns }
    /// The columns this stage fills: owner, queue and the rule that routed the row.
    public static let columns = [RouteColumns.owner, RouteColumns.queue, RouteColumns.routeRule]
    /// Concurrent unless a rule or key account names a team (turns follow row order) or rows
    /// attach to leads routed earlier in the run.
    public var runsConcurrently: Bool {
        guard !followsLeads else { return false }
        let rules = router.rules
        func isTeam(_ assignee: Assignee) -> Bool { if case .team = assignee { return true } else { return false } }
        return !rules.rules.contains { isTeam($0.assignee) } && !rules.keyAccounts.contains { isTeam($0.assignee) }
    }

    public func process(_ batch: inout RecordBatch) throws {
        guard let owner = batch.layout.column(RouteColumns.owner), let queue = batch.layout.column(RouteColumns.queue),
              let ruleColumn = batch.layout.column(RouteColumns.routeRule) else { return }
        let columns = router.columns(for: batch)
        let gradeColumn = batch.layout.column(RouteColumns.grade)
        let scoring = router.needsGrade ? scorer.map { ($0, $0.columns(for: batch)) } : nil
        let lead = LeadColumns(batch.layout)
        var cache = LeadScorer.Cache()
        for row in 0..<batch.count where Disposition.isRouted(batch.dispositions[row]) {
            let assignment: Assignment
            let attachment = lead.attachment(batch, row: row)
            if case .existing(let id)? = attachment {
                let crmOwner = lead.targetOwner.map { batch[row, $0] } ?? ""
                guard !crmOwner.isEmpty else {
                    batch[row, ruleColumn] = "attaches to \(id): its owner in the CRM"
                    continue
                }
                assignment = Assignment(name: crmOwner, isQueue: false, rule: "owner of \(id) in the CRM export")
            } else if case .created(let key)? = attachment, let creator = leads[key] {
                assignment = Assignment(name: creator.name, isQueue: creator.isQueue, rule: "lead new:\(key.text) of this run: \(creator.rule)")
            } else {
                var grade: Grade?
                if let (scorer, scoringColumns) = scoring, gradeColumn.map({ batch[row, $0].isEmpty }) ?? true {
                    grade = scorer.score(batch, row: row, columns: scoringColumns, cache: &cache).grade
                }
                assignment = try route(batch, row: row, columns: columns, grade: grade)
                if let key = lead.createdLead(batch, row: row) { leads[key] = assignment }
            }
            batch[row, assignment.isQueue ? queue : owner] = assignment.name
            batch[row, ruleColumn] = assignment.rule
        }
    }

    /// Where the rules send row `row`.
    private func route(_ batch: RecordBatch, row: Int, columns: Router.Columns, grade: Grade?) throws -> Assignment {
        guard let decision = router.decide(batch, row: row, columns: columns, grade: grade) else {
            throw ListWashError.orphan(source: batch.schema.source, row: batch.rows[row], rules: file)
        }
        switch decision.assignee {
        case .owner(let name):
            return Assignment(name: name, isQueue: false, rule: decision.rule)
        case .queue(let name):
            return Assignment(name: name, isQueue: true, rule: decision.rule)
        case .team(let name):
            if let member = decision.team.flatMap(turns.next(inTeamAt:)) ?? turns.next(in: name) {
                return Assignment(name: member, isQueue: false, rule: decision.rule)
            }
            guard let fallback = router.rules.defaultQueue else {
                throw ListWashError.orphan(source: batch.schema.source, row: batch.rows[row], rules: file)
            }
            return Assignment(name: fallback, isQueue: true, rule: decision.rule + " has no members: default queue")
        }
    }
}

/// An owner or a queue, with the rule that chose it.
struct Assignment: Sendable {
    var name: String
    var isQueue: Bool
    var rule: String
}

/// The owner or queue of each lead a run creates, by its ListWash id, for the rows that attach to
/// it later in the run. A run creates up to millions of leads: the ids (random bits already) are
/// kept in an open-addressing table of their own, without hashing them again.
final class LeadAssignments: Sendable {
    private let table = Mutex(Table())

    private struct Table {
        var keys: [LeadKey?] = Array(repeating: nil, count: 1024)
        var slots: [Int32] = Array(repeating: -1, count: 1024)
        var assignments: [Assignment] = []

        /// The slot of `key`, or the empty slot where it would go.
        func slot(_ key: LeadKey) -> Int {
            let mask = keys.count - 1
            var slot = Int(truncatingIfNeeded: key.low) & mask
            while let found = keys[slot], found != key { slot = (slot + 1) & mask }
            return slot
        }

        mutating func insert(_ key: LeadKey, _ assignment: Assignment) {
            if (assignments.count + 1) * 2 > keys.count { grow() }
            let slot = slot(key)
            if keys[slot] == nil {
                keys[slot] = key
                slots[slot] = Int32(assignments.count)
                assignments.append(assignment)
            } else {
                assignments[Int(slots[slot])] = assignment
            }
        }

        private mutating func grow() {
            let old = (keys, slots)
            keys = Array(repeating: nil, count: old.0.count * 2)
            slots = Array(repeating: -1, count: old.0.count * 2)
            for (key, index) in zip(old.0, old.1) {
                guard let key else { continue }
                let slot = slot(key)
                keys[slot] = key
                slots[slot] = index
            }
        }
    }

    subscript(key: LeadKey) -> Assignment? {
        get {
            table.withLock { table in
                let slot = table.slot(key)
                return table.keys[slot] == nil ? nil : table.assignments[Int(table.slots[slot])]
            }
        }
        set {
            guard let newValue else { return }
            table.withLock { $0.insert(key, newValue) }
        }
    }
}

/// The lead decision's columns, as the route stage reads them.
struct LeadColumns {
    /// What a row attaches to.
    enum Attachment {
        /// A lead or contact in the CRM, by its id.
        case existing(String)
        /// A lead created in this run, by its ListWash id.
        case created(LeadKey)
    }

    let action, target, external, targetOwner: OutputLayout.Column?

    init(_ layout: OutputLayout) {
        action = layout.column("listwash_action")
        target = layout.column("listwash_target_id")
        external = layout.column("listwash_external_id")
        targetOwner = layout.column("listwash_target_owner")
    }

    /// What row `row` attaches to, or `nil` for a row that creates a lead (or was not decided).
    func attachment(_ batch: RecordBatch, row: Int) -> Attachment? {
        guard let action, let target, batch[row, action].hasPrefix("attach") else { return nil }
        let id = batch[row, target]
        guard id.hasPrefix("new:") else { return .existing(id) }
        return LeadKey(text: String(id.dropFirst(4))).map { .created($0) }
    }

    /// The ListWash id of the lead row `row` creates, if it creates one.
    func createdLead(_ batch: RecordBatch, row: Int) -> LeadKey? {
        guard let external else { return nil }
        return LeadKey(text: batch[row, external])
    }
}
