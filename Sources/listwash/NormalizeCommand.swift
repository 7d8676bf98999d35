import ArgumentParser
import ListWash

struct NormalizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Normalize one list: names, emails, phones, ZIP codes, states, countries, companies and domains.",
        discussion: "Runs only the normalize stage and writes every input row, unchanged and in order, with the listwash_* columns appended (listwash_first_name ... listwash_flags; see Docs/normalization.md). Without --out the rows go to standard output as CSV and the summary to standard error."
    )

    @Argument(help: "The list (CSV or JSON Lines).")
    var input: String

    @Option(help: "The output file (CSV or, with a .jsonl name, JSON Lines); default: standard output.")
    var out: String?

    func run() throws {
        try reportingErrors {
            var configuration = try PipelineConfiguration.parse("name: normalize\nstages: [normalize]", file: "built-in")
            configuration.file = nil
            configuration.inputs = [.init(path: input)]
            let output = out ?? "-"
            configuration.outputFile = output
            configuration.outputFormat = output.hasSuffix(".jsonl") ? .jsonl : .csv
            let report = try Runner(configuration: configuration, log: StandardError.log()).run()
            if output == "-" {
                // The rows went to standard output; the summary goes beside them, on standard error.
                let lines = CommandSummary.normalize(report).split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix("output:") ? "output: standard output" : String($0) }
                StandardError.write(lines.joined(separator: "\n"))
            } else {
                print(CommandSummary.normalize(report))
            }
        }
    }
}
