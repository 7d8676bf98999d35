import ListWashCore
import ListWashMatch
import ListWashNormalize

/// The campaign-association fields of a row, read from its source columns: campaign, response
/// date and title.
struct RowContext {
    let campaignColumn: Int?
    let dateColumn: Int?
    let titleColumn: Int?
    /// The input's buying-role column (``roleHeaders``), which overrides the role of the title.
    let roleColumn: Int?

    /// Headers of an input column that names a member's buying role (case, spaces and
    /// punctuation ignored): `Role`, `Buying Role`, `Contact Role`, `Buying Group Role`.
    static let roleHeaders: Set<String> = ["role", "buyingrole", "contactrole", "buyinggrouprole"]

    init(schema: Schema) {
        campaignColumn = schema.column(.campaign)
        dateColumn = schema.column(.responseDate)
        titleColumn = schema.column(.title)
        roleColumn = schema.columns.firstIndex { Self.roleHeaders.contains(FieldRole.foldHeader($0)) }
    }

    /// The row's buying role: its role column when that names one (``BuyingRole/init(written:)``),
    /// else the role its job title gives.
    func role(_ batch: RecordBatch, _ row: Int) -> BuyingRole {
        if let roleColumn, let written = BuyingRole(written: batch.value(row, column: roleColumn)) { return written }
        return BuyingRole(title: title(batch, row))
    }

    /// The row's campaign: its campaign column, else `fallback`, else the source list's name.
    func campaign(_ batch: RecordBatch, _ row: Int, fallback: String) -> String {
        let written = campaignColumn.map { batch.value(row, column: $0).trimmingSpaces() } ?? ""
        if !written.isEmpty { return written }
        return fallback.isEmpty ? batch.schema.listName : fallback
    }

    /// The row's response date as YYYY-MM-DD, or `nil` when it has none that reads as a date.
    /// A time after the date (`2026-11-02T10:15:00Z`, `11/02/2026 10:15`) is ignored
    /// (``DateComparison/parseTimestamp(_:)``).
    func responseDate(_ batch: RecordBatch, _ row: Int) -> String? {
        guard let dateColumn else { return nil }
        return DateComparison.parseTimestamp(batch.value(row, column: dateColumn)).map(\.description)
    }

    /// The row's job title, or empty.
    func title(_ batch: RecordBatch, _ row: Int) -> String {
        titleColumn.map { batch.value(row, column: $0) } ?? ""
    }
}
