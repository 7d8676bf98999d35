import ListWashCore

/// What a column of a suppression list holds, as its header names it.
///
/// ```
/// # competitors.csv
/// company,domain,note
/// Globex Corp.,globex.com,main competitor
/// ```
/// Headers fold case, spaces and hyphens (`Local Part`, `local-part` and `local_part` are one
/// kind). Columns named in ``noteColumns`` are for people and ignored; any other header is an
/// error with "did you mean".
public enum SuppressionKind: String, CaseIterable, Sendable {
    /// An email address: matches the row's address and its provider key (Gmail dots, `+tags`).
    case email
    /// The SHA-256 of a lower-cased, trimmed email address, as 64 hexadecimal digits.
    case emailSHA256 = "email_sha256"
    /// A domain: matches the row's email domain and website domain, and their subdomains.
    case domain
    /// A company name: matches rows (and matched accounts) with the same company key.
    case company
    /// A phone number in any format: matches the row's phone in E.164.
    case phone
    /// The part of an address before `@` (`info`, `sales`): role accounts.
    case localPart = "local_part"
    /// A country name or ISO code: matches the row's country.
    case country
    /// A CRM account id: matches rows that the match stage tied to that account.
    case accountID = "account_id"

    /// Free columns, for people reading the list; their values are ignored.
    public static let noteColumns = [
        "note", "notes", "comment", "comments", "reason", "source", "added", "added_on", "added_by", "date",
        "expires", "owner", "description",
    ]

    /// Other spellings a header may use for a kind.
    static let aliases: [String: SuppressionKind] = [
        "sha256": .emailSHA256, "email_hash": .emailSHA256, "website": .domain, "company_name": .company,
        "localpart": .localPart, "accountid": .accountID,
    ]

    /// A header folded for comparison: lower case, spaces and hyphens as `_`, trimmed.
    static func fold(_ header: String) -> String {
        String(header.lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 }).trimmingUnderscoresAndSpaces()
    }

    /// What a header names: a kind, or `nil` for a note column.
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`) for a header that is neither, with the
    ///   nearest spelling.
    static func recognize(_ header: String, at location: SourceLocation) throws -> SuppressionKind? {
        let folded = fold(header)
        if let kind = SuppressionKind(rawValue: folded) ?? aliases[folded] { return kind }
        if noteColumns.contains(folded) { return nil }
        let known = allCases.map(\.rawValue) + noteColumns
        var message = "unknown column '\(header)'"
        if let best = known.map({ ($0, editDistance($0, folded)) }).min(by: { $0.1 < $1.1 }), best.1 <= max(2, folded.count / 3) {
            message += ". Did you mean '\(best.0)'?"
        }
        message += " A suppression list's columns are kinds (\(allCases.map(\.rawValue).joined(separator: ", "))) or notes (\(noteColumns.prefix(3).joined(separator: ", ")), ...)"
        throw ListWashError(.referenceData, message, at: location)
    }
}

extension String {
    func trimmingUnderscoresAndSpaces() -> String {
        var text = Substring(self)
        while let first = text.first, first == "_" || first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last == "_" || last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
