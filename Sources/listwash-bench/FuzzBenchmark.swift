import Foundation
import ListWashFuzz

/// `listwash-bench fuzz [--seconds N] [--seed S] [--format csv|jsonl] [--keep]`: the fuzz
/// tests' cases (``ReaderFuzz``) for longer; prints the cases run and every failure found, and
/// exits 1 when there was one. `--keep` keeps failing inputs in the temporary folder.
struct FuzzBenchmark {
    var seconds = 60.0
    var seed: UInt64 = 2026
    var format: FuzzFormat?
    var keep = false

    struct UsageError: Error, CustomStringConvertible {
        var description: String { "usage: listwash-bench fuzz [--seconds N] [--seed S] [--format csv|jsonl] [--keep]" }
    }

    init(arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            switch flag {
            case "--seconds": guard let value = rest.popFirst().flatMap(Double.init), value > 0 else { throw UsageError() }; seconds = value
            case "--seed": guard let value = rest.popFirst().flatMap({ UInt64($0) }) else { throw UsageError() }; seed = value
            case "--format": guard let value = rest.popFirst().flatMap(FuzzFormat.init(rawValue:)) else { throw UsageError() }; format = value
            case "--keep": keep = true
            default: throw UsageError()
            }
        }
    }

    func run() throws {
        // In memory when the system has /dev/shm: the writers sync every file they finish.
        let temporary = FileManager.default.fileExists(atPath: "/dev/shm") && !keep ? "/dev/shm/" : NSTemporaryDirectory()
        let directory = temporary + "listwash-fuzz-\(getpid())"
        var fuzzer = ReaderFuzz(seed: seed, directory: directory)
        fuzzer.keepFailures = keep
        print("fuzz: seed \(seed), \(seconds) s, \(format.map(\.rawValue) ?? "csv and jsonl")")
        let summary = fuzzer.run(for: .milliseconds(Int64(seconds * 1000)), format: format)
        for failure in summary.failures { print(failure) }
        print("fuzz: \(summary)")
        if keep && !summary.failures.isEmpty {
            print("fuzz: failing inputs kept in \(directory)")
        } else {
            try? FileManager.default.removeItem(atPath: directory)
        }
        if !summary.failures.isEmpty { exit(1) }
    }
}
