import Foundation
import Testing
@testable import ListWashCore

/// The process id of a process that has ended (a `true` that ran and was reaped).
func deadProcessID() throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
}

/// #18 item 5: an output folder is committed as a whole, never left as a mix of two runs'
/// files, and what killed runs left beside it is removed.
@Suite struct OutputCommitTests {
    let folder = TemporaryFolder()
    var out: String { "\(folder.path)/out" }
    let csvNames = Disposition.allCases.map { $0.fileName() }

    /// The first field of each record of output `name`.
    func values(_ name: String) throws -> [String] {
        try readAll("\(out)/\(name)").records.map { $0[0] }
    }

    /// A sink over `out` with one row written, of `value`.
    func makeSink(writing value: String) throws -> DispositionSink {
        let schema = Schema(source: "s.csv", columns: ["n"], roles: [:])
        let sink = try DispositionSink(directory: out, columns: OutputColumns(headers: [("s.csv", ["n"])]), layout: OutputLayout())
        try sink.write(RecordBatch(schema: schema, rows: [[value]]))
        sink.countRowsIn(1, source: "s.csv")
        return sink
    }

    /// An earlier run's outputs (each holding `old`), an output of the other format, and the
    /// user's own files.
    func writeEarlierRunAndUsersFiles() {
        for name in csvNames { folder.write("out/\(name)", "n\nold\n") }
        folder.write("out/report.json", "{\"old\": true}")
        folder.write("out/load.jsonl", "{\"n\": \"older\"}\n")
        folder.write("out/notes.txt", "the user's notes")
        folder.write("out/archive/2026-11.csv", "kept")
    }

    @Test func theOutputFolderIsReplacedAsAWholeAndKeepsTheUsersFiles() throws {
        writeEarlierRunAndUsersFiles()
        let notes = try FileManager.default.attributesOfItem(atPath: "\(out)/notes.txt")[.systemFileNumber] as? Int
        let sink = try makeSink(writing: "new")
        try FileSystem.write("{}", to: sink.stagedPath("report.json"))
        try sink.commit(extraFiles: ["report.json"])
        #expect(FileSystem.contents(of: out) == (csvNames + ["archive", "notes.txt", "report.json"]).sorted())
        #expect(try values("load.csv") == ["new"])
        #expect(try values("attach.csv").isEmpty)
        #expect(folder.read("out/report.json") == "{}")
        #expect(folder.read("out/notes.txt") == "the user's notes")
        #expect(folder.read("out/archive/2026-11.csv") == "kept")
        // The user's file is the same file, not a copy.
        #expect(try FileManager.default.attributesOfItem(atPath: "\(out)/notes.txt")[.systemFileNumber] as? Int == notes)
        #expect(FileSystem.contents(of: folder.path) == ["out"])
    }

    @Test(arguments: ["carried", "swapped"])
    func aRunKilledDuringTheCommitLeavesOneRunsFiles(step: String) throws {
        writeEarlierRunAndUsersFiles()
        let sink = try makeSink(writing: "new")
        sink.swap?.afterStep = { if $0 == step { throw CancellationError() } }
        #expect(throws: CancellationError.self) { try sink.commit() }
        // The folder holds the old run's files or the new run's, never some of each.
        #expect(try values("load.csv") == (step == "carried" ? ["old"] : ["new"]))
        for name in csvNames where name != "load.csv" {
            #expect(try values(name) == (step == "carried" ? ["old"] : []))
        }
        #expect(FileSystem.exists("\(out)/report.json") == (step == "carried"))
        #expect(folder.read("out/notes.txt") == "the user's notes")

        // The killed process's staging folder, found by the next run, goes, and takes none of
        // the user's files with it.
        let left = FileSystem.contents(of: folder.path).filter { $0.hasPrefix(StagingFolder.prefix) }
        #expect(left.count == 1)
        let dead = try deadProcessID()
        for name in left {
            let renamed = name.replacingOccurrences(of: "\(StagingFolder.prefix)\(getpid())-", with: "\(StagingFolder.prefix)\(dead)-")
            try FileSystem.rename("\(folder.path)/\(name)", to: "\(folder.path)/\(renamed)")
        }
        let next = try makeSink(writing: "next")
        try next.commit()
        #expect(FileSystem.contents(of: folder.path) == ["out"])
        #expect(try values("load.csv") == ["next"])
        #expect(FileSystem.contents(of: out) == (csvNames + ["archive", "notes.txt"]).sorted())
        #expect(folder.read("out/notes.txt") == "the user's notes")
        #expect(folder.read("out/archive/2026-11.csv") == "kept")
    }

    @Test func stagingFoldersOfDeadRunsAreRemovedAndLiveOnesKept() throws {
        let dead = try deadProcessID()
        folder.write("\(StagingFolder.prefix)\(dead)-0-out/load.csv", "personal data")
        folder.write("out/\(StagingFolder.prefix)\(dead)/load.csv", "personal data, earlier versions")
        folder.write("\(StagingFolder.prefix)\(dead)-3-other.csv/other.csv", "personal data")
        folder.write("\(StagingFolder.prefix)1-0-out/load.csv", "a live run's")
        folder.write("\(StagingFolder.prefix)\(getpid())-999999-out/load.csv", "this process's")
        let sink = try makeSink(writing: "new")
        try sink.commit()
        #expect(FileSystem.contents(of: folder.path) == ["\(StagingFolder.prefix)1-0-out", "\(StagingFolder.prefix)\(getpid())-999999-out", "out"].sorted())
        #expect(FileSystem.contents(of: out) == csvNames.sorted())
    }

    @Test func withoutAnExchangeTheFolderIsSwappedByTwoRenames() throws {
        writeEarlierRunAndUsersFiles()
        let sink = try makeSink(writing: "new")
        sink.swap?.exchange = { _, _ in EINVAL }
        try sink.commit()
        #expect(try values("load.csv") == ["new"])
        #expect(FileSystem.contents(of: out) == (csvNames + ["archive", "notes.txt"]).sorted())
        #expect(FileSystem.contents(of: folder.path) == ["out"])
    }

    @Test func aFolderReplacedWhenItsRunDiedBetweenTheTwoRenamesIsPutBack() throws {
        let dead = try deadProcessID()
        folder.write("\(StagingFolder.replacedPrefix)\(dead)-0-out/load.csv", "n\nold\n")
        folder.write("\(StagingFolder.replacedPrefix)\(dead)-0-out/notes.txt", "the user's notes")
        folder.write("\(StagingFolder.prefix)\(dead)-1-out/load.csv", "n\nnew\n")
        let removed = StagingFolder.removeAbandoned(in: folder.path)
        #expect(removed.count == 2)
        #expect(FileSystem.contents(of: folder.path) == ["out"])
        #expect(folder.read("out/load.csv") == "n\nold\n")
        #expect(folder.read("out/notes.txt") == "the user's notes")
    }

    @Test func aSingleOutputFileIsRenamedIntoPlaceBesideTheUsersFiles() throws {
        let dead = try deadProcessID()
        folder.write("\(StagingFolder.prefix)\(dead)-0-all.csv/all.csv", "personal data")
        folder.write("notes.txt", "mine")
        let schema = Schema(source: "s.csv", columns: ["n"], roles: [:])
        let sink = try DispositionSink(.file("\(folder.path)/all.csv"), columns: OutputColumns(headers: [("s.csv", ["n"])]), layout: OutputLayout())
        try sink.write(RecordBatch(schema: schema, rows: [["1"]]))
        sink.countRowsIn(1, source: "s.csv")
        try sink.commit()
        #expect(FileSystem.contents(of: folder.path) == ["all.csv", "notes.txt"])
    }
}
