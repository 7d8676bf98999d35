import ArgumentParser
import ListWash
import ListWashNightly

@main
struct ListWashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listwash",
        abstract: "Wash lead lists before they reach a CRM.",
        discussion: "Exit statuses: 0 success, 64 usage or pipeline-file error, 65 input error, 66 suppression or reference list error, 70 internal error, 73 output error, 74 run-history database error, 75 another run holds the lock, 130 interrupted (Ctrl-C, SIGINT), 143 stopped by SIGTERM.",
        version: "0.1.0",
        subcommands: [RunCommand.self, CheckCommand.self, DedupeCommand.self, NormalizeCommand.self, LinkCommand.self, ExplainCommand.self, TrainCommand.self, RerouteCommand.self, HistoryCommand.self, ReportCommand.self, StreamCommand.self]
    )

    /// Handles Ctrl-C and SIGTERM (``Interruption``) before any thread starts, then runs the command.
    /// The subcommands' names, for `listwash help NAME`.
    static var commandNames: [String] { configuration.subcommands.compactMap { $0.configuration.commandName } }

    static func main() {
        Interruption.shared.start { StandardErrorLine.shared.finish(with: $0) }
        // `listwash help bogus` would print the overview and succeed: name the mistake instead.
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.count > 1, arguments[0] == "help", !commandNames.contains(arguments[1]) {
            exit(withError: ValidationError("unknown command '\(arguments[1])'; the commands are: \(commandNames.joined(separator: ", "))"))
        }
        main(nil)
    }
}

/// Runs `body`, printing a ListWash error to standard error and exiting with its status.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ListWashError {
        Interruption.shared.waitIfInterrupted()   // the interruption's message, not this error's
        StandardError.write(error.description)
        throw ExitCode(error.exitStatus)
    } catch let error as NightlyError {
        Interruption.shared.waitIfInterrupted()
        StandardError.write(error.description)
        throw ExitCode(error.exitStatus)
    }
}
