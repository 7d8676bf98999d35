import ArgumentParser
import ListWash
import ListWashMatch

struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Match every row of a list against a reference export (contacts, leads, another list).",
        discussion: "Writes every INPUT row with listwash_match_id (the id of the best matching REFERENCE row, empty when none) and listwash_match_score. The pipeline's match (or dedupe) stage gives the model; the stages before it prepare both files."
    )

    @Argument(help: "The reference export, with an id column.")
    var reference: String

    @Argument(help: "The list to match.")
    var input: String

    @Option(help: "The pipeline file whose model to use (default: the built-in lead-list model).")
    var pipeline: String?

    @Option(help: "The reference's id column (default: Id, Contact ID, Lead ID, Record ID, or the pipeline's references).")
    var id: String?

    @Option(help: "The output file.")
    var out: String

    func run() throws {
        try reportingErrors {
            let file = try pipeline.map { try PipelineConfiguration.load(path: $0) }
            var configuration = try file ?? PipelineConfiguration.builtInDedupe()
            let model = try configuration.matchModel()
            let idColumn = id ?? configuration.contacts?.idColumn ?? configuration.leads?.idColumn
            configuration.removeStages(from: ["dedupe", "match"])
            configuration.name = "link"
            configuration.inputs = [.init(path: input)]
            configuration.outputFile = out
            let log = StandardError.log()
            let link = LinkStage(match: MatchStage(name: "link", model: model, contacts: .init(path: reference, idColumn: idColumn), leads: nil, accounts: nil, log: log))
            var runner = Runner(configuration: configuration, log: log, extraStages: [link])
            let linked = LinkedRows()
            runner.observers = [linked]
            let report = try runner.run()
            print(CommandSummary.link(report, reference: reference, linked: linked.linked, customerShare: link.customerShares[reference]))
        }
    }
}
