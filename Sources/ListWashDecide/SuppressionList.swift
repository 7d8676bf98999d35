import ListWashCore
import ListWashNormalize

/// One suppression list, read and indexed: competitors, do-not-contact entries, opt-outs, role
/// local parts, disposable or free-mail domains, embargoed countries.
///
/// ```swift
/// let competitors = try SuppressionList(path: "suppression-lists/competitors.csv")
/// var subject = SuppressionSubject()
/// subject.companyKey = "globex"
/// competitors.firstMatch(subject)?.reason // "competitors.csv:14 company Globex Corp."
/// ```
/// The file is CSV with a header naming each column's ``SuppressionKind`` (free columns such as
/// `note` are ignored); `#` lines are comments. Each entry is normalized by the same
/// normalizers as rows and kept in a hash table per kind, so a lookup costs the same for ten
/// entries as for a million. When two entries of a kind normalize alike, the first line wins.
public final class SuppressionList: Sendable {
    /// An entry: its line in the file and its text as written.
    struct Entry: Sendable {
        let line: Int
        let text: String
    }

    /// The file's path.
    public let path: String
    /// The file's name, as reasons and `listwash_suppression_list` give it.
    public let name: String
    /// The kinds of entries the list holds.
    public let kinds: Set<SuppressionKind>
    /// The number of entries (non-empty cells of kind columns).
    public let entryCount: Int
    /// The SHA-256 of the file's bytes (hex): which version of the list a run applied.
    public let sha256: String
    /// The lines (1-based) that had a value that was not valid UTF-8 and was decoded as
    /// Windows-1252; the list's other values were read as UTF-8.
    public let repairedLines: [Int]
    /// The cells (file, line, column) whose value held invisible characters (a NUL, a zero-width
    /// space, a BOM, a soft hyphen): they were removed, so that `info<ZWSP>` holds back `info@`.
    public let cleanedCells: [SourceLocation]
    // The entries by kind, keyed by normalized value (the tables of ``Entries``, held directly
    // so that a lookup copies nothing).
    private let emails, emailKeys, domains, companies, phones, localParts, countries, accountIDs: [String: Entry]
    private let hashes: [DigestKey: Entry]

    /// The entries of one list by kind, keyed by normalized value (internal).
    struct Entries: Sendable {
        var kinds: Set<SuppressionKind> = []
        var count = 0
        var emails: [String: Entry] = [:]
        var emailKeys: [String: Entry] = [:]
        var hashes: [DigestKey: Entry] = [:]
        var domains: [String: Entry] = [:]
        var companies: [String: Entry] = [:]
        var phones: [String: Entry] = [:]
        var localParts: [String: Entry] = [:]
        var countries: [String: Entry] = [:]
        var accountIDs: [String: Entry] = [:]
        var cleanedCells: [SourceLocation] = []
    }

    /// Reads and indexes the list at `path`.
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`, exit status 66) when the file is missing
    ///   or unreadable, has no header or no entries, names an unknown column, has a line with
    ///   more fields than the header, or a value that is not what its column holds; the error
    ///   names the file, line and column.
    /// - Complexity: O(*n*) in the file's size.
    public init(path: String, normalizer: Normalizer = Normalizer()) throws {
        self.path = path
        name = path.split(separator: "/").last.map(String.init) ?? path
        guard FileSystem.exists(path), !FileSystem.isDirectory(path) else {
            throw ListWashError(.referenceData, "suppression list \(path) not found", at: SourceLocation(file: path))
        }
        let bytes: [UInt8]
        do {
            bytes = try TextFile.readBytes(path)
        } catch let error as ListWashError {
            throw ListWashError(.referenceData, error.diagnostic.message, at: error.diagnostic.location)
        }
        sha256 = SHA256.hash(bytes).hex
        // Each entry is decoded on its own: UTF-8 when valid, else Windows-1252.
        let file = try bytes.withUnsafeBufferPointer { try ListFileLines(bytes: $0, path: path) }
        repairedLines = file.repairedLines
        guard let header = file.lines.first else {
            throw ListWashError(.referenceData, "the suppression list is empty: no header and no entries (a list named in the pipeline must suppress something)", at: SourceLocation(file: path))
        }
        var entries = Entries()
        var columns: [(index: Int, kind: SuppressionKind)] = []
        for (index, cell) in header.fields.enumerated() {
            if let kind = try SuppressionKind.recognize(cell, at: SourceLocation(file: path, line: header.number, column: index + 1)) {
                columns.append((index, kind))
                entries.kinds.insert(kind)
            }
        }
        guard !columns.isEmpty else {
            throw ListWashError(.referenceData, "no column of the header says what the list holds; name one: \(SuppressionKind.allCases.map(\.rawValue).joined(separator: ", "))", at: SourceLocation(file: path, line: header.number))
        }
        for line in file.lines.dropFirst() {
            guard line.fields.count <= header.fields.count else {
                throw ListWashError(.referenceData, "\(line.fields.count) fields where the header has \(header.fields.count); quote a value that holds a comma (\"Acme, Inc.\")", at: SourceLocation(file: path, line: line.number))
            }
            for (index, kind) in columns where index < line.fields.count && !line.fields[index].isEmpty {
                try entries.add(line.fields[index], kind: kind, line: line.number, location: SourceLocation(file: path, line: line.number, column: index + 1), normalizer: normalizer)
            }
        }
        kinds = entries.kinds
        entryCount = entries.count
        cleanedCells = entries.cleanedCells
        emails = entries.emails
        emailKeys = entries.emailKeys
        domains = entries.domains
        companies = entries.companies
        phones = entries.phones
        localParts = entries.localParts
        countries = entries.countries
        accountIDs = entries.accountIDs
        hashes = entries.hashes
        guard entries.count > 0 else {
            throw ListWashError(.referenceData, "the suppression list has a header but no entries (a list named in the pipeline must suppress something)", at: SourceLocation(file: path, line: header.number))
        }
    }

}

extension SuppressionList.Entries {
    typealias Entry = SuppressionList.Entry

    /// Adds one cell of `kind`, normalized.
    mutating func add(_ raw: String, kind: SuppressionKind, line: Int, location: SourceLocation, normalizer: Normalizer) throws {
        // Every kind is read without invisible characters, as input values are.
        let cell = TextCleaning.hasInvisibleCharacters(raw) ? TextCleaning.cleaned(raw) : raw
        if cell != raw { cleanedCells.append(location) }
        guard !cell.isEmpty else { return }
        let entry = Entry(line: line, text: cell)
        func invalid(_ what: String) -> ListWashError {
            ListWashError(.referenceData, "'\(cell)' in column \(kind.rawValue) is not \(what)", at: location)
        }
        switch kind {
        case .email:
            let result = normalizer.emails.normalize(cell)
            guard !result.email.isEmpty else { throw invalid("an email address") }
            if emails[result.email] == nil { emails[result.email] = entry }
            if emailKeys[result.key] == nil { emailKeys[result.key] = entry }
        case .emailSHA256:
            guard let key = DigestKey(hex: cell) else {
                throw invalid("a SHA-256 hash: 64 hexadecimal digits expected, found \(cell.count) characters")
            }
            if hashes[key] == nil { hashes[key] = Entry(line: line, text: cell.lowercased()) }
        case .domain:
            guard !cell.contains("@") else { throw invalid("a domain: it is an email address; put it in an email column") }
            var written = Substring(cell)
            if written.hasPrefix("*.") { written = written.dropFirst(2) } else if written.hasPrefix(".") { written = written.dropFirst() }
            guard let host = DomainNormalizer.host(from: String(written)), host.contains(".") else { throw invalid("a domain (globex.com)") }
            if domains[host] == nil { domains[host] = entry }
        case .company:
            let key = normalizer.companies.normalize(cell).key
            guard !key.isEmpty else { throw invalid("a company name") }
            if companies[key] == nil { companies[key] = entry }
        case .phone:
            let e164 = normalizer.phones.normalize(cell).e164
            guard !e164.isEmpty else { throw invalid("a phone number") }
            if phones[e164] == nil { phones[e164] = entry }
        case .localPart:
            let local = cell.lowercased()
            guard !local.contains("@") else { throw invalid("a local part: write the text before @ (info, not info@acme.com)") }
            guard !local.contains(where: { $0.isWhitespace || $0 == "," || $0 == "<" || $0 == ">" }) else { throw invalid("a local part (info, sales)") }
            if localParts[local] == nil { localParts[local] = entry }
        case .country:
            guard let code = normalizer.places.countryCode(cell) else { throw invalid("a country: write a name or an ISO code (CU, Cuba)") }
            if countries[code] == nil { countries[code] = entry }
        case .accountID:
            if accountIDs[cell] == nil { accountIDs[cell] = entry }
        }
        count += 1
    }
}

extension SuppressionList {
    /// The warning for a list whose `count` values held invisible characters (removed).
    public static func cleanedCellsMessage(_ count: Int) -> String {
        "\(count) value(s) of the suppression list held invisible characters (a NUL, a zero-width space, a BOM, a soft hyphen); they were removed, here and below: check the list's source"
    }

    /// The first entry (lowest line) of this list that `subject` matches, by any rule.
    ///
    /// - Complexity: a few hash lookups per value of the subject (one per label of each domain).
    public func firstMatch(_ subject: SuppressionSubject) -> SuppressionMatch? {
        firstMatch(PreparedSubject(subject, hashes: !hashes.isEmpty))
    }

    /// ``firstMatch(_:)`` for a subject prepared once for all lists.
    func firstMatch(_ prepared: PreparedSubject) -> SuppressionMatch? {
        let subject = prepared.subject
        var best = Best()
        if !subject.email.isEmpty {
            if !emails.isEmpty {
                best.consider(emails[subject.email], .email)
                if subject.emailKey != subject.email { best.consider(emailKeys[subject.emailKey], .emailKey) }
            }
            if !localParts.isEmpty {
                best.consider(localParts[prepared.localPart], .localPart)
                if !prepared.localPartBeforeTag.isEmpty { best.consider(localParts[prepared.localPartBeforeTag], .localPart) }
            }
        }
        if !hashes.isEmpty {
            for digest in subject.digests { best.consider(hashes[digest], .emailSHA256) }
        }
        if !domains.isEmpty {
            for domain in prepared.domainCandidates { best.consider(domains[domain], .domain) }
        }
        var detail: String?
        if !companies.isEmpty {
            if !subject.companyKey.isEmpty { best.consider(companies[subject.companyKey], .company) }
            if let account = subject.account, !account.key.isEmpty, best.consider(companies[account.key], .accountCompany) {
                detail = "account \(subject.accountID) \(account.name)"
            }
        }
        if !accountIDs.isEmpty, !subject.accountID.isEmpty { best.consider(accountIDs[subject.accountID], .accountID) }
        if !phones.isEmpty {
            for phone in subject.phones where !phone.isEmpty { best.consider(phones[phone], .phone) }
        }
        if !countries.isEmpty, !subject.country.isEmpty { best.consider(countries[subject.country], .country) }
        guard let entry = best.entry else { return nil }
        return SuppressionMatch(list: name, line: entry.line, rule: best.rule, entry: entry.text, detail: best.rule == .accountCompany ? detail : nil)
    }

    /// The entry on the lowest line seen so far, and its rule.
    private struct Best {
        var entry: Entry?
        var rule = SuppressionRule.email

        /// Keeps `candidate` when it is on a lower line; returns whether it did.
        @discardableResult
        mutating func consider(_ candidate: Entry?, _ rule: SuppressionRule) -> Bool {
            guard let candidate, candidate.line < (entry?.line ?? .max) else { return false }
            entry = candidate
            self.rule = rule
            return true
        }
    }

    /// Whether the list holds entries of `kind`.
    public func holds(_ kind: SuppressionKind) -> Bool { kinds.contains(kind) }
}
