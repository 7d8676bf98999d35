import ListWashCore

/// What the fuzzer does to a valid file's bytes: what exports, hand edits, truncated uploads and
/// wrong encodings do to real lists.
enum FuzzMutation: CaseIterable {
    /// A byte or short sequence that means something to a parser, at a random place: a quote,
    /// a delimiter, CR, LF, NUL, a BOM, a stray Windows-1252 byte, a truncated UTF-8 sequence.
    case insert
    /// A few bytes removed (a closing quote, half a character, a line end).
    case delete
    /// The file cut short at a random place (an upload that stopped).
    case truncate
    /// A stretch of the file repeated elsewhere.
    case duplicate
    /// One byte replaced by any byte.
    case flip
    /// Every line end rewritten as CRLF, CR, or a random mix.
    case lineEnds
    /// A UTF-8 BOM in front (rarely a UTF-16 one, which the CSV reader refuses).
    case bom
    /// A field of 70,000 bytes, or a quote that never closes, at a random place.
    case longRun
    /// A line of JSON-ish or CSV-ish debris: a nested object, an unknown key, an empty object,
    /// a blank line.
    case debris
    /// Nothing after the first line (header only), or nothing at all.
    case empty

    static let specials: [[UInt8]] = [
        [0x22], [0x2C], [0x3B], [0x09], [0x0A], [0x0D], [0x0D, 0x0A], [0x00], [0xEF, 0xBB, 0xBF], [0x92], [0xFF], [0xC3],
        [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0x7B], [0x7D], [0x3A], [0x5C], [0x22, 0x22], [0x5C, 0x75, 0x44, 0x38, 0x30, 0x30],
    ]

    /// Applies the mutation and says what it did.
    func apply(to bytes: inout [UInt8], using random: inout SeededRandom) -> String {
        func position() -> Int { Int.random(in: 0...bytes.count, using: &random) }
        switch self {
        case .insert:
            let at = position()
            let special = Self.specials.randomElement(using: &random) ?? [0]
            bytes.insert(contentsOf: special, at: at)
            return "inserted \(special) at \(at)"
        case .delete:
            guard !bytes.isEmpty else { return "deleted nothing" }
            let at = Int.random(in: 0..<bytes.count, using: &random)
            let length = min(bytes.count - at, Int.random(in: 1...8, using: &random))
            bytes.removeSubrange(at..<at + length)
            return "deleted \(length) at \(at)"
        case .truncate:
            let at = position()
            bytes.removeSubrange(at...)
            return "cut at \(at)"
        case .duplicate:
            guard !bytes.isEmpty else { return "duplicated nothing" }
            let from = Int.random(in: 0..<bytes.count, using: &random)
            let length = min(bytes.count - from, Int.random(in: 1...200, using: &random))
            let at = position()
            bytes.insert(contentsOf: Array(bytes[from..<from + length]), at: at)
            return "copied \(length) from \(from) to \(at)"
        case .flip:
            guard !bytes.isEmpty else { return "flipped nothing" }
            let at = Int.random(in: 0..<bytes.count, using: &random)
            bytes[at] = UInt8.random(in: 0...255, using: &random)
            return "set byte \(at) to \(bytes[at])"
        case .lineEnds:
            let style = Int.random(in: 0..<3, using: &random)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8)
            for byte in bytes {
                guard byte == 0x0A else { out.append(byte); continue }
                switch style == 2 ? Int.random(in: 0..<3, using: &random) : style {
                case 0: out.append(contentsOf: [0x0D, 0x0A])
                case 1: out.append(0x0D)
                default: out.append(0x0A)
                }
            }
            bytes = out
            return ["line ends CRLF", "line ends CR", "line ends mixed"][style]
        case .bom:
            let utf16 = Int.random(in: 0..<10, using: &random) == 0
            bytes.insert(contentsOf: utf16 ? [0xFF, 0xFE] : [0xEF, 0xBB, 0xBF], at: 0)
            return utf16 ? "UTF-16 BOM" : "UTF-8 BOM"
        case .longRun:
            let at = position()
            let quote = Bool.random(using: &random)
            bytes.insert(contentsOf: (quote ? [0x22] : []) + [UInt8](repeating: UInt8(ascii: "x"), count: 70_000), at: at)
            return quote ? "unclosed quote and 70,000 bytes at \(at)" : "70,000 bytes at \(at)"
        case .debris:
            let lines = [#"{"a":{"b":[1,{"c":"}"}]},"d":null}"#, #"{"unknown key":"x"}"#, "{}", "[]", #"{"a":1"#, "\"\"\"", ",,,,,,", "\u{FEFF}", " \t ", "", "\r", "\r\n"]
            let line = Array((lines.randomElement(using: &random) ?? "{}").utf8) + [0x0A]
            let starts = [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }
            let at = starts.randomElement(using: &random) ?? 0
            bytes.insert(contentsOf: line, at: at)
            return "debris line at \(at)"
        case .empty:
            if Bool.random(using: &random), let end = bytes.firstIndex(of: 0x0A) {
                bytes.removeSubrange((end + 1)...)
                return "header only"
            }
            bytes.removeAll()
            return "emptied"
        }
    }
}
