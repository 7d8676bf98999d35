import Foundation
@_exported import ListWashTestSupport
import ListWashCore
import ListWashNormalize
@testable import ListWashDecide

extension Scratch {
    /// Writes a list and reads it.
    func list(_ name: String, _ text: String) throws -> SuppressionList {
        try SuppressionList(path: write(name, text))
    }
}

/// Rows with `header` after normalize and suppress (and extra columns set by hand, such as
/// the match stage's `listwash_account_id`): each row's disposition and reason.
func suppress(
    _ stage: SuppressStage, header: [String], rows: [[String]], normalize: Bool = true,
    extra: [String: [String]] = [:]
) throws -> [(disposition: Disposition?, reason: String, list: String)] {
    let stages: [any Stage] = normalize ? [NormalizeStage(), stage] : [stage]
    let layout = OutputLayout(adding: stages.flatMap(\.outputColumns) + extra.keys.sorted())
    let schema = try ColumnMapping().resolve(header: header, source: "in.csv")
    var batch = RecordBatch(schema: schema, layout: layout, rows: rows)
    for (name, values) in extra {
        guard let column = layout.column(name) else { continue }
        for (row, value) in values.enumerated() { batch[row, column] = value }
    }
    try stage.setUp()
    for stage in stages { try stage.process(&batch) }
    let listColumn = layout.column(SuppressStage.listColumn)
    return (0..<batch.count).map { row in (batch.dispositions[row], batch.reasons[row], listColumn.map { batch[row, $0] } ?? "") }
}
