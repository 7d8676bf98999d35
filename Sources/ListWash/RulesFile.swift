import Foundation
import Synchronization
import ListWashCore
import ListWashNormalize
import ListWashRoute

/// Reads a rules file (YAML) for the `score` and `route` stages into ``LeadRules``, and checks it.
///
/// ```yaml
/// product_field: Product Interest       # the column holding product interest
/// scoring:
///   seniority: {c_level: 30, vp: 25, director: 20, manager: 10}
///   email_domain: {corporate: 10, free_mail: -10}
///   completeness: {fields: [email, phone, company, title, listwash_zip], points: 2}
///   matched_account: 15
///   products: {Analytics: 15}
///   points:
///     - {name: webinar, field: campaign, contains: [webinar], points: 5}
///   grades: {hot: 60, warm: 30}
/// routing:
///   teams: {west: [ana@example.com, bo@example.com]}
///   key_accounts:
///     - {name: Hooli, account_id: 001A0002, owner: ana@example.com}
///   rules:
///     - {name: territory west, states: [CA, OR, WA], zips: ["97", "98000-99499"], area_codes: [415], team: west}
///   default_queue: Unassigned Leads
/// ```
/// See the README's "Rules files" section for every key.
public enum RulesFile {
    /// The keys a rules file may have at its top level; a YAML file with `scoring:` or
    /// `routing:` and no `stages:` is taken for a rules file.
    public static let topLevelKeys = ["product_field", "scoring", "routing"]

    /// Reads the rules file at `path` and checks it.
    ///
    /// - Throws: ``ListWashError`` (`.usage`) with file, line and column for the first problem
    ///   with its syntax or keys, or for the first error ``RulesCheck`` finds.
    public static func load(path: String) throws -> LeadRules {
        let text = try read(path)
        let key = path + "\u{0}" + text
        if let rules = loaded.withLock({ $0[key] }) { return rules }
        let rules = try parse(text, file: path)
        if let error = RulesCheck.diagnostics(rules, warnings: false).first {
            throw ListWashError(.usage, error.message, at: error.location)
        }
        loaded.withLock { cache in
            if cache.count >= 16 { cache.removeAll() }
            cache[key] = rules
        }
        return rules
    }

    /// Rules already read, by path and text: a pipeline's `score` and `route` stages name the
    /// same file, and the pipeline is checked before it runs, so one file would be parsed four
    /// times (a tenth of a second each for a thousand rules).
    private static let loaded = Mutex<[String: LeadRules]>([:])

    /// Reads the rules file at `path` and returns it with every diagnostic about it (errors and
    /// warnings; see ``RulesCheck``).
    ///
    /// - Throws: ``ListWashError`` (`.usage`) for a file that cannot be read or is not a valid
    ///   rules file at all.
    public static func check(path: String) throws -> (LeadRules, [Diagnostic]) {
        let rules = try parse(try read(path), file: path)
        return (rules, RulesCheck.diagnostics(rules))
    }

    private static func read(_ path: String) throws -> String {
        do {
            return try TextFile.read(path)
        } catch let error as ListWashError {
            throw ListWashError(.usage, error.diagnostic.message, at: error.diagnostic.location)
        }
    }

    /// Whether the YAML file at `path` is a rules file rather than a pipeline (by its top-level keys).
    public static func isRulesFile(path: String) -> Bool {
        guard let text = try? TextFile.read(path), let document = try? YAMLValue.parse(text, file: path),
              let keys = try? document.mapping("the file", allowed: []).map(\.key) else { return false }
        return !keys.contains("stages") && (keys.contains("scoring") || keys.contains("routing"))
    }

    /// Reads rules from YAML text; `file` names it in errors and in `listwash_route_rule`.
    public static func parse(_ text: String, file: String) throws -> LeadRules {
        let document = try YAMLValue.parse(text, file: file)
        var rules = LeadRules(file: file)
        var productField: FieldReference?
        let pairs = try document.mapping("the rules file", allowed: topLevelKeys)
        for (key, _, value) in pairs where key == "product_field" {
            productField = FieldReference(try value.string("product_field"))
        }
        for (key, keyValue, value) in pairs {
            switch key {
            case "scoring": rules.scoring = try readScoring(value, at: keyValue, productField: productField)
            case "routing": rules.routing = try readRouting(value, at: keyValue, productField: productField)
            default: break
            }
        }
        guard rules.scoring != nil || rules.routing != nil else {
            throw document.error("a rules file needs a scoring: or a routing: section (or both)")
        }
        return rules
    }

    // MARK: Scoring

    static let scoringKeys = ["seniority", "email_domain", "completeness", "matched_account", "products", "points", "grades"]

    private static func readScoring(_ value: YAMLValue, at key: YAMLValue, productField: FieldReference?) throws -> ScoringRules {
        var scoring = ScoringRules()
        scoring.location = key.location
        for (name, nameValue, item) in try value.mapping("scoring", allowed: scoringKeys) {
            switch name {
            case "seniority":
                for (level, levelKey, points) in try item.mapping("seniority", allowed: JobLevel.allCases.map(\.rawValue)) {
                    guard let seniority = JobLevel(rawValue: level) else { throw levelKey.error("unknown seniority '\(level)'") }
                    scoring.seniority[seniority] = try points.integer("points for \(level)")
                }
            case "email_domain":
                for (kind, _, points) in try item.mapping("email_domain", allowed: ["corporate", "free_mail"]) {
                    if kind == "corporate" { scoring.corporateDomain = try points.integer("points for a corporate domain") }
                    else { scoring.freeMail = try points.integer("points for a free-mail domain") }
                }
            case "completeness":
                var fields: [FieldReference] = [], points = 0
                for (part, _, setting) in try item.mapping("completeness", allowed: ["fields", "points"]) {
                    if part == "fields" { fields = try setting.list().map { FieldReference(try $0.string("a field")) } }
                    else { points = try setting.integer("points per field") }
                }
                guard !fields.isEmpty else { throw item.error("completeness needs fields: [...] to count") }
                scoring.completeness = .init(fields: fields, pointsPerField: points)
            case "matched_account": scoring.matchedAccount = try item.integer("matched_account")
            case "products":
                guard let productField else {
                    throw nameValue.error("scoring by products needs product_field: at the top of the file (the column holding product interest)")
                }
                for (product, productKey, points) in try item.mapping("products", allowed: []) {
                    let condition = FieldCondition(field: productField, values: [product], location: productKey.location)
                    scoring.points.append(.init(name: "product \(product)", condition: condition, points: try points.integer("points for \(product)"), location: productKey.location))
                }
            case "points":
                scoring.points += try item.list().map(readPoints)
            default:
                var hot: Int?, warm: Int?
                for (grade, _, threshold) in try item.mapping("grades", allowed: ["hot", "warm"]) {
                    if grade == "hot" { hot = try threshold.integer("the hot threshold") } else { warm = try threshold.integer("the warm threshold") }
                }
                guard let hot, let warm else { throw item.error("grades needs both thresholds: {hot: 60, warm: 30}") }
                guard hot >= warm else { throw item.error("the hot threshold (\(hot)) is below the warm threshold (\(warm))") }
                scoring.grades = GradeThresholds(hot: hot, warm: warm)
            }
        }
        return scoring
    }

    private static func readPoints(_ value: YAMLValue) throws -> ScoringRules.Points {
        var name: String?, points: Int?
        let condition = try readCondition(value, extra: ["name", "points"]) { key, item in
            if key == "name" { name = try item.string("name") } else { points = try item.integer("points") }
        }
        guard let points else { throw value.error("a points entry needs points: N") }
        return .init(name: name ?? condition.field.description, condition: condition, points: points, location: value.location)
    }

    /// Reads `{field: X, in: [...], contains: [...]}` plus the `extra` keys, which go to `other`.
    private static func readCondition(_ value: YAMLValue, extra: [String] = [], other: (String, YAMLValue) throws -> Void = { _, _ in }) throws -> FieldCondition {
        var field: FieldReference?, values: [String] = [], contains: [String] = []
        for (key, _, item) in try value.mapping("a condition", allowed: ["field", "in", "contains"] + extra) {
            switch key {
            case "field": field = FieldReference(try item.string("field"))
            case "in": values = try item.list().map { try $0.string("a value") }
            case "contains": contains = try item.list().map { try $0.string("a value") }
            default: try other(key, item)
            }
        }
        guard let field else { throw value.error("a condition needs field: (a role such as campaign, a listwash_ column, or a column header)") }
        return FieldCondition(field: field, values: values, contains: contains, location: value.location)
    }

    // MARK: Routing

    static let routingKeys = ["teams", "key_accounts", "rules", "default_queue"]
    static let ruleKeys = ["name", "states", "zips", "area_codes", "products", "grades", "when", "owner", "queue", "team"]

    private static func readRouting(_ value: YAMLValue, at key: YAMLValue, productField: FieldReference?) throws -> RoutingRules {
        var routing = RoutingRules()
        routing.productField = productField
        routing.defaultLocation = key.location
        for (name, nameValue, item) in try value.mapping("routing", allowed: routingKeys) {
            switch name {
            case "teams":
                routing.teams = try item.mapping("teams", allowed: []).map { team, teamKey, members in
                    Team(name: team, members: try members.list().map { try $0.string("a team member") }, location: teamKey.location)
                }
            case "key_accounts": routing.keyAccounts = try item.list().map(readKeyAccount)
            case "rules": routing.rules = try item.list().enumerated().map { try readRule($1, number: $0 + 1) }
            default:
                routing.defaultQueue = try item.string("default_queue")
                routing.defaultLocation = nameValue.location
            }
        }
        return routing
    }

    private static func readAssignee(_ pairs: [(key: String, keyValue: YAMLValue, value: YAMLValue)], in value: YAMLValue, what: String) throws -> Assignee {
        let named = pairs.filter { ["owner", "queue", "team"].contains($0.key) }
        guard named.count == 1, let (key, _, item) = named.first else {
            throw value.error("\(what) names exactly one of owner:, queue: or team:" + (named.isEmpty ? "" : " (it names \(named.map(\.key).joined(separator: " and ")))"))
        }
        let name = try item.string(key)
        guard !name.isEmpty else { throw item.error("\(key) is empty") }
        switch key {
        case "owner": return .owner(name)
        case "queue": return .queue(name)
        default: return .team(name)
        }
    }

    private static func readKeyAccount(_ value: YAMLValue) throws -> KeyAccount {
        let pairs = try value.mapping("a key account", allowed: ["name", "account_id", "company", "owner", "queue", "team"])
        var name: String?, accountID: String?, company: String?
        for (key, _, item) in pairs {
            switch key {
            case "name": name = try item.string("name")
            case "account_id": accountID = try item.string("account_id")
            case "company": company = try item.string("company")
            default: break
            }
        }
        guard accountID != nil || company != nil else { throw value.error("a key account needs account_id: or company: (or both)") }
        let key = company.map(CompanyNormalizer.matchingKey)
        if let company, key?.isEmpty ?? true { throw value.error("company '\(company)' has no letters or digits to match on") }
        return KeyAccount(name: name ?? company ?? accountID ?? "", accountID: accountID, companyKey: key,
                          assignee: try readAssignee(pairs, in: value, what: "a key account"), location: value.location)
    }

    private static let places = PlaceNormalizer()

    private static func readRule(_ value: YAMLValue, number: Int) throws -> RouteRule {
        let pairs = try value.mapping("a routing rule", allowed: ruleKeys)
        var rule = RouteRule(name: "rule \(number)", assignee: try readAssignee(pairs, in: value, what: "a routing rule"), location: value.location)
        for (key, _, item) in pairs {
            switch key {
            case "name": rule.name = try item.string("name")
            case "states":
                rule.territory.states = try item.list().map { state in
                    let text = try state.string("a state")
                    guard let code = places.stateCode(text) else { throw state.error("unknown state '\(text)' (use a two-letter code such as CA, or a name)") }
                    return code
                }
            case "zips":
                for zip in item.list() {
                    let text = try zip.string("a ZIP code").trimmingCharacters(in: .whitespaces)
                    let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                    if parts.count == 1, Territory.interval(ofPrefix: text) != nil {
                        rule.territory.zipPrefixes.append(text)
                    } else if parts.count == 2, parts.allSatisfy({ $0.count == 5 }), let low = Territory.interval(ofPrefix: parts[0])?.lowerBound,
                              let high = Territory.interval(ofPrefix: parts[1])?.lowerBound {
                        guard low <= high else { throw zip.error("ZIP range '\(text)' runs backwards") }
                        rule.territory.zipRanges.append(low...high)
                    } else {
                        throw zip.error("'\(text)' is not a ZIP prefix (1 to 5 digits, such as 94 or 02134) or a range of five-digit ZIP codes (94000-94999); quote ZIP codes with leading zeros")
                    }
                }
            case "area_codes":
                rule.territory.areaCodes = try item.list().map { code in
                    let text = try code.string("an area code")
                    guard text.count == 3, let number = Int(text) else { throw code.error("'\(text)' is not a three-digit area code") }
                    return number
                }
            case "products": rule.products = try item.list().map { try $0.string("a product") }
            case "grades":
                rule.grades = Set(try item.list().map { grade in
                    let text = try grade.string("a grade")
                    guard let parsed = Grade(rawValue: text.lowercased()) else {
                        throw grade.error(YAMLValue.unknown("grade", text, in: "grades", allowed: Grade.allCases.map(\.rawValue)))
                    }
                    return parsed
                })
            case "when": rule.conditions = try item.list().map { try readCondition($0) }
            default: break
            }
        }
        return rule
    }
}

extension PipelineConfiguration {
    /// The rules files its `score` and `route` stages name (resolved against the pipeline file).
    public var rulesFiles: [String] { StageCatalog.rulesFiles(of: self) }

    /// The stages the file describes, built, in order (to run them on batches from Swift).
    ///
    /// - Throws: ``ListWashError`` (`.usage`) as ``load(path:)`` does for a stage's options.
    public func pipelineStages() throws -> [any Stage] {
        try StageCatalog.build(try StageCatalog.definitions(of: self), in: RunContext()).stages
    }
}
