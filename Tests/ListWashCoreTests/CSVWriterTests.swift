import Testing
@testable import ListWashCore

@Suite struct CSVWriterTests {
    let folder = TemporaryFolder()


    static func randomField(_ random: inout SeededRandom) -> String {
        let alphabet: [String] = ["a", "Z", " ", ",", "\"", "\n", "\r\n", ";", "é", "日本", "🙂", "\t", "'", "x"]
        let length = Int(random.next() % 12)
        return (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
    }

    @Test func roundTripsAnyFieldsUnchanged() throws {
        var random = SeededRandom(seed: 42)
        let header = ["a", "b", "c", "d"]
        var rows: [[String]] = []
        for _ in 0..<2_000 {
            var row = (0..<4).map { _ in Self.randomField(&random) }
            if row.allSatisfy(\.isEmpty) { row[0] = "x" }  // a line of only delimiters is still a record
            rows.append(row)
        }
        let schema = Schema(source: "in.csv", columns: header, roles: [:])
        let batch = RecordBatch(schema: schema, rows: rows)
        let path = "\(folder.path)/out.csv"
        let writer = try CSVWriter(path: path, columns: OutputColumns(headers: [("in.csv", header)]), layout: OutputLayout())
        try writer.write(batch, rows: Array(0..<batch.count))
        try writer.finish()
        var options = CSVOptions()
        options.delimiter = UInt8(ascii: ",")
        let result = try readAll(path, options: options)
        #expect(result.rejected.isEmpty)
        #expect(result.records.map { Array($0.prefix(4)) } == rows)
        #expect(result.records.map { $0[4] } == (1...2_000).map(String.init))
    }

    /// The word-at-a-time quote check and the short-copy paths, at every length up to 40 and
    /// every position of a byte that needs quotes: the field comes back whole.
    @Test func fieldsOfEveryShortLengthRoundTrip() throws {
        var rows: [[String]] = []
        for length in 0...40 {
            let plain = String((0..<length).map { Character(UnicodeScalar(UInt8(ascii: "a") + UInt8($0 % 26))) })
            rows.append([plain, "x"])
            for position in 0..<length {
                for special in [",", "\"", "\n", "\r"] {
                    var field = Array(plain)
                    field[position] = Character(special)
                    rows.append([String(field), "x"])
                    let needs = String(field).utf8.withContiguousStorageIfAvailable { CSVWriter.needsQuotes($0) }
                    #expect(needs == true, "\(length) \(position) \(special)")
                }
            }
            #expect(plain.utf8.withContiguousStorageIfAvailable { CSVWriter.needsQuotes($0) } == false)
        }
        let schema = Schema(source: "in.csv", columns: ["a", "b"], roles: [:])
        let batch = RecordBatch(schema: schema, rows: rows)
        let path = "\(folder.path)/short.csv"
        let writer = try CSVWriter(path: path, columns: OutputColumns(headers: [("in.csv", ["a", "b"])]), layout: OutputLayout())
        try writer.write(batch, rows: Array(0..<batch.count))
        try writer.finish()
        var options = CSVOptions()
        options.delimiter = UInt8(ascii: ",")
        let result = try readAll(path, options: options)
        #expect(result.records.map { Array($0.prefix(2)) } == rows)
    }

    @Test func appendsListWashColumnsAfterTheInputColumns() throws {
        let schema = Schema(source: "in.csv", columns: ["Email", "Name"], roles: [:])
        let layout = OutputLayout(adding: ["listwash_email"])
        var batch = RecordBatch(schema: schema, layout: layout, rows: [["A@B.COM", "Ann, Lee"]])
        batch[0, layout.column("listwash_email")!] = "a@b.com"
        batch.settle(0, as: .review, reason: "possible match")
        let path = "\(folder.path)/o.csv"
        let writer = try CSVWriter(path: path, columns: OutputColumns(headers: [("in.csv", schema.columns)]), layout: layout)
        try writer.write(batch, rows: [0])
        try writer.finish()
        #expect(folder.read("o.csv") == """
            Email,Name,listwash_row,listwash_source,listwash_disposition,listwash_reason,listwash_cluster,listwash_match_id,listwash_match_score,listwash_email
            A@B.COM,"Ann, Lee",1,in.csv,review,possible match,,,,a@b.com

            """)
    }

    /// The worst case for the encoder's size bound: every field, value, reason and raw text
    /// all quotes (each doubled, then quoted), a ragged rejected row, and a long source name.
    @Test func writesFieldsOfOnlyQuotesWhole() throws {
        let quotes = String(repeating: "\"", count: 9)
        let schema = Schema(source: String(repeating: "\"s,", count: 20), columns: ["a", "b", "c"], roles: [:])
        let layout = OutputLayout(adding: ["listwash_email"])
        var batch = RecordBatch(schema: schema, layout: layout, rows: [[quotes, quotes, quotes], [quotes]])
        batch[0, layout.column("listwash_email")!] = quotes
        batch.settle(1, as: .rejected, reason: quotes)
        batch.keepRawText(1, quotes + "," + quotes)
        let path = "\(folder.path)/q.csv"
        let writer = try CSVWriter(path: path, columns: OutputColumns(headers: [(schema.source, schema.columns)]), layout: layout, includeRawText: true)
        try writer.write(batch, rows: [0, 1])
        try writer.finish()
        var options = CSVOptions()
        options.delimiter = UInt8(ascii: ",")
        let result = try readAll(path, options: options)
        #expect(result.rejected.isEmpty)
        #expect(result.records.count == 2)
        #expect(Array(result.records[0].prefix(3)) == [quotes, quotes, quotes])
        #expect(result.records[0][4] == schema.source)
        #expect(result.records[0][10] == quotes)
        #expect(result.records[1][0] == quotes && result.records[1][1] == "")
        #expect(result.records[1][6] == quotes && result.records[1][11] == quotes + "," + quotes)
    }

    @Test func unitesTheColumnsOfSourcesWithDifferentHeaders() {
        let columns = OutputColumns(headers: [("a.csv", ["Email", "Name", "Name"]), ("b.csv", ["Name", "Phone", "Email"])])
        #expect(columns.names == ["Email", "Name", "Name", "Phone"])
        #expect(columns.columnMap(for: "a.csv") == [0, 1, 2, -1])
        #expect(columns.columnMap(for: "b.csv") == [2, 0, -1, 1])
    }
}
