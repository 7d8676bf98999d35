import Foundation
import ListWashCore
import ListWashMatch
import ListWashNormalize

/// Dedupe in pieces, for the Spark job's executors (see ``BlockScoring`` and Docs/spark.md), over
/// the washed batch lines of ``BatchStream``:
///
/// 1. ``estimate(from:sources:lines:)`` (one process, every batch in input order): the list's
///    statistics (``ListStatistics``), written to a file the executors are given;
/// 2. ``keys(from:sources:lines:write:)`` (any share of the batches): a key line per record and
///    blocking rule, `RULE:KEY<TAB>SOURCE<TAB>ROW<TAB>FEATURES` (the record's feature row, base64);
/// 3. ``scoreBlocks(statistics:lines:write:)`` (key lines grouped by key): a pair line per pair at
///    or above the review threshold, `SOURCE<TAB>ROW<TAB>SOURCE<TAB>ROW<TAB>PROBABILITY` (the
///    earlier row first);
/// 4. ``clusterComponents(statistics:lines:write:)`` (component lines grouped by component:
///    `COMPONENT<TAB>R<TAB>SOURCE<TAB>ROW<TAB>FEATURES` and
///    `COMPONENT<TAB>P<TAB>SOURCE<TAB>ROW<TAB>SOURCE<TAB>ROW<TAB>PROBABILITY`): cluster lines,
///    `C<TAB>SOURCE<TAB>ROW<TAB>FIRST_SOURCE<TAB>FIRST_ROW<TAB>SCORE` for each row of a cluster of
///    several, `P<TAB>` and a pair for each pair a guard kept apart, `J<TAB>N` pairs joined;
/// 5. ``clusterAssignment(clusters:statistics:sources:)`` reads those lines and the pairs below the
///    match threshold (as `P` lines) for ``finish(from:sources:lines:assigned:)``.
///
/// Sources are named by their position in the run, as in batch lines.
extension BatchStream {
    /// The pipeline, built once, and its dedupe stage, which must be the stage named `first`
    /// (the first not run yet).
    private func dedupePipeline(at first: String) throws -> (pipeline: Pipeline, dedupe: DedupeStage) {
        let definitions = try definitions()
        let pipeline = try build(definitions)
        guard let dedupe = pipeline.stages[try position(of: first, in: definitions)] as? DedupeStage else {
            throw ListWashError(.usage, "sharded dedupe starts at the dedupe stage: name it with --from")
        }
        guard dedupe.decisions.isEmpty else {
            throw ListWashError(.usage, "sharded dedupe does not apply a reviewer's answers (review_decisions) yet: run dedupe on one machine")
        }
        return (pipeline, dedupe)
    }

    /// Decodes each batch line `lines` gives (batches of `pipeline`'s layout) and calls `body`
    /// with its source position and batch.
    private func forEachBatch(of pipeline: Pipeline, sources: [Source], lines: () -> String?, _ body: (Int, RecordBatch) throws -> Void) throws {
        let schemas = try self.schemas(of: sources, pipeline: pipeline), layout = pipeline.layout
        while let line = lines() {
            guard !line.isEmpty else { continue }
            let (source, schema, bytes) = try parse(line, schemas: schemas)
            try body(source, try BatchTransfer.decode(bytes, schema: schema, layout: layout))
        }
    }

    /// The list's statistics (JSON) from every washed batch, given in input order, as the
    /// dedupe stage named `first` would estimate them.
    public func estimate(from first: String, sources: [Source], lines: () -> String?) throws -> String {
        let (pipeline, dedupe) = try dedupePipeline(at: first)
        var features = FeatureSet(model: dedupe.model)
        let names = NameNormalizer()
        try forEachBatch(of: pipeline, sources: sources, lines: lines) { _, batch in features.add(batch, names: names) }
        let statistics = ListStatistics(features, deduplicator: Deduplicator(model: dedupe.model))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(statistics), as: UTF8.self)
    }

    /// The statistics ``estimate(from:sources:lines:)`` wrote to `path`.
    ///
    /// - Throws: ``ListWashError`` (`.usage`) when the file cannot be read or is not statistics.
    public static func statistics(inFile path: String) throws -> ListStatistics {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ListWashError(.usage, "cannot read the statistics file \(path)", at: SourceLocation(file: path))
        }
        do { return try JSONDecoder().decode(ListStatistics.self, from: data) } catch {
            throw ListWashError(.usage, "not a statistics file (listwash stream --estimate writes one): \(error)", at: SourceLocation(file: path))
        }
    }

    /// Writes a key line for each open record of each washed batch and each blocking rule of the
    /// dedupe stage named `first` that gives it a key.
    public func keys(from first: String, sources: [Source], lines: () -> String?, write: (String) throws -> Void) throws {
        let (pipeline, dedupe) = try dedupePipeline(at: first)
        let model = dedupe.model, names = NameNormalizer()
        try forEachBatch(of: pipeline, sources: sources, lines: lines) { source, batch in
            var set = FeatureSet(model: model)
            set.add(batch, names: names)
            let open = (0..<batch.count).filter { batch.isOpen($0) }
            var encoded: [Int: String] = [:]
            for (record, rule, key) in BlockScoring.keys(of: set, model: model) {
                let features = encoded[record] ?? Data(FeatureRows.encode(set, record: record)).base64EncodedString()
                encoded[record] = features
                try write("\(rule):\(String(key, radix: 16))\t\(source)\t\(batch.rows[open[record]])\t\(features)")
            }
        }
    }

    /// Scores each block of the key lines `lines` gives (the lines of one key one after another)
    /// and writes a pair line for each pair at or above the review threshold. Blocks are scored
    /// together, about ``blockChunk`` rows at a time.
    public static func scoreBlocks(statistics: ListStatistics, lines: () -> String?, write: (String) throws -> Void) throws {
        let scoring = BlockScoring(statistics: statistics)
        var chunk: [(rule: Int, rows: [(source: Int, row: Int, features: [UInt8])])] = []
        var size = 0
        func score() throws {
            var rows: [Position: [UInt8]] = [:]
            for block in chunk { for row in block.rows { rows[Position(source: row.source, row: row.row)] = row.features } }
            let ordered = rows.keys.sorted { ($0.source, $0.row) < ($1.source, $1.row) }
            let index = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, $0) })
            let blocks = chunk.map { block in (rule: block.rule, members: block.rows.compactMap { index[Position(source: $0.source, row: $0.row)] }) }
            for (left, right, probability) in try scoring.scoreBlocks(ordered.compactMap { rows[$0] }, blocks: blocks) {
                try write("\(ordered[left].source)\t\(ordered[left].row)\t\(ordered[right].source)\t\(ordered[right].row)\t\(probability)")
            }
            chunk = []
            size = 0
        }
        try forEachGroup(lines) { key, fields in
            guard let rule = key.split(separator: ":").first.flatMap({ Int($0) }) else { throw ListWashError(.input, "not a key line: \(key)") }
            // A key only one row has makes no pair.
            guard fields.count > 1 else { return }
            let rows = try records(fields)
            chunk.append((rule, rows))
            size += rows.count
            if size >= blockChunk { try score() }
        }
        try score()
    }

    /// About how many rows (counted once per block) ``scoreBlocks(statistics:lines:write:)``
    /// scores at a time.
    static let blockChunk = 50_000

    /// Clusters each component of the component lines `lines` gives (the lines of one component
    /// one after another) and writes its cluster lines. Components are clustered together, about
    /// ``blockChunk`` rows at a time (clustering never joins two components).
    public static func clusterComponents(statistics: ListStatistics, lines: () -> String?, write: (String) throws -> Void) throws {
        let scoring = BlockScoring(statistics: statistics)
        var rows: [(source: Int, row: Int, features: [UInt8])] = []
        var pairs: [[String]] = []
        func cluster() throws {
            rows.sort { ($0.source, $0.row) < ($1.source, $1.row) }
            var positions: [Position: Int] = [:]
            for (index, row) in rows.enumerated() { positions[Position(source: row.source, row: row.row)] = index }
            let scored = try pairs.map { fields in
                guard fields.count == 5, let left = Position(fields[0], fields[1]).flatMap({ positions[$0] }),
                      let right = Position(fields[2], fields[3]).flatMap({ positions[$0] }), let probability = Double(fields[4]) else {
                    throw ListWashError(.input, "not a pair line of its component: \(fields.joined(separator: " "))")
                }
                return (left: left, right: right, probability: probability)
            }
            let clusters = try scoring.clusterComponent(rows.map(\.features), pairs: scored)
            for (index, row) in rows.enumerated() where clusters.score[index] > 0 {
                let first = rows[clusters.cluster[index]]
                try write("C\t\(row.source)\t\(row.row)\t\(first.source)\t\(first.row)\t\(clusters.score[index])")
            }
            for (left, right, probability) in clusters.guarded {
                try write("P\t\(rows[left].source)\t\(rows[left].row)\t\(rows[right].source)\t\(rows[right].row)\t\(probability)")
            }
            if !rows.isEmpty { try write("J\t\(clusters.joins)\t\(clusters.guarded.count)") }
            rows = []
            pairs = []
        }
        try forEachGroup(lines) { _, fields in
            rows += try records(fields.filter { $0.first == "R" }.map { Array($0.dropFirst()) })
            pairs += fields.filter { $0.first == "P" }.map { Array($0.dropFirst()) }
            if rows.count >= blockChunk { try cluster() }
        }
        try cluster()
    }

    /// The clusters of the cluster lines in the file at `clusters` (and pair lines below the
    /// match threshold, as `P` lines), its sources named by `sources`' paths.
    ///
    /// - Throws: ``ListWashError`` (`.usage`) when the file cannot be read, (`.input`) for a line
    ///   that is none of those.
    public static func clusterAssignment(clusters path: String, statistics: ListStatistics, sources: [Source]) throws -> ClusterAssignment {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ListWashError(.usage, "cannot read the clusters file \(path)", at: SourceLocation(file: path))
        }
        let paths = Dictionary(sources.map { ($0.index, $0.source) }, uniquingKeysWith: { first, _ in first })
        func row(_ source: Substring, _ row: Substring) -> ClusterAssignment.Row? {
            guard let index = Int(source), let path = paths[index], let number = Int(row) else { return nil }
            return ClusterAssignment.Row(source: path, row: number)
        }
        var assignment = ClusterAssignment(statistics: statistics)
        for (number, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            switch (fields.first, fields.count) {
            case ("C", 6):
                if let member = row(fields[1], fields[2]), let first = row(fields[3], fields[4]), let score = Double(fields[5]) {
                    assignment.clusters[member] = (first, score)
                    continue
                }
            case ("P", 6):
                if let left = row(fields[1], fields[2]), let right = row(fields[3], fields[4]), let probability = Double(fields[5]) {
                    assignment.possible.append((left, right, probability))
                    continue
                }
            case ("J", 3):
                if let joins = Int(fields[1]), let guarded = Int(fields[2]) {
                    assignment.joins += joins
                    assignment.guardedJoins += guarded
                    continue
                }
            default: break
            }
            throw ListWashError(.input, "not a cluster line", at: SourceLocation(file: path, line: number + 1))
        }
        return assignment
    }

    /// A row by its source's position and row number.
    private struct Position: Hashable {
        var source: Int, row: Int

        init(source: Int, row: Int) {
            self.source = source
            self.row = row
        }

        init?(_ source: String, _ row: String) {
            guard let source = Int(source), let row = Int(row) else { return nil }
            self.init(source: source, row: row)
        }
    }

    /// Rows `SOURCE, ROW, FEATURES` (fields), sorted into input order, one per row.
    private static func records(_ fields: [[String]]) throws -> [(source: Int, row: Int, features: [UInt8])] {
        var rows: [(source: Int, row: Int, features: [UInt8])] = []
        for field in fields {
            guard field.count == 3, let position = Position(field[0], field[1]), let data = Data(base64Encoded: field[2]) else {
                throw ListWashError(.input, "not a row with its features: \(field.joined(separator: " ").prefix(60))…")
            }
            rows.append((position.source, position.row, [UInt8](data)))
        }
        rows.sort { ($0.source, $0.row) < ($1.source, $1.row) }
        var seen = Set<Position>()
        return rows.filter { seen.insert(Position(source: $0.source, row: $0.row)).inserted }
    }

    /// Calls `body` with each run of lines with one first field: the field, and the other
    /// fields of each line.
    private static func forEachGroup(_ lines: () -> String?, _ body: (String, [[String]]) throws -> Void) throws {
        var key: String?
        var group: [[String]] = []
        while let line = lines() {
            guard !line.isEmpty else { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields[0] != key {
                if let key { try body(key, group) }
                key = fields[0]
                group = []
            }
            group.append(Array(fields.dropFirst()))
        }
        if let key { try body(key, group) }
    }
}
