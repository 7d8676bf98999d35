import Foundation
import ListWashCore
import ListWashDecide
import ListWashMatch

/// What the command line overrides in a pipeline file, so one file serves many lists.
public struct RunOverrides: Sendable {
    /// Input files (replace the file's inputs).
    public var inputs: [String] = []
    /// Contacts export.
    public var contacts: String?
    /// Leads export.
    public var leads: String?
    /// Accounts export.
    public var accounts: String?
    /// Suppression-list folder.
    public var suppression: String?
    /// Lead management method.
    public var method: LeadMethod?
    /// Output folder.
    public var out: String?
    /// Import profile (`--profile`), replacing the file's `output: {profile:}`.
    public var profile: ImportProfile.Name?

    /// No overrides.
    public init() {}
}

extension PipelineConfiguration {
    /// This configuration with the command line's overrides applied.
    public func applying(_ overrides: RunOverrides) -> PipelineConfiguration {
        var copy = self
        if !overrides.inputs.isEmpty { copy.inputs = overrides.inputs.map { Input(path: $0) } }
        if let path = overrides.contacts { copy.contacts = Reference(path: path, idColumn: contacts?.idColumn) }
        if let path = overrides.leads { copy.leads = Reference(path: path, idColumn: leads?.idColumn) }
        if let path = overrides.accounts { copy.accounts = Reference(path: path, idColumn: accounts?.idColumn) }
        if let folder = overrides.suppression { copy.suppressionFolder = folder }
        if let method = overrides.method { copy.method = method }
        if let out = overrides.out { copy.outputFolder = out }
        if let profile = overrides.profile, profile != copy.profile {
            copy.profile = profile
            copy.profileLocation = nil
        }
        return copy
    }
}

extension PipelineConfiguration {
    /// The pipeline `listwash dedupe` uses without a pipeline file: normalize, then dedupe with
    /// the built-in lead-list model.
    public static func builtInDedupe() throws -> PipelineConfiguration {
        var configuration = try PipelineConfiguration.parse("name: dedupe\nstages: [normalize, dedupe]", file: "built-in")
        configuration.file = nil
        return configuration
    }

    /// The match model the pipeline's match or dedupe stage describes (the built-in lead-list
    /// model when it has neither).
    public func matchModel() throws -> MatchModel {
        try StageCatalog.model(of: self)
    }

    /// Removes the first stage named in `names` and every stage after it.
    public mutating func removeStages(from names: Set<String>) {
        if let index = stages.firstIndex(where: { names.contains($0.name) }) { stages.removeSubrange(index...) }
    }

    /// This configuration with its stages cut after `stage`.
    ///
    /// - Throws: ``ListWashError`` (`.usage`) when the pipeline has no such stage.
    public func stopping(after stage: String) throws -> PipelineConfiguration {
        guard let index = stages.firstIndex(where: { $0.name == stage }) else {
            throw ListWashError(.usage, "the pipeline has no '\(stage)' stage", at: file.map { SourceLocation(file: $0) })
        }
        var copy = self
        copy.stages = Array(stages[...index])
        return copy
    }
}

/// Runs a pipeline configuration end to end: opens the inputs, streams them through the stages,
/// writes one file per disposition and `report.json`, atomically.
///
/// ```swift
/// let configuration = try PipelineConfiguration.load(path: "pipelines/acquired-list.yaml")
/// let report = try Runner(configuration: configuration).run()
/// print(report.summary)
/// ```
public struct Runner {
    /// What to run.
    public let configuration: PipelineConfiguration
    /// Where warnings go.
    public let log: DiagnosticLog
    /// Stages that watch every batch after the pipeline's own, just before it is written (the
    /// nightly run counts reasons and match scores this way). They declare no output columns
    /// and are not listed in the report.
    public var observers: [any Stage] = []

    /// Stages appended after the configuration's own (commands such as `link` add theirs).
    public let extraStages: [any Stage]

    /// Called with the suppression lists once they are read, before any row is read; an error
    /// it throws stops the run before anything is written (the nightly run refuses a run
    /// from which a list that earlier runs applied has disappeared).
    public var approveLists: (([RunReport.AppliedList]) throws -> Void)?

    /// Further files for the output folder, made from the finished report (file name and text):
    /// written beside report.json and committed with the run (a run by hand adds report.html).
    public var extraOutputs: ((RunReport) throws -> [(name: String, text: String)])?

    /// Completes the finished report before it is written (a run sharing a lead ledger adds
    /// what it found of the pending leads).
    public var completeReport: ((inout RunReport) -> Void)?

    /// Readers to take instead of opening the inputs' files, in input order, each named by the
    /// path it stands for and read with the options of the input at its position
    /// (`listwash stream`: batches other processes read and washed).
    public var readers: [any RecordReader]?

    /// How many of the pipeline's first stages already ran elsewhere (on the Spark job's
    /// executors): they are neither built nor run, but their columns stay in the output.
    public var stagesDone = 0

    /// What the run loads once for all its stages (exports, lists, rules, review answers),
    /// its warnings going to ``log``.
    public let context: RunContext

    /// Called with the pipeline once it is built, before its stages are set up (`listwash
    /// stream` hands the dedupe stage the clusters the Spark job found).
    public var prepareStages: ((Pipeline) throws -> Void)?

    /// A runner for `configuration` whose warnings go to `log`.
    public init(configuration: PipelineConfiguration, log: DiagnosticLog = DiagnosticLog(), extraStages: [any Stage] = []) {
        self.configuration = configuration
        self.log = log
        self.extraStages = extraStages
        context = RunContext(log: log)
    }

    /// Runs the pipeline.
    ///
    /// - Parameter progress: called as input is read, with the bytes read of the current file.
    /// - Throws: ``ListWashError`` with the exit status for what stopped the run; the output
    ///   folder then keeps what it had before.
    public func run(progress: ((String, Int) -> Void)? = nil) throws -> RunReport {
        let clock = ContinuousClock()
        let started = clock.now
        let startedAt = ISO8601DateFormatter().string(from: Date())
        ReadWatchdog.shared.limit = configuration.readTimeoutSeconds
        if configuration.outputFile == nil { try configuration.checkProfile() }
        let definitions = try StageCatalog.definitions(of: configuration)
        let pipeline = try Self.skipping(stagesDone, of: definitions, in: context) | Pipeline(extraStages)
        try prepareStages?(pipeline)
        warnAboutUnusedReferences(pipeline)
        let sources = try openSources(required: requiredRoles(of: pipeline))
        for stage in pipeline.stages {
            try (stage as? any SetUpStage)?.setUp()
            if let suppress = stage as? SuppressStage { warnAboutRepairedListValues(suppress.lists) }
        }
        // The buying group attaches an account's responses to the account's open lead in the CRM.
        if let match = pipeline.stages.lazy.compactMap({ $0 as? MatchStage }).first {
            for case let decide as DecideStage in pipeline.stages where decide.method == .buyingGroup { decide.accountLeads = match.openLeadsByAccount }
        }
        let appliedLists = Self.appliedLists(of: pipeline.stages)
        try approveLists?(appliedLists)
        let layout = pipeline.layout
        let columns = OutputColumns(headers: sources.map { ($0.schema.source, $0.schema.columns) })
        let destination: DispositionSink.Destination = configuration.outputFile.map { .file($0) } ?? .folder(configuration.outputFolder)
        let newFolder = configuration.outputFile == nil && !FileSystem.exists(configuration.outputFolder)
        let sink = try DispositionSink(destination, columns: columns, layout: layout, format: configuration.outputFormat, profile: configuration.importProfile)
        undoOnInterrupt(sink, removing: newFolder ? configuration.outputFolder : nil)
        defer { Interruption.shared.cancel(sink.stagingDirectory) }
        do {
            // Stages that write files of their own see every row once it is settled.
            let fileStages = configuration.outputFile == nil ? pipeline.stages.compactMap { $0 as? any FileWritingStage } : []
            let watchers: [any Stage] = fileStages.isEmpty ? [] : [WrittenBatches(stages: fileStages)]
            let counts = try RecordFlow(pipeline: Pipeline(pipeline.stages + observers + watchers)).run(sources, into: sink, progress: progress)
            for source in sources where source.reader.recordsRead == 0 && !source.schema.columns.isEmpty {
                log.warn("no records after the header", at: SourceLocation(file: source.schema.source, line: 2))
            }
            var report = makeReport(sources: sources, counts: counts, stages: definitions.map(\.name) + extraStages.map(\.name), startedAt: startedAt)
            report.outputFiles = sink.outputFiles + ["report.json"]
            report.dedupe = pipeline.stages.lazy.compactMap { ($0 as? DedupeStage)?.outcome }.first.map(Self.summary)
            report.suppressionLists = appliedLists
            report.seconds = (clock.now - started).seconds
            completeReport?(&report)
            if configuration.outputFile == nil {
                let written = try fileStages.flatMap { try $0.writeFiles(in: sink.stagingDirectory) }
                if !written.isEmpty { report.stageFiles = written }
                report.outputFiles += written.map(\.name)
                let extra = try extraOutputs?(report) ?? []
                report.outputFiles += extra.map(\.name)
                for (name, text) in extra { try FileSystem.write(text, to: sink.stagedPath(name)) }
                try FileSystem.write(try report.json(), to: sink.stagedPath("report.json"))
                try Interruption.shared.commit(sink.stagingDirectory) { try sink.commit(extraFiles: ["report.json"] + written.map(\.name) + extra.map(\.name)) }
            } else {
                report.outputFolder = ""   // one file, named as given
                report.outputFiles = [configuration.outputFile ?? ""]
                try Interruption.shared.commit(sink.stagingDirectory) { try sink.commit() }
            }
            return report
        } catch {
            sink.abandon()
            throw error
        }
    }

    /// The stages of `definitions` built in `context`, but for the first `count`, which a stage
    /// declaring their columns stands in for (so that the output keeps them, in the same place).
    static func skipping(_ count: Int, of definitions: [any StageDefinition], in context: RunContext) throws -> Pipeline {
        let built = try StageCatalog.build(Array(definitions.dropFirst(count)), in: context)
        guard count > 0 else { return built }
        let done = definitions.prefix(count)
        return Pipeline([StagesRunElsewhere(names: done.map(\.name), outputColumns: done.flatMap(\.writes))] + built.stages)
    }

    /// Registers what Ctrl-C or SIGTERM undoes until `sink` commits: its staging folder, and
    /// `folder` (the output folder this run created) when it is still empty.
    private func undoOnInterrupt(_ sink: DispositionSink, removing folder: String?) {
        let staging = sink.stagingDirectory
        let streamed = configuration.outputFile == "-"
        Interruption.shared.register(staging) { _ in
            Interruption.removeTree(staging)
            if let folder { rmdir(folder) }
            return [streamed ? "the rows written to standard output are incomplete" : "nothing was written"]
        }
    }

    /// The report's figures of a dedupe stage.
    static func summary(of outcome: DedupeResult) -> RunReport.DedupeSummary {
        var seconds: [String: Double] = [:]
        for (step, value) in outcome.timings { seconds[step, default: 0] += (value * 1000).rounded() / 1000 }
        return RunReport.DedupeSummary(
            records: outcome.cluster.count, blocking: outcome.blocking.rules, candidatePairs: outcome.blocking.totalPairs,
            joins: outcome.joins, guardedJoins: outcome.guardedJoins, prior: outcome.model.prior,
            largestCluster: outcome.largestCluster.map { RunReport.LargestCluster(label: $0.label, records: $0.records, emails: $0.emails) },
            seconds: seconds)
    }

    /// The suppression lists the suppress stages read (set up), each once, in the order they apply.
    static func appliedLists(of stages: [any Stage]) -> [RunReport.AppliedList] {
        var seen = Set<String>()
        var applied: [RunReport.AppliedList] = []
        for case let suppress as SuppressStage in stages {
            let named = !(suppress.folder?.lists.isEmpty ?? false)
            for list in suppress.lists {
                let path = FileSystem.realPath(list.path) ?? list.path
                guard seen.insert(path).inserted else { continue }
                applied.append(RunReport.AppliedList(name: list.name, path: path, folder: FileSystem.folder(of: path), sha256: list.sha256,
                                                     entries: list.entryCount, named: named))
            }
        }
        return applied
    }

    func requiredRoles(of pipeline: Pipeline) -> Set<FieldRole> {
        var roles = configuration.required
        for stage in pipeline.stages {
            if let validate = stage as? ValidateStage { roles.formUnion(validate.required) }
        }
        return roles
    }

    /// Warns once per suppression list that had values that were not valid UTF-8 (each read as
    /// Windows-1252 on its own), naming the first such line, and once per list whose values held
    /// invisible characters, naming the first such cell.
    private func warnAboutRepairedListValues(_ lists: [SuppressionList]) {
        for list in lists {
            guard let first = list.repairedLines.first else { continue }
            log.warn("\(list.repairedLines.count) line(s) of the suppression list had values that were not valid UTF-8; those values alone were read as Windows-1252. Save the list as UTF-8 to avoid this warning", at: SourceLocation(file: list.path, line: first))
        }
        for list in lists {
            guard let first = list.cleanedCells.first else { continue }
            log.warn(SuppressionList.cleanedCellsMessage(list.cleanedCells.count), at: first)
        }
    }

    private func warnAboutUnusedReferences(_ pipeline: Pipeline) {
        let names = Set(pipeline.stages.map(\.name))
        let unused = [("contacts", configuration.contacts?.path, "match"), ("leads", configuration.leads?.path, "match"),
                      ("accounts", configuration.accounts?.path, "match"), ("suppression", configuration.suppressionFolder, "suppress")]
            .filter { !(names.contains("link") && $0.2 == "match") }
        for (what, path, stage) in unused where path != nil && !names.contains(stage) {
            log.warn("\(what) (\(path ?? "")) named, but the pipeline has no '\(stage)' stage that uses it", at: configuration.file.map { SourceLocation(file: $0) })
        }
    }

    /// Expands globs, opens every input, and resolves its columns.
    func openSources(required: Set<FieldRole>) throws -> [SourceInput] {
        if let readers {
            return try readers.enumerated().map { index, reader in
                SourceInput(reader: reader, schema: try schema(header: reader.header, path: reader.path, input: configuration.input(at: index, path: reader.path), required: required))
            }
        }
        guard !configuration.inputs.isEmpty else {
            throw ListWashError(.usage, "no input: name one under inputs: in the pipeline file or with --input FILE", at: configuration.file.map { SourceLocation(file: $0) })
        }
        var sources: [SourceInput] = []
        var seen = Set<String>()
        for input in configuration.inputs {
            let paths = try Glob.expand(input.path)
            if paths.isEmpty { log.warn("no file matches \(input.path)", at: configuration.file.map { SourceLocation(file: $0) }) }
            for path in paths where seen.insert(path).inserted {
                let reader: any RecordReader
                if input.format == "jsonl" || (input.format == nil && (path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson"))) {
                    reader = try JSONLinesReader(path: path, batchSize: input.csv.batchSize)
                } else {
                    reader = try CSVReader(path: path, options: input.csv, log: log)
                }
                if reader.header.isEmpty {
                    log.warn("empty file: no header and no records", at: SourceLocation(file: path, line: 1))
                    sources.append(SourceInput(reader: reader, schema: Schema(source: path, columns: [], roles: [:])))
                    continue
                }
                sources.append(SourceInput(reader: reader, schema: try schema(header: reader.header, path: path, input: input, required: required)))
            }
        }
        return sources
    }

    /// The columns and roles of the source at `path` with `header`, read as `input` (its list
    /// name and header option).
    func schema(header: [String], path: String, input: PipelineConfiguration.Input, required: Set<FieldRole>) throws -> Schema {
        var schema = try configuration.columns.resolve(header: header, source: path, required: required, log: log)
        schema.list = input.list
        if input.csv.hasHeader, let problem = HeaderCheck.dataLikeCell(in: header), schema.mapping.allSatisfy({ !$0.explicit }) && schema.roles.count <= 1 {
            throw ListWashError(.input, "the first line looks like data, not a header (column \(problem.column) holds '\(problem.value)'); add a header line, or set header: false and column_names: [...] for this input in the pipeline file", at: SourceLocation(file: path, line: 1, column: problem.column))
        }
        return schema
    }

    private func makeReport(sources: [SourceInput], counts: [String: DispositionCounts], stages: [String], startedAt: String) -> RunReport {
        var total = DispositionCounts()
        let inputs = sources.map { source -> RunReport.InputReport in
            let sourceCounts = counts[source.schema.source] ?? DispositionCounts()
            total.add(sourceCounts)
            let csv = source.reader as? CSVReader
            return RunReport.InputReport(
                path: source.schema.source, format: csv == nil ? "jsonl" : "csv",
                encoding: csv?.encoding.rawValue ?? TextEncoding.utf8.rawValue,
                delimiter: csv.map { String(decoding: [$0.delimiter], as: UTF8.self) },
                bytes: source.reader.bytesRead, mapping: source.schema.mapping, counts: RunReport.Counts(sourceCounts))
        }
        let ext = configuration.outputFormat.rawValue
        return RunReport(
            pipeline: configuration.file, name: configuration.name, startedAt: startedAt, seconds: 0,
            method: configuration.method.rawValue, rows: configuration.rows.rawValue, stages: stages,
            inputs: inputs, totals: RunReport.Counts(total), warnings: log.all.map(\.description),
            outputFolder: configuration.outputFolder,
            outputFiles: Disposition.allCases.map { $0.fileName(extension: ext) } + ["report.json"], dedupe: nil)
    }
}

/// Spots a header line that is really data.
enum HeaderCheck {
    /// The first cell that looks like a value rather than a column name: an email address, a
    /// number of three or more digits, or a phone number.
    static func dataLikeCell(in header: [String]) -> (column: Int, value: String)? {
        for (index, cell) in header.enumerated() {
            let trimmed = cell.trimmingCharacters(in: .whitespaces)
            let digits = trimmed.filter(\.isNumber).count
            if trimmed.contains("@") && trimmed.contains(".") { return (index + 1, cell) }
            if digits >= 3 && digits * 2 >= trimmed.count { return (index + 1, cell) }
        }
        return nil
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}

/// Shell-style wildcards in input paths (`inbox/*.csv`).
enum Glob {
    /// The sorted paths matching `pattern`; a pattern without wildcards is returned as it is.
    ///
    /// - Throws: ``ListWashError`` (`.input`) when a path without wildcards does not exist.
    static func expand(_ pattern: String) throws -> [String] {
        guard pattern.contains(where: { "*?[".contains($0) }) else {
            guard pattern == "-" || FileSystem.exists(pattern) else {
                throw ListWashError(.input, "cannot open \(pattern): no such file", at: SourceLocation(file: pattern))
            }
            return [pattern]
        }
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }
}
