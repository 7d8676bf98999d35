import Foundation
import ListWashCore
import ListWashMatch

/// A pipeline run in pieces by several processes, which hand batches to one another as lines of
/// text (the Spark job, `spark/listwash_spark.py`, moves the lines between `listwash stream`
/// processes on its executors):
///
/// 1. ``split(file:name:index:write:)`` reads one input file (as `listwash run` reads it:
///    rejected lines settled with their reason) and writes its header line, then its batches;
/// 2. ``wash(from:through:sources:lines:write:)`` runs stages that look at one record at a time
///    (normalize, validate) over any share of the batches, in any order;
/// 3. ``finish(from:sources:lines:)`` runs the rest (dedupe and the stages after it) over every
///    batch, given in input order, and writes the output folder as `listwash run` does.
///
/// A batch line is `SOURCE<TAB>FIRST_ROW<TAB>BASE64`: the source's position in the run, the
/// batch's first row number in it, and the batch (``BatchTransfer``). A header line is a JSON
/// object `{"source": PATH, "index": N, "columns": [...]}`.
public struct BatchStream {
    /// The pipeline, with the command line's overrides.
    public let configuration: PipelineConfiguration
    /// Where warnings go.
    public let log: DiagnosticLog

    /// A stream over `configuration`'s stages, its warnings going to `log`.
    public init(configuration: PipelineConfiguration, log: DiagnosticLog = DiagnosticLog()) {
        self.configuration = configuration
        self.log = log
    }

    /// One input's header, as ``split(file:name:index:write:)`` writes it first.
    public struct Source: Codable, Sendable, Equatable {
        /// The input's path as the run names it (`listwash_source`).
        public var source: String
        /// Its position among the run's inputs.
        public var index: Int
        /// Its header.
        public var columns: [String]

        /// A header of input `index` at `source`.
        public init(source: String, index: Int, columns: [String]) {
            self.source = source
            self.index = index
            self.columns = columns
        }
    }

    /// The pipeline's stages in order, how many of the first ones can run on any share of the
    /// batches (they look at one record at a time and need no other batch), and its inputs' paths
    /// (as `listwash run` names them): a JSON object `{"distributed": N, "inputs": [...], "stages": [...]}`.
    public func plan() throws -> String {
        let stages = try definitions()
        let distributed = stages.prefix(while: \.runsAnywhere).count
        let object: [String: Any] = ["stages": stages.map(\.name), "distributed": distributed, "inputs": configuration.inputs.map(\.path)]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads `file` as the input named `name` (its `listwash_source`), at position `index` among
    /// the run's inputs (whose options it reads with: format, delimiter, header, list), and writes
    /// its header line, then one line per batch, no stage run.
    ///
    /// - Throws: ``ListWashError`` for what `listwash run` would stop on while reading.
    public func split(file: String, name: String, index: Int, write: (String) throws -> Void) throws {
        var local = configuration
        local.inputs = [configuration.input(at: index, path: file)]
        let runner = Runner(configuration: local, log: log)
        let pipeline = try build(try definitions())
        guard let opened = try runner.openSources(required: runner.requiredRoles(of: pipeline)).first else { return }
        var named = Schema(source: name, columns: opened.schema.columns, roles: opened.schema.roles, mapping: opened.schema.mapping)
        named.list = opened.schema.list
        try write(try Self.headerLine(Source(source: name, index: index, columns: opened.reader.header)))
        let layout = pipeline.layout
        while let batch = try opened.reader.nextBatch(schema: named, layout: layout) {
            try write(Self.line(source: index, batch: batch))
        }
    }

    /// Runs the stages from `first` through `last` (names of the pipeline's stages, all of them
    /// able to run on any share of the batches) over each batch line `lines` gives, writing each
    /// batch's line after them.
    ///
    /// - Throws: ``ListWashError`` (`.usage`) when a stage named is not in the pipeline or
    ///   needs every batch (dedupe, decide) or batches in order; (`.input`) for a damaged line.
    public func wash(from first: String, through last: String, sources: [Source], lines: () -> String?, write: (String) throws -> Void) throws {
        let definitions = try definitions()
        let start = try position(of: first, in: definitions), end = try position(of: last, in: definitions)
        guard start <= end else {
            throw ListWashError(.usage, "the '\(last)' stage comes before the '\(first)' stage in the pipeline")
        }
        if let stage = definitions[start...end].first(where: { !$0.runsAnywhere }) {
            throw ListWashError(.usage, "the '\(stage.name)' stage needs every batch, in order: run it in the last piece (--from STAGE --out DIR)")
        }
        let pipeline = try build(definitions)
        let stages = Array(pipeline.stages[start...end])
        for stage in stages { try (stage as? any SetUpStage)?.setUp() }
        let schemas = try self.schemas(of: sources, pipeline: pipeline)
        let washing = Pipeline(stages), layout = pipeline.layout
        while let line = lines() {
            guard !line.isEmpty else { continue }
            let (source, schema, bytes) = try parse(line, schemas: schemas)
            var batch = try BatchTransfer.decode(bytes, schema: schema, layout: layout)
            try washing.process(&batch)
            try write(Self.line(source: source, batch: batch))
        }
    }

    /// Runs the pipeline from the stage named `first` over the batch lines `lines` gives (every
    /// batch of every source, sorted by source and first row) and writes the output folder and
    /// report.json as `listwash run` does.
    ///
    /// - Throws: ``ListWashError`` as `listwash run` does; (`.input`) for a damaged line or one out
    ///   of order.
    /// With `assigned`, the dedupe stage takes those clusters instead of finding them (see
    /// ``clusterAssignment(clusters:statistics:sources:)``).
    public func finish(from first: String, sources: [Source], lines: @escaping () -> String?, assigned: ClusterAssignment? = nil) throws -> RunReport {
        var runner = Runner(configuration: configuration, log: log)
        runner.stagesDone = try position(of: first, in: try definitions())
        if let assigned {
            runner.prepareStages = { pipeline in
                for case let dedupe as DedupeStage in pipeline.stages { dedupe.assigned = assigned }
            }
        }
        let feed = LineFeed(lines: lines)
        runner.readers = sources.sorted { $0.index < $1.index }.map { BatchLineReader(source: $0, feed: feed) }
        return try runner.run()
    }

    func definitions() throws -> [any StageDefinition] {
        try StageCatalog.definitions(of: configuration)
    }

    /// The pipeline's stages, built once for this process.
    func build(_ definitions: [any StageDefinition]) throws -> Pipeline {
        try StageCatalog.build(definitions, in: RunContext(log: log))
    }

    func position(of name: String, in definitions: [any StageDefinition]) throws -> Int {
        guard let index = definitions.firstIndex(where: { $0.name == name }) else {
            throw ListWashError(.usage, "the pipeline has no '\(name)' stage; its stages: \(definitions.map(\.name).joined(separator: ", "))")
        }
        return index
    }

    func schemas(of sources: [Source], pipeline: Pipeline) throws -> [Int: Schema] {
        let runner = Runner(configuration: configuration, log: log)
        let required = runner.requiredRoles(of: pipeline)
        var schemas: [Int: Schema] = [:]
        for source in sources {
            schemas[source.index] = try runner.schema(header: source.columns, path: source.source,
                                                      input: configuration.input(at: source.index, path: source.source), required: required)
        }
        return schemas
    }

    func parse(_ line: String, schemas: [Int: Schema]) throws -> (Int, Schema, [UInt8]) {
        guard let parsed = Self.parse(line), let schema = schemas[parsed.source] else {
            throw ListWashError(.input, "not a batch line of a known source: \(line.prefix(40))…")
        }
        return (parsed.source, schema, parsed.bytes)
    }

    /// The header line of `source`.
    public static func headerLine(_ source: Source) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(source), as: UTF8.self)
    }

    /// The headers of a file of header lines (one JSON object a line, as ``split(file:name:index:write:)`` writes first).
    ///
    /// - Throws: ``ListWashError`` (`.usage`) when the file cannot be read or a line is not a header.
    public static func sources(inFile path: String) throws -> [Source] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ListWashError(.usage, "cannot read the headers file \(path)", at: SourceLocation(file: path))
        }
        return try text.split(separator: "\n").enumerated().map { number, line in
            guard let source = try? JSONDecoder().decode(Source.self, from: Data(line.utf8)) else {
                throw ListWashError(.usage, "not a header line", at: SourceLocation(file: path, line: number + 1))
            }
            return source
        }
    }

    /// The line of `batch`, of the source at position `source`.
    static func line(source: Int, batch: RecordBatch) -> String {
        "\(source)\t\(batch.rows.first ?? 0)\t\(Data(BatchTransfer.encode(batch)).base64EncodedString())"
    }

    /// A batch line's source position, first row and batch bytes, or `nil` when it is not one.
    static func parse(_ line: String) -> (source: Int, firstRow: Int, bytes: [UInt8])? {
        let parts = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let source = Int(parts[0]), let firstRow = Int(parts[1]),
              let data = Data(base64Encoded: String(parts[2])) else { return nil }
        return (source, firstRow, [UInt8](data))
    }
}

extension PipelineConfiguration {
    /// The run's input at position `index` (its format, reading options and list name), at `path`
    /// (a copy of it, or the path it is named by); an input with default options when there is none.
    func input(at index: Int, path: String) -> Input {
        var input = inputs.indices.contains(index) ? inputs[index] : Input(path: path)
        input.path = path
        return input
    }
}

/// Lines read one at a time, with a look at the next one (shared by the readers of every source).
final class LineFeed {
    private let lines: () -> String?
    private var peeked: String??

    init(lines: @escaping () -> String?) {
        self.lines = lines
    }

    /// The next non-empty line without taking it.
    func peek() -> String? {
        if let peeked { return peeked }
        var line = lines()
        while line?.isEmpty == true { line = lines() }
        peeked = .some(line)
        return line
    }

    /// Takes the line ``peek()`` showed.
    func take() {
        peeked = nil
    }
}

/// The batches of one source from a stream of batch lines sorted by source and first row: it
/// reads while the lines are its source's, so that the readers of a run, read one after the
/// other, share one stream.
final class BatchLineReader: RecordReader {
    let path: String
    let header: [String]
    private(set) var recordsRead = 0
    private(set) var bytesRead = 0
    private let index: Int
    private let feed: LineFeed
    private var lastRow = 0

    init(source: BatchStream.Source, feed: LineFeed) {
        path = source.source
        header = source.columns
        index = source.index
        self.feed = feed
    }

    func nextBatch(schema: Schema, layout: OutputLayout) throws -> RecordBatch? {
        guard let line = feed.peek() else { return nil }
        guard let parsed = BatchStream.parse(line) else {
            throw ListWashError(.input, "not a batch line: \(line.prefix(40))…", at: SourceLocation(file: path))
        }
        if parsed.source > index { return nil }
        guard parsed.source == index, parsed.firstRow > lastRow else {
            throw ListWashError(.input, "batch lines out of order: source \(parsed.source) row \(parsed.firstRow) after source \(index) row \(lastRow)", at: SourceLocation(file: path))
        }
        feed.take()
        let batch = try BatchTransfer.decode(parsed.bytes, schema: schema, layout: layout)
        lastRow = batch.rows.last ?? parsed.firstRow
        recordsRead += batch.count
        bytesRead += line.utf8.count
        return batch
    }
}
