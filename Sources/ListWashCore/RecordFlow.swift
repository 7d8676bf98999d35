/// One input of a run: its reader and the schema its header resolved to.
public struct SourceInput {
    /// The reader, positioned after the header.
    public let reader: any RecordReader
    /// The columns and roles.
    public let schema: Schema

    /// Pairs a reader with its schema.
    public init(reader: any RecordReader, schema: Schema) {
        self.reader = reader
        self.schema = schema
    }
}

/// Streams sources through a pipeline into a sink, batch by batch, on all cores.
///
/// ```swift
/// let counts = try RecordFlow(pipeline: pipeline).run(sources, into: sink)
/// ```
public struct RecordFlow {
    /// The stages records go through.
    public let pipeline: Pipeline
    /// Threads for concurrent stages.
    public let workers: Int

    /// A flow through `pipeline` using `workers` threads for concurrent stages (default: one per core).
    public init(pipeline: Pipeline, workers: Int = ProcessorInfo.activeCores) {
        self.pipeline = pipeline
        self.workers = max(1, workers)
    }

    /// Reads every source to its end, runs the pipeline, and writes every record to `sink`.
    /// Records no stage settled go to `load`.
    ///
    /// - Parameter progress: called after each batch is read with the bytes read so far in the
    ///   current source.
    /// - Returns: counts per source path.
    /// - Complexity: O(n) in the input, plus what the stages cost; memory holds at most
    ///   `2 × workers` batches.
    @discardableResult
    public func run(
        _ sources: [SourceInput], into sink: DispositionSink,
        progress: ((_ source: String, _ bytesRead: Int) -> Void)? = nil
    ) throws -> [String: DispositionCounts] {
        let executor = BatchExecutor(pipeline: pipeline, workers: workers) { batch in
            var batch = batch
            batch.settleOpen(as: .load)
            try sink.write(batch)
        }
        let layout = pipeline.layout
        do {
            for source in sources {
                while let batch = try source.reader.nextBatch(schema: source.schema, layout: layout) {
                    try executor.submit(batch)
                    progress?(source.schema.source, source.reader.bytesRead)
                }
            }
        } catch {
            try? executor.finish()
            throw error
        }
        try executor.finish()
        for source in sources {
            sink.countRowsIn(source.reader.recordsRead, source: source.schema.source)
        }
        return sink.counts
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about the processor.
public enum ProcessorInfo {
    /// The number of cores this process may use.
    public static var activeCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
