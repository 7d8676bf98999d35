import ListWashCore

/// The `route` stage: fills `listwash_owner`, `listwash_queue` and `listwash_route_rule` of
/// every row that will reach the CRM (still open, or settled as `load` or `attach`), by the
/// `routing:` rules (see ``Router`` for the order). Rows settled otherwise keep them empty.
///
/// A rule naming a team hands its rows to the members in turn, in row order, so the stage then
/// runs ordered (one batch at a time, in input order) and the same input routes the same way.
/// Rules that look at the grade use `listwash_grade` (from a `score` stage before this one), or
/// score the row themselves when there is none.
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

    /// A stage routing by the `routing:` section of `rules` (and scoring by its `scoring:`
    /// section where rules need a grade). Rules without a routing section route every row to
    /// no one: the reader rejects them first.
    public init(rules: LeadRules) {
        let routing = rules.routing ?? RoutingRules()
        router = Router(rules: routing, file: rules.file)
        scorer = rules.scoring.map(LeadScorer.init(rules:))
        file = rules.file
        turns = RoundRobin(teams: routing.teams)
    }

    public var name: String { "route" }
    public var outputColumns: [String] { [RouteColumns.owner, RouteColumns.queue, RouteColumns.routeRule] }
    /// Concurrent unless a rule or key account names a team (turns follow row order).
    public var runsConcurrently: Bool {
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
        var cache = LeadScorer.Cache()
        for row in 0..<batch.count where Disposition.isRouted(batch.dispositions[row]) {
            var grade: Grade?
            if let (scorer, scoringColumns) = scoring, gradeColumn.map({ batch[row, $0].isEmpty }) ?? true {
                grade = scorer.score(batch, row: row, columns: scoringColumns, cache: &cache).grade
            }
            guard let decision = router.decide(batch, row: row, columns: columns, grade: grade) else {
                throw ListWashError.orphan(source: batch.schema.source, row: batch.rows[row], rules: file)
            }
            switch decision.assignee {
            case .owner(let name):
                batch[row, owner] = name
                batch[row, ruleColumn] = decision.rule
            case .queue(let name):
                batch[row, queue] = name
                batch[row, ruleColumn] = decision.rule
            case .team(let name):
                if let member = decision.team.flatMap(turns.next(inTeamAt:)) ?? turns.next(in: name) {
                    batch[row, owner] = member
                    batch[row, ruleColumn] = decision.rule
                } else if let fallback = router.rules.defaultQueue {
                    batch[row, queue] = fallback
                    batch[row, ruleColumn] = decision.rule + " has no members: default queue"
                } else {
                    throw ListWashError.orphan(source: batch.schema.source, row: batch.rows[row], rules: file)
                }
            }
        }
    }
}
