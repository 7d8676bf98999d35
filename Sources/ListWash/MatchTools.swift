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
    /// features of every record. Returns them with each record's (file, record number).
    public func features(of paths: [String]) throws -> (FeatureSet, [(file: String, row: Int)]) {
        var prefix = configuration
        prefix.removeStages(from: ["dedupe", "match"])
        let pipeline = try StageCatalog.build(prefix.stages, configuration: prefix)
        var features = FeatureSet(model: model)
        var origins: [(file: String, row: Int)] = []
        let names = NameNormalizer()
        var sequence = 0
        for path in paths {
            let reader = try CSVReader(path: path)
            let schema = try configuration.columns.resolve(header: reader.header, source: path)
            while var batch = try reader.nextBatch(schema: schema, layout: pipeline.layout) {
                batch.renumber(from: sequence)
                sequence += batch.count
                try pipeline.process(&batch)
                features.add(batch, includeSettled: true, names: names)
                origins.append(contentsOf: batch.rows.map { (path, $0) })
            }
        }
        return (features, origins)
    }

    /// Explains the pair `left` and `right` (file and record number), with the model's
    /// parameters estimated on both files as a dedupe would.
    ///
    /// - Throws: ``ListWashError`` (`.usage`) when a record number is not in its file.
    public func explain(left: (file: String, row: Int), right: (file: String, row: Int)) throws -> PairExplanation {
        let files = left.file == right.file ? [left.file] : [left.file, right.file]
        let (features, origins) = try features(of: files)
        func index(_ record: (file: String, row: Int)) throws -> Int {
            guard let found = origins.firstIndex(where: { $0.file == record.file && $0.row == record.row }) else {
                throw ListWashError(.usage, "\(record.file) has no record \(record.row) (it has \(origins.filter { $0.file == record.file }.count))", at: SourceLocation(file: record.file))
            }
            return found
        }
        let (i, j) = (try index(left), try index(right))
        let deduplicator = Deduplicator(model: model)
        return deduplicator.explain(deduplicator.estimate(features), features: features, i, j)
    }

    /// Estimates the model's m values and prior by EM (and u values from random pairs) on
    /// `paths`, and returns the trained model as YAML for a model file.
    public func train(on paths: [String]) throws -> (model: MatchModel, yaml: String, pairs: Int) {
        let (features, _) = try features(of: paths)
        var model = self.model
        model.train = true
        let estimate = Deduplicator(model: model).estimate(features)
        var trained = estimate.model
        trained.train = false
        trained.estimateU = false
        let yaml = try YAMLEncoder().encode(trained)
        return (trained, "# ListWash match model, written by `listwash train`; name it in a pipeline: dedupe: {model: FILE}\n" + yaml, estimate.pairs.count)
    }
}
