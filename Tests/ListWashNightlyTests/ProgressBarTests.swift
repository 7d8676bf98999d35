import Testing
@testable import ListWashNightly

@Suite struct ProgressBarTests {
    @Test func theBarShowsBytesReadThenWhatTheRunDoesAfterReading() {
        #expect(ProgressBar.render(done: 50_000_000, total: 100_000_000, elapsed: .seconds(75)) == "[##########..........]  50%  50.0 of 100.0 MB  1:15 elapsed")
        // Once every byte is read the run still matches, decides and writes: no frozen 100%.
        #expect(ProgressBar.render(done: 100_000_000, total: 100_000_000, elapsed: .seconds(3)) == "read 100.0 MB in 0:03; now matching, deciding and writing ...")
    }
}
