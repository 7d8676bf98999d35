/// Where a record ends up: each disposition is one output file of a run.
public enum Disposition: String, CaseIterable, Sendable, Codable {
    /// A new lead to create in the CRM.
    case load
    /// A campaign association to an existing lead or contact, or to one created earlier in the run.
    case attach
    /// Merged into another row of the same run.
    case duplicate
    /// A possible match that a person decides.
    case review
    /// Held back by a suppression list (competitor, do-not-contact, ...).
    case suppressed
    /// Bad input: a ragged line, an unterminated quote, impossible values.
    case rejected

    /// The output file for this disposition: `load.csv`, `attach.csv`, ...
    public func fileName(extension ext: String = "csv") -> String { "\(rawValue).\(ext)" }
}
