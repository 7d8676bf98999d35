import Foundation
import Testing
@testable import ListWash

@Suite struct SuppressionRunTests {
    let scratch = Scratch()

    @Test func theBundledPipelineSuppressesCompetitorsRoleAndDisposableAddresses() throws {
        var overrides = RunOverrides()
        overrides.out = "\(scratch.path)/out"
        let configuration = try PipelineConfiguration.load(path: "\(packageRoot)/pipelines/acquired-list.yaml").applying(overrides)
        let report = try Runner(configuration: configuration).run()
        let suppressed = try readCSV("\(scratch.path)/out/suppressed.csv")
        let email = try #require(suppressed.header.firstIndex(of: "E-mail Address"))
        let reason = try #require(suppressed.header.firstIndex(of: "listwash_reason"))
        let list = try #require(suppressed.header.firstIndex(of: "listwash_suppression_list"))
        let byEmail = Dictionary(uniqueKeysWithValues: suppressed.rows.map { ($0[email], ($0[reason], $0[list])) })
        #expect(byEmail.keys.sorted() == ["ann.lee@mailinator.com", "hank@globex.com", "info@stark-industries.com", "lisa.wong@globexcorporation.com"])
        #expect(byEmail["hank@globex.com"]?.0 == "competitors.csv:14 domain globex.com")
        #expect(byEmail["lisa.wong@globexcorporation.com"]?.0 == "competitors.csv:14 company Globex Corp.", "GLOBEX CORPORATION by the company key")
        #expect(byEmail["info@stark-industries.com"]?.0 == "role-accounts.csv:5 local_part info")
        #expect(byEmail["ann.lee@mailinator.com"]?.0.hasPrefix("disposable-domains.csv:") == true)
        #expect(byEmail["ann.lee@mailinator.com"]?.0.hasSuffix(" domain mailinator.com") == true)
        #expect(byEmail["hank@globex.com"]?.1 == "competitors.csv")
        #expect(report.totals.rowsOut["suppressed"] == 4)
        // Nothing is lost: every row is in exactly one output file.
        let rowsOut = try Disposition.allCases.map { try readCSV("\(scratch.path)/out/\($0.fileName())").rows.count }
        #expect(report.totals.rowsIn == 25)
        #expect(rowsOut.reduce(0, +) == report.totals.rowsIn)
        #expect(report.stages == ["normalize", "validate", "dedupe", "match", "suppress", "decide", "score", "route"])
    }

    /// Invisible characters in a list entry (a zero-width space after "info", a NUL in an
    /// email, a BOM before a domain) are removed as they are from input values: the entries
    /// hold their people back, no NUL reaches suppressed.csv, and the run and `check` say where.
    @Test func invisibleCharactersInListEntriesAreRemovedAndReported() throws {
        scratch.write("in.csv", "Email,Company\ninfo@acme.com,Acme\nann@nestle.example,Acme\nbo@globex.com,Acme\nkim@hooli.com,Hooli\n")
        scratch.write("lists/role-accounts.csv", "local_part\ninfo\u{200B}\n")
        scratch.write("lists/do-not-contact.csv", "email\nann@nestle.example\u{0}\n")
        scratch.write("lists/competitors.csv", "domain\n\u{FEFF}globex.com\u{00AD}\n")
        scratch.write("p.yaml", "inputs: [in.csv]\nsuppression: lists\nstages: [normalize, suppress]\noutput: {folder: out}\n")
        let log = DiagnosticLog()
        let configuration = try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml")
        let report = try Runner(configuration: configuration, log: log).run()
        #expect(report.totals.rowsOut["suppressed"] == 3)
        #expect(report.totals.rowsOut["load"] == 1, "kim@hooli.com alone loads")
        let suppressed = try String(contentsOfFile: "\(scratch.path)/out/suppressed.csv", encoding: .utf8)
        #expect(!suppressed.unicodeScalars.contains { $0.value == 0 || $0.value == 0x200B || $0.value == 0xFEFF })
        let warnings = log.all.map(\.description)
        #expect(warnings.filter { $0.contains("invisible characters") }.count == 3, "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("\(scratch.path)/lists/role-accounts.csv:2:1: warning:") }, "\(warnings)")
        let checked = DiagnosticLog()
        let lists = try configuration.checkSuppressionLists(log: checked)
        #expect(lists.map(\.cleanedCells.count) == [1, 1, 1])
        #expect(checked.all.count == 3)
    }

    @Test func theAccountARowMatchedCarriesCompetitorSuppression() throws {
        scratch.write("in.csv", "Email,Company\nsam@hooli.com,Acme\n")
        scratch.write("accounts.csv", "Account ID,Account Name,Website\n001,Hooli XYZ Inc.,hooli.com\n")
        scratch.write("lists/competitors.csv", "company\nHooli XYZ\n")
        scratch.write("p.yaml", "inputs: [in.csv]\nreferences: {accounts: accounts.csv}\nsuppression: lists\nstages: [normalize, match, suppress]\noutput: {folder: out}\n")
        _ = try Runner(configuration: try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml")).run()
        let suppressed = try readCSV("\(scratch.path)/out/suppressed.csv")
        let reason = try #require(suppressed.header.firstIndex(of: "listwash_reason"))
        #expect(suppressed.rows.map { $0[reason] } == ["competitors.csv:2 account_company Hooli XYZ (account 001 Hooli XYZ Inc.)"])
    }

    /// The issue's file: one Windows-1252 byte (O'Neil's curly apostrophe, 0x92) among UTF-8
    /// values used to make the whole file decode as Windows-1252, so Nestlé and Müller became
    /// mojibake and the do-not-contact and competitor entries stopped matching (load 3,
    /// suppressed 0). Decided per field, only O'Neil's field is decoded as Windows-1252.
    @Test func oneWindows1252ByteDoesNotUnsuppressTheUTF8Rows() throws {
        let bytes = Array("Email,First Name,Last Name,Company\nbob@x.example,Bob,O".utf8) + [0x92]
            + Array("Neil,Acme\nann@nestle.example,Ann,Lee,Nestlé S.A.\njürgen@müller.example,Jürgen,Müller,Müller AG\n".utf8)
        for withStrayByte in [true, false] {
            scratch.write("in.csv", bytes: withStrayByte ? bytes : Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\u{FFFD}", with: "\u{2019}").utf8))
            scratch.write("lists/do-not-contact.csv", "email,note\njürgen@müller.example,asked by phone\n")
            // The list too is read per value: Nestlé in UTF-8, a second entry typed in Windows-1252.
            scratch.write("lists/competitors.csv", bytes: Array("company,domain\nNestlé S.A.,\nCaf".utf8) + [0xE9] + Array(" Corp,\n".utf8))
            let out = withStrayByte ? "out-1252" : "out-utf8"
            scratch.write("p.yaml", "inputs: [in.csv]\nsuppression: {folder: lists, lists: [do-not-contact.csv, competitors.csv]}\nstages: [normalize, validate, dedupe, suppress]\noutput: {folder: \(out)}\n")
            let report = try Runner(configuration: try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml")).run()
            #expect(report.totals.rowsOut["suppressed"] == 2)
            #expect(report.totals.rowsOut["load"] == 1)
            #expect(report.warnings.contains { $0.hasSuffix("competitors.csv:3: warning: 1 line(s) of the suppression list had values that were not valid UTF-8; those values alone were read as Windows-1252. Save the list as UTF-8 to avoid this warning") })
            #expect(report.warnings.contains { $0.contains("encoding_repaired") } == withStrayByte)
            let suppressed = try readCSV("\(scratch.path)/\(out)/suppressed.csv")
            let email = try #require(suppressed.header.firstIndex(of: "Email"))
            let reason = try #require(suppressed.header.firstIndex(of: "listwash_reason"))
            #expect(suppressed.rows.map { $0[email] } == ["ann@nestle.example", "jürgen@müller.example"])
            #expect(suppressed.rows.first?[reason] == "competitors.csv:2 company Nestlé S.A.")
            #expect(suppressed.rows.last?[reason].hasPrefix("do-not-contact.csv:2 email") == true)
            let load = try readCSV("\(scratch.path)/\(out)/load.csv")
            let last = try #require(load.header.firstIndex(of: "Last Name"))
            let flags = try #require(load.header.firstIndex(of: "listwash_flags"))
            #expect(load.rows.map { $0[last] } == ["O\u{2019}Neil"], "the repaired field is written as its UTF-8 decoding")
            #expect(load.rows.first?[flags].split(separator: ";").contains("encoding_repaired") == withStrayByte)
            let company = try #require(suppressed.header.firstIndex(of: "Company"))
            #expect(suppressed.rows.map { $0[company] } == ["Nestlé S.A.", "Müller AG"], "UTF-8 fields are written unchanged")
        }
    }

    /// A file declared `encoding: windows-1252` is decoded as declared, every field, and no row
    /// is flagged: the bytes C3 A9 are "Ã©" there, not "é".
    @Test func aDeclaredWindows1252InputIsDecodedAsDeclared() throws {
        let bytes = Array("Email,Last Name,Company\nbob@x.example,O".utf8) + [0x92] + Array("Neil,Caf".utf8) + [0xC3, 0xA9]
            + Array("\nann@nestle.example,Lee,Nestl".utf8) + [0xE9] + Array(" S.A.\n".utf8)
        scratch.write("in.csv", bytes: bytes)
        scratch.write("lists/competitors.csv", "company\nNestlé S.A.\n")
        scratch.write("p.yaml", "inputs:\n  - {path: in.csv, encoding: windows-1252}\nsuppression: {folder: lists, lists: [competitors.csv]}\nstages: [normalize, suppress]\noutput: {folder: out}\n")
        let report = try Runner(configuration: try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml")).run()
        #expect(report.inputs.map(\.encoding) == ["windows-1252"])
        let load = try readCSV("\(scratch.path)/out/load.csv")
        let flags = try #require(load.header.firstIndex(of: "listwash_flags"))
        #expect(load.rows.map { Array($0[0..<3]) } == [["bob@x.example", "O\u{2019}Neil", "CafÃ©"]])
        #expect(load.rows.first?[flags].contains("encoding_repaired") == false)
        let suppressed = try readCSV("\(scratch.path)/out/suppressed.csv")
        #expect(suppressed.rows.map { $0[2] } == ["Nestlé S.A."])
    }

    @Test func stageOptionsNameTheListsAndTheirOrder() throws {
        scratch.write("in.csv", "Email\nhank@globex.com\n")
        scratch.write("lists/a.csv", "domain\nglobex.com\n")
        scratch.write("lists/b.csv", "email\nhank@globex.com\n")
        scratch.write("p.yaml", "inputs: [in.csv]\nsuppression: {folder: lists, lists: [a.csv]}\nstages: [normalize, {suppress: {lists: [b.csv, a.csv]}}]\noutput: {folder: out}\n")
        _ = try Runner(configuration: try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml")).run()
        let suppressed = try readCSV("\(scratch.path)/out/suppressed.csv")
        #expect(suppressed.rows.first?.contains("b.csv:2 email hank@globex.com") == true)
    }

    @Test func aBrokenOrMissingListStopsTheRunAndCheckFindsIt() throws {
        scratch.write("in.csv", "Email\na@b.com\n")
        scratch.write("lists/competitors.csv", "company,domain\nGlobex,globex.com\nAcme, Inc.,acme.com\n")
        scratch.write("lists/empty.csv", "# nothing yet\ndomain\n")
        let cases: [(String, String)] = [
            ("[competitors.csv]", "\(scratch.path)/lists/competitors.csv:3: error: 3 fields where the header has 2; quote a value that holds a comma (\"Acme, Inc.\")"),
            ("[empty.csv]", "\(scratch.path)/lists/empty.csv:2: error: the suppression list has a header but no entries (a list named in the pipeline must suppress something)"),
            ("[opt-outs.csv]", "\(scratch.path)/lists/opt-outs.csv: error: suppression list 'opt-outs.csv' not found in \(scratch.path)/lists; the folder holds: competitors.csv, empty.csv"),
        ]
        for (lists, message) in cases {
            scratch.write("p.yaml", "inputs: [in.csv]\nsuppression: {folder: lists, lists: \(lists)}\nstages: [normalize, suppress]\noutput: {folder: out}\n")
            let configuration = try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml")
            for attempt in [{ _ = try configuration.checkSuppressionLists() }, { _ = try Runner(configuration: configuration).run() }] {
                do {
                    try attempt()
                    Issue.record("expected an error for \(lists)")
                } catch let error as ListWashError {
                    #expect(error.exitStatus == 66)
                    #expect(error.description == message)
                }
            }
            #expect(!FileManager.default.fileExists(atPath: "\(scratch.path)/out/load.csv"), "nothing is written")
        }
    }

    @Test func checkCountsTheBundledLists() throws {
        let configuration = try PipelineConfiguration.load(path: "\(packageRoot)/pipelines/acquired-list.yaml")
        let lists = try configuration.checkSuppressionLists()
        #expect(lists.map(\.list) == ["competitors.csv", "do-not-contact.csv", "opt-outs.csv", "role-accounts.csv", "disposable-domains.csv", "embargoed-countries.csv"])
        #expect(lists.allSatisfy { $0.entries > 0 })
    }

    @Test func aSuppressStageNeedsAFolderAndAFolderNeedsTheStage() throws {
        // Reading the file leaves room for --suppression; checking it (or running it) does not.
        let withoutFolder = try PipelineConfiguration.parse("inputs: [in.csv]\nstages: [suppress]", file: "\(scratch.path)/p.yaml")
        #expect(errorText { try withoutFolder.checkStages() } == "\(scratch.path)/p.yaml:2:10: error: the suppress stage needs a folder of suppression lists: suppression: {folder: suppression-lists} (or --suppression DIR)")
        scratch.write("in.csv", "Email\na@b.com\n")
        scratch.write("lists/l.csv", "domain\nb.com\n")
        let log = DiagnosticLog()
        var configuration = try PipelineConfiguration.parse("inputs: [in.csv]\nsuppression: lists\nstages: [normalize]", file: "\(scratch.path)/p.yaml")
        configuration.outputFolder = "\(scratch.path)/out"
        _ = try Runner(configuration: configuration, log: log).run()
        #expect(log.all.map(\.description) == ["\(scratch.path)/p.yaml: warning: suppression (\(scratch.path)/lists) named, but the pipeline has no 'suppress' stage that uses it"])
    }

    @Test func listwashCheckReadsTheListsAndExits66OnABrokenOne() throws {
        scratch.write("in.csv", "Email\na@b.com\n")
        scratch.write("lists/competitors.csv", "company,domain\nGlobex Corp.,globex.com\n")
        scratch.write("lists/opt-outs.csv", "email\nkramer@kramerica.example\nnot-an-email\n")
        scratch.write("good.yaml", "inputs: [in.csv]\nsuppression: {folder: lists, lists: [competitors.csv]}\nstages: [normalize, suppress]\n")
        scratch.write("broken.yaml", "inputs: [in.csv]\nsuppression: lists\nstages: [normalize, suppress]\n")
        let good = try listwash(["check", "good.yaml"], in: scratch.path)
        #expect(good.status == 0)
        #expect(good.out == "good.yaml: ok (1 input; stages: normalize | suppress; method: hybrid; suppression lists: competitors.csv (2))\n")
        let broken = try listwash(["check", "broken.yaml"], in: scratch.path)
        #expect(broken.status == 66)
        #expect(broken.err.contains("lists/opt-outs.csv:3:1: error: 'not-an-email' in column email is not an email address"), "\(broken.err)")
    }
}
