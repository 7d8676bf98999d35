import ListWashCore

/// What `listwash check` reports about a rules file beyond its syntax: each diagnostic with the
/// file and line it is about.
///
/// Errors (the file cannot be used): no default queue; a rule or key account naming a team the
/// file does not define, or an owner who is in no team; a team with no members; rules on grades
/// without a `scoring:` section; rules on products without `product_field:`.
/// Warnings (the file works, but probably not as meant): a state, ZIP code or area code claimed by
/// two rules with the same conditions (the first wins); a rule that can never match because an
/// earlier rule takes every row it would (same or wider territory, same or fewer conditions);
/// a key account listed twice.
///
/// ```swift
/// for diagnostic in RulesCheck.diagnostics(rules) { print(diagnostic) }
/// // rules.yaml:31: warning: rule 'bay area' is unreachable: rule 'west' (rules.yaml:12) ...
/// ```
/// - Complexity: O(*r*²) in the number of rules, with cheap tests per pair.
public enum RulesCheck {
    /// Every diagnostic about `rules`, in file order; with `warnings: false` only the errors
    /// (cheap: the O(*r*²) search for shadowed rules is skipped).
    public static func diagnostics(_ rules: LeadRules, warnings: Bool = true) -> [Diagnostic] {
        guard let routing = rules.routing else { return [] }
        var found: [Diagnostic] = []
        let where_ = { (location: SourceLocation?) in location ?? SourceLocation(file: rules.file) }
        if routing.defaultQueue?.isEmpty ?? true {
            found.append(Diagnostic(.error, "routing has no default_queue: rows no rule takes would have no owner (orphan records); add default_queue: QUEUE", at: where_(routing.defaultLocation)))
        }
        var teamMembers: Set<String> = []
        for team in routing.teams {
            if team.members.isEmpty { found.append(Diagnostic(.error, "team '\(team.name)' has no members", at: where_(team.location))) }
            teamMembers.formUnion(team.members)
        }
        let teamNames = routing.teams.map(\.name)
        func check(_ assignee: Assignee, what: String, at location: SourceLocation?) {
            switch assignee {
            case .owner(let name) where !teamMembers.contains(name):
                var message = "\(what) names owner '\(name)', who is in no team"
                if let close = closest(name, in: Array(teamMembers)) { message += ". Did you mean '\(close)'?" }
                else { message += "; add them to a team under teams:" }
                found.append(Diagnostic(.error, message, at: where_(location)))
            case .team(let name) where !teamNames.contains(name):
                var message = "\(what) names team '\(name)', which teams: does not define"
                if let close = closest(name, in: teamNames) { message += ". Did you mean '\(close)'?" }
                found.append(Diagnostic(.error, message, at: where_(location)))
            default: break
            }
        }
        var accountsSeen: [String: KeyAccount] = [:]
        for account in routing.keyAccounts {
            check(account.assignee, what: "key account '\(account.name)'", at: account.location)
            for key in [account.accountID, account.companyKey].compactMap({ $0 }) {
                if let earlier = accountsSeen[key] {
                    found.append(Diagnostic(.warning, "key account '\(account.name)' repeats '\(key)' of key account '\(earlier.name)' (\(where_(earlier.location))); the first wins", at: where_(account.location)))
                } else {
                    accountsSeen[key] = account
                }
            }
        }
        for rule in routing.rules {
            check(rule.assignee, what: "rule '\(rule.name)'", at: rule.location)
            if !rule.grades.isEmpty, rules.scoring == nil {
                found.append(Diagnostic(.error, "rule '\(rule.name)' routes by grade, but the file has no scoring: section to grade rows", at: where_(rule.location)))
            }
            if !rule.products.isEmpty, routing.productField == nil {
                found.append(Diagnostic(.error, "rule '\(rule.name)' routes by products, but the file names no product_field: (the column holding product interest)", at: where_(rule.location)))
            }
        }
        if warnings { found += shadowing(routing.rules, where_: where_) }
        found = found.filter { warnings || $0.severity == .error }
        // Stable: diagnostics on one line keep the order they were found in.
        return found.enumerated().sorted { ($0.element.location?.line ?? 0, $0.offset) < ($1.element.location?.line ?? 0, $1.offset) }.map(\.element)
    }

    /// Unreachable rules and territories claimed twice.
    private static func shadowing(_ rules: [RouteRule], where_: (SourceLocation?) -> SourceLocation) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let keys = rules.map(conditionKey)
        let shapes = rules.map { Shape($0.territory) }
        var unreachable = Set<Int>()
        for (later, rule) in rules.enumerated() {
            for earlier in 0..<later where !unreachable.contains(earlier) {
                let first = rules[earlier]
                if shapes[earlier].covers(shapes[later]), conditionsNoNarrower(first, than: rule) {
                    found.append(Diagnostic(.warning, "rule '\(rule.name)' is unreachable: rule '\(first.name)' (\(where_(first.location))) comes first and takes every row it would; move it up or remove it", at: where_(rule.location)))
                    unreachable.insert(later)
                    break
                }
            }
        }
        // Territories claimed twice among rules with the same conditions (unreachable rules are
        // reported once, above).
        var states: [String: Int] = [:], areas: [String: Int] = [:]
        var intervals: [(range: ClosedRange<Int>, rule: Int)] = []
        for (position, rule) in rules.enumerated() where !unreachable.contains(position) {
            var claimed: [String] = []
            for state in rule.territory.states {
                if let earlier = states[state + "\u{1}" + keys[position]], earlier != position { claimed.append("state \(state) (rule '\(rules[earlier].name)', \(where_(rules[earlier].location)))") }
                else { states[state + "\u{1}" + keys[position]] = position }
            }
            for code in rule.territory.areaCodes {
                let key = "\(code)\u{1}" + keys[position]
                if let earlier = areas[key], earlier != position { claimed.append("area code \(code) (rule '\(rules[earlier].name)', \(where_(rules[earlier].location)))") }
                else { areas[key] = position }
            }
            for range in rule.territory.zipIntervals {
                if let other = intervals.first(where: { $0.rule != position && keys[$0.rule] == keys[position] && $0.range.overlaps(range) }) {
                    claimed.append("ZIP codes \(zipText(range.clamped(to: other.range))) (rule '\(rules[other.rule].name)', \(where_(rules[other.rule].location)))")
                }
                intervals.append((range, position))
            }
            if !claimed.isEmpty {
                found.append(Diagnostic(.warning, "rule '\(rule.name)' claims territory an earlier rule with the same conditions claims: \(claimed.joined(separator: "; ")); the earlier rule wins there", at: where_(rule.location)))
            }
        }
        return found
    }

    /// A territory prepared for containment tests.
    struct Shape {
        let everywhere: Bool
        let states: Set<String>
        let areaCodes: Set<Int>
        let zips: [ClosedRange<Int>]

        init(_ territory: Territory) {
            everywhere = territory.isEverywhere
            states = Set(territory.states)
            areaCodes = Set(territory.areaCodes)
            zips = RulesCheck.merge(territory.zipIntervals)
        }

        /// Whether every row in `inner` is in this territory.
        func covers(_ inner: Shape) -> Bool {
            if everywhere { return true }
            if inner.everywhere { return false }
            guard inner.states.isSubset(of: states), inner.areaCodes.isSubset(of: areaCodes) else { return false }
            return inner.zips.allSatisfy { range in zips.contains { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound } }
        }
    }

    /// Sorted, disjoint ranges covering the same numbers.
    static func merge(_ ranges: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        var merged: [ClosedRange<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// Whether every row meeting `rule`'s conditions meets `earlier`'s.
    static func conditionsNoNarrower(_ earlier: RouteRule, than rule: RouteRule) -> Bool {
        if !earlier.grades.isEmpty, rule.grades.isEmpty || !rule.grades.isSubset(of: earlier.grades) { return false }
        let earlierProducts = Set(earlier.products.map(FieldCondition.fold)), products = Set(rule.products.map(FieldCondition.fold))
        if !earlierProducts.isEmpty, products.isEmpty || !products.isSubset(of: earlierProducts) { return false }
        return earlier.conditions.allSatisfy { condition in rule.conditions.contains { $0.isNarrower(than: condition) } }
    }

    /// The rule's conditions other than territory, as one comparable text.
    private static func conditionKey(_ rule: RouteRule) -> String {
        let grades = rule.grades.map(\.rawValue).sorted().joined(separator: ",")
        let products = Set(rule.products.map(FieldCondition.fold)).sorted().joined(separator: ",")
        let conditions = rule.conditions.map { "\($0.field)=\($0.values.sorted())~\($0.contains.sorted())" }.sorted().joined(separator: "&")
        return "\(grades)|\(products)|\(conditions)"
    }

    private static func zipText(_ range: ClosedRange<Int>) -> String {
        func five(_ value: Int) -> String { String(repeating: "0", count: max(0, 5 - String(value).count)) + String(value) }
        return range.lowerBound == range.upperBound ? five(range.lowerBound) : "\(five(range.lowerBound))-\(five(range.upperBound))"
    }

    private static func closest(_ name: String, in candidates: [String]) -> String? {
        let ranked = candidates.map { ($0, editDistance($0.lowercased(), name.lowercased())) }.min { $0.1 < $1.1 }
        guard let best = ranked, best.1 <= max(2, name.count / 3) else { return nil }
        return best.0
    }
}
