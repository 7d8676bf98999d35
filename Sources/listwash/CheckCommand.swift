import ArgumentParser
import ListWash

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a pipeline file without running it."
    )

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    func run() throws {
        try reportingErrors {
            let configuration = try PipelineConfiguration.load(path: pipeline)
            let stages = configuration.stages.map(\.name).joined(separator: " | ")
            let inputs = configuration.inbox.map { "inbox \($0.path)" }
                ?? "\(configuration.inputs.count) input\(configuration.inputs.count == 1 ? "" : "s")"
            let lists = try configuration.checkSuppressionLists()
            let suppression = lists.isEmpty ? "" : "; suppression lists: " + lists.map { "\($0.list) (\($0.entries))" }.joined(separator: ", ")
            print("\(pipeline): ok (\(inputs); stages: \(stages.isEmpty ? "none" : stages); method: \(configuration.method.rawValue)\(suppression))")
        }
    }
}
