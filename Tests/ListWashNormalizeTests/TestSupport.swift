import ListWashCore
import Foundation
@testable import ListWashNormalize

/// Shared fixtures for the normalizer tests.
enum TestSupport {
    /// One normalizer per test process over the bundled reference data.
    static let normalizer = Normalizer()

    /// `../shared/data` relative to the package root, found from this file's path.
    static var sharedDataDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // ListWashNormalizeTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .deletingLastPathComponent()
            .appendingPathComponent("shared/data")
    }

    /// The rows (header dropped) of a CSV file under `../shared/data`.
    static func sharedCSV(_ relativePath: String) -> [[String]] {
        let url = sharedDataDirectory.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        return ResourceText.csvRows([UInt8](data))
    }
}

/// The seeded generator property tests use, so they are reproducible.
typealias SeededGenerator = SeededRandom
