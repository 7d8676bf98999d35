import ListWashCore

/// Field-by-field survivorship for `rows: records`: the surviving row of a cluster takes each
/// normalized field (email, phone, company, address, domain) from the cluster row the field's
/// rule prefers among the rows that have it, so a merged record loses no phone or email that
/// one of its duplicates carried. Only `listwash_*` columns change: the source columns of every
/// row stay as they were read.
///
/// ```yaml
/// - dedupe:
///     survivorship: {row: most_complete, fields: {phone: most_recent, email: most_recent}}
/// ```
/// A field without a rule keeps the survivor's own value and, when the survivor has none, takes
/// the value of the row the row rule prefers. `listwash_merged` says what came from where
/// (`phone from row 7 of list.csv`).
public struct FieldMerge: Sendable {
    /// A group of `listwash_*` columns that travel together; the first decides whether a row
    /// has the field.
    public struct Field: Sendable, Hashable {
        /// The name the pipeline file uses (`phone`).
        public let name: String
        /// The columns, the deciding one first.
        public let columns: [String]
    }

    /// The fields that merge.
    public static let fields = [
        Field(name: "email", columns: ["listwash_email", "listwash_email_key"]),
        Field(name: "phone", columns: ["listwash_phone", "listwash_phone_ext", "listwash_area_code_region"]),
        Field(name: "company", columns: ["listwash_company", "listwash_company_key"]),
        Field(name: "address", columns: ["listwash_zip", "listwash_city", "listwash_state", "listwash_country"]),
        Field(name: "domain", columns: ["listwash_domain"]),
    ]

    /// The column that says which fields came from which row.
    public static let column = "listwash_merged"

    /// The rule for each field that has its own (by ``Field/name``).
    public var rules: [String: Survivorship]

    /// A merge with per-field `rules` (fields not named follow the survivor, then the row rule).
    public init(rules: [String: Survivorship] = [:]) {
        self.rules = rules
    }

    /// How many values each record keeps: every column of every field.
    static let stride = fields.reduce(0) { $0 + $1.columns.count }

    /// Appends the values of the merge columns of record `row`, in ``fields`` order, to `values`
    /// (``stride`` values a record).
    static func append(_ batch: RecordBatch, row: Int, to values: inout [String]) {
        for field in fields {
            for name in field.columns { values.append(batch.layout.column(name).map { batch[row, $0] } ?? "") }
        }
    }

    /// For each field, the member of `members` whose value the survivor takes, when not its own.
    ///
    /// - Parameters:
    ///   - survivor: the surviving record.
    ///   - members: every record of the cluster, in input order.
    ///   - values: every record's values (see ``append(_:row:to:)``).
    ///   - rowRule: the rule that chose the survivor.
    func sources(survivor: Int, members: [Int], values: [String], rowRule: Survivorship,
                 completeness: [Int16], recency: [String]) -> [(field: Int, record: Int)] {
        var offset = 0
        var chosen: [(field: Int, record: Int)] = []
        for (index, field) in Self.fields.enumerated() {
            defer { offset += field.columns.count }
            let has = { (record: Int) in !values[record * Self.stride + offset].isEmpty }
            let rule = rules[field.name]
            if rule == nil, has(survivor) { continue }
            var best: Int?
            for member in members where has(member) {
                guard let current = best else { best = member; continue }
                if (rule ?? rowRule).prefers(member, over: current, completeness: completeness, recency: recency) { best = member }
            }
            if let best, best != survivor { chosen.append((index, best)) }
        }
        return chosen
    }

    /// Writes the chosen fields of `values` into record `row` of `batch`, and what came from
    /// where into ``column``.
    static func apply(_ chosen: [(field: Int, record: Int)], values: [String], sources: [(source: String, row: Int)],
                      to batch: inout RecordBatch, row: Int) {
        guard !chosen.isEmpty else { return }
        var notes: [String] = []
        for (field, record) in chosen {
            let offset = fields[..<field].reduce(0) { $0 + $1.columns.count }
            for (position, name) in fields[field].columns.enumerated() {
                if let column = batch.layout.column(name) { batch[row, column] = values[record * stride + offset + position] }
            }
            notes.append("\(fields[field].name) from row \(sources[record].row) of \(sources[record].source)")
        }
        if let column = batch.layout.column(Self.column) { batch[row, column] = notes.joined(separator: "; ") }
    }
}
