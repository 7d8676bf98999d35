import Foundation
import Testing
@testable import ListWash

/// A reviewer answers `review.csv` in a `decision` column; the next run neither asks again nor
/// decides against the answer.
@Suite struct ReviewDecisionsTests {
    let scratch = Scratch()

    /// Bob Smith and Robert Smith with two personal addresses: a possible duplicate (see
    /// ``ReviewPartnerTests``).
    static let bobs = """
        First Name,Last Name,Email,Company,Phone,Zip Code
        Bob,Smith,bob.smith@gmail.com,,508-366-2211,
        Karen,Alvarez,karen.alvarez@brightwater.com,Brightwater,512-370-1184,78701
        Luis,Becker,lbecker@gmail.com,Northgate,650-961-4410,94043
        Robert,Smith,robert.smith@yahoo.com,,,

        """

    /// Runs `p.yaml` into `folder`; every output row by column name, with its file.
    func run(_ folder: String, decisions: String? = nil) throws -> [[String: String]] {
        scratch.write("p.yaml", """
            inputs: [list.csv]
            references: {contacts: contacts.csv}
            \(decisions.map { "decisions: \($0)\n" } ?? "")stages: [normalize, dedupe, match]
            output: {folder: \(folder)}
            """)
        _ = try Runner(configuration: try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml")).run()
        var rows: [[String: String]] = []
        for disposition in ["load", "review"] {
            let (header, records) = try readCSV("\(scratch.path)/\(folder)/\(disposition).csv")
            rows += records.map { Dictionary(zip(header, $0), uniquingKeysWith: { first, _ in first }) }
        }
        return rows
    }

    /// Writes `folder`/review.csv back with `answer` in a `decision` column.
    func answer(_ folder: String, _ answer: String) throws {
        let (header, records) = try readCSV("\(scratch.path)/\(folder)/review.csv")
        let lines = ([header + ["decision"]] + records.map { $0 + [answer] }).map { $0.map { "\"\($0)\"" }.joined(separator: ",") }
        scratch.write("\(folder)/review.csv", lines.joined(separator: "\n") + "\n")
    }

    @Test(arguments: ["different", "same"])
    func anAnsweredPossibleDuplicateIsNotAskedAgain(decision: String) throws {
        scratch.write("list.csv", Self.bobs)
        scratch.write("contacts.csv", "Contact ID,First Name,Last Name,Email\n003X0009,Gavin,Belson,gavin@hooli.com\n")
        let first = try run("monday")
        let review = try #require(first.first { $0["listwash_disposition"] == "review" })
        #expect(review["listwash_review_key"]?.count == 33, "two fingerprints: \(review)")
        try answer("monday", decision)

        let second = try run("tuesday", decisions: "\"*/review.csv\"")
        #expect(!second.contains { $0["listwash_disposition"] == "review" }, "answered: not asked again")
        let bob = try #require(second.first { $0["listwash_row"] == "1" }), robert = try #require(second.first { $0["listwash_row"] == "4" })
        if decision == "same" {
            #expect(bob["listwash_cluster"] == robert["listwash_cluster"], "one person: \(bob) \(robert)")
        } else {
            #expect(bob["listwash_cluster"] != robert["listwash_cluster"], "two people")
        }
    }

    @Test func aRowAnsweredDifferentFromACRMRecordIsNotMatchedOrAskedAgain() throws {
        scratch.write("contacts.csv", "Contact ID,First Name,Last Name,Email,Phone,Mailing Zip\n003X0001,Robert,Smith,rsmith@acme.com,617-492-3811,\n")
        scratch.write("list.csv", "First Name,Last Name,Email,Company,Phone,Zip Code\nBob,Smith,bob.smith@gmail.com,,508-366-2211,\n")
        let review = try #require(try run("monday").first { $0["listwash_disposition"] == "review" })
        #expect(review["listwash_review_key"]?.hasSuffix(":contact:003X0001") == true, "\(review)")
        try answer("monday", "different")
        let again = try run("tuesday", decisions: "monday/review.csv")
        #expect(again.map { $0["listwash_disposition"] } == ["load"])
        #expect(again.first?["listwash_contact_id"] == "")

        _ = try run("sunday")
        try answer("sunday", "same")
        let matched = try run("wednesday", decisions: "sunday/review.csv")
        #expect(matched.first?["listwash_contact_id"] == "003X0001")
        #expect(matched.first?["listwash_match_reason"] == "contact:003X0001: a reviewer answered same")
    }

    @Test func anAnswerThatIsNeitherSameNorDifferentStopsWithItsPlace() throws {
        scratch.write("answers.csv", "listwash_review_key,decision\n00000000000000aa:00000000000000bb,maybe\n")
        scratch.write("list.csv", Self.bobs)
        scratch.write("contacts.csv", "Contact ID,First Name,Last Name,Email\n003X0009,Gavin,Belson,gavin@hooli.com\n")
        scratch.write("p.yaml", "inputs: [list.csv]\ndecisions: answers.csv\nstages: [normalize, dedupe]\noutput: {folder: out}\n")
        let result = try listwash(["run", "p.yaml"], in: scratch.path)
        #expect(result.status == 66)
        #expect(result.err.contains("answers.csv:2:2: error: unknown decision 'maybe': write same or different (or leave it empty)"), "\(result.err)")
    }
}
