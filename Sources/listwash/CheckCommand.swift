import ArgumentParser
import ListWash

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a pipeline file or a rules file without running it.",
        discussion: "A YAML file with scoring: or routing: and no stages: is checked as a rules file: unknown keys, states, ZIP codes or area codes claimed twice, owners in no team, unreachable rules, a missing default queue. Warnings do not change the exit status; errors exit 64."
    )

    @Argument(help: "The pipeline file or rules file (YAML).")
    var file: String

    @Option(help: "Also check this rules file (as a pipeline's score and route stages name it).")
    var rules: String?

    func run() throws {
        try reportingErrors {
            if RulesFile.isRulesFile(path: file) {
                try checkRules(file)
                return
            }
            let configuration = try PipelineConfiguration.load(path: file)
            try configuration.checkStages()
            let stages = configuration.stages.map(\.name).joined(separator: " | ")
            let inputs = configuration.inbox.map { "inbox \($0.path)" }
                ?? "\(configuration.inputs.count) input\(configuration.inputs.count == 1 ? "" : "s")"
            let lists = try configuration.checkSuppressionLists(log: StandardError.log())
            let profile = configuration.profile == .generic ? "" : "; profile: \(configuration.importProfile.fileNames.joined(separator: ", "))"
            let suppression = lists.isEmpty ? "" : "; suppression lists: " + lists.map { "\($0.list) (\($0.entries))" }.joined(separator: ", ")
            print("\(file): ok (\(inputs); stages: \(stages.isEmpty ? "none" : stages); method: \(configuration.method.rawValue)\(profile)\(suppression))")
            for path in Set(configuration.rulesFiles + (rules.map { [$0] } ?? [])).sorted() { try checkRules(path) }
        }
    }

    /// Prints every diagnostic of a rules file; throws when one is an error.
    private func checkRules(_ path: String) throws {
        let (rules, diagnostics) = try RulesFile.check(path: path)
        for diagnostic in diagnostics { StandardError.write(diagnostic.description) }
        let errors = diagnostics.filter { $0.severity == .error }
        let warnings = diagnostics.count - errors.count
        if let first = errors.first {
            throw ListWashError(.usage, "\(errors.count) error\(errors.count == 1 ? "" : "s") in the rules file" + (errors.count == 1 ? " (above)" : ""), at: first.location.map { SourceLocation(file: $0.file) })
        }
        let routing = rules.routing.map { "\($0.rules.count) routing rules, \($0.keyAccounts.count) key accounts, \($0.teams.count) teams" }
        let scoring = rules.scoring.map { _ in "scoring" }
        let parts = [scoring, routing].compactMap { $0 }.joined(separator: "; ")
        print("\(path): ok (\(parts)\(warnings > 0 ? "; \(warnings) warning\(warnings == 1 ? "" : "s")" : ""))")
    }
}
