import ListWashCore

/// Matches a whole list against the exports (`listwash link`): a ``MatchStage`` that first
/// learns from the list itself what share of its rows the exports hold.
///
/// How likely a row is a customer depends on the list: a newsletter export is mostly
/// customers, a bought list mostly new people. Each row is one of an export's records or
/// nobody; the share is learned by EM over the rows' candidates
/// (``Training/customerShare(logOdds:rows:share:)``), starting from the model's expected
/// partners, and the rows are then matched under it. It is a barrier: every row's candidates
/// are scored before any row is matched.
public final class LinkStage: BarrierStage, SetUpStage, @unchecked Sendable {
    /// The match stage that matches the rows once the share is learned.
    public let match: MatchStage
    /// Per index (``MatchStage/indexes``), the rows' log2 odds, batch by batch.
    private var logOdds: [[Double]] = []
    private var rows = 0
    /// Per export (its path), the share of the list's rows learned to be its records.
    public private(set) var customerShares: [String: Double] = [:]

    /// A link through `match`.
    public init(match: MatchStage) {
        self.match = match
    }

    public var name: String { match.name }
    public var outputColumns: [String] { match.outputColumns }
    public var runsConcurrently: Bool { true }

    /// Reads and indexes the exports (again on each run) and forgets what earlier runs learned.
    public func setUp() throws {
        try match.setUp()
        logOdds = match.indexes.map { _ in [] }
        rows = 0
        customerShares = [:]
    }

    /// Scores each open row's candidates (on all cores).
    public func digest(_ batch: RecordBatch) throws -> (any Sendable)? {
        match.candidateLogOdds(batch)
    }

    /// Keeps the rows' odds.
    public func observe(_ batch: RecordBatch, digest: (any Sendable)?) throws {
        rows += batch.openRows.count
        guard let odds = digest as? [[Double]] else { return }
        for (index, part) in odds.enumerated() where index < logOdds.count {
            logOdds[index] += part.filter(\.isFinite)
        }
    }

    /// Learns each export's share of the list's rows and matches under it from now on.
    public func prepare() throws {
        for (index, reference) in match.indexes.enumerated() where index < logOdds.count {
            let share = Training.customerShare(logOdds: logOdds[index], rows: rows, share: reference.customerShare)
            reference.setCustomerShare(share)
            customerShares[reference.path] = share
        }
        logOdds = []
    }

    /// Matches the batch's rows (see ``MatchStage/process(_:)``).
    public func process(_ batch: inout RecordBatch) throws {
        try match.process(&batch)
    }
}
