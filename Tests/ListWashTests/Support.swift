import Foundation
@testable import ListWash

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
        path = NSTemporaryDirectory() + "listwash-test-" + UUID().uuidString
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
}

/// Reads a CSV output file into header and rows.
func readCSV(_ path: String) throws -> (header: [String], rows: [[String]]) {
    let reader = try CSVReader(path: path)
    let schema = Schema(source: path, columns: reader.header, roles: [:])
    var rows: [[String]] = []
    while let batch = try reader.nextBatch(schema: schema, layout: OutputLayout()) {
        for row in 0..<batch.count { rows.append(batch.fields(row)) }
    }
    return (reader.header, rows)
}

/// The error a throwing call raises, as the user reads it.
func errorText(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as ListWashError {
        return error.description
    } catch {
        return "\(error)"
    }
}
