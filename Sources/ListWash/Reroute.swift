import ListWashCore
import ListWashRoute

/// Applies new rules to the outputs of earlier runs, retroactively: re-scores and re-routes every
/// row that was to reach the CRM (`load` and `attach`), and says who lost and who gained it.
///
/// Each input is an output folder of a run (its `load.csv` and `attach.csv` are read) or a CSV
/// file written by ListWash (its `listwash_*` columns hold the normalized values the rules read).
/// Rows go through the rules in input order, so team turns are the same on every run.
///
/// ```swift
/// let rules = try RulesFile.load(path: "pipelines/rules-2027.yaml")
/// let summary = try Reroute(rules: rules).run(inputs: ["out/2026-11-20"], out: "out/reroute")
/// print(summary.moves) // [(from: "ana@example.com", to: "bo@example.com", count: 12), ...]
/// ```
/// Writes `rerouted.csv` (every row, with the new values) and `changes.csv` (one line per row
/// whose owner or queue changed: source, row, old and new owner and queue, the deciding rule).
public struct Reroute {
    /// What a reroute did.
    public struct Summary: Sendable, Equatable {
        /// Rows read.
        public var rows = 0
        /// Rows scored and routed again (the others were not routed: duplicates, review, ...).
        public var rerouted = 0
        /// Rows whose owner or queue changed.
        public var changed = 0
        /// Moves from one owner (or queue) to another, most first.
        public var moves: [Move] = []
        /// The files written.
        public var files: [String] = []
    }

    /// Rows that went from one owner (or `queue NAME`) to another.
    public struct Move: Sendable, Equatable {
        /// The old owner, `queue NAME`, or `(none)`.
        public var from: String
        /// The new owner or queue.
        public var to: String
        /// How many rows.
        public var count: Int
    }

    /// The new rules.
    public let rules: LeadRules

    /// A reroute by `rules`.
    public init(rules: LeadRules) {
        self.rules = rules
    }

    /// The columns the rules fill.
    private var filled: [String] {
        (rules.scoring == nil ? [] : [RouteColumns.score, RouteColumns.grade, RouteColumns.scoreReasons])
            + (rules.routing == nil ? [] : [RouteColumns.owner, RouteColumns.queue, RouteColumns.routeRule])
    }

    /// The CSV files behind `input`: a run's `load.csv` and `attach.csv`, or the file itself.
    ///
    /// - Throws: ``ListWashError`` (`.input`) for a path that does not exist or a folder with
    ///   neither file.
    public static func files(of input: String) throws -> [String] {
        guard FileSystem.exists(input) else {
            throw ListWashError(.input, "cannot open \(input): no such file or folder", at: SourceLocation(file: input))
        }
        guard FileSystem.isDirectory(input) else { return [input] }
        let files = [Disposition.load, .attach].map { "\(input)/\($0.fileName())" }.filter(FileSystem.exists)
        guard !files.isEmpty else {
            throw ListWashError(.input, "\(input) holds no load.csv or attach.csv: name the output folder of a run or a CSV file ListWash wrote", at: SourceLocation(file: input))
        }
        return files
    }

    /// Reroutes every row of `inputs` into the folder `out`.
    ///
    /// - Throws: ``ListWashError``: `.input` for an unreadable input or one without `listwash_*`
    ///   columns, `.output` when `out` cannot be written, `.usage` for an orphan record.
    public func run(inputs: [String], out: String) throws -> Summary {
        let paths = try inputs.flatMap(Self.files(of:))
        var readers: [CSVReader] = []
        for path in paths {
            let reader = try CSVReader(path: path)
            guard reader.header.contains(where: { $0.hasPrefix("listwash_") }) else {
                throw ListWashError(.input, "\(path) has no listwash_ columns: reroute reads files ListWash wrote (the outputs of a run)", at: SourceLocation(file: path, line: 1))
            }
            readers.append(reader)
        }
        var header: [String] = []
        for reader in readers {
            for name in reader.header where !header.contains(name) && !filled.contains(name) { header.append(name) }
        }
        header += filled
        try FileSystem.createDirectory(out)
        let rerouted = try CSVTableWriter(path: "\(out)/.rerouted.csv.partial", header: header)
        let changes = try CSVTableWriter(path: "\(out)/.changes.csv.partial", header: [
            "listwash_source", "listwash_row", "file", "old_owner", "new_owner", "old_queue", "new_queue", "listwash_route_rule",
        ])
        let stages: [any Stage] = (rules.scoring.map { [ScoreStage(rules: $0)] } ?? []) + (rules.routing == nil ? [] : [RouteStage(rules: rules, followsLeads: true)])
        var summary = Summary()
        var moves: [String: [String: Int]] = [:]
        for reader in readers {
            let schema = try ColumnMapping().resolve(header: reader.header, source: reader.path)
            let carried = reader.header.enumerated().filter { $0.element.hasPrefix("listwash_") && !OutputLayout.standard.contains($0.element) }
            let layout = OutputLayout(adding: carried.map(\.element) + filled)
            let positions = carried.map { (source: $0.offset, column: layout.column($0.element)) }
            let outputColumns = header.map { name in layout.column(name).flatMap { filled.contains(name) ? $0 : nil } }
            let sourceColumns = header.map { reader.header.firstIndex(of: $0) }
            let column = { (name: String) in reader.header.firstIndex(of: name) }
            let (dispositionColumn, sourceColumn, rowColumn) = (column("listwash_disposition"), column("listwash_source"), column("listwash_row"))
            let (ownerColumn, queueColumn) = (column(RouteColumns.owner), column(RouteColumns.queue))
            while var batch = try reader.nextBatch(schema: schema, layout: layout) {
                for row in 0..<batch.count {
                    // A line the reader could not split passes through as it was read.
                    if batch.dispositions[row] != nil { continue }
                    for (source, target) in positions {
                        if let target { batch[row, target] = batch.value(row, column: source) }
                    }
                    if let dispositionColumn, let disposition = Disposition(rawValue: batch.value(row, column: dispositionColumn)),
                       disposition != .load, disposition != .attach {
                        batch.settle(row, as: disposition, reason: "")
                    }
                }
                for stage in stages { try stage.process(&batch) }
                for row in 0..<batch.count {
                    summary.rows += 1
                    let routed = batch.dispositions[row] == nil
                    let fields = header.indices.map { index -> String in
                        if routed, let target = outputColumns[index] { return batch[row, target] }
                        return sourceColumns[index].map { batch.value(row, column: $0) } ?? ""
                    }
                    try rerouted.write(fields)
                    guard routed, rules.routing != nil else { continue }
                    summary.rerouted += 1
                    let field = { (index: Int?) in index.map { batch.value(row, column: $0) } ?? "" }
                    let (oldOwner, oldQueue) = (field(ownerColumn), field(queueColumn))
                    let newOwner = batch.layout.column(RouteColumns.owner).map { batch[row, $0] } ?? ""
                    let newQueue = batch.layout.column(RouteColumns.queue).map { batch[row, $0] } ?? ""
                    guard oldOwner != newOwner || oldQueue != newQueue else { continue }
                    summary.changed += 1
                    let rule = batch.layout.column(RouteColumns.routeRule).map { batch[row, $0] } ?? ""
                    try changes.write([field(sourceColumn), rowColumn.map { batch.value(row, column: $0) } ?? String(batch.rows[row]),
                                       reader.path, oldOwner, newOwner, oldQueue, newQueue, rule])
                    moves[Self.label(oldOwner, oldQueue), default: [:]][Self.label(newOwner, newQueue), default: 0] += 1
                }
            }
        }
        try rerouted.finish()
        try changes.finish()
        try FileSystem.rename("\(out)/.rerouted.csv.partial", to: "\(out)/rerouted.csv")
        try FileSystem.rename("\(out)/.changes.csv.partial", to: "\(out)/changes.csv")
        summary.files = ["\(out)/rerouted.csv", "\(out)/changes.csv"]
        summary.moves = moves.flatMap { from, targets in targets.map { Move(from: from, to: $0.key, count: $0.value) } }
            .sorted { ($0.count, $1.from, $1.to) > ($1.count, $0.from, $0.to) }
        return summary
    }

    /// An owner, else `queue NAME`, else `(none)`.
    static func label(_ owner: String, _ queue: String) -> String {
        !owner.isEmpty ? owner : !queue.isEmpty ? "queue \(queue)" : "(none)"
    }
}
