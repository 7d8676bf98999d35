import Synchronization
import ListWashCore
import ListWashNormalize

/// Which fields of a matched CRM lead or contact a run may update from the rows that match it,
/// and when (`updates:` in a pipeline file):
///
/// ```yaml
/// updates: {fields: [title, phone, company, zip, state], overwrite: newer, survivorship: most_recent}
/// updates: {fields: [title, phone], survivorship: {row: most_recent, fields: {phone: most_complete}}}
/// ```
/// A field is updated when the row's value, normalized, differs from the CRM's, normalized (so
/// `(617) 253-1000` against `+16172531000` is no update), and: the CRM has no value (`fill`), or,
/// with `overwrite: newer`, the export's last-modified date is before the row's response date
/// (`newer`). A row never blanks out a CRM value (an empty value is no update); a CRM value of
/// unknown age (no last-modified column, an unreadable date, a row without a date) is only ever
/// filled in. When several rows of one person carry a field, the one `survivorship` prefers
/// gives it, as in dedupe (`most_recent` by default: the latest response; a field may have a
/// rule of its own, as dedupe's field merge has).
public struct UpdateRules: Sendable, Equatable {
    /// When a CRM value that is already there may be replaced.
    public enum Overwrite: String, Sendable, CaseIterable {
        /// Never: only empty CRM fields are filled.
        case fillOnly = "fill_only"
        /// When the response is newer than the record's last modification (else as `fill_only`).
        case newer
    }

    /// The fields that may be updated, in the order update.csv lists them.
    public var fields: [UpdateField]
    /// When a value that is there may be replaced.
    public var overwrite: Overwrite
    /// Which of several rows of one person gives a field.
    public var survivorship: Survivorship
    /// Fields with a rule of their own (`survivorship: {row: most_recent, fields: {phone: most_complete}}`),
    /// as dedupe's field merge has.
    public var fieldSurvivorship: [UpdateField: Survivorship]

    /// Rules for `fields`.
    public init(fields: [UpdateField], overwrite: Overwrite = .newer, survivorship: Survivorship = .mostRecent,
                fieldSurvivorship: [UpdateField: Survivorship] = [:]) {
        self.fields = fields
        self.overwrite = overwrite
        self.survivorship = survivorship
        self.fieldSurvivorship = fieldSurvivorship
    }

    /// The survivorship rule of `field`.
    public func survivorship(of field: UpdateField) -> Survivorship {
        fieldSurvivorship[field] ?? survivorship
    }

    /// What the exports must keep: the fields' raw values and the last-modified dates.
    public var request: ExportFacts.Request {
        ExportFacts.Request(fields: fields.map(\.role), dates: true)
    }
}

/// A field update.csv can change, named as in pipeline files; each is compared and written
/// normalized as the normalize stage does it (phones in E.164, ZIP codes with their leading
/// zeros, state and country codes, company names cleaned and compared by their key).
public enum UpdateField: String, Sendable, CaseIterable {
    /// The fields, named as pipeline files and update.csv name them (`first_name`, `zip`, ...).
    case firstName = "first_name", lastName = "last_name", email, phone, mobile, company, title, street, city, state, zip, country, website

    /// The column role the field is read from, in the input and in the export.
    public var role: FieldRole {
        switch self {
        case .firstName: .firstName
        case .lastName: .lastName
        case .email: .email
        case .phone: .phone
        case .mobile: .mobile
        case .company: .company
        case .title: .title
        case .street: .street
        case .city: .city
        case .state: .state
        case .zip: .zip
        case .country: .country
        case .website: .website
        }
    }

    /// `raw` as written to the CRM (`value`) and as compared (`key`); `nil` when it is empty or
    /// not a valid value of the field (an invalid email or phone is never written).
    ///
    /// ```swift
    /// UpdateField.phone.normalized("(617) 253-1000", using: Normalizer())   // ("+16172531000", "+16172531000")
    /// UpdateField.company.normalized("ACME, Inc.", using: Normalizer())     // ("ACME, Inc.", "acme")
    /// ```
    public func normalized(_ raw: String, using normalizer: Normalizer) -> (value: String, key: String)? {
        let cleaned = TextCleaning.cleaned(raw)
        guard !cleaned.isEmpty else { return nil }
        func text(_ key: String) -> (value: String, key: String)? { key.isEmpty ? nil : (cleaned, key) }
        switch self {
        case .firstName, .lastName, .title, .street, .city:
            return text(NameNormalizer.matchingKey(cleaned))
        case .email:
            let email = normalizer.emails.normalize(cleaned).email
            return email.isEmpty ? nil : (email, email)
        case .phone, .mobile:
            let phone = normalizer.phones.normalize(cleaned)
            guard !phone.e164.isEmpty else { return nil }
            let value = phone.phoneExtension.isEmpty ? phone.e164 : "\(phone.e164) x\(phone.phoneExtension)"
            return (value, value)
        case .company:
            let company = normalizer.companies.normalize(cleaned)
            return company.key.isEmpty ? nil : (company.name, company.key)
        case .state:
            let code = normalizer.places.stateCode(cleaned)
            return code.map { ($0, $0) } ?? text(NameNormalizer.matchingKey(cleaned))
        case .country:
            let code = normalizer.places.countryCode(cleaned)
            return code.map { ($0, $0) } ?? text(NameNormalizer.matchingKey(cleaned))
        case .zip:
            let zip = normalizer.postalCodes.normalize(zip: cleaned)
            guard !zip.zip.isEmpty else { return nil }
            return (zip.zip, zip.zip5.isEmpty ? zip.zip : zip.zip5)
        case .website:
            return normalizer.domains.registrableDomain(from: cleaned).map { (cleaned, $0) }
        }
    }
}

/// Finds update.csv's rows: reads every row of a run once its disposition is final, keeps per
/// matched CRM record and field the value the rules' survivorship prefers, then compares it with
/// the export's value. Only rows that load or attach count (a suppressed row does not reach the
/// CRM, nor does its data); the record is the row's `listwash_match_id` (a lead wins over a
/// contact, a converted lead gives its contact). Rows are read on all cores.
public final class UpdateFinder: Sendable {
    /// One row of update.csv.
    public struct Update: Sendable, Equatable {
        /// The CRM record's id and kind.
        public var recordID: String, object: ReferenceIndex.Kind
        /// The field, its value in the CRM export and the new value.
        public var field: UpdateField, oldValue: String, newValue: String
        /// `fill` (the CRM had none) or `newer` (the response is newer than the record).
        public var rule: String
        /// The row that gives the value: its file and record number, its response date (YYYY-MM-DD or empty).
        public var source: String, row: Int, responseDate: String
        /// The export's last-modified date of the record (YYYY-MM-DD or empty).
        public var lastModified: String
    }

    /// The columns of update.csv.
    public static let header = ["record_id", "object", "field", "old_value", "new_value", "rule", "source", "row", "response_date", "crm_last_modified"]

    /// A row's value of one field, as a candidate for the update.
    struct Candidate: Sendable {
        var value: String, key: String
        /// YYYY-MM-DD, or empty.
        var date: String
        var completeness: Int16
        var sequence: Int
        var source: String, row: Int
    }

    /// Which fields may be updated, and when.
    public let rules: UpdateRules
    private let indexes: [ReferenceIndex]
    /// Per index: its records by the hash of their CRM id (checked against the id on lookup).
    private let records: [HashedKeyMap<Int32>]
    private let normalizer: Normalizer
    /// Per index, record and field (packed): the preferred candidate so far.
    private let chosen = Mutex<[UInt64: Candidate]>([:])

    /// A finder for the records of `indexes` (contacts, leads: CRM exports read with ``UpdateRules/request``).
    public init(rules: UpdateRules, indexes: [ReferenceIndex], normalizer: Normalizer = Normalizer()) {
        self.rules = rules
        self.indexes = indexes
        self.normalizer = normalizer
        records = indexes.map { index in
            var byID = HashedKeyMap<Int32>(capacity: index.features.count, filler: -1)
            for (record, id) in index.features.labels.enumerated() { byID.set(Self.hash(id), Int32(record)) }
            return byID
        }
    }

    /// A CRM id's hash, never 0.
    private static func hash(_ id: String) -> UInt64 {
        var id = id
        return id.withUTF8 { SharedByteCache.hash($0) } | 1
    }

    /// The record of index number `position` whose id is `id`.
    private func record(_ id: String, in position: Int) -> Int? {
        guard let record = records[position][Self.hash(id)].map(Int.init), indexes[position].features.labels[record] == id else { return nil }
        return record
    }

    /// Reads the rows of `batch` whose disposition is final (the batch is about to be written).
    public func observe(_ batch: RecordBatch) {
        guard let type = batch.layout.column("listwash_match_type") else { return }
        let dateColumn = batch.schema.column(.responseDate)
        let inputColumns = rules.fields.map { batch.schema.column($0.role) }
        var found: [UInt64: Candidate] = [:]
        for row in 0..<batch.count where [nil, .load, .attach].contains(batch.dispositions[row]) {
            let kind = batch[row, type], id = batch[row, OutputLayout.matchID]
            guard !id.isEmpty, let (position, index) = indexes.enumerated().first(where: { $0.element.kind.rawValue == kind }),
                  let record = record(id, in: position) else { continue }
            var completeness: Int16?, date: String?
            for (field, column) in zip(rules.fields.indices, inputColumns) {
                guard let column, let fieldColumn = index.facts.fields.firstIndex(of: rules.fields[field].role), index.facts.columns[fieldColumn] != nil,
                      let (value, key) = rules.fields[field].normalized(batch.value(row, column: column), using: normalizer) else { continue }
                if completeness == nil {
                    var count: Int16 = 0
                    batch.forEachField(row) { _, bytes in if !bytes.isEmpty { count += 1 } }
                    completeness = count
                }
                if date == nil { date = dateColumn.flatMap { DateComparison.parseTimestamp(batch.value(row, column: $0))?.description } ?? "" }
                let candidate = Candidate(value: value, key: key, date: date ?? "", completeness: completeness ?? 0, sequence: batch.sequence(row),
                                          source: batch.schema.source, row: batch.rows[row])
                let slot = UInt64(position) << 56 | UInt64(record) << 8 | UInt64(field)
                if let current = found[slot], !prefers(candidate, over: current, field: field) { continue }
                found[slot] = candidate
            }
        }
        guard !found.isEmpty else { return }
        chosen.withLock { all in
            for (slot, candidate) in found {
                if let current = all[slot], !prefers(candidate, over: current, field: Int(slot & 0xFF)) { continue }
                all[slot] = candidate
            }
        }
    }

    /// Whether `candidate` gives field number `field` rather than `current`: the field's
    /// survivorship rule, then the earlier row (so the answer does not depend on the order rows
    /// are read in).
    func prefers(_ candidate: Candidate, over current: Candidate, field: Int) -> Bool {
        let completeness = [candidate.completeness, current.completeness], recency = [candidate.date, current.date]
        let rule = rules.survivorship(of: rules.fields[field])
        if rule.prefers(0, over: 1, completeness: completeness, recency: recency) { return true }
        if rule.prefers(1, over: 0, completeness: completeness, recency: recency) { return false }
        return candidate.sequence < current.sequence
    }

    /// Why proposed values were not written, and how many: `CRM value newer or of unknown age`.
    public var heldBack: [String: Int] { heldBackCounts.withLock { $0 } }
    private let heldBackCounts = Mutex<[String: Int]>([:])

    /// The updates, by record (leads and contacts in export order) and field (in the rules' order).
    public func updates() -> [Update] {
        let all = chosen.withLock { $0 }
        var updates: [Update] = []
        var held: [String: Int] = [:]
        for slot in all.keys.sorted() {
            guard let candidate = all[slot] else { continue }
            let index = indexes[Int(slot >> 56)], record = Int((slot >> 8) & 0xFFFF_FFFF), field = Int(slot & 0xFF)
            let updateField = rules.fields[field]
            guard let fieldColumn = index.facts.fields.firstIndex(of: updateField.role) else { continue }
            let old = index.facts.value(record, field: fieldColumn)
            let modified = index.facts.modifiedDay(record)
            var rule = "fill"
            if !old.isEmpty {
                let oldKey = updateField.normalized(old, using: normalizer)?.key ?? NameNormalizer.matchingKey(old)
                if oldKey == candidate.key { continue }
                guard rules.overwrite == .newer else { held["the CRM has a value (overwrite: fill_only)", default: 0] += 1; continue }
                guard let modified else { held["the CRM value's age is unknown (no readable last-modified date)", default: 0] += 1; continue }
                guard !candidate.date.isEmpty else { held["the row has no response date", default: 0] += 1; continue }
                guard candidate.date > modified.description else { held["the CRM value is as new as the response or newer", default: 0] += 1; continue }
                rule = "newer"
            }
            updates.append(Update(recordID: index.features.labels[record], object: index.kind, field: updateField, oldValue: old, newValue: candidate.value,
                                  rule: rule, source: candidate.source, row: candidate.row, responseDate: candidate.date,
                                  lastModified: modified?.description ?? ""))
        }
        heldBackCounts.withLock { $0 = held }
        return updates
    }

    /// Writes update.csv (``header``) to `path`; returns its rows.
    public func write(to path: String) throws -> Int {
        let writer = try CSVTableWriter(path: path, header: Self.header)
        let updates = updates()
        for update in updates {
            try writer.write([update.recordID, update.object.rawValue, update.field.rawValue, update.oldValue, update.newValue, update.rule,
                              update.source, String(update.row), update.responseDate, update.lastModified])
        }
        try writer.finish()
        return updates.count
    }
}
