// Release-build benchmarks over generated data, so anyone can repeat the figures:
//
//   swift run -c release listwash-bench generate /tmp/leads.csv 1000000
//   swift run -c release listwash-bench passthrough /tmp/leads.csv
//   swift run -c release listwash-bench route 1000000 3
//   swift run -c release listwash-bench merge /tmp/labeled.csv    (merge.csv over a 1M-row leads export)
//
// Each benchmark prints rows, seconds, throughput and peak memory (max RSS).
import Foundation
import ListWash
import ListWashDecide
import ListWashMatch

#if canImport(Glibc)
import Glibc
#endif

func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(64)
}

func measure(_ label: String, bytes: Int, rows fixedRows: Int, _ body: () throws -> Int) {
    let clock = ContinuousClock()
    let start = clock.now
    var rows = fixedRows
    do { rows = try body() } catch { fail("\(label): \(error)") }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let megabytes = Double(bytes) / 1_000_000
    print(String(format: "%@: %d rows, %.1f MB in %.3f s = %.0f MB/s, %.0f rows/s, peak memory %.1f MB",
                 label, rows, megabytes, seconds, megabytes / seconds, Double(rows) / seconds, peakMemoryMB()))
}

let arguments = CommandLine.arguments.dropFirst()
guard let command = arguments.first else {
    fail("usage: listwash-bench generate FILE ROWS | leads FILE ROWS | passthrough FILE | normalize FILE | suppress [ROWS] [ENTRIES] | fuzz [--seconds N] [--seed S]")
}

switch command {
case "fuzz":
    // fuzz [--seconds N] [--seed S] [--format csv|jsonl] [--keep]: the readers' fuzz cases for longer.
    do {
        try FuzzBenchmark(arguments: Array(arguments.dropFirst())).run()
    } catch {
        fail("\(error)")
    }
case "suppress":
    // suppress [ROWS] [ENTRIES]: the suppress stage over generated rows and lists.
    let rest = Array(arguments.dropFirst())
    guard rest.count <= 2, let rows = Int(rest.first ?? "1000000"), let entries = Int(rest.dropFirst().first ?? "100000"), rows > 0, entries > 0 else {
        fail("usage: listwash-bench suppress [ROWS] [ENTRIES]")
    }
    SuppressBenchmark.run(rows: rows, entries: entries)
case "generate":
    guard arguments.count == 3, let rows = Int(arguments[arguments.startIndex + 2]) else { fail("usage: listwash-bench generate FILE ROWS") }
    let path = arguments[arguments.startIndex + 1]
    var generator = LeadListGenerator(seed: 7)
    measure("generate", bytes: 0, rows: rows) { try generator.writeSimpleCSV(to: path, rows: rows); return rows }
case "leads":
    guard arguments.count == 3, let rows = Int(arguments[arguments.startIndex + 2]) else { fail("usage: listwash-bench leads FILE ROWS") }
    let path = arguments[arguments.startIndex + 1]
    var generator = LeadListGenerator(seed: 11)
    measure("leads", bytes: 0, rows: rows) { try generator.writeLeadList(to: path, rows: rows); return rows }
case "labeled":
    // labeled FILE ROWS: a lead list with known duplicates (column true_person).
    guard arguments.count == 3, let rows = Int(arguments[arguments.startIndex + 2]) else { fail("usage: listwash-bench labeled FILE ROWS") }
    let path = arguments[arguments.startIndex + 1]
    let nicknames = [
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/data/names/nicknames.csv").standardized.path,
        "../shared/data/names/nicknames.csv",
    ].first { FileManager.default.fileExists(atPath: $0) }
    let zips = [
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/data/us-zip/zipcodes.csv").standardized.path,
        "../shared/data/us-zip/zipcodes.csv",
    ].first { FileManager.default.fileExists(atPath: $0) }
    var generator = LabeledLeadGenerator(seed: 2026, nicknamesFile: nicknames, zipFile: zips)
    measure("labeled", bytes: 0, rows: rows) { try generator.write(to: path, rows: rows); return rows }
case "linkdata":
    // linkdata REFERENCE INPUT REFERENCE_ROWS INPUT_ROWS
    let rest = Array(arguments.dropFirst())
    guard rest.count == 4, let referenceRows = Int(rest[2]), let inputRows = Int(rest[3]) else { fail("usage: listwash-bench linkdata REFERENCE INPUT REFERENCE_ROWS INPUT_ROWS") }
    let nicknames = ["../shared/data/names/nicknames.csv"].first { FileManager.default.fileExists(atPath: $0) }
    let zips = ["../shared/data/us-zip/zipcodes.csv"].first { FileManager.default.fileExists(atPath: $0) }
    var generator = LabeledLeadGenerator(seed: 99, nicknamesFile: nicknames, zipFile: zips)
    measure("linkdata", bytes: 0, rows: referenceRows + inputRows) { try generator.writeLinkData(reference: rest[0], input: rest[1], referenceRows: referenceRows, inputRows: inputRows); return referenceRows + inputRows }
case "link":
    // link REFERENCE INPUT: match INPUT against REFERENCE (index build included) and score it.
    let rest = Array(arguments.dropFirst())
    guard rest.count == 2 else { fail("usage: listwash-bench link REFERENCE INPUT") }
    let out = NSTemporaryDirectory() + "listwash-bench-link-\(getpid()).csv"
    guard var configuration = try? PipelineConfiguration.parse("stages: [normalize]", file: "bench.yaml") else { fail("pipeline") }
    configuration.inputs = [.init(path: rest[1])]
    configuration.outputFile = out
    let link = LinkStage(match: MatchStage(name: "link", model: .leadList, contacts: .init(path: rest[0], idColumn: "Contact ID"), leads: nil, accounts: nil))
    let size = (try? FileManager.default.attributesOfItem(atPath: rest[1])[.size] as? Int) ?? 0
    measure("link", bytes: size, rows: 0) { try Runner(configuration: configuration, extraStages: [link]).run().totals.rowsIn }
    if let rows = try? PairwiseAccuracy.readCSV(out), let truth = rows.header.firstIndex(of: "true_person"), let match = rows.header.firstIndex(of: "listwash_match_id") {
        var right = 0, wrong = 0, missed = 0, expected = 0
        for row in rows.records {
            if !row[truth].isEmpty { expected += 1 }
            if row[match].isEmpty { if !row[truth].isEmpty { missed += 1 } } else if row[match] == row[truth] { right += 1 } else { wrong += 1 }
        }
        print(String(format: "links: %d right, %d wrong, %d missed of %d; precision %.4f, recall %.4f", right, wrong, missed, expected,
                     Double(right) / Double(max(right + wrong, 1)), Double(right) / Double(max(expected, 1))))
    }
    try? FileManager.default.removeItem(atPath: out)
case "merge":
    // merge LABELED: a labeled lead list (listwash-bench labeled) as a CRM leads export, with a
    // Lead ID and a Created Date per row; the time and memory to find its duplicates for
    // merge.csv (ReferenceMerges), and how many merge pairs are one true person.
    guard arguments.count == 2 else { fail("usage: listwash-bench merge LABELED.csv") }
    let labeled = arguments[arguments.startIndex + 1]
    let export = NSTemporaryDirectory() + "listwash-bench-merge-\(getpid()).csv"
    guard let text = try? String(contentsOfFile: labeled, encoding: .utf8) else { fail("cannot read \(labeled)") }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    guard !lines.isEmpty else { fail("\(labeled) is empty") }
    for index in lines.indices {
        lines[index] = index == 0 ? "Lead ID,Created Date," + lines[index]
            : String(format: "L%07d,%04d-%02d-%02d,", index, 2019 + (index * 7) % 6, 1 + (index * 13) % 12, 1 + (index * 17) % 28) + lines[index]
    }
    FileManager.default.createFile(atPath: export, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
    lines = []
    var index: ReferenceIndex?
    measure("merge: read and index the export", bytes: (try? FileManager.default.attributesOfItem(atPath: export)[.size] as? Int) ?? 0, rows: 0) {
        index = try ReferenceIndex(path: export, kind: .lead, idColumn: "Lead ID", model: .leadList, facts: ReferenceMerges.request)
        return index?.features.count ?? 0
    }
    guard let index else { fail("no index") }
    var merges: ReferenceMerges?
    measure("merge: find the duplicates", bytes: 0, rows: index.features.count) {
        merges = ReferenceMerges(indexes: [index], model: .leadList)
        return index.features.count
    }
    if let merges, let rows = try? PairwiseAccuracy.readCSV(export), let truth = rows.header.firstIndex(of: "true_person") {
        var person: [String: String] = [:]
        var people: [String: Int] = [:]
        for row in rows.records { person[row[0]] = row[truth]; people[row[truth], default: 0] += 1 }
        let same = merges.merges.filter { person[$0.masterID] == person[$0.duplicateID] }.count
        let duplicates = people.values.reduce(0) { $0 + $1 - 1 }
        print(String(format: "merge.csv: %d rows in %d merges; %d of one true person (precision %.4f); %d true duplicates (recall %.4f)",
                     merges.merges.count, Set(merges.merges.map(\.group)).count, same, Double(same) / Double(max(merges.merges.count, 1)),
                     duplicates, Double(same) / Double(max(duplicates, 1))))
    }
    try? FileManager.default.removeItem(atPath: export)
case "dedupe":
    guard arguments.count == 2 else { fail("usage: listwash-bench dedupe FILE") }
    let path = arguments[arguments.startIndex + 1]
    let out = NSTemporaryDirectory() + "listwash-bench-dedupe-\(getpid()).csv"
    guard var configuration = try? PipelineConfiguration.builtInDedupe() else { fail("built-in pipeline") }
    configuration.inputs = [.init(path: path)]
    configuration.outputFile = out
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    var report: RunReport?
    measure("dedupe", bytes: size, rows: 0) {
        report = try Runner(configuration: configuration).run()
        return report?.totals.rowsIn ?? 0
    }
    if let dedupe = report?.dedupe {
        print("candidate pairs \(dedupe.candidatePairs): " + dedupe.blocking.map { "\($0.rule) \($0.pairs) (oversize \($0.oversizeBlocks), largest \($0.largestBlock))" }.joined(separator: "; "))
        print("steps: " + dedupe.seconds.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value) s" }.joined(separator: ", "))
    }
    if let accuracy = try? PairwiseAccuracy.measure(output: out, idColumn: "listwash_row", truthPairs: nil, truthColumn: "true_person") {
        print(String(format: "pairs: predicted %d, true %d, correct %d; precision %.4f, recall %.4f, F1 %.4f",
                     accuracy.predicted, accuracy.actual, accuracy.truePositives, accuracy.precision, accuracy.recall, accuracy.f1))
    }
    try? FileManager.default.removeItem(atPath: out)
case "decide":
    // decide FILE: normalize + dedupe, then the same with the hybrid lead decision after it.
    guard arguments.count == 2 else { fail("usage: listwash-bench decide FILE") }
    let path = arguments[arguments.startIndex + 1]
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    for withDecision in [false, true] {
        guard var configuration = try? PipelineConfiguration.builtInDedupe() else { fail("built-in pipeline") }
        configuration.inputs = [.init(path: path)]
        configuration.outputFolder = NSTemporaryDirectory() + "listwash-bench-decide-\(getpid())"
        let decide: [any Stage] = withDecision ? [DecideStage(method: .hybrid, defaultDate: "2026-11-30")] : []
        var report: RunReport?
        measure(withDecision ? "dedupe + decide" : "dedupe", bytes: size, rows: 0) {
            report = try Runner(configuration: configuration, extraStages: decide).run()
            return report?.totals.rowsIn ?? 0
        }
        print("  " + (report?.totals.rowsOut ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        try? FileManager.default.removeItem(atPath: configuration.outputFolder)
    }
case "passthrough", "normalize":
    guard arguments.count == 2 else { fail("usage: listwash-bench \(command) FILE") }
    let path = arguments[arguments.startIndex + 1]
    var configuration = PipelineConfiguration()
    configuration.inputs = [.init(path: path)]
    configuration.outputFolder = NSTemporaryDirectory() + "listwash-bench-\(getpid())"
    if command == "normalize" {
        configuration = (try? PipelineConfiguration.parse("stages: [normalize]", file: "bench.yaml")).map { parsed in
            var copy = parsed
            copy.inputs = configuration.inputs
            copy.outputFolder = configuration.outputFolder
            return copy
        } ?? configuration
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    measure(command, bytes: size, rows: 0) { try Runner(configuration: configuration).run().totals.rowsIn }
    try? FileManager.default.removeItem(atPath: configuration.outputFolder)
case "route":
    // route [ROWS] [RUNS]: score + route overhead over a normalize run, 1,000 territory rules.
    let rest = Array(arguments.dropFirst())
    let rows = rest.first.flatMap { Int($0) } ?? 1_000_000
    let runs = rest.dropFirst().first.flatMap { Int($0) } ?? 3
    do { try RouteBenchmark(rows: rows, runs: max(0, runs)).run() } catch { fail("route: \(error)") }
case "accuracy":
    // accuracy OUTPUT.csv ID_COLUMN (TRUE_PAIRS.csv | --column TRUTH_COLUMN)
    let rest = Array(arguments.dropFirst())
    guard rest.count >= 3 else { fail("usage: listwash-bench accuracy OUTPUT.csv ID_COLUMN TRUE_PAIRS.csv | --column TRUTH_COLUMN") }
    do {
        let accuracy = try PairwiseAccuracy.measure(output: rest[0], idColumn: rest[1],
                                                    truthPairs: rest[2] == "--column" ? nil : rest[2],
                                                    truthColumn: rest[2] == "--column" ? rest.dropFirst(3).first : nil)
        print(String(format: "pairs: predicted %d, true %d, correct %d; precision %.4f, recall %.4f, F1 %.4f",
                     accuracy.predicted, accuracy.actual, accuracy.truePositives, accuracy.precision, accuracy.recall, accuracy.f1))
    } catch {
        fail("\(error)")
    }
default:
    fail("unknown benchmark '\(command)'")
}
