// The helpers every test target shares: a scratch folder, the package root, running `listwash`.
@_exported import ListWashTestSupport
import Foundation

/// The FEBRL1 and FEBRL2 sets with their true pairs, `Tests/ListWashTests/Fixtures/febrl`, found
/// from this file's path (sources and licences in `Fixtures/SOURCES.md`).
let febrlFolder: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // ListWashTests
    .appendingPathComponent("Fixtures/febrl").path
