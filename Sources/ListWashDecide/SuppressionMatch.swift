/// The rule by which a suppression-list entry matched a row, as reasons name it.
public enum SuppressionRule: String, Sendable, CaseIterable {
    /// The row's normalized email is the entry's.
    case email
    /// The row's provider key (Gmail dots and `+tags` dropped) is the entry's.
    case emailKey = "email_key"
    /// The SHA-256 of the row's email (as written, lower-cased and trimmed; normalized; or its
    /// provider key) is the entry.
    case emailSHA256 = "email_sha256"
    /// The row's email or website domain is the entry's domain or one of its subdomains.
    case domain
    /// The row's company key is the entry's.
    case company
    /// The account the row matched has the entry's company key.
    case accountCompany = "account_company"
    /// The account the row matched has the entry's id.
    case accountID = "account_id"
    /// The row's phone (E.164) is the entry's.
    case phone
    /// The row's email local part (with or without its `+tag`) is the entry.
    case localPart = "local_part"
    /// The row's country is the entry's.
    case country

    /// Whether the rule names the person rather than an address, a company or a place: an email
    /// (as written, its provider key or its hash) or a phone. A person held back by such a rule
    /// (do-not-contact, opt-out) is held back in every row of theirs (see `DecideStage`).
    public var identifiesPerson: Bool {
        switch self {
        case .email, .emailKey, .emailSHA256, .phone: true
        default: false
        }
    }
}

/// Which suppression-list entry matched a row, and by which rule.
///
/// ```swift
/// match.reason // "competitors.csv:12 domain globex.com"
/// ```
public struct SuppressionMatch: Sendable, Hashable {
    /// The list's file name.
    public var list: String
    /// The entry's 1-based line in the list file.
    public var line: Int
    /// The rule that matched.
    public var rule: SuppressionRule
    /// The entry as the list writes it.
    public var entry: String
    /// What the row matched through, when it is not the row itself (`account 001A0009`).
    public var detail: String?

    /// A match of `entry` on `line` of `list` by `rule`.
    public init(list: String, line: Int, rule: SuppressionRule, entry: String, detail: String? = nil) {
        self.list = list
        self.line = line
        self.rule = rule
        self.entry = entry
        self.detail = detail
    }

    /// `<file>:<line> <rule> <entry>`, then the detail in parentheses: the text of
    /// `listwash_reason` for a suppressed row.
    public var reason: String {
        "\(list):\(line) \(rule.rawValue) \(entry)" + (detail.map { " (\($0))" } ?? "")
    }

    /// The list and rule of a ``reason`` text (`competitors.csv:12 domain globex.com` →
    /// `competitors.csv`, `.domain`), or `nil` for a text that is not one.
    public static func parse(reason: String) -> (list: String, rule: SuppressionRule)? {
        let words = reason.split(separator: " ", maxSplits: 2)
        guard words.count == 3, let colon = words[0].lastIndex(of: ":"), let rule = SuppressionRule(rawValue: String(words[1])) else { return nil }
        return (String(words[0][..<colon]), rule)
    }
}
