import ListWashCore

extension ListWashError {
    /// A row that no key account, no rule and no default queue reaches: an orphan record fails
    /// the run rather than leaving a lead nobody owns.
    public static func orphan(source: String, row: Int, rules: String) -> ListWashError {
        ListWashError(.usage, "orphan record: row \(row) of \(source) matches no routing rule and \(rules) names no default queue; add default_queue: to its routing section", at: SourceLocation(file: rules))
    }
}

extension Disposition {
    /// Whether score and route act on rows of this disposition (still open rows too): rows to
    /// load or attach reach the CRM and need an owner; the others never do.
    static func isRouted(_ disposition: Disposition?) -> Bool {
        switch disposition {
        case nil, .load?, .attach?: true
        default: false
        }
    }
}
