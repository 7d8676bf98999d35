import Foundation
import Testing
@testable import ListWash

/// `listwash explain` scores a pair as the run's dedupe stage did: on the records that stage
/// sees (the open rows of every input), with the same parameters.
@Suite struct ExplainCommandTests {
    let scratch = Scratch()

    /// The rows of every output file of a run in `folder`, by column name.
    func outputs(_ folder: String) throws -> [[String: String]] {
        var rows: [[String: String]] = []
        for disposition in ["load", "attach", "duplicate", "review", "suppressed", "rejected"] {
            let (header, records) = try readCSV("\(folder)/\(disposition).csv")
            rows += records.map { Dictionary(zip(header, $0), uniquingKeysWith: { first, _ in first }) }
        }
        return rows
    }

    /// The probability `listwash explain` prints, as the outputs write it.
    func explainedProbability(_ arguments: [String], in folder: String) throws -> String? {
        let result = try listwash(["explain"] + arguments, in: folder)
        #expect(result.status == 0, "\(result.err)")
        let line = result.out.split(separator: "\n").first { $0.contains("-> match probability ") }
        return line.flatMap { $0.components(separatedBy: "-> match probability ").last }
    }

    /// Two rows of one cluster of the bundled example (neither matched in the CRM, so their
    /// score is dedupe's): explain prints the score the run wrote.
    @Test func explainingTwoRowsOfOneClusterGivesTheScoreTheRunWrote() throws {
        let out = "\(scratch.path)/out"
        let run = try listwash(["run", "pipelines/acquired-list.yaml", "--out", out], in: packageRoot)
        #expect(run.status == 0, "\(run.err)")
        let rows = try outputs(out)
        var clusters: [String: [[String: String]]] = [:]
        for row in rows where !(row["listwash_cluster"] ?? "").isEmpty { clusters[row["listwash_cluster"] ?? "", default: []].append(row) }
        let pairs = clusters.values.filter { members in
            members.count == 2 && members.allSatisfy { !($0["listwash_match_score"] ?? "").isEmpty && ($0["listwash_match_type"] ?? "").isEmpty }
        }
        let pair = try #require(pairs.first, "no cluster of two rows without a CRM match in \(rows.count) rows")
        let (left, right) = (pair[0], pair[1])
        let explained = try explainedProbability(["pipelines/acquired-list.yaml", "--left", "examples/acquired-list.csv:\(left["listwash_row"] ?? "")",
                                                  "--right", "examples/acquired-list.csv:\(right["listwash_row"] ?? "")"], in: packageRoot)
        #expect(explained == left["listwash_match_score"])
        #expect(explained == right["listwash_match_score"])
    }

    /// A row that `validate` rejected never reached dedupe: explaining it is a usage error
    /// that says so.
    @Test func aRowRejectedBeforeDedupeHasNoScoreToExplain() throws {
        let result = try listwash(["explain", "pipelines/acquired-list.yaml", "--left", "examples/acquired-list.csv:16", "--right", "examples/acquired-list.csv:1"], in: packageRoot)
        #expect(result.status == 64)
        #expect(result.err == "examples/acquired-list.csv: error: record 16 of examples/acquired-list.csv was rejected before dedupe (missing email and phone), so the run gave it no score; explain two records that reach dedupe\n")
        let missing = try listwash(["explain", "pipelines/acquired-list.yaml", "--left", "examples/acquired-list.csv:99", "--right", "examples/acquired-list.csv:1"], in: packageRoot)
        #expect(missing.status == 64)
        #expect(missing.err == "examples/acquired-list.csv: error: examples/acquired-list.csv has no record 99 (it has 25)\n")
    }

    /// With rows that `validate` rejects ahead of the pair and another input before its file,
    /// the prior (which depends on how many records dedupe sees) and so the probability are
    /// the run's only when explain sees exactly the run's records: a pair scored below 1.0.
    @Test func explainSeesTheOpenRowsOfEveryInputAsTheRun() throws {
        scratch.write("first.csv", """
            First Name,Last Name,Email,Company,Phone,Zip Code
            Karen,Alvarez,karen.alvarez@brightwater.com,Brightwater,512-370-1184,78701
            Luis,Becker,lbecker@gmail.com,Northgate,650-961-4410,94043
            Priya,Chandra,priya.chandra@summit.com,Summit,312-782-6620,60601
            Omar,Dubois,,Redwood,303-448-0142,80202

            """)
        scratch.write("list.csv", """
            First Name,Last Name,Email,Company,Phone,Zip Code
            Ann,,ann@gmail.com,Granite,617-201-3344,02134
            Greg,,greg@gmail.com,Granite,617-201-3345,02134
            Nina,,nina@gmail.com,Granite,617-201-3346,02134
            Victor,,victor@gmail.com,Granite,617-201-3347,02134
            Rachel,,rachel@gmail.com,Granite,617-201-3348,02134
            Helen,Eriksen,helen.eriksen@keystone.com,Keystone,215-339-7710,19103
            John,Smith,,Acme Corp,617-492-3811,02134
            Tomas,Fischer,tfischer@yahoo.com,Falcon,206-442-9080,98101
            John,Smith,,Acme Corp,617-492-3977,02134
            Aisha,Gallagher,aisha.g@outlook.com,Meridian,404-873-1290,30303

            """)
        scratch.write("p.yaml", """
            inputs: [first.csv, list.csv]
            stages: [normalize, {validate: {required: [last_name]}}, dedupe]
            output: {folder: out}
            """)
        let run = try listwash(["run", "p.yaml"], in: scratch.path)
        #expect(run.status == 0, "\(run.err)")
        let rows = try outputs("\(scratch.path)/out")
        #expect(rows.filter { $0["listwash_disposition"] == "rejected" }.count == 5)
        let pair = rows.filter { $0["listwash_source"]?.hasSuffix("list.csv") == true && ["7", "9"].contains($0["listwash_row"]) }
        #expect(pair.count == 2)
        #expect(pair.first?["listwash_cluster"] == pair.last?["listwash_cluster"])
        let written = try #require(pair.first?["listwash_match_score"])
        #expect(written != "1.0" && !written.isEmpty, "a score below 1.0 tells the priors apart")
        #expect(try explainedProbability(["p.yaml", "--left", "list.csv:7", "--right", "list.csv:9"], in: scratch.path) == written)
        // The library call says the same; so does it for files named another way.
        let workbench = try MatchWorkbench(configuration: try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml"))
        let explanation = try workbench.explain(left: ("\(scratch.path)/./list.csv", 9), right: ("\(scratch.path)/list.csv", 7))
        #expect(String((explanation.probability * 10000).rounded() / 10000) == written)
    }

    /// A list whose file name and values carry markup, and a pipeline that dedupes it: `listwash
    /// explain --html` of its rows 1 and 2 (Robert and Bob Smith) writes the page to `page`.
    func explainPage(_ page: String) throws -> (status: Int32, out: String, err: String) {
        scratch.write("a<b>&c.csv", """
            First Name,Last Name,Email,Company,Phone,Zip Code
            Robert,Smith,bob.smith@acme.com,<i>Acme</i> & Sons,617-253-1000,02134
            Bob,Smith,bob.smith@acme.com,<i>Acme</i> & Sons,617-253-1000,02134
            Karen,Alvarez,karen.alvarez@brightwater.com,Brightwater,512-370-1184,78701

            """)
        scratch.write("p.yaml", "inputs: [\"a<b>&c.csv\"]\nstages: [normalize, dedupe]\n")
        return try listwash(["explain", "p.yaml", "--left", "a<b>&c.csv:1", "--right", "a<b>&c.csv:2", "--html", page], in: scratch.path)
    }

    /// The page holds the waterfall and the table, needs nothing from the network, runs no
    /// script, and shows the user's data as text (escaped), never as markup.
    @Test func theHTMLPageIsSelfContainedAndEscapesUserData() throws {
        let result = try explainPage("why.html")
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.hasSuffix("wrote why.html\n"))
        let html = scratch.read("why.html")
        for banned in ["http://", "https://", "<script", "src=", "<link", "@import", "url("] {
            #expect(!html.lowercased().contains(banned), "\(banned)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>Why a&lt;b&gt;&amp;c.csv:1 and a&lt;b&gt;&amp;c.csv:2 match or not</title>"))
        #expect(!html.contains("<b>") && !html.contains("<i>"))
        #expect(html.contains("<td>first_name</td><td>robert</td><td>bob</td><td>nickname</td>"))
        #expect(html.contains(">match</p>"))
        // The text table and the page agree on the total.
        let total = try #require(result.out.split(separator: "\n").first { $0.hasPrefix("total match weight ") }?.split(separator: " ")[3])
        #expect(html.contains("total match weight \(total) "))
        // A page that cannot be written is an output error; nothing is left behind.
        let refused = try listwash(["explain", "p.yaml", "--left", "a<b>&c.csv:1", "--right", "a<b>&c.csv:2", "--html", "missing/why.html"], in: scratch.path)
        #expect(refused.status == 73, "\(refused.err)")
        #expect(!scratch.exists("missing"))
    }

    /// Headless Chromium renders the page as a person sees it (the check report.html gets from
    /// scripts/check-report-html): the title reads as the records' names, with no element made
    /// of user data, one bar per step of the waterfall, and a screenshot is drawn.
    @Test(.enabled(if: chromium != nil, "needs chromium (apt-get install chromium)"))
    func chromiumRendersThePage() throws {
        let result = try explainPage("why.html")
        #expect(result.status == 0, "\(result.err)")
        let page = "\(scratch.path)/why.html"
        let dom = try runChromium(["--dump-dom", "file://\(page)"])
        #expect(dom.contains("<title>Why a&lt;b&gt;&amp;c.csv:1 and a&lt;b&gt;&amp;c.csv:2 match or not</title>"))
        #expect(!dom.contains("<b>") && !dom.contains("<i>") && !dom.contains("<script"))
        // The prior, the eight comparisons, the group's discount and the total.
        #expect(dom.components(separatedBy: "<rect").count - 1 == 11, "\(dom)")
        #expect(dom.contains("first_name: nickname"))
        _ = try runChromium(["--hide-scrollbars", "--window-size=1100,900", "--screenshot=\(scratch.path)/why.png", "file://\(page)"])
        #expect((FileManager.default.contents(atPath: "\(scratch.path)/why.png")?.count ?? 0) > 10_000)
    }
}

/// Debian's chromium, when installed.
let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// Runs headless Chromium with no network (a proxy that goes nowhere) and returns its output.
func runChromium(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromium ?? "chromium")
    process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"] + arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
