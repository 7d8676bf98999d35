import ArgumentParser
import ListWash

struct RerouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reroute",
        abstract: "Apply new scoring and routing rules to the outputs of earlier runs.",
        discussion: "Reads each RUN_OR_FILE (a run's output folder: its load.csv and attach.csv; or a CSV file ListWash wrote), scores and routes every load and attach row again with RULES, and writes OUT/rerouted.csv (every row, new values) and OUT/changes.csv (each row whose owner or queue changed: old and new owner and queue, the deciding rule). Prints the moves per owner."
    )

    @Argument(help: "The rules file (YAML).")
    var rules: String

    @Argument(help: "Output folders of earlier runs, or CSV files ListWash wrote.")
    var inputs: [String]

    @Option(help: "The folder for rerouted.csv and changes.csv.")
    var out: String

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("Please name at least one run folder or file to reroute.") }
    }

    func run() throws {
        try reportingErrors {
            let loaded = try RulesFile.load(path: rules)
            let summary = try Reroute(rules: loaded).run(inputs: inputs, out: out)
            print("\(summary.rows) rows read, \(summary.rerouted) rerouted, \(summary.changed) changed owner or queue")
            if !summary.moves.isEmpty {
                print("moves:")
                let width = summary.moves.map(\.from.count).max() ?? 0
                for move in summary.moves {
                    print("  \(move.from.padding(toLength: width, withPad: " ", startingAt: 0)) -> \(move.to): \(move.count)")
                }
            }
            print("outputs: \(summary.files.joined(separator: ", "))")
        }
    }
}
