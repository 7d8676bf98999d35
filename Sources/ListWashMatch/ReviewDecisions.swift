import ListWashCore

/// A reviewer's answers to `review.csv`, remembered by later runs: a pair answered `same` is
/// joined (a row answered `same` as a CRM record matches it), a pair answered `different` is
/// never joined nor asked about again.
///
/// Every review row carries `listwash_review_key`: the fingerprints of the two records (64 bits
/// each, of the values the model compares) or of the row and the CRM record (`contact:ID`,
/// `lead:ID`). A reviewer fills a `decision` column with `same` or `different` (empty: not
/// answered) and names the file, or a glob of them (`out/*/review.csv`), under `decisions:` in the
/// pipeline. A later row with the same values has the same fingerprint, so the answer holds for
/// it too, whichever run or file it comes from.
///
/// ```swift
/// let decisions = try ReviewDecisions(paths: ["out/2026-11-23T021500Z-3fa9c2/review.csv"])
/// decisions.answer(left, right)   // .same, .different or nil
/// ```
public struct ReviewDecisions: Sendable {
    /// A reviewer's answer.
    public enum Answer: String, Sendable {
        case same, different
    }

    /// The column of review rows that names the pair.
    public static let keyColumn = "listwash_review_key"
    /// The column a reviewer fills.
    public static let decisionColumn = "decision"

    /// Answers about two rows, by their fingerprints (the smaller first).
    private var pairs: [PairKey: Answer] = [:]
    /// Answers about a row and a CRM record (`lead:ID`, `contact:ID`), by the row's fingerprint.
    private var records: [UInt64: [(record: String, answer: Answer)]] = [:]

    private struct PairKey: Hashable {
        let low: UInt64, high: UInt64

        init(_ a: UInt64, _ b: UInt64) {
            (low, high) = a <= b ? (a, b) : (b, a)
        }
    }

    /// No answers.
    public init() {}

    /// The answers in the CSV files at `paths` (rows without a key or an answer are skipped).
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`, status 66) for a file that cannot be read,
    ///   that has no `listwash_review_key` or `decision` column, or an answer other than `same`
    ///   or `different`, with its file, line and column.
    public init(paths: [String]) throws {
        for path in paths {
            let reader = try CSVReader(path: path)
            guard let keyIndex = reader.header.firstIndex(of: Self.keyColumn), let answerIndex = reader.header.firstIndex(where: { $0.lowercased() == Self.decisionColumn }) else {
                throw ListWashError(.referenceData, "\(path) has no \(Self.keyColumn) and \(Self.decisionColumn) columns: answer a review.csv of a run in a column '\(Self.decisionColumn)' (same or different)",
                                    at: SourceLocation(file: path, line: 1))
            }
            let schema = Schema(source: path, columns: reader.header, roles: [:])
            while let batch = try reader.nextBatch(schema: schema, layout: OutputLayout()) {
                for row in 0..<batch.count where batch.isOpen(row) {
                    let written = batch.value(row, column: answerIndex).trimmingSpaces.lowercased()
                    guard !written.isEmpty else { continue }
                    guard let answer = Answer(rawValue: written) else {
                        throw ListWashError(.referenceData, "unknown decision '\(written)': write same or different (or leave it empty)",
                                            at: SourceLocation(file: path, line: batch.lines[row], column: answerIndex + 1))
                    }
                    guard add(key: batch.value(row, column: keyIndex), answer) else {
                        throw ListWashError(.referenceData, "'\(batch.value(row, column: keyIndex))' is not a review key: keep the \(Self.keyColumn) a run wrote",
                                            at: SourceLocation(file: path, line: batch.lines[row], column: keyIndex + 1))
                    }
                }
            }
        }
    }

    /// Adds the answer for a key as review rows write it; whether the key could be read.
    mutating func add(key: String, _ answer: Answer) -> Bool {
        let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let left = UInt64(parts[0], radix: 16) else { return false }
        if let right = UInt64(parts[1], radix: 16), parts[1].count == 16 {
            pairs[PairKey(left, right)] = answer
        } else {
            records[left, default: []].append((parts[1], answer))
        }
        return true
    }

    /// Whether there are no answers.
    public var isEmpty: Bool { pairs.isEmpty && records.isEmpty }

    /// The answer about two rows with fingerprints `a` and `b`.
    func answer(_ a: UInt64, _ b: UInt64) -> Answer? {
        pairs.isEmpty ? nil : pairs[PairKey(a, b)]
    }

    /// The answer about a row with fingerprint `row` and the CRM record `record` (`lead:ID`).
    func answer(_ row: UInt64, record: String) -> Answer? {
        records[row]?.last { $0.record == record }?.answer
    }

    /// The CRM record a row with fingerprint `row` was answered `same` as, if any.
    func sameRecord(_ row: UInt64) -> String? {
        records[row]?.last { $0.answer == .same }?.record
    }

    /// The fingerprints of the rows answered `same` as another row.
    var sameRows: Set<UInt64> {
        Set(pairs.filter { $0.value == .same }.keys.flatMap { [$0.low, $0.high] })
    }

    /// The pairs of fingerprints answered `same`.
    var samePairs: [(UInt64, UInt64)] {
        pairs.filter { $0.value == .same }.map { ($0.key.low, $0.key.high) }
    }

    /// A record's fingerprint: FNV-1a over the `columns` values the model compares, apart.
    static func fingerprint(_ store: FeatureStore, _ record: Int, columns: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for column in 0..<columns {
            for byte in store.value(column, record) {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            hash = (hash ^ 0x1F) &* 0x100_0000_01b3
        }
        return hash
    }

    /// The key a review row of two rows carries.
    static func key(_ a: UInt64, _ b: UInt64) -> String {
        let (low, high) = a <= b ? (a, b) : (b, a)
        return hex(low) + ":" + hex(high)
    }

    /// The key a review row of a row and a CRM record carries.
    static func key(_ row: UInt64, record: String) -> String {
        hex(row) + ":" + record
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension String {
    /// The text without leading and trailing white space (a CRM export's cell, a reviewer's answer).
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
