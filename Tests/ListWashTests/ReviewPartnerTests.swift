import Foundation
import Testing
@testable import ListWash

/// A row sent to `review` names its possible partner in `listwash_review_partner`; no other row does.
@Suite struct ReviewPartnerTests {
    let scratch = Scratch()

    /// Runs `p.yaml` in the scratch folder and returns every output row by column name.
    func run() throws -> [[String: String]] {
        let configuration = try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml")
        _ = try Runner(configuration: configuration).run()
        var rows: [[String: String]] = []
        for disposition in ["load", "attach", "duplicate", "review", "suppressed", "rejected"] {
            let (header, records) = try readCSV("\(scratch.path)/out/\(disposition).csv")
            #expect(header.contains("listwash_review_partner"), "\(disposition).csv")
            rows += records.map { Dictionary(zip(header, $0), uniquingKeysWith: { first, _ in first }) }
        }
        return rows
    }

    /// Bob Smith and Robert Smith with two personal addresses: a possible duplicate. The
    /// later row goes to review naming the earlier as FILE:ROW, which `explain` takes.
    @Test func aPossibleDuplicateNamesItsRowAsFileAndRow() throws {
        let list = scratch.write("list.csv", """
            First Name,Last Name,Email,Company,Phone,Zip Code
            Bob,Smith,bob.smith@gmail.com,,508-366-2211,
            Karen,Alvarez,karen.alvarez@brightwater.com,Brightwater,512-370-1184,78701
            Luis,Becker,lbecker@gmail.com,Northgate,650-961-4410,94043
            Robert,Smith,robert.smith@yahoo.com,,,

            """)
        scratch.write("p.yaml", "inputs: [list.csv]\nstages: [normalize, dedupe]\noutput: {folder: out}")
        let rows = try run()
        let review = try #require(rows.first { $0["listwash_disposition"] == "review" })
        #expect(review["listwash_row"] == "4")
        #expect(review["listwash_review_partner"] == "\(list):1")
        #expect(review["listwash_reason"]?.hasPrefix("possible duplicate of row 1 of \(list) (p=") == true)
        #expect(rows.filter { !($0["listwash_review_partner"] ?? "").isEmpty }.count == 1, "only the review row names a partner")
        // The partner is a record explain takes, and it scores the pair as the reason says.
        let partner = try #require(review["listwash_review_partner"])
        let colon = try #require(partner.lastIndex(of: ":"))
        let workbench = try MatchWorkbench(configuration: try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml"))
        let explanation = try workbench.explain(left: (String(partner[..<colon]), try #require(Int(partner[partner.index(after: colon)...]))), right: (list, 4))
        #expect(review["listwash_reason"]?.contains("(p=\(String((explanation.probability * 10000).rounded() / 10000)),") == true)
    }

    /// Bob Smith with a personal address and another phone may be the CRM's Robert Smith: the
    /// row goes to review naming the contact as contact:ID.
    @Test func aPossibleCRMMatchNamesTheRecordByKindAndID() throws {
        scratch.write("contacts.csv", """
            Contact ID,First Name,Last Name,Email,Phone,Mailing Zip
            003X0001,Robert,Smith,rsmith@acme.com,617-492-3811,
            003X0002,Helen,Eriksen,helen.eriksen@keystone.com,215-339-7710,19103
            003X0003,Tomas,Fischer,tfischer@yahoo.com,206-442-9080,98101

            """)
        scratch.write("list.csv", """
            First Name,Last Name,Email,Company,Phone,Zip Code
            Bob,Smith,bob.smith@gmail.com,,508-366-2211,
            Karen,Alvarez,karen.alvarez@brightwater.com,Brightwater,512-370-1184,78701
            Helen,Eriksen,helen.eriksen@keystone.com,Keystone,215-339-7710,19103

            """)
        scratch.write("p.yaml", "inputs: [list.csv]\nreferences: {contacts: contacts.csv}\nstages: [normalize, dedupe, match]\noutput: {folder: out}")
        let rows = try run()
        let review = try #require(rows.first { $0["listwash_disposition"] == "review" })
        #expect(review["listwash_row"] == "1")
        #expect(review["listwash_review_partner"] == "contact:003X0001")
        #expect(review["listwash_reason"]?.hasPrefix("possible match to contact 003X0001 in ") == true)
        let matched = try #require(rows.first { $0["listwash_row"] == "3" })
        #expect(matched["listwash_match_id"] == "003X0002")
        #expect(matched["listwash_review_partner"] == "", "a match is not a review")
    }
}
