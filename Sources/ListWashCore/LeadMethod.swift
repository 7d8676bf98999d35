/// How a CRM turns marketing responses into records (see the README's lead-method table).
public enum LeadMethod: String, CaseIterable, Sendable, Codable {
    /// Every response creates a new lead.
    case pointOfInterest = "poi"
    /// A new lead unless the person is already a lead; a contact still gets a new lead.
    case hybrid
    /// A new lead only when the person is neither a lead nor a contact.
    case unique
    /// Responses from one account join one open lead for that account, each person in a role.
    case buyingGroup = "buying-group"

    /// Reads a method as users spell it: `poi`, `point-of-interest`, `hybrid`, `unique`,
    /// `buying-group` (case, spaces and `_` ignored).
    public init?(spelling: String) {
        let folded = FieldRole.foldHeader(spelling)
        switch folded {
        case "poi", "pointofinterest": self = .pointOfInterest
        case "hybrid": self = .hybrid
        case "unique": self = .unique
        case "buyinggroup", "abm", "accountbased": self = .buyingGroup
        default: return nil
        }
    }
}

/// What each input row is: a campaign response, or a record of a purchased list.
public enum RowKind: String, CaseIterable, Sendable, Codable {
    /// Form fills, badge scans, webinar attendance: each row is one response (the default).
    case responses
    /// A purchased list: a person listed twice is one record.
    case records
}
