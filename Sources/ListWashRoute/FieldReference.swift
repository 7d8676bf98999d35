import ListWashCore

/// A value of a row that a rule looks at: a field by its role (`title`, `campaign`), a
/// `listwash_*` column (`listwash_state`), or a source column by its header (`Product Interest`).
///
/// ```swift
/// FieldReference("campaign")          // .role(.campaign): the raw campaign field
/// FieldReference("listwash_state")    // .output("listwash_state"): the normalized state
/// FieldReference("Product Interest")  // .header("Product Interest")
/// ```
public enum FieldReference: Sendable, Hashable, CustomStringConvertible {
    /// The source field mapped to a role.
    case role(FieldRole)
    /// A `listwash_*` column a stage filled.
    case output(String)
    /// A source column, by its header (matched exactly, else ignoring case, spaces and punctuation).
    case header(String)

    /// Reads a name as the rules file writes it: `listwash_` names a ListWash column, a role's
    /// name a role, anything else a header.
    public init(_ name: String) {
        if name.hasPrefix("listwash_") {
            self = .output(name)
        } else if let role = FieldRole(rawValue: name) {
            self = .role(role)
        } else {
            self = .header(name)
        }
    }

    /// The name as written.
    public var description: String {
        switch self {
        case .role(let role): role.rawValue
        case .output(let name), .header(let name): name
        }
    }

    /// Where this value lives in batches of `schema` and `layout`.
    public func resolve(schema: Schema, layout: OutputLayout) -> ResolvedField {
        switch self {
        case .role(let role):
            return schema.column(role).map(ResolvedField.source) ?? .missing
        case .output(let name):
            return layout.column(name).map(ResolvedField.output) ?? .missing
        case .header(let name):
            if let index = schema.columns.firstIndex(of: name) { return .source(index) }
            let folded = FieldRole.foldHeader(name)
            if let index = schema.columns.firstIndex(where: { FieldRole.foldHeader($0) == folded }) { return .source(index) }
            return .missing
        }
    }
}

/// A ``FieldReference`` looked up in one batch's schema and layout.
public enum ResolvedField: Sendable, Hashable {
    /// A source column.
    case source(Int)
    /// A `listwash_*` column.
    case output(OutputLayout.Column)
    /// Neither the source nor the pipeline has it: the value is empty.
    case missing

    /// The value of record `row` (empty when missing).
    @inline(__always)
    public func value(_ batch: RecordBatch, _ row: Int) -> String {
        switch self {
        case .source(let column): batch.value(row, column: column)
        case .output(let column): batch[row, column]
        case .missing: ""
        }
    }

    /// Whether record `row`'s value passes `condition` (source fields are tested in place).
    @inline(__always)
    public func matches(_ condition: FieldCondition, _ batch: RecordBatch, _ row: Int) -> Bool {
        matches(condition.matcher, batch, row)
    }

    /// Whether record `row`'s value passes `matcher`.
    @inline(__always)
    func matches(_ matcher: ValueMatcher, _ batch: RecordBatch, _ row: Int) -> Bool {
        switch self {
        case .source(let column): batch.withField(row, column: column, matcher.matches(utf8:))
        case .output(let column): matcher.matches(batch[row, column])
        case .missing: matcher.matches(utf8: UnsafeBufferPointer(start: nil, count: 0))
        }
    }

    /// Whether record `row` has a value other than white space.
    @inline(__always)
    public func isFilled(_ batch: RecordBatch, _ row: Int) -> Bool {
        switch self {
        case .source(let column): batch.withField(row, column: column) { $0.contains { !ValueMatcher.isSpace($0) } }
        case .output(let column): ValueMatcher.isFilled(batch[row, column])
        case .missing: false
        }
    }
}

/// A test of one value: equal to one of a list (ignoring case and surrounding spaces), containing
/// one of a list of words, or, with neither, present at all.
///
/// ```swift
/// let test = FieldCondition(field: FieldReference("Product Interest"), values: ["Analytics"])
/// test.matches(" analytics ") // true
/// ```
public struct FieldCondition: Sendable, Hashable {
    /// The value tested.
    public var field: FieldReference
    /// Values that match (folded: lower case, trimmed).
    public var values: Set<String> { matcher.values }
    /// Pieces of text any of which in the value matches (folded).
    public var contains: [String] { matcher.contains }
    /// Where the rules file states it.
    public var location: SourceLocation?
    /// The test itself, shared by copies of the condition.
    let matcher: ValueMatcher

    /// A condition on `field`; with no `values` and no `contains` it asks for any non-empty value.
    public init(field: FieldReference, values: [String] = [], contains: [String] = [], location: SourceLocation? = nil) {
        self.field = field
        self.location = location
        matcher = ValueMatcher(values: values, contains: contains)
    }

    /// Whether `value` passes.
    ///
    /// - Complexity: O(*n* × *k*) for a value of *n* bytes and *k* listed values; no allocation
    ///   for ASCII text.
    public func matches(_ value: String) -> Bool { matcher.matches(value) }

    /// Whether the value with these UTF-8 bytes passes.
    public func matches(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool { matcher.matches(utf8: bytes) }

    /// Lower case without surrounding white space.
    static func fold(_ text: String) -> String { ValueMatcher.fold(text) }

    public static func == (lhs: FieldCondition, rhs: FieldCondition) -> Bool {
        lhs.field == rhs.field && lhs.values == rhs.values && lhs.contains == rhs.contains && lhs.location == rhs.location
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(field)
        hasher.combine(values)
        hasher.combine(contains)
        hasher.combine(location)
    }

    /// Whether every value this condition passes, `other` passes too (so `other` is no
    /// narrower): same field, and `other` accepts a superset of values.
    func isNarrower(than other: FieldCondition) -> Bool {
        guard field == other.field else { return false }
        if other.values.isEmpty && other.contains.isEmpty { return true }
        guard contains.isEmpty || Set(contains).isSubset(of: Set(other.contains)) else { return false }
        if values.isEmpty && contains.isEmpty { return false }
        return values.allSatisfy { value in other.values.contains(value) || other.contains.contains { value.contains($0) } }
    }
}
