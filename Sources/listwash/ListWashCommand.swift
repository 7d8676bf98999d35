import ArgumentParser
import ListWash
import ListWashNightly

@main
struct ListWashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listwash",
        abstract: "Wash lead lists before they reach a CRM.",
        discussion: "Exit statuses: 0 success, 64 usage or pipeline-file error, 65 input error, 66 suppression or reference list error, 70 internal error, 73 output error, 74 run-history database error, 75 another run holds the lock.",
        version: "0.1.0",
        subcommands: [RunCommand.self, CheckCommand.self, DedupeCommand.self, NormalizeCommand.self, LinkCommand.self, ExplainCommand.self, TrainCommand.self, RerouteCommand.self, HistoryCommand.self, ReportCommand.self]
    )
}

/// Runs `body`, printing a ListWash error to standard error and exiting with its status.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ListWashError {
        StandardError.write(error.description)
        throw ExitCode(error.exitStatus)
    } catch let error as NightlyError {
        StandardError.write(error.description)
        throw ExitCode(error.exitStatus)
    }
}
