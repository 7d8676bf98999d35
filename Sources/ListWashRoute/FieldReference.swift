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
        switch self {
        case .source(let column): batch.withField(row, column: column, condition.matches(utf8:))
        case .output(let column): condition.matches(batch[row, column])
        case .missing: condition.matches(utf8: UnsafeBufferPointer(start: nil, count: 0))
        }
    }

    /// Whether record `row` has a value other than white space.
    @inline(__always)
    public func isFilled(_ batch: RecordBatch, _ row: Int) -> Bool {
        switch self {
        case .source(let column): batch.withField(row, column: column) { $0.contains { !FieldCondition.isSpace($0) } }
        case .output(let column): FieldCondition.isFilled(batch[row, column])
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
    public let values: Set<String>
    /// Pieces of text any of which in the value matches (folded).
    public let contains: [String]
    /// Where the rules file states it.
    public var location: SourceLocation?
    /// ``values`` and ``contains`` as bytes, for the ASCII fast path.
    private let valueBytes: [[UInt8]]
    private let containsBytes: [[UInt8]]

    /// A condition on `field`; with no `values` and no `contains` it asks for any non-empty value.
    public init(field: FieldReference, values: [String] = [], contains: [String] = [], location: SourceLocation? = nil) {
        self.field = field
        self.values = Set(values.map(Self.fold))
        self.contains = contains.map(Self.fold).filter { !$0.isEmpty }
        self.location = location
        valueBytes = self.values.sorted().map { Array($0.utf8) }
        containsBytes = self.contains.map { Array($0.utf8) }
    }

    /// Whether `value` passes.
    ///
    /// - Complexity: O(*n* × *k*) for a value of *n* bytes and *k* listed values; no allocation
    ///   for ASCII text.
    public func matches(_ value: String) -> Bool {
        var value = value
        return value.withUTF8(matches(utf8:))
    }

    /// Whether the value with these UTF-8 bytes passes.
    public func matches(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0, end = bytes.count
        while start < end, Self.isSpace(bytes[start]) { start += 1 }
        while end > start, Self.isSpace(bytes[end - 1]) { end -= 1 }
        if valueBytes.isEmpty && containsBytes.isEmpty { return start < end }
        for index in start..<end where bytes[index] >= 0x80 {
            // Not ASCII: compare folded text.
            _ = index
            let folded = Self.fold(String(decoding: bytes, as: UTF8.self))
            return values.contains(folded) || contains.contains { folded.contains($0) }
        }
        let length = end - start
        for candidate in valueBytes where candidate.count == length {
            var equal = true
            for offset in 0..<length where Self.lower(bytes[start + offset]) != candidate[offset] {
                equal = false
                break
            }
            if equal { return true }
        }
        for needle in containsBytes where needle.count <= length {
            for origin in start...(end - needle.count) {
                var equal = true
                for offset in needle.indices where Self.lower(bytes[origin + offset]) != needle[offset] {
                    equal = false
                    break
                }
                if equal { return true }
            }
        }
        return false
    }

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    /// Whether `value` has anything but white space.
    static func isFilled(_ value: String) -> Bool {
        value.utf8.contains { !isSpace($0) }
    }

    /// Lower case without surrounding white space.
    static func fold(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return slice.lowercased()
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
