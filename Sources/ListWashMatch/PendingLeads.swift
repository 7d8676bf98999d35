import ListWashCore

/// Leads ListWash asked the CRM to create in earlier runs that the CRM's leads export does not
/// show yet (the nightly ledger's pending creates), ready to be matched like CRM leads: each
/// lead's ListWash id, owner and creating run, and its values of the normalized columns a match
/// model reads (``columns``).
///
/// The ledger keeps them as segments (``encoded()``, ``init(decoding:createdBy:)``), written in
/// the commit of the run that created them from its `load` rows' `listwash_*` columns, so that a
/// later run indexes a million pending leads without reading a file or normalizing a value.
///
/// ```swift
/// var segment = PendingLeads()
/// segment.add(id: "LW…", owner: "dana.reyes", createdBy: run) { column in loadRow[column] }
/// let blob = segment.encoded()                         // into the ledger, with the run
/// let pending = try PendingLeads(decoding: blob, createdBy: run)
/// ```
public struct PendingLeads: Sendable {
    /// The columns a segment keeps: those the built-in lead-list model reads, and the normalized
    /// email, company and state. A custom model that reads another column finds it empty
    /// (missing) for pending leads.
    public static let columns: [String] = {
        var names = MatchModel.leadList.columns
        for name in ["listwash_email", "listwash_company", "listwash_state"] where !names.contains(name) { names.append(name) }
        return names
    }()

    /// The leads' ListWash ids.
    public private(set) var ids: [String] = []
    /// Each lead's owner (or queue); "" for none.
    public private(set) var owners: [String] = []
    /// The run that created each lead.
    public private(set) var createdBy: [String] = []
    /// Per column of ``columns``: the leads' values.
    private var values: [FeatureColumn]

    /// No leads.
    public init() {
        values = Array(repeating: FeatureColumn(), count: Self.columns.count)
    }

    /// The number of leads.
    public var count: Int { ids.count }

    /// Whether there are no leads.
    public var isEmpty: Bool { ids.isEmpty }

    /// Adds a lead, with `value(column)` its value of each of ``columns``.
    public mutating func add(id: String, owner: String, createdBy run: String, value: (String) -> String) {
        ids.append(id)
        owners.append(owner)
        createdBy.append(run)
        for (index, column) in Self.columns.enumerated() { values[index].append(value(column)) }
    }

    /// Appends the leads of `other` that `keep` (given a lead's id) keeps; all of them without it.
    public mutating func append(_ other: PendingLeads, where keep: ((String) -> Bool)? = nil) {
        let kept = keep.map { keep in other.ids.indices.filter { keep(other.ids[$0]) } } ?? Array(other.ids.indices)
        if kept.count == other.count, isEmpty {
            self = other
            return
        }
        if kept.count == other.count {
            for index in values.indices { values[index].append(contentsOf: other.values[index]) }
        } else {
            for index in values.indices {
                for lead in kept { other.values[index].withValue(lead) { values[index].append(bytes: $0) } }
            }
        }
        for lead in kept {
            ids.append(other.ids[lead])
            owners.append(other.owners[lead])
            createdBy.append(other.createdBy[lead])
        }
    }

    /// The values of column `name` (one of ``columns``).
    func column(_ name: String) -> FeatureColumn? {
        Self.columns.firstIndex(of: name).map { values[$0] }
    }

    /// The leads as bytes: a tag, the ids, the owners, then each column by name (the run is not
    /// kept: the ledger stores a segment with its run).
    public func encoded() -> [UInt8] {
        var out = Array(Self.tag.utf8)
        var ids = FeatureColumn(), owners = FeatureColumn(), names = FeatureColumn()
        for id in self.ids { ids.append(id) }
        for owner in self.owners { owners.append(owner) }
        for name in Self.columns { names.append(name) }
        for column in [ids, owners, names] + values { column.encode(into: &out) }
        return out
    }

    /// Reads leads that ``encoded()`` wrote, created by run `run`. A column the data lacks is
    /// empty (missing) for every lead; one it has that ``columns`` does not is left out.
    ///
    /// - Throws: ``ColumnCodec/Malformed`` when the data is not such a segment.
    public init(decoding data: [UInt8], createdBy run: String) throws {
        self = try data.withUnsafeBytes { try PendingLeads(decoding: $0, createdBy: run) }
    }

    /// Reads leads that ``encoded()`` wrote, from bytes valid during the call.
    public init(decoding data: UnsafeRawBufferPointer, createdBy run: String) throws {
        self.init()
        let tag = Array(Self.tag.utf8)
        guard data.starts(with: tag) else { throw ColumnCodec.Malformed() }
        var offset = tag.count
        let ids = try FeatureColumn(decoding: data, at: &offset), owners = try FeatureColumn(decoding: data, at: &offset)
        let names = try FeatureColumn(decoding: data, at: &offset)
        guard owners.count == ids.count else { throw ColumnCodec.Malformed() }
        for name in 0..<names.count {
            let column = try FeatureColumn(decoding: data, at: &offset)
            guard column.count == ids.count else { throw ColumnCodec.Malformed() }
            if let index = Self.columns.firstIndex(of: names[name]) { values[index] = column }
        }
        for index in values.indices where values[index].count != ids.count {
            values[index] = FeatureColumn()
            for _ in 0..<ids.count { values[index].append("") }
        }
        self.ids = (0..<ids.count).map { ids[$0] }
        self.owners = (0..<owners.count).map { owners[$0] }
        createdBy = Array(repeating: run, count: ids.count)
    }

    /// The first bytes of an encoded segment (with its format's version).
    private static let tag = "LWPENDING1"
}

/// Finds the pending leads a CRM leads export shows by their fields. The CRM record ListWash
/// asked for carries the values ListWash gave it, so its normalized values are equal: the same
/// email and last name, or, for a lead without an email, the same phone and first and last
/// name. A lead the CRM has edited since is found by its ListWash id (an external-id column of
/// the export) or stays pending until it ages out; a namesake with another email is never taken
/// for it.
enum ShownPendingLeads {
    /// The columns compared, as the built-in model names them.
    private static let email = "listwash_email_key", phone = "listwash_phone", first = "listwash_first_name", last = "listwash_last_name"

    /// The pairs (pending record, export record) of equal identities; at most one per pending
    /// record, the first in the export.
    static func find(_ pending: FeatureSet, in export: FeatureSet) -> [(pending: Int, export: Int)] {
        guard let exportKeys = keys(export), let pendingKeys = keys(pending) else { return [] }
        let blocks = KeyedBlocks(keys: exportKeys)
        var found: [(pending: Int, export: Int)] = []
        for record in pendingKeys.indices where pendingKeys[record] != 0 {
            if let match = blocks.records(for: pendingKeys[record], limit: 64).first(where: { same(pending, record, export, Int($0)) }) {
                found.append((record, Int(match)))
            }
        }
        return found
    }

    /// Each record's identity hash (0 for a record with neither email nor phone), or `nil` when
    /// the set has not the columns.
    private static func keys(_ set: FeatureSet) -> [UInt64]? {
        guard let email = set.column(email), let phone = set.column(phone), let first = set.column(first), let last = set.column(last) else { return nil }
        return (0..<set.count).map { record in
            email.isEmpty(record) ? FeatureHash.combine(FeatureHash.combine(phone.hash(record), first.hash(record)), last.hash(record))
                : FeatureHash.combine(email.hash(record), last.hash(record))
        }
    }

    /// Whether record `i` of `a` and record `j` of `b` have equal identities (beyond their hashes).
    private static func same(_ a: FeatureSet, _ i: Int, _ b: FeatureSet, _ j: Int) -> Bool {
        let columns = a.column(email)?.isEmpty(i) == false ? [email, last] : [phone, first, last]
        return columns.allSatisfy { name in
            guard let left = a.column(name), let right = b.column(name) else { return false }
            return left.withValue(i) { x in right.withValue(j) { y in x.elementsEqual(y) } }
        }
    }
}
