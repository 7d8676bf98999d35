import ArgumentParser
import ListWash

/// The flags that override a pipeline file's inputs, CRM exports, suppression lists and lead
/// method: one set for every command that runs a pipeline (`run`, `stream`).
struct PipelineFlags: ParsableArguments {
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

    /// The overrides these flags make, with the output folder `out`.
    func overrides(out: String?) throws -> RunOverrides {
        var overrides = RunOverrides()
        (overrides.inputs, overrides.contacts, overrides.leads, overrides.accounts, overrides.suppression, overrides.out) =
            (inputs, contacts, leads, accounts, suppression, out)
        if let method {
            guard let parsed = LeadMethod(spelling: method) else {
                throw ListWashError(.usage, "unknown method '\(method)'; expected one of: poi, hybrid, unique, buying-group")
            }
            overrides.method = parsed
        }
        return overrides
    }
}
