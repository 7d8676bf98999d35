import Foundation
import Testing

@Suite struct RouteCommandTests {
    let scratch = Scratch()

    @Test func checkReportsEveryRulesProblemWithItsLine() throws {
        scratch.write("rules.yaml", """
        routing:
          teams:
            west: [ana@x.com, bo@x.com]
          key_accounts:
            - {account_id: A1, owner: anna@x.com}
          rules:
            - {name: west, states: [CA, OR], zips: ["94000-94999"], team: west}
            - {name: bay area, states: [CA], team: west}
            - {name: oregon, states: [OR], zips: ["94500-95500"], owner: bo@x.com}
        """)
        let result = try listwash(["check", "rules.yaml"], in: scratch.path)
        #expect(result.status == 64)
        #expect(result.err == """
        rules.yaml:1:1: error: routing has no default_queue: rows no rule takes would have no owner (orphan records); add default_queue: QUEUE
        rules.yaml:5:7: error: key account 'A1' names owner 'anna@x.com', who is in no team. Did you mean 'ana@x.com'?
        rules.yaml:8:7: warning: rule 'bay area' is unreachable: rule 'west' (rules.yaml:7:7) comes first and takes every row it would; move it up or remove it
        rules.yaml:9:7: warning: rule 'oregon' claims territory an earlier rule with the same conditions claims: state OR (rule 'west', rules.yaml:7:7); ZIP codes 94500-94999 (rule 'west', rules.yaml:7:7); the earlier rule wins there
        rules.yaml: error: 2 errors in the rules file

        """)
    }

    @Test func checkPassesTheBundledRulesAndPipeline() throws {
        let rules = try listwash(["check", "pipelines/rules.yaml"], in: packageRoot)
        #expect(rules.status == 0)
        #expect(rules.out == "pipelines/rules.yaml: ok (scoring; 4 routing rules, 2 key accounts, 4 teams)\n")
        let pipeline = try listwash(["check", "pipelines/acquired-list.yaml"], in: packageRoot)
        #expect(pipeline.status == 0)
        #expect(pipeline.out.contains("stages: normalize | validate | dedupe | match | suppress | decide | score | route"))
        #expect(pipeline.out.contains("pipelines/rules.yaml: ok"))
    }

    @Test func aPipelineNamingABrokenRulesFileStops() throws {
        scratch.write("in.csv", "email,state\na@b.com,CA\n")
        scratch.write("rules.yaml", "routing:\n  rules:\n    - {states: [CA], queue: West}\n")
        scratch.write("p.yaml", "inputs: [in.csv]\nstages: [normalize, {route: {rules: rules.yaml}}]\noutput: {folder: out}\n")
        let result = try listwash(["run", "p.yaml"], in: scratch.path)
        #expect(result.status == 64)
        #expect(result.err.contains("rules.yaml:1:1: error: routing has no default_queue"))
        #expect(!FileManager.default.fileExists(atPath: "\(scratch.path)/out/load.csv"))
        scratch.write("p2.yaml", "inputs: [in.csv]\nstages: [normalize, route]\n")
        let missing = try listwash(["run", "p2.yaml"], in: scratch.path)
        #expect(missing.status == 64)
        #expect(missing.err == "p2.yaml:2:21: error: the route stage needs a rules file: - route: {rules: rules.yaml}\n")
    }

    @Test func reroutePrintsMovesPerOwner() throws {
        scratch.write("in.csv", "email,state\na@b.com,CA\nb@c.com,CA\nc@d.com,NY\n")
        scratch.write("old.yaml", "routing:\n  teams: {t: [ana, bo]}\n  rules:\n    - {states: [CA], owner: ana}\n  default_queue: Rest\n")
        scratch.write("new.yaml", "routing:\n  teams: {t: [ana, bo]}\n  rules:\n    - {states: [CA], team: t}\n    - {states: [NY], owner: ana}\n  default_queue: Rest\n")
        scratch.write("p.yaml", "inputs: [in.csv]\nstages: [normalize, {route: {rules: old.yaml}}]\noutput: {folder: run}\n")
        #expect(try listwash(["run", "p.yaml"], in: scratch.path).status == 0)
        let result = try listwash(["reroute", "new.yaml", "run", "--out", "moved"], in: scratch.path)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == """
        3 rows read, 3 rerouted, 2 changed owner or queue
        moves:
          ana        -> bo: 1
          queue Rest -> ana: 1
        outputs: moved/rerouted.csv, moved/changes.csv

        """)
        let usage = try listwash(["reroute", "new.yaml", "--out", "moved"], in: scratch.path)
        #expect(usage.status == 64)
    }

    /// Rules route people, not rows: Bob's second response has the owner of the lead his first
    /// creates (round robin would deal it to the next rep), José's two responses to lead 00QA0001
    /// keep its CRM owner, and a reroute with the same rules moves nothing.
    @Test func everyRowOfALeadHasTheLeadsOwnerAndRerouteMovesNothing() throws {
        let out = "\(scratch.path)/run"
        #expect(try listwash(["run", "pipelines/acquired-list.yaml", "--out", out], in: packageRoot).status == 0)
        let load = try readCSV("\(out)/load.csv"), attach = try readCSV("\(out)/attach.csv")
        func column(_ table: (header: [String], rows: [[String]]), _ name: String) throws -> [String] {
            let index = try #require(table.header.firstIndex(of: name), "\(name)")
            return table.rows.map { $0[index] }
        }
        var owners: [String: String] = [:]
        let keys = try column(load, "listwash_external_id"), loadOwners = try column(load, "listwash_owner"), queues = try column(load, "listwash_queue")
        for (index, key) in keys.enumerated() {
            #expect(key.hasPrefix("LW"))
            owners["new:" + key] = loadOwners[index] + queues[index]
        }
        let targets = try column(attach, "listwash_target_id")
        let attachOwners = zip(try column(attach, "listwash_owner"), try column(attach, "listwash_queue")).map { $0 + $1 }
        let rules = try column(attach, "listwash_route_rule")
        #expect(targets.filter { $0.hasPrefix("new:") }.count == 3, "\(targets)")
        for (index, target) in targets.enumerated() {
            if target.hasPrefix("new:") {
                #expect(attachOwners[index] == owners[target], "row \(index) of attach.csv: \(target)")
            } else {
                #expect(attachOwners[index].isEmpty && rules[index] == "attaches to \(target): its owner in the CRM", "\(rules[index])")
            }
        }
        let reroute = try listwash(["reroute", "pipelines/rules.yaml", out, "--out", "\(scratch.path)/again"], in: packageRoot)
        #expect(reroute.status == 0, "\(reroute.err)")
        #expect(reroute.out.hasPrefix("17 rows read, 17 rerouted, 0 changed owner or queue\n"), "\(reroute.out)")
    }
}
