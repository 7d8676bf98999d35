import ArgumentParser
import ListWash
import ListWashNightly

/// Where the history commands find the run history: from a pipeline file, an output root or
/// the database itself.
struct HistoryLocation: ParsableArguments {
    @Option(name: .customLong("pipeline"), help: "A nightly pipeline file; its history is read.")
    var pipeline: String?

    @Option(help: "The output root of nightly runs; its listwash-history.sqlite is read.")
    var out: String?

    @Option(help: "The run-history database file.")
    var history: String?

    /// The database's path.
    func path() throws -> String {
        if let history { return history }
        if let out { return "\(out)/\(HistoryStore.defaultFileName)" }
        if let pipeline { return NightlyRun.historyPath(for: try PipelineConfiguration.load(path: pipeline)) }
        if FileSystem.exists(HistoryStore.defaultFileName) { return HistoryStore.defaultFileName }
        throw ListWashError(.usage, "which history? name the pipeline (--pipeline pipelines/nightly.yaml), the output root (--out DIR) or the database (--history FILE)")
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List past nightly runs, newest first, or every response of one person.",
        discussion: "With --person EMAIL_OR_ID: every response the lead ledger holds of that person (by email, or by a lead's ListWash or CRM id), across lists and nights, oldest first."
    )

    @OptionGroup var location: HistoryLocation

    @Option(help: "How many runs to list.")
    var limit: Int = 20

    @Option(help: "A person's email or a lead's ListWash or CRM id: list that person's responses instead of runs.")
    var person: String?

    func run() throws {
        try reportingErrors {
            let store = try HistoryStore.existing(path: try location.path())
            if let person {
                print(HistoryText.responses(try store.responses(person: person), of: person))
            } else {
                print(HistoryText.table(try store.runs(limit: max(1, limit))))
            }
        }
    }
}
