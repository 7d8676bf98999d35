/// The `listwash_*` columns appended to every output row, in order.
///
/// The standard columns come first; each stage adds the columns it fills. Stages look a column
/// up once per batch and then read and write it by position.
///
/// ```swift
/// let layout = OutputLayout(adding: ["listwash_email"])
/// let email = layout.column("listwash_email")!
/// batch[row, email] = "ann@example.com"
/// ```
public struct OutputLayout: Sendable, Equatable {
    /// A position in the layout.
    public struct Column: Sendable, Hashable {
        /// The index among the `listwash_*` columns.
        public let index: Int
    }

    /// The standard columns every output carries.
    public static let standard = [
        "listwash_row", "listwash_source", "listwash_disposition", "listwash_reason",
        "listwash_cluster", "listwash_match_id", "listwash_match_score",
    ]

    /// Column names in order.
    public let names: [String]
    private let positions: [String: Int]

    /// The standard columns followed by `extra` (names already present are not repeated).
    public init(adding extra: [String] = []) {
        var names = Self.standard
        for name in extra where !names.contains(name) { names.append(name) }
        self.names = names
        self.positions = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    }

    /// The column named `name`, or `nil` when no stage declared it.
    public func column(_ name: String) -> Column? {
        positions[name].map(Column.init(index:))
    }

    /// Columns whose values live in the batch's own metadata rather than in its value table.
    static let row = Column(index: 0), source = Column(index: 1), disposition = Column(index: 2), reason = Column(index: 3)
    /// A column whose values ``RecordBatch/setValue(_:_:_:)`` drops (it is set by settling a
    /// record): where a stage writes the outputs that no reader of the batch needs.
    public static let discarded = row
    /// How many columns live in the batch's metadata (the ones above).
    static let fixedCount = 4
    /// The standard columns that stages fill.
    public static let cluster = Column(index: 4), matchID = Column(index: 5), matchScore = Column(index: 6)
}
