import Foundation
import ListWashFuzz
import Testing
@testable import ListWashCore

/// Seeded random CSV and JSON Lines files, most of them mutated (quotes, CR/LF mixes, NUL,
/// invalid and truncated UTF-8, BOMs, very long fields, ragged rows, header-only and empty
/// files, thousands of columns), read whole and a few bytes at a time: no crash, every record
/// counted comes out once with its line and, when rejected, a reason, the same records whatever
/// the read size, and a written file reads back as written (see ``ReaderFuzz``).
/// `listwash-bench fuzz --seconds N` runs the same cases for longer.
@Suite struct ReaderFuzzTests {
    let scratch = Scratch()

    func fuzz(_ format: FuzzFormat, seed: UInt64) {
        // In memory when the system has /dev/shm (the writers sync each file): more cases in the time.
        let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/listwash-fuzz-\(UUID().uuidString)" : scratch.path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let summary = ReaderFuzz(seed: seed, directory: directory).run(for: .seconds(3), format: format, minimumCases: 15)
        #expect(summary.cases >= 15)
        for failure in summary.failures.prefix(10) { Issue.record("\(failure)") }
        #expect(summary.failures.isEmpty, "\(summary)")
        print("\(format.rawValue) fuzz: \(summary)")
    }

    @Test func fuzzedCSVFilesReadSafely() {
        fuzz(.csv, seed: 0x4C57_4353_5601)
    }

    @Test func fuzzedJSONLinesFilesReadSafely() {
        fuzz(.jsonl, seed: 0x4C57_4A53_4F01)
    }

    /// The checks can fail: a valid file with one record more than the table written is caught.
    @Test(arguments: [(FuzzFormat.csv, #"x,y"#), (FuzzFormat.jsonl, #"{"x":1}"#)])
    func theChecksCatchARecordTooMany(_ format: FuzzFormat, _ extra: String) throws {
        let fuzzer = ReaderFuzz(seed: 1, directory: scratch.path)
        var seed: UInt64 = 0
        var valid: FuzzCase?
        while valid == nil && seed < 200 {
            seed += 1
            let fuzzCase = try FuzzCase.make(format: format, seed: seed, in: scratch.path)
            if let table = fuzzCase.table, !table.rows.isEmpty { valid = fuzzCase }
        }
        let fuzzCase = try #require(valid)
        #expect(fuzzer.check(fuzzCase).isEmpty, "\(fuzzCase.preview)")
        var bytes = fuzzCase.bytes
        bytes.append(contentsOf: Array(extra.utf8) + [0x0A])
        let broken = FuzzCase(seed: seed, format: format, bytes: bytes, table: fuzzCase.table, mutations: ["a record more"])
        #expect(fuzzer.check(broken).contains { $0.contains("did not read back") })
    }
}
