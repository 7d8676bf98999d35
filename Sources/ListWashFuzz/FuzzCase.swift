import Foundation
import ListWashCore

/// The formats the readers take.
public enum FuzzFormat: String, Sendable, CaseIterable {
    /// CSV, read by ``CSVReader``.
    case csv
    /// JSON Lines, read by ``JSONLinesReader``.
    case jsonl
}

/// One generated input file: a table written by ListWash's own writer, then, most of the time,
/// mutated byte by byte.
public struct FuzzCase: Sendable {
    /// The seed that makes this case again (``make(format:seed:in:)``).
    public let seed: UInt64
    /// The file's format.
    public let format: FuzzFormat
    /// The file's bytes.
    public let bytes: [UInt8]
    /// The header and rows written, when the bytes were not mutated: reading them back must
    /// give the same fields.
    public let table: (header: [String], rows: [[String]])?
    /// What was done to the bytes, for a failure's message.
    public let mutations: [String]

    /// A case of these bytes; `table` is what they hold when they are a valid file.
    public init(seed: UInt64, format: FuzzFormat, bytes: [UInt8], table: (header: [String], rows: [[String]])?, mutations: [String]) {
        self.seed = seed
        self.format = format
        self.bytes = bytes
        self.table = table
        self.mutations = mutations
    }

    /// Generates the case of `seed`: a table of random values (quotes, line breaks, multi-byte
    /// and invisible characters, long values, many columns) written with ``CSVWriter`` or
    /// ``JSONLinesWriter`` in `directory`, then, three times in four, mutated (see
    /// ``FuzzMutation``).
    ///
    /// - Throws: what the writer throws when `directory` cannot be written.
    public static func make(format: FuzzFormat, seed: UInt64, in directory: String) throws -> FuzzCase {
        var random = SeededRandom(seed: seed)
        let table = FuzzTable.random(using: &random, uniqueHeader: format == .jsonl)
        let path = "\(directory)/generated.\(format.rawValue)"
        try table.write(to: path, format: format)
        let written = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard Int.random(in: 0..<4, using: &random) != 0 else {
            // A JSON Lines file without records has no columns either: they come from its first object.
            let header = format == .jsonl && table.rows.isEmpty ? [] : table.header
            return FuzzCase(seed: seed, format: format, bytes: written, table: (header, table.rows), mutations: [])
        }
        var bytes = written
        var mutations: [String] = []
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let mutation = FuzzMutation.allCases.randomElement(using: &random) ?? .insert
            mutations.append(mutation.apply(to: &bytes, using: &random))
        }
        return FuzzCase(seed: seed, format: format, bytes: bytes, table: nil, mutations: mutations)
    }

    /// The first bytes, escaped, for a failure's message.
    public var preview: String {
        let shown = bytes.prefix(160).map { byte -> String in
            switch byte {
            case 0x0A: "\\n"
            case 0x0D: "\\r"
            case 0x22: "\\\""
            case 0x5C: "\\\\"
            case 0x20..<0x7F: String(UnicodeScalar(byte))
            default: "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }.joined()
        return "\"" + shown + (bytes.count > 160 ? "\"... (\(bytes.count) bytes)" : "\"")
    }
}

/// A random table: header and rows of values that a CSV or JSON Lines file must carry intact.
struct FuzzTable {
    var header: [String]
    var rows: [[String]]

    static func random(using random: inout SeededRandom, uniqueHeader: Bool) -> FuzzTable {
        let width: Int
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<7: width = Int.random(in: 1...6, using: &random)
        case 7, 8: width = Int.random(in: 7...40, using: &random)
        default: width = Int.random(in: 200...3_000, using: &random)   // huge column counts
        }
        let height: Int
        switch Int.random(in: 0..<10, using: &random) {
        case 0: height = 0   // header only
        case 1..<8: height = Int.random(in: 1...20, using: &random)
        default: height = Int.random(in: 21...300, using: &random)
        }
        let cells = max(1, 6_000 / width)
        var header: [String] = []
        for column in 0..<width {
            var name = Int.random(in: 0..<4, using: &random) == 0 ? FuzzValue.random(using: &random, long: false) : "column \(column)"
            // A file's first bytes are never a BOM (it would be taken for the file's), and a
            // header of one empty name would be a blank line.
            if column == 0 { name = String(name.drop { $0 == "\u{FEFF}" }) }
            if name.isEmpty || (uniqueHeader && header.contains(name)) { name = "column \(column)" }
            header.append(name)
        }
        var rows: [[String]] = []
        for _ in 0..<min(height, cells) {
            rows.append((0..<width).map { _ in FuzzValue.random(using: &random, long: width < 10) })
        }
        return FuzzTable(header: header, rows: rows)
    }

    func write(to path: String, format: FuzzFormat) throws {
        let columns = OutputColumns(headers: [(path, header)])
        let writer: any RecordWriter = switch format {
        case .csv: try CSVWriter(path: path, columns: columns, layout: OutputLayout())
        case .jsonl: try JSONLinesWriter(path: path, columns: columns, layout: OutputLayout())
        }
        let batch = RecordBatch(schema: Schema(source: path, columns: header, roles: [:]), rows: rows)
        try writer.write(batch, rows: Array(0..<batch.count))
        try writer.finish()
    }
}

/// Random values from pools a lead list holds and pools that break parsers.
enum FuzzValue {
    static let pieces: [String] = [
        "", " ", "ann", "Lee", "ann@example.com", "555-0100", "O'Neil", "José", "Müller", "日本語", "👩‍💻", "e\u{0301}",
        ",", ";", "\t", "|", "\"", "\"\"", "a\"b", "\n", "\r\n", "\r", "line\nbreak", "{", "}", "[1,2]", ":", "\\", "\\u00e9",
        "\u{FEFF}", "\u{200B}", "\u{00A0}", "\u{2028}", "null", "true", "1e5", "-0", "\u{7F}", "\u{1}",
    ]

    static func random(using random: inout SeededRandom, long: Bool) -> String {
        if long, Int.random(in: 0..<200, using: &random) == 0 {
            // A very long field, past the reader's first reads (and past 64 KiB once in a while).
            let length = Int.random(in: 0..<5, using: &random) == 0 ? 70_000 : Int.random(in: 1_000...9_000, using: &random)
            return String(repeating: pieces.randomElement(using: &random) ?? "x", count: 1) + String(repeating: "x", count: length)
        }
        var value = ""
        for _ in 0..<Int.random(in: 0...3, using: &random) { value += pieces.randomElement(using: &random) ?? "" }
        return value
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
