import Foundation
import GRDB
import ListWash
import ListWashMatch

/// The run history: an SQLite database (through GRDB) beside the outputs, recording every run,
/// its input files with their SHA-256, counts per disposition and reason per file and list,
/// the match-score histogram, time taken and exit status.
///
/// A run is written in three steps, each one transaction: ``beginRun(_:inputs:status:)`` (status
/// `running`), ``recordResults(runID:inputs:reasons:histogram:lists:)`` (status `committing`,
/// its outputs complete in their hidden folder) and ``finish(runID:status:exitStatus:message:seconds:at:)``,
/// whose `succeeded` is the run's commit point: only `succeeded` runs count as having processed
/// their files, and the output folder is moved into place after it (see ``NightlyRun``).
///
/// The history belongs to one output root: ``identity()`` is written when a nightly run first
/// uses it (see ``HistoryIdentity``), and it records the suppression lists each run applied.
public final class HistoryStore: Sendable {
    /// The database file.
    public let path: String
    private let queue: DatabaseQueue

    /// The database's file name in the output root, unless the pipeline names another.
    public static let defaultFileName = "listwash-history.sqlite"

    /// How long a write waits for another connection (`listwash history`, a backup) that holds
    /// the database, retrying, before it fails: 60 seconds.
    public static let defaultBusyTimeout: Double = 60

    /// Opens (and creates or upgrades) the history at `path`.
    ///
    /// - Parameter busyTimeout: seconds a read or write waits, retrying, while another
    ///   connection holds the database.
    /// - Throws: ``NightlyError`` (`.history`) when it is not a ListWash history or cannot be opened.
    public init(path: String, busyTimeout: Double = HistoryStore.defaultBusyTimeout) throws {
        self.path = path
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(busyTimeout)
            configuration.label = "listwash-history"
            // The ledger's ids are random: a page cache of 64 MiB keeps its index in memory while
            // a run's leads are inserted (the default 2 MiB rereads it from disk for every row).
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -65536") }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(queue)
        } catch {
            throw Self.failure(error, path: path, doing: "open")
        }
    }

    /// Opens an existing history read-only-in-spirit: it must exist.
    ///
    /// - Throws: ``NightlyError`` (`.history`) when there is no database at `path`.
    public static func existing(path: String) throws -> HistoryStore {
        guard FileSystem.exists(path) else {
            throw NightlyError(.history, "no run history at \(path): no nightly run has written one yet (or name it with --history FILE)", at: SourceLocation(file: path))
        }
        return try HistoryStore(path: path)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    pipeline TEXT,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    status TEXT NOT NULL,
                    exit_status INTEGER,
                    message TEXT,
                    seconds REAL,
                    output_folder TEXT,
                    pid INTEGER
                );
                CREATE TABLE run_input (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    path TEXT NOT NULL,
                    sha256 TEXT,
                    bytes INTEGER NOT NULL,
                    list TEXT NOT NULL,
                    processed INTEGER NOT NULL,
                    note TEXT,
                    rows_in INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (run_id, position)
                );
                CREATE INDEX run_input_sha256 ON run_input(sha256);
                CREATE TABLE run_count (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    disposition TEXT NOT NULL,
                    rows INTEGER NOT NULL,
                    PRIMARY KEY (run_id, position, disposition)
                );
                CREATE TABLE run_reason (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    list TEXT NOT NULL,
                    disposition TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    rows INTEGER NOT NULL
                );
                CREATE INDEX run_reason_run ON run_reason(run_id);
                CREATE TABLE run_score (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    bin INTEGER NOT NULL,
                    rows INTEGER NOT NULL,
                    PRIMARY KEY (run_id, bin)
                );
                """)
        }
        // Which output root the history belongs to (one row, written by the first nightly run).
        migrator.registerMigration("output-root-identity") { db in
            try db.execute(sql: """
                CREATE TABLE history_identity (
                    id TEXT PRIMARY KEY NOT NULL,
                    output_root TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                """)
        }
        // The suppression lists each run applied.
        migrator.registerMigration("applied-lists") { db in
            try db.execute(sql: """
                CREATE TABLE run_list (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    path TEXT NOT NULL,
                    folder TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    entries INTEGER NOT NULL,
                    named INTEGER NOT NULL,
                    PRIMARY KEY (run_id, position)
                );
                """)
        }
        // The lead ledger: leads created and responses loaded or attached (see ``Ledger``).
        migrator.registerMigration("ledger") { db in
            try db.execute(sql: Ledger.schema)
        }
        // The pending leads' match values, kept so later runs need not normalize them again.
        migrator.registerMigration("ledger-segments") { db in
            try db.execute(sql: Ledger.segmentSchema)
            try Ledger.segmentOlderLeads(in: db)
        }
        // The confirmed leads' CRM ids in a table of their own, so that confirming one is cheap.
        migrator.registerMigration("ledger-confirmations") { db in
            try db.execute(sql: Ledger.confirmationSchema)
        }
        return migrator
    }

    // MARK: Writing a run

    /// A run about to start.
    public struct NewRun: Sendable {
        /// Its id.
        public var id: String
        /// The pipeline's name.
        public var name: String
        /// The pipeline file.
        public var pipeline: String?
        /// When it started.
        public var startedAt: String
        /// Its final output folder.
        public var outputFolder: String?

        /// A new run.
        public init(id: String, name: String, pipeline: String?, startedAt: String, outputFolder: String?) {
            self.id = id
            self.name = name
            self.pipeline = pipeline
            self.startedAt = startedAt
            self.outputFolder = outputFolder
        }
    }

    /// Records a run as `running` (or `status`), with its input files.
    public func beginRun(_ run: NewRun, inputs: [RunInput], status: RunStatus = .running) throws {
        try write("record the start of run \(run.id)") { db in
            try db.execute(sql: "INSERT INTO run (id, name, pipeline, started_at, status, output_folder, pid) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [run.id, run.name, run.pipeline, run.startedAt, status.rawValue, run.outputFolder, Int(getpid())])
            for (position, input) in inputs.enumerated() {
                try db.execute(sql: "INSERT INTO run_input (run_id, position, path, sha256, bytes, list, processed, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: [run.id, position, input.path, input.sha256, input.bytes, input.list, input.processed, input.note])
            }
        }
    }

    /// Records what a run produced and marks it `committing`: its outputs are complete in their
    /// hidden folder. `inputs` are in the order given to ``beginRun(_:inputs:status:)``; `lists`
    /// are the suppression lists it applied.
    public func recordResults(runID: String, inputs: [RunInput], reasons: [ReasonCount], histogram: [Int], lists: [RunReport.AppliedList] = []) throws {
        try write("record the results of run \(runID)") { db in
            for (position, list) in lists.enumerated() {
                try db.execute(sql: "INSERT INTO run_list (run_id, position, name, path, folder, sha256, entries, named) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: [runID, position, list.name, list.path, list.folder, list.sha256, list.entries, list.named])
            }
            for (position, input) in inputs.enumerated() {
                try db.execute(sql: "UPDATE run_input SET sha256 = ?, rows_in = ?, note = ? WHERE run_id = ? AND position = ?",
                               arguments: [input.sha256, input.rowsIn, input.note, runID, position])
                for (disposition, rows) in input.rowsOut where rows > 0 {
                    try db.execute(sql: "INSERT INTO run_count (run_id, position, disposition, rows) VALUES (?, ?, ?, ?)",
                                   arguments: [runID, position, disposition.rawValue, rows])
                }
            }
            for reason in reasons {
                try db.execute(sql: "INSERT INTO run_reason (run_id, list, disposition, reason, rows) VALUES (?, ?, ?, ?, ?)",
                               arguments: [runID, reason.list, reason.disposition.rawValue, reason.reason, reason.rows])
            }
            for (bin, rows) in histogram.enumerated() where rows > 0 {
                try db.execute(sql: "INSERT INTO run_score (run_id, bin, rows) VALUES (?, ?, ?)", arguments: [runID, bin, rows])
            }
            try db.execute(sql: "UPDATE run SET status = ? WHERE id = ?", arguments: [RunStatus.committing.rawValue, runID])
        }
    }

    /// Marks a run finished: `succeeded`, `failed`, `interrupted` or `nothing-new`.
    public func finish(runID: String, status: RunStatus, exitStatus: Int?, message: String?, seconds: Double?, at date: Date = Date()) throws {
        try write("record the end of run \(runID)") { db in
            try db.execute(sql: "UPDATE run SET status = ?, exit_status = ?, message = ?, seconds = COALESCE(?, seconds), finished_at = ? WHERE id = ?",
                           arguments: [status.rawValue, exitStatus, message, seconds, Timestamp.iso8601(date), runID])
        }
    }

    /// Commits a run: confirms the pending leads the CRM export showed (`confirming`: ListWash
    /// id → CRM id), inserts its `load` and `attach` rows (in `folder`)
    /// into the lead ledger and marks it `succeeded`, in one transaction: a run is in the ledger
    /// exactly when it succeeded.
    public func commit(runID: String, seconds: Double?, at date: Date = Date(), createdAt: String, folder: String, message: String? = nil,
                       confirming confirmed: [String: String] = [:]) throws {
        try write("commit run \(runID)") { db in
            _ = try Ledger.confirm(confirmed, runID: runID, in: db)
            try Ledger.record(runID: runID, createdAt: createdAt, folder: folder, in: db)
            try db.execute(sql: "UPDATE run SET status = ?, exit_status = 0, message = ?, seconds = COALESCE(?, seconds), finished_at = ? WHERE id = ?",
                           arguments: [RunStatus.succeeded.rawValue, message, seconds, Timestamp.iso8601(date), runID])
        }
    }

    /// The unconfirmed leads created at or after `cutoff`, except `shown`, ready for matching
    /// (``Ledger/pending(since:except:for:in:)``, read for `model`).
    func pendingLeads(since cutoff: String, except shown: [String: String], for model: MatchModel? = nil) throws -> PendingLeads {
        try read { db in
            // The segments span thousands of overflow pages: read through a memory map rather
            // than a read call each, unmapped once read.
            try db.execute(sql: "PRAGMA mmap_size = \(Self.segmentMapSize)")
            defer { try? db.execute(sql: "PRAGMA mmap_size = 0") }
            return try Ledger.pending(since: cutoff, except: shown, for: model, in: db)
        }
    }

    /// How much of the database the segments are read through a memory map from (SQLite's
    /// own limit, 2 GB, applies).
    private static let segmentMapSize = 1 << 32

    /// How many of those leads there are, and how many older ones (``Ledger/pendingCount(since:in:)``).
    func pendingLeadCount(since cutoff: String) throws -> Ledger.PendingCount {
        try read { db in try Ledger.pendingCount(since: cutoff, in: db) }
    }

    /// How many of the leads `shown` names are among those counted as matched (``Ledger/recentCount(of:since:in:)``).
    func recentCount(of shown: [String: String], since cutoff: String) throws -> Int {
        guard !shown.isEmpty else { return 0 }
        return try read { db in try Ledger.recentCount(of: shown, since: cutoff, in: db) }
    }

    /// The entries of `found` (ListWash id → CRM id) whose lead is still pending.
    func pendingAmong(_ found: [String: String]) throws -> [String: String] {
        guard !found.isEmpty else { return [:] }
        return try read { db in
            var pending: [String: String] = [:]
            let statement = try db.makeStatement(sql: "SELECT 1 FROM ledger_lead l WHERE l.id = ? AND \(Ledger.isPending)")
            for (key, crmID) in found where try Bool.fetchOne(statement, arguments: [key]) != nil { pending[key] = crmID }
            return pending
        }
    }

    /// How many leads earlier runs created that no CRM export has shown yet.
    public func pendingLeadCount() throws -> Int {
        try read { db in try Ledger.unconfirmedCount(in: db) }
    }

    /// Every response the ledger holds of the person with `query` (an email, or a lead's
    /// ListWash or CRM id), oldest first.
    public func responses(person query: String) throws -> [Ledger.Response] {
        try read { db in try Ledger.responses(person: query, in: db) }
    }

    /// Adds a note to an input of a run (where it was moved, ...).
    public func note(runID: String, position: Int, _ note: String) throws {
        try write("record what became of an input of run \(runID)") { db in
            try db.execute(sql: "UPDATE run_input SET note = CASE WHEN note IS NULL OR note = '' THEN ? ELSE note || '; ' || ? END WHERE run_id = ? AND position = ?",
                           arguments: [note, note, runID, position])
        }
    }

    // MARK: The output root's identity

    /// The output root this history belongs to, once a nightly run has written it.
    public func identity() throws -> HistoryIdentity? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, output_root, created_at FROM history_identity LIMIT 1"),
                  let id = row["id"] as String?, let root = row["output_root"] as String? else { return nil }
            return HistoryIdentity(id: id, outputRoot: root, createdAt: row["created_at"] ?? "")
        }
    }

    /// Records the output root this history belongs to (replacing what was recorded).
    public func setIdentity(_ identity: HistoryIdentity) throws {
        try write("record the output root of") { db in
            try db.execute(sql: "DELETE FROM history_identity")
            try db.execute(sql: "INSERT INTO history_identity (id, output_root, created_at) VALUES (?, ?, ?)",
                           arguments: [identity.id, identity.outputRoot, identity.createdAt])
        }
    }

    /// The ids of every run recorded, whatever its status.
    public func runIDs() throws -> Set<String> {
        try read { db in Set(try String.fetchAll(db, sql: "SELECT id FROM run")) }
    }

    // MARK: Reading

    /// The suppression lists of the newest successful run of pipeline `name` that processed
    /// files, with that run's id; `nil` when there is none.
    public func lastAppliedLists(pipeline name: String) throws -> (runID: String, lists: [RunReport.AppliedList])? {
        try read { db in
            guard let runID = try String.fetchOne(db, sql: """
                SELECT id FROM run WHERE name = ? AND status = 'succeeded' AND output_folder IS NOT NULL
                ORDER BY started_at DESC, rowid DESC LIMIT 1
                """, arguments: [name]) else { return nil }
            let lists = try Row.fetchAll(db, sql: "SELECT * FROM run_list WHERE run_id = ? ORDER BY position", arguments: [runID]).map { row in
                RunReport.AppliedList(name: row["name"] ?? "", path: row["path"] ?? "", folder: row["folder"] ?? "", sha256: row["sha256"] ?? "",
                                      entries: row["entries"] ?? 0, named: (row["named"] as Int?) == 1)
            }
            return (runID, lists)
        }
    }

    /// A successful run that processed content with this SHA-256, and the path it had then.
    public func processed(sha256: String) throws -> (runID: String, path: String, at: String)? {
        try read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT i.run_id, i.path, COALESCE(r.finished_at, r.started_at) AS at FROM run_input i JOIN run r ON r.id = i.run_id
                WHERE i.sha256 = ? AND i.processed = 1 AND r.status = 'succeeded' ORDER BY r.started_at DESC LIMIT 1
                """, arguments: [sha256])
            guard let row, let runID = row["run_id"] as String?, let path = row["path"] as String? else { return nil }
            return (runID, path, (row["at"] as String?) ?? "")
        }
    }

    /// The sizes of every file successful runs processed: content of another size cannot have
    /// been processed, so its hash can wait.
    public func processedSizes() throws -> Set<Int> {
        try read { db in
            Set(try Int.fetchAll(db, sql: "SELECT DISTINCT i.bytes FROM run_input i JOIN run r ON r.id = i.run_id WHERE i.processed = 1 AND r.status = 'succeeded'"))
        }
    }

    /// Runs left `running` or `committing`.
    public func unfinishedRuns() throws -> [RunSummary] {
        try summaries(where: "r.status IN ('running', 'committing')", limit: nil)
    }

    /// The latest runs, newest first.
    public func runs(limit: Int? = nil) throws -> [RunSummary] {
        try summaries(where: "1", limit: limit)
    }

    /// The run with this id, or the only one whose id starts with it; `last` is the newest run
    /// that did something (runs that found nothing new are passed over).
    ///
    /// - Throws: ``ListWashError`` (`.usage`) when no run or several runs match.
    public func run(matching query: String) throws -> RunDetail {
        let all = try runs()
        let found: RunSummary?
        if query == "last" || query == "latest" {
            found = all.first { $0.status != .nothingNew } ?? all.first
        } else if let exact = all.first(where: { $0.id == query }) {
            found = exact
        } else {
            let matches = all.filter { $0.id.hasPrefix(query) }
            if matches.count > 1 {
                throw ListWashError(.usage, "'\(query)' matches \(matches.count) runs (\(matches.prefix(3).map(\.id).joined(separator: ", "))...); give more of the run id")
            }
            found = matches.first
        }
        guard let summary = found else {
            var message = "no run '\(query)' in \(path)"
            if let near = all.min(by: { editDistance($0.id, query) < editDistance($1.id, query) }), editDistance(near.id, query) <= 4 {
                message += ". Did you mean '\(near.id)'?"
            } else if let newest = all.first {
                message += "; the newest is \(newest.id) (see listwash history)"
            } else {
                message += "; the history has no runs yet"
            }
            throw ListWashError(.usage, message)
        }
        return try detail(summary)
    }

    /// The vendor scorecard: every list's totals over successful runs, worst invalid share first.
    public func scorecard() throws -> [ListScore] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT i.list AS list, COUNT(DISTINCT i.run_id) AS runs, COUNT(*) AS files, SUM(i.rows_in) AS rows,
                       SUM((SELECT COALESCE(SUM(c.rows), 0) FROM run_count c WHERE c.run_id = i.run_id AND c.position = i.position AND c.disposition = 'rejected')) AS rejected,
                       SUM((SELECT COALESCE(SUM(c.rows), 0) FROM run_count c WHERE c.run_id = i.run_id AND c.position = i.position AND c.disposition = 'duplicate')) AS duplicate,
                       SUM((SELECT COALESCE(SUM(c.rows), 0) FROM run_count c WHERE c.run_id = i.run_id AND c.position = i.position AND c.disposition = 'suppressed')) AS suppressed,
                       SUM((SELECT COALESCE(SUM(c.rows), 0) FROM run_count c WHERE c.run_id = i.run_id AND c.position = i.position AND c.disposition = 'load')) AS loaded,
                       MAX(r.started_at) AS last_seen
                FROM run_input i JOIN run r ON r.id = i.run_id
                WHERE i.processed = 1 AND r.status IN ('succeeded', 'committing')
                GROUP BY i.list
                """)
            return rows.map { row in
                ListScore(list: row["list"] ?? "", runs: row["runs"] ?? 0, files: row["files"] ?? 0, rows: row["rows"] ?? 0,
                          rejected: row["rejected"] ?? 0, duplicate: row["duplicate"] ?? 0, suppressed: row["suppressed"] ?? 0,
                          loaded: row["loaded"] ?? 0, lastSeen: row["last_seen"] ?? "")
            }.sorted { ($0.share($0.rejected), $1.list) > ($1.share($1.rejected), $0.list) }
        }
    }

    private func summaries(where condition: String, limit: Int?) throws -> [RunSummary] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT r.*,
                    (SELECT COUNT(*) FROM run_input i WHERE i.run_id = r.id AND i.processed = 1) AS files,
                    (SELECT COUNT(*) FROM run_input i WHERE i.run_id = r.id AND i.processed = 0) AS skipped,
                    (SELECT COALESCE(SUM(i.rows_in), 0) FROM run_input i WHERE i.run_id = r.id) AS rows_in
                FROM run r WHERE \(condition) ORDER BY r.started_at DESC, r.rowid DESC \(limit.map { "LIMIT \($0)" } ?? "")
                """)
            let counts = try Row.fetchAll(db, sql: "SELECT run_id, disposition, SUM(rows) AS rows FROM run_count GROUP BY run_id, disposition")
            var byRun: [String: [Disposition: Int]] = [:]
            for row in counts {
                guard let id = row["run_id"] as String?, let name = row["disposition"] as String?, let disposition = Disposition(rawValue: name) else { continue }
                byRun[id, default: [:]][disposition] = row["rows"] ?? 0
            }
            return rows.compactMap { row -> RunSummary? in
                guard let id = row["id"] as String? else { return nil }
                return RunSummary(
                    id: id, name: row["name"] ?? "", pipeline: row["pipeline"], startedAt: row["started_at"] ?? "",
                    finishedAt: row["finished_at"], status: RunStatus(rawValue: row["status"] ?? "") ?? .interrupted,
                    exitStatus: row["exit_status"], message: row["message"], seconds: row["seconds"],
                    outputFolder: row["output_folder"], files: row["files"] ?? 0, skipped: row["skipped"] ?? 0,
                    rowsIn: row["rows_in"] ?? 0, rowsOut: byRun[id] ?? [:])
            }
        }
    }

    private func detail(_ summary: RunSummary) throws -> RunDetail {
        try read { db in
            let inputRows = try Row.fetchAll(db, sql: "SELECT * FROM run_input WHERE run_id = ? ORDER BY position", arguments: [summary.id])
            var counts: [Int: [Disposition: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT position, disposition, rows FROM run_count WHERE run_id = ?", arguments: [summary.id]) {
                guard let position = row["position"] as Int?, let disposition = Disposition(rawValue: row["disposition"] ?? "") else { continue }
                counts[position, default: [:]][disposition] = row["rows"] ?? 0
            }
            let inputs = inputRows.map { row in
                RunInput(path: row["path"] ?? "", sha256: row["sha256"], bytes: row["bytes"] ?? 0, list: row["list"] ?? "",
                         processed: (row["processed"] as Int?) == 1, note: row["note"], rowsIn: row["rows_in"] ?? 0,
                         rowsOut: counts[row["position"] ?? -1] ?? [:])
            }
            let reasons = try Row.fetchAll(db, sql: "SELECT list, disposition, reason, rows FROM run_reason WHERE run_id = ? ORDER BY rows DESC, reason", arguments: [summary.id]).compactMap { row -> ReasonCount? in
                guard let disposition = Disposition(rawValue: row["disposition"] ?? "") else { return nil }
                return ReasonCount(list: row["list"] ?? "", disposition: disposition, reason: row["reason"] ?? "", rows: row["rows"] ?? 0)
            }
            var histogram = [Int](repeating: 0, count: MatchScoreHistogram.binCount)
            for row in try Row.fetchAll(db, sql: "SELECT bin, rows FROM run_score WHERE run_id = ?", arguments: [summary.id]) {
                if let bin = row["bin"] as Int?, histogram.indices.contains(bin) { histogram[bin] = row["rows"] ?? 0 }
            }
            return RunDetail(summary: summary, inputs: inputs, reasons: reasons, histogram: histogram)
        }
    }

    // MARK: Plumbing

    private func write(_ what: String, _ body: (Database) throws -> Void) throws {
        do {
            try queue.write { db in try body(db) }
        } catch {
            throw Self.failure(error, path: path, doing: what)
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read { db in try body(db) }
        } catch let error as ListWashError {
            throw error
        } catch {
            throw Self.failure(error, path: path, doing: "read")
        }
    }

    private static func failure(_ error: any Error, path: String, doing what: String) -> NightlyError {
        let detail = (error as? DatabaseError)?.message ?? "\(error)"
        return NightlyError(.history, "cannot \(what) the run history \(path): \(detail). If another program holds it (a backup, sqlite3), run again once it is done; if the file is damaged, restore it from a backup (a new, empty history is refused while the output root holds runs: see the runbook)", at: SourceLocation(file: path))
    }
}
