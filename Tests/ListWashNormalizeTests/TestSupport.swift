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

/// A small, fast, seeded generator (SplitMix64) so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
