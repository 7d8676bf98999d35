import ListWashCore
import Testing
@testable import ListWashDecide

@Suite struct SuppressionListTests {
    let scratch = Scratch()

    func loadError(_ text: String, name: String = "l.csv") -> String? {
        errorText { _ = try scratch.list(name, text) }
    }

    @Test func commentsBlankLinesQuotesAndNotesAreRead() throws {
        let list = try scratch.list("l.csv", "# a comment\n\n  # indented comment\r\nCompany, Domain ,Note\r\n\"Initech, Inc.\",initech.com,\"says \"\"no\"\"\"\n,,only a note\nGlobex,,\n")
        #expect(list.entryCount == 3)
        #expect(list.kinds == [.company, .domain])
        var subject = SuppressionSubject()
        subject.companyKey = "initech"
        #expect(list.firstMatch(subject)?.reason == "l.csv:5 company Initech, Inc.")
    }

    @Test func headersFoldCaseSpacesAndHyphens() throws {
        let list = try scratch.list("l.csv", "Local Part,E-mail SHA256,Account-ID,website\ninfo,,,\n")
        #expect(list.kinds == [.localPart, .emailSHA256, .accountID, .domain])
    }

    @Test func anUnknownHeaderIsAnErrorWithDidYouMean() {
        #expect(loadError("emial,note\na@b.com,x\n") == "\(scratch.path)/l.csv:1:1: error: unknown column 'emial'. Did you mean 'email'? A suppression list's columns are kinds (email, email_sha256, domain, company, phone, local_part, country, account_id) or notes (note, notes, comment, ...)")
        #expect(loadError("# comment\ndomain,colour\nx.com,red\n") == "\(scratch.path)/l.csv:2:2: error: unknown column 'colour'. A suppression list's columns are kinds (email, email_sha256, domain, company, phone, local_part, country, account_id) or notes (note, notes, comment, ...)")
        #expect(loadError("note\nhello\n") == "\(scratch.path)/l.csv:1: error: no column of the header says what the list holds; name one: email, email_sha256, domain, company, phone, local_part, country, account_id")
    }

    @Test func aMalformedLineIsAnErrorNamingItsLine() {
        #expect(loadError("company,domain\nGlobex,globex.com\n# comment\nAcme, Inc.,acme.com\n") == "\(scratch.path)/l.csv:4: error: 3 fields where the header has 2; quote a value that holds a comma (\"Acme, Inc.\")")
        #expect(loadError("company\n\"Acme\n") == "\(scratch.path)/l.csv:2: error: unterminated quote (a value in a suppression list cannot span lines)")
        #expect(loadError("company\n\"Acme\" Inc\n") == "\(scratch.path)/l.csv:2:8: error: text after a closing quote; quote the whole value and double quotes inside it (\"say \"\"hi\"\"\")")
    }

    @Test func aValueThatIsNotItsKindIsAnErrorNamingLineAndColumn() {
        let cases: [(String, String)] = [
            ("note,email\n,ok@acme.com\nx,not-an-email\n", "l.csv:3:2: error: 'not-an-email' in column email is not an email address"),
            ("email_sha256\nabc123\n", "l.csv:2:1: error: 'abc123' in column email_sha256 is not a SHA-256 hash: 64 hexadecimal digits expected, found 6 characters"),
            ("email_sha256\n\(String(repeating: "g", count: 64))\n", "l.csv:2:1: error: '\(String(repeating: "g", count: 64))' in column email_sha256 is not a SHA-256 hash: 64 hexadecimal digits expected, found 64 characters"),
            ("phone\n(617) 555-0250\n12\n", "l.csv:3:1: error: '12' in column phone is not a phone number"),
            ("country\nCuba\nNarnia\n", "l.csv:3:1: error: 'Narnia' in column country is not a country: write a name or an ISO code (CU, Cuba)"),
            ("domain\nhank@globex.com\n", "l.csv:2:1: error: 'hank@globex.com' in column domain is not a domain: it is an email address; put it in an email column"),
            ("domain\ncom\n", "l.csv:2:1: error: 'com' in column domain is not a domain (globex.com)"),
            ("local_part\ninfo@acme.com\n", "l.csv:2:1: error: 'info@acme.com' in column local_part is not a local part: write the text before @ (info, not info@acme.com)"),
            ("company\nN/A\n", "l.csv:2:1: error: 'N/A' in column company is not a company name"),
        ]
        for (text, expected) in cases {
            #expect(loadError(text) == "\(scratch.path)/\(expected)")
        }
    }

    /// A list kept in Excel: one entry typed in Windows-1252 (Nestlé's é is the byte E9, the note's
    /// apostrophe 92), the others in UTF-8. Each value is decoded on its own, so every entry matches.
    @Test func anEntryThatIsNotUTF8IsDecodedAloneAndTheOthersStayUTF8() throws {
        let bytes = Array("company,email,note\nNestl".utf8) + [0xE9] + Array(" S.A.,,O".utf8) + [0x92] + Array("Neil added it\nMüller AG,jürgen@müller.example,\n".utf8)
        let list = try SuppressionList(path: scratch.write("l.csv", bytes: bytes))
        #expect(list.entryCount == 3)
        #expect(list.repairedLines == [2])
        let results = try suppress(
            SuppressStage(lists: [list]), header: ["Email", "First Name", "Company"],
            rows: [["ann@nestle.example", "Ann", "Nestlé S.A."], ["max@x.example", "Max", "Müller AG"], ["jürgen@müller.example", "Jürgen", "Other"], ["bob@x.example", "Bob", "Acme"]])
        #expect(results.map(\.disposition) == [.suppressed, .suppressed, .suppressed, nil])
        #expect(results[0].reason == "l.csv:2 company Nestlé S.A.")
        #expect(results[1].reason == "l.csv:3 company Müller AG")
        #expect(results[2].reason.hasPrefix("l.csv:3 email "))
    }

    @Test func aUTF16ListIsAnError() {
        let bytes: [UInt8] = [0xFF, 0xFE] + Array("company\n".utf8).flatMap { [$0, 0] }
        let path = scratch.write("u.csv", bytes: bytes)
        #expect(errorText { _ = try SuppressionList(path: path) } == "\(path): error: \(path) is UTF-16 text; save it as UTF-8 and run again")
    }

    @Test func anEmptyListIsAnError() {
        #expect(loadError("") == "\(scratch.path)/l.csv: error: the suppression list is empty: no header and no entries (a list named in the pipeline must suppress something)")
        #expect(loadError("# only comments\n\n") == "\(scratch.path)/l.csv: error: the suppression list is empty: no header and no entries (a list named in the pipeline must suppress something)")
        #expect(loadError("# header only\ndomain,note\n,just a note\n") == "\(scratch.path)/l.csv:2: error: the suppression list has a header but no entries (a list named in the pipeline must suppress something)")
    }

    @Test func everyListErrorExitsWith66() {
        do {
            _ = try scratch.list("l.csv", "email\nx\n")
            Issue.record("expected an error")
        } catch let error as ListWashError {
            #expect(error.exitStatus == 66)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aMissingListOrFolderIsAnError() throws {
        scratch.write("lists/competitors.csv", "company\nGlobex\n")
        scratch.write("lists/README.md", "read me\n")
        let lists = "\(scratch.path)/lists"
        #expect(errorText { _ = try SuppressionFolder(path: lists, lists: ["competitor.csv"]).listPaths() } == "\(lists)/competitor.csv: error: suppression list 'competitor.csv' not found in \(lists). Did you mean 'competitors.csv'?")
        #expect(errorText { _ = try SuppressionFolder(path: lists, lists: ["opt-outs.csv"]).listPaths() } == "\(lists)/opt-outs.csv: error: suppression list 'opt-outs.csv' not found in \(lists); the folder holds: competitors.csv")
        #expect(try SuppressionFolder(path: lists, lists: ["competitors"]).listPaths() == ["\(lists)/competitors.csv"])
        #expect(try SuppressionFolder(path: lists).listPaths() == ["\(lists)/competitors.csv"])
        #expect(errorText { _ = try SuppressionFolder(path: "\(scratch.path)/nowhere").listPaths() } == "\(scratch.path)/nowhere: error: suppression-list folder \(scratch.path)/nowhere not found")
        scratch.write("empty/README.md", "nothing\n")
        #expect(errorText { _ = try SuppressionFolder(path: "\(scratch.path)/empty").listPaths() } == "\(scratch.path)/empty: error: no suppression lists (*.csv) in \(scratch.path)/empty; add one or remove suppression: from the pipeline")
        #expect(errorText { _ = try SuppressionList(path: "\(lists)/gone.csv") } == "\(lists)/gone.csv: error: suppression list \(lists)/gone.csv not found")
    }

    @Test func theFirstLineOfRepeatedEntriesWins() throws {
        let list = try scratch.list("l.csv", "email\njane.doe@gmail.com\njanedoe@gmail.com\n")
        var subject = SuppressionSubject()
        subject.email = "janedoe@gmail.com"
        subject.emailKey = "janedoe@gmail.com"
        #expect(list.firstMatch(subject)?.reason == "l.csv:3 email janedoe@gmail.com")
        subject.email = "jane.d.oe@gmail.com"
        #expect(list.firstMatch(subject)?.reason == "l.csv:2 email_key jane.doe@gmail.com")
    }

    @Test func aSubjectBuiltByHandIsHashedForHashedLists() throws {
        let list = try scratch.list("h.csv", "email_sha256\n7bb9e30283184c3b4bbbf2262a600be7165d7e6f50e424a611aa64394e7ecdb5\n")
        var subject = SuppressionSubject()
        subject.email = "jane@acme.com"
        #expect(list.firstMatch(subject)?.rule == .emailSHA256)
        #expect(SuppressStage(lists: [list]).firstMatch(subject)?.line == 2)
    }
}
