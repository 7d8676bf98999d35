import Foundation
import ListWash
import Logging
@testable import ListWashNightly

/// The package's root folder, found from this file's path.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A temporary folder for one test, removed when the value goes away.
final class Scratch {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "listwash-nightly-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let file = "\(path)/\(name)"
        try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
        return file
    }

    func read(_ name: String) -> String {
        (try? String(contentsOfFile: "\(path)/\(name)", encoding: .utf8)) ?? ""
    }

    func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(path)/\(name)")
    }

    func contents(_ name: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(path)/\(name)")) ?? []).sorted()
    }
}

/// A logger that keeps its lines (for tests that check what a run said).
final class CollectedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []

    var lines: [String] { lock.withLock { collected } }

    func append(_ line: String) { lock.withLock { collected.append(line) } }

    var logger: Logger {
        Logger(label: "test") { _ in CollectingHandler(log: self) }
    }
}

struct CollectingHandler: LogHandler {
    let log: CollectedLog
    var logLevel: Logger.Level = .debug
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log.append("\(event.level): \(event.message)")
    }
}

/// Runs the built `listwash` executable as a user would.
func listwash(_ arguments: [String], in folder: String) throws -> (status: Int32, out: String, err: String) {
    let process = try startListwash(arguments, in: folder)
    let outData = process.out.fileHandleForReading.readDataToEndOfFile()
    let errData = process.err.fileHandleForReading.readDataToEndOfFile()
    process.process.waitUntilExit()
    return (process.process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// Starts the built `listwash` executable without waiting for it.
func startListwash(_ arguments: [String], in folder: String) throws -> (process: Process, out: Pipe, err: Pipe) {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("listwash").path,
        "\(packageRoot)/.build/debug/listwash",
    ]
    guard let executable = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: candidates.joined(separator: ", ")])
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    return (process, out, err)
}

/// A nightly pipeline file over `inbox` writing to `out`, with `extra` lines.
func nightlyPipeline(inbox: String = "inbox/*.csv", out: String = "out", after: String = "keep", extra: String = "") -> String {
    """
    name: nightly-test
    inbox: {path: "\(inbox)", after: \(after)}
    stages:
      - validate: {required_any: [email, phone]}
    output: {folder: \(out)}
    \(extra)
    """
}
