import Foundation
import GRDB
import ListWash
import ListWashCore
import ListWashMatch
import ListWashNormalize

/// The lead ledger in the run history: every lead a successful nightly run asked the CRM to
/// create (by its ListWash id, with the person's normalized fields), and every response it
/// loaded or attached. It is written in the transaction that marks the run `succeeded`, so a
/// killed or failed run leaves no ledger rows.
///
/// Leads not yet confirmed are *pending*: the next run matches its rows against them as
/// against the CRM's leads (the CRM export is a day behind), and a lead is confirmed, with its
/// CRM id, once the leads export shows its ListWash id in an external-id column.
///
/// ```swift
/// let pending = try history.pendingLeads(since: cutoff, except: [:], for: model) // in a run
/// try history.commit(runID: id, ..., ledger: source) // the run's commit
/// try history.responses(person: "bob@acme.com")      // listwash history --person
/// ```
public enum Ledger {
    /// The tables, as first created (``confirmationSchema`` has since moved the CRM ids out of
    /// `ledger_lead`).
    static let schema = """
        CREATE TABLE ledger_lead (
            id TEXT PRIMARY KEY,
            run_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            source TEXT NOT NULL,
            row INTEGER NOT NULL,
            list TEXT NOT NULL,
            campaign TEXT NOT NULL,
            response_date TEXT NOT NULL,
            first_name TEXT NOT NULL,
            last_name TEXT NOT NULL,
            email TEXT NOT NULL,
            phone TEXT NOT NULL,
            company TEXT NOT NULL,
            zip TEXT NOT NULL,
            state TEXT NOT NULL,
            owner TEXT NOT NULL,
            queue TEXT NOT NULL,
            crm_id TEXT,
            confirmed_run TEXT
        );
        CREATE TABLE ledger_response (
            run_id TEXT NOT NULL,
            source TEXT NOT NULL,
            row INTEGER NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            list TEXT NOT NULL,
            campaign TEXT NOT NULL,
            response_date TEXT NOT NULL,
            email TEXT NOT NULL,
            owner TEXT NOT NULL
        );
        """

    /// The pending leads' match values, a segment (``PendingLeads``, up to ``segmentSize``
    /// leads) per part of each run's creates, and the indexes that find pending and confirmed
    /// leads by creation time without reading the whole ledger.
    static let segmentSchema = """
        CREATE TABLE ledger_segment (
            run_id TEXT NOT NULL,
            part INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            leads INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (run_id, part)
        );
        CREATE INDEX ledger_segment_created ON ledger_segment (created_at, run_id, part);
        CREATE INDEX ledger_lead_pending ON ledger_lead (created_at, id) WHERE crm_id IS NULL;
        CREATE INDEX ledger_lead_confirmed ON ledger_lead (created_at, id) WHERE crm_id IS NOT NULL;
        """

    /// The confirmed leads' CRM ids, in a table of their own: confirming a lead inserts a row
    /// into this small table rather than rewriting the lead's row in the large one (and moving
    /// it between two indexes). The confirmed leads of a ledger from before it move here, and
    /// every lead is then found by creation time by one index.
    static let confirmationSchema = """
        CREATE TABLE ledger_confirmation (
            id TEXT PRIMARY KEY,
            crm_id TEXT NOT NULL,
            confirmed_run TEXT NOT NULL
        );
        INSERT INTO ledger_confirmation (id, crm_id, confirmed_run)
            SELECT id, crm_id, COALESCE(confirmed_run, '') FROM ledger_lead WHERE crm_id IS NOT NULL;
        DROP INDEX ledger_lead_pending;
        DROP INDEX ledger_lead_confirmed;
        ALTER TABLE ledger_lead DROP COLUMN crm_id;
        ALTER TABLE ledger_lead DROP COLUMN confirmed_run;
        CREATE INDEX ledger_lead_created ON ledger_lead (created_at, id);
        """

    /// The condition, on a `ledger_lead` row named `l`, that no confirmation names it.
    static let isPending = "NOT EXISTS (SELECT 1 FROM ledger_confirmation c WHERE c.id = l.id)"

    /// The most leads a segment holds.
    static let segmentSize = 1 << 16

    /// The `ledger_lead` columns a created lead's row fills, in the table's order, with the
    /// output column each is read from.
    static let leadFields: [(column: String, output: String)] = [
        ("source", "listwash_source"), ("row", "listwash_row"), ("list", "listwash_list"), ("campaign", "listwash_campaign"),
        ("response_date", "listwash_response_date"), ("first_name", "listwash_first_name"), ("last_name", "listwash_last_name"),
        ("email", "listwash_email"), ("phone", "listwash_phone"), ("company", "listwash_company"), ("zip", "listwash_zip"),
        ("state", "listwash_state"), ("owner", "listwash_owner"), ("queue", "listwash_queue"),
    ]

    /// Inserts the `load` and `attach` rows of a run's output folder (CSV or JSON Lines) into the ledger:
    /// a lead per row that creates one (an id already in the ledger, from washing the same file
    /// again, keeps its first run), a response per row. Rows without a lead decision (a
    /// pipeline without a `decide` stage) are left out. The leads' match values are kept as
    /// segments (``PendingLeads``) for the runs that match against them while they are pending.
    static func record(runID: String, createdAt: String, folder: String, in db: Database) throws {
        let leadColumns = ["id", "run_id", "created_at"] + leadFields.map(\.column)
        let lead = try db.makeStatement(sql: "INSERT OR IGNORE INTO ledger_lead (\(leadColumns.joined(separator: ", "))) VALUES (\(leadColumns.map { _ in "?" }.joined(separator: ", ")))")
        let response = try db.makeStatement(sql: """
            INSERT INTO ledger_response (run_id, source, row, action, target, list, campaign, response_date, email, owner)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let segments = SegmentWriter(runID: runID, createdAt: createdAt)
        let outputs = ["listwash_action", "listwash_target_id", "listwash_external_id"] + leadFields.map(\.output) + PendingLeads.columns
        for disposition in [Disposition.load, .attach] {
            let files = OutputFormat.allCases.map { (format: $0, path: "\(folder)/\(disposition.fileName(extension: $0.rawValue))") }
            guard let (format, path) = files.first(where: { FileSystem.exists($0.path) }) else { continue }
            let reader: any RecordReader = format == .jsonl ? try JSONLinesReader(path: path) : try CSVReader(path: path)
            // A model column named by its role ("title") is the source column of that role.
            func index(_ name: String) -> Int? {
                reader.header.firstIndex(of: name)
                    ?? FieldRole(rawValue: name).flatMap { role in reader.header.firstIndex { FieldRole.recognizing($0) == role } }
            }
            let position = Dictionary(outputs.compactMap { name in index(name).map { (name, $0) } }, uniquingKeysWith: { first, _ in first })
            // A pipeline without a decide stage asks the CRM for nothing: no ledger rows.
            guard position["listwash_action"] != nil else { continue }
            let schema = Schema(source: path, columns: reader.header, roles: [:])
            while let batch = try reader.nextBatch(schema: schema, layout: OutputLayout()) {
                for row in 0..<batch.count where batch.isOpen(row) {
                    func field(_ name: String) -> String { position[name].map { batch.value(row, column: $0) } ?? "" }
                    let action = field("listwash_action"), target = field("listwash_target_id"), key = field("listwash_external_id")
                    guard !action.isEmpty else { continue }
                    let source = field("listwash_source"), rowNumber = Int(field("listwash_row")) ?? 0
                    let owner = field("listwash_owner").isEmpty ? field("listwash_queue") : field("listwash_owner")
                    if !key.isEmpty {
                        let values: [(any DatabaseValueConvertible)?] = leadFields.map { $0.column == "row" ? rowNumber as any DatabaseValueConvertible : field($0.output) }
                        try lead.execute(arguments: StatementArguments([key, runID, createdAt] + values))
                        if db.changesCount == 1 { try segments.add(id: key, owner: owner, value: field, in: db) }
                    }
                    // The lead a response belongs to: its own when it creates one, else its target.
                    let belongsTo = key.isEmpty ? (target.hasPrefix("new:") ? String(target.dropFirst(4)) : target) : key
                    try response.execute(arguments: [runID, source, rowNumber, action, belongsTo, field("listwash_list"), field("listwash_campaign"),
                                                     field("listwash_response_date"), field("listwash_email"), owner])
                }
            }
        }
        try segments.flush(in: db)
    }

    /// What ``pending(since:except:in:)`` found of the leads no export has shown yet.
    struct PendingCount {
        /// Leads created since the cutoff: to be matched.
        var matched = 0
        /// Leads created before it (perhaps never loaded): how many, and the first ids.
        var stale = 0
        var staleIDs: [String] = []
    }

    /// How many ids of stale leads a run reports by name.
    static let staleIDsShown = 100

    /// The leads no export has shown yet (nor `shown`: ListWash id → CRM id) that were created
    /// at or after `cutoff` (an ISO 8601 time), from their runs' segments (whole: a lead the
    /// export shows is marked so, not left out, so that the segments' prepared values still
    /// fit), read for `model` (see ``PendingLeads/init(decoding:createdBy:for:)``).
    static func pending(since cutoff: String, except shown: [String: String], for model: MatchModel?, in db: Database) throws -> PendingLeads {
        let confirmed = Set(try String.fetchAll(db, sql: "SELECT l.id FROM ledger_confirmation c CROSS JOIN ledger_lead l ON l.id = c.id WHERE l.created_at >= ?",
                                                arguments: [cutoff]))
        // Each segment is read straight from SQLite's copy of the blob, one after the other
        // (holding every blob at once would double the memory for a moment), into room made
        // for all the leads at once.
        var leads = PendingLeads()
        let isShown: ((String) -> Bool)? = confirmed.isEmpty && shown.isEmpty ? nil : { confirmed.contains($0) || shown[$0] != nil }
        let room = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(leads), 0) FROM ledger_segment WHERE created_at >= ?", arguments: [cutoff]) ?? 0
        let rows = try Row.fetchCursor(db, sql: "SELECT run_id, data FROM ledger_segment WHERE created_at >= ? ORDER BY created_at, run_id, part", arguments: [cutoff])
        while let row = try rows.next() {
            let run: String = row[0]
            let read: Void? = try row.withUnsafeData(atIndex: 1) { data in
                try? data.map { try $0.withUnsafeBytes { try leads.append(decoding: $0, createdBy: run, for: model, room: room, isShown: isShown) } }
            }
            guard read != nil else { throw DatabaseError(message: "the lead ledger's segment of run \(run) is damaged") }
        }
        return leads
    }

    /// How many leads no export has shown yet were created at or after `cutoff` (those
    /// ``pending(since:except:for:in:)`` reads), and how many before it: two counts of an
    /// index, read before the leads export (a ledger with nothing pending never reads it).
    static func pendingCount(since cutoff: String, in db: Database) throws -> PendingCount {
        var count = PendingCount()
        count.matched = try unconfirmedCount(createdWhere: "l.created_at >= ?", arguments: [cutoff], in: db)
        count.stale = try unconfirmedCount(createdWhere: "l.created_at < ?", arguments: [cutoff], in: db)
        guard count.stale > 0 else { return count }
        count.staleIDs = try String.fetchAll(db, sql: "SELECT l.id FROM ledger_lead l WHERE l.created_at < ? AND \(isPending) ORDER BY l.created_at, l.id LIMIT ?",
                                             arguments: [cutoff, staleIDsShown])
        return count
    }

    /// How many of the leads `shown` names (ListWash id → CRM id) were created at or after
    /// `cutoff` and are still pending: those the export shows among the leads counted as
    /// matched.
    static func recentCount(of shown: [String: String], since cutoff: String, in db: Database) throws -> Int {
        let isRecent = try db.makeStatement(sql: "SELECT 1 FROM ledger_lead l WHERE l.id = ? AND l.created_at >= ? AND \(isPending)")
        var recent = 0
        for key in shown.keys where try Bool.fetchOne(isRecent, arguments: [key, cutoff]) != nil { recent += 1 }
        return recent
    }

    /// How many leads (`ledger_lead l`) matching `condition` no export has shown yet: those
    /// created less those confirmed (every confirmation names a lead of the ledger), each
    /// counted from an index, rather than a lookup of every lead in the confirmations.
    static func unconfirmedCount(createdWhere condition: String = "1", arguments: StatementArguments = [], in db: Database) throws -> Int {
        let created = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger_lead l WHERE \(condition)", arguments: arguments) ?? 0
        // CROSS JOIN: a lookup of each confirmation's lead, not of each lead's confirmation.
        let confirmed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger_confirmation c CROSS JOIN ledger_lead l ON l.id = c.id WHERE \(condition)",
                                         arguments: arguments) ?? 0
        return created - confirmed
    }

    /// The folded headers of a leads export's column that holds ListWash ids (the external-id
    /// field the leads were loaded with).
    static let externalIDHeaders = ["listwashid", "listwashidc", "listwashexternalid", "listwashkey", "listwashkeyc"]

    /// The ListWash ids a leads export shows, with their CRM ids: read from its external-id
    /// column (``externalIDHeaders``, or `column` when the pipeline names it); empty when it
    /// has none.
    static func confirmations(leadsExport path: String, idColumn: String?, log: DiagnosticLog?) throws -> [String: String] {
        let reader = try CSVReader(path: path, log: log)
        let folded = reader.header.map(FieldRole.foldHeader)
        guard let external = externalIDHeaders.lazy.compactMap({ folded.firstIndex(of: $0) }).first else { return [:] }
        let idSpellings = idColumn.map { [FieldRole.foldHeader($0)] } ?? ["id", "leadid", "recordid", "personid"]
        guard let id = idSpellings.lazy.compactMap({ folded.firstIndex(of: $0) }).first else { return [:] }
        var found: [String: String] = [:]
        let schema = Schema(source: path, columns: reader.header, roles: [:])
        while let batch = try reader.nextBatch(schema: schema, layout: OutputLayout()) {
            for row in 0..<batch.count where batch.isOpen(row) {
                let key = batch.value(row, column: external)
                if key.hasPrefix("LW") { found[key] = batch.value(row, column: id) }
            }
        }
        return found
    }

    /// Records the CRM ids of pending leads the export shows; returns how many were confirmed.
    static func confirm(_ found: [String: String], runID: String, in db: Database) throws -> Int {
        let statement = try db.makeStatement(sql: "INSERT OR IGNORE INTO ledger_confirmation (id, crm_id, confirmed_run) SELECT id, ?, ? FROM ledger_lead WHERE id = ?")
        var confirmed = 0
        // In id order: the id indexes' pages are read (and the confirmations' written) once each, in order.
        for (key, crmID) in found.sorted(by: { $0.key < $1.key }) {
            try statement.execute(arguments: [crmID, runID, key])
            confirmed += db.changesCount
        }
        return confirmed
    }

    /// One response of a person, as the ledger holds it.
    public struct Response: Sendable, Equatable {
        /// The run, the source file and its row.
        public var runID, source: String, row: Int
        /// The list, campaign and response date.
        public var list, campaign, responseDate: String
        /// What the run asked the CRM to do, and with which record.
        public var action, target: String
        /// The person's email and owner.
        public var email, owner: String
    }

    /// Every response of the person with `query`: an email (any case) or a lead's id (ListWash
    /// or CRM), with every response to the same lead; oldest first.
    static func responses(person query: String, in db: Database) throws -> [Response] {
        let email = query.lowercased()
        var targets = Set(try String.fetchAll(db, sql: "SELECT DISTINCT target FROM ledger_response WHERE email = ?", arguments: [email]))
        targets.insert(query)
        if let key = try String.fetchOne(db, sql: "SELECT id FROM ledger_confirmation WHERE crm_id = ?", arguments: [query]) { targets.insert(key) }
        let marks = targets.map { _ in "?" }.joined(separator: ", ")
        let arguments = StatementArguments([email] + Array(targets))
        return try Row.fetchAll(db, sql: """
            SELECT r.run_id, r.source, r.row, r.list, r.campaign, r.response_date, r.action, r.target, r.email, r.owner
            FROM ledger_response r JOIN run ON run.id = r.run_id
            WHERE r.email = ? OR r.target IN (\(marks)) ORDER BY run.started_at, r.source, r.row
            """, arguments: arguments).map { row in
            Response(runID: row["run_id"], source: row["source"], row: row["row"], list: row["list"], campaign: row["campaign"],
                     responseDate: row["response_date"], action: row["action"], target: row["target"], email: row["email"], owner: row["owner"])
        }
    }
}

/// The ledger's pending leads for one run, read from their segments (``PendingLeads``: values
/// normalized when the leads were created) by the match stage (``PendingLeadSource``: on
/// another thread while it reads the CRM exports), in memory.
///
/// First the leads the CRM's leads export now shows (by their ListWash id in an external-id
/// column) are confirmed. Of the others, only those created within the last `pending_days` are
/// matched (the export lags a day or two); older ones were probably never loaded: the run
/// reports them and no longer attaches responses to them.
struct LedgerPendingLeads {
    /// Where the match stage reads the leads to match (`nil` when nothing is pending).
    let source: PendingLeadSource?
    /// What the run reports of them, before the match stage finds some by their fields.
    private let found: RunReport.PendingLeads?

    /// The pending leads the leads export shows by their ListWash id (ListWash id → CRM id),
    /// confirmed in the run's commit.
    let shown: [String: String]

    /// Finds what the leads export shows and counts the leads still pending.
    init(history: HistoryStore, configuration: PipelineConfiguration, now: Date, log: DiagnosticLog?) throws {
        let days = configuration.inbox?.pendingDays ?? 3
        let cutoff = Timestamp.iso8601(now.addingTimeInterval(-Double(days) * 86_400))
        var count = try history.pendingLeadCount(since: cutoff)
        guard count.matched + count.stale > 0 else {
            (source, found, shown) = (nil, nil, [:])
            return
        }
        var shown: [String: String] = [:]
        if let leads = configuration.leads {
            shown = try history.pendingAmong(try Ledger.confirmations(leadsExport: leads.path, idColumn: leads.idColumn, log: log))
            count.matched -= try history.recentCount(of: shown, since: cutoff)
        }
        self.shown = shown
        source = count.matched == 0 ? nil : PendingLeadSource { [shown] model in try history.pendingLeads(since: cutoff, except: shown, for: model) }
        found = RunReport.PendingLeads(pending: count.matched, confirmed: shown.count, days: days, notLoadedCount: count.stale, notLoaded: count.staleIDs)
    }

    /// Prepares `configuration` to match the pending leads, and `matches` to collect those the
    /// export shows (by id already; by fields once the match stage has set up).
    func apply(to configuration: inout PipelineConfiguration, matches: PendingLeadMatches) {
        configuration.pendingLeads = source
        configuration.pendingLeadMatches = matches
        for (key, crmID) in shown { matches.add(key, crmID: crmID) }
    }

    /// What the run reports, once `matches` holds every pending lead the export shows.
    func summary(_ matches: PendingLeadMatches) -> RunReport.PendingLeads? {
        found.map { found in
            var summary = found
            let byFields = matches.confirmed.count - shown.count
            summary.pending -= byFields
            summary.confirmed += byFields
            return summary
        }
    }
}

/// A run by hand (no inbox) that shares a run history's lead ledger (`history:` in the pipeline,
/// or `--ledger FILE`): it matches its rows against the leads earlier runs created, as a
/// nightly run does, and records its own creates and responses, so that a list washed on Monday
/// and another on Tuesday do not both create the same person.
///
/// The outputs are committed first (the folder swap), then the ledger, in one transaction; when
/// the ledger cannot be written the run stops with status 74 and says that the outputs are in
/// place but not recorded.
public struct LedgerRun {
    /// The pipeline (no inbox; an output folder, not a single file).
    public let configuration: PipelineConfiguration
    /// The run history whose ledger is shared.
    public let historyPath: String
    /// The clock (fixed in tests).
    public var now: @Sendable () -> Date = { Date() }

    /// A run of `configuration` sharing the ledger of the history at `historyPath`.
    public init(configuration: PipelineConfiguration, historyPath: String) {
        self.configuration = configuration
        self.historyPath = historyPath
    }

    /// Runs the pipeline, then records it in the ledger. `prepare` sets up the runner further
    /// (observers, extra outputs); `progress` is called as input is read.
    ///
    /// - Throws: ``ListWashError`` for what stops any run; ``NightlyError`` (`.history`, 74)
    ///   when the history cannot be used.
    public func run(log: DiagnosticLog = DiagnosticLog(), progress: ((String, Int) -> Void)? = nil, prepare: (inout Runner) -> Void = { _ in }) throws -> RunReport {
        guard configuration.outputFile == nil else {
            throw ListWashError(.usage, "the lead ledger records the load and attach files of an output folder: name a folder with --out, not a file")
        }
        do {
            try FileSystem.createDirectory(FileSystem.folder(of: historyPath))
        } catch {
            throw NightlyError(.history, "cannot create the folder of the run history \(historyPath): \(error)", at: SourceLocation(file: historyPath))
        }
        let history = try HistoryStore(path: historyPath)
        let started = now()
        let runID = RunID.make(at: started, files: [], root: configuration.outputFolder, taken: try history.runIDs())
        let pending = try LedgerPendingLeads(history: history, configuration: configuration, now: started, log: log)
        let matches = PendingLeadMatches()
        var runConfiguration = configuration
        pending.apply(to: &runConfiguration, matches: matches)
        var runner = Runner(configuration: runConfiguration, log: log)
        prepare(&runner)
        runner.completeReport = { $0.pendingLeads = pending.summary(matches) }
        let report = try runner.run(progress: progress)
        let newRun = HistoryStore.NewRun(id: runID, name: configuration.name, pipeline: configuration.file,
                                         startedAt: Timestamp.iso8601(started), outputFolder: configuration.outputFolder)
        let inputs = RunInput.processed(by: report)
        do {
            try history.beginRun(newRun, inputs: inputs)
            try history.recordResults(runID: runID, inputs: inputs, reasons: [], histogram: [])
            try history.commit(runID: runID, seconds: report.seconds, at: now(), createdAt: newRun.startedAt, folder: configuration.outputFolder,
                               confirming: matches.confirmed)
        } catch let error as NightlyError {
            throw NightlyError(.history, "\(error.diagnostic.message); the outputs are in \(configuration.outputFolder), but the lead ledger does not record them: a later run may create these leads again",
                               at: error.diagnostic.location)
        }
        return report
    }
}

/// Gathers one run's new leads into segments of ``Ledger/segmentSize`` leads (``PendingLeads``)
/// and inserts each into `ledger_segment` once full, and the last with ``flush(in:)``.
private final class SegmentWriter {
    private let runID, createdAt: String
    private var segment = PendingLeads()
    private var part = 0

    init(runID: String, createdAt: String) {
        self.runID = runID
        self.createdAt = createdAt
    }

    /// Adds a lead, with `value(column)` its value of each of ``PendingLeads/columns``.
    func add(id: String, owner: String, value: (String) -> String, in db: Database) throws {
        segment.add(id: id, owner: owner, createdBy: runID, value: value)
        if segment.count >= Ledger.segmentSize { try flush(in: db) }
    }

    /// Inserts the leads gathered since the last segment.
    func flush(in db: Database) throws {
        guard !segment.isEmpty else { return }
        try db.execute(sql: "INSERT INTO ledger_segment (run_id, part, created_at, leads, data) VALUES (?, ?, ?, ?, ?)",
                       arguments: [runID, part, createdAt, segment.count, Data(segment.encoded())])
        part += 1
        segment = PendingLeads()
    }
}

extension Ledger {
    /// Writes segments for the pending leads of a ledger from before segments existed: their
    /// stored fields (normalized when they were created) normalized again into the columns a
    /// match model reads. Run once, by the migration that adds segments (before the one that
    /// moves the CRM ids out of the leads' rows, see ``confirmationSchema``).
    static func segmentOlderLeads(in db: Database) throws {
        let older = try Row.fetchAll(db, sql: """
            SELECT id, run_id, created_at, first_name, last_name, email, phone, company, zip, state, owner, queue
            FROM ledger_lead WHERE crm_id IS NULL ORDER BY created_at, run_id, id
            """)
        guard !older.isEmpty else { return }
        let header = ["First Name", "Last Name", "Email", "Phone", "Company", "Zip", "State"]
        let schema = try ColumnMapping().resolve(header: header, source: "the lead ledger")
        let normalize = NormalizeStage()
        let layout = Pipeline([normalize]).layout
        var rows: [[String]] = [], leads: [(id: String, owner: String)] = []
        var writer: (run: String, segments: SegmentWriter)?
        func normalizeGathered() throws {
            guard let (_, segments) = writer, !rows.isEmpty else { return }
            var batch = RecordBatch(schema: schema, layout: layout, rows: rows)
            try normalize.process(&batch)
            for (row, lead) in leads.enumerated() {
                try segments.add(id: lead.id, owner: lead.owner, value: { name in layout.column(name).map { batch[row, $0] } ?? "" }, in: db)
            }
            (rows, leads) = ([], [])
        }
        for lead in older {
            let run: String = lead["run_id"]
            if writer?.run != run {
                try normalizeGathered()
                try writer?.segments.flush(in: db)
                writer = (run, SegmentWriter(runID: run, createdAt: lead["created_at"]))
            }
            rows.append(["first_name", "last_name", "email", "phone", "company", "zip", "state"].map { lead[$0] })
            let owner: String = lead["owner"], queue: String = lead["queue"]
            leads.append((lead["id"], owner.isEmpty ? queue : owner))
            if rows.count == 4_096 { try normalizeGathered() }
        }
        try normalizeGathered()
        try writer?.segments.flush(in: db)
    }
}
