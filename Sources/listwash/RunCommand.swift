import Foundation
import ArgumentParser
import ListWash
import ListWashNightly

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline file: normalize, validate and sort every row into one output file per disposition."
    )

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @OptionGroup var flags: PipelineFlags

    @Option(help: "The output folder (for a nightly pipeline: the output root, one folder per run).")
    var out: String?

    @Option(help: "Import files for a CRM besides the disposition files: generic (none), salesforce or hubspot. Replaces the file's output: {profile:}.")
    var profile: String?

    @Option(help: "The inbox: a folder or a glob. Makes this a nightly run (see the pipeline's inbox:).")
    var inbox: String?

    @Flag(help: "Process inbox files again even when their content was processed before.")
    var force = false

    @Option(name: .customLong("log-file"), help: "Append the log of a nightly run to this file (besides standard error).")
    var logFile: String?

    @Flag(inversion: .prefixedNo, help: "Show a progress bar (default: when standard error is a terminal).")
    var progress: Bool?

    @Option(help: "A run history whose lead ledger this run by hand shares (default: the pipeline's history:, if it names one): rows match the leads earlier runs created, and this run's leads are recorded.")
    var ledger: String?

    func run() throws {
        try reportingErrors {
            var overrides = try flags.overrides(out: out)
            if let profile {
                guard let parsed = ImportProfile.Name(rawValue: profile.lowercased()) else {
                    throw ListWashError(.usage, "unknown profile '\(profile)'; expected one of: \(ImportProfile.Name.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                overrides.profile = parsed
            }
            let configuration = try PipelineConfiguration.load(path: pipeline).applying(overrides)
            var options = NightlyOptions()
            options.inbox = inbox
            options.force = force
            options.logFile = logFile ?? configuration.logFile
            options.progress = progress
            if NightlyRun.applies(to: configuration, options: options) {
                let logger = try LogSetup.logger(file: options.logFile, level: LogSetup.level(configuration.logLevel))
                let outcome = try NightlyRun(configuration: configuration, options: options, logger: logger).run()
                print(outcome.summary)
                return
            }
            if force || logFile != nil {
                throw ListWashError(.usage, "--force and --log-file apply to nightly runs: name an inbox under inbox: in the pipeline file or with --inbox DIR")
            }
            // A run by hand shows its progress too, on a terminal (or with --progress).
            let sizes = configuration.inputs.map { input in (try? FileManager.default.attributesOfItem(atPath: input.path)[.size] as? Int) ?? 0 }
            let bar = ProgressBar(total: sizes.reduce(0, +), enabled: progress)
            // The run's page, as a nightly run has: funnel, reasons, match scores, inputs.
            let observer = RunObserver()
            func prepare(_ runner: inout Runner) {
                runner.observers = [observer]
                runner.extraOutputs = { [("report.html", ReportPage(report: $0, tally: observer.counts).html)] }
            }
            let report: RunReport
            do {
                if let history = ledger ?? configuration.historyPath {
                    report = try LedgerRun(configuration: configuration, historyPath: history).run(log: StandardError.log(), progress: bar?.reading(), prepare: prepare)
                } else {
                    var runner = Runner(configuration: configuration, log: StandardError.log())
                    prepare(&runner)
                    report = try runner.run(progress: bar?.reading())
                }
                bar?.finish()
            } catch {
                bar?.finish()
                throw error
            }
            print(report.summary)
            if let pending = report.pendingLeads { print(NightlyOutcome.ledgerLines(pending).joined(separator: "\n")) }
        }
    }
}
