import ListWashCore

/// Decides who receives a row, in the documented order: 1. key accounts (account id, then
/// company key) always win; 2. the rules in file order, first match wins, found through a
/// ``TerritoryIndex``; 3. the default queue.
///
/// A router does not take turns within teams (``RoundRobin`` does, in row order); it says which
/// rule decided and whom it names.
///
/// ```swift
/// let router = Router(rules: routing, file: "rules.yaml")
/// let decision = router.decide(batch, row: 0)
/// decision?.assignee // .team("west")
/// decision?.rule     // "rules.yaml:23 territory west"
/// ```
public final class Router: Sendable {
    /// What decided a row.
    public struct Decision: Sendable, Hashable {
        /// Who receives it.
        public var assignee: Assignee
        /// The rule: `file:line name`, and `(team NAME)` when it names a team.
        public var rule: String
        /// The team's position among the rules' teams, when the assignee is a team.
        public var team: Int?
    }

    /// Where a batch keeps what the rules read.
    public struct Columns: Sendable {
        let state, zip, phone, account, companyKey, grade, product: ResolvedField
        let conditions: [[ResolvedField]]
    }

    /// The rules.
    public let rules: RoutingRules
    private let index: TerritoryIndex
    private let byAccountID: [String: Int]
    private let byCompanyKey: [String: Int]
    private let ruleLabels: [String]
    private let keyAccountLabels: [String]
    private let defaultLabel: String
    private let products: [ValueMatcher?]
    /// Per rule: the grades it takes as bits (1 hot, 2 warm, 4 cold), 0 for any.
    private let gradeMasks: [UInt8]
    private let conditionMatchers: [[ValueMatcher]]
    private let ruleTeams: [Int?]
    private let keyAccountTeams: [Int?]

    /// A router for `rules` read from `file` (the labels name it).
    public init(rules: RoutingRules, file: String) {
        self.rules = rules
        index = TerritoryIndex(rules.rules.map(\.territory))
        var byAccountID: [String: Int] = [:], byCompanyKey: [String: Int] = [:]
        for (position, account) in rules.keyAccounts.enumerated() {
            if let id = account.accountID, byAccountID[id] == nil { byAccountID[id] = position }
            if let key = account.companyKey, !key.isEmpty, byCompanyKey[key] == nil { byCompanyKey[key] = position }
        }
        self.byAccountID = byAccountID
        self.byCompanyKey = byCompanyKey
        func label(_ location: SourceLocation?, _ name: String) -> String {
            let place = location.map { SourceLocation(file: file, line: $0.line).description } ?? file
            return "\(place) \(name)"
        }
        func team(_ assignee: Assignee) -> String {
            if case .team(let name) = assignee { return " (team \(name))" }
            return ""
        }
        func teamIndex(_ assignee: Assignee) -> Int? {
            if case .team(let name) = assignee { return rules.teams.firstIndex { $0.name == name } }
            return nil
        }
        ruleTeams = rules.rules.map { teamIndex($0.assignee) }
        keyAccountTeams = rules.keyAccounts.map { teamIndex($0.assignee) }
        ruleLabels = rules.rules.map { label($0.location, $0.name) + team($0.assignee) }
        keyAccountLabels = rules.keyAccounts.map { label($0.location, "key account \($0.name)") + team($0.assignee) }
        defaultLabel = label(rules.defaultLocation, "default queue")
        products = rules.rules.map { $0.products.isEmpty ? nil : ValueMatcher(values: $0.products, contains: []) }
        gradeMasks = rules.rules.map { rule in rule.grades.reduce(0) { $0 | Self.bit($1) } }
        needsGrade = gradeMasks.contains { $0 != 0 }
        conditionMatchers = rules.rules.map { $0.conditions.map(\.matcher) }
    }

    /// Whether any rule looks at the grade (the row must be scored first).
    public let needsGrade: Bool

    /// Looks up, once per batch, the columns the rules read.
    public func columns(for batch: RecordBatch) -> Columns {
        let resolve = { (reference: FieldReference) in reference.resolve(schema: batch.schema, layout: batch.layout) }
        return Columns(
            state: resolve(.output("listwash_state")), zip: resolve(.output("listwash_zip")),
            phone: resolve(.output("listwash_phone")), account: resolve(.output("listwash_account_id")),
            companyKey: resolve(.output("listwash_company_key")), grade: resolve(.output(RouteColumns.grade)),
            product: rules.productField.map(resolve) ?? .missing,
            conditions: rules.rules.map { $0.conditions.map { resolve($0.field) } })
    }

    /// Who receives record `row`; `nil` only when no rule takes it and there is no default queue.
    public func decide(_ batch: RecordBatch, row: Int, grade: Grade? = nil) -> Decision? {
        decide(batch, row: row, columns: columns(for: batch), grade: grade)
    }

    /// Who receives record `row`, with the batch's columns. `grade` overrides the batch's
    /// `listwash_grade` value.
    public func decide(_ batch: RecordBatch, row: Int, columns: Columns, grade: Grade? = nil) -> Decision? {
        if !byAccountID.isEmpty, case let id = columns.account.value(batch, row), !id.isEmpty, let position = byAccountID[id] {
            return Decision(assignee: rules.keyAccounts[position].assignee, rule: keyAccountLabels[position], team: keyAccountTeams[position])
        }
        if !byCompanyKey.isEmpty, case let key = columns.companyKey.value(batch, row), !key.isEmpty, let position = byCompanyKey[key] {
            return Decision(assignee: rules.keyAccounts[position].assignee, rule: keyAccountLabels[position], team: keyAccountTeams[position])
        }
        let gradeBit = needsGrade ? Self.bit(grade ?? Grade(rawValue: columns.grade.value(batch, row))) : 0
        // A loop rather than a closure: a closure would copy the batch for every row.
        var cursor = index.candidates(state: columns.state.value(batch, row), zip: Self.zipCode(columns.zip.value(batch, row)),
                                      areaCode: Self.areaCode(columns.phone.value(batch, row)))
        var found: Int?
        candidates: while let position = index.next(&cursor) {
            if gradeMasks[position] != 0, gradeMasks[position] & gradeBit == 0 { continue }
            if let wanted = products[position], !columns.product.matches(wanted, batch, row) { continue }
            let matchers = conditionMatchers[position]
            for (offset, field) in columns.conditions[position].enumerated() where !field.matches(matchers[offset], batch, row) {
                continue candidates
            }
            found = position
            break
        }
        if let found { return Decision(assignee: rules.rules[found].assignee, rule: ruleLabels[found], team: ruleTeams[found]) }
        return rules.defaultQueue.map { Decision(assignee: .queue($0), rule: defaultLabel) }
    }

    /// A grade's bit in ``gradeMasks``; 0 for none.
    private static func bit(_ grade: Grade?) -> UInt8 {
        switch grade {
        case .hot?: 1
        case .warm?: 2
        case .cold?: 4
        case nil: 0
        }
    }

    /// The five-digit ZIP code of a normalized ZIP (`02134` or `02134-1234`) as a number.
    static func zipCode(_ text: String) -> Int? {
        var value = 0, digits = 0
        for byte in text.utf8 {
            guard byte >= 48, byte <= 57 else { break }
            value = value * 10 + Int(byte - 48)
            digits += 1
            if digits == 5 { return value }
        }
        return nil
    }

    /// The area code of a normalized North American number: digits 3 to 5 of `+1NXXNXXXXXX`.
    static func areaCode(_ phone: String) -> Int? {
        var utf8 = phone.utf8.makeIterator()
        guard utf8.next() == UInt8(ascii: "+"), utf8.next() == UInt8(ascii: "1") else { return nil }
        var value = 0
        for _ in 0..<3 {
            guard let byte = utf8.next(), byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }
}
