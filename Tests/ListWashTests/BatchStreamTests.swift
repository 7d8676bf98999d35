import Foundation
import Testing
import ListWash

/// The pipeline run in pieces (`listwash stream`, what the Spark job runs on its executors) gives
/// the answer `listwash run` gives.
@Suite struct BatchStreamTests {
    let scratch = Scratch()

    /// A list with what reading must keep: a ragged row (rejected with its line), a quoted line
    /// break (one record over two lines, so later rows' lines differ from their row numbers), and
    /// people who answered twice.
    private func messyList() -> String {
        scratch.write("messy.csv", """
            First Name,Last Name,Email,Company,Phone,Zip Code
            Ann,Lee,ann.lee@acme.com,Acme,617-555-0100,02139
            Bob,Stone,bob@globex.com,"Globex
            Corp",212-555-0101,10001
            Ann,Lee,ANN.LEE@ACME.COM,Acme Inc,(617) 555-0100,02139
            Cy,Too,many,fields,here,1,2
            Dee,Park,dee.park@initech.com,Initech,415-555-0102,94105
            Bob,Stone,bob@globex.com,Globex,212 555 0101,10001

            """)
    }

    private func configuration(inputs: [String], out: String) throws -> PipelineConfiguration {
        var overrides = RunOverrides()
        overrides.inputs = inputs
        overrides.out = out
        return try PipelineConfiguration.load(path: "\(packageRoot)/pipelines/acquired-list.yaml").applying(overrides)
    }

    @Test func aPipelineRunInPiecesWritesTheFilesARunWrites() throws {
        let inputs = [messyList(), "\(packageRoot)/examples/acquired-list.csv"]
        _ = try Runner(configuration: try configuration(inputs: inputs, out: "\(scratch.path)/run")).run()

        let stream = BatchStream(configuration: try configuration(inputs: inputs, out: "\(scratch.path)/pieces"))
        var headers: [BatchStream.Source] = [], batches: [String] = []
        for (index, input) in inputs.enumerated() {
            try stream.split(file: input, name: input, index: index) { line in
                if line.hasPrefix("{") {
                    headers.append(try JSONDecoder().decode(BatchStream.Source.self, from: Data(line.utf8)))
                } else {
                    batches.append(line)
                }
            }
        }
        #expect(headers.map(\.source) == inputs)
        #expect(batches.count == 2)
        // The executors see the batches in any order, each its share.
        var washed: [String] = []
        for share in [Array(batches.reversed().prefix(1)), Array(batches.reversed().dropFirst())] {
            var lines = share[...]
            try stream.wash(from: "normalize", through: "validate", sources: headers, lines: { lines.popFirst() }) { washed.append($0) }
        }
        #expect(washed.count == 2)
        func order(_ line: String) -> [Int] { line.split(separator: "\t").prefix(2).compactMap { Int($0) } }
        var sorted = washed.sorted { order($0).lexicographicallyPrecedes(order($1)) }[...]
        let report = try stream.finish(from: "dedupe", sources: headers, lines: { sorted.popFirst() })

        #expect(report.totals.rowsIn == 31)
        for file in ["load.csv", "attach.csv", "duplicate.csv", "review.csv", "suppressed.csv", "rejected.csv"] {
            let expected = scratch.read("run/\(file)"), actual = scratch.read("pieces/\(file)")
            #expect(!expected.isEmpty && actual == expected, "\(file)")
        }
        #expect(scratch.read("pieces/rejected.csv").contains("ragged row"))
    }

    /// Dedupe sharded by blocking key, its lines moved as the Spark job moves them (keys grouped by
    /// key, pairs deduplicated, components found, component lines grouped by component), gives
    /// the files a run writes.
    @Test func dedupeShardedByBlockingKeyWritesTheFilesARunWrites() throws {
        let inputs = [messyList(), "\(packageRoot)/examples/acquired-list.csv"]
        _ = try Runner(configuration: try configuration(inputs: inputs, out: "\(scratch.path)/run")).run()
        let stream = BatchStream(configuration: try configuration(inputs: inputs, out: "\(scratch.path)/sharded"))
        var headers: [BatchStream.Source] = [], washed: [String] = []
        for (index, input) in inputs.enumerated() {
            var batches: [String] = []
            try stream.split(file: input, name: input, index: index) { line in
                if line.hasPrefix("{") { headers.append(try JSONDecoder().decode(BatchStream.Source.self, from: Data(line.utf8))) } else { batches.append(line) }
            }
            var lines = batches[...]
            try stream.wash(from: "normalize", through: "validate", sources: headers, lines: { lines.popFirst() }) { washed.append($0) }
        }
        var all = washed[...]
        let statisticsFile = scratch.write("statistics.json", try stream.estimate(from: "dedupe", sources: headers, lines: { all.popFirst() }))
        let statistics = try BatchStream.statistics(inFile: statisticsFile)
        let threshold = statistics.model.matchThreshold

        // Keys, in reverse batch order (an executor's share), grouped by key.
        var keys: [String] = []
        var reversed = washed.reversed()[...]
        try stream.keys(from: "dedupe", sources: headers, lines: { reversed.popFirst() }) { keys.append($0) }
        func first(_ line: String) -> String { String(line.prefix { $0 != "\t" }) }
        var grouped = keys.sorted { first($0) < first($1) }[...]
        var pairs: [String: Double] = [:]
        try BatchStream.scoreBlocks(statistics: statistics, lines: { grouped.popFirst() }) { line in
            let fields = line.split(separator: "\t")
            pairs[fields.prefix(4).joined(separator: "\t")] = Double(fields[4])
        }
        #expect(!pairs.isEmpty)

        // Components of the pairs at or above the match threshold, by their first row.
        var component: [String: String] = [:]
        func root(_ node: String) -> String { var node = node; while let up = component[node], up != node { node = up }; return node }
        func before(_ a: String, _ b: String) -> Bool { a.split(separator: "\t").map { Int($0) ?? 0 }.lexicographicallyPrecedes(b.split(separator: "\t").map { Int($0) ?? 0 }) }
        for (pair, probability) in pairs where probability >= threshold {
            let fields = pair.split(separator: "\t").map(String.init)
            let a = root(fields[0] + "\t" + fields[1]), b = root(fields[2] + "\t" + fields[3])
            component[a] = component[a] ?? a
            component[b] = component[b] ?? b
            if a != b { if before(a, b) { component[b] = a } else { component[a] = b } }
        }
        var features: [String: String] = [:]
        for line in keys {
            let fields = line.split(separator: "\t").map(String.init)
            features[fields[1] + "\t" + fields[2]] = fields[3]
        }
        func id(_ node: String) -> String { root(node).replacingOccurrences(of: "\t", with: ":") }
        var componentLines: [String] = []
        for node in component.keys { componentLines.append("\(id(node))\tR\t\(node)\t\(features[node] ?? "")") }
        for (pair, probability) in pairs where probability >= threshold {
            componentLines.append("\(id(pair.split(separator: "\t").prefix(2).joined(separator: "\t")))\tP\t\(pair)\t\(probability)")
        }
        var byComponent = componentLines.sorted { first($0) < first($1) }[...]
        var clusters: [String] = pairs.filter { $0.value < threshold }.map { "P\t\($0.key)\t\($0.value)" }
        try BatchStream.clusterComponents(statistics: statistics, lines: { byComponent.popFirst() }) { clusters.append($0) }
        #expect(clusters.contains { $0.hasPrefix("C\t") })
        let clustersFile = scratch.write("clusters.txt", clusters.joined(separator: "\n") + "\n")

        var sorted = washed[...]
        let assigned = try BatchStream.clusterAssignment(clusters: clustersFile, statistics: statistics, sources: headers)
        _ = try stream.finish(from: "dedupe", sources: headers, lines: { sorted.popFirst() }, assigned: assigned)
        for file in ["load.csv", "attach.csv", "duplicate.csv", "review.csv", "suppressed.csv", "rejected.csv"] {
            let expected = scratch.read("run/\(file)"), actual = scratch.read("sharded/\(file)")
            #expect(!expected.isEmpty && actual == expected, "\(file)")
        }
        // The stage takes the clusters it is given: without them, repeats are people of their own.
        let none = scratch.write("none.txt", clusters.filter { !$0.hasPrefix("C\t") }.joined(separator: "\n") + "\n")
        let unclustered = BatchStream(configuration: try configuration(inputs: inputs, out: "\(scratch.path)/unclustered"))
        var again = washed[...]
        _ = try unclustered.finish(from: "dedupe", sources: headers, lines: { again.popFirst() },
                                   assigned: try BatchStream.clusterAssignment(clusters: none, statistics: statistics, sources: headers))
        #expect(scratch.read("unclustered/load.csv") + scratch.read("unclustered/attach.csv") != scratch.read("run/load.csv") + scratch.read("run/attach.csv"))
    }

    @Test func washingRefusesAStageThatNeedsEveryRow() throws {
        let stream = BatchStream(configuration: try configuration(inputs: [messyList()], out: "\(scratch.path)/out"))
        #expect(try stream.plan() == #"{"distributed":2,"inputs":["\#(scratch.path)/messy.csv"],"stages":["normalize","validate","dedupe","match","suppress","decide","score","route"]}"#)
        #expect(throws: ListWashError.self) {
            try stream.wash(from: "normalize", through: "dedupe", sources: [], lines: { nil }) { _ in }
        }
        #expect(throws: ListWashError.self) {
            try stream.wash(from: "validate", through: "normalize", sources: [], lines: { nil }) { _ in }
        }
    }

    @Test func theStreamCommandPlansSplitsAndNamesWhatItNeeds() throws {
        let plan = try listwash(["stream", "pipelines/acquired-list.yaml", "--plan"], in: packageRoot)
        #expect(plan.status == 0 && plan.out.hasPrefix(#"{"distributed":2,"inputs":["examples/acquired-list.csv"],"stages":["normalize","validate","dedupe""#), "\(plan.err)")
        let input = messyList()
        let split = try listwash(["stream", "\(packageRoot)/pipelines/acquired-list.yaml", "--split", input, "--source", "vendor.csv", "--index", "3"], in: scratch.path)
        let lines = split.out.split(separator: "\n")
        #expect(split.status == 0 && lines.count == 2, "\(split.err)")
        #expect(lines.first?.hasPrefix(#"{"columns":["First Name","Last Name","Email","#) == true && lines.first?.hasSuffix(#""index":3,"source":"vendor.csv"}"#) == true)
        #expect(lines.last?.hasPrefix("3\t1\t") == true)
        let neither = try listwash(["stream", "\(packageRoot)/pipelines/acquired-list.yaml"], in: scratch.path)
        #expect(neither.status == 64 && neither.err.contains("name --plan, --split FILE, or --headers FILE"), "\(neither.err)")
        let unscored = try listwash(["stream", "\(packageRoot)/pipelines/acquired-list.yaml", "--score-blocks"], in: scratch.path)
        #expect(unscored.status == 64 && unscored.err.contains("need --statistics FILE"), "\(unscored.err)")
        let notDedupe = try listwash(["stream", "\(packageRoot)/pipelines/acquired-list.yaml", "--headers", scratch.write("h.jsonl", lines.first.map(String.init) ?? ""),
                                      "--from", "match", "--keys"], in: scratch.path)
        #expect(notDedupe.status == 64 && notDedupe.err.contains("sharded dedupe starts at the dedupe stage"), "\(notDedupe.err)")
    }

    /// A copy of an input (what a Spark task reads) is read with the options the pipeline file
    /// gives that input: its delimiter and list name.
    @Test func aCopyOfAnInputIsReadWithThatInputsOptions() throws {
        scratch.write("p.yaml", "inputs:\n  - {path: a.csv}\n  - {path: b.csv, delimiter: \";\", list: Expo}\nstages: [normalize]\noutput: {folder: out}\n")
        let copy = scratch.write("copy.csv", "Email;Last Name\nann@x.com;Lee\n")
        let configuration = try PipelineConfiguration.load(path: "\(scratch.path)/p.yaml")
        var lines: [String] = []
        try BatchStream(configuration: configuration).split(file: copy, name: "b.csv", index: 1) { lines.append($0) }
        #expect(lines.first == #"{"columns":["Email","Last Name"],"index":1,"source":"b.csv"}"#)
        #expect(try BatchStream(configuration: configuration).plan().contains(#""inputs":["\#(scratch.path)/a.csv","\#(scratch.path)/b.csv"]"#))
    }

    @Test func batchesOutOfOrderStopTheRunBeforeAnythingIsWritten() throws {
        let input = messyList()
        let stream = BatchStream(configuration: try configuration(inputs: [input], out: "\(scratch.path)/out"))
        var lines: [String] = []
        try stream.split(file: input, name: input, index: 0) { lines.append($0) }
        let header = try JSONDecoder().decode(BatchStream.Source.self, from: Data(lines[0].utf8))
        var twice = [lines[1], lines[1]][...]
        #expect(throws: ListWashError.self) {
            _ = try stream.finish(from: "normalize", sources: [header], lines: { twice.popFirst() })
        }
        #expect(!FileManager.default.fileExists(atPath: "\(scratch.path)/out/load.csv"))
    }
}
