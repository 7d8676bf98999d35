import Foundation
import Testing
@testable import ListWash
@testable import ListWashDecide
@testable import ListWashMatch
import ListWashRoute

/// A pipeline's stages are read into definitions (options, no file read), checked in order by
/// the columns each reads and writes, and built once per run from the run's context.
@Suite struct StageDefinitionTests {
    let scratch = Scratch()

    /// The match stage and the suppress stage both use the accounts export (the account a row
    /// matched, and its name for competitor lists): the run reads it once, and both hold that index.
    @Test func theAccountsExportIsReadOnceForMatchAndSuppress() throws {
        scratch.write("in.csv", "Email,Company\nsam@hooli.com,Acme\nann@initech.example,Initech\n")
        let accounts = scratch.write("accounts.csv", "Account ID,Account Name,Website\n001,Hooli XYZ Inc.,hooli.com\n")
        scratch.write("lists/competitors.csv", "company\nHooli XYZ\n")
        let path = scratch.write("p.yaml", "inputs: [in.csv]\nreferences: {accounts: accounts.csv}\nsuppression: lists\nstages: [normalize, match, suppress]\noutput: {folder: out}\n")
        let configuration = try PipelineConfiguration.load(path: path)
        let context = RunContext()
        let stages = try StageCatalog.build(try StageCatalog.definitions(of: configuration), in: context).stages
        for stage in stages { try (stage as? any SetUpStage)?.setUp() }
        let match = try #require(stages.lazy.compactMap { $0 as? MatchStage }.first)
        let suppress = try #require(stages.lazy.compactMap { $0 as? SuppressStage }.first)
        let index = try #require(match.accountIndex)
        #expect(suppress.accountIndex === index, "the suppress stage uses the match stage's index, not a second reading")
        #expect(context.loads(of: RunContext.accountsKey(path: accounts, idColumn: nil)) == 1)

        let runner = Runner(configuration: configuration)
        let report = try runner.run()
        #expect(report.totals.rowsOut["suppressed"] == 1)
        #expect(runner.context.loadedKeys.filter { $0.hasPrefix("accounts export") } == [RunContext.accountsKey(path: accounts, idColumn: nil)])
        #expect(runner.context.loads(of: RunContext.accountsKey(path: accounts, idColumn: nil)) == 1)
    }

    /// Score and route name the same rules file: a run reads it once.
    @Test func scoreAndRouteReadTheirRulesFileOnce() throws {
        scratch.write("in.csv", "Email,State\na@b.com,CA\n")
        let rules = scratch.write("rules.yaml", "scoring:\n  seniority: {vp: 5}\nrouting:\n  rules:\n    - {states: [CA], queue: West}\n  default_queue: Rest\n")
        let path = scratch.write("p.yaml", "inputs: [in.csv]\nstages: [normalize, {score: {rules: rules.yaml}}, {route: {rules: rules.yaml}}]\noutput: {folder: out}\n")
        let runner = Runner(configuration: try PipelineConfiguration.load(path: path))
        _ = try runner.run()
        #expect(runner.context.loadedKeys == ["rules \(rules)"])
        #expect(runner.context.loads(of: "rules \(rules)") == 1)
    }

    /// Loading a pipeline reads its stages' options, not the files they name: a missing rules
    /// file stops the run (and `listwash check`), at the stage's line, not the loading.
    @Test func loadingAPipelineReadsNoFileItsStagesName() throws {
        scratch.write("in.csv", "Email,State\na@b.com,CA\n")
        let path = scratch.write("p.yaml", "inputs: [in.csv]\nstages: [normalize, {route: {rules: missing.yaml}}]\noutput: {folder: out}\n")
        let configuration = try PipelineConfiguration.load(path: path)
        let run = errorText { _ = try Runner(configuration: configuration).run() }
        #expect(run?.contains("missing.yaml") == true, "\(run ?? "no error")")
        #expect(errorText { try configuration.checkStages() } == run)
        // `listwash stream --plan` plans from the definitions alone.
        #expect(try BatchStream(configuration: configuration).plan().hasPrefix(#"{"distributed":1,"#))
    }

    /// A stage that reads a column no stage before it writes is a pipeline error at its line,
    /// naming the stage it needs first.
    @Test func aStageReadingAColumnNoEarlierStageWritesIsAnError() throws {
        let decideFirst = errorText { _ = try PipelineConfiguration.parse("method: unique\nstages: [normalize, match, decide, dedupe]\n", file: "p.yaml") }
        #expect(decideFirst == "p.yaml:2:28: error: the decide stage needs a 'dedupe' stage before it (it reads listwash_cluster): under method unique, without it a repeat response in the list would become a new lead")
        #expect(errorText { _ = try PipelineConfiguration.parse("method: poi\nstages: [normalize, decide]\n", file: "p.yaml") } == nil,
                "under point of interest every response is a new lead: decide reads nothing")
        let matchLast = errorText { _ = try PipelineConfiguration.parse("method: unique\nstages: [normalize, dedupe, decide, match]\n", file: "p.yaml") }
        #expect(matchLast == "p.yaml:2:29: error: the decide stage needs a 'match' stage before it (it reads listwash_lead_id): under method unique, without it a person already in the CRM would become a new lead")
    }

    /// Routing follows the leads of a stage before it that decides them (it writes
    /// `listwash_target_id`), and only then keeps row order.
    @Test func routeFollowsLeadsOnlyAfterAStageThatDecidesThem() throws {
        scratch.write("rules.yaml", "routing:\n  rules:\n    - {states: [CA], queue: West}\n  default_queue: Rest\n")
        for (stages, follows) in [("[normalize, dedupe, match, decide, {route: {rules: rules.yaml}}]", true), ("[normalize, {route: {rules: rules.yaml}}]", false)] {
            let path = scratch.write("p.yaml", "method: unique\nreferences: {leads: leads.csv}\nstages: \(stages)\n")
            let route = try #require(try PipelineConfiguration.load(path: path).pipelineStages().last as? RouteStage)
            #expect(route.followsLeads == follows, "\(stages)")
            #expect(route.runsConcurrently == !follows, "\(stages)")
        }
    }
}
