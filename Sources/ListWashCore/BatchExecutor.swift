import Dispatch

/// Runs batches through a pipeline on all cores while keeping input order.
///
/// The pipeline splits in three: the leading stages that look at one record at a time run on
/// several batches at once; the stages from the first ordered one to the last see batches one
/// at a time in input order; the trailing concurrent stages and `digest` (for a run, encoding
/// the output) run on all cores again; `deliver` sees batches in input order. At most
/// `2 × workers` batches are in flight, so memory stays flat however long the input is.
package final class BatchExecutor: @unchecked Sendable {
    private let leadingStages: [any Stage]
    private let orderedStages: [any Stage]
    private let trailingStages: [any Stage]
    private let deliver: (RecordBatch, (any Sendable)?) throws -> Void
    private let digest: ((RecordBatch) throws -> (any Sendable)?)?
    private let workQueue = DispatchQueue(label: "listwash.stages", attributes: .concurrent)
    private let orderedQueue = DispatchQueue(label: "listwash.ordered")
    private let deliveryQueue = DispatchQueue(label: "listwash.delivery")
    private let slots: DispatchSemaphore
    private let group = DispatchGroup()
    private let lock = Lock()
    private var firstError: (any Error)?
    private var nextToSubmit = 0
    /// Batches waiting for the ordered stages (used on `orderedQueue` only).
    private var ordering = Reorder()
    /// Batches waiting for delivery (used on `deliveryQueue` only).
    private var delivering = Reorder()

    /// Splits `pipeline` into its leading concurrent stages, its ordered middle and its trailing
    /// concurrent stages. `digest`, when given, runs on each processed batch on the workers and
    /// its result goes to `deliver` with the batch.
    package init(pipeline: Pipeline, workers: Int, digest: ((RecordBatch) throws -> (any Sendable)?)? = nil,
         deliver: @escaping (RecordBatch, (any Sendable)?) throws -> Void) {
        let stages = pipeline.stages
        let firstOrdered = stages.firstIndex { !$0.runsConcurrently } ?? stages.endIndex
        let afterLastOrdered = (stages.lastIndex { !$0.runsConcurrently }).map { $0 + 1 } ?? stages.endIndex
        leadingStages = Array(stages[..<firstOrdered])
        orderedStages = firstOrdered < afterLastOrdered ? Array(stages[firstOrdered..<afterLastOrdered]) : []
        trailingStages = firstOrdered < afterLastOrdered ? Array(stages[afterLastOrdered...]) : []
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
        let box = BatchBox(batch)
        workQueue.async { [self] in
            var processed = box.take()
            run(leadingStages, on: &processed)
            if orderedStages.isEmpty {
                let digested = finish(&processed)
                deliverInOrder(sequence, processed, digested)
            } else {
                order(sequence, processed)
            }
        }
    }

    /// Waits until every submitted batch is delivered; rethrows the first error.
    package func finish() throws {
        group.wait()
        if let error { throw error }
    }

    /// The ordered stages, in input order; then the rest goes back to the workers.
    private func order(_ sequence: Int, _ batch: consuming RecordBatch) {
        let box = BatchBox(batch)
        orderedQueue.async { [self] in
            ordering.put(sequence, box.take(), nil)
            // Bound as `var` straight from the buffer: a `let` copied into a `var` would keep a
            // second reference, and the first ordered stage's write would copy every value.
            while var entry = ordering.takeNext() {
                run(orderedStages, on: &entry.batch)
                let (sequence, handOver) = (entry.sequence, BatchBox(entry.batch))
                workQueue.async { [self] in
                    var processed = handOver.take()
                    run(trailingStages, on: &processed)
                    let digested = finish(&processed)
                    deliverInOrder(sequence, processed, digested)
                }
            }
        }
    }

    /// Hands batches to `deliver` in input order.
    private func deliverInOrder(_ sequence: Int, _ batch: consuming RecordBatch, _ digested: (any Sendable)?) {
        let box = BatchBox(batch)
        deliveryQueue.async { [self] in
            delivering.put(sequence, box.take(), digested)
            while let (_, next, digested) = delivering.takeNext() {
                if error == nil {
                    do { try deliver(next, digested) } catch { record(error) }
                }
                slots.signal()
                group.leave()
            }
        }
    }

    /// Runs `stages` over `batch` unless a stage has already failed.
    private func run(_ stages: [any Stage], on batch: inout RecordBatch) {
        guard error == nil else { return }
        do {
            for stage in stages { try stage.process(&batch) }
        } catch {
            record(error)
        }
    }

    /// The digest of a fully processed batch.
    private func finish(_ batch: inout RecordBatch) -> (any Sendable)? {
        guard error == nil, let digest else { return nil }
        do { return try digest(batch) } catch {
            record(error)
            return nil
        }
    }

    private func record(_ error: any Error) {
        lock.withLock { if firstError == nil { firstError = error } }
    }
}

/// Batches that arrive out of order, handed out in order.
private struct Reorder {
    private var waiting: [Int: (RecordBatch, (any Sendable)?)] = [:]
    private var next = 0

    mutating func put(_ sequence: Int, _ batch: consuming RecordBatch, _ digested: (any Sendable)?) {
        waiting[sequence] = (batch, digested)
    }

    /// The next batch in order, with its position, once it has arrived.
    mutating func takeNext() -> (sequence: Int, batch: RecordBatch, digested: (any Sendable)?)? {
        guard let (batch, digested) = waiting.removeValue(forKey: next) else { return nil }
        next += 1
        return (next - 1, batch, digested)
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
