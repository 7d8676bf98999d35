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

    /// Every spelling a header may use for a kind, folded (see ``fold(_:)``).
    static let spellings: [String: SuppressionKind] = {
        var spellings = Dictionary(uniqueKeysWithValues: allCases.map { (fold($0.rawValue), $0) })
        for (alias, kind) in [("sha256", emailSHA256), ("emailhash", emailSHA256), ("website", domain), ("companyname", company)] {
            spellings[alias] = kind
        }
        return spellings
    }()

    /// A header folded for comparison: lower-case letters and digits only (`E-mail SHA256` and
    /// `email_sha256` are one header).
    static func fold(_ header: String) -> String {
        String(header.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.map(Character.init))
    }

    /// What a header names: a kind, or `nil` for a note column.
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`) for a header that is neither, with the
    ///   nearest spelling.
    static func recognize(_ header: String, at location: SourceLocation) throws -> SuppressionKind? {
        let folded = fold(header)
        if let kind = spellings[folded] { return kind }
        if noteColumns.contains(where: { fold($0) == folded }) { return nil }
        let known = allCases.map(\.rawValue) + noteColumns
        var message = "unknown column '\(header)'."
        if let best = known.map({ ($0, editDistance(fold($0), folded)) }).min(by: { $0.1 < $1.1 }), best.1 <= max(2, folded.count / 3) {
            message += " Did you mean '\(best.0)'?"
        }
        message += " A suppression list's columns are kinds (\(allCases.map(\.rawValue).joined(separator: ", "))) or notes (\(noteColumns.prefix(3).joined(separator: ", ")), ...)"
        throw ListWashError(.referenceData, message, at: location)
    }
}
