import ListWashCore
import Testing
@testable import ListWashRoute

@Suite struct RulesCheckTests {
    func at(_ line: Int) -> ListWashCore.SourceLocation { ListWashCore.SourceLocation(file: "r.yaml", line: line, column: 5) }

    func check(_ rules: [RouteRule], teams: [Team] = [Team(name: "west", members: ["ana", "bo"])], defaultQueue: String? = "Unassigned", scoring: Bool = true) -> [String] {
        var routing = RoutingRules()
        routing.teams = teams
        routing.rules = rules
        routing.defaultQueue = defaultQueue
        routing.defaultLocation = at(1)
        routing.productField = FieldReference("Product Interest")
        return RulesCheck.diagnostics(LeadRules(file: "r.yaml", scoring: scoring ? ScoringRules() : nil, routing: routing)).map(\.description)
    }

    @Test func aCleanFileHasNoDiagnostics() {
        #expect(check([
            RouteRule(name: "bay analytics", territory: Territory(states: ["CA"]), products: ["Analytics"], assignee: .owner("ana"), location: at(3)),
            RouteRule(name: "west", territory: Territory(states: ["CA"]), assignee: .team("west"), location: at(4)),
        ]).isEmpty)
    }

    @Test func reportsAMissingDefaultQueueAndUnknownOwnersAndTeams() {
        #expect(check([
            RouteRule(name: "a", territory: Territory(states: ["CA"]), assignee: .owner("anna"), location: at(3)),
            RouteRule(name: "b", territory: Territory(states: ["OR"]), assignee: .team("wets"), location: at(4)),
            RouteRule(name: "c", territory: Territory(states: ["WA"]), assignee: .owner("zed"), location: at(5)),
        ], defaultQueue: nil) == [
            "r.yaml:1:5: error: routing has no default_queue: rows no rule takes would have no owner (orphan records); add default_queue: QUEUE",
            "r.yaml:3:5: error: rule 'a' names owner 'anna', who is in no team. Did you mean 'ana'?",
            "r.yaml:4:5: error: rule 'b' names team 'wets', which teams: does not define. Did you mean 'west'?",
            "r.yaml:5:5: error: rule 'c' names owner 'zed', who is in no team; add them to a team under teams:",
        ])
    }

    @Test func reportsUnreachableRules() {
        #expect(check([
            RouteRule(name: "west", territory: Territory(states: ["CA", "OR"], zipRanges: [94000...95999]), assignee: .team("west"), location: at(3)),
            RouteRule(name: "bay", territory: Territory(states: ["CA"], zipPrefixes: ["945"]), assignee: .owner("ana"), location: at(4)),
            RouteRule(name: "bay hot", territory: Territory(states: ["CA"]), grades: [.hot], assignee: .owner("ana"), location: at(5)),
        ]) == [
            "r.yaml:4:5: warning: rule 'bay' is unreachable: rule 'west' (r.yaml:3:5) comes first and takes every row it would; move it up or remove it",
            "r.yaml:5:5: warning: rule 'bay hot' is unreachable: rule 'west' (r.yaml:3:5) comes first and takes every row it would; move it up or remove it",
        ])
        // A rule after one for everywhere with no conditions never matches.
        #expect(check([
            RouteRule(name: "all", assignee: .owner("ana"), location: at(3)),
            RouteRule(name: "ca", territory: Territory(states: ["CA"]), assignee: .owner("bo"), location: at(4)),
        ]).count == 1)
        // A narrower earlier rule does not shadow a wider later one.
        #expect(check([
            RouteRule(name: "hot", territory: Territory(states: ["CA"]), grades: [.hot], assignee: .owner("ana"), location: at(3)),
            RouteRule(name: "ca", territory: Territory(states: ["CA"]), assignee: .owner("bo"), location: at(4)),
        ]).isEmpty)
    }

    @Test func reportsTerritoryClaimedTwice() {
        #expect(check([
            RouteRule(name: "west", territory: Territory(states: ["CA"], zipRanges: [94000...94999], areaCodes: [415]), assignee: .owner("ana"), location: at(3)),
            RouteRule(name: "pacific", territory: Territory(states: ["CA", "HI"], zipRanges: [94500...96999], areaCodes: [415, 808]), assignee: .owner("bo"), location: at(4)),
        ]) == [
            "r.yaml:4:5: warning: rule 'pacific' claims territory an earlier rule with the same conditions claims: state CA (rule 'west', r.yaml:3:5); area code 415 (rule 'west', r.yaml:3:5); ZIP codes 94500-94999 (rule 'west', r.yaml:3:5); the earlier rule wins there",
        ])
    }

    @Test func reportsEmptyTeamsAndGradesWithoutScoring() {
        let found = check([RouteRule(name: "hot", grades: [.hot], assignee: .team("nobody"), location: at(3))],
                          teams: [Team(name: "nobody", members: [], location: at(2))], scoring: false)
        #expect(found == [
            "r.yaml:2:5: error: team 'nobody' has no members",
            "r.yaml:3:5: error: rule 'hot' routes by grade, but the file has no scoring: section to grade rows",
        ])
    }
}
