import ArgumentParser
import ListWash

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Estimate a match model's weights from the data itself (EM, no labelled pairs) and write a model file.",
        discussion: "The pipeline then names the file: stages: [normalize, {dedupe: {model: FILE}}]."
    )

    @Argument(help: "The pipeline file whose dedupe or match stage describes the comparisons.")
    var pipeline: String

    @Argument(help: "The data to train on (CSV).")
    var inputs: [String]

    @Option(help: "The model file to write.")
    var out: String = "model.yaml"

    func run() throws {
        try reportingErrors {
            let workbench = try MatchWorkbench(configuration: try PipelineConfiguration.load(path: pipeline))
            let trained = try workbench.train(on: inputs)
            try FileSystem.write(trained.yaml, to: out)
            print("trained on \(trained.pairs) candidate pairs; prior \(trained.model.prior); model written to \(out)")
            for comparison in trained.model.comparisons {
                let levels = comparison.levels.map { "\($0.label) \(String(($0.weight * 100).rounded() / 100))" }
                print("  \(comparison.name): \(levels.joined(separator: ", "))")
            }
        }
    }
}
