import Dispatch

/// Runs batches through a pipeline on all cores while keeping input order.
///
/// Concurrent stages (those that look at one record at a time) run on several batches at once;
/// the remaining stages and the sink see batches one at a time in input order. At most
/// `2 × workers` batches are in flight, so memory stays flat however long the input is.
package final class BatchExecutor: @unchecked Sendable {
    private let concurrentStages: [any Stage]
    private let orderedStages: [any Stage]
    private let deliver: (RecordBatch, (any Sendable)?) throws -> Void
    private let digest: ((RecordBatch) throws -> (any Sendable)?)?
    private let workQueue = DispatchQueue(label: "listwash.stages", attributes: .concurrent)
    private let sinkQueue = DispatchQueue(label: "listwash.sink")
    private let slots: DispatchSemaphore
    private let group = DispatchGroup()
    private let lock = Lock()
    private var firstError: (any Error)?
    private var nextToSubmit = 0
    private var nextToDeliver = 0
    private var ready: [Int: (RecordBatch, (any Sendable)?)] = [:]

    /// Splits `pipeline` into its leading concurrent stages and the rest. `digest`, when given,
    /// runs on each processed batch (on the workers when every stage is concurrent, else in
    /// order) and its result goes to `deliver` with the batch.
    package init(pipeline: Pipeline, workers: Int, digest: ((RecordBatch) throws -> (any Sendable)?)? = nil,
         deliver: @escaping (RecordBatch, (any Sendable)?) throws -> Void) {
        let leading = pipeline.stages.prefix { $0.runsConcurrently }
        concurrentStages = Array(leading)
        orderedStages = Array(pipeline.stages.dropFirst(leading.count))
        self.deliver = deliver
        self.digest = digest
        slots = DispatchSemaphore(value: max(2, workers * 2))
    }

    /// The first error any stage or the sink threw.
    var error: (any Error)? { lock.withLock { firstError } }

    /// Hands a batch over; blocks while too many are in flight.
    package func submit(_ batch: consuming RecordBatch) throws {
        if let error { throw error }
        slots.wait()
        let sequence = nextToSubmit
        nextToSubmit += 1
        group.enter()
        // The box hands the batch over without a second reference, so the worker's first write
        // does not copy it.
        let box = BatchBox(batch)
        workQueue.async { [self] in
            var processed = box.take()
            var digested: (any Sendable)?
            do {
                for stage in concurrentStages { try stage.process(&processed) }
                if orderedStages.isEmpty, let digest { digested = try digest(processed) }
            } catch {
                record(error)
            }
            let result = (processed, digested)
            sinkQueue.async { [self] in
                ready[sequence] = result
                while let (next, digested) = ready.removeValue(forKey: nextToDeliver) {
                    nextToDeliver += 1
                    if self.error == nil {
                        do {
                            var next = next
                            var digested = digested
                            for stage in orderedStages { try stage.process(&next) }
                            if !orderedStages.isEmpty, let digest { digested = try digest(next) }
                            try deliver(next, digested)
                        } catch {
                            record(error)
                        }
                    }
                    slots.signal()
                    group.leave()
                }
            }
        }
    }

    /// Waits until every submitted batch is delivered; rethrows the first error.
    package func finish() throws {
        group.wait()
        if let error { throw error }
    }

    private func record(_ error: any Error) {
        lock.withLock { if firstError == nil { firstError = error } }
    }
}

/// Moves a batch into a closure without keeping a second reference to its storage.
private final class BatchBox: @unchecked Sendable {
    private var batch: RecordBatch?

    init(_ batch: consuming RecordBatch) {
        self.batch = batch
    }

    func take() -> RecordBatch {
        defer { batch = nil }
        return batch.take()!
    }
}
