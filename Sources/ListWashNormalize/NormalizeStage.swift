#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ListWashCore

/// The normalize stage: runs every normalizer on each open record and fills the
/// `listwash_*` columns with the normalized values and `listwash_flags` with what was found or
/// changed. The source columns stay as they were. It looks at one record at a time, so batches
/// go through it on all cores.
///
/// ```swift
/// var batch = RecordBatch(schema: schema, layout: Pipeline([NormalizeStage()]).layout, rows: rows)
/// try NormalizeStage().process(&batch)
/// ```
/// The values are those of ``Normalizer/normalize(_:)`` for each record. Lead lists repeat
/// states, ZIP codes, companies, websites, email domains and names heavily, so each distinct raw
/// value of those is worked out once and remembered in a cache. A batch borrows a whole
/// workspace of caches for as long as it is processed, so batches on different cores never
/// touch the same one; last names, companies and places, which take many distinct values, each
/// share one cache (``SharedByteCache``, read without locks) so that each value is worked out
/// once for all cores.
///
/// It throws ``ListWashError`` (`.referenceData`, exit status 66) when the reference data could
/// not be found (see ``ReferenceData/requireComplete()``).
public struct NormalizeStage: Stage, SetUpStage {
    /// The stage's name in pipeline files: `normalize`.
    public let name = "normalize"
    /// The normalizers and their reference data.
    public let normalizer: Normalizer

    /// The columns this stage fills, in order.
    public static let columns = [
        "listwash_first_name", "listwash_last_name", "listwash_name_suffix", "listwash_email", "listwash_email_key",
        "listwash_phone", "listwash_phone_ext", "listwash_area_code_region", "listwash_zip", "listwash_city",
        "listwash_state", "listwash_country", "listwash_company", "listwash_company_key", "listwash_domain",
        "listwash_flags", "listwash_salutation", "listwash_middle_name",
    ]

    /// The `listwash_*` columns this stage fills: ``columns``.
    public var outputColumns: [String] { Self.columns }
    /// `true`: records are normalized one at a time, so batches run on all cores.
    public var runsConcurrently: Bool { true }

    /// Per-batch workspaces (caches and buffers), lent to one batch at a time.
    private let workspaces: WorkspacePool
    /// Per column of ``columns``, whether a reader needs it (the others are not written).
    private let written: [Bool]

    /// A normalize stage over `normalizer` (the bundled reference data by default).
    public init(normalizer: Normalizer = Normalizer()) {
        self.init(normalizer: normalizer, reading: Set(Self.columns))
    }

    /// A normalize stage for a reader of only the `listwash_*` columns in `reading` (a matcher
    /// indexing a CRM export): the other columns stay empty, and `listwash_domain` and
    /// `listwash_flags` are not even worked out unless read.
    package init(normalizer: Normalizer = Normalizer(), reading: Set<String>) {
        self.normalizer = normalizer
        written = Self.columns.map(reading.contains)
        workspaces = WorkspacePool(normalizer, output: .init(domain: reading.contains("listwash_domain"), flags: reading.contains("listwash_flags")))
    }

    /// Checks before the run that the reference data was found.
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`) naming the folders looked in.
    public func setUp() throws {
        try normalizer.referenceData.requireComplete()
    }

    /// Normalizes every open record of `batch`.
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`) when the reference data is missing.
    public func process(_ batch: inout RecordBatch) throws {
        try normalizer.referenceData.requireComplete()
        let outputs = zip(Self.columns, written).compactMap { name, isWritten in
            isWritten ? batch.layout.column(name) : OutputLayout.discarded
        }
        guard outputs.count == Self.columns.count else { return }
        let schema = batch.schema
        var slots = FieldSlots(columnCount: schema.columns.count)
        slots.assign(.firstName, schema.column(.firstName))
        slots.assign(.lastName, schema.column(.lastName))
        slots.assign(.fullName, schema.column(.fullName))
        slots.assign(.email, schema.column(.email))
        slots.assign(.phone, schema.column(.phone) ?? schema.column(.mobile))
        slots.assign(.mobile, schema.column(.mobile))
        slots.assign(.company, schema.column(.company))
        slots.assign(.website, schema.column(.website))
        slots.assign(.city, schema.column(.city))
        slots.assign(.state, schema.column(.state))
        slots.assign(.zip, schema.column(.zip))
        slots.assign(.country, schema.column(.country))

        let cached = BatchNormalizer.CachedColumns(schema)
        var work = workspaces.take()
        // A few dozen records at a time, with what their shared-cache lookups read loaded
        // ahead: while a chunk is normalized, the entries of the next one and the slots of the
        // one after it are on their way, so that the lookups rarely wait for memory.
        let chunk = 64, chunks = (batch.count + chunk - 1) / chunk
        func rows(_ index: Int) -> Range<Int> { (index * chunk)..<min((index + 1) * chunk, batch.count) }
        for ahead in 0..<min(2, chunks) { work.prefetchSlots(batch, rows: rows(ahead), columns: cached, stage: ahead) }
        if chunks > 0 { work.prefetchEntries(stage: 0, columns: cached) }
        for index in 0..<chunks {
            if index + 2 < chunks { work.prefetchSlots(batch, rows: rows(index + 2), columns: cached, stage: (index + 2) % 3) }
            if index + 1 < chunks { work.prefetchEntries(stage: (index + 1) % 3, columns: cached) }
            for row in rows(index) where batch.isOpen(row) {
                slots.load(batch, row: row)
                work.normalize(slots, into: &batch, row: row, columns: outputs, stage: index % 3, position: row - index * chunk)
            }
        }
        workspaces.give(work)
    }
}

/// Workspaces for the batches being normalized (internal). A batch takes one for its whole
/// processing and gives it back, so a workspace's caches serve one batch at a time (never two
/// threads at once) and carry over to later batches; there are at most as many as batches ever
/// processed at the same time.
final class WorkspacePool: @unchecked Sendable {
    private let normalizer: Normalizer
    private let output: BatchNormalizer.Output
    private let lock = Lock()
    private var idle: [BatchNormalizer] = []
    /// The caches every workspace shares.
    private let caches: BatchNormalizer.SharedCaches

    init(_ normalizer: Normalizer, output: BatchNormalizer.Output) {
        self.normalizer = normalizer
        self.output = output
        caches = .shared(for: normalizer.referenceData)
    }

    /// An idle workspace, or a new one.
    func take() -> BatchNormalizer {
        lock.withLock { idle.popLast() }
            ?? BatchNormalizer(normalizer, output: output, caches: caches)
    }

    /// Returns a workspace for later batches.
    func give(_ workspace: BatchNormalizer) {
        lock.withLock { if idle.count < 16 { idle.append(workspace) } }
    }
}

/// Where each field the stage reads sits in a record, and a copy of one record's fields (internal).
struct FieldSlots {
    enum Slot: Int, CaseIterable {
        case firstName, lastName, fullName, email, phone, mobile, company, website, city, state, zip, country
    }

    /// For each source column, the slots it fills (a bit per slot).
    private var slotsByColumn: [UInt16]
    /// The slots whose role has a column.
    private(set) var mapped: UInt16 = 0
    /// The current record's fields, and where each slot's bytes are.
    private let storage = Storage()

    /// Memory for one record's fields, reused record after record.
    final class Storage {
        /// The fields' bytes, one after another.
        private(set) var bytes: UnsafeMutablePointer<UInt8>
        private(set) var capacity: Int
        /// Start and end offset of each slot's bytes.
        let bounds: UnsafeMutablePointer<Int>

        init() {
            capacity = 1024
            bytes = .allocate(capacity: capacity)
            bounds = .allocate(capacity: 2 * Slot.allCases.count)
            bounds.initialize(repeating: 0, count: 2 * Slot.allCases.count)
        }

        deinit {
            bytes.deallocate()
            bounds.deallocate()
        }

        /// Makes room for at least `needed` bytes, keeping the first `used`.
        func reserve(_ needed: Int, keeping used: Int) {
            guard needed > capacity else { return }
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(needed, capacity * 2))
            larger.update(from: bytes, count: used)
            bytes.deallocate()
            bytes = larger
            capacity = max(needed, capacity * 2)
        }
    }

    init(columnCount: Int) {
        slotsByColumn = Array(repeating: 0, count: columnCount)
    }

    mutating func assign(_ slot: Slot, _ column: Int?) {
        guard let column, column >= 0, column < slotsByColumn.count else { return }
        slotsByColumn[column] |= 1 << UInt16(slot.rawValue)
        mapped |= 1 << UInt16(slot.rawValue)
    }

    func isMapped(_ slot: Slot) -> Bool { mapped & (1 << UInt16(slot.rawValue)) != 0 }

    /// The bytes of `slot` in the record last loaded (valid until the next load).
    @inline(__always)
    func field(_ slot: Slot) -> UnsafeBufferPointer<UInt8> {
        let start = storage.bounds[2 * slot.rawValue], end = storage.bounds[2 * slot.rawValue + 1]
        return UnsafeBufferPointer(start: storage.bytes + start, count: end - start)
    }

    /// Copies record `row`'s mapped fields; a field the record lacks is empty.
    func load(_ batch: RecordBatch, row: Int) {
        let storage = self.storage
        let bounds = storage.bounds
        bounds.update(repeating: 0, count: 2 * Slot.allCases.count)
        var used = 0
        slotsByColumn.withUnsafeBufferPointer { table in
            batch.forEachField(row) { column, field in
                guard column < table.count else { return }
                var mask = table[column]
                guard mask != 0 else { return }
                let start = used
                if field.count > 0, let source = field.baseAddress {
                    storage.reserve(used + field.count, keeping: used)
                    (storage.bytes + used).update(from: source, count: field.count)
                    used += field.count
                }
                while mask != 0 {
                    let slot = mask.trailingZeroBitCount
                    bounds[2 * slot] = start
                    bounds[2 * slot + 1] = used
                    mask &= mask - 1
                }
            }
        }
    }
}
