/// One step records go through: normalize, validate, dedupe, match, suppress, decide, route.
///
/// A stage is a value with a name. It reads a batch's fields, writes the `listwash_*` columns
/// it declares, and settles records it decides on (for example as rejected or suppressed). It
/// never changes a record's source fields. Any stage can run on its own:
///
/// ```swift
/// var batch = RecordBatch(schema: schema, rows: [["Ann", "ANN@X.COM"]])
/// try stage.process(&batch)
/// ```
/// or chained with others into a ``Pipeline``.
public protocol Stage: Sendable {
    /// A short name for reports and diagnostics, as the pipeline file spells it.
    var name: String { get }
    /// The `listwash_*` columns this stage fills.
    var outputColumns: [String] { get }
    /// Whether batches may go through this stage in parallel and out of order (true for
    /// stages that look at one record at a time). Output order is restored afterwards.
    var runsConcurrently: Bool { get }
    /// Processes one batch. Records already settled by an earlier stage should be left alone.
    func process(_ batch: inout RecordBatch) throws
}

extension Stage {
    public var outputColumns: [String] { [] }
    public var runsConcurrently: Bool { false }
}

/// A stage that must see every record of a run before it can process any, such as within-list
/// dedupe. The flow runs the stages before it, shows it every batch in order
/// (``observe(_:digest:)``), calls ``prepare()``, then sends the held batches through
/// ``Stage/process(_:)`` and the stages after it. The batches wait in memory up to a budget and
/// in a compact temporary file beyond it.
public protocol BarrierStage: Stage {
    /// Work on one batch that needs nothing from other batches (extracting what the stage
    /// indexes); it runs on all cores, and its result reaches ``observe(_:digest:)``.
    func digest(_ batch: RecordBatch) throws -> (any Sendable)?
    /// Sees a batch and its digest, in input order, before any batch is processed.
    func observe(_ batch: RecordBatch, digest: (any Sendable)?) throws
    /// Called once after the last batch was observed.
    func prepare() throws
}

extension BarrierStage {
    public func digest(_ batch: RecordBatch) throws -> (any Sendable)? { nil }
}

/// A stage that loads what it needs (reference exports, suppression lists) once before the
/// first batch. The runner calls ``setUp()`` on every such stage before reading any input, so
/// a missing or broken list stops the run before anything is written.
public protocol SetUpStage: Stage {
    /// Loads the stage's data. Called once, before any batch.
    func setUp() throws
}

/// A stage as a pipeline file describes it: its options, checked, as a value that reads no file
/// and can go to any thread or process. ``makeStage(in:)`` builds the stage's run (its state)
/// once, loading what it needs (exports, lists, rules) through the run's ``RunContext``.
///
/// Each definition declares the `listwash_*` columns it reads and writes, so that a pipeline's
/// order can be checked (``StageOrder``) and its barriers planned before any stage is built.
public protocol StageDefinition: Sendable {
    /// The stage's name, as the pipeline file spells it.
    var name: String { get }
    /// Where the pipeline file names the stage, for errors about it.
    var location: SourceLocation? { get }
    /// The `listwash_*` columns the stage needs an earlier stage to have written.
    var reads: [String] { get }
    /// The `listwash_*` columns the stage writes: the standard ones it fills, then its
    /// ``Stage/outputColumns`` in their order.
    var writes: [String] { get }
    /// Whether the stage must see every record before it processes any (dedupe, decide).
    var isBarrier: Bool { get }
    /// Whether batches may go through the stage anywhere, in any order and share (it looks at
    /// one record at a time and keeps no order): such leading stages can run on other machines.
    var runsAnywhere: Bool { get }
    /// Why the stage reads `column` (one of ``reads``), in words for an error when no stage
    /// before it writes it; `nil` to say nothing more.
    func need(of column: String) -> String?
    /// Builds the stage's run, loading what it needs through `context`.
    ///
    /// - Throws: ``ListWashError`` for a file the options name that cannot be read or used.
    func makeStage(in context: RunContext) throws -> any Stage
}

extension StageDefinition {
    public var reads: [String] { [] }
    public var isBarrier: Bool { false }
    public var runsAnywhere: Bool { !isBarrier }
    public func need(of column: String) -> String? { nil }
}

/// The order of a pipeline's stages, checked from what each declares it reads and writes.
public enum StageOrder {
    /// Checks that every column a stage reads is written by a stage before it.
    ///
    /// - Parameters:
    /// - Parameter writers: the name of the stage that writes each column, for the error.
    /// - Throws: ``ListWashError`` (`.usage`) at the stage's location, naming the stage it
    ///   needs before it and the column.
    public static func check(_ definitions: [any StageDefinition], writers: [String: String]) throws {
        var written = Set(OutputLayout.standard.prefix(OutputLayout.fixedCount))
        for definition in definitions {
            for column in definition.reads where !written.contains(column) {
                let writer = writers[column].map { "a '\($0)' stage" } ?? "a stage that writes it"
                let reason = definition.need(of: column).map { ": \($0)" } ?? ""
                throw ListWashError(.usage, "the \(definition.name) stage needs \(writer) before it (it reads \(column))\(reason)", at: definition.location)
            }
            written.formUnion(definition.writes)
        }
    }
}

/// A chain of stages that records go through in order.
///
/// Build one with the `|` operator or a result builder:
/// ```swift
/// let pipeline = normalize | validate | dedupe
/// let same = Pipeline { normalize; validate; dedupe }
/// ```
public struct Pipeline: Sendable {
    /// The stages, in order.
    public var stages: [any Stage]

    /// A pipeline of `stages`.
    public init(_ stages: [any Stage] = []) {
        self.stages = stages
    }

    /// A pipeline built from a list of stages.
    public init(@PipelineBuilder _ build: () -> [any Stage]) {
        self.stages = build()
    }

    /// The output columns: the standard ones, then every stage's, in stage order.
    public var layout: OutputLayout {
        OutputLayout(adding: stages.flatMap(\.outputColumns))
    }

    /// Runs every stage over `batch` in order, on the calling thread.
    public func process(_ batch: inout RecordBatch) throws {
        for stage in stages { try stage.process(&batch) }
    }

    /// This pipeline followed by `stage`.
    public static func | (lhs: Pipeline, rhs: some Stage) -> Pipeline {
        Pipeline(lhs.stages + [rhs])
    }

    /// This pipeline followed by another.
    public static func | (lhs: Pipeline, rhs: Pipeline) -> Pipeline {
        Pipeline(lhs.stages + rhs.stages)
    }
}

/// Chains two stages into a ``Pipeline``.
public func | (lhs: some Stage, rhs: some Stage) -> Pipeline {
    Pipeline([lhs, rhs])
}

/// Builds a list of stages: `Pipeline { normalize; dedupe }`.
@resultBuilder
public enum PipelineBuilder {
    public static func buildExpression(_ stage: some Stage) -> [any Stage] { [stage] }
    public static func buildExpression(_ pipeline: Pipeline) -> [any Stage] { pipeline.stages }
    public static func buildBlock(_ parts: [any Stage]...) -> [any Stage] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [any Stage]?) -> [any Stage] { part ?? [] }
    public static func buildEither(first part: [any Stage]) -> [any Stage] { part }
    public static func buildEither(second part: [any Stage]) -> [any Stage] { part }
    public static func buildArray(_ parts: [[any Stage]]) -> [any Stage] { parts.flatMap { $0 } }
}
