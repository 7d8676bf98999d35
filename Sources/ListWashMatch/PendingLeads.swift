import Dispatch
import ListWashCore
import ListWashNormalize

/// Leads ListWash asked the CRM to create in earlier runs that the CRM's leads export does not
/// show yet (the nightly ledger's pending creates), ready to be matched like CRM leads: each
/// lead's ListWash id, owner and creating run, and its values of the normalized columns a match
/// model reads (``columns``).
///
/// The ledger keeps them as segments (``encoded(preparing:)``, ``init(decoding:createdBy:)``),
/// written in the commit of the run that created them from its `load` rows' `listwash_*`
/// columns, with their comparison values and blocking keys under the built-in model, so that a
/// later run indexes a million pending leads without reading a file, normalizing a value or
/// working out a key.
///
/// ```swift
/// var segment = PendingLeads()
/// segment.add(id: "LW…", owner: "dana.reyes", createdBy: run) { column in loadRow[column] }
/// let blob = segment.encoded()                         // into the ledger, with the run
/// var pending = try PendingLeads(decoding: blob, createdBy: run)
/// pending.append(try PendingLeads(decoding: next, createdBy: later)) { confirmed.contains($0) }
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
    /// Per lead: whether the CRM export shows it already (confirmed). Such a lead keeps its place
    /// among its segment's prepared values but is never matched as pending.
    public private(set) var shown: [Bool] = []
    /// The leads' segments, in order: the leads one segment was written with (or that
    /// ``add(id:owner:createdBy:value:)`` gathered), kept apart so that appending a segment
    /// copies none of its values; segments read one after another for a model their prepared
    /// values fit are read into one (see ``append(decoding:createdBy:for:room:isShown:)``).
    private var segments: [Segment] = []

    /// Some consecutive leads' values.
    struct Segment: Sendable {
        /// The number of leads.
        var count: Int
        /// Per column of ``PendingLeads/columns``: the leads' values (`nil` when they were not
        /// read, the prepared values fitting the model the leads were read for).
        var values: [FeatureColumn]?
        /// Their comparison values and blocking keys, when the segment was written with them
        /// (and they fit the model the leads were read for).
        var prepared: Prepared?
    }

    /// A segment's comparison values and blocking keys under one model (see
    /// ``fingerprint(of:)``): what indexing it would compute, computed once when it was written.
    struct Prepared: Sendable {
        /// The model's fingerprint.
        let fingerprint: UInt64
        /// The number of leads.
        private(set) var count: Int
        /// The prepared values of each of the model's columns, and its name columns' related-name lists.
        private(set) var columns: [FeatureColumn], nameKeys: [String: FeatureColumn]
        /// Per blocking rule, each lead's key.
        private(set) var keys: [[UInt64]]

        /// The values and keys of `count` leads.
        init(fingerprint: UInt64, columns: [FeatureColumn], nameKeys: [String: FeatureColumn], keys: [[UInt64]], count: Int) {
            (self.fingerprint, self.columns, self.nameKeys, self.keys, self.count) = (fingerprint, columns, nameKeys, keys, count)
        }

        /// No leads yet, with the columns, name columns and rules of the prepared part that
        /// ``PendingLeads/encode(_:into:)`` wrote at `offset` of `data` (after its fingerprint).
        init(layoutOf data: UnsafeRawBufferPointer, at offset: Int, fingerprint: UInt64) throws {
            var offset = offset
            let columnCount = Int(try ColumnCodec.read(data, at: &offset))
            guard columnCount <= 64 else { throw ColumnCodec.Malformed() }
            for _ in 0..<columnCount { _ = try FeatureColumn.skip(data, at: &offset) }
            let names = try FeatureColumn(decoding: data, at: &offset)
            for _ in 0..<names.count { _ = try FeatureColumn.skip(data, at: &offset) }
            let ruleCount = Int(try ColumnCodec.read(data, at: &offset))
            guard ruleCount <= 64 else { throw ColumnCodec.Malformed() }
            let nameKeys = Dictionary((0..<names.count).map { (names[$0], FeatureColumn()) }, uniquingKeysWith: { first, _ in first })
            self.init(fingerprint: fingerprint, columns: Array(repeating: FeatureColumn(), count: columnCount), nameKeys: nameKeys,
                      keys: Array(repeating: [], count: ruleCount), count: 0)
        }

        /// Appends the values and keys of `count` leads from the prepared part at `offset` of
        /// `data` (after its fingerprint; it ends the data), laid out as these are, and moves
        /// `offset` past it. With `room`, room is made at once for about that many leads in all
        /// (see ``FeatureColumn/append(decoding:at:room:)``).
        ///
        /// - Throws: ``ColumnCodec/Malformed`` when the data is not such a part, or is laid out
        ///   otherwise; the values are then left as they were.
        mutating func append(decoding data: UnsafeRawBufferPointer, at offset: inout Int, count: Int, room: Int) throws {
            var end = offset
            do {
                guard Int(try ColumnCodec.read(data, at: &end)) == columns.count else { throw ColumnCodec.Malformed() }
                for index in columns.indices { try columns[index].append(decoding: data, at: &end, room: room) }
                let names = try FeatureColumn(decoding: data, at: &end)
                guard names.count == nameKeys.count else { throw ColumnCodec.Malformed() }
                for name in (0..<names.count).map({ names[$0] }) {
                    guard nameKeys[name] != nil else { throw ColumnCodec.Malformed() }
                    try nameKeys[name]?.append(decoding: data, at: &end, room: room)
                }
                guard Int(try ColumnCodec.read(data, at: &end)) == keys.count else { throw ColumnCodec.Malformed() }
                for rule in keys.indices {
                    let keyCount = Int(try ColumnCodec.read(data, at: &end))
                    guard keyCount == count, 8 * keyCount <= data.count - end else { throw ColumnCodec.Malformed() }
                    if room > self.count + count, keys[rule].capacity < self.count + count { keys[rule].reserveCapacity(room) }
                    let first = keys[rule].count
                    keys[rule].append(contentsOf: repeatElement(0, count: keyCount))
                    keys[rule].withUnsafeMutableBufferPointer { keys in
                        UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(keys)[(8 * first)...])
                            .copyMemory(from: UnsafeRawBufferPointer(rebasing: data[end..<(end + 8 * keyCount)]))
                    }
                    end += 8 * keyCount
                }
                let total = self.count + count
                guard end == data.count, columns.allSatisfy({ $0.count == total }), nameKeys.values.allSatisfy({ $0.count == total }) else { throw ColumnCodec.Malformed() }
            } catch {
                for index in columns.indices { columns[index].keepFirst(self.count) }
                for name in Array(nameKeys.keys) { nameKeys[name]?.keepFirst(self.count) }
                for rule in keys.indices where keys[rule].count > self.count { keys[rule].removeSubrange(self.count...) }
                throw error
            }
            self.count += count
            offset = end
        }
    }

    /// No leads.
    public init() {}

    /// The number of leads, shown ones included.
    public var count: Int { ids.count }

    /// Whether there are no leads.
    public var isEmpty: Bool { ids.isEmpty }

    /// The number of leads not yet shown by the CRM export.
    public var pendingCount: Int { shown.lazy.filter { !$0 }.count }

    /// Adds a lead, with `value(column)` its value of each of ``columns``.
    public mutating func add(id: String, owner: String, createdBy run: String, value: (String) -> String) {
        ids.append(id)
        owners.append(owner)
        createdBy.append(run)
        shown.append(false)
        if segments.last?.prepared != nil || segments.last?.values == nil {
            segments.append(Segment(count: 0, values: Array(repeating: FeatureColumn(), count: Self.columns.count)))
        }
        let last = segments.count - 1
        for (index, column) in Self.columns.enumerated() { segments[last].values?[index].append(value(column)) }
        segments[last].count += 1
    }

    /// Appends the leads of `other`, those `isShown` says the CRM export shows marked so.
    public mutating func append(_ other: PendingLeads, isShown: ((String) -> Bool)? = nil) {
        ids += other.ids
        owners += other.owners
        createdBy += other.createdBy
        shown += isShown.map { other.ids.map($0) } ?? other.shown
        segments += other.segments
    }

    /// The segments with the range of leads each holds.
    var segmentRanges: [(segment: Segment, range: Range<Int>)] {
        var start = 0
        return segments.map { segment in
            defer { start += segment.count }
            return (segment, start..<(start + segment.count))
        }
    }

    /// The values of column `name` (one of ``columns``), every segment's joined.
    func column(_ name: String) -> FeatureColumn? {
        Self.columns.firstIndex(of: name).map(joinedValues)
    }

    /// The values of the `index`th of ``columns``, every segment's joined (empty where a
    /// segment's were not read).
    private func joinedValues(_ index: Int) -> FeatureColumn {
        FeatureColumn(joining: segments.map { $0.values?[index] ?? FeatureColumn(empty: $0.count) })
    }

    /// The comparison values (labelled with the ids) and blocking keys of every lead under
    /// `model`, joined from the segments' prepared ones; `nil` when a segment has none for it.
    func prepared(for model: MatchModel, variants: PreparationCache) -> (features: FeatureSet, keys: [[UInt64]])? {
        let fingerprint = Self.fingerprint(of: model)
        let prepared = segments.compactMap(\.prepared)
        guard !prepared.isEmpty, prepared.count == segments.count,
              prepared.allSatisfy({ $0.fingerprint == fingerprint && $0.columns.count == model.columns.count && $0.keys.count == model.blocking.count })
        else { return nil }
        var parts = prepared.map { FeatureSet(model: model, variants: variants, columns: $0.columns, nameKeys: $0.nameKeys, count: $0.count) }
        // One segment (as a run's are read): its values as they are, not copied.
        var features = parts.count == 1 ? parts[0] : FeatureSet(model: model, variants: variants)
        if parts.count > 1 { features.join(&parts) }
        features.label(ids)
        let keys = prepared.count == 1 ? prepared[0].keys : model.blocking.indices.map { rule in prepared.flatMap { $0.keys[rule] } }
        return (features, keys)
    }

    /// What the prepared values and keys depend on: the model's columns, how each comparison
    /// compares (and so prepares) its values, and the blocking rules.
    static func fingerprint(of model: MatchModel) -> UInt64 {
        var text = "prepared-1;" + model.columns.joined(separator: ",")
        for comparison in model.comparisons { text += ";\(comparison.column)|\(comparison.method.rawValue)|\(comparison.swapColumn ?? "")" }
        for rule in model.blocking {
            text += ";" + rule.keys.map { "\($0.column):\($0.function.rawValue)" }.joined(separator: "+") + (rule.unordered == true ? "~" : "")
        }
        return FeatureHash.of(text)
    }

    /// The leads as bytes: a tag, the ids, the owners, each column by name, then (with `model`)
    /// the comparison values and blocking keys under it. The run and the shown marks are not
    /// kept: the ledger stores a segment with its run, and knows which leads are confirmed.
    public func encoded(preparing model: MatchModel? = .leadList) -> [UInt8] {
        var out = Array(Self.tag.utf8)
        var ids = FeatureColumn(), owners = FeatureColumn(), names = FeatureColumn()
        for id in self.ids { ids.append(id) }
        for owner in self.owners { owners.append(owner) }
        for name in Self.columns { names.append(name) }
        let values = Self.columns.indices.map(joinedValues)
        for column in [ids, owners, names] + values { column.encode(into: &out) }
        if let model { Self.encode(prepare(model), into: &out) }
        return out
    }

    /// The comparison values and blocking keys of every lead under `model`.
    private func prepare(_ model: MatchModel) -> Prepared {
        var features = FeatureSet(model: model)
        features.add(self, range: 0..<count, names: NameNormalizer())
        let keys = BlockingKeys(model: model, features: features, store: features.store(model: model)).keys
        return Prepared(fingerprint: Self.fingerprint(of: model), columns: features.columns, nameKeys: features.nameKeys, keys: keys, count: count)
    }

    private static func encode(_ prepared: Prepared, into out: inout [UInt8]) {
        out += Array(preparedTag.utf8)
        ColumnCodec.append(UInt32(truncatingIfNeeded: prepared.fingerprint), to: &out)
        ColumnCodec.append(UInt32(truncatingIfNeeded: prepared.fingerprint >> 32), to: &out)
        ColumnCodec.append(UInt32(prepared.columns.count), to: &out)
        for column in prepared.columns { column.encode(into: &out) }
        var names = FeatureColumn()
        let nameColumns = prepared.nameKeys.keys.sorted()
        for name in nameColumns { names.append(name) }
        names.encode(into: &out)
        for name in nameColumns { prepared.nameKeys[name]?.encode(into: &out) }
        ColumnCodec.append(UInt32(prepared.keys.count), to: &out)
        for rule in prepared.keys {
            ColumnCodec.append(UInt32(rule.count), to: &out)
            rule.withUnsafeBytes { out.append(contentsOf: $0) }
        }
    }

    private static func decodeFingerprint(_ data: UnsafeRawBufferPointer, at offset: inout Int) throws -> UInt64 {
        let low = UInt64(try ColumnCodec.read(data, at: &offset)), high = UInt64(try ColumnCodec.read(data, at: &offset))
        return high << 32 | low
    }

    /// Reads leads that ``encoded(preparing:)`` wrote, created by run `run`. A column the data
    /// lacks is empty (missing) for every lead; one it has that ``columns`` does not is left out.
    /// Reading them for `model` reads only what indexing them under it needs: the prepared values
    /// when they fit it (see ``fingerprint(of:)``), else the normalized columns.
    ///
    /// - Throws: ``ColumnCodec/Malformed`` when the data is not such a segment.
    public init(decoding data: [UInt8], createdBy run: String, for model: MatchModel? = nil) throws {
        self = try data.withUnsafeBytes { try PendingLeads(decoding: $0, createdBy: run, for: model) }
    }

    /// Reads leads that ``encoded(preparing:)`` wrote, from bytes valid during the call.
    public init(decoding data: UnsafeRawBufferPointer, createdBy run: String, for model: MatchModel? = nil) throws {
        self.init()
        try append(decoding: data, createdBy: run, for: model)
    }

    /// Reads leads that ``encoded(preparing:)`` wrote, created by run `run`, from bytes valid
    /// during the call, for `model` (see ``init(decoding:createdBy:for:)``), and appends them,
    /// those `isShown` says the CRM export shows marked so. When only their prepared values are
    /// read, and the last segment's are for the same model, they are read into that segment:
    /// the leads of segments read one after another are then held, and indexed, as one, never
    /// joined. `room` is about how many leads will be appended in all, so that their values are
    /// allocated once rather than copied each time they grow.
    ///
    /// - Throws: ``ColumnCodec/Malformed`` when the data is not such a segment; the leads are
    ///   then left as they were.
    public mutating func append(decoding data: UnsafeRawBufferPointer, createdBy run: String, for model: MatchModel? = nil, room: Int = 0,
                                isShown: ((String) -> Bool)? = nil) throws {
        let tag = Array(Self.tag.utf8)
        guard data.starts(with: tag) else { throw ColumnCodec.Malformed() }
        var offset = tag.count
        let ids = try FeatureColumn(decoding: data, at: &offset), owners = try FeatureColumn(decoding: data, at: &offset)
        let names = try FeatureColumn(decoding: data, at: &offset)
        guard owners.count == ids.count else { throw ColumnCodec.Malformed() }
        let valuesStart = offset
        for _ in 0..<names.count {
            guard try FeatureColumn.skip(data, at: &offset) == ids.count else { throw ColumnCodec.Malformed() }
        }
        // Where the prepared values start, when they are read.
        var prepared: (offset: Int, fingerprint: UInt64)?
        if offset < data.count {
            let preparedTag = Array(Self.preparedTag.utf8)
            guard UnsafeRawBufferPointer(rebasing: data[offset...]).starts(with: preparedTag) else { throw ColumnCodec.Malformed() }
            offset += preparedTag.count
            let fingerprint = try Self.decodeFingerprint(data, at: &offset)
            if model.map({ Self.fingerprint(of: $0) == fingerprint }) ?? true { prepared = (offset, fingerprint) }
        }
        var segment = Segment(count: ids.count)
        if prepared == nil || model == nil {
            var values = Array(repeating: FeatureColumn(empty: ids.count), count: Self.columns.count)
            offset = valuesStart
            for name in 0..<names.count {
                let column = try FeatureColumn(decoding: data, at: &offset)
                if let index = Self.columns.firstIndex(of: names[name]) { values[index] = column }
            }
            segment.values = values
        }
        var joined = false
        if let (start, fingerprint) = prepared {
            offset = start
            if let last = segments.indices.last, segment.values == nil, segments[last].values == nil, segments[last].prepared?.fingerprint == fingerprint,
               var values = segments[last].prepared.take() {
                // Taken out of the segment, so that appending to it copies nothing.
                defer { segments[last].prepared = values }
                try values.append(decoding: data, at: &offset, count: ids.count, room: room)
                segments[last].count += ids.count
                joined = true
            } else {
                var values = try Prepared(layoutOf: data, at: offset, fingerprint: fingerprint)
                try values.append(decoding: data, at: &offset, count: ids.count, room: room)
                segment.prepared = values
            }
        }
        if !joined, ids.count > 0 { segments.append(segment) }
        let total = self.ids.count + ids.count
        if room > total, self.ids.capacity < total {
            self.ids.reserveCapacity(room)
            self.owners.reserveCapacity(room)
            createdBy.reserveCapacity(room)
            shown.reserveCapacity(room)
        }
        for index in 0..<ids.count {
            let id = ids[index]
            self.ids.append(id)
            self.owners.append(owners[index])
            createdBy.append(run)
            shown.append(isShown?(id) ?? false)
        }
    }

    /// The first bytes of an encoded segment (with its format's version), and of its prepared part.
    private static let tag = "LWPENDING1", preparedTag = "PREPARED"
}

/// Where a run's pending leads come from (the nightly ledger): the match stage reads them when
/// it sets up, on another thread while it reads the CRM exports, for the model it matches with
/// (see ``PendingLeads/init(decoding:createdBy:for:)``).
public struct PendingLeadSource: Sendable {
    private let read: @Sendable (MatchModel) throws -> PendingLeads

    /// A source whose `read` reads the leads for the model given.
    public init(_ read: @escaping @Sendable (MatchModel) throws -> PendingLeads) {
        self.read = read
    }

    /// Leads read already.
    public init(_ leads: PendingLeads) {
        read = { _ in leads }
    }

    /// The leads, read for `model`.
    ///
    /// - Throws: what reading them threw.
    public func leads(for model: MatchModel) throws -> PendingLeads {
        try read(model)
    }
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
        // Both sets' keys at once; the calling thread takes part, so this never waits for a
        // free thread of the pool.
        var keys: [[UInt64]?] = [nil, nil]
        keys.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: 2) { side in out.value[side] = Self.keys(side == 0 ? pending : export) }
        }
        guard let pendingKeys = keys[0], let exportKeys = keys[1] else { return [] }
        let blocks = KeyedBlocks(keys: exportKeys)
        // The pending leads in chunks, on all cores; each chunk's pairs in order.
        let chunk = 1 << 15, chunks = (pendingKeys.count + chunk - 1) / chunk
        var found = [[(pending: Int, export: Int)]](repeating: [], count: chunks)
        found.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: chunks) { part in
                for record in (part * chunk)..<min(pendingKeys.count, (part + 1) * chunk) where pendingKeys[record] != 0 {
                    if let match = blocks.records(for: pendingKeys[record], limit: 64).first(where: { same(pending, record, export, Int($0)) }) {
                        out.value[part].append((record, Int(match)))
                    }
                }
            }
        }
        return found.flatMap { $0 }
    }

    /// Each record's identity hash (0 for a record with neither email nor phone), or `nil` when
    /// the set has not the columns.
    private static func keys(_ set: FeatureSet) -> [UInt64]? {
        guard let email = set.column(email), let phone = set.column(phone), let first = set.column(first), let last = set.column(last) else { return nil }
        return (0..<set.count).map { record in
            email.isEmpty(record) ? FeatureHash.combine(FeatureHash.combine(phone.groupingHash(record), first.groupingHash(record)), last.groupingHash(record))
                : FeatureHash.combine(email.groupingHash(record), last.groupingHash(record))
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
