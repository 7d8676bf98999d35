import ListWashCore
import Foundation
import Testing

/// Reference tables in `Fixtures/` beside this file (their sources and licences in
/// `Fixtures/SOURCES.md`).
enum StringMetricsFixtures {
    /// `Tests/ListWashMatchTests/Fixtures`, found from this file's path.
    static var folder: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // ListWashMatchTests
            .appendingPathComponent("Fixtures")
    }

    /// The rows of a CSV file in that folder, header dropped. A missing file is a failure of the
    /// test that asked for it (and no rows), so that no test passes over zero rows and the other
    /// tests still run.
    static func rows(_ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [[String]] {
        let path = folder.appendingPathComponent(name).path
        guard let data = FileManager.default.contents(atPath: path) else {
            Issue.record("missing reference table \(path)", sourceLocation: sourceLocation)
            return []
        }
        return Array(parseCSV([UInt8](data)).dropFirst())
    }

    /// RFC 4180: quoted fields with doubled quotes, LF or CRLF line ends; an empty line is a
    /// row with one empty field (the tables hold such rows, e.g. `,,0`).
    static func parseCSV(_ bytes: [UInt8]) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var i = 0
        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll()
        }
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(b)
                }
            } else if b == UInt8(ascii: "\"") {
                quoted = true
            } else if b == UInt8(ascii: ",") {
                endField()
            } else if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                if b == UInt8(ascii: "\r") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                endField()
                rows.append(row)
                row.removeAll()
            } else {
                field.append(b)
            }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty {
            endField()
            rows.append(row)
        }
        return rows
    }
}

/// The seeded generator property tests use, so they are reproducible.
typealias SimilaritySeededGenerator = SeededRandom

/// A random string of `length` characters drawn from `alphabet`.
func randomString(_ alphabet: [Character], length: Int, using rng: inout SimilaritySeededGenerator) -> String {
    String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
}
