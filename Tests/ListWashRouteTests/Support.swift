import ListWashCore
@testable import ListWashRoute

/// A batch of rows with source columns and normalized `listwash_*` values, as they reach the
/// score and route stages.
func makeBatch(columns: [String] = ["Name", "Job Title", "Campaign", "Product Interest"],
               roles: [FieldRole: Int] = [.title: 1, .campaign: 2],
               rows: [[String: String]], score: Bool = true) -> RecordBatch {
    let normalized = ["listwash_state", "listwash_zip", "listwash_phone", "listwash_domain", "listwash_flags",
                      "listwash_account_id", "listwash_company_key"]
    let stageColumns = (score ? [RouteColumns.score, RouteColumns.grade, RouteColumns.scoreReasons] : [])
        + [RouteColumns.owner, RouteColumns.queue, RouteColumns.routeRule]
    let layout = OutputLayout(adding: normalized + stageColumns)
    var batch = RecordBatch(schema: Schema(source: "leads.csv", columns: columns, roles: roles), layout: layout,
                            rows: rows.map { row in columns.map { row[$0] ?? "" } })
    for (index, row) in rows.enumerated() {
        for name in normalized {
            if let value = row[name], let column = layout.column(name) { batch[index, column] = value }
        }
    }
    return batch
}

extension RecordBatch {
    /// A `listwash_*` value by name.
    func output(_ row: Int, _ name: String) -> String {
        layout.column(name).map { self[row, $0] } ?? ""
    }
}
