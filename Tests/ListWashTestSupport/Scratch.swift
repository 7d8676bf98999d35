import Foundation
import ListWashCore

/// The package's root folder, found from this file's path.
public let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A temporary folder for one test, removed when the value goes away.
public final class Scratch {
    /// The folder's path.
    public let path: String

    /// A new, empty folder.
    public init() {
        path = NSTemporaryDirectory() + "listwash-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `bytes` to `name` (folders made as needed) and returns its path.
    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) -> String {
        let file = "\(path)/\(name)"
        try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // Not `FileManager.createFile`: on Linux it writes through a temporary
        // folder that it leaves behind in /tmp.
        try? Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Writes `text` as UTF-8 to `name` and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        write(name, bytes: Array(text.utf8))
    }

    /// The text of `name`, or empty when it cannot be read.
    public func read(_ name: String) -> String {
        (try? String(contentsOfFile: "\(path)/\(name)", encoding: .utf8)) ?? ""
    }

    /// Whether `name` exists.
    public func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(path)/\(name)")
    }

    /// The names in folder `name`, sorted.
    public func contents(_ name: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(path)/\(name)")) ?? []).sorted()
    }
}

/// The error a throwing call raises, as the user reads it; `nil` when it does not throw.
public func errorText(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as ListWashError {
        return error.description
    } catch {
        return "\(error)"
    }
}

/// Reads a CSV output file into its header and rows.
public func readCSV(_ path: String) throws -> (header: [String], rows: [[String]]) {
    let reader = try CSVReader(path: path)
    let schema = Schema(source: path, columns: reader.header, roles: [:])
    var rows: [[String]] = []
    while let batch = try reader.nextBatch(schema: schema, layout: OutputLayout()) {
        for row in 0..<batch.count { rows.append(batch.fields(row)) }
    }
    return (reader.header, rows)
}
