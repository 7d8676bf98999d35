import ListWashCore
import ListWashNormalize
import Testing
@testable import ListWashMatch

@Suite struct FeatureSetTests {
    /// A batch of `count` records for the lead-list model, numbered from `first`; some values
    /// empty, some names with nicknames, one non-ASCII.
    func batch(_ first: Int, _ count: Int, layout: OutputLayout) -> RecordBatch {
        var batch = RecordBatch(schema: Schema(source: "s", columns: [], roles: [:]), layout: layout, rows: Array(repeating: [], count: count))
        let names = ["bob", "robert", "", "zoë", "liz", "elizabeth", "al"]
        for row in 0..<count {
            let record = first + row
            batch[row, layout.column("listwash_first_name")!] = names[record % names.count]
            batch[row, layout.column("listwash_last_name")!] = record % 5 == 0 ? "" : "name\(record % 97)"
            batch[row, layout.column("listwash_email_key")!] = record % 3 == 0 ? "" : "p\(record)@example.com"
            batch[row, layout.column("listwash_zip")!] = String(10_000 + record % 50)
        }
        batch.renumber(from: first)
        return batch
    }

    /// Joining the sets built batch by batch (empty ones among them) gives what adding every
    /// batch to one set gives: every column, the related-name lists, sequences and labels.
    @Test func joiningPartsEqualsAddingEveryBatch() {
        let model = MatchModel.leadList
        let layout = OutputLayout(adding: model.columns)
        let sizes = [0, 1, 700, 0, 4096, 33]
        var whole = FeatureSet(model: model)
        var parts: [FeatureSet] = []
        var first = 0
        let label: (RecordBatch, Int) -> String = { batch, row in "id\(batch.sequence(row))" }
        for size in sizes {
            let batch = batch(first, size, layout: layout)
            whole.add(batch, label: label, names: NameNormalizer())
            var part = FeatureSet(model: model)
            part.add(batch, label: label, names: NameNormalizer())
            parts.append(part)
            first += size
        }
        var joined = FeatureSet(model: model)
        joined.add(batch(1_000_000, 2, layout: layout), label: label, names: NameNormalizer())
        var expected = FeatureSet(model: model)
        expected.add(batch(1_000_000, 2, layout: layout), label: label, names: NameNormalizer())
        expected.append(contentsOf: whole)
        joined.join(&parts)

        #expect(parts.isEmpty)
        #expect(joined.count == first + 2)
        #expect(joined.sequences == expected.sequences)
        #expect(joined.labels == expected.labels)
        for (index, name) in model.columns.enumerated() {
            #expect((0..<joined.count).map { joined.columns[index][$0] } == (0..<expected.count).map { expected.columns[index][$0] }, "\(name)")
        }
        #expect(Set(joined.nameKeys.keys) == Set(expected.nameKeys.keys))
        for (name, column) in expected.nameKeys {
            #expect((0..<column.count).map { joined.nameKeys[name]?[$0] } == (0..<column.count).map { column[$0] }, "\(name)")
        }
    }

    @Test func joiningNothingOrEmptyColumnsGivesEmptyColumns() {
        #expect(FeatureColumn(joining: []).count == 0)
        #expect(FeatureColumn(joining: [FeatureColumn(), FeatureColumn()]).count == 0)
        var one = FeatureColumn()
        one.append("")
        one.append("x")
        let joined = FeatureColumn(joining: [FeatureColumn(), one, FeatureColumn(), one])
        #expect((0..<joined.count).map { joined[$0] } == ["", "x", "", "x"])
    }
}

@Suite struct ReferenceIDTests {
    /// The repeat reported is the earliest in the file, with the first record that had its id.
    @Test func theEarliestRepeatIsNamedWithItsFirstLine() {
        #expect(throws: Never.self) { try ReferenceIndex.requireUniqueIDs([], lines: [], file: "c.csv", column: 1) }
        #expect(throws: Never.self) { try ReferenceIndex.requireUniqueIDs(["a", "b", "A", "a "], lines: [2, 3, 4, 5], file: "c.csv", column: 1) }
        do {
            try ReferenceIndex.requireUniqueIDs(["a", "b", "c", "b", "a", "c"], lines: [2, 3, 4, 7, 8, 9], file: "c.csv", column: 3)
            Issue.record("expected an error")
        } catch let error as ListWashError {
            #expect(error.description.contains("c.csv:7:3: error: id 'b' repeats (first on line 3)"), "\(error.description)")
        } catch {
            Issue.record("\(error)")
        }
    }

    /// Among many ids, a repeat of an id from long before (another batch) is found, and of
    /// three records with one id the second is named.
    @Test func repeatsFarApartAreFound() {
        var ids = (0..<50_000).map { "C\($0)" }
        ids[40_000] = "C17"
        ids[30_000] = "C3"
        ids[45_000] = "C3"
        let lines = ids.indices.map { $0 + 2 }
        do {
            try ReferenceIndex.requireUniqueIDs(ids, lines: lines, file: "c.csv", column: 1)
            Issue.record("expected an error")
        } catch let error as ListWashError {
            #expect(error.description.contains("c.csv:30002:1: error: id 'C3' repeats (first on line 5)"), "\(error.description)")
        } catch {
            Issue.record("\(error)")
        }
    }
}
