import ArgumentParser
import ListWash

struct DedupeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedupe",
        abstract: "Find the rows of one list that are the same person.",
        discussion: "Writes every input row with listwash_cluster (rows sharing a value are one person) and listwash_match_score. Without --pipeline, the built-in lead-list model compares the names, email, phone, company, ZIP and state it recognizes."
    )

    @Argument(help: "The list (CSV or JSON Lines).")
    var input: String

    @Option(help: "A pipeline file whose dedupe stage (and the stages before it) to use.")
    var pipeline: String?

    @Option(help: "The output file (CSV or, with a .jsonl name, JSON Lines).")
    var out: String

    func run() throws {
        try reportingErrors {
            var configuration = try pipeline.map { try PipelineConfiguration.load(path: $0) } ?? PipelineConfiguration.builtInDedupe()
            configuration = try configuration.stopping(after: "dedupe")
            configuration.inputs = [.init(path: input)]
            configuration.outputFile = out
            configuration.outputFormat = out.hasSuffix(".jsonl") ? .jsonl : .csv
            let report = try Runner(configuration: configuration, log: StandardError.log()).run()
            print(CommandSummary.dedupe(report))
        }
    }
}
