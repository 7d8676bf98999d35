import ListWashCore

/// Who a routed row goes to: one owner, a queue, or a team whose members take turns.
public enum Assignee: Sendable, Hashable, CustomStringConvertible {
    /// A named owner (a user of the CRM).
    case owner(String)
    /// A queue people pick leads from.
    case queue(String)
    /// A team: its members receive rows in turn (round robin, in row order).
    case team(String)

    /// `owner x`, `queue y` or `team z`.
    public var description: String {
        switch self {
        case .owner(let name): "owner \(name)"
        case .queue(let name): "queue \(name)"
        case .team(let name): "team \(name)"
        }
    }
}

/// Where a rule applies: US states, ZIP code prefixes and ranges, telephone area codes. A row is
/// in the territory when its state, its ZIP code or its area code is listed (any one of them).
/// An empty territory is everywhere.
public struct Territory: Sendable, Hashable {
    /// Two-letter state codes (`CA`).
    public var states: [String] = []
    /// ZIP code prefixes of one to five digits (`94`, `021`).
    public var zipPrefixes: [String] = []
    /// Ranges of five-digit ZIP codes, as numbers (`94000...95999`).
    public var zipRanges: [ClosedRange<Int>] = []
    /// Three-digit area codes (`415`).
    public var areaCodes: [Int] = []

    /// Everywhere.
    public init() {}

    /// A territory of the given parts.
    public init(states: [String] = [], zipPrefixes: [String] = [], zipRanges: [ClosedRange<Int>] = [], areaCodes: [Int] = []) {
        self.states = states
        self.zipPrefixes = zipPrefixes
        self.zipRanges = zipRanges
        self.areaCodes = areaCodes
    }

    /// Whether the territory lists nothing (it is then everywhere).
    public var isEverywhere: Bool { states.isEmpty && zipPrefixes.isEmpty && zipRanges.isEmpty && areaCodes.isEmpty }

    /// Every ZIP prefix and range as a range of five-digit numbers: prefix `94` is `94000...94999`.
    public var zipIntervals: [ClosedRange<Int>] {
        zipPrefixes.compactMap(Self.interval(ofPrefix:)) + zipRanges
    }

    /// The five-digit ZIP codes a prefix of one to five digits covers.
    public static func interval(ofPrefix prefix: String) -> ClosedRange<Int>? {
        guard (1...5).contains(prefix.count), prefix.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(prefix) else { return nil }
        var scale = 1
        for _ in 0..<(5 - prefix.count) { scale *= 10 }
        return (value * scale)...(value * scale + scale - 1)
    }
}

/// One routing rule: a territory, further conditions, and who receives the rows it matches.
public struct RouteRule: Sendable {
    /// The rule's name, shown in `listwash_route_rule`.
    public var name: String
    /// Where it applies.
    public var territory: Territory
    /// Product interests (values of the rules file's product field), any of which matches;
    /// empty: any.
    public var products: [String]
    /// Grades it takes; empty: any.
    public var grades: Set<Grade>
    /// Further conditions, all of which must hold.
    public var conditions: [FieldCondition]
    /// Who receives the rows.
    public var assignee: Assignee
    /// Where the rules file states it.
    public var location: SourceLocation?

    /// A rule sending rows in `territory` that meet the conditions to `assignee`.
    public init(name: String, territory: Territory = Territory(), products: [String] = [], grades: Set<Grade> = [],
                conditions: [FieldCondition] = [], assignee: Assignee, location: SourceLocation? = nil) {
        self.name = name
        self.territory = territory
        self.products = products
        self.grades = grades
        self.conditions = conditions
        self.assignee = assignee
        self.location = location
    }
}

/// A named account whose rows always go to its owner, whatever the territory.
public struct KeyAccount: Sendable {
    /// The account's name, shown in `listwash_route_rule`.
    public var name: String
    /// The CRM account id (`listwash_account_id`, filled by the match stage).
    public var accountID: String?
    /// The company's matching key (`listwash_company_key`, as the company normalizer makes it).
    public var companyKey: String?
    /// Who receives its rows.
    public var assignee: Assignee
    /// Where the rules file states it.
    public var location: SourceLocation?

    /// A key account matched by account id or company key (at least one).
    public init(name: String, accountID: String? = nil, companyKey: String? = nil, assignee: Assignee, location: SourceLocation? = nil) {
        self.name = name
        self.accountID = accountID
        self.companyKey = companyKey
        self.assignee = assignee
        self.location = location
    }
}

/// A team of owners who take turns.
public struct Team: Sendable {
    /// The team's name.
    public var name: String
    /// Its members, in the order they take turns.
    public var members: [String]
    /// Where the rules file states it.
    public var location: SourceLocation?

    /// A team.
    public init(name: String, members: [String], location: SourceLocation? = nil) {
        self.name = name
        self.members = members
        self.location = location
    }
}

/// Who receives each row: the `routing:` section of a rules file.
///
/// The order of evaluation: 1. key accounts (by account id, then company key) always win;
/// 2. the rules, in file order, the first that matches wins; 3. the default queue.
public struct RoutingRules: Sendable {
    /// Teams by name, in file order.
    public var teams: [Team] = []
    /// Key accounts, in file order.
    public var keyAccounts: [KeyAccount] = []
    /// Rules, in file order.
    public var rules: [RouteRule] = []
    /// The field holding product interest, for rules with `products:`.
    public var productField: FieldReference?
    /// Where rows no key account and no rule takes go. Required: without it a row could be
    /// left with no owner (an orphan), which fails the run.
    public var defaultQueue: String?
    /// Where the rules file names the default queue (or the section, when it does not).
    public var defaultLocation: SourceLocation?

    /// No rules.
    public init() {}

    /// The team named `name`.
    public func team(_ name: String) -> Team? { teams.first { $0.name == name } }
}

/// A rules file: scoring, routing, or both.
public struct LeadRules: Sendable {
    /// The file's path, as `listwash_route_rule` names it.
    public var file: String
    /// The `scoring:` section.
    public var scoring: ScoringRules?
    /// The `routing:` section.
    public var routing: RoutingRules?

    /// Rules read from `file`.
    public init(file: String, scoring: ScoringRules? = nil, routing: RoutingRules? = nil) {
        self.file = file
        self.scoring = scoring
        self.routing = routing
    }
}
