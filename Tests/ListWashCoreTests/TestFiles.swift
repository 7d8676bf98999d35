import Foundation
@_exported import ListWashTestSupport
@testable import ListWashCore

/// A temporary folder for one test (the shared scratch folder).
typealias TemporaryFolder = Scratch

/// Reads every record of a CSV file: header, fields per record, and each record's disposition
/// and reason when the reader settled it.
struct ReadResult {
    var header: [String]
    var records: [[String]]
    var lines: [Int]
    var rejected: [(row: Int, reason: String, raw: String?)]
    var delimiter: UInt8
    var encoding: TextEncoding
    /// The rows (1-based) that had a field decoded as Windows-1252 on its own.
    var repaired: [Int] = []
}

func readAll(_ path: String, options: CSVOptions = CSVOptions(), log: DiagnosticLog? = nil) throws -> ReadResult {
    let reader = try CSVReader(path: path, options: options, log: log)
    let schema = Schema(source: path, columns: reader.header, roles: [:])
    var result = ReadResult(header: reader.header, records: [], lines: [], rejected: [], delimiter: reader.delimiter, encoding: reader.encoding)
    while let batch = try reader.nextBatch(schema: schema, layout: OutputLayout()) {
        for row in 0..<batch.count {
            if batch.isEncodingRepaired(row) { result.repaired.append(batch.rows[row]) }
            if batch.dispositions[row] == .rejected {
                result.rejected.append((batch.rows[row], batch.reasons[row], batch.rawText[row]))
            } else {
                result.records.append(batch.fields(row))
                result.lines.append(batch.lines[row])
            }
        }
    }
    return result
}
