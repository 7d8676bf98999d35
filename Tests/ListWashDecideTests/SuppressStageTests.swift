import ListWashCore
import ListWashMatch
import ListWashNormalize
import Testing
@testable import ListWashDecide

@Suite struct SuppressStageTests {
    let scratch = Scratch()

    /// The reasons of rows with one column `header` holding `values`, against one list.
    func reasons(list: String, header: String, _ values: [String], normalize: Bool = true) throws -> [String] {
        let stage = SuppressStage(lists: [try scratch.list("l.csv", list)])
        return try suppress(stage, header: [header], rows: values.map { [$0] }, normalize: normalize).map(\.reason)
    }

    @Test func anEmailMatchesAsNormalized() throws {
        let got = try reasons(list: "email\njane.doe@acme.com\n", header: "Email", ["Jane.Doe@ACME.com", " <jane.doe@acme.com> ", "jane.do@acme.com", ""])
        #expect(got == ["l.csv:2 email jane.doe@acme.com", "l.csv:2 email jane.doe@acme.com", "", ""])
    }

    @Test func anEmailMatchesEverySpellingOfTheSameMailbox() throws {
        let got = try reasons(list: "email\njane.doe@gmail.com\n", header: "Email",
                              ["janedoe+promo@googlemail.com", "J.A.N.E.D.O.E@gmail.com", "jane.doe@gmail.com", "jane.doe@acme.com", "janedoe@yahoo.com"])
        #expect(got == ["l.csv:2 email_key jane.doe@gmail.com", "l.csv:2 email_key jane.doe@gmail.com", "l.csv:2 email jane.doe@gmail.com", "", ""])
    }

    @Test func aHashedEntryMatchesTheLowerCasedTrimmedEmailAndItsKey() throws {
        // printf %s jane@acme.com | sha256sum; printf %s janedoe@gmail.com | sha256sum
        let list = """
            email_sha256,note
            7BB9E30283184C3B4BBBF2262A600BE7165D7E6F50E424A611AA64394E7ECDB5,upper case hex is fine
            d6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69,
            """
        let got = try reasons(list: list, header: "Email", ["  JANE@Acme.com ", "Jane.Doe+x@gmail.com", "jane@acme.org"])
        #expect(got == [
            "l.csv:2 email_sha256 7bb9e30283184c3b4bbbf2262a600be7165d7e6f50e424a611aa64394e7ecdb5",
            "l.csv:3 email_sha256 d6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69",
            "",
        ])
    }

    @Test func aDomainCoversItsSubdomainsButNoLookAlike() throws {
        let got = try reasons(list: "domain\nglobex.com\n", header: "Email",
                              ["hank@globex.com", "a@mail.globex.com", "b@eu.mail.globex.com", "c@notglobex.com", "d@globex.com.au", "e@globex.co"])
        #expect(got == Array(repeating: "l.csv:2 domain globex.com", count: 3) + ["", "", ""])
    }

    @Test func aDomainMatchesTheWebsiteToo() throws {
        let list = "domain,note\nglobex.com,\nmail.initech.com,only that host\n"
        let stage = SuppressStage(lists: [try scratch.list("l.csv", list)])
        let rows = [
            ["a@gmail.com", "https://www.globex.com/about"],
            ["b@gmail.com", "http://mail.initech.com"],
            ["c@gmail.com", "initech.com"],
            ["d@gmail.com", ""],
        ]
        let got = try suppress(stage, header: ["Email", "Website"], rows: rows).map(\.reason)
        #expect(got == ["l.csv:2 domain globex.com", "l.csv:3 domain mail.initech.com", "", ""])
    }

    @Test func aCompanyMatchesByItsKey() throws {
        let got = try reasons(list: "company\nGlobex Corp.\n", header: "Company",
                              ["GLOBEX CORPORATION", "Globex, Inc.", "  globex ", "The Globex Company", "Globex Group", "Globexx"])
        #expect(got == Array(repeating: "l.csv:2 company Globex Corp.", count: 4) + ["", ""])
    }

    @Test func theAccountARowMatchedSuppressesItByNameOrId() throws {
        let accounts = try AccountIndex(path: scratch.write("accounts.csv", "Account ID,Account Name,Website\n001X,Globex Corporation,globex-holdings.example\n002Y,Hooli,hooli.com\n003Z,Initrode,initrode.com\n"))
        let list = try scratch.list("c.csv", "company,account_id\nGlobex Corp.,\n,002Y\n")
        let stage = SuppressStage(lists: [list], accounts: accounts)
        let rows = [["Initrode"], ["Hooli"], ["Initrode"], ["Initrode"]]
        let got = try suppress(stage, header: ["Company"], rows: rows, extra: ["listwash_account_id": ["001X", "002Y", "003Z", ""]]).map(\.reason)
        #expect(got == ["c.csv:2 account_company Globex Corp. (account 001X Globex Corporation)", "c.csv:3 account_id 002Y", "", ""])
    }

    @Test func aPhoneMatchesInAnyFormat() throws {
        let got = try reasons(list: "phone\n(617) 555-0250\n", header: "Phone",
                              ["+1 617 555 0250", "617.555.0250", "1-617-555-0250", "(617)5550250 x12", "0016175550250", "617-555-0251"])
        #expect(got == Array(repeating: "l.csv:2 phone (617) 555-0250", count: 5) + [""])
    }

    @Test func aLocalPartMatchesWithOrWithoutItsTag() throws {
        let got = try reasons(list: "local_part\ninfo\nSales\n", header: "Email",
                              ["info@stark-industries.com", "Sales+EMEA@acme.com", "information@acme.com", "jane.info@acme.com"])
        #expect(got == ["l.csv:2 local_part info", "l.csv:3 local_part Sales", "", ""])
    }

    @Test func aCountryMatchesByNameOrCode() throws {
        let got = try reasons(list: "country\nCuba\nIR\n", header: "Country", ["CU", "cuba", "Iran", "IRN", "United States", ""])
        #expect(got == ["l.csv:2 country Cuba", "l.csv:2 country Cuba", "l.csv:3 country IR", "l.csv:3 country IR", "", ""])
    }

    @Test func withoutTheNormalizeStageTheRawFieldsAreNormalizedHere() throws {
        let list = try scratch.list("l.csv", "email,domain,company,phone,country\njane.doe@gmail.com,,,,\n,globex.com,,,\n,,Initech LLC,,\n,,,617-555-0250,\n,,,,Cuba\n")
        let stage = SuppressStage(lists: [list])
        let rows = [
            ["Jane.Doe+x@googlemail.com", "", "", ""],
            ["Hank <HANK@MAIL.GLOBEX.COM>", "", "", ""],
            ["a@b.com", "INITECH", "", ""],
            ["a@b.com", "", "+1 (617) 555 0250", ""],
            ["a@b.com", "", "", "cu"],
            ["a@b.com", "Acme", "617-555-0199", "US"],
        ]
        let got = try suppress(stage, header: ["Email", "Company", "Phone", "Country"], rows: rows, normalize: false).map(\.reason)
        #expect(got == ["l.csv:2 email_key jane.doe@gmail.com", "l.csv:3 domain globex.com", "l.csv:4 company Initech LLC", "l.csv:5 phone 617-555-0250", "l.csv:6 country Cuba", ""])
    }

    @Test func listsApplyInOrderAndTheFirstOneThatMatchesGivesTheReason() throws {
        let competitors = try scratch.list("competitors.csv", "# comment\ncompany,domain\nGlobex Corp.,globex.com\n")
        let optOuts = try scratch.list("opt-outs.csv", "email\nhank@globex.com\n")
        let rows = [["hank@globex.com", "Globex"]]
        let first = try suppress(SuppressStage(lists: [competitors, optOuts]), header: ["Email", "Company"], rows: rows)
        let second = try suppress(SuppressStage(lists: [optOuts, competitors]), header: ["Email", "Company"], rows: rows)
        #expect(first.map(\.reason) == ["competitors.csv:3 domain globex.com"])
        #expect(first.map(\.list) == ["competitors.csv"])
        #expect(second.map(\.reason) == ["opt-outs.csv:2 email hank@globex.com"])
        #expect(second.map(\.list) == ["opt-outs.csv"])
        #expect(first.map(\.disposition) == [.suppressed])
    }

    @Test func withinAListTheEntryOnTheFirstLineGivesTheReason() throws {
        let rows = [["hank@mail.globex.com"]]
        let domainFirst = try scratch.list("a.csv", "email,domain\n,mail.globex.com\n,globex.com\nhank@mail.globex.com,\n")
        let emailFirst = try scratch.list("b.csv", "email,domain\nhank@mail.globex.com,\n,globex.com\n,mail.globex.com\n")
        let parentFirst = try scratch.list("c.csv", "domain\nglobex.com\nmail.globex.com\n")
        #expect(try suppress(SuppressStage(lists: [domainFirst]), header: ["Email"], rows: rows).map(\.reason) == ["a.csv:2 domain mail.globex.com"])
        #expect(try suppress(SuppressStage(lists: [emailFirst]), header: ["Email"], rows: rows).map(\.reason) == ["b.csv:2 email hank@mail.globex.com"])
        #expect(try suppress(SuppressStage(lists: [parentFirst]), header: ["Email"], rows: rows).map(\.reason) == ["c.csv:2 domain globex.com"])
    }

    @Test func rowsAlreadySettledAreLeftAlone() throws {
        let stage = SuppressStage(lists: [try scratch.list("l.csv", "domain\nglobex.com\n")])
        let layout = OutputLayout(adding: NormalizeStage.columns + stage.outputColumns)
        let schema = try ColumnMapping().resolve(header: ["Email"], source: "in.csv")
        var batch = RecordBatch(schema: schema, layout: layout, rows: [["a@globex.com"], ["b@globex.com"], ["c@acme.com"]])
        try NormalizeStage().process(&batch)
        batch.settle(0, as: .rejected, reason: "ragged row")
        batch.settle(2, as: .review, reason: "possible match")
        try stage.process(&batch)
        #expect(batch.dispositions == [.rejected, .suppressed, .review])
        #expect(batch.reasons == ["ragged row", "l.csv:2 domain globex.com", "possible match"])
        let list = try #require(layout.column(SuppressStage.listColumn))
        #expect((0..<3).map { batch[$0, list] } == ["", "l.csv", ""])
    }

    @Test func aStageReadsItsFolderInSetUpAndRefusesToRunBeforeIt() throws {
        scratch.write("lists/b.csv", "domain\nglobex.com\n")
        scratch.write("lists/a.csv", "email\nhank@globex.com\n")
        scratch.write("lists/README.md", "# not a list\n")
        let stage = SuppressStage(folder: SuppressionFolder(path: "\(scratch.path)/lists"))
        var batch = RecordBatch(schema: try ColumnMapping().resolve(header: ["Email"], source: "in.csv"), layout: OutputLayout(adding: stage.outputColumns), rows: [["hank@globex.com"]])
        #expect(errorText { try stage.process(&batch) } == "error: the suppress stage processed a batch before setUp() read its lists")
        try stage.setUp()
        #expect(stage.lists.map(\.name) == ["a.csv", "b.csv"], "every *.csv in name order")
        try stage.process(&batch)
        #expect(batch.reasons == ["a.csv:2 email hank@globex.com"])
    }

    @Test func theBundledListsLoadAndCatchTheExampleRows() throws {
        let stage = SuppressStage(folder: SuppressionFolder(path: "\(packageRoot)/suppression-lists"))
        try stage.setUp()
        #expect(stage.lists.map(\.name) == ["competitors.csv", "disposable-domains.csv", "do-not-contact.csv", "embargoed-countries.csv", "free-mail-domains.csv", "opt-outs.csv", "role-accounts.csv"])
        var subject = SuppressionSubject()
        subject.email = "someone@gmail.com"
        #expect(stage.firstMatch(subject)?.list == "free-mail-domains.csv")
        subject.email = "x@guerrillamail.com"
        #expect(stage.firstMatch(subject)?.list == "disposable-domains.csv")
    }
}
