import Testing
@testable import ListWashCore

@Suite struct JSONLinesTests {
    let folder = TemporaryFolder()

    @Test func readsFlatObjectsInKeyOrderAndRejectsBadLines() throws {
        let path = folder.write("in.jsonl", """
            {"email": "a@b.com", "name": "Zo\\u00eb \\"Z\\"", "age": 41, "vip": true, "note": null, "tags": ["x", "y"]}

            {"name": "Bo", "email": "bo@x.com"}
            {"email": "c@d.com", "nickname": "C"}
            not json
            """)
        let reader = try JSONLinesReader(path: path)
        #expect(reader.header == ["email", "name", "age", "vip", "note", "tags"])
        let schema = Schema(source: path, columns: reader.header, roles: [:])
        let batch = try #require(try reader.nextBatch(schema: schema, layout: OutputLayout()))
        #expect(batch.count == 4)
        #expect(batch.fields(0) == ["a@b.com", "Zoë \"Z\"", "41", "true", "", "[\"x\", \"y\"]"])
        #expect(batch.fields(1) == ["bo@x.com", "Bo", "", "", "", ""])
        #expect(batch.lines == [1, 3, 4, 5])
        #expect(batch.dispositions[2] == .rejected)
        #expect(batch.reasons[2] == "key 'nickname' is not in the first record")
        #expect(batch.reasons[3] == "invalid JSON at column 1: expected '{'")
        #expect(batch.rawText[3] == "not json")
    }

    @Test func writesOneObjectPerRecordWithEscapes() throws {
        let schema = Schema(source: "in", columns: ["name"], roles: [:])
        let batch = RecordBatch(schema: schema, rows: [["a \"q\"\n\u{1}"]])
        let path = "\(folder.path)/o.jsonl"
        let writer = try JSONLinesWriter(path: path, columns: OutputColumns(headers: [("in", ["name"])]), layout: OutputLayout())
        try writer.write(batch, rows: [0])
        try writer.finish()
        #expect(folder.read("o.jsonl").hasPrefix("{\"name\":\"a \\\"q\\\"\\n\\u0001\",\"listwash_row\":\"1\",\"listwash_source\":\"in\""))
    }
}
