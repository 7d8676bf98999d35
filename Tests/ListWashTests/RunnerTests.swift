import Foundation
import Testing
@testable import ListWash

@Suite struct RunnerTests {
    let scratch = Scratch()

    func run(_ yaml: String, overrides: RunOverrides = RunOverrides()) throws -> RunReport {
        let pipeline = scratch.write("p.yaml", yaml)
        var configuration = try PipelineConfiguration.load(path: pipeline).applying(overrides)
        if overrides.out == nil { configuration.outputFolder = "\(scratch.path)/out" }
        return try Runner(configuration: configuration).run()
    }

    @Test func theBundledExampleAccountsForEveryRow() throws {
        var overrides = RunOverrides()
        overrides.out = "\(scratch.path)/example"
        let configuration = try PipelineConfiguration.load(path: "\(packageRoot)/pipelines/acquired-list.yaml").applying(overrides)
        let report = try Runner(configuration: configuration).run()
        let rowsOut = try Disposition.allCases.map { try readCSV("\(scratch.path)/example/\($0.fileName())").rows.count }
        #expect(report.totals.rowsIn == 25)
        #expect(rowsOut.reduce(0, +) == report.totals.rowsIn)
        #expect(report.totals.rowsOut["rejected"] == rowsOut[Disposition.allCases.firstIndex(of: .rejected)!])
        let rejected = try readCSV("\(scratch.path)/example/rejected.csv")
        let reasons = rejected.rows.map { $0[rejected.header.firstIndex(of: "listwash_reason")!] }
        #expect(reasons.contains("unterminated quote"))
        #expect(reasons.contains("ragged row: 13 fields where the header has 11"))
    }

    @Test func outputsKeepInputColumnsInOrderThenListWashColumns() throws {
        scratch.write("in.csv", "Zeta,Email,alpha\n1,a@b.com,x\n")
        let report = try run("inputs: [in.csv]")
        let output = try readCSV("\(scratch.path)/out/load.csv")
        #expect(output.header == ["Zeta", "Email", "alpha"] + OutputLayout.standard)
        #expect(output.rows == [["1", "a@b.com", "x", "1", "\(scratch.path)/in.csv", "load", "", "", "", ""]])
        #expect(report.inputs.first?.mapping == [ColumnMapping.Entry(role: .email, column: "Email", explicit: false)])
    }

    @Test func everyFixtureLosesNoRow() throws {
        let fixtures = [
            "email,b\n1,2\n",
            "email,b\n1,2,3\n\"x\n",
            "email;b\r\n1;2\r\n3\r\n",
            "email,b\n",
            "email\tb\n1\t2\n3\t\"4\n5\"\n",
            "email,b\n\"q\"x,1\n2,2\n,\n",
        ]
        for (index, text) in fixtures.enumerated() {
            scratch.write("f\(index).csv", text)
            let report = try run("inputs: [f\(index).csv]\nstages: [{validate: {required: [email]}}]")
            var written = 0
            for disposition in Disposition.allCases {
                written += try readCSV("\(scratch.path)/out/\(disposition.fileName())").rows.count
            }
            #expect(report.totals.rowsIn == written, "fixture \(index)")
            #expect(report.totals.rowsOut.values.reduce(0, +) == written, "fixture \(index)")
        }
    }

    @Test func anEmptyInputIsAWarningNotAFailure() throws {
        scratch.write("empty.csv", "")
        let log = DiagnosticLog()
        var configuration = try PipelineConfiguration.parse("inputs: [empty.csv]", file: "\(scratch.path)/p.yaml")
        configuration.outputFolder = "\(scratch.path)/out"
        let report = try Runner(configuration: configuration, log: log).run()
        #expect(report.totals.rowsIn == 0)
        #expect(log.all.map(\.description) == ["\(scratch.path)/empty.csv:1: warning: empty file: no header and no records"])
    }

    @Test func aHeaderlessFileIsCaughtWithItsColumn() {
        scratch.write("nohead.csv", "ann@example.com,Ann,Lee\nbo@example.com,Bo,Ek\n")
        #expect(errorText { _ = try run("inputs: [nohead.csv]") } == "\(scratch.path)/nohead.csv:1:1: error: the first line looks like data, not a header (column 1 holds 'ann@example.com'); add a header line, or set header: false and column_names: [...] for this input in the pipeline file")
    }

    @Test func aRequiredColumnThatMapsToNothingStopsTheRun() {
        scratch.write("in.csv", "Name,Emial\nAnn,a@b.com\n")
        let message = errorText { _ = try run("inputs: [in.csv]\nrequired: [email]") }
        #expect(message == "\(scratch.path)/in.csv:1: error: no column for required field 'email' in \(scratch.path)/in.csv; its columns are: Name, Emial. Did you mean 'Emial'? Map it in the pipeline file under columns: email: \"Emial\"")
        #expect(!FileManager.default.fileExists(atPath: "\(scratch.path)/out/load.csv"))
    }

    @Test func aFailedRunKeepsThePreviousOutputs() throws {
        scratch.write("in.csv", "email\na@b.com\n")
        _ = try run("inputs: [in.csv]")
        let before = scratch.read("out/load.csv")
        scratch.write("bad.csv", "x\n1\n")
        #expect(errorText { _ = try run("inputs: [bad.csv]\nrequired: [email]") } != nil)
        #expect(scratch.read("out/load.csv") == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(scratch.path)/out").filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func jsonLinesInAndOut() throws {
        scratch.write("in.jsonl", "{\"email\": \"a@b.com\", \"name\": \"Ann\"}\n{\"email\": \"\", \"name\": \"Bo\"}\n")
        let report = try run("inputs: [in.jsonl]\nstages: [{validate: {required: [email]}}]\noutput: {format: jsonl}")
        #expect(report.totals.rowsOut["load"] == 1)
        #expect(report.totals.rowsOut["rejected"] == 1)
        #expect(scratch.read("out/load.jsonl").hasPrefix("{\"email\":\"a@b.com\",\"name\":\"Ann\",\"listwash_row\":\"1\""))
    }

    @Test func theReportIsJSONWithCountsPerInput() throws {
        scratch.write("in.csv", "email\na@b.com\n\"broken\n")
        _ = try run("inputs: [in.csv]")
        let data = try #require(scratch.read("out/report.json").data(using: .utf8))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let totals = try #require(json["totals"] as? [String: Any])
        #expect(totals["rows_in"] as? Int == 2)
        #expect((totals["rows_out"] as? [String: Int])?["rejected"] == 1)
        #expect((json["inputs"] as? [[String: Any]])?.first?["delimiter"] as? String == ",")
    }
}
