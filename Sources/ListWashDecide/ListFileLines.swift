import ListWashCore

/// The lines of a suppression-list file, split into fields (internal).
///
/// Lists are small, hand-kept CSV files, so they get a line-oriented reader that the general
/// CSV reader does not offer: lines whose first non-blank character is `#` are comments, blank
/// lines are skipped, and a quoted value never spans lines. Fields follow RFC 4180 within a
/// line (`"Acme, Inc."`, `"say ""hi"""`) and are trimmed.
struct ListFileLines {
    /// One line with data: its 1-based number in the file and its fields.
    struct Line {
        var number: Int
        var fields: [String]
    }

    /// The data lines, in file order; the first is the header.
    let lines: [Line]

    /// Splits `text`, the contents of `path` (which names it in errors).
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`) for an unterminated quote or text after
    ///   a closing quote, naming the line and column.
    init(text: String, path: String) throws {
        var lines: [Line] = []
        var number = 0
        // "\r\n" is one Character in Swift: split on it as well as on "\n" and "\r".
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            number += 1
            let content = line.drop(while: { $0 == " " || $0 == "\t" })
            if content.isEmpty || content.first == "#" { continue }
            lines.append(Line(number: number, fields: try Self.fields(of: line, line: number, path: path)))
        }
        self.lines = lines
    }

    /// The fields of one line.
    static func fields(of line: Substring, line number: Int, path: String) throws -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false, wasQuoted = false
        var column = 0
        var characters = line.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let character = pending { pending = nil; return character }
            return characters.next()
        }
        while let character = next() {
            column += 1
            if quoted {
                if character == "\"" {
                    if let following = characters.next() {
                        if following == "\"" { current.append("\""); column += 1 } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "," {
                fields.append(current.trimmingCharacters())
                current = ""
                wasQuoted = false
            } else if character == "\"" && current.allSatisfy(\.isWhitespace) && !wasQuoted {
                current = ""
                quoted = true
                wasQuoted = true
            } else if wasQuoted && !character.isWhitespace {
                throw ListWashError(.referenceData, "text after a closing quote; quote the whole value and double quotes inside it (\"say \"\"hi\"\"\")", at: SourceLocation(file: path, line: number, column: column))
            } else {
                current.append(character)
            }
        }
        if quoted {
            throw ListWashError(.referenceData, "unterminated quote (a value in a suppression list cannot span lines)", at: SourceLocation(file: path, line: number))
        }
        fields.append(current.trimmingCharacters())
        return fields
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
