import ListWashCore
import ListWashNormalize
import ListWashText

/// The comparison values of every record a matcher indexes, one ``FeatureColumn`` per column the
/// model reads, prepared once for fast comparison.
public struct FeatureSet: Sendable {
    /// The model's columns, in ``MatchModel/columns`` order.
    public let columnNames: [String]
    /// Prepared values per column.
    public private(set) var columns: [FeatureColumn]
    /// For name comparisons: each record's related given names (see ``variantList(_:names:)``).
    public private(set) var nameKeys: [String: FeatureColumn] = [:]
    /// The run-wide sequence number of each record (see ``RecordBatch/sequence(_:)``).
    public private(set) var sequences: [Int] = []
    /// Each record's id (reference exports) or source row, for output.
    public private(set) var labels: [String] = []
    private let methods: [String: ComparisonMethod]
    private var variantCache: [String: String] = [:]
    private let nameColumns: Set<String>

    /// An empty set for `model`.
    public init(model: MatchModel) {
        columnNames = model.columns
        columns = Array(repeating: FeatureColumn(), count: columnNames.count)
        var methods: [String: ComparisonMethod] = [:]
        for comparison in model.comparisons {
            methods[comparison.column] = comparison.method
            if let swap = comparison.swapColumn, methods[swap] == nil { methods[swap] = comparison.method == .name ? .jaroWinkler : comparison.method }
        }
        self.methods = methods
        nameColumns = Set(model.comparisons.filter { $0.method == .name }.map(\.column))
        for column in nameColumns { nameKeys[column] = FeatureColumn() }
    }

    /// The number of records.
    public var count: Int { sequences.count }

    /// The column named `name`.
    public func column(_ name: String) -> FeatureColumn? {
        columnNames.firstIndex(of: name).map { columns[$0] }
    }

    /// Adds the open records of `batch` (or all of them with `includeSettled`).
    ///
    /// - Parameter label: the text that identifies a record in outputs (an id column's value).
    public mutating func add(_ batch: RecordBatch, includeSettled: Bool = false, label: ((RecordBatch, Int) -> String)? = nil, names: NameNormalizer) {
        let sources = columnNames.map { ColumnSource.resolve($0, in: batch) }
        for row in 0..<batch.count where includeSettled || batch.isOpen(row) {
            for (index, source) in sources.enumerated() {
                let method = methods[columnNames[index]] ?? .exact
                let value = FeaturePreparation.prepare(source.value(in: batch, row: row), for: method)
                columns[index].append(value)
                if nameColumns.contains(columnNames[index]) {
                    var list = ""
                    if !value.isEmpty {
                        // Given names repeat heavily: look each one up once.
                        if let cached = variantCache[value] {
                            list = cached
                        } else {
                            list = Self.variantList(value, names: names)
                            if variantCache.count < 100_000 { variantCache[value] = list }
                        }
                    }
                    nameKeys[columnNames[index]]?.append(list)
                }
            }
            sequences.append(batch.sequence(row))
            labels.append(label?(batch, row) ?? String(batch.rows[row]))
        }
    }

    /// The names the nickname table relates to `name` (itself, its formal names, its
    /// nicknames), as `|bob|robert|`; two names are nicknames of one another when their lists
    /// share a name.
    static func variantList(_ name: String, names: NameNormalizer) -> String {
        "|" + names.nameVariants(of: name).sorted().joined(separator: "|") + "|"
    }

    /// Appends every record of `other` (built for the same model).
    public mutating func append(contentsOf other: FeatureSet) {
        for index in columns.indices { columns[index].append(contentsOf: other.columns[index]) }
        for (name, column) in other.nameKeys { nameKeys[name]?.append(contentsOf: column) }
        sequences.append(contentsOf: other.sequences)
        labels.append(contentsOf: other.labels)
    }

    /// A frozen copy for the comparison hot loop.
    func store(model: MatchModel) -> FeatureStore {
        FeatureStore(self, model: model)
    }

    /// Bytes held (for reports).
    public var byteCount: Int {
        columns.reduce(0) { $0 + $1.byteCount } + nameKeys.values.reduce(0) { $0 + $1.byteCount } + count * 24
    }
}

/// Where a model column's values come from in a batch.
enum ColumnSource {
    case layout(OutputLayout.Column)
    case source(Int)
    case missing

    /// Resolves `name`: a `listwash_*` column, then a source header, then a field role.
    static func resolve(_ name: String, in batch: RecordBatch) -> ColumnSource {
        if name.hasPrefix("listwash_"), let column = batch.layout.column(name) { return .layout(column) }
        if let index = batch.schema.columns.firstIndex(of: name) { return .source(index) }
        if let role = FieldRole(rawValue: name), let index = batch.schema.column(role) { return .source(index) }
        let folded = FieldRole.foldHeader(name)
        if let index = batch.schema.columns.firstIndex(where: { FieldRole.foldHeader($0) == folded }) { return .source(index) }
        return .missing
    }

    func value(in batch: RecordBatch, row: Int) -> String {
        switch self {
        case .layout(let column): batch[row, column]
        case .source(let index): batch.value(row, column: index)
        case .missing: ""
        }
    }
}

/// Prepares a value for comparison: trimmed, spaces folded, lower-case ASCII (other scripts
/// transliterated), and per method only the parts that matter (digits of phones and dates).
public enum FeaturePreparation {
    /// The comparison form of `value` for `method`.
    public static func prepare(_ value: String, for method: ComparisonMethod) -> String {
        switch method {
        case .phone, .date:
            return String(decoding: value.utf8.filter { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self)
        case .postcode:
            return fold(value).filter { $0 != " " }
        default:
            return fold(value)
        }
    }

    /// Lower-case ASCII with single spaces; `""` for a value that is only spaces or noise.
    public static func fold(_ value: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count)
        var ascii = true
        var pendingSpace = false
        for byte in value.utf8 {
            if byte >= 0x80 { ascii = false; break }
            if byte <= 0x20 {
                pendingSpace = !bytes.isEmpty
                continue
            }
            if pendingSpace { bytes.append(0x20); pendingSpace = false }
            bytes.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        if ascii { return String(decoding: bytes, as: UTF8.self) }
        let folded = ICU.foldToASCII(value) ?? value.lowercased()
        return fold(folded.unicodeScalars.allSatisfy(\.isASCII) ? folded : String(folded.unicodeScalars.filter(\.isASCII)))
    }
}
