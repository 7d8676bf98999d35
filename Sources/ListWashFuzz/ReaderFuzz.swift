import Foundation
import ListWashCore

/// Fuzzes the CSV and JSON Lines readers with generated files (``FuzzCase``) and checks what a
/// user relies on:
///
/// - no crash, no error while reading (a file may be refused only when it is opened, with a
///   ListWash error: UTF-16, a broken header), no case slower than ``slowCase``;
/// - every record the reader counts comes out once, numbered in order, from a line after the
///   last one's, accepted with the header's width or rejected with a reason; for JSON Lines and
///   for CSV without quotes, one record per non-blank line;
/// - the same records whatever the size of the reads (a few bytes, so that quotes, line ends
///   and multi-byte characters fall across reads) and of the batches;
/// - a file written by ``CSVWriter`` or ``JSONLinesWriter`` reads back as the same fields.
///
/// ```swift
/// let summary = ReaderFuzz(seed: 1, directory: "/tmp/fuzz").run(for: .seconds(3))
/// print(summary)   // 512 cases (256 CSV, 256 JSON Lines) in 3.0 s, 0 failures
/// ```
public struct ReaderFuzz: Sendable {
    /// The seed all cases' seeds come from.
    public let seed: UInt64
    /// Where the generated files are written (one at a time).
    public let directory: String
    /// Whether a failing case's bytes are kept as `failure-<case seed>.<format>` in ``directory``.
    public var keepFailures = false
    /// A case slower than this is a failure (a reader that loops).
    public var slowCase: Duration = .seconds(10)

    /// A fuzzer drawing its cases from `seed`, writing its files in `directory` (created if needed).
    public init(seed: UInt64, directory: String) {
        self.seed = seed
        self.directory = directory
    }

    /// Runs cases, alternating CSV and JSON Lines (or only `format`), until `budget` has passed
    /// and at least `minimumCases` ran, or `maximumCases` ran.
    public func run(for budget: Duration, format: FuzzFormat? = nil, minimumCases: Int = 0, maximumCases: Int = .max) -> FuzzSummary {
        let clock = ContinuousClock()
        let started = clock.now
        var seeds = SeededRandom(seed: seed)
        var summary = FuzzSummary()
        try? FileSystem.createDirectory(directory)
        while summary.cases < maximumCases && (summary.cases < minimumCases || clock.now - started < budget) {
            let caseFormat = format ?? FuzzFormat.allCases[summary.cases % FuzzFormat.allCases.count]
            let caseSeed = seeds.next()
            summary.cases += 1
            summary.casesByFormat[caseFormat, default: 0] += 1
            summary.failures += check(format: caseFormat, seed: caseSeed)
        }
        summary.seconds = (clock.now - started).fuzzSeconds
        return summary
    }

    /// Generates the case of `seed` and checks it; returns its failures (none when it passes).
    public func check(format: FuzzFormat, seed: UInt64) -> [FuzzFailure] {
        let fuzzCase: FuzzCase
        do {
            fuzzCase = try FuzzCase.make(format: format, seed: seed, in: directory)
        } catch {
            return [FuzzFailure(seed: seed, format: format, problem: "could not generate the case: \(error)", mutations: [], preview: "", kept: nil)]
        }
        let clock = ContinuousClock()
        let started = clock.now
        var problems = check(fuzzCase)
        let took = clock.now - started
        if took > slowCase { problems.append("took \(took.fuzzSeconds) s (more than \(slowCase.fuzzSeconds) s)") }
        guard !problems.isEmpty else { return [] }
        var kept: String?
        if keepFailures {
            let path = "\(directory)/failure-\(seed).\(format.rawValue)"
            if (try? Data(fuzzCase.bytes).write(to: URL(fileURLWithPath: path))) != nil { kept = path }
        }
        return problems.map { FuzzFailure(seed: seed, format: format, problem: $0, mutations: fuzzCase.mutations, preview: fuzzCase.preview, kept: kept) }
    }

    /// Checks one case; returns what is wrong.
    public func check(_ fuzzCase: FuzzCase) -> [String] {
        let path = "\(directory)/case.\(fuzzCase.format.rawValue)"
        do {
            try Data(fuzzCase.bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            return ["could not write the case: \(error)"]
        }
        defer { FileSystem.remove(path) }
        var random = SeededRandom(seed: fuzzCase.seed ^ 0x5EED)
        let read: (Int, UInt8?, Int) throws -> ReadResult = { chunk, delimiter, batch in
            switch fuzzCase.format {
            case .csv: try ReadResult.csv(path: path, chunkSize: chunk, delimiter: delimiter, batchSize: batch)
            case .jsonl: try ReadResult.jsonLines(path: path, chunkSize: chunk, batchSize: batch)
            }
        }
        do {
            let reference = try read(1 << 20, nil, 4096)
            guard case .read(let outcome) = reference else {
                return fuzzCase.table == nil ? [] : ["a file the writer wrote was refused: \(reference)"]
            }
            var problems = ReaderInvariants(outcome: outcome, bytes: fuzzCase.bytes, format: fuzzCase.format).problems
            // The same records, read a few bytes at a time in small batches.
            for chunk in [Int.random(in: 1...16, using: &random), Int.random(in: 17...700, using: &random)] {
                let small = try read(chunk, outcome.delimiter, Int.random(in: 1...50, using: &random))
                if small != reference { problems.append("read \(chunk) bytes at a time: \(reference.difference(from: small))") }
            }
            if let table = fuzzCase.table {
                let back = try read(1 << 20, UInt8(ascii: ","), 4096)
                if let problem = back.roundTripProblem(table) { problems.append("the written table did not read back: \(problem)") }
            }
            return problems
        } catch {
            return ["the reader threw \(error)"]
        }
    }
}

/// What a fuzz run found.
public struct FuzzSummary: Sendable, CustomStringConvertible {
    /// Cases run.
    public var cases = 0
    /// Cases run per format.
    public var casesByFormat: [FuzzFormat: Int] = [:]
    /// What failed (a case may fail several ways).
    public var failures: [FuzzFailure] = []
    /// Time taken.
    public var seconds = 0.0

    /// `512 cases (256 CSV, 256 JSON Lines) in 3.0 s, 0 failures`.
    public var description: String {
        let failed = Set(failures.map(\.seed)).count
        return "\(cases) cases (\(casesByFormat[.csv] ?? 0) CSV, \(casesByFormat[.jsonl] ?? 0) JSON Lines) in \(String(format: "%.1f", seconds)) s, "
            + "\(failures.count) failure\(failures.count == 1 ? "" : "s")" + (failed > 0 ? " in \(failed) case\(failed == 1 ? "" : "s")" : "")
    }
}

/// One property that one case broke.
public struct FuzzFailure: Sendable, CustomStringConvertible {
    /// The case's seed: ``ReaderFuzz/check(format:seed:)`` runs it again.
    public let seed: UInt64
    /// The case's format.
    public let format: FuzzFormat
    /// What is wrong.
    public let problem: String
    /// What was done to the file.
    public let mutations: [String]
    /// The file's first bytes.
    public let preview: String
    /// Where its bytes were kept, if they were.
    public let kept: String?

    /// The failure in a few lines.
    public var description: String {
        "\(format.rawValue) case \(seed): \(problem)\n  mutations: \(mutations.isEmpty ? "none" : mutations.joined(separator: "; "))\n  bytes: \(preview)"
            + (kept.map { "\n  kept in \($0)" } ?? "")
    }
}

extension Duration {
    var fuzzSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
