/// The columns of one source file and the role each recognized column plays.
///
/// A schema never changes the source's columns: it only says where to find each role.
public struct Schema: Sendable {
    /// The source file's path as the user gave it.
    public let source: String
    /// The header, in file order, exactly as written (duplicates included).
    public let columns: [String]
    /// The column index holding each role that mapped.
    public let roles: [FieldRole: Int]
    /// How each role was mapped, for the run report: role, column name, and whether the pipeline
    /// file named it.
    public let mapping: [ColumnMapping.Entry]
    /// The source list's name (the vendor or event, as campaign associations name it); `nil`
    /// means the file's name without its folder and extension (see ``listName``).
    public var list: String?

    /// Creates a schema. Most callers get one from ``ColumnMapping/resolve(header:source:required:log:)``.
    public init(source: String, columns: [String], roles: [FieldRole: Int], mapping: [ColumnMapping.Entry] = []) {
        self.source = source
        self.columns = columns
        self.roles = roles
        self.mapping = mapping
    }

    /// The source list's name: ``list``, else the file's name without folder and extension.
    public var listName: String {
        if let list, !list.isEmpty { return list }
        let file = source.split(separator: "/").last.map(String.init) ?? source
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }

    /// The column index of `role`, or `nil` when the source has no such column.
    public func column(_ role: FieldRole) -> Int? { roles[role] }
}

/// Maps a source's header to roles: the pipeline file's explicit choices first, then the
/// header spellings that real exports use.
///
/// ```swift
/// let mapping = ColumnMapping(explicit: [.email: "Work E-mail"])
/// let schema = try mapping.resolve(header: ["Work E-mail", "First Name"], source: "list.csv", required: [.email])
/// schema.column(.firstName) // 1
/// ```
public struct ColumnMapping: Sendable, Equatable {
    /// One role's mapping, as the run report shows it.
    public struct Entry: Sendable, Hashable, Codable {
        /// The role.
        public var role: FieldRole
        /// The header it mapped to.
        public var column: String
        /// Whether the pipeline file named it (rather than ListWash recognizing it).
        public var explicit: Bool

        /// An entry mapping `role` to `column`.
        public init(role: FieldRole, column: String, explicit: Bool) {
            self.role = role
            self.column = column
            self.explicit = explicit
        }
    }

    /// Roles the pipeline file maps by header name.
    public var explicit: [FieldRole: String]
    /// Where the explicit mapping was written, for error messages.
    public var explicitLocations: [FieldRole: SourceLocation]

    /// Creates a mapping with the pipeline file's explicit choices.
    public init(explicit: [FieldRole: String] = [:], locations: [FieldRole: SourceLocation] = [:]) {
        self.explicit = explicit
        self.explicitLocations = locations
    }

    /// Resolves `header` to a ``Schema``.
    ///
    /// - Throws: ``ListWashError`` (`.input`) when a required role maps to nothing, listing the
    ///   file's headers and the nearest one; (`.usage`) when an explicit mapping names a missing column.
    public func resolve(header: [String], source: String, required: Set<FieldRole> = [], log: DiagnosticLog? = nil) throws -> Schema {
        var roles: [FieldRole: Int] = [:]
        var entries: [Entry] = []
        var firstIndex: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            if let earlier = firstIndex[name] {
                log?.warn("duplicate header name '\(name)' in columns \(earlier + 1) and \(index + 1); roles use column \(earlier + 1), both are kept in the output", at: SourceLocation(file: source, line: 1, column: index + 1))
            } else {
                firstIndex[name] = index
            }
        }
        for role in FieldRole.allCases {
            guard let name = explicit[role] else { continue }
            guard let index = firstIndex[name] ?? header.firstIndex(where: { FieldRole.foldHeader($0) == FieldRole.foldHeader(name) }) else {
                var message = "column '\(name)' mapped to \(role.rawValue) is not in \(source); its columns are: \(header.joined(separator: ", "))"
                if let near = Self.nearest(to: name, in: header) { message += ". Did you mean '\(near)'?" }
                throw ListWashError(.usage, message, at: explicitLocations[role] ?? SourceLocation(file: source, line: 1))
            }
            roles[role] = index
            entries.append(Entry(role: role, column: header[index], explicit: true))
        }
        let claimed = Set(roles.values)
        for (index, name) in header.enumerated() where !claimed.contains(index) {
            guard let role = FieldRole.recognizing(name), roles[role] == nil else { continue }
            roles[role] = index
            entries.append(Entry(role: role, column: name, explicit: false))
        }
        for role in FieldRole.allCases where required.contains(role) && roles[role] == nil {
            throw ListWashError.missingRequiredColumn(role, header: header, source: source)
        }
        return Schema(source: source, columns: header, roles: roles, mapping: entries)
    }

    /// The header nearest to `name` by edit distance over folded spellings, when one is close.
    static func nearest(to name: String, in candidates: [String]) -> String? {
        let folded = FieldRole.foldHeader(name)
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(folded, FieldRole.foldHeader(candidate))
            if distance <= max(2, folded.utf8.count / 3), distance < (best?.1 ?? .max) { best = (candidate, distance) }
        }
        return best?.0
    }
}

extension ListWashError {
    /// A required role maps to no column of `source`.
    static func missingRequiredColumn(_ role: FieldRole, header: [String], source: String) -> ListWashError {
        var message = "no column for required field '\(role.rawValue)' in \(source); its columns are: \(header.joined(separator: ", "))"
        let spellings = role.headerSpellings
        var best: (String, Int)?
        for candidate in header {
            let folded = FieldRole.foldHeader(candidate)
            let distance = spellings.map { editDistance($0, folded) }.min() ?? .max
            if distance <= 3, distance < (best?.1 ?? .max) { best = (candidate, distance) }
        }
        if let best { message += ". Did you mean '\(best.0)'? Map it in the pipeline file under columns: \(role.rawValue): \"\(best.0)\"" }
        else { message += ". Map one in the pipeline file under columns: \(role.rawValue): \"<header>\"" }
        return ListWashError(.input, message, at: SourceLocation(file: source, line: 1))
    }
}

/// Levenshtein distance over UTF-8 bytes, for "did you mean" suggestions on short words.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
