import ArgumentParser
import ListWash

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline file: normalize, validate and sort every row into one output file per disposition."
    )

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Option(name: .customLong("input"), help: "An input file (CSV or JSON Lines); repeat for several. Replaces the file's inputs.")
    var inputs: [String] = []

    @Option(help: "Contacts exported from the CRM.")
    var contacts: String?

    @Option(help: "Leads exported from the CRM.")
    var leads: String?

    @Option(help: "Accounts exported from the CRM.")
    var accounts: String?

    @Option(help: "The suppression-list folder.")
    var suppression: String?

    @Option(help: "Lead management method: poi, hybrid, unique or buying-group.")
    var method: String?

    @Option(help: "The output folder.")
    var out: String?

    func run() throws {
        try reportingErrors {
            var overrides = RunOverrides()
            overrides.inputs = inputs
            overrides.contacts = contacts
            overrides.leads = leads
            overrides.accounts = accounts
            overrides.suppression = suppression
            overrides.out = out
            if let method {
                guard let parsed = LeadMethod(spelling: method) else {
                    throw ListWashError(.usage, "unknown method '\(method)'; expected one of: poi, hybrid, unique, buying-group")
                }
                overrides.method = parsed
            }
            let configuration = try PipelineConfiguration.load(path: pipeline).applying(overrides)
            let report = try Runner(configuration: configuration, log: StandardError.log()).run()
            print(report.summary)
        }
    }
}
