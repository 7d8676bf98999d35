import ListWashCore
import ListWashNormalize
import Testing
@testable import ListWashRoute

@Suite struct RouteStageTests {
    func rules(defaultQueue: String? = "Unassigned") -> LeadRules {
        var routing = RoutingRules()
        routing.teams = [Team(name: "west", members: ["ana", "bo", "cy"]), Team(name: "east", members: ["dee"]), Team(name: "keys", members: ["kat"])]
        routing.keyAccounts = [
            KeyAccount(name: "Hooli", accountID: "001A0002", assignee: .owner("kat"), location: ListWashCore.SourceLocation(file: "r.yaml", line: 5)),
            KeyAccount(name: "Vandelay", companyKey: "vandelay industries", assignee: .owner("kat"), location: ListWashCore.SourceLocation(file: "r.yaml", line: 6)),
        ]
        routing.productField = FieldReference("Product Interest")
        routing.rules = [
            RouteRule(name: "hot analytics", products: ["Analytics"], grades: [.hot], assignee: .queue("Hot Analytics"), location: ListWashCore.SourceLocation(file: "r.yaml", line: 10)),
            RouteRule(name: "territory west", territory: Territory(states: ["CA", "OR"], zipRanges: [97000...97999]), assignee: .team("west"), location: ListWashCore.SourceLocation(file: "r.yaml", line: 12)),
            RouteRule(name: "new york by phone", territory: Territory(areaCodes: [212]), assignee: .owner("dee"), location: ListWashCore.SourceLocation(file: "r.yaml", line: 14)),
            RouteRule(name: "east", territory: Territory(states: ["NY", "MA"], zipPrefixes: ["021"]), assignee: .team("east"), location: ListWashCore.SourceLocation(file: "r.yaml", line: 16)),
        ]
        routing.defaultQueue = defaultQueue
        routing.defaultLocation = ListWashCore.SourceLocation(file: "r.yaml", line: 20)
        var scoring = ScoringRules()
        scoring.seniority = [.cLevel: 70]
        return LeadRules(file: "r.yaml", scoring: scoring, routing: routing)
    }

    func routed(_ rows: [[String: String]], rules: LeadRules? = nil, score: Bool = false) throws -> [(owner: String, queue: String, rule: String)] {
        var batch = makeBatch(rows: rows, score: score)
        try RouteStage(rules: rules ?? self.rules()).process(&batch)
        return (0..<batch.count).map { (batch.output($0, RouteColumns.owner), batch.output($0, RouteColumns.queue), batch.output($0, RouteColumns.routeRule)) }
    }

    @Test func keyAccountsWinOverTerritory() throws {
        let result = try routed([
            ["listwash_account_id": "001A0002", "listwash_state": "NY"],
            ["listwash_company_key": "vandelay industries", "listwash_state": "CA"],
        ])
        #expect(result.map(\.owner) == ["kat", "kat"])
        #expect(result.map(\.rule) == ["r.yaml:5 key account Hooli", "r.yaml:6 key account Vandelay"])
    }

    @Test func theFirstMatchingRuleWinsThenTheDefaultQueue() throws {
        let result = try routed([
            ["listwash_state": "NY", "listwash_phone": "+12125550100"],  // area code 212 comes before east
            ["listwash_state": "NY", "listwash_phone": "+15185550100"],
            ["listwash_zip": "02134-1234"],                                // ZIP prefix 021
            ["listwash_zip": "97201", "listwash_state": "NY"],              // ZIP range of west before NY of east
            ["listwash_state": "TX"],
            [:],
        ])
        #expect(result.map(\.owner) == ["dee", "dee", "dee", "ana", "", ""])
        #expect(result.map(\.queue) == ["", "", "", "", "Unassigned", "Unassigned"])
        #expect(result.map(\.rule) == ["r.yaml:14 new york by phone", "r.yaml:16 east (team east)", "r.yaml:16 east (team east)",
                                       "r.yaml:12 territory west (team west)", "r.yaml:20 default queue", "r.yaml:20 default queue"])
    }

    @Test func teamsTakeTurnsInRowOrderAcrossBatches() throws {
        let stage = RouteStage(rules: rules())
        #expect(!stage.runsConcurrently)
        var owners: [String] = []
        for _ in 0..<3 {
            var batch = makeBatch(rows: Array(repeating: ["listwash_state": "CA"], count: 2), score: false)
            try stage.process(&batch)
            owners += (0..<2).map { batch.output($0, RouteColumns.owner) }
        }
        #expect(owners == ["ana", "bo", "cy", "ana", "bo", "cy"])
        // The same input routes the same way with a fresh stage.
        var again = makeBatch(rows: Array(repeating: ["listwash_state": "CA"], count: 6), score: false)
        try RouteStage(rules: rules()).process(&again)
        #expect((0..<6).map { again.output($0, RouteColumns.owner) } == owners)
    }

    @Test func gradeRulesUseTheScoreStageOrScoreTheRowThemselves() throws {
        let hotRow = ["Job Title": "CEO", "Product Interest": "analytics", "listwash_state": "CA"]
        // No score stage: the route stage grades the CEO hot (70 points) itself.
        #expect(try routed([hotRow]).map(\.queue) == ["Hot Analytics"])
        // A score stage ran and graded the row cold: its grade counts.
        var batch = makeBatch(rows: [hotRow])
        if let grade = batch.layout.column(RouteColumns.grade) { batch[0, grade] = "cold" }
        try RouteStage(rules: rules()).process(&batch)
        #expect(batch.output(0, RouteColumns.owner) == "ana")
    }

    @Test func rowsThatNeverReachTheCRMKeepEmptyColumns() throws {
        var batch = makeBatch(rows: Array(repeating: ["listwash_state": "NY"], count: 4), score: false)
        batch.settle(0, as: .review, reason: "possible match")
        batch.settle(1, as: .suppressed, reason: "do not contact")
        batch.settle(2, as: .attach, reason: "")
        try RouteStage(rules: rules()).process(&batch)
        #expect((0..<4).map { batch.output($0, RouteColumns.owner) } == ["", "", "dee", "dee"])
        #expect(batch.output(0, RouteColumns.routeRule).isEmpty)
    }

    @Test func anOrphanFailsTheRun() {
        #expect {
            _ = try routed([["listwash_state": "NY"], ["listwash_state": "TX"]], rules: rules(defaultQueue: nil))
        } throws: { error in
            (error as? ListWashError)?.description == "r.yaml: error: orphan record: row 2 of leads.csv matches no routing rule and r.yaml names no default queue; add default_queue: to its routing section"
        }
    }

    @Test func rulesWithoutTeamsRouteConcurrently() {
        var plain = rules()
        plain.routing?.rules.removeAll { if case .team = $0.assignee { return true } else { return false } }
        #expect(RouteStage(rules: plain).runsConcurrently)
    }

    @Test func areaCodesComeFromNorthAmericanNumbersOnly() {
        #expect(Router.areaCode("+12125550100") == 212)
        #expect(Router.areaCode("+442071234567") == nil)
        #expect(Router.areaCode("") == nil)
        #expect(Router.areaCode("+1") == nil)
        #expect(Router.zipCode("02134-1234") == 2134)
        #expect(Router.zipCode("0213") == nil)
        #expect(Router.zipCode("SW1A 1AA") == nil)
    }
}
