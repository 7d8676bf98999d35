import ArgumentParser
import ListWash
import ListWashNightly

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print one nightly run's summary: inputs, counts, reasons, where its outputs and report.html are."
    )

    @Argument(help: "The run id (or its start, or 'last').")
    var runID: String

    @OptionGroup var location: HistoryLocation

    func run() throws {
        try reportingErrors {
            let store = try HistoryStore.existing(path: try location.path())
            print(HistoryText.detail(try store.run(matching: runID)))
        }
    }
}
