import Foundation
import ListWashRoute
import Testing
@testable import ListWash

@Suite struct RulesFileTests {
    let scratch = Scratch()

    func parseError(_ yaml: String) -> String? {
        errorText { _ = try RulesFile.parse(yaml, file: "r.yaml") }
    }

    @Test func theBundledRulesFileIsClean() throws {
        let (rules, diagnostics) = try RulesFile.check(path: "\(packageRoot)/pipelines/rules.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(rules.scoring?.grades == GradeThresholds(hot: 60, warm: 30))
        #expect(rules.routing?.rules.map(\.name) == ["hot analytics leads", "territory west", "territory east", "territory central"])
        #expect(rules.routing?.keyAccounts.first?.accountID == "001A0002")
        #expect(rules.routing?.keyAccounts.last?.companyKey == "vandelay industries")
        #expect(rules.routing?.defaultQueue == "Unassigned Leads")
    }

    @Test func readsTerritoriesStatesZipsAndAreaCodes() throws {
        let rules = try RulesFile.parse("""
        routing:
          teams: {west: [ana]}
          rules:
            - {name: w, states: [California, or], zips: ["021", "94000-94999", 97201], area_codes: [415], owner: ana}
          default_queue: Q
        """, file: "r.yaml")
        let rule = try #require(rules.routing?.rules.first)
        #expect(rule.territory == Territory(states: ["CA", "OR"], zipPrefixes: ["021", "97201"], zipRanges: [94000...94999], areaCodes: [415]))
        #expect(rule.location?.description == "r.yaml:4:7")
    }

    @Test func reportsMistakesWithTheirPlace() {
        #expect(parseError("routing:\n  rulez: []\n") == "r.yaml:2:3: error: unknown key 'rulez' in routing. Did you mean 'rules'?")
        #expect(parseError("scoring:\n  seniorty: {vp: 5}\n") == "r.yaml:2:3: error: unknown key 'seniorty' in scoring. Did you mean 'seniority'?")
        #expect(parseError("scoring:\n  seniority: {vice: 5}\n")?.hasPrefix("r.yaml:2:15: error: unknown key 'vice' in seniority") == true)
        #expect(parseError("routing:\n  rules:\n    - {states: [CA], zips: [9x], owner: a}\n")
                == "r.yaml:3:29: error: '9x' is not a ZIP prefix (1 to 5 digits, such as 94 or 02134) or a range of five-digit ZIP codes (94000-94999); quote ZIP codes with leading zeros")
        #expect(parseError("routing:\n  rules:\n    - {zips: [\"95000-94000\"], owner: a}\n") == "r.yaml:3:15: error: ZIP range '95000-94000' runs backwards")
        #expect(parseError("routing:\n  rules:\n    - {states: [Narnia], owner: a}\n")
                == "r.yaml:3:17: error: unknown state 'Narnia' (use a two-letter code such as CA, or a name)")
        #expect(parseError("routing:\n  rules:\n    - {states: [CA], owner: a, team: w}\n")
                == "r.yaml:3:7: error: a routing rule names exactly one of owner:, queue: or team: (it names owner and team)")
        #expect(parseError("routing:\n  rules:\n    - {area_codes: [41], queue: q}\n") == "r.yaml:3:21: error: '41' is not a three-digit area code")
        #expect(parseError("routing:\n  rules:\n    - {grades: [wram], queue: q}\n") == "r.yaml:3:17: error: unknown grade 'wram' in grades. Did you mean 'warm'?")
        #expect(parseError("scoring:\n  grades: {hot: 10, warm: 20}\n") == "r.yaml:2:11: error: the hot threshold (10) is below the warm threshold (20)")
        #expect(parseError("scoring:\n  products: {A: 5}\n")
                == "r.yaml:2:3: error: scoring by products needs product_field: at the top of the file (the column holding product interest)")
        #expect(parseError("name: x\n") == "r.yaml:1:1: error: unknown key 'name' in the rules file; expected one of: product_field, scoring, routing")
        #expect(parseError("product_field: P\n") == "r.yaml:1:1: error: a rules file needs a scoring: or a routing: section (or both)")
        #expect(parseError("routing: [\n")?.hasPrefix("r.yaml:2:1: error: YAML:") == true)
    }

    @Test func loadingRefusesAFileWithErrorsButNotOneWithWarnings() throws {
        let broken = scratch.write("broken.yaml", "routing:\n  teams: {west: [ana]}\n  rules:\n    - {states: [CA], owner: anna}\n  default_queue: Q\n")
        #expect(errorText { _ = try RulesFile.load(path: broken) }
                == "\(broken):4:7: error: rule 'rule 1' names owner 'anna', who is in no team. Did you mean 'ana'?")
        let shadowed = scratch.write("shadowed.yaml", "routing:\n  teams: {west: [ana]}\n  rules:\n    - {states: [CA], owner: ana}\n    - {states: [CA], queue: Q2}\n  default_queue: Q\n")
        #expect(try RulesFile.load(path: shadowed).routing?.rules.count == 2)
        #expect(try RulesFile.check(path: shadowed).1.map(\.severity) == [.warning])
        #expect(RulesFile.isRulesFile(path: shadowed))
        #expect(!RulesFile.isRulesFile(path: "\(packageRoot)/pipelines/acquired-list.yaml"))
    }

    @Test func theExamplePipelineScoresAndRoutesEveryLoadedRow() throws {
        var overrides = RunOverrides()
        overrides.out = "\(scratch.path)/example"
        let configuration = try PipelineConfiguration.load(path: "\(packageRoot)/pipelines/acquired-list.yaml").applying(overrides)
        _ = try Runner(configuration: configuration).run()
        let load = try readCSV("\(scratch.path)/example/load.csv")
        func column(_ name: String) throws -> Int { try #require(load.header.firstIndex(of: name)) }
        let (owner, queue, rule, grade) = (try column("listwash_owner"), try column("listwash_queue"), try column("listwash_route_rule"), try column("listwash_grade"))
        #expect(!load.rows.isEmpty)
        for row in load.rows {
            #expect(!row[owner].isEmpty || !row[queue].isEmpty, "\(row)")
            #expect(row[rule].contains("rules.yaml:"), "\(row)")
            #expect(["hot", "warm", "cold"].contains(row[grade]))
        }
        // Hooli (account 001A0002) is a key account: its row goes to its owner whatever the territory.
        let account = try column("listwash_account_id")
        for row in load.rows where row[account] == "001A0002" {
            #expect(row[owner] == "alex.morgan@example.com")
            #expect(row[rule].hasSuffix("key account Hooli"))
        }
        let rejected = try readCSV("\(scratch.path)/example/rejected.csv")
        let rejectedOwner = try #require(rejected.header.firstIndex(of: "listwash_owner"))
        #expect(rejected.rows.allSatisfy { $0.count <= rejectedOwner || $0[rejectedOwner].isEmpty })
    }

    @Test func rerouteAppliesNewRulesToAnEarlierRun() throws {
        let old = scratch.write("old.yaml", """
        routing:
          teams: {all: [ana, bo]}
          rules:
            - {name: ca, states: [CA], owner: ana}
            - {name: ny, states: [NY], owner: bo}
          default_queue: Leftovers
        """)
        let new = scratch.write("new.yaml", """
        routing:
          teams: {all: [ana, bo, cy]}
          rules:
            - {name: ca, states: [CA], owner: cy}
            - {name: ny, states: [NY], owner: bo}
          default_queue: Leftovers
        """)
        scratch.write("in.csv", "Email,State\nann@acme.com,CA\nbob@acme.com,NY\ncy@acme.com,TX\nann@acme.com,CA\n")
        let pipeline = scratch.write("p.yaml", "inputs: [in.csv]\nstages: [normalize, dedupe, {route: {rules: old.yaml}}]\noutput: {folder: run1}\n")
        _ = try Runner(configuration: try PipelineConfiguration.load(path: pipeline)).run()
        let summary = try Reroute(rules: try RulesFile.load(path: new)).run(inputs: ["\(scratch.path)/run1"], out: "\(scratch.path)/rr")
        #expect(summary.rows == 4)
        #expect(summary.changed == 2)
        #expect(summary.moves == [Reroute.Move(from: "ana", to: "cy", count: 2)])
        let changes = try readCSV("\(scratch.path)/rr/changes.csv")
        #expect(changes.header == ["listwash_source", "listwash_row", "file", "old_owner", "new_owner", "old_queue", "new_queue", "listwash_route_rule"])
        #expect(changes.rows == [1, 4].map { ["\(scratch.path)/in.csv", "\($0)", "\(scratch.path)/run1/load.csv", "ana", "cy", "", "", "\(new):4 ca"] })
        let rerouted = try readCSV("\(scratch.path)/rr/rerouted.csv")
        let owner = try #require(rerouted.header.firstIndex(of: "listwash_owner"))
        #expect(rerouted.rows.map { $0[owner] } == ["cy", "bo", "", "cy"])
        let queue = try #require(rerouted.header.firstIndex(of: "listwash_queue"))
        #expect(rerouted.rows.map { $0[queue] } == ["", "", "Leftovers", ""])
        #expect(rerouted.header.filter { $0 == "listwash_owner" }.count == 1)
        _ = old
    }

    @Test func rerouteRefusesFilesListWashDidNotWrite() {
        let plain = scratch.write("plain.csv", "Email,State\na@b.com,CA\n")
        let rules = RulesFile.parseOrNil("routing:\n  default_queue: Q\n")
        #expect(errorText { _ = try Reroute(rules: rules).run(inputs: [plain], out: "\(scratch.path)/rr") }
                == "\(plain):1: error: \(plain) has no listwash_ columns: reroute reads files ListWash wrote (the outputs of a run)")
        #expect(errorText { _ = try Reroute(rules: rules).run(inputs: ["\(scratch.path)/nothing"], out: "\(scratch.path)/rr") }
                == "\(scratch.path)/nothing: error: cannot open \(scratch.path)/nothing: no such file or folder")
    }
}

extension RulesFile {
    /// Rules parsed from text known to be valid, for tests.
    static func parseOrNil(_ text: String) -> LeadRules {
        (try? parse(text, file: "r.yaml")) ?? LeadRules(file: "r.yaml")
    }
}
