import ListWashCore

/// What the updates and merges of a run need of each record of a CRM export besides its
/// matching values: the raw values of the fields that may be updated (update.csv's old value),
/// the dates the record was last modified and created, and how many of its fields are filled.
/// Kept only when a run asks for updates or merges (``Request``); the values of all records
/// sit in one byte buffer, so 1,000,000 records of five short fields cost about 80 MB.
public struct ExportFacts: Sendable {
    /// What to keep.
    public struct Request: Sendable, Equatable {
        /// The fields whose raw values are kept, by role.
        public var fields: [FieldRole] = []
        /// Whether the last-modified and created dates are read.
        public var dates = false
        /// Whether each record's count of filled fields is kept (a merge's master rule).
        public var completeness = false

        /// Nothing kept.
        public init(fields: [FieldRole] = [], dates: Bool = false, completeness: Bool = false) {
            self.fields = fields
            self.dates = dates
            self.completeness = completeness
        }

        /// Whether nothing is asked for.
        public var isEmpty: Bool { fields.isEmpty && !dates && !completeness }

        /// Both requests' fields and flags.
        public func union(_ other: Request) -> Request {
            Request(fields: fields + other.fields.filter { !fields.contains($0) }, dates: dates || other.dates,
                    completeness: completeness || other.completeness)
        }
    }

    /// The folded headers of a last-modified column: `Last Modified Date`, `LastModifiedDate`
    /// (Salesforce), `hs_lastmodifieddate` (HubSpot), `Last Modified`, `Modified Date`, `Updated At`.
    public static let modifiedSpellings = ["lastmodifieddate", "lastmodified", "hslastmodifieddate", "lastmodifiedat", "modifieddate", "updatedat", "lastupdated"]
    /// The folded headers of a created-date column: `Created Date`, `CreatedDate`, `createdate`
    /// (HubSpot), `Created At`, `Date Created`.
    public static let createdSpellings = ["createddate", "createdate", "createdat", "datecreated"]

    /// The fields kept, as asked.
    public let fields: [FieldRole]
    /// Per field of ``fields``: its column in the export, or `nil` when the export has none (its
    /// value in the CRM is then unknown).
    public let columns: [Int?]
    /// The last-modified and created columns, when the export has them (and dates were asked for).
    public let modifiedColumn: Int?, createdColumn: Int?
    private let keepsCompleteness: Bool
    private var bytes: [UInt8] = []
    /// Per record and field: where its value ends in `bytes`.
    private var ends: [UInt32] = []
    /// Per record: the day numbers (days since 1970-01-01) of the dates, `Int32.min` when unknown.
    private var modified: [Int32] = [], created: [Int32] = []
    private var filled: [Int16] = []
    /// Records whose last-modified cell holds something that is not a date, and the first one's line.
    public private(set) var unreadableDates = 0, firstUnreadableLine = 0

    /// Facts of an export with header `header` (its roles in `schema`), keeping what `request` asks.
    public init(header: [String], schema: Schema, request: Request) {
        fields = request.fields
        columns = request.fields.map { schema.column($0) }
        let folded = header.map(FieldRole.foldHeader)
        func find(_ spellings: [String]) -> Int? { spellings.lazy.compactMap { folded.firstIndex(of: $0) }.first }
        modifiedColumn = request.dates ? find(Self.modifiedSpellings) : nil
        createdColumn = request.dates ? find(Self.createdSpellings) : nil
        keepsCompleteness = request.completeness
    }

    /// Keeps what was asked of record `row` of `batch` (the export's next record).
    mutating func append(_ batch: RecordBatch, row: Int) {
        for column in columns {
            if let column { batch.withTrimmedField(row, column: column) { bytes.append(contentsOf: $0) } }
            ends.append(UInt32(truncatingIfNeeded: bytes.count))
        }
        if let modifiedColumn {
            let (day, empty) = batch.withTrimmedField(row, column: modifiedColumn) { (DateComparison.parseTimestamp(bytes: $0), $0.isEmpty) }
            if day == nil, !empty {
                if unreadableDates == 0 { firstUnreadableLine = batch.lines[row] }
                unreadableDates += 1
            }
            modified.append(day.map { Int32(clamping: $0.dayNumber) } ?? .min)
        }
        if let createdColumn {
            created.append(batch.withField(row, column: createdColumn) { DateComparison.parseTimestamp(bytes: $0) }.map { Int32(clamping: $0.dayNumber) } ?? .min)
        }
        if keepsCompleteness {
            var count: Int16 = 0
            batch.forEachField(row) { _, field in if !field.isEmpty { count += 1 } }
            filled.append(count)
        }
    }

    /// Appends `other`'s records (the export's next batch, kept on another core) after these.
    mutating func append(contentsOf other: ExportFacts) {
        let base = UInt32(truncatingIfNeeded: bytes.count)
        bytes.append(contentsOf: other.bytes)
        ends.append(contentsOf: other.ends.lazy.map { $0 &+ base })
        modified.append(contentsOf: other.modified)
        created.append(contentsOf: other.created)
        filled.append(contentsOf: other.filled)
        if unreadableDates == 0 { firstUnreadableLine = other.firstUnreadableLine }
        unreadableDates += other.unreadableDates
    }

    /// Record `record`'s raw value of field number `field` (of ``fields``), trimmed; empty when
    /// the export has no such column.
    public func value(_ record: Int, field: Int) -> String {
        let position = record * fields.count + field
        guard position < ends.count else { return "" }
        let start = position == 0 ? 0 : Int(ends[position - 1]), end = Int(ends[position])
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    /// The day record `record` was last modified, when the export says and it reads as a date.
    public func modifiedDay(_ record: Int) -> CalendarDate? {
        record < modified.count && modified[record] != .min ? CalendarDate(dayNumber: Int(modified[record])) : nil
    }

    /// The day number record `record` was created, `Int.max` when unknown (it sorts last).
    func createdDay(_ record: Int) -> Int {
        record < created.count && created[record] != .min ? Int(created[record]) : .max
    }

    /// How many of record `record`'s fields are filled (0 when not kept).
    func completeness(_ record: Int) -> Int {
        record < filled.count ? Int(filled[record]) : 0
    }
}
