import Foundation
import ListWash
import Testing
@testable import ListWashNightly

@Suite struct ReportPageTests {
    static func detail(histogram: [Int] = Array(repeating: 0, count: 20)) -> RunDetail {
        let summary = RunSummary(id: "2026-11-23T021500Z-3fa9c2", name: "nightly", pipeline: "p.yaml", startedAt: "2026-11-23T02:15:00Z",
                                 finishedAt: "2026-11-23T02:15:09Z", status: .succeeded, exitStatus: 0, message: nil, seconds: 9.25,
                                 outputFolder: "out/x", files: 1, skipped: 1, rowsIn: 1000,
                                 rowsOut: [.load: 700, .attach: 50, .duplicate: 100, .review: 20, .suppressed: 30, .rejected: 100])
        return RunDetail(summary: summary, inputs: [
            RunInput(path: "inbox/2026-11-20-<webinar>.csv", sha256: "ab", bytes: 5000, list: "webinar", processed: true, rowsIn: 1000,
                     rowsOut: [.load: 700, .attach: 50, .duplicate: 100, .review: 20, .suppressed: 30, .rejected: 100]),
            RunInput(path: "inbox/again.csv", sha256: "cd", bytes: 10, list: "again", processed: false, note: "already processed by run r1"),
        ], reasons: [
            ReasonCount(list: "webinar", disposition: .rejected, reason: "ragged row", rows: 60),
            ReasonCount(list: "webinar", disposition: .rejected, reason: "missing email and phone", rows: 40),
            ReasonCount(list: "webinar", disposition: .suppressed, reason: "competitor domain", rows: 30),
        ], histogram: histogram)
    }

    static let scorecard = [ListScore(list: "webinar", runs: 3, files: 3, rows: 4000, rejected: 400, duplicate: 200, suppressed: 100, loaded: 3000, lastSeen: "2026-11-23T02:15:00Z")]

    @Test func thePageIsSelfContained() {
        let html = ReportPage(run: Self.detail(histogram: [0, 1, 2] + Array(repeating: 5, count: 17)), report: nil, scorecard: Self.scorecard).html
        for banned in ["http://", "https://", "<script", "src=", "<link", "@import", "url("] {
            #expect(!html.lowercased().contains(banned), "\(banned)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
    }

    @Test func thePageShowsTheFunnelReasonsHistogramAndScorecard() {
        let page = ReportPage(run: Self.detail(histogram: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 9, 30, 7]), report: nil, scorecard: Self.scorecard)
        #expect(page.funnel.map(\.rows) == [1000, 900, 800, 770, 750, 700])
        let html = page.html
        #expect(html.contains(">1,000</div>"))
        #expect(html.contains("− 100 rejected"))
        #expect(html.contains("− 50 attached to existing records"))
        #expect(html.contains("<td>ragged row</td><td class=\"num\">60</td>"))
        #expect(html.contains("<td>competitor domain</td><td class=\"num\">30</td>"))
        #expect(html.contains("0.9–0.95: 30 rows"))
        #expect(html.contains("50 rows with a score"))
        #expect(html.contains("10.0%"))   // webinar invalid share, 400 of 4,000
        #expect(html.contains("5.0%"))    // duplicate share
        #expect(html.contains("2.5%"))    // suppressed share
        #expect(html.contains("inbox/2026-11-20-&lt;webinar&gt;.csv"))
        #expect(!html.contains("<webinar>"))
    }

    @Test func aRunWithoutMatchScoresSaysSo() {
        let html = ReportPage(run: Self.detail(), report: nil, scorecard: []).html
        #expect(html.contains("No row of this run has a match score"))
        #expect(!html.contains("<svg"))
    }

    @Test func theObserverCountsReasonsAndScoresPerSource() throws {
        let observer = RunObserver()
        let schema = Schema(source: "a.csv", columns: ["email"], roles: [:])
        var batch = RecordBatch(schema: schema, rows: [["x"], ["y"], ["z"], ["w"]])
        batch.settle(0, as: .rejected, reason: "ragged row: 3 fields where the header has 1")
        batch.settle(1, as: .rejected, reason: "ragged row: 2 fields where the header has 1")
        batch[2, OutputLayout.matchScore] = "0.93"
        batch[3, OutputLayout.matchScore] = "41"
        try observer.process(&batch)
        let counts = observer.counts
        #expect(counts.reasons["a.csv"]?[.rejected]?["ragged row"] == 2)
        #expect(counts.histogram[18] == 1)
        #expect(counts.histogram[8] == 1)
        #expect(MatchScoreHistogram.bin("1") == 19)
        #expect(MatchScoreHistogram.bin("abc") == nil)
    }
}
