import Testing
import ListWashCore

/// A batch handed to another process comes back exactly as it left, or not at all.
@Suite struct BatchTransferTests {
    private func washedBatch() throws -> RecordBatch {
        let schema = Schema(source: "list.csv", columns: ["Email", "Name"], roles: [.email: 0])
        var batch = RecordBatch(schema: schema, layout: OutputLayout(adding: ["listwash_email", "listwash_flags"]),
                                rows: [["ANN@X.COM", "Ann \"A\" Lee"], ["", "Bob"], ["cy@x.com", "Cy, Jr."]])
        guard let email = batch.layout.column("listwash_email"), let flags = batch.layout.column("listwash_flags") else {
            throw ListWashError(.internal, "no such column")
        }
        batch[0, email] = "ann@x.com"
        batch[2, email] = "cy@x.com"
        batch[2, flags] = "name_suffix"
        batch.settle(1, as: .rejected, reason: "missing email")
        return batch
    }

    @Test func aBatchComesBackWithItsFieldsValuesAndDispositions() throws {
        let batch = try washedBatch()
        let copy = try BatchTransfer.decode(BatchTransfer.encode(batch), schema: batch.schema, layout: batch.layout)
        #expect(copy.rows == batch.rows && copy.lines == batch.lines)
        #expect((0..<3).map { copy.fields($0) } == (0..<3).map { batch.fields($0) })
        #expect(copy.dispositions == batch.dispositions && copy.reasons == batch.reasons)
        for name in ["listwash_email", "listwash_flags"] {
            guard let column = batch.layout.column(name) else { continue }
            #expect((0..<3).map { copy[$0, column] } == (0..<3).map { batch[$0, column] }, "\(name)")
        }
    }

    @Test func aDamagedOrCutBatchIsRefused() throws {
        let batch = try washedBatch()
        var bytes = BatchTransfer.encode(batch)
        #expect(throws: ListWashError.self) { try BatchTransfer.decode(Array(bytes.dropLast(3)), schema: batch.schema, layout: batch.layout) }
        bytes[40] ^= 0x20
        #expect(throws: ListWashError.self) { try BatchTransfer.decode(bytes, schema: batch.schema, layout: batch.layout) }
        #expect(throws: ListWashError.self) { try BatchTransfer.decode([1, 2, 3], schema: batch.schema, layout: batch.layout) }
    }

    @Test func aBatchOfAnotherPipelineIsRefused() throws {
        let batch = try washedBatch()
        let wider = OutputLayout(adding: ["listwash_email", "listwash_flags", "listwash_tag"])
        #expect(throws: ListWashError.self) { try BatchTransfer.decode(BatchTransfer.encode(batch), schema: batch.schema, layout: wider) }
    }
}
