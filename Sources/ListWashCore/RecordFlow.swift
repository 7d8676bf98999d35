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
    /// Bytes of batches a barrier stage holds in memory before the rest wait in a temporary file.
    public let spoolMemoryBudget: Int

    /// A flow through `pipeline` using `workers` threads for concurrent stages (default: one per core).
    public init(pipeline: Pipeline, workers: Int = ProcessorInfo.activeCores, spoolMemoryBudget: Int = 64 << 20) {
        self.pipeline = pipeline
        self.workers = max(1, workers)
        self.spoolMemoryBudget = spoolMemoryBudget
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
        let layout = pipeline.layout
        var sourceIndex = 0
        var sequence = 0
        var next: () throws -> RecordBatch? = {
            while sourceIndex < sources.count {
                let source = sources[sourceIndex]
                if var batch = try source.reader.nextBatch(schema: source.schema, layout: layout) {
                    batch.firstSequence = sequence
                    sequence += batch.count
                    progress?(source.schema.source, source.reader.bytesRead)
                    return batch
                }
                sourceIndex += 1
            }
            return nil
        }
        // Split the chain at each barrier: the stages before it run, it observes every batch
        // while the processed batches wait in a spool (memory, then a temporary file), then the
        // spooled batches go on through it (it now processes like any stage) and onwards.
        var remaining = pipeline.stages[...]
        var searchFrom = remaining.startIndex
        while let barrierIndex = remaining[searchFrom...].firstIndex(where: { $0 is any BarrierStage }),
              let barrier = remaining[barrierIndex] as? any BarrierStage {
            let spool = BatchSpool(directory: sink.stagingDirectory, memoryBudget: spoolMemoryBudget)
            // The workers digest each batch for the barrier and, once the spool writes to its
            // file, encode it for the file too: in order, only observing and writing remain.
            try drive(Pipeline(Array(remaining[..<barrierIndex])), from: next, digest: { batch in
                BarrierDigest(stage: try barrier.digest(batch), spooled: spool.encodeIfSpilling(batch))
            }) { batch, digest in
                let digest = digest as? BarrierDigest
                try barrier.observe(batch, digest: digest?.stage)
                try spool.append(batch, encoded: digest?.spooled)
            }
            try barrier.prepare()
            next = try spool.replay(layout: layout)
            remaining = remaining[barrierIndex...]
            searchFrom = barrierIndex + 1
        }
        // Output bytes are made on the workers too; the sink only writes them, in order.
        try drive(Pipeline(Array(remaining)), from: next, digest: { batch in
            var batch = batch
            batch.settleOpen(as: .load)
            return sink.encode(batch)
        }) { batch, encoded in
            if let encoded = encoded as? DispositionSink.Encoded {
                try sink.write(encoded)
            } else {
                var batch = batch
                batch.settleOpen(as: .load)
                try sink.write(batch)
            }
        }
        for source in sources {
            sink.countRowsIn(source.reader.recordsRead, source: source.schema.source)
        }
        return sink.counts
    }

    /// Runs `pipeline` over every batch `next` gives, handing each result to `deliver` in order.
    private func drive(_ pipeline: Pipeline, from next: () throws -> RecordBatch?,
                       digest: ((RecordBatch) throws -> (any Sendable)?)? = nil,
                       deliver: @escaping (RecordBatch, (any Sendable)?) throws -> Void) throws {
        let executor = BatchExecutor(pipeline: pipeline, workers: workers, digest: digest, deliver: deliver)
        do {
            while let batch = try next() { try executor.submit(batch) }
        } catch {
            try? executor.finish()
            throw error
        }
        try executor.finish()
    }
}

/// What the workers make of a batch before a barrier stage observes it.
private struct BarrierDigest: Sendable {
    /// The barrier stage's own digest.
    var stage: (any Sendable)?
    /// The batch encoded for the spool file, once the spool writes to its file.
    var spooled: [UInt8]?
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
