import ListWashCore

/// The lines of a suppression-list file, split into fields (internal).
///
/// Lists are small, hand-kept CSV files, so they get a line-oriented reader that the general
/// CSV reader does not offer: lines whose first non-blank character is `#` are comments, blank
/// lines are skipped, and a quoted value never spans lines. Fields follow RFC 4180 within a
/// line (`"Acme, Inc."`, `"say ""hi"""`) and are trimmed. Lines end with `\n`, `\r\n` or `\r`.
/// The text is read as bytes (every delimiter is ASCII) and each field decoded on its own: a
/// field that is valid UTF-8 stays UTF-8, and only one that is not is decoded as Windows-1252
/// (``TextEncoding/decodeField(_:as:)``), so that one Excel-typed entry does not garble the others.
struct ListFileLines {
    /// One line with data: its 1-based number in the file and its fields.
    struct Line {
        var number: Int
        var fields: [String]
    }

    /// The data lines, in file order; the first is the header.
    let lines: [Line]
    /// The numbers of the lines that had a field that was not valid UTF-8 (decoded as
    /// Windows-1252).
    let repairedLines: [Int]

    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r"), quote = UInt8(ascii: "\""),
        comma = UInt8(ascii: ","), hash = UInt8(ascii: "#"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    /// Splits `text`, the contents of `path` (which names it in errors).
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`) for an unterminated quote or text after
    ///   a closing quote, naming the line and column.
    init(text: String, path: String) throws {
        var text = text
        self = try text.withUTF8 { try ListFileLines(bytes: $0, path: path) }
    }

    /// Splits `bytes`, the contents of `path` (which names it in errors), decoding each field on
    /// its own.
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`) for an unterminated quote or text after
    ///   a closing quote, naming the line and column.
    init(bytes: UnsafeBufferPointer<UInt8>, path: String) throws {
        var repairedLines: [Int] = []
        var lines: [Line] = []
        do {
            var number = 0
            var start = 0
            while start < bytes.count {
                number += 1
                var end = start
                while end < bytes.count, bytes[end] != Self.newline, bytes[end] != Self.carriageReturn { end += 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                if let first = line.firstIndex(where: { $0 != Self.space && $0 != Self.tab }), line[first] != Self.hash {
                    var repaired = false
                    lines.append(Line(number: number, fields: try Self.fields(of: line, line: number, path: path, repaired: &repaired)))
                    if repaired { repairedLines.append(number) }
                }
                start = end
                if start < bytes.count, bytes[start] == Self.carriageReturn {
                    start += 1
                    if start < bytes.count, bytes[start] == Self.newline { start += 1 }
                } else if start < bytes.count {
                    start += 1
                }
            }
        }
        self.lines = lines
        self.repairedLines = repairedLines
    }

    /// The fields of one line.
    static func fields(of line: UnsafeBufferPointer<UInt8>, line number: Int, path: String, repaired: inout Bool) throws -> [String] {
        var fields: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(64)
        var index = 0
        var quoted = false, wasQuoted = false
        while index < line.count {
            let byte = line[index]
            if quoted {
                if byte == quote {
                    if index + 1 < line.count, line[index + 1] == quote {
                        current.append(quote)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(byte)
                }
            } else if byte == comma {
                fields.append(trimmed(current, repaired: &repaired))
                current.removeAll(keepingCapacity: true)
                wasQuoted = false
            } else if byte == quote && !wasQuoted && current.allSatisfy({ $0 == space || $0 == tab }) {
                current.removeAll(keepingCapacity: true)
                quoted = true
                wasQuoted = true
            } else if wasQuoted && byte != space && byte != tab {
                throw ListWashError(.referenceData, "text after a closing quote; quote the whole value and double quotes inside it (\"say \"\"hi\"\"\")", at: SourceLocation(file: path, line: number, column: index + 1))
            } else {
                current.append(byte)
            }
            index += 1
        }
        if quoted {
            throw ListWashError(.referenceData, "unterminated quote (a value in a suppression list cannot span lines)", at: SourceLocation(file: path, line: number))
        }
        fields.append(trimmed(current, repaired: &repaired))
        return fields
    }

    /// The bytes as text without leading and trailing spaces and tabs: UTF-8 when they are valid
    /// UTF-8, else Windows-1252 (and `repaired` is set).
    private static func trimmed(_ bytes: [UInt8], repaired: inout Bool) -> String {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == space || bytes[start] == tab { start += 1 }
        while end > start, bytes[end - 1] == space || bytes[end - 1] == tab { end -= 1 }
        let decoded = bytes.withUnsafeBufferPointer { TextEncoding.decodeField(UnsafeBufferPointer(rebasing: $0[start..<end])) }
        if decoded.repaired { repaired = true }
        return decoded.text
    }
}

extension String {
    /// The text without leading and trailing whitespace.
    func trimmingCharacters() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
