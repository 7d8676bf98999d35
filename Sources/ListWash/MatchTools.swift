import Foundation
import ListWashCore
import ListWashMatch
import ListWashNormalize
import Yams

/// What `listwash explain` and `listwash train` need: a file's records prepared by the
/// pipeline's stages before matching, as comparison features.
public struct MatchWorkbench {
    /// The pipeline.
    public let configuration: PipelineConfiguration
    /// Its match model.
    public let model: MatchModel

    /// A workbench for `configuration`.
    public init(configuration: PipelineConfiguration) throws {
        self.configuration = configuration
        model = try configuration.matchModel()
    }

    /// Reads `paths` through the stages before dedupe or match, and extracts the model's
    /// features of the records still open after them, as a run's dedupe stage sees them (a
    /// row an earlier stage settled, such as one `validate` rejected, is not among them).
    /// Returns them with each record's (file, record number).
    public func features(of paths: [String]) throws -> (FeatureSet, [(file: String, row: Int)]) {
        var named = configuration
        named.inputs = paths.map { PipelineConfiguration.Input(path: $0) }
        let records = try prepared(named)
        return (records.features, records.origins)
    }

    /// The records a run's dedupe stage sees, with the rows an earlier stage settled.
    struct PreparedRecords {
        /// The open records' features, in run order.
        var features: FeatureSet
        /// Each open record's file (as the run names it) and record number.
        var origins: [(file: String, row: Int)]
        /// The rows settled before dedupe: file, record number, disposition and reason.
        var settled: [(file: String, row: Int, disposition: Disposition, reason: String)]
    }

    /// Reads the inputs of `configuration` as a run opens them (formats, delimiters, globs, in
    /// order), through the stages before dedupe or match.
    func prepared(_ configuration: PipelineConfiguration) throws -> PreparedRecords {
        var prefix = configuration
        prefix.removeStages(from: ["dedupe", "match"])
        let pipeline = try StageCatalog.build(try StageCatalog.definitions(of: prefix), in: RunContext())
        let sources = try Runner(configuration: configuration).openSources(required: configuration.required)
        var records = PreparedRecords(features: FeatureSet(model: model), origins: [], settled: [])
        let names = NameNormalizer()
        var sequence = 0
        for source in sources {
            while var batch = try source.reader.nextBatch(schema: source.schema, layout: pipeline.layout) {
                batch.renumber(from: sequence)
                sequence += batch.count
                try pipeline.process(&batch)
                records.features.add(batch, names: names)
                for row in 0..<batch.count {
                    if let disposition = batch.dispositions[row] {
                        records.settled.append((source.schema.source, batch.rows[row], disposition, batch.reasons[row]))
                    } else {
                        records.origins.append((source.schema.source, batch.rows[row]))
                    }
                }
            }
        }
        return records
    }

    /// Explains the pair `left` and `right` (file and record number) as the run scored it: the
    /// model's parameters are estimated on exactly the records the run's dedupe stage sees.
    /// When both files are inputs of the pipeline, those are the open rows of all its inputs;
    /// otherwise the open rows of the two files (a run of the pipeline with `--input` naming them).
    ///
    /// - Throws: ``ListWashError`` (`.usage`) when a record number is not in its file, or when
    ///   the record was settled before dedupe (rejected by `validate`, for instance): the run
    ///   gave it no score.
    public func explain(left: (file: String, row: Int), right: (file: String, row: Int)) throws -> PairExplanation {
        let sameFile: (String, String) -> Bool = { Self.samePath($0, $1) }
        let inputs = configuration.inputs.flatMap { (try? Glob.expand($0.path)) ?? [] }
        var run = configuration
        if !(inputs.contains { sameFile($0, left.file) } && inputs.contains { sameFile($0, right.file) }) {
            // The two files alone, each with its options when the pipeline names it as it is.
            let files = sameFile(left.file, right.file) ? [left.file] : [left.file, right.file]
            run.inputs = files.map { file in configuration.inputs.first { sameFile($0.path, file) } ?? PipelineConfiguration.Input(path: file) }
        }
        let records = try prepared(run)
        func index(_ record: (file: String, row: Int)) throws -> Int {
            if let found = records.origins.firstIndex(where: { sameFile($0.file, record.file) && $0.row == record.row }) { return found }
            if let settled = records.settled.first(where: { sameFile($0.file, record.file) && $0.row == record.row }) {
                throw ListWashError(.usage, "record \(record.row) of \(record.file) was \(settled.disposition.rawValue) before dedupe (\(settled.reason)), so the run gave it no score; explain two records that reach dedupe", at: SourceLocation(file: record.file))
            }
            let count = records.origins.filter { sameFile($0.file, record.file) }.count + records.settled.filter { sameFile($0.file, record.file) }.count
            throw ListWashError(.usage, "\(record.file) has no record \(record.row) (it has \(count))", at: SourceLocation(file: record.file))
        }
        let (i, j) = (try index(left), try index(right))
        let deduplicator = Deduplicator(model: model)
        return deduplicator.explain(deduplicator.estimate(records.features), features: records.features, i, j)
    }

    /// Whether two paths name one file (after `.` and `..`, symbolic links and the working folder).
    static func samePath(_ a: String, _ b: String) -> Bool {
        func canonical(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        return a == b || canonical(a) == canonical(b)
    }

    /// Estimates the model's m values and prior by EM (and u values from random pairs) on the
    /// records of `paths` that a dedupe run would see (see ``features(of:)``), and returns the
    /// trained model as YAML for a model file.
    public func train(on paths: [String]) throws -> (model: MatchModel, yaml: String, pairs: Int) {
        let (features, _) = try features(of: paths)
        var model = self.model
        model.train = true
        let estimate = Deduplicator(model: model).estimate(features)
        var trained = estimate.model
        trained.train = false
        trained.estimateU = false
        // The file holds what was learned: its prior and m values are used as they are.
        trained.priorFromData = false
        trained.learnM = false
        let yaml = try YAMLEncoder().encode(trained)
        return (trained, "# ListWash match model, written by `listwash train`; name it in a pipeline: dedupe: {model: FILE}\n" + yaml, estimate.pairs.count)
    }
}
