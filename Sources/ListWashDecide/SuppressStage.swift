import Dispatch
import ListWashCore
import ListWashMatch
import ListWashNormalize

/// The suppress stage: holds back every open row that a suppression list matches, as
/// `suppressed`, with the list, line, rule and entry as its reason.
///
/// ```swift
/// let stage = SuppressStage(folder: SuppressionFolder(path: "suppression-lists"))
/// try stage.setUp()   // reads and indexes the lists once
/// try stage.process(&batch)
/// // batch.reasons[row] == "competitors.csv:12 domain globex.com"
/// ```
/// Lists apply in order; the first list that matches a row, and within it the entry on the
/// lowest line, gives the reason. Rules: email, provider key and SHA-256 of the email; domain
/// of the email or website and every subdomain; company key, and the company key or id of the
/// account the match stage tied the row to; phone in E.164; email local part; country.
///
/// It reads the columns of the normalize and match stages (`listwash_email`,
/// `listwash_email_key`, `listwash_domain`, `listwash_company_key`, `listwash_phone`,
/// `listwash_country`, `listwash_account_id`) and normalizes the raw field when a column is
/// absent, so it also runs on its own. It fills `listwash_suppression_list` with the list's
/// file name. Rows already settled are left alone, except `review` and `duplicate` rows: a
/// suppression beats both. Rows are looked at one at a time, so
/// batches go through it on all cores.
public final class SuppressStage: SetUpStage, @unchecked Sendable {
    /// The accounts export, to know the name of the account a row matched.
    public struct Accounts: Sendable {
        /// The export's path.
        public var path: String
        /// Its id column, or `nil` to recognize it.
        public var idColumn: String?

        /// The accounts export at `path`.
        public init(path: String, idColumn: String? = nil) {
            self.path = path
            self.idColumn = idColumn
        }
    }

    /// `suppress`.
    public let name = "suppress"
    /// Where the lists are, when the stage reads them itself.
    public let folder: SuppressionFolder?
    /// The accounts export, when there is one.
    public let accounts: Accounts?
    /// The lists, in the order they apply (read by ``setUp()``).
    public private(set) var lists: [SuppressionList]
    /// The accounts, once set up.
    public private(set) var accountIndex: AccountIndex?
    private let normalizer: Normalizer
    /// What the run loads once for all its stages.
    private let context: RunContext
    private var isSetUp: Bool

    /// The column naming the list that suppressed a row.
    public static let listColumn = "listwash_suppression_list"

    public var outputColumns: [String] { [Self.listColumn] }
    public var runsConcurrently: Bool { true }

    /// A stage that reads the lists of `folder` (and the accounts export, through `context`: the
    /// match stage of the same run shares it) in ``setUp()``.
    public init(folder: SuppressionFolder, accounts: Accounts? = nil, normalizer: Normalizer = Normalizer(), context: RunContext = RunContext()) {
        self.folder = folder
        self.accounts = accounts
        self.lists = []
        self.normalizer = normalizer
        self.context = context
        isSetUp = false
    }

    /// A stage over lists already read, in the order they apply.
    public init(lists: [SuppressionList], accounts: AccountIndex? = nil, normalizer: Normalizer = Normalizer()) {
        folder = nil
        self.accounts = nil
        self.lists = lists
        accountIndex = accounts
        self.normalizer = normalizer
        context = RunContext()
        isSetUp = true
    }

    /// Reads and indexes the lists and the accounts export, once.
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`, exit status 66) for a missing folder or
    ///   list, an empty list, a malformed line, or an unreadable accounts export.
    public func setUp() throws {
        guard !isSetUp else { return }
        if let folder {
            lists = try Self.read(folder.listPaths(), normalizer: normalizer)
        }
        if let accounts {
            accountIndex = try context.accounts(path: accounts.path, idColumn: accounts.idColumn)
        }
        isSetUp = true
    }

    /// Reads the lists at `paths` on all cores, in order; the first error (in list order) wins.
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`) as ``SuppressionList/init(path:normalizer:)`` does.
    public static func read(_ paths: [String], normalizer: Normalizer) throws -> [SuppressionList] {
        var results = [Result<SuppressionList, any Error>?](repeating: nil, count: paths.count)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each worker writes its own slot.
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: paths.count) { index in
                slots[index] = Result { try SuppressionList(path: paths[index], normalizer: normalizer) }
            }
        }
        return try results.map { result in
            guard let result else { throw ListWashError(.internal, "a suppression list was not read") }
            return try result.get()
        }
    }

    /// Suppresses the open rows of `batch` that a list matches.
    ///
    /// - Throws: ``ListWashError`` (`.internal`) when called before ``setUp()``.
    public func process(_ batch: inout RecordBatch) throws {
        guard isSetUp else { throw ListWashError(.internal, "the suppress stage processed a batch before setUp() read its lists") }
        guard !lists.isEmpty else { return }
        let reader = SubjectReader(batch: batch, lists: lists, normalizer: normalizer, accounts: accountIndex)
        let listColumn = batch.layout.column(Self.listColumn)
        let needsDomains = lists.contains { $0.holds(.domain) }, needsLocalParts = lists.contains { $0.holds(.localPart) }
        var subject = PreparedSubject()
        for row in 0..<batch.count where Self.mayHoldBack(batch.dispositions[row]) {
            subject.clear()
            reader.fill(&subject.subject, batch, row: row)
            subject.prepare(localParts: needsLocalParts, domains: needsDomains)
            for list in lists {
                guard let match = list.firstMatch(subject) else { continue }
                batch.settle(row, as: .suppressed, reason: match.reason)
                if let listColumn { batch[row, listColumn] = list.name }
                break
            }
        }
    }

    /// Whether a row settled as `disposition` may still be held back: open rows, and rows that
    /// dedupe or match settled as `duplicate` or `review` (a do-not-contact person must not
    /// reach a reviewer, nor hide as the duplicate of a row that loads).
    static func mayHoldBack(_ disposition: Disposition?) -> Bool {
        disposition == nil || disposition == .review || disposition == .duplicate
    }

    /// The first match of `subject` among the lists, in order (for library users and tests).
    public func firstMatch(_ subject: SuppressionSubject) -> SuppressionMatch? {
        let prepared = PreparedSubject(subject, hashes: lists.contains { $0.holds(.emailSHA256) })
        for list in lists {
            if let match = list.firstMatch(prepared) { return match }
        }
        return nil
    }
}
