import Foundation
import Testing
@testable import ListWash

/// `rows: records`: one person listed three times becomes one row; its normalized fields come
/// from the rows that have them, as the survivorship rules say.
@Suite struct SurvivorshipTests {
    let scratch = Scratch()

    func run(_ survivorship: String) throws -> (load: [String: String], duplicates: Int) {
        scratch.write("list.csv", """
            First Name,Last Name,Email,Phone,Zip,Company,Response Date
            Robert,Smith,bob.smith@acme.com,,02134,Acme Inc,2026-11-01
            Bob,Smith,bob.smith@acme.com,(617) 253-1000,02134,,2026-11-03
            Bob,Smith,BOB.SMITH@ACME.COM,617-253-1999,,Acme,2026-11-05

            """)
        let path = scratch.write("p.yaml", """
            inputs: [list.csv]
            rows: records
            stages: [normalize, {dedupe: {survivorship: \(survivorship)}}]
            output: {folder: out}
            """)
        let report = try Runner(configuration: try PipelineConfiguration.load(path: path)).run()
        let load = try readCSV("\(scratch.path)/out/load.csv")
        try #require(load.rows.count == 1, "\(load.rows)")
        return (Dictionary(uniqueKeysWithValues: zip(load.header, load.rows[0])), report.totals.rowsOut["duplicate"] ?? 0)
    }

    @Test func theSurvivorTakesAMissingFieldFromItsDuplicates() throws {
        let (row, duplicates) = try run("most_complete")
        #expect(duplicates == 2)
        #expect(row["listwash_row"] == "1", "equally complete rows: the earliest survives")
        #expect(row["Phone"] == "", "source columns stay as read")
        #expect(row["listwash_phone"] == "+16172531000", "the phone of the preferred row that has one")
        #expect(row["listwash_company"] == "Acme Inc", "the survivor's own value stays")
        #expect(row["listwash_merged"] == "phone from row 2 of \(scratch.path)/list.csv")
    }

    @Test func aFieldRuleChoosesItsOwnRow() throws {
        let (row, _) = try run("{row: most_complete, fields: {phone: most_recent, company: most_recent}}")
        #expect(row["listwash_row"] == "1")
        #expect(row["listwash_phone"] == "+16172531999")
        #expect(row["listwash_company"] == "Acme")
        #expect(row["listwash_merged"] == "phone from row 3 of \(scratch.path)/list.csv; company from row 3 of \(scratch.path)/list.csv")
    }

    @Test func aMisspelledFieldIsCaughtWithItsLine() {
        let text = errorText { _ = try run("{fields: {fone: most_recent}}") }
        #expect(text?.contains("p.yaml:3") == true, "\(text ?? "")")
        #expect(text?.contains("phone") == true, "did you mean: \(text ?? "")")
    }
}
