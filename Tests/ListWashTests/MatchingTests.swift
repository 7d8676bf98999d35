import Foundation
import Testing
@testable import ListWash
import ListWashMatch

@Suite struct MatchingTests {
    let scratch = Scratch()

    /// Runs the built-in dedupe (normalize, then the lead-list model) and returns each row's cluster.
    func clusters(_ csv: String) throws -> [String] {
        scratch.write("in.csv", csv)
        var configuration = try PipelineConfiguration.builtInDedupe()
        configuration.inputs = [.init(path: "\(scratch.path)/in.csv")]
        configuration.outputFile = "\(scratch.path)/out.csv"
        _ = try Runner(configuration: configuration).run()
        let output = try readCSV("\(scratch.path)/out.csv")
        let column = try #require(output.header.firstIndex(of: "listwash_cluster"))
        return output.rows.map { $0[column] }
    }

    @Test func findsRepeatsHiddenByNicknamesCaseDotsAndSwapsButKeepsFamiliesApart() throws {
        let found = try clusters("""
            First Name,Last Name,Email,Company,Phone,Zip Code
            Robert,Smith,bob.smith@acme.com,"Acme, Inc.",(617) 253-1000,02134
            BOB,SMITH,BOB.SMITH@ACME.COM,ACME Incorporated,617.253.1000,2134
            Maria,Garcia,maria.garcia@gmail.com,Initech,512-253-0148,78701
            maria,garcia,mariagarcia@googlemail.com,Initech LLC,,78701
            Smith,John,john.smith@hooli.com,Hooli,415-253-0120,94043
            John,Smith,john.smith@hooli.com,Hooli,415-253-0120,94043
            Mary,Smith,mary.smith@gmail.com,Hooli,415-253-0120,94043
            Peggy,Olson,peggy@sterling.com,Sterling Cooper,212-253-0190,10016
            Don,Draper,don@sterling.com,Sterling Cooper,212-253-0190,10016
            """)
        #expect(found[0] == found[1], "Robert/BOB Smith: nickname and case")
        #expect(found[2] == found[3], "Gmail dots and googlemail")
        #expect(found[4] == found[5], "first and last name swapped")
        #expect(found[6] != found[5], "a family member at the same phone and ZIP")
        #expect(found[7] != found[8], "colleagues sharing a company phone")
        #expect(Set(found).count == 6)
    }

    /// FEBRL1 and FEBRL2 without labelled data (EM), also without the social security number,
    /// as most lists have no national id: the prior EM finds among candidate pairs must be
    /// rescaled to a random pair's, else pairs sharing a blocking key count it twice.
    @Test(arguments: ["febrl1", "febrl2"], [true, false])
    func theFebrlPipelineFindsTheTruePairs(set: String, withSocialSecurityNumber: Bool) throws {
        let data = febrlFolder
        var text = try String(contentsOfFile: "\(packageRoot)/pipelines/examples/febrl.yaml", encoding: .utf8)
        if !withSocialSecurityNumber {
            text = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("soc_sec_id") }.joined(separator: "\n")
        }
        scratch.write("febrl.yaml", text)
        var configuration = try PipelineConfiguration.load(path: "\(scratch.path)/febrl.yaml")
        configuration.inputs = [.init(path: "\(data)/\(set).csv")]
        configuration.outputFile = "\(scratch.path)/\(set).csv"
        _ = try Runner(configuration: configuration).run()
        let output = try readCSV("\(scratch.path)/\(set).csv")
        let id = try #require(output.header.firstIndex(of: "rec_id")), cluster = try #require(output.header.firstIndex(of: "listwash_cluster"))
        let clusterOf = Dictionary(uniqueKeysWithValues: output.rows.map { ($0[id], $0[cluster]) })
        let truePairs = try readCSV("\(data)/\(set)_true_pairs.csv").rows
        let found = truePairs.filter { clusterOf[$0[0]] != nil && clusterOf[$0[0]] == clusterOf[$0[1]] }.count
        var sizes: [String: Int] = [:]
        for row in output.rows { sizes[row[cluster], default: 0] += 1 }
        let predicted = sizes.values.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        let precision = Double(found) / Double(max(predicted, 1)), recall = Double(found) / Double(truePairs.count)
        #expect(2 * precision * recall / (precision + recall) >= 0.99)
    }

    /// `listwash_name_suffix` is a normalized column like the others: dedupe's output carries
    /// it, and a model that reads it gets it for a CRM export too, whose normalize stage writes
    /// only the columns the model reads.
    @Test func theNameSuffixColumnReachesOutputsAndMatchModels() throws {
        scratch.write("in.csv", """
            First Name,Last Name,Email
            John,"Reed, JR",john.reed@acme.com
            John,Reed Sr.,j.reed@acme.com
            Ann,SMITH III,ann@hooli.com
            Al,"Reed, PhD",al@hooli.com
            """)
        var configuration = try PipelineConfiguration.builtInDedupe()
        configuration.inputs = [.init(path: "\(scratch.path)/in.csv")]
        configuration.outputFile = "\(scratch.path)/out.csv"
        _ = try Runner(configuration: configuration).run()
        let output = try readCSV("\(scratch.path)/out.csv")
        let last = try #require(output.header.firstIndex(of: "listwash_last_name"))
        let suffix = try #require(output.header.firstIndex(of: "listwash_name_suffix"))
        #expect(output.header.firstIndex(of: "listwash_name_suffix") == last + 1)
        #expect(output.rows.map { $0[last] } == ["Reed", "Reed", "Smith", "Reed"])
        #expect(output.rows.map { $0[suffix] } == ["Jr", "Sr", "III", ""])

        let model = MatchModel(
            comparisons: [Comparison(column: "listwash_last_name", method: .jaroWinkler), Comparison(column: "listwash_name_suffix", method: .exact)],
            blocking: [BlockingRule([BlockingKey(column: "listwash_last_name")])])
        let index = try ReferenceIndex(path: "\(scratch.path)/in.csv", kind: .contact, idColumn: "Email", model: model)
        let column = try #require(index.features.column("listwash_name_suffix"))
        #expect((0..<column.count).map { column[$0] } == ["jr", "sr", "iii", ""])
    }

    @Test func oversizeBlocksAreComparedByNeighbourhoodAndReported() {
        var model = MatchModel.leadList
        model.maxBlockSize = 20
        model.window = 5
        model.blocking = [BlockingRule([BlockingKey(column: "listwash_last_name")])]
        var features = FeatureSet(model: model)
        let schema = Schema(source: "s", columns: [], roles: [:])
        let layout = OutputLayout(adding: model.columns)
        var batch = RecordBatch(schema: schema, layout: layout, rows: Array(repeating: [], count: 300))
        let last = layout.column("listwash_last_name")!, first = layout.column("listwash_first_name")!
        for row in 0..<300 {
            batch[row, last] = "smith"
            batch[row, first] = "person\(row)"
        }
        features.add(batch, names: .init())
        let estimate = Deduplicator(model: model).estimate(features)
        #expect(estimate.blocking.rules.first?.oversizeBlocks == 1)
        #expect(estimate.blocking.rules.first?.largestBlock == 300)
        #expect(estimate.pairs.count <= 300 * 5)
    }

    /// A later rule leaves out the pairs an earlier rule compared in full, but not those of an
    /// earlier oversize block (compared only by neighbourhood there).
    @Test func laterRulesSkipOnlyPairsAnEarlierRuleComparedInFull() {
        var model = MatchModel.leadList
        model.maxBlockSize = 4
        model.window = 1
        model.blocking = [BlockingRule([BlockingKey(column: "listwash_last_name")]), BlockingRule([BlockingKey(column: "listwash_zip")])]
        let schema = Schema(source: "s", columns: [], roles: [:])
        let layout = OutputLayout(adding: model.columns)
        let last = layout.column("listwash_last_name")!, first = layout.column("listwash_first_name")!, zip = layout.column("listwash_zip")!
        let rows: [(String, String, String)] = [
            ("smith", "al", "10000"), ("smith", "bo", "10000"), ("smith", "cy", "30000"),    // one full block
            ("jones", "a", "20000"), ("jones", "b", "40001"), ("jones", "c", "20000"),       // an oversize block
            ("jones", "d", "40002"), ("jones", "e", "40003"), ("jones", "f", "40004"),
            ("brown", "zed", "30000"),
        ]
        var batch = RecordBatch(schema: schema, layout: layout, rows: Array(repeating: [], count: rows.count))
        for (row, values) in rows.enumerated() {
            batch[row, last] = values.0
            batch[row, first] = values.1
            batch[row, zip] = values.2
        }
        var features = FeatureSet(model: model)
        features.add(batch, names: .init())
        let pairs = Deduplicator(model: model).estimate(features).pairs.map { (Int($0 >> 32), Int($0 & 0xFFFF_FFFF)) }
        let expected = [(0, 1), (0, 2), (1, 2), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (3, 5), (2, 9)]
        #expect(pairs.map { "\($0.0)-\($0.1)" } == expected.map { "\($0.0)-\($0.1)" })
    }

    @Test func explainShowsEachComparisonTheTotalAndTheDecision() throws {
        scratch.write("p.yaml", "stages: [normalize, dedupe]")
        let workbench = try MatchWorkbench(configuration: try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml"))
        let explanation = try workbench.explain(left: ("\(packageRoot)/examples/acquired-list.csv", 21), right: ("\(packageRoot)/examples/acquired-list.csv", 22))
        #expect(explanation.rows.map(\.comparison) == ["first_name", "last_name", "suffix", "email", "phone", "company", "zip", "title"])
        #expect(explanation.rows[0].level == "nickname")
        #expect(explanation.rows[3].level == "exact")
        #expect(explanation.decision == "match")
        #expect(explanation.text.contains("thresholds: match >= 0.9, review >= 0.5 -> match"))
        #expect(errorText { _ = try workbench.explain(left: ("\(packageRoot)/examples/acquired-list.csv", 99), right: ("\(packageRoot)/examples/acquired-list.csv", 1)) }?.contains("has no record 99") == true)
    }

    @Test func theMatchStageFindsLeadsContactsAndAccounts() throws {
        var overrides = RunOverrides()
        overrides.out = "\(scratch.path)/out"
        let configuration = try PipelineConfiguration.load(path: "\(packageRoot)/pipelines/acquired-list.yaml").applying(overrides)
        let report = try Runner(configuration: configuration).run()
        // The summary names the largest cluster: one person's two rows, one address.
        #expect(report.summary.contains("largest cluster C1: 2 rows, 1 distinct email"), "\(report.summary)")
        let load = try readCSV("\(scratch.path)/out/load.csv"), attach = try readCSV("\(scratch.path)/out/attach.csv")
        #expect(load.header == attach.header)
        let output = (header: load.header, rows: load.rows + attach.rows)
        func column(_ name: String) throws -> Int { try #require(output.header.firstIndex(of: name)) }
        let email = try column("E-mail Address"), match = try column("listwash_match_id"), type = try column("listwash_match_type"), account = try column("listwash_account_id")
        let byEmail = Dictionary(output.rows.map { ($0[email].lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byEmail["jose.muller@umbrella-corp.com"]?[match] == "00QA0001")
        #expect(byEmail["jose.muller@umbrella-corp.com"]?[type] == "lead")
        #expect(byEmail["peggy.obrien@hooli.com"]?[match] == "003A0001")
        #expect(byEmail["peggy.obrien@hooli.com"]?[account] == "001A0002")
        #expect(byEmail["kim.nguyen@gmial.com"]?[match] == "00QA0002", "the corrected Gmail address finds the lead")
        #expect(byEmail["bob.smith@acme.com"]?[account] == "001A0001", "account by corporate domain")
        #expect(byEmail["maria.garcia@gmail.com"]?[account] == "", "never by a free-mail domain")
    }

    @Test func aReferenceWithoutIdsOrWithRepeatedIdsStopsTheRun() throws {
        scratch.write("in.csv", "Email,First Name,Last Name\na@b.com,Ann,Lee\n")
        scratch.write("noid.csv", "Email,First Name\na@b.com,Ann\n")
        scratch.write("twice.csv", "Id,Email\nX1,a@b.com\nX1,c@d.com\n")
        for (file, message) in [("noid.csv", "noid.csv:1: error: no id column in"), ("twice.csv", "twice.csv:3:1: error: id 'X1' repeats (first on line 2)")] {
            scratch.write("p.yaml", "inputs: [in.csv]\nreferences: {contacts: \(file)}\nstages: [normalize, match]\noutput: {folder: out}")
            do {
                _ = try Runner(configuration: try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml")).run()
                Issue.record("expected an error for \(file)")
            } catch let error as ListWashError {
                #expect(error.exitStatus == 66)
                #expect(error.description.contains(message), "\(error.description)")
            }
        }
    }

    @Test func trainWritesAModelFileThePipelineCanName() throws {
        let workbench = try MatchWorkbench(configuration: try PipelineConfiguration.load(path: "\(packageRoot)/pipelines/examples/febrl.yaml"))
        let trained = try workbench.train(on: ["\(febrlFolder)/febrl1.csv"])
        scratch.write("model.yaml", trained.yaml)
        scratch.write("p.yaml", "stages: [{dedupe: {model: model.yaml}}]")
        let model = try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml").matchModel()
        #expect(model.comparisons.map(\.name) == trained.model.comparisons.map(\.name))
        #expect(abs(model.comparisons[0].levels[0].m - trained.model.comparisons[0].levels[0].m) < 1e-9)
        #expect(!model.train)
        // What was learned is used as it is: not worked out again from the next list.
        #expect(!model.priorFromData && !model.learnM)
        #expect(abs(model.prior - trained.model.prior) < 1e-12)
    }

    /// A model file whose levels are not those this version scores (written before a level
    /// was added) is refused with the comparison's name, not scored by other levels' weights.
    @Test func aModelFileWithOtherLevelsIsRefused() throws {
        let workbench = try MatchWorkbench(configuration: try PipelineConfiguration.load(path: "\(packageRoot)/pipelines/examples/febrl.yaml"))
        let trained = try workbench.train(on: ["\(febrlFolder)/febrl1.csv"])
        #expect(trained.yaml.contains("label: else"))
        scratch.write("model.yaml", trained.yaml.replacingOccurrences(of: "label: else", with: "label: otherwise"))
        scratch.write("p.yaml", "stages: [{dedupe: {model: model.yaml}}]")
        let text = errorText { _ = try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml").matchModel() }
        #expect(text?.contains("'\(trained.model.comparisons[0].name)'") == true, "\(text ?? "")")
        #expect(text?.contains("listwash train") == true)
    }

    /// A pair's levels take 4 bits a comparison in 64 bits: a 17th comparison is refused with
    /// its place in the file, not scored wrongly.
    @Test func aModelWithMoreThanSixteenComparisonsIsRefused() throws {
        let comparisons = (1...17).map { "{column: c\($0)}" }.joined(separator: ", ")
        let text = errorText { _ = try PipelineConfiguration.parse("stages:\n  - dedupe: {comparisons: [\(comparisons)]}\n", file: "p.yaml").matchModel() }
        #expect(text?.contains("p.yaml:2:") == true, "\(text ?? "")")
        #expect(text?.contains("at most 16") == true)
        let sixteen = (1...16).map { "{column: c\($0)}" }.joined(separator: ", ")
        #expect(throws: Never.self) { _ = try PipelineConfiguration.parse("stages:\n  - dedupe: {comparisons: [\(sixteen)]}\n", file: "p.yaml").matchModel() }
    }
}

/// `listwash link` learns from its list what share of the rows the export holds.
@Suite struct LinkStageTests {
    let scratch = Scratch()

    /// `count` people with distinct names (a surname per row, from `surnames`), their work
    /// mailboxes at one of a few companies.
    func people(_ count: Int, surname: String, idPrefix: String) -> String {
        let first = ["Robert", "Mary", "John", "Anna", "Kim", "Luis", "Priya", "Omar"]
        var lines = ["Id,First Name,Last Name,Email,Company,Zip Code"]
        for index in 0..<count {
            let name = first[index % first.count], last = "\(surname)\(String(UnicodeScalar(UInt8(97 + index / first.count % 26))))\(String(UnicodeScalar(UInt8(97 + index / first.count / 26 % 26))))"
            lines.append("\(idPrefix)\(index),\(name),\(last),\(name.lowercased()).\(last.lowercased())@acme\(index % 5).com,Acme \(index % 5),0213\(index % 10)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Links `input` to `contacts.csv` and returns the share learned and the rows matched.
    func link(_ input: String) throws -> (share: Double, matched: Int) {
        scratch.write("in.csv", input)
        var configuration = try PipelineConfiguration.builtInDedupe()
        let model = try configuration.matchModel()
        configuration.removeStages(from: ["dedupe", "match"])
        configuration.inputs = [.init(path: "\(scratch.path)/in.csv")]
        configuration.outputFile = "\(scratch.path)/out.csv"
        let contacts = "\(scratch.path)/contacts.csv"
        let stage = LinkStage(match: MatchStage(name: "link", model: model, contacts: .init(path: contacts), leads: nil, accounts: nil))
        _ = try Runner(configuration: configuration, extraStages: [stage]).run()
        let output = try readCSV("\(scratch.path)/out.csv")
        let column = try #require(output.header.firstIndex(of: "listwash_match_id"))
        return (try #require(stage.customerShares[contacts]), output.rows.filter { !$0[column].isEmpty }.count)
    }

    /// A list of the export's own people learns that most rows are customers (and matches
    /// them); a list of other people learns that few are.
    @Test func aListOfCustomersLearnsAHighShareAndStrangersALowOne() throws {
        scratch.write("contacts.csv", people(600, surname: "Quill", idPrefix: "C"))
        let customers = try link(people(400, surname: "Quill", idPrefix: "I"))
        let strangers = try link(people(400, surname: "Vantreece", idPrefix: "I"))
        #expect(customers.share > 0.7, "\(customers)")
        #expect(customers.matched == 400)
        #expect(strangers.share < 0.1, "\(strangers)")
        #expect(strangers.matched == 0)
    }
}
