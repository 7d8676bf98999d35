import Foundation
import ListWash
import Testing
@testable import ListWashNightly

@Suite struct InboxTests {
    let scratch = Scratch()

    @Test func scanningLeavesHiddenPartialAndDoneFilesAlone() throws {
        for name in ["b.csv", "a.csv", ".uploading.csv", "c.csv.part", "d.csv.done", "notes.txt"] { scratch.write("inbox/\(name)", "email\n") }
        try FileManager.default.createDirectory(atPath: "\(scratch.path)/inbox/processed.csv", withIntermediateDirectories: true)
        let files = try InboxScanner.scan(pattern: "\(scratch.path)/inbox/*.csv")
        #expect(files.map(\.name) == ["a.csv", "b.csv"])
        #expect(files.first?.size == 6)
        let all = try InboxScanner.scan(pattern: "\(scratch.path)/inbox/*")
        #expect(all.map(\.name) == ["a.csv", "b.csv", "notes.txt"])
    }

    @Test func aMissingInboxIsAnInputError() {
        #expect(throws: ListWashError.self) { try InboxScanner.scan(pattern: "\(scratch.path)/nowhere/*.csv") }
    }

    @Test func theInboxFlagOverridesTheFolderAndKeepsThePattern() {
        let inbox = PipelineConfiguration.Inbox(path: "data/inbox/*.csv")
        #expect(InboxScanner.pattern(inbox, override: nil) == "data/inbox/*.csv")
        #expect(InboxScanner.pattern(inbox, override: "/srv/drop") == "/srv/drop/*.csv")
        #expect(InboxScanner.pattern(inbox, override: "/srv/drop/*.txt") == "/srv/drop/*.txt")
        #expect(InboxScanner.pattern(nil, override: "/srv/drop/") == "/srv/drop/*")
        #expect(InboxScanner.pattern(nil, override: nil) == nil)
    }

    @Test func listsAreNamedByRuleOrByFileNameWithoutDates() {
        #expect(ListName.of(fileName: "2026-11-20-webinar.csv") == "webinar")
        #expect(ListName.of(fileName: "webinar_20261121.csv") == "webinar")
        #expect(ListName.of(fileName: "ZoomInfo export 2026-11-21T0215.csv") == "ZoomInfo-export")
        #expect(ListName.of(fileName: "20261121.csv") == "20261121")
        let rules = [PipelineConfiguration.Inbox.ListRule(pattern: "*webinar*", list: "ON24 webinars")]
        #expect(ListName.of(fileName: "2026-11-20-webinar.csv", rules: rules) == "ON24 webinars")
        #expect(ListName.of(fileName: "form-fills.csv", rules: rules) == "form-fills")
    }

    @Test func thePipelineFileNamesTheInboxHistoryAndLog() throws {
        let configuration = try PipelineConfiguration.parse("""
            inbox:
              path: ../drop/*.csv
              after: mark
              processed_folder: ../done
              lists: {"*acme*": Acme Data}
            history: ../state/history.sqlite
            log: {file: ../logs/listwash.log, level: debug}
            output: {folder: ../out}
            """, file: "pipelines/nightly.yaml")
        #expect(configuration.inbox?.path == "drop/*.csv")
        #expect(configuration.inbox?.after == .mark)
        #expect(configuration.inbox?.processedFolder == "done")
        #expect(configuration.inbox?.lists == [.init(pattern: "*acme*", list: "Acme Data")])
        #expect(configuration.historyPath == "state/history.sqlite")
        #expect(configuration.logFile == "logs/listwash.log")
        #expect(configuration.logLevel == "debug")
        #expect(NightlyRun.historyPath(for: try PipelineConfiguration.parse("inbox: in\noutput: {folder: o}", file: "p.yaml")) == "o/listwash-history.sqlite")
    }

    @Test func misspelledInboxKeysGetDidYouMean() {
        let cases: [(String, String)] = [
            ("inbox: {path: in, afterr: move}", "p.yaml:1:19: error: unknown key 'afterr' in inbox. Did you mean 'after'?"),
            ("inbox: {path: in, after: mvoe}", "p.yaml:1:26: error: unknown value 'mvoe' in after. Did you mean 'move'?"),
            ("inbox: {after: move}", "p.yaml:1:8: error: inbox needs a path (a folder or a glob such as inbox/*.csv)"),
            ("inbx: in", "p.yaml:1:1: error: unknown key 'inbx' in the pipeline. Did you mean 'inbox'?"),
            ("log: {level: loud}", "p.yaml:1:14: error: unknown level 'loud' in log; expected one of: debug, info, warning, error"),
        ]
        for (yaml, expected) in cases {
            do {
                _ = try PipelineConfiguration.parse(yaml, file: "p.yaml")
                Issue.record("no error for \(yaml)")
            } catch let error as ListWashError {
                #expect(error.description == expected)
                #expect(error.exitStatus == 64)
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}

/// #18 item 6: the inbox takes a file only once it is complete.
@Suite struct InboxSettleTests {
    let scratch = Scratch()

    func scan() throws -> [InboxFile] { try InboxScanner.scan(pattern: "\(scratch.path)/inbox/*.csv") }

    @Test func aFileOlderThanTheIntervalIsTakenWithoutWaiting() throws {
        try age(scratch.write("inbox/a.csv", "email\na@b.com\n"))
        var settle = InboxSettle(interval: 5)
        settle.wait = { _ in Issue.record("waited for a file that arrived an hour ago") }
        let outcome = settle.take(try scan())
        #expect(outcome.ready.map(\.name) == ["a.csv"])
        #expect(outcome.waiting.isEmpty)
    }

    @Test func aYoungFileIsTakenOnceUnchangedOverTheInterval() throws {
        let clock = ContinuousClock()
        let started = clock.now
        scratch.write("inbox/a.csv", "email\na@b.com\n")
        let outcome = InboxSettle(interval: 0.2).take(try scan())
        #expect(outcome.ready.map(\.name) == ["a.csv"])
        // Taken once it was 0.2 s old, not before.
        #expect(clock.now - started >= .milliseconds(150))
        #expect(clock.now - started < .seconds(2))
    }

    @Test func aFileThatGrowsWhileTheRunWaitsIsLeftWithTheReason() throws {
        let path = scratch.write("inbox/growing.csv", "email\na@b.com\n")
        try age(scratch.write("inbox/old.csv", "email\nc@d.com\n"))
        var settle = InboxSettle(interval: 60)
        settle.wait = { _ in
            // The uploader writes on while the run waits (no real wait here).
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            handle.seekToEndOfFile()
            handle.write(Data("b@c.com\n".utf8))
            try? handle.close()
        }
        let outcome = settle.take(try scan())
        #expect(outcome.ready.map(\.name) == ["old.csv"])
        #expect(outcome.waiting.map(\.file.name) == ["growing.csv"])
        #expect(outcome.waiting.first?.reason == "still being written (size 14 -> 22 bytes within 60 s); left for the next run")
    }

    @Test func aFileOpenForWritingIsLeftAndOneOpenForReadingIsTaken() throws {
        let writing = try #require(FileHandle(forWritingAtPath: scratch.write("inbox/writing.csv", "email\n")))
        defer { try? writing.close() }
        let reading = try #require(FileHandle(forReadingAtPath: scratch.write("inbox/reading.csv", "email\n")))
        defer { try? reading.close() }
        for name in ["writing.csv", "reading.csv"] { try age("\(scratch.path)/inbox/\(name)") }
        let outcome = InboxSettle(interval: 5).take(try scan())
        #expect(outcome.ready.map(\.name) == ["reading.csv"])
        #expect(outcome.waiting.map(\.file.name) == ["writing.csv"])
        #expect(outcome.waiting.first?.reason == "still being written (open for writing by process \(getpid())); left for the next run")
    }

    @Test func theSettleIntervalIsReadFromTheInboxSection() throws {
        #expect(try PipelineConfiguration.parse("inbox: {path: in, settle_seconds: 0.5}", file: "p.yaml").inbox?.settleSeconds == 0.5)
        #expect(try PipelineConfiguration.parse("inbox: in", file: "p.yaml").inbox?.settleSeconds == 5)
        #expect(errorText { _ = try PipelineConfiguration.parse("inbox: {path: in, settle_seconds: -1}", file: "p.yaml") } == "p.yaml:1:35: error: settle_seconds must be between 0 and 3600")
    }

    @Test func aFileChangedAfterTheRunReadItIsNotMovedOrMarked() throws {
        try age(scratch.write("inbox/a.csv", "email\na@b.com\n"))
        let file = try #require(try scan().first)
        scratch.write("inbox/a.csv", "email\na@b.com\nmore@b.com\n")
        for after in ["move", "mark"] {
            var inbox = PipelineConfiguration.Inbox(path: "\(scratch.path)/inbox/*.csv")
            inbox.after = try #require(PipelineConfiguration.Inbox.After(rawValue: after))
            let disposal = InputDisposal(inbox: inbox, pattern: inbox.path)
            let message = errorText { _ = try disposal.apply(to: file, runID: "run-1") }
            #expect(message == "\(file.path): error: \(file.path) changed after the run read it (size 14 -> 25 bytes): it is still being written, so it is left in the inbox, not moved or marked as done")
        }
        #expect(scratch.contents("inbox") == ["a.csv"])
    }
}
