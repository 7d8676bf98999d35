import ArgumentParser
import ListWash
import ListWashMatch

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain why two records match or not: each comparison's level and weight, the total, the thresholds.",
        discussion: "Records are FILE:ROW, ROW being the record number (listwash_row). The pair is scored as a run of the pipeline scores it: the model's parameters are estimated on the records its dedupe stage sees, the rows still open after the stages before it (a rejected row has no score), of all its inputs when both files are among them, else of the two files."
    )

    @Argument(help: "The pipeline file whose dedupe or match stage gives the model.")
    var pipeline: String

    @Option(help: "The left record, FILE:ROW.")
    var left: String

    @Option(help: "The right record, FILE:ROW.")
    var right: String

    @Option(help: "Also write the match waterfall as a self-contained HTML page to this file.")
    var html: String?

    func run() throws {
        try reportingErrors {
            let workbench = try MatchWorkbench(configuration: try PipelineConfiguration.load(path: pipeline))
            let explanation = try workbench.explain(left: try Self.record(left), right: try Self.record(right))
            print(explanation.text)
            if let html {
                try FileSystem.writeReplacing(ExplanationPage(explanation: explanation, left: left, right: right).html, to: html)
                print("wrote \(html)")
            }
        }
    }

    static func record(_ text: String) throws -> (file: String, row: Int) {
        guard let colon = text.lastIndex(of: ":"), let row = Int(text[text.index(after: colon)...]), row > 0 else {
            throw ListWashError(.usage, "'\(text)' is not FILE:ROW (for example leads.csv:12)")
        }
        return (String(text[..<colon]), row)
    }
}
