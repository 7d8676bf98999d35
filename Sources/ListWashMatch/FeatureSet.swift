import CListWashSystem
import Dispatch
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
    /// Each record's id (reference exports), when the set was built with labels (see
    /// ``add(_:includeSettled:label:names:)``); empty otherwise.
    public private(set) var labels: [String] = []
    /// Per column: how it is compared (its values are prepared for that).
    private let methods: [ComparisonMethod]
    /// Per column: whether a name comparison reads it (it then gets related-name lists).
    private let isNameColumn: [Bool]
    private let variants: PreparationCache

    /// An empty set for `model`.
    public init(model: MatchModel) {
        self.init(model: model, variants: PreparationCache())
    }

    /// An empty set for `model` whose related-name lists come from `variants` (shared by the
    /// sets a stage builds batch by batch, on any thread).
    init(model: MatchModel, variants: PreparationCache) {
        columnNames = model.columns
        columns = Array(repeating: FeatureColumn(), count: columnNames.count)
        var methods: [String: ComparisonMethod] = [:]
        for comparison in model.comparisons {
            methods[comparison.column] = comparison.method
            if let swap = comparison.swapColumn, methods[swap] == nil { methods[swap] = comparison.method == .name ? .jaroWinkler : comparison.method }
        }
        self.methods = columnNames.map { methods[$0] ?? .exact }
        let nameColumns = Set(model.comparisons.filter { $0.method == .name }.map(\.column))
        isNameColumn = columnNames.map { nameColumns.contains($0) }
        for column in nameColumns { nameKeys[column] = FeatureColumn() }
        self.variants = variants
    }

    /// A set for `model` of `count` records whose prepared values (in ``MatchModel/columns``
    /// order) and related-name lists were kept from an earlier run (see ``PendingLeads``),
    /// numbered from 0 and not labelled.
    init(model: MatchModel, variants: PreparationCache, columns: [FeatureColumn], nameKeys: [String: FeatureColumn], count: Int) {
        self.init(model: model, variants: variants)
        self.columns = columns
        self.nameKeys = nameKeys
        sequences = Array(0..<count)
    }

    /// Labels the records with `labels` (one per record, in order).
    mutating func label(_ labels: [String]) {
        self.labels = labels
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
        let rows = (0..<batch.count).filter { includeSettled || batch.isOpen($0) }
        let sources = columnNames.map { ColumnSource.resolve($0, in: batch) }
        addValues(count: rows.count, names: names) { column, record, body in sources[column].withValue(in: batch, row: rows[record], body) }
        for row in rows {
            sequences.append(batch.sequence(row))
            if let label { labels.append(label(batch, row)) }
        }
    }

    /// Adds the leads `range` of `pending`, labelled with their ListWash ids and numbered by
    /// their position (a model column a segment does not keep is missing).
    mutating func add(_ pending: PendingLeads, range: Range<Int>, names: NameNormalizer) {
        let positions = columnNames.map { PendingLeads.columns.firstIndex(of: $0) }
        for (segment, leads) in pending.segmentRanges {
            let part = leads.clamped(to: range)
            guard !part.isEmpty else { continue }
            let sources = positions.map { position in position.flatMap { segment.values?[$0] } }
            let first = part.lowerBound - leads.lowerBound
            addValues(count: part.count, names: names) { column, record, body in
                sources[column].map { $0.withValue(first + record, body) } ?? body(UnsafeBufferPointer(start: nil, count: 0))
            }
            sequences.append(contentsOf: part)
            labels.append(contentsOf: pending.ids[part])
        }
    }

    /// Appends `count` records, column by column (each out of the set while its values are
    /// added): `value(column, record, body)` calls `body` with the record's value of the column.
    private mutating func addValues(count: Int, names: NameNormalizer,
                                    _ value: (Int, Int, (UnsafeBufferPointer<UInt8>) -> Range<Int>) -> Range<Int>) {
        for index in columns.indices {
            let method = methods[index]
            var column = columns[index]
            columns[index] = FeatureColumn()
            column.reserve(column.count + count)
            // Given names' related-name lists: each name is looked up once per stage.
            var list = isNameColumn[index] ? nameKeys.removeValue(forKey: columnNames[index]) : nil
            for record in 0..<count {
                let range = value(index, record) { raw in
                    method == .jobTitle ? variants.withTitleForm(of: raw) { column.append(bytes: $0) } : column.appendPrepared(raw, for: method)
                }
                guard list != nil else { continue }
                if range.isEmpty {
                    list?.append(bytes: UnsafeBufferPointer(start: nil, count: 0))
                } else {
                    column.withBytes(range) { name in
                        variants.withList(for: name, names: names) { list?.append(bytes: $0) }
                    }
                }
            }
            columns[index] = column
            if let list { nameKeys[columnNames[index]] = list }
        }
    }

    /// The names `name` may stand for (itself and, for a nickname, its formal names: see
    /// ``NameNormalizer/nameVariants(of:)``), as `|bob|robert|`; two names are related by a
    /// nickname when their lists share a name (Bob and Robert, Bob and Rob; not Christopher
    /// and Crystal, two formal names that only share "Chris").
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

    /// Appends every record of each of `parts` (built for the same model), in order, and
    /// empties `parts`. Column by column: each is copied on all cores into storage of the
    /// exact size, and the parts' copies of it are let go before the next, so the records are
    /// held about once rather than twice.
    mutating func join(_ parts: inout [FeatureSet]) {
        for index in columns.indices {
            let pieces = [columns[index]] + parts.map { $0.columns[index] }
            columns[index] = FeatureColumn()
            for part in parts.indices { parts[part].columns[index] = FeatureColumn() }
            columns[index] = FeatureColumn(joining: pieces)
        }
        for name in Array(nameKeys.keys) {
            let pieces = [nameKeys[name] ?? FeatureColumn()] + parts.compactMap { $0.nameKeys[name] }
            nameKeys[name] = nil
            for part in parts.indices { parts[part].nameKeys[name] = nil }
            nameKeys[name] = FeatureColumn(joining: pieces)
        }
        sequences.reserveCapacity(sequences.count + parts.reduce(0) { $0 + $1.sequences.count })
        for part in parts { sequences.append(contentsOf: part.sequences) }
        if parts.contains(where: { !$0.labels.isEmpty }) {
            labels.reserveCapacity(labels.count + parts.reduce(0) { $0 + $1.labels.count })
            for part in parts { labels.append(contentsOf: part.labels) }
        }
        parts = []
        // The parts were freed in blocks small enough for malloc to keep for later: hand
        // them back, or they would stay in the process's memory.
        listwash_release_free_memory()
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

/// What feature preparation looks up once per distinct value and shares between every batch of
/// a stage, on any thread, read without locks: related-name lists (see
/// ``FeatureSet/variantList(_:names:)``) by prepared given name, and job titles' comparison forms
/// (see ``JobTitle/matchingForm(_:)``) by raw title.
final class PreparationCache: Sendable {
    /// The most names (and, apart, titles) remembered (about).
    static let limit = 1 << 17
    private let lists = SharedByteCache(limit: limit)
    private let titles = SharedByteCache(limit: limit)

    /// Calls `body` with the list of `name` (a non-empty prepared value), as UTF-8.
    func withList(for name: UnsafeBufferPointer<UInt8>, names: NameNormalizer, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        lists.withValue(for: name, { name, out in
            out.append(contentsOf: FeatureSet.variantList(String(decoding: name, as: UTF8.self), names: names).utf8)
        }, body)
    }

    /// Calls `body` with the comparison form of `title` (a raw value), as UTF-8.
    func withTitleForm<T>(of title: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        guard !title.isEmpty else { return body(title) }
        return titles.withValue(for: title, { title, out in
            out.append(contentsOf: FeaturePreparation.prepare(String(decoding: title, as: UTF8.self), for: .jobTitle).utf8)
        }, body)
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

    /// Calls `body` with the value's UTF-8 bytes, without copying them.
    @inline(__always)
    func withValue<T>(in batch: RecordBatch, row: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        switch self {
        case .layout(let column): return batch.withValue(row, column, body)
        case .source(let index): return batch.withField(row, column: index, body)
        case .missing: return body(UnsafeBufferPointer(start: nil, count: 0))
        }
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
        var value = value
        return value.withUTF8 { utf8 in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(utf8.count)
            if method == .jobTitle { return JobTitle.matchingForm(String(decoding: utf8, as: UTF8.self)) }
            if prepareASCII(utf8, for: method, into: &bytes) { return String(decoding: bytes, as: UTF8.self) }
            let folded = foldNonASCII(String(decoding: utf8, as: UTF8.self))
            return method == .postcode ? folded.filter { $0 != " " } : folded
        }
    }

    /// Lower-case ASCII with single spaces; `""` for a value that is only spaces or noise.
    public static func fold(_ value: String) -> String {
        prepare(value, for: .exact)
    }

    /// Appends the comparison form of `value` for `method` to `out` when `value` is ASCII (or
    /// the method keeps only digits) and returns `true`; returns `false` on other text, leaving
    /// `out` as it was (the caller takes the general path). The form is never longer than
    /// `value`, so it is built in a scratch buffer and appended at once.
    @inline(__always)
    static func prepareASCII(_ value: UnsafeBufferPointer<UInt8>, for method: ComparisonMethod, into out: inout [UInt8]) -> Bool {
        guard !value.isEmpty else { return true }
        // A title's words are looked up in a table (see JobTitle): the general path.
        if method == .jobTitle { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: value.count) { buffer in
            var count = 0
            switch method {
            case .phone, .date:
                for byte in value where byte >= 0x30 && byte <= 0x39 {
                    buffer[count] = byte
                    count += 1
                }
            default:
                let keepsSpaces = method != .postcode
                var pendingSpace = false
                for byte in value {
                    if byte >= 0x80 { return false }
                    if byte <= 0x20 {
                        pendingSpace = count > 0
                        continue
                    }
                    if pendingSpace && keepsSpaces {
                        buffer[count] = 0x20
                        count += 1
                    }
                    pendingSpace = false
                    buffer[count] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                    count += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<count]))
            return true
        }
    }

    /// The folded form of text that is not ASCII: transliterated, then folded as ASCII.
    private static func foldNonASCII(_ value: String) -> String {
        let folded = ICU.foldToASCII(value) ?? value.lowercased()
        let ascii = folded.unicodeScalars.allSatisfy(\.isASCII) ? folded : String(folded.unicodeScalars.filter(\.isASCII))
        var bytes: [UInt8] = []
        var copy = ascii
        return copy.withUTF8 { utf8 in
            _ = prepareASCII(utf8, for: .exact, into: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
