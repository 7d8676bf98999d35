import ListWashCore
import Foundation
import Testing
@testable import ListWashNormalize

/// Shared fixtures for the normalizer tests.
enum TestSupport {
    /// One normalizer per test process over the bundled reference data.
    static let normalizer = Normalizer()

    /// `Tests/ListWashNormalizeTests/Fixtures`, found from this file's path (sources and licences
    /// in its `SOURCES.md`).
    static var fixturesDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // ListWashNormalizeTests
            .appendingPathComponent("Fixtures")
    }

    /// The rows (header dropped) of a CSV file in `Fixtures/`. A missing file is a failure of the
    /// test that asked for it (and no rows).
    static func fixtureCSV(_ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [[String]] {
        let url = fixturesDirectory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("missing fixture \(url.path)", sourceLocation: sourceLocation)
            return []
        }
        return ResourceText.csvRows([UInt8](data))
    }
}

/// The seeded generator property tests use, so they are reproducible.
typealias SeededGenerator = SeededRandom
