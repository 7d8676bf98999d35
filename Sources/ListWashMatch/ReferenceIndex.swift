#if canImport(Glibc)
import Glibc
#endif
import CListWashSystem
import Dispatch
import ListWashCore
import ListWashNormalize

/// A CRM export indexed for matching: contacts or leads (people), read once per run, normalized
/// like the input, with a blocking index for fast lookups.
///
/// ```swift
/// let contacts = try ReferenceIndex(path: "crm/contacts.csv", kind: .contact, model: .leadList)
/// // MatchStage looks rows up in it: `bestMatch(for:record:keys:)`
/// ```
public final class ReferenceIndex: @unchecked Sendable {
    /// What the export holds.
    public enum Kind: String, Sendable, Codable {
        case contact, lead
    }

    /// The export's path.
    public let path: String
    /// Contacts or leads.
    public let kind: Kind
    /// The model (its prior that of a random pair of an incoming row and a record).
    public private(set) var model: MatchModel
    /// The share of incoming rows that are records of the export, before their values are
    /// seen: the model's expected partners, or what ``setCustomerShare(_:)`` was told (a link
    /// learns it from its list).
    public private(set) var customerShare: Double
    /// The chance that an incoming row is none of the records, before its values are seen: one
    /// less ``customerShare``, or 1 when the model's prior is given as a pair's.
    var noneShare: Double { model.priorFromData ? 1 - customerShare : 1 }
    /// The records' comparison values; `labels` are the CRM ids.
    public private(set) var features: FeatureSet
    /// Each record's account id, when the export has an account id column.
    public private(set) var accountIDs: [String] = []
    /// Each record's owner and standing, when the export has such columns (``CRMStateColumns``);
    /// empty for the ledger's pending leads, whose states ``state(_:)`` works out one at a time.
    public private(set) var states: [CRMRecordState] = []
    /// The ledger's pending leads' owners and creating runs (their states, kept as the leads
    /// were read rather than built for a million leads, few of which any row matches).
    private var pendingStates: (owners: [String], runs: [String])?
    /// What updates and merges need of each record, as far as they were asked for (empty otherwise).
    public private(set) var facts: ExportFacts
    let scorer: PairScorer
    /// How often each name occurs among the records (for term-frequency adjustments).
    let frequencies: TermFrequencies
    private let evaluator: ComparisonEvaluator
    /// The records' values in plain memory for scoring.
    let store: FeatureStore
    /// Per blocking rule: the records by key.
    private var blocks: [KeyedBlocks] = []

    /// Reads, normalizes and indexes the export at `path`.
    ///
    /// - Parameter idColumn: the id column's header; `nil` recognizes "Id", "Contact ID" (contacts) or "Lead ID" (leads), "Record ID".
    /// - Throws: ``ListWashError`` (`.referenceData`) when the file cannot be read, has no id
    ///   column, or repeats an id.
    /// - Parameter facts: what to keep of each record for updates and merges (nothing by default).
    public convenience init(path: String, kind: Kind, idColumn: String? = nil, model: MatchModel, log: DiagnosticLog? = nil,
                            facts: ExportFacts.Request = ExportFacts.Request()) throws {
        try self.init(path: path, kind: kind, idColumn: idColumn, model: model, log: log, variants: PreparationCache(), facts: facts)
    }

    /// Reads, normalizes and indexes the export at `path`, with related-name lists from
    /// `variants` (shared with the stage that matches against it, which then finds most of
    /// its given names' lists there already).
    convenience init(path: String, kind: Kind, idColumn: String?, model: MatchModel, log: DiagnosticLog?, variants: PreparationCache,
                     facts request: ExportFacts.Request = ExportFacts.Request()) throws {
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path, log: log, kind: .referenceData)
        } catch let error as ListWashError {
            throw ListWashError(.referenceData, error.diagnostic.message, at: error.diagnostic.location)
        }
        let schema: Schema
        do {
            schema = try ColumnMapping().resolve(header: reader.header, source: path, log: log)
        } catch let error as ListWashError {
            throw ListWashError(.referenceData, error.diagnostic.message, at: error.diagnostic.location)
        }
        let idIndex = try Self.idColumn(idColumn, in: reader.header, path: path, spellings: Self.idSpellings(kind))
        let accountIndex = schema.column(.accountID)
        let stateColumns = CRMStateColumns(header: reader.header, kind: kind)
        // Only the columns the model reads are worked out.
        let normalize = NormalizeStage(reading: Set(model.columns))
        let layout = Pipeline([normalize]).layout
        // Normalize and extract features on all cores while the file is read; check ids and
        // merge in file order as the batches come back.
        let names = NameNormalizer()
        let noFacts = ExportFacts(header: reader.header, schema: schema, request: request)
        let loaded = Loaded(facts: noFacts)
        let keepsFacts = !request.isEmpty
        let label: (RecordBatch, Int) -> String = { batch, row in batch.id(row, column: idIndex) }
        let executor = BatchExecutor(pipeline: Pipeline([]), workers: ProcessorInfo.activeCores, digest: { [model] batch in
            var batch = batch
            try? normalize.process(&batch)
            var part = FeatureSet(model: model, variants: variants)
            part.add(batch, label: label, names: names)
            // What updates and merges keep of the open records, on all cores too.
            var facts = noFacts
            if keepsFacts { for row in 0..<batch.count where batch.isOpen(row) { facts.append(batch, row: row) } }
            return (batch, part, facts)
        }, deliver: { [kind] _, digest in
            guard let (batch, part, facts) = digest as? (RecordBatch, FeatureSet, ExportFacts) else { return }
            // `part` holds the open rows in order, with their ids as labels. Repeated ids are
            // found once the whole export is read (see `requireUniqueIDs`).
            for (record, row) in (0..<batch.count).filter(batch.isOpen).enumerated() {
                guard !part.labels[record].isEmpty else {
                    throw ListWashError(.referenceData, "record \(batch.rows[row]) has an empty id in column '\(reader.header[idIndex])'", at: SourceLocation(file: path, line: batch.lines[row], column: idIndex + 1))
                }
                loaded.lines.append(batch.lines[row])
                if let accountIndex { loaded.accountIDs.append(batch.value(row, column: accountIndex)) }
                if !stateColumns.isEmpty { loaded.states.append(stateColumns.state(batch, row: row, id: part.labels[record])) }
            }
            for row in 0..<batch.count where !batch.isOpen(row) {
                log?.warn("\(kind.rawValue) record \(batch.rows[row]) skipped: \(batch.reasons[row])", at: SourceLocation(file: path, line: batch.lines[row]))
            }
            loaded.parts.append(part)
            if keepsFacts { loaded.facts.append(contentsOf: facts) }
        })
        do {
            while let batch = try reader.nextBatch(schema: schema, layout: layout) { try executor.submit(batch) }
        } catch {
            try? executor.finish()
            throw error
        }
        try executor.finish()
        var features = FeatureSet(model: model, variants: variants)
        features.join(&loaded.parts)
        try Self.requireUniqueIDs(features.labels, lines: loaded.lines, file: path, column: idIndex + 1)
        let facts = loaded.facts
        if facts.unreadableDates > 0, let column = facts.modifiedColumn {
            log?.warn("\(facts.unreadableDates) record(s) have a last-modified date that is not a date (column '\(reader.header[column])'); their CRM values count as of unknown age: filled in, never overwritten", at: SourceLocation(file: path, line: facts.firstUnreadableLine, column: column + 1))
        }
        self.init(path: path, kind: kind, model: model, features: features, accountIDs: loaded.accountIDs, states: loaded.states, facts: facts, log: log)
    }

    /// Indexes the leads earlier runs created that the CRM export does not show yet: their
    /// values are normalized already (see ``PendingLeads``); each lead's state is its owner and
    /// creating run. `path` names the ledger in explanations; `frequencies`, when given, are the
    /// names' frequencies to adjust for (the leads export's: a larger sample of the same CRM).
    convenience init(pending: PendingLeads, path: String, model: MatchModel, variants: PreparationCache, frequencies: TermFrequencies? = nil) {
        self.init(pending: pending, lookup: Lookup(pending: pending, model: model, variants: variants), path: path, model: model, frequencies: frequencies)
    }

    /// Indexes the pending leads with their `lookup`, worked out already (perhaps while the
    /// exports were read).
    convenience init(pending: PendingLeads, lookup: Lookup, path: String, model: MatchModel, frequencies: TermFrequencies?) {
        let noFacts = ExportFacts(header: [], schema: Schema(source: path, columns: [], roles: [:]), request: .init())
        self.init(path: path, kind: .lead, model: model, lookup: lookup, accountIDs: [], states: [], facts: noFacts, log: nil, frequencies: frequencies)
        pendingStates = (pending.owners, pending.createdBy)
    }

    /// Records indexed for lookups, with all that does not depend on a model's m and u values
    /// or on the names' frequencies: their comparison values in plain memory, their blocking
    /// index, and the identifying values several of them share. (Immutable once built.)
    struct Lookup: @unchecked Sendable {
        let features: FeatureSet
        let evaluator: ComparisonEvaluator
        let store: FeatureStore
        let blocks: [KeyedBlocks]
        let shared: SharedValues

        /// Indexes `features` under `model`, with their blocking `keys` when they are known already.
        init(features: FeatureSet, model: MatchModel, keys knownKeys: [[UInt64]]? = nil) {
            self.features = features
            evaluator = ComparisonEvaluator(model: model, columns: features.columnNames)
            store = features.store(model: model)
            shared = SharedValues(model: model, features: features)
            let keys = knownKeys.map(BlockingKeys.init(keys:)) ?? BlockingKeys(model: model, features: features, store: store)
            // Each rule's records sorted by key, the rules on all cores.
            var indexed = [KeyedBlocks?](repeating: nil, count: keys.keys.count)
            indexed.withUnsafeMutableBufferPointer { buffer in
                let out = UncheckedSendable(buffer)
                DispatchQueue.concurrentPerform(iterations: keys.keys.count) { rule in
                    out.value[rule] = KeyedBlocks(keys: keys.keys[rule])
                }
            }
            blocks = indexed.compactMap { $0 }
        }

        /// Indexes pending leads: the values and keys their segments kept for `model`, else
        /// worked out again from their normalized columns.
        init(pending: PendingLeads, model: MatchModel, variants: PreparationCache) {
            if let (features, keys) = pending.prepared(for: model, variants: variants) {
                self.init(features: features, model: model, keys: keys)
                return
            }
            // A part per segment, on all cores, joined in order.
            let segments = pending.segmentRanges.map(\.range)
            var parts = [FeatureSet](repeating: FeatureSet(model: model, variants: variants), count: segments.count)
            parts.withUnsafeMutableBufferPointer { buffer in
                let out = UncheckedSendable(buffer)
                DispatchQueue.concurrentPerform(iterations: segments.count) { part in
                    out.value[part].add(pending, range: segments[part], names: NameNormalizer())
                }
            }
            var features = FeatureSet(model: model, variants: variants)
            features.join(&parts)
            self.init(features: features, model: model)
        }
    }

    /// Indexes `features` (the records of the export at `path`, labelled with their ids).
    private convenience init(path: String, kind: Kind, model: MatchModel, features: FeatureSet, accountIDs: [String], states: [CRMRecordState], facts: ExportFacts, log: DiagnosticLog?) {
        self.init(path: path, kind: kind, model: model, lookup: Lookup(features: features, model: model), accountIDs: accountIDs, states: states, facts: facts, log: log)
    }

    /// Indexes the records of `lookup`: the u values (when the model estimates them), the prior,
    /// the names' frequencies (`sharedFrequencies`, else counted here) and the scorer.
    private init(path: String, kind: Kind, model: MatchModel, lookup: Lookup, accountIDs: [String], states: [CRMRecordState], facts: ExportFacts, log: DiagnosticLog?,
                 frequencies sharedFrequencies: TermFrequencies? = nil) {
        self.path = path
        self.kind = kind
        var model = model
        self.accountIDs = accountIDs
        self.states = states
        self.facts = facts
        let features = lookup.features
        evaluator = lookup.evaluator
        store = lookup.store
        if model.estimateU {
            Training.estimateU(model: &model, features: store, evaluator: evaluator, sampleSize: 200_000)
        }
        // An incoming row may be any one of the export's people, or none of them.
        customerShare = Self.customerShare(model.expectedPartners)
        if model.priorFromData { model.prior = customerShare / Double(max(features.count, 1)) }
        if model.train {
            log?.warn("train: true applies to dedupe (EM over one list's own pairs); matching against \(path) uses the model's m values: learn them with `listwash train` and name the file with model:", at: SourceLocation(file: path))
        }
        self.model = model
        self.features = features
        frequencies = sharedFrequencies ?? TermFrequencies(model: model, sets: [features])
        scorer = PairScorer(model: model, evaluator: evaluator, features: features, frequencies: frequencies, shared: lookup.shared)
        blocks = lookup.blocks
    }

    /// The highest share of incoming rows the export may be said to hold: a row is always
    /// allowed to be somebody new.
    static let maximumCustomerShare = 0.95

    /// `share` kept between one in a million and ``maximumCustomerShare``.
    static func customerShare(_ share: Double) -> Double {
        min(max(share, 1e-6), maximumCustomerShare)
    }

    /// Scores incoming rows as if `share` of them were records of the export (see
    /// ``LinkStage``, which learns it from its list). Call before matching, not during it.
    func setCustomerShare(_ share: Double) {
        guard model.priorFromData else { return }
        customerShare = Self.customerShare(share)
        model.prior = customerShare / Double(max(features.count, 1))
        scorer.setPrior(model.prior)
    }

    /// Record `record`'s owner and standing (open and unowned when the export says nothing).
    func state(_ record: Int) -> CRMRecordState {
        if let pendingStates { return CRMRecordState(owner: pendingStates.owners[record], createdBy: pendingStates.runs[record]) }
        return states.isEmpty ? CRMRecordState() : states[record]
    }

    /// Record `record`'s account id ("" when the export has no account id column).
    func accountID(_ record: Int) -> String {
        accountIDs.isEmpty ? "" : accountIDs[record]
    }

    /// Throws for the first id (in file order) that an earlier record has too. The ids are
    /// grouped by hash, on all cores, so only ids of equal hash are compared.
    static func requireUniqueIDs(_ ids: [String], lines: [Int], file: String, column: Int) throws {
        var hashes = [UInt64](repeating: 0, count: ids.count)
        hashes.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedSendable(buffer)
            let chunk = 1 << 14
            DispatchQueue.concurrentPerform(iterations: (ids.count + chunk - 1) / chunk) { part in
                for index in (part * chunk)..<min(ids.count, (part + 1) * chunk) {
                    var id = ids[index]
                    // Never 0, which `KeySort` leaves out.
                    out.value[index] = id.withUTF8 { SharedByteCache.hash($0) } | 1
                }
            }
        }
        // The earliest record whose id an earlier record has, and that earlier record.
        var repeated: (record: Int, first: Int)?
        KeySort.indicesByKey(hashes).withUnsafeBufferPointer { order in
            hashes.withUnsafeBufferPointer { hashes in
                KeySort.forEachRun(order, keys: hashes) { run in
                    // Equal hashes, in record order: compare each with those before it.
                    for later in 1..<run.count {
                        let record = Int(run[later])
                        if let repeated, repeated.record < record { break }
                        if let first = run[0..<later].first(where: { ids[Int($0)] == ids[record] }) {
                            repeated = (record, Int(first))
                            break
                        }
                    }
                }
            }
        }
        if let repeated {
            throw ListWashError(.referenceData, "id '\(ids[repeated.record])' repeats (first on line \(lines[repeated.first])); ids in a CRM export must be unique",
                                at: SourceLocation(file: file, line: lines[repeated.record], column: column))
        }
    }

    /// The records whose key for `rule` is `key` (at most `maxBlockSize`; a larger block is cut).
    private func block(_ rule: Int, _ key: UInt64) -> ArraySlice<Int32> {
        blocks[rule].records(for: key, limit: model.maxBlockSize)
    }

    /// The id column of an export: `name` when the pipeline names one, else the first header
    /// among `spellings` (folded: "Contact ID" is `contactid`). A contacts export is never
    /// read by its "Account ID" column: each kind of export has its own spellings.
    static func idColumn(_ name: String?, in header: [String], path: String, spellings: [String]) throws -> Int {
        if let name {
            guard let index = header.firstIndex(of: name) ?? header.firstIndex(where: { FieldRole.foldHeader($0) == FieldRole.foldHeader(name) }) else {
                throw ListWashError(.referenceData, "no id column '\(name)' in \(path); its columns are: \(header.joined(separator: ", "))", at: SourceLocation(file: path, line: 1))
            }
            return index
        }
        for spelling in spellings {
            if let index = header.firstIndex(where: { FieldRole.foldHeader($0) == spelling }) { return index }
        }
        throw ListWashError(.referenceData, "no id column in \(path) (looked for \(spellings.joined(separator: ", "))); name it in the pipeline file: references: {contacts: {path: ..., id: \"<header>\"}}; its columns are: \(header.joined(separator: ", "))", at: SourceLocation(file: path, line: 1))
    }

    /// The folded id headers of each kind of export: "Id", "Contact ID", "Lead ID", "Record ID", ...
    static func idSpellings(_ kind: Kind) -> [String] {
        ["id", kind == .contact ? "contactid" : "leadid", "recordid", "personid"]
    }

    /// The best match for record `i` of `input` when the row is at least as likely as the
    /// review threshold to be one of the export's records: the reference record, the chance
    /// that the row is it (see ``Competition``). Of equally likely records, the
    /// first in the export.
    func bestMatch(for input: FeatureStore, record i: Int, keys: [UInt64]) -> (record: Int, probability: Double)? {
        guard let summary = competition(for: input, record: i, keys: keys), summary.anyProbability(noneShare: noneShare) >= model.reviewThreshold else { return nil }
        return (summary.record, summary.probability(noneShare: noneShare))
    }

    /// The log2 odds that record `i` of `input` is one of the export's records, against its
    /// being nobody, before the chance of nobody is weighed: the sum of its candidates' prior
    /// odds times Bayes factors (as far as they count, see ``competition(for:record:among:)``),
    /// `-infinity` when none does.
    func candidateLogOdds(for input: FeatureStore, record i: Int, keys: [UInt64]) -> Double {
        guard let summary = competition(for: input, record: i, keys: keys) else { return -.infinity }
        return summary.weight + log2(summary.rivals)
    }

    /// The best candidate of record `i` of `input` among the records that share one of its
    /// blocking `keys`, and its competitors.
    private func competition(for input: FeatureStore, record i: Int, keys: [UInt64]) -> Competition? {
        // The candidates in a buffer on the stack (a few hundred at most), sorted by insertion.
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(1, keys.count * model.maxBlockSize)) { buffer in
            var count = 0
            for (rule, key) in keys.enumerated() where key != 0 {
                for candidate in block(rule, key) {
                    var position = count
                    while position > 0, buffer[position - 1] > candidate {
                        buffer[position] = buffer[position - 1]
                        position -= 1
                    }
                    buffer[position] = candidate
                    count += 1
                }
            }
            // The candidates are scattered over the export: their loads all start at once
            // (where each record is, then the record), so the misses overlap.
            for position in 0..<count { store.prefetchStart(Int(buffer[position])) }
            for position in 0..<count { store.prefetch(Int(buffer[position])) }
            return competition(for: input, record: i, among: UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Starts loading what looking up `keys` (a record's blocking keys) reads: at `stage` 0
    /// the tables' entries, at stage 1 (a record later) the keys and records they point to.
    func prefetch(_ keys: [UInt64], stage: Int) {
        for (rule, key) in keys.enumerated() where key != 0 {
            if stage == 0 { blocks[rule].prefetchBucket(key) } else { blocks[rule].prefetchBlock(key) }
        }
    }

    /// How far below the best candidate's weight (bits) a competitor still counts: one
    /// 7 bits below changes the best one's probability by less than 1%.
    static let competitorMargin = 7.0

    /// The lowest weight a candidate counts with: ``competitorMargin`` below the weight at
    /// which it alone reaches the review threshold (the threshold's odds times ``noneShare``).
    var competitorFloor: Double {
        model.reviewCutoff + log2(noneShare) - Self.competitorMargin
    }

    /// The best candidate and what its competitors weigh.
    ///
    /// How the chance of a row is shared: the export holds each person once, so the row is one
    /// of its candidates or nobody, and candidates that look as likely share the chance (two
    /// equal contacts are a question for a reviewer, not a match). With `a` a candidate's prior
    /// odds times its Bayes factor, the best one's probability is
    /// `a_best / (noneShare + sum of a)` over the candidates within ``competitorMargin`` of it
    /// and not below ``competitorFloor``.
    struct Competition {
        /// The best candidate and its match weight (log2 of its prior odds times its Bayes factor).
        var record: Int, weight: Double
        /// The sum of 2^(weight - best weight) over the candidates that count, the best included.
        var rivals: Double

        /// The chance that the row is the best candidate, when it is nobody with `noneShare`.
        func probability(noneShare: Double) -> Double {
            1 / (noneShare * exp2(-weight) + rivals)
        }

        /// The chance that the row is one of the candidates: one of the export's records.
        func anyProbability(noneShare: Double) -> Double {
            rivals / (noneShare * exp2(-weight) + rivals)
        }
    }

    /// The best of `candidates` (sorted, repeats allowed) for record `i` of `input` and its
    /// competitors (see ``Competition``); of equally likely records, the first in the export.
    /// Candidates that cannot reach the review threshold even alone, less
    /// ``competitorMargin``, are cut short and do not count. Each record is scored once, in
    /// export order (memory is read forwards), those that several rules found first: they are
    /// the likely matches, and the best so far cuts the others short.
    private func competition(for input: FeatureStore, record i: Int, among candidates: UnsafeBufferPointer<Int32>) -> Competition? {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, candidates.count)) { weights in
            var kept = 0
            var best: (record: Int, weight: Double)?
            let floor = competitorFloor
            var cutoff = floor
            for foundOnce in [false, true] {
                var start = 0
                while start < candidates.count {
                    var end = start + 1
                    while end < candidates.count, candidates[end] == candidates[start] { end += 1 }
                    defer { start = end }
                    guard (end - start == 1) == foundOnce else { continue }
                    let j = Int(candidates[start])
                    // Term-frequency adjustments are the reference's (the right side of the pair).
                    guard let weight = scorer.weight(input, i, store, j, atLeast: cutoff) else { continue }
                    weights[kept] = weight
                    kept += 1
                    if let current = best, weight < current.weight || (weight == current.weight && j > current.record) { continue }
                    best = (j, weight)
                    cutoff = max(floor, weight - Self.competitorMargin - 1e-6)
                }
            }
            guard let best else { return nil }
            var rivals = 0.0
            // A kept candidate may weigh less than the cutoff it passed (its bound counts a
            // group's disagreements once): the rule is applied to the weights.
            let lowest = max(floor, best.weight - Self.competitorMargin) - 1e-9
            for position in 0..<kept where weights[position] >= lowest {
                rivals += exp2(weights[position] - best.weight)
            }
            return Competition(record: best.record, weight: best.weight, rivals: rivals)
        }
    }

    /// The blocking keys of every record of `input` under this index's model.
    public func keys(for input: FeatureSet) -> [[UInt64]] {
        keys(for: input, store: input.store(model: model))
    }

    /// The blocking keys of every record of `input`, read from its frozen copy `store`.
    func keys(for input: FeatureSet, store: FeatureStore) -> [[UInt64]] {
        let keys = BlockingKeys(model: model, features: input, store: store)
        return (0..<input.count).map { record in keys.keys.map { $0[record] } }
    }
}

/// What loading an export gathers, batch by batch, in file order (touched by one thread at a time).
private final class Loaded: @unchecked Sendable {
    /// Each batch's records.
    var parts: [FeatureSet] = []
    /// Each record's line.
    var lines: [Int] = []
    /// Each record's account id, when the export has an account id column.
    var accountIDs: [String] = []
    /// Each record's owner and standing, when the export has such columns.
    var states: [CRMRecordState] = []
    /// What updates and merges need of each record.
    var facts: ExportFacts

    init(facts: ExportFacts) {
        self.facts = facts
    }
}

extension RecordBatch {
    /// The id in field `column` of record `row`: the field without leading and trailing spaces.
    func id(_ row: Int, column: Int) -> String {
        withTrimmedField(row, column: column) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of field `column` of record `row`, without leading and
    /// trailing spaces.
    func withTrimmedField<T>(_ row: Int, column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try withField(row, column: column) { bytes in
            var start = 0, end = bytes.count
            while start < end, bytes[start] == UInt8(ascii: " ") { start += 1 }
            while end > start, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
            return try body(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
    }
}

/// One blocking rule's records grouped by key, for lookups by key: the records sorted by key,
/// and a table from each key's top bits to where its keys start, so that a lookup reads a few
/// cache lines rather than binary-searching a million keys.
struct KeyedBlocks: Sendable {
    private let records: [Int32]
    private let keys: [UInt64]
    /// Per value of a key's top `bits` bits: the position of the first key with those bits or
    /// higher (plus one final entry).
    private let starts: [Int32]
    private let bits: Int

    /// Groups the records (by index) whose key in `keys` is not 0.
    init(keys all: [UInt64]) {
        (records, keys) = KeySort.indicesAndKeys(all)
        // About two keys a bucket: a table of half as many entries as keys.
        var bits = 1
        while (2 << bits) < keys.count && bits < 24 { bits += 1 }
        self.bits = bits
        var starts = [Int32](repeating: 0, count: (1 << bits) + 1)
        var position = 0
        for bucket in 0..<(1 << bits) {
            starts[bucket] = Int32(position)
            while position < keys.count, Int(keys[position] >> UInt64(64 - bits)) == bucket { position += 1 }
        }
        starts[1 << bits] = Int32(keys.count)
        self.starts = starts
    }

    /// Starts loading the table entry of `key`'s bucket (for a lookup a few records ahead).
    func prefetchBucket(_ key: UInt64) {
        starts.withUnsafeBufferPointer { listwash_prefetch($0.baseAddress.map { $0 + Int(key >> UInt64(64 - bits)) }) }
    }

    /// Starts loading the first keys and records of `key`'s bucket (whose table entry
    /// ``prefetchBucket(_:)`` loaded a record earlier).
    func prefetchBlock(_ key: UInt64) {
        let start = Int(starts[Int(key >> UInt64(64 - bits))])
        guard start < keys.count else { return }
        keys.withUnsafeBufferPointer { listwash_prefetch($0.baseAddress.map { $0 + start }) }
        records.withUnsafeBufferPointer { listwash_prefetch($0.baseAddress.map { $0 + start }) }
    }

    /// The records with `key`, the first `limit` of them.
    func records(for key: UInt64, limit: Int) -> ArraySlice<Int32> {
        let bucket = Int(key >> UInt64(64 - bits))
        // Binary search within the bucket: one large block must not make the others slow.
        var low = Int(starts[bucket]), upper = Int(starts[bucket + 1])
        let high = upper
        while low < upper {
            let middle = (low + upper) / 2
            if keys[middle] < key { low = middle + 1 } else { upper = middle }
        }
        var end = low
        while end < high, keys[end] == key, end - low < limit { end += 1 }
        return records[low..<end]
    }
}
