import Testing
@testable import ListWashCore

@Suite struct CSVReaderTests {
    let folder = TemporaryFolder()

    @Test func readsRFC4180QuotingAndLineBreaksInsideQuotes() throws {
        let path = folder.write("a.csv", "name,note,city\n\"Smith, John\",\"said \"\"hi\"\"\nthen left\",Boston\nAnn,,\"\"\n")
        let result = try readAll(path)
        #expect(result.header == ["name", "note", "city"])
        #expect(result.records == [["Smith, John", "said \"hi\"\nthen left", "Boston"], ["Ann", "", ""]])
        #expect(result.lines == [2, 4])
    }

    /// A rejected line that runs past the bytes read so far is rejected whole, CRLF included,
    /// and reading goes on at the next line (found by the fuzz tests: the line was cut at the
    /// end of the read, and its rest read as one more record).
    @Test(arguments: [3, 8, 13, 16, 29, 1 << 20])
    func aRejectedLineAcrossReadsIsRejectedWhole(_ chunk: Int) throws {
        let path = folder.write("r.csv", "a,b\r\n1,2\r\n\"x\"y,a long line that runs past the read\r\n3,4\r\n")
        var options = CSVOptions()
        options.chunkSize = chunk
        let result = try readAll(path, options: options)
        #expect(result.records == [["1", "2"], ["3", "4"]])
        #expect(result.lines == [2, 4])
        #expect(result.rejected.map(\.raw) == ["\"x\"y,a long line that runs past the read"])
        #expect(result.rejected.map(\.row) == [2])
    }

    /// A blank line that starts a read is skipped like any other, not read as a record of one
    /// empty field (found by the fuzz: it came out as a ragged row).
    @Test(arguments: 1...24)
    func aBlankLineAtTheStartOfAReadIsSkipped(_ chunk: Int) throws {
        let path = folder.write("b.csv", "\n\r\nEmail,Name\n\na@b.com,Ann\r\n\r\n\nc@d.com,Bo\n\n")
        var options = CSVOptions()
        options.chunkSize = chunk
        let result = try readAll(path, options: options)
        #expect(result.header == ["Email", "Name"])
        #expect(result.records == [["a@b.com", "Ann"], ["c@d.com", "Bo"]])
        #expect(result.lines == [5, 8])
        #expect(result.rejected.isEmpty)
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func acceptsEveryLineEnding(_ end: String) throws {
        let path = folder.write("e.csv", "a,b\(end)1,2\(end)3,4\(end)")
        let result = try readAll(path)
        #expect(result.records == [["1", "2"], ["3", "4"]])
        #expect(result.lines == [2, 3])
    }

    @Test func acceptsMixedLineEndingsAndBlankLinesAndNoFinalNewline() throws {
        let path = folder.write("m.csv", "a,b\r\n1,2\n\n3,4\r5,6")
        let result = try readAll(path)
        #expect(result.records == [["1", "2"], ["3", "4"], ["5", "6"]])
        #expect(result.lines == [2, 4, 5])
    }

    @Test func dropsUTF8ByteOrderMark() throws {
        let path = folder.write("bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("Email,Name\na@b.com,Zoë\n".utf8))
        let result = try readAll(path)
        #expect(result.header == ["Email", "Name"])
        #expect(result.records == [["a@b.com", "Zoë"]])
    }

    @Test(arguments: [(",", UInt8(ascii: ",")), (";", UInt8(ascii: ";")), ("\t", UInt8(ascii: "\t")), ("|", UInt8(ascii: "|"))])
    func sniffsTheDelimiter(_ text: String, _ byte: UInt8) throws {
        let rows = ["first\(text)last\(text)note", "Ann\(text)Lee\(text)\"a, b; c\"", "Bo\(text)Ek\(text)x"]
        let path = folder.write("d.csv", rows.joined(separator: "\n") + "\n")
        let result = try readAll(path)
        #expect(result.delimiter == byte)
        #expect(result.records == [["Ann", "Lee", "a, b; c"], ["Bo", "Ek", "x"]])
    }

    @Test func decodesWindows1252WithAWarning() throws {
        // "Müller" and "café" as Excel writes them in Windows-1252, with a curly quote (0x92).
        let bytes = Array("name,city\nM".utf8) + [0xFC] + Array("ller,caf".utf8) + [0xE9] + Array("\nO".utf8) + [0x92] + Array("Neil,x\n".utf8)
        let log = DiagnosticLog()
        let path = folder.write("w.csv", bytes: bytes)
        let result = try readAll(path, log: log)
        // Undeclared: decided per field, so the file as a whole counts as UTF-8.
        #expect(result.encoding == .utf8)
        #expect(result.records == [["Müller", "café"], ["O\u{2019}Neil", "x"]])
        #expect(result.repaired == [1, 2])
        #expect(log.all.map(\.message) == [
            "record 1: field 1 (name) is not valid UTF-8; decoding that field as Windows-1252 (flagged encoding_repaired)",
            "2 record(s) had fields that were not valid UTF-8; those fields alone were decoded as Windows-1252 and the records flagged encoding_repaired. Save as \"CSV UTF-8\" to avoid this warning",
        ])
        #expect(log.all.first?.location == SourceLocation(file: path, line: 2, column: 1))
    }

    /// The issue's file: one Windows-1252 byte (O'Neil's curly apostrophe) among UTF-8 values.
    /// Only that field is decoded as Windows-1252; José, Nestlé and Müller stay UTF-8, wherever
    /// the stray byte is (first record, past the first 64 KiB, last record, inside quotes).
    @Test(arguments: [0, 1, 3_000, 20_000])
    func decidesTheEncodingPerField(utf8RowsBefore: Int) throws {
        var bytes = Array("Email,First Name,Last Name,Company\n".utf8)
        for index in 0..<utf8RowsBefore { bytes += Array("josé\(index)@x.example,José,Núñez,Café \"Zoë\"\n".utf8) }
        bytes += Array("bob@x.example,Bob,\"O".utf8) + [0x92] + Array("Neil \"\"Bobby\"\"\",Acme\n".utf8)
        bytes += Array("ann@nestle.example,Ann,Lee,Nestlé S.A.\njürgen@müller.example,Jürgen,Müller,Müller AG\n".utf8)
        let log = DiagnosticLog()
        let path = folder.write("mixed.csv", bytes: bytes)
        let result = try readAll(path, log: log)
        #expect(result.encoding == .utf8)
        #expect(result.records.count == utf8RowsBefore + 3)
        #expect(result.records.prefix(utf8RowsBefore).allSatisfy { $0[1] == "José" && $0[2] == "Núñez" && $0[3] == "Café \"Zoë\"" })
        #expect(Array(result.records.suffix(3)) == [
            ["bob@x.example", "Bob", "O\u{2019}Neil \"Bobby\"", "Acme"],
            ["ann@nestle.example", "Ann", "Lee", "Nestlé S.A."],
            ["jürgen@müller.example", "Jürgen", "Müller", "Müller AG"],
        ])
        #expect(result.repaired == [utf8RowsBefore + 1])
        #expect(log.all.first?.location == SourceLocation(file: path, line: utf8RowsBefore + 2, column: 3))
        #expect(log.all.first?.message.contains("field 3 (Last Name)") == true)
    }

    @Test func decodesEachFieldOnItsOwn() {
        func decoded(_ bytes: [UInt8], as declared: TextEncoding? = nil) -> (String, Bool) {
            bytes.withUnsafeBufferPointer { let field = TextEncoding.decodeField($0, as: declared); return (field.text, field.repaired) }
        }
        // Undeclared: valid UTF-8 is kept, whatever it holds; anything else is Windows-1252.
        #expect(decoded([]) == ("", false))
        #expect(decoded(Array("Bob".utf8)) == ("Bob", false))
        #expect(decoded(Array("José Müller 😀 €".utf8)) == ("José Müller 😀 €", false))
        #expect(decoded(Array("O".utf8) + [0x92] + Array("Neil".utf8)) == ("O\u{2019}Neil", true))
        #expect(decoded(Array("M".utf8) + [0xFC] + Array("ller".utf8)) == ("Müller", true))
        #expect(decoded([0x80, 0x20, 0x9F]) == ("€ Ÿ", true))
        #expect(decoded([0x81]) == ("\u{FFFD}", true), "a byte Windows-1252 leaves undefined")
        // A field mixing UTF-8 and a Windows-1252 byte is not valid UTF-8: all of it is Windows-1252.
        #expect(decoded(Array("é".utf8) + [0xE9]) == ("Ã©é", true))
        // Truncated, overlong and surrogate sequences are not UTF-8.
        #expect(decoded([0xC3]) == ("Ã", true))
        #expect(decoded([0xC0, 0xAF]) == ("À¯", true))
        #expect(decoded([0xED, 0xA0, 0x80]) == ("í\u{A0}€", true))
        // Declared: used as is, never counted as repaired.
        #expect(decoded(Array("é".utf8), as: .windows1252) == ("Ã©", false))
        #expect(decoded(Array("plain".utf8), as: .windows1252) == ("plain", false))
        #expect(decoded(Array("O".utf8) + [0x92], as: .utf8) == ("O\u{FFFD}", false))
        #expect(decoded(Array("José".utf8), as: .utf8) == ("José", false))
    }

    @Test func aDeclaredEncodingIsUsedAsIs() throws {
        // "Ã©" written in Windows-1252 is the bytes C3 A9: valid UTF-8 ("é"), but declared 1252.
        let bytes = Array("n".utf8) + [0xE9] + Array("ame,city\nJos".utf8) + [0xC3, 0xA9] + Array(",O".utf8) + [0x92] + Array("Neil\n".utf8)
        var options = CSVOptions()
        options.encoding = .windows1252
        let log = DiagnosticLog()
        let result = try readAll(folder.write("declared.csv", bytes: bytes), options: options, log: log)
        #expect(result.encoding == .windows1252)
        #expect(result.header == ["néame", "city"])
        #expect(result.records == [["JosÃ©", "O\u{2019}Neil"]])
        #expect(result.repaired.isEmpty)
        #expect(log.all.isEmpty)

        options.encoding = .utf8
        let utf8 = try readAll(folder.write("declared.csv", bytes: bytes), options: options, log: log)
        #expect(utf8.encoding == .utf8)
        #expect(utf8.header == ["n\u{FFFD}ame", "city"])
        #expect(utf8.records == [["José", "O\u{FFFD}Neil"]])
        #expect(utf8.repaired.isEmpty)
        #expect(log.all.contains { $0.message.contains("declared utf-8") })
    }

    @Test func aRejectedLineKeepsItsUTF8AndRepairsOnlyTheOtherBytes() throws {
        let bytes = Array("a,b\nJosé,O".utf8) + [0x92] + Array("Neil,extra\n".utf8)
        let result = try readAll(folder.write("rag.csv", bytes: bytes))
        #expect(result.rejected.map(\.raw) == ["José,O\u{2019}Neil,extra"])
    }

    @Test func decodesAStrayInvalidRecordInAUTF8File() throws {
        let text = "name,city\n" + String(repeating: "Zoë,Paris\n", count: 20_000)
        let bytes = Array(text.utf8) + Array("M".utf8) + [0xFC] + Array("ller,Berlin\n".utf8)
        let log = DiagnosticLog()
        let result = try readAll(folder.write("late.csv", bytes: bytes), log: log)
        #expect(result.encoding == .utf8)
        #expect(result.records.count == 20_001)
        #expect(result.records.last == ["Müller", "Berlin"])
        #expect(log.all.contains { $0.location?.line == 20_002 })
    }

    @Test func rejectsRaggedRowsWithLineAndRawText() throws {
        let path = folder.write("r.csv", "a,b,c\n1,2,3\n1,2\n1,2,3,4\n5,6,7,,\n")
        let result = try readAll(path)
        #expect(result.records == [["1", "2", "3"], ["5", "6", "7"]])
        #expect(result.rejected.map(\.reason) == ["ragged row: 2 fields where the header has 3", "ragged row: 4 fields where the header has 3"])
        #expect(result.rejected.map(\.row) == [2, 3])
        #expect(result.rejected.map(\.raw) == ["1,2", "1,2,3,4"])
    }

    @Test func rejectsAnUnterminatedQuoteAndReadsOnAfterIt() throws {
        let path = folder.write("q.csv", "a,b\n1,\"open\n2,3\n4,5\n")
        let result = try readAll(path)
        #expect(result.rejected.map(\.reason) == ["unterminated quote"])
        #expect(result.rejected.first?.raw == "1,\"open")
        #expect(result.records == [["2", "3"], ["4", "5"]])
    }

    @Test func rejectsTextAfterAClosingQuote() throws {
        let path = folder.write("t.csv", "a,b\n\"x\"y,1\n2,3\n")
        let result = try readAll(path)
        #expect(result.rejected.first?.reason.hasPrefix("text after a closing quote in field 1") == true)
        #expect(result.records == [["2", "3"]])
    }

    @Test func rejectsNULBytesButKeepsTheRecord() throws {
        let bytes = Array("a,b\nx".utf8) + [0] + Array("y,2\n3,4\n".utf8)
        let result = try readAll(folder.write("nul.csv", bytes: bytes))
        #expect(result.rejected.map(\.reason) == ["NUL byte (0x00) in column 1; it was removed"])
        #expect(result.records == [["3", "4"]])
    }

    @Test func readsAOneMegabyteLine() throws {
        let long = String(repeating: "x", count: 1 << 20)
        let path = folder.write("long.csv", "a,b\n\(long),\"\(long)\"\nshort,1\n")
        let result = try readAll(path)
        #expect(result.records.count == 2)
        #expect(result.records.first?.map(\.count) == [1 << 20, 1 << 20])
    }

    @Test func readsRecordsAcrossChunkBoundaries() throws {
        var text = "id,name,note\n"
        var expected: [[String]] = []
        for index in 0..<60_000 {
            let note = index % 7 == 0 ? "line\nbreak, \"\(index)\"" : "n\(index)"
            expected.append(["\(index)", "name \(index)", note])
            text += "\(index),name \(index),\"\(note.replacingOccurrences(of: "\"", with: "\"\""))\"\r\n"
        }
        let result = try readAll(folder.write("big.csv", text), options: { var o = CSVOptions(); o.batchSize = 1000; return o }())
        #expect(result.records == expected)
    }

    @Test func emptyFileHasNoHeaderAndNoRecords() throws {
        let result = try readAll(folder.write("empty.csv", ""))
        #expect(result.header.isEmpty)
        #expect(result.records.isEmpty)
    }

    @Test func headerOnlyFileHasNoRecords() throws {
        let result = try readAll(folder.write("h.csv", "a,b\n"))
        #expect(result.header == ["a", "b"])
        #expect(result.records.isEmpty)
    }

    @Test func readsAHeaderlessFileWithGivenNames() throws {
        var options = CSVOptions()
        options.hasHeader = false
        options.columnNames = ["email", "name"]
        let result = try readAll(folder.write("nh.csv", "a@b.com,Ann\n"), options: options)
        #expect(result.header == ["email", "name"])
        #expect(result.records == [["a@b.com", "Ann"]])
    }

    @Test func refusesUTF16WithAClearMessage() throws {
        let path = folder.write("u16.csv", bytes: [0xFF, 0xFE, 0x61, 0x00])
        #expect(throws: ListWashError.self) { try readAll(path) }
        do { _ = try readAll(path) } catch let error as ListWashError {
            #expect(error.description == "\(path):1: error: \(path) is UTF-16 text; save it as UTF-8 (Excel: \"CSV UTF-8\") and run again")
            #expect(error.exitStatus == 65)
        }
    }

    @Test func missingFileIsAnInputError() {
        do {
            _ = try CSVReader(path: "/nonexistent/x.csv")
            Issue.record("expected an error")
        } catch let error as ListWashError {
            #expect(error.description == "/nonexistent/x.csv: error: cannot open /nonexistent/x.csv: no such file")
            #expect(error.exitStatus == 65)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite struct RecordBatchFieldTests {
    /// `withFields` reads what `withField` reads, for every record and column, records shorter
    /// than the header and columns past the end included.
    @Test func withFieldsReadsWhatWithFieldReads() {
        let schema = Schema(source: "t.csv", columns: ["a", "b", "c"], roles: [:])
        let rows = [["x", "", "zé"], ["only"], [], ["1", "2", "3"]]
        let batch = RecordBatch(schema: schema, rows: rows)
        batch.withFields { field in
            for row in rows.indices {
                for column in -1...4 {
                    let expected = batch.withField(row, column: column) { Array($0) }
                    #expect(Array(field(row, column)) == expected, "row \(row) column \(column)")
                    #expect(Array(field(row, column)) == (rows[row].indices.contains(column) ? Array(rows[row][column].utf8) : []))
                }
            }
        }
    }
}
