import Testing
@testable import ListWashCore

/// Marks each record with the order it was seen in, to check that output order is input order.
struct TagStage: Stage {
    let name = "tag"
    var outputColumns: [String] { ["listwash_tag"] }
    var runsConcurrently: Bool { true }
    func process(_ batch: inout RecordBatch) throws {
        let column = batch.layout.column("listwash_tag")!
        for row in 0..<batch.count { batch[row, column] = batch.value(row, column: 0).uppercased() }
    }
}

/// Rejects every record whose first field is odd.
struct RejectOddStage: Stage {
    let name = "reject-odd"
    func process(_ batch: inout RecordBatch) throws {
        for row in 0..<batch.count where batch.isOpen(row) && (Int(batch.value(row, column: 0)) ?? 0) % 2 == 1 {
            batch.settle(row, as: .rejected, reason: "odd")
        }
    }
}

struct FailingStage: Stage {
    let name = "fail"
    func process(_ batch: inout RecordBatch) throws {
        throw ListWashError(.internal, "boom")
    }
}

/// Counts every record before any is processed, then writes the total and each record's
/// sequence into it; settles records whose value repeats an earlier one as duplicates.
final class CountingBarrier: BarrierStage, @unchecked Sendable {
    let name = "count"
    var outputColumns: [String] { ["listwash_total", "listwash_sequence"] }
    private var total = 0
    private var seen: [String: Int] = [:]
    private var firstOf: [Int: Int] = [:]

    func observe(_ batch: RecordBatch, digest: (any Sendable)?) throws {
        for row in 0..<batch.count where batch.isOpen(row) {
            total += 1
            let value = batch.value(row, column: 0)
            if let first = seen[value] { firstOf[batch.sequence(row)] = first } else { seen[value] = batch.sequence(row) }
        }
    }

    func prepare() throws {}

    func process(_ batch: inout RecordBatch) throws {
        let totalColumn = batch.layout.column("listwash_total")!, sequenceColumn = batch.layout.column("listwash_sequence")!
        for row in 0..<batch.count {
            batch[row, totalColumn] = String(total)
            batch[row, sequenceColumn] = String(batch.sequence(row))
            if let first = firstOf[batch.sequence(row)] { batch.settle(row, as: .duplicate, reason: "repeats record \(first)") }
        }
    }
}

/// An ordered stage that notes the order batches reach it in.
final class OrderWitness: Stage, @unchecked Sendable {
    let name = "witness"
    private let lock = Lock()
    private var seen: [Int] = []
    var order: [Int] { lock.withLock { seen } }
    func process(_ batch: inout RecordBatch) throws {
        lock.withLock { seen.append(batch.firstSequence) }
    }
}

@Suite struct RecordFlowTests {
    let folder = TemporaryFolder()

    @Test func stagesComposeWithTheOperatorAndTheBuilder() {
        let chained = TagStage() | RejectOddStage()
        let built = Pipeline {
            TagStage()
            RejectOddStage()
        }
        #expect(chained.stages.map(\.name) == ["tag", "reject-odd"])
        #expect(built.stages.map(\.name) == ["tag", "reject-odd"])
        #expect(chained.layout.names.last == "listwash_tag")
    }

    @Test func aStageRunsAloneOnABatch() throws {
        var batch = RecordBatch(schema: Schema(source: "s", columns: ["n"], roles: [:]), rows: [["1"], ["2"]])
        try RejectOddStage().process(&batch)
        #expect(batch.dispositions == [.rejected, nil])
    }

    @Test func everyRowEndsInExactlyOneFileInInputOrder() throws {
        let count = 30_000
        let input = folder.write("in.csv", "n\n" + (1...count).map { "\($0)\n" }.joined())
        var options = CSVOptions()
        options.batchSize = 512
        let reader = try CSVReader(path: input, options: options)
        let schema = Schema(source: input, columns: reader.header, roles: [:])
        let pipeline = TagStage() | RejectOddStage()
        let sink = try DispositionSink(directory: "\(folder.path)/out", columns: OutputColumns(headers: [(input, reader.header)]), layout: pipeline.layout)
        let counts = try RecordFlow(pipeline: pipeline, workers: 4).run([SourceInput(reader: reader, schema: schema)], into: sink)
        try sink.commit()
        #expect(counts[input]?.rowsIn == count)
        #expect(counts[input]?.rowsOut == [.load: count / 2, .rejected: count / 2])
        let loaded = try readAll("\(folder.path)/out/load.csv")
        #expect(loaded.records.map { $0[0] } == stride(from: 2, through: count, by: 2).map(String.init))
        #expect(loaded.records.allSatisfy { $0[0] == $0[$0.count - 1] })
        let rejected = try readAll("\(folder.path)/out/rejected.csv")
        #expect(rejected.records.count == count / 2)
        #expect(FileSystem.contents(of: "\(folder.path)/out") == Disposition.allCases.map { $0.fileName() }.sorted())
    }

    /// Concurrent stages on both sides of an ordered one: the ordered stage sees batches in
    /// input order, the trailing stage runs on the workers, the output keeps input order.
    @Test func orderedStagesSeeBatchesInOrderBetweenConcurrentOnes() throws {
        let count = 20_000
        let input = folder.write("in.csv", "n\n" + (1...count).map { "\($0)\n" }.joined())
        var options = CSVOptions()
        options.batchSize = 300
        let reader = try CSVReader(path: input, options: options)
        let schema = Schema(source: input, columns: reader.header, roles: [:])
        let witness = OrderWitness()
        let pipeline = Pipeline([TagStage(), witness, RejectOddStage(), TagStage()])
        let sink = try DispositionSink(directory: "\(folder.path)/out", columns: OutputColumns(headers: [(input, reader.header)]), layout: pipeline.layout)
        try RecordFlow(pipeline: pipeline, workers: 4).run([SourceInput(reader: reader, schema: schema)], into: sink)
        try sink.commit()
        #expect(witness.order == stride(from: 0, to: count, by: 300).map { $0 })
        let loaded = try readAll("\(folder.path)/out/load.csv")
        #expect(loaded.records.map { $0[0] } == stride(from: 2, through: count, by: 2).map(String.init))
    }

    @Test(arguments: [256 << 20, 4096])
    func aBarrierStageSeesEveryRecordBeforeProcessingAny(spoolBudget: Int) throws {
        let values = (0..<20_000).map { String($0 % 15_000) }
        let input = folder.write("in.csv", "n\n" + values.map { "\($0)\n" }.joined())
        var options = CSVOptions()
        options.batchSize = 700
        let reader = try CSVReader(path: input, options: options)
        let schema = Schema(source: input, columns: reader.header, roles: [:])
        let pipeline = TagStage() | RejectOddStage() | CountingBarrier() | TagStage()
        let out = "\(folder.path)/out"
        let sink = try DispositionSink(directory: out, columns: OutputColumns(headers: [(input, reader.header)]), layout: pipeline.layout)
        let counts = try RecordFlow(pipeline: pipeline, workers: 2, spoolMemoryBudget: spoolBudget).run([SourceInput(reader: reader, schema: schema)], into: sink)
        try sink.commit()
        #expect(counts[input]?.rowsIn == 20_000)
        #expect(counts[input]?.rowsOut == [.load: 7_500, .rejected: 10_000, .duplicate: 2_500])
        let loaded = try readAll("\(out)/load.csv")
        let header = loaded.header
        let total = header.firstIndex(of: "listwash_total")!, sequence = header.firstIndex(of: "listwash_sequence")!
        #expect(loaded.records.allSatisfy { $0[total] == "10000" })
        #expect(loaded.records.map { Int($0[sequence])! } == loaded.records.map { Int($0[0])! })
        #expect(FileSystem.contents(of: out) == Disposition.allCases.map { $0.fileName() }.sorted())
    }

    @Test func aFailedRunLeavesNoOutputs() throws {
        let input = folder.write("in.csv", "n\n1\n2\n")
        let reader = try CSVReader(path: input)
        let schema = Schema(source: input, columns: reader.header, roles: [:])
        let pipeline = Pipeline([FailingStage()])
        let out = "\(folder.path)/out"
        let sink = try DispositionSink(directory: out, columns: OutputColumns(headers: [(input, reader.header)]), layout: pipeline.layout)
        #expect(throws: ListWashError.self) { try RecordFlow(pipeline: pipeline).run([SourceInput(reader: reader, schema: schema)], into: sink) }
        sink.abandon()
        #expect(FileSystem.contents(of: out).isEmpty)
    }

    @Test func aLostRowFailsTheCommit() throws {
        let schema = Schema(source: "s.csv", columns: ["n"], roles: [:])
        let out = "\(folder.path)/out"
        let sink = try DispositionSink(directory: out, columns: OutputColumns(headers: [("s.csv", ["n"])]), layout: OutputLayout())
        try sink.write(RecordBatch(schema: schema, rows: [["1"]]))
        sink.countRowsIn(2, source: "s.csv")
        do {
            try sink.commit()
            Issue.record("expected an error")
        } catch let error as ListWashError {
            #expect(error.description == "s.csv: error: rows in (2) differ from rows out (1) for s.csv; no output was written")
            #expect(error.exitStatus == 70)
        }
        sink.abandon()
        #expect(FileSystem.contents(of: out).isEmpty)
    }

    @Test func anUnwritableOutputFolderIsAnOutputError() throws {
        let blocker = folder.write("file", "x")
        do {
            _ = try DispositionSink(directory: "\(blocker)/out", columns: OutputColumns(headers: []), layout: OutputLayout())
            Issue.record("expected an error")
        } catch let error as ListWashError {
            #expect(error.exitStatus == 73)
            #expect(error.description.contains("cannot create folder \(blocker)/out"))
        }
    }
}
