import ListWashCore
import ListWashNormalize

/// Accounts exported from the CRM, indexed for lead-to-account matching: by corporate email or
/// website domain first, then by company key (and state, when both sides have one).
public final class AccountIndex: Sendable {
    /// The export's path.
    public let path: String
    private let byDomain: [String: String]
    private let byCompany: [String: [(id: String, state: String)]]
    /// Each account's name as written and its company key, by id.
    private let names: [String: (name: String, key: String)]
    /// The number of accounts.
    public let count: Int

    /// Reads and indexes the accounts export at `path`.
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`) when the file cannot be read, has no id
    ///   column, or repeats an id.
    public init(path: String, idColumn: String? = nil, log: DiagnosticLog? = nil) throws {
        self.path = path
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path, log: log, kind: .referenceData)
        } catch let error as ListWashError {
            throw ListWashError(.referenceData, error.diagnostic.message, at: error.diagnostic.location)
        }
        let header = reader.header
        let idIndex = try ReferenceIndex.idColumn(idColumn, in: header, path: path, spellings: ["id", "accountid", "recordid", "companyid"])
        // In an accounts export "Name" / "Account Name" is the company.
        var explicit: [FieldRole: String] = [:]
        if let name = header.first(where: { ["accountname", "name", "company", "companyname"].contains(FieldRole.foldHeader($0)) }) { explicit[.company] = name }
        let schema = try ColumnMapping(explicit: explicit).resolve(header: header, source: path, log: log)
        let normalizer = Normalizer()
        var byDomain: [String: String] = [:], byCompany: [String: [(id: String, state: String)]] = [:]
        var seen: [String: Int] = [:]
        var names: [String: (name: String, key: String)] = [:]
        var count = 0
        while let batch = try reader.nextBatch(schema: schema, layout: OutputLayout()) {
            for row in 0..<batch.count where batch.isOpen(row) {
                let id = batch.id(row, column: idIndex)
                if let first = seen[id] {
                    throw ListWashError(.referenceData, "id '\(id)' repeats (first on line \(first)); ids in a CRM export must be unique", at: SourceLocation(file: path, line: batch.lines[row], column: idIndex + 1))
                }
                seen[id] = batch.lines[row]
                let contact = normalizer.normalize(RawContact(
                    company: batch.value(row, role: .company), website: batch.value(row, role: .website),
                    state: batch.value(row, role: .state), zip: batch.value(row, role: .zip)))
                if !contact.domain.isEmpty, byDomain[contact.domain] == nil { byDomain[contact.domain] = id }
                if !contact.companyKey.isEmpty {
                    byCompany[contact.companyKey, default: []].append((id, contact.state))
                    names[id] = (contact.company, contact.companyKey)
                }
                count += 1
            }
        }
        self.byDomain = byDomain
        self.byCompany = byCompany
        self.names = names
        self.count = count
    }

    /// The name (as cleaned for display) and company key of the account with id `id`, or `nil`
    /// when there is no such account or it has no usable name.
    ///
    /// ```swift
    /// accounts.name(ofAccount: "001A0002") // ("Globex Corp.", "globex")
    /// ```
    public func name(ofAccount id: String) -> (name: String, key: String)? {
        names[id]
    }

    /// The account a person belongs to, and why: by corporate domain (never a free-mail
    /// domain: the normalizer leaves those out of `domain`), else by company key, with the state
    /// deciding between accounts of one name.
    public func account(domain: String, companyKey: String, state: String) -> (id: String, reason: String)? {
        if !domain.isEmpty, let id = byDomain[domain] { return (id, "domain \(domain)") }
        guard !companyKey.isEmpty, let candidates = byCompany[companyKey] else { return nil }
        if candidates.count == 1 { return (candidates[0].id, "company \(companyKey)") }
        if let local = candidates.first(where: { !state.isEmpty && $0.state == state }) { return (local.id, "company \(companyKey) in \(state)") }
        return nil
    }
}

extension RunContext {
    /// The accounts export at `path`, read and indexed once per run: the match stage and the
    /// suppress stage (the accounts a row matched, by name) share it.
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`) as ``AccountIndex/init(path:idColumn:log:)`` does.
    public func accounts(path: String, idColumn: String?) throws -> AccountIndex {
        try shared(Self.accountsKey(path: path, idColumn: idColumn)) { try AccountIndex(path: path, idColumn: idColumn, log: log) }
    }

    /// The key the accounts export at `path` is loaded under.
    public static func accountsKey(path: String, idColumn: String?) -> String {
        "accounts export \(path) (id column \(idColumn ?? "recognized"))"
    }
}
