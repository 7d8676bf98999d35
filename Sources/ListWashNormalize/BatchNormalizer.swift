#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ListWashCore
import Synchronization

/// The workspace of the normalize stage (internal): the normalizers, caches of results by raw
/// value, and scratch buffers. Used by one batch at a time (see ``WorkspacePool``), so never by
/// two threads at once; each cache starts over when it reaches its entry limit.
struct BatchNormalizer {
    /// Holds the normalizer so that each record reads it through one reference instead of
    /// copying the struct (and retaining every table in it).
    private final class Shared {
        let normalizer: Normalizer
        init(_ normalizer: Normalizer) { self.normalizer = normalizer }
    }

    /// Which of the optional outputs are worked out (the others stay empty).
    struct Output {
        /// `listwash_domain`: the website's domain, else the employer's domain from the email.
        var domain = true
        /// `listwash_flags`.
        var flags = true
    }

    private let shared: Shared
    private let output: Output
    private var websites = ByteCache<Boxed<(domain: String, invalid: Bool)>>()
    private var flagTexts = ByteCache<Boxed<String>>()
    /// First and last names, companies, places (state, country, ZIP and city) and email domains
    /// (employers' domains: tens of thousands that repeat all through a list) take many
    /// distinct values: one cache each for all workspaces, of their results as bytes (see
    /// ``CachedFields``).
    ///
    /// Their results do not depend on the stage's outputs, so every normalize stage over the
    /// same reference data shares them (see ``shared(for:)``): a run that normalizes a CRM
    /// export to match against, then its input, works each distinct value out once.
    final class SharedCaches: Sendable {
        let firstNames = SharedByteCache(limit: 1 << 17)
        let lastNames = SharedByteCache(limit: 1 << 19)
        let companies = SharedByteCache(limit: 1 << 19)
        let places = SharedByteCache(limit: 1 << 17)
        let emailDomains = SharedByteCache(limit: 1 << 18)
        /// What they were worked out with.
        private let data: ReferenceData

        private init(_ data: ReferenceData) {
            self.data = data
        }

        /// The caches made so far: one per reference data in use, kept for the process.
        private static let made = Mutex<[SharedCaches]>([])

        /// The caches for normalizers over `data`, made on first use.
        static func shared(for data: ReferenceData) -> SharedCaches {
            made.withLock { made in
                if let caches = made.first(where: { $0.data === data }) { return caches }
                let caches = SharedCaches(data)
                made.append(caches)
                return caches
            }
        }
    }

    /// Keeps the shared caches alive; the record loop reaches them through the unmanaged
    /// references below, so that it never touches their reference counts, which every core
    /// would otherwise update for every record (a cache line passed between the cores).
    private let caches: SharedCaches
    private let firstNames: Unmanaged<SharedByteCache>
    private let lastNames: Unmanaged<SharedByteCache>
    private let companies: Unmanaged<SharedByteCache>
    private let places: Unmanaged<SharedByteCache>
    private let emailDomains: Unmanaged<SharedByteCache>
    private var local: [UInt8] = []
    /// Scratch for a value built from pieces (an email address).
    private var text: [UInt8] = []
    private var noOrder: [NormalizationFlag] = []
    /// Per prefetch stage (three chunks of records in flight), the hashes of each record's
    /// keys (see ``prefetchSlots(_:rows:columns:stage:)``).
    private var hashes: [[UInt64]] = [[], [], []]
    /// Per prefetch stage, its records' place keys one after another, and where each ends:
    /// built once, for the prefetch and the lookup.
    private var placeKeys: [[UInt8]] = [[], [], []]
    private var placeKeyEnds: [[Int]] = [[], [], []]

    init(_ normalizer: Normalizer, output: Output = Output(), caches: SharedCaches) {
        shared = Shared(normalizer)
        self.output = output
        self.caches = caches
        firstNames = Unmanaged.passUnretained(caches.firstNames)
        lastNames = Unmanaged.passUnretained(caches.lastNames)
        companies = Unmanaged.passUnretained(caches.companies)
        places = Unmanaged.passUnretained(caches.places)
        emailDomains = Unmanaged.passUnretained(caches.emailDomains)
        local.reserveCapacity(128)
        text.reserveCapacity(256)
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Normalizes the record in `slots` and writes the stage's 16 output values to record `row`
    /// of `batch`, at `columns`. The record is number `position` of prefetch stage `stage`
    /// (see ``prefetchSlots(_:rows:columns:stage:)``), which built its place key.
    mutating func normalize(_ slots: FieldSlots, into batch: inout RecordBatch, row: Int, columns: [OutputLayout.Column],
                            stage: Int, position: Int) {
        let keys = placeKeys[stage], ends = placeKeyEnds[stage]
        let start = position == 0 ? 0 : ends[position - 1]
        keys.withUnsafeBufferPointer { keys in
            normalize(slots, placeKey: UnsafeBufferPointer(rebasing: keys[start..<ends[position]]), into: &batch, row: row, columns: columns)
        }
    }

    private mutating func normalize(
        _ slots: FieldSlots, placeKey: UnsafeBufferPointer<UInt8>,
        into batch: inout RecordBatch, row: Int, columns: [OutputLayout.Column]
    ) {
        let shared = self.shared, output = self.output
        var flags = FlagSet()

        // State, country, ZIP and city, as one key (built by the prefetch).
        places._withUnsafeGuaranteedRef { cache in
            cache.withValue(for: placeKey, { _, out in
                let place = shared.normalizer.placeAndPostal(
                    state: Self.string(slots.field(.state)), country: Self.string(slots.field(.country)),
                    zip: Self.string(slots.field(.zip)), city: Self.string(slots.field(.city)))
                CachedFields.encode(flags: place.flags.mask, [place.zip, place.city, place.state, place.country], into: &out)
            }) { cached in
                flags.formUnion(FlagSet(mask: CachedFields.flags(cached)))
                for index in 0..<4 { batch.setValue(row, columns[8 + index], CachedFields.field(index, of: 4, in: cached)) }
            }
        }

        // Names: each column's value from its shared cache, written as soon as it is read (its
        // bytes are valid only then). The last name comes first: a generational suffix at the
        // end of the first name ("John Jr") moves to the suffix column only when the last name
        // is empty or the first name is a surname ("Welandez, Jr.": the names swapped). A split of the full name (both columns empty), or of a first name of
        // several words without a last name ("Laura Heath"), overwrites the values written.
        typealias Traits = NameNormalizer.NamePart.Traits
        var first: Traits = [.isEmpty], last: Traits = [.isEmpty]
        var lastIsEmpty = true, lastHasSuffix = false
        if slots.isMapped(.lastName) {
            Self.withNamePart(slots.field(.lastName), role: .last, from: lastNames, shared: shared) { traits, name in
                last = traits
                let value = name.value, suffix = name.generation
                lastIsEmpty = value.isEmpty
                lastHasSuffix = !suffix.isEmpty
                batch.setValue(row, columns[1], value)
                batch.setValue(row, columns[2], suffix)
            }
        }
        if slots.isMapped(.firstName) {
            Self.withNamePart(slots.field(.firstName), role: .first, from: firstNames, shared: shared) { traits, name in
                first = traits
                batch.setValue(row, columns[16], name.title)
                batch.setValue(row, columns[17], name.middle)
                if lastIsEmpty || traits.contains(.isSuffixedSurname) {
                    batch.setValue(row, columns[0], name.unsuffixed)
                    if !lastHasSuffix { batch.setValue(row, columns[2], name.generation) }
                } else {
                    batch.setValue(row, columns[0], name.value)
                }
            }
        }
        let full = slots.field(.fullName), fullNameMapped = slots.isMapped(.fullName)
        if Self.splitsFullName(first, last, fullNameMapped: fullNameMapped) {
            // Both columns empty: the full name may be split; or the last name is empty and the
            // first name may be a whole name to split (the general path, rare), with the
            // columns' whole results worked out again.
            let names = shared.normalizer.names
            let first = slots.isMapped(.firstName) ? names.part(Self.string(slots.field(.firstName)), role: .first) : NameNormalizer.NamePart()
            let last = slots.isMapped(.lastName) ? names.part(Self.string(slots.field(.lastName)), role: .last) : NameNormalizer.NamePart()
            let name = shared.normalizer.names.combine(
                first, last, fullByteCount: full.count,
                fullText: { TextCleaning.cleaned(Self.string(full)) }, flags: &flags, order: &noOrder, recordsOrder: false)
            batch.setValue(row, columns[0], name.name.first)
            batch.setValue(row, columns[1], name.name.last)
            batch.setValue(row, columns[2], name.name.generationalSuffix)
            batch.setValue(row, columns[16], name.name.prefix)
            batch.setValue(row, columns[17], name.name.middle)
        } else {
            // What `combine` does when it does not split, without building the name and keys.
            if first.union(last).contains(.tooLong) || (fullNameMapped && full.count > TextCleaning.MaximumLength.name) {
                flags.insert(.nameInvalid)
            }
            NameNormalizer.columnFlags(first, last) { flags.insert($0) }
        }

        // The website's domain; without one, the employer's domain from the email is written.
        var domain = ""
        if slots.isMapped(.website) && output.domain {
            let site = websites.value(for: slots.field(.website)) { Boxed(shared.normalizer.websiteDomain(Self.string($0))) }.value
            domain = site.domain
            if site.invalid { flags.insert(.domainInvalid) }
        }
        var domainWritten = false

        // Email: the common plain address without strings, its domain's facts from the shared
        // cache (see `encodeDomain`).
        let rawEmail = slots.field(.email)
        switch EmailNormalizer.scanFast(rawEmail, local: &local) {
        case .plain(let at):
            let domainBytes = UnsafeBufferPointer(rebasing: rawEmail[(at + 1)...])
            emailDomains._withUnsafeGuaranteedRef { cache in
                cache.withValue(for: domainBytes, { written, out in
                    var facts = shared.normalizer.emails.domainFacts(written)
                    if facts.valid {
                        facts.employerDomain = shared.normalizer.employerDomain(
                            facts.domain, isFreemail: facts.isFreemail, isDisposable: facts.isDisposable) ?? ""
                    }
                    Self.encodeDomain(facts, into: &out)
                }) { cached in
                    let bits = CachedFields.field(0, of: 4, in: cached)
                    guard bits[0] & Self.validDomain != 0, local.count + 1 + domainBytes.count <= 254 else {
                        flags.insert(.emailInvalid)
                        return
                    }
                    flags.formUnion(FlagSet(mask: CachedFields.flags(cached)))
                    let tagSeparator = bits[1]
                    local.withUnsafeBufferPointer { localPart in
                        // The address, and its matching key (the same unless the domain has a mailbox
                        // rule), built in a scratch buffer and copied into the batch.
                        Self.address(localPart, CachedFields.field(1, of: 4, in: cached), into: &text)
                        text.withUnsafeBufferPointer { address in
                            batch.setValue(row, columns[3], address)
                            if tagSeparator == 0 { batch.setValue(row, columns[4], address) }
                        }
                        if tagSeparator != 0 {
                            Self.key(localPart, separator: tagSeparator, ignoresDots: bits[0] & Self.ignoresDots != 0,
                                     domain: CachedFields.field(2, of: 4, in: cached), into: &text)
                            text.withUnsafeBufferPointer { batch.setValue(row, columns[4], $0) }
                        }
                        if EmailNormalizer.isRoleAccount(bytes: localPart) { flags.insert(.emailRole) }
                    }
                    let employer = CachedFields.field(3, of: 4, in: cached)
                    if output.domain && domain.isEmpty && !employer.isEmpty {
                        batch.setValue(row, columns[14], employer)
                        flags.insert(.domainFromEmail)
                        domainWritten = true
                    }
                }
            }
        case .invalid:
            flags.insert(.emailInvalid)
        case .general:
            if !rawEmail.isEmpty {
                let result = shared.normalizer.emails.normalize(Self.string(rawEmail))
                flags.formUnion(FlagSet(result.flags))
                batch.setValue(row, columns[3], result.email)
                batch.setValue(row, columns[4], result.key)
                if !result.domain.isEmpty && output.domain && domain.isEmpty,
                   let employer = shared.normalizer.employerDomain(result.domain, isFreemail: result.isFreemail, isDisposable: result.isDisposable),
                   !employer.isEmpty
                {
                    batch.setValue(row, columns[14], employer)
                    flags.insert(.domainFromEmail)
                    domainWritten = true
                }
            }
        }

        // A generation the mailbox gives after the last name ("john.smithjr@"), when the names give none.
        if batch.withValue(row, columns[2], { $0.isEmpty }) {
            let generation = batch.withValue(row, columns[4]) { email in
                email.isEmpty ? "" : batch.withValue(row, columns[1]) { NameNormalizer.generation(inMailbox: email, lastName: $0) }
            }
            if !generation.isEmpty {
                batch.setValue(row, columns[2], generation)
                flags.insert(.suffixFromEmail)
            }
        }

        // Phone (or mobile when the phone is empty): unique per record, parsed from bytes.
        var rawPhone = slots.field(.phone)
        if rawPhone.isEmpty && slots.isMapped(.mobile) { rawPhone = slots.field(.mobile) }
        let phone = shared.normalizer.phones.normalize(utf8: rawPhone)
        flags.formUnion(FlagSet(phone.flags))

        if slots.isMapped(.company) {
            companies._withUnsafeGuaranteedRef { cache in
                cache.withValue(for: slots.field(.company), { raw, out in
                    let company = shared.normalizer.companies.normalize(Self.string(raw))
                    CachedFields.encode(flags: FlagSet(company.flags).mask, [company.name, company.key], into: &out)
                }) { cached in
                    flags.formUnion(FlagSet(mask: CachedFields.flags(cached)))
                    batch.setValue(row, columns[12], CachedFields.field(0, of: 2, in: cached))
                    batch.setValue(row, columns[13], CachedFields.field(1, of: 2, in: cached))
                }
            }
        }

        batch.setValue(row, columns[5], phone.e164)
        batch.setValue(row, columns[6], phone.phoneExtension)
        batch.setValue(row, columns[7], phone.region)
        if !domainWritten { batch.setValue(row, columns[14], domain) }
        if batch.isEncodingRepaired(row) { flags.insert(.encodingRepaired) }
        batch.setValue(row, columns[15], output.flags ? flagText(flags) : "")
    }

    /// Whether a name may be split (``NameNormalizer/combine(_:_:fullByteCount:fullText:flags:order:recordsOrder:)``
    /// decides): both name columns are empty and there is a full-name column; or the last
    /// name is empty (missing, blank or invalid) and the first name is more than one word
    /// ("Laura Heath"; "John Jr" too, which `combine` leaves unsplit).
    @inline(__always)
    private static func splitsFullName(_ first: NameNormalizer.NamePart.Traits, _ last: NameNormalizer.NamePart.Traits,
                                       fullNameMapped: Bool) -> Bool {
        if first.contains(.isEmpty) { return last.contains(.isEmpty) && fullNameMapped }
        return !last.isDisjoint(with: [.isEmpty, .invalid]) && !first.contains(.invalid) && !first.contains(.isOneWord)
    }

    /// Calls `body` with the traits and the cached result of the name column `raw` in role
    /// `role`, from `cache` (worked out the first time).
    @inline(__always)
    private static func withNamePart(
        _ raw: UnsafeBufferPointer<UInt8>, role: NameNormalizer.PartRole, from cache: Unmanaged<SharedByteCache>, shared: Shared,
        _ body: (NameNormalizer.NamePart.Traits, CachedName) -> Void
    ) {
        cache._withUnsafeGuaranteedRef { cache in
            cache.withValue(for: raw, { raw, out in
                let part = shared.normalizer.names.part(string(raw), role: role)
                let rest = part.value.utf8.dropFirst(part.unsuffixed.utf8.count)
                CachedFields.encode(
                    flags: part.traits.rawValue,
                    [Array(part.unsuffixed.utf8), Array(rest), Array(part.generation.utf8), Array(part.moved.utf8), Array(part.middle.utf8)],
                    into: &out)
            }) { cached in
                body(NameNormalizer.NamePart.Traits(rawValue: CachedFields.flags(cached)), CachedName(cached: cached))
            }
        }
    }

    /// A name column's result as its shared cache keeps it (``CachedFields``): the part's
    /// traits; then five fields: the value without a first name's trailing generational
    /// suffix (``NameNormalizer/NamePart/unsuffixed``), the rest of the value (that suffix, or
    /// nothing), the generational suffix in canonical form, the text moved out of the value
    /// (a first name's title, a last name's suffixes) and a first name's middle initial. The
    /// bytes are valid only in the lookup's closure.
    private struct CachedName {
        let cached: UnsafeBufferPointer<UInt8>
        /// The whole value (the first two fields).
        var value: UnsafeBufferPointer<UInt8> { CachedFields.fields(0..<2, of: 5, in: cached) }
        /// The value without a first name's trailing generational suffix.
        var unsuffixed: UnsafeBufferPointer<UInt8> { CachedFields.field(0, of: 5, in: cached) }
        /// The generational suffix in canonical form (`listwash_name_suffix`).
        var generation: UnsafeBufferPointer<UInt8> { CachedFields.field(2, of: 5, in: cached) }
        /// A first name's title, "Dr." (`listwash_salutation`).
        var title: UnsafeBufferPointer<UInt8> { CachedFields.field(3, of: 5, in: cached) }
        /// A first name's middle initial, "S." (`listwash_middle_name`).
        var middle: UnsafeBufferPointer<UInt8> { CachedFields.field(4, of: 5, in: cached) }
    }

    /// The source columns of the fields whose results the shared caches hold.
    struct CachedColumns {
        var firstName, lastName, company, email: Int?
        /// A place's fields.
        var state, country, zip, city: Int?

        /// The columns of `schema` that hold them.
        init(_ schema: Schema) {
            (firstName, lastName, company, email) = (schema.column(.firstName), schema.column(.lastName), schema.column(.company), schema.column(.email))
            (state, country, zip, city) = (schema.column(.state), schema.column(.country), schema.column(.zip), schema.column(.city))
        }
    }

    /// Hashes the keys of the first and last name, company, email domain (as a plain address has it:
    /// after its last `@`) and place of records `rows` of `batch` into prefetch stage `stage`
    /// (0-2), keeping the place keys for the lookups, and starts loading their shared caches'
    /// slots.
    mutating func prefetchSlots(_ batch: RecordBatch, rows: Range<Int>, columns: CachedColumns, stage: Int) {
        var hashes = self.hashes[stage], keys = placeKeys[stage], ends = placeKeyEnds[stage]
        (self.hashes[stage], placeKeys[stage], placeKeyEnds[stage]) = ([], [], [])
        hashes.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        batch.withFields { fields in
            func field(_ row: Int, _ column: Int?) -> UnsafeBufferPointer<UInt8> {
                guard let column else { return UnsafeBufferPointer(start: nil, count: 0) }
                return fields(row, column)
            }
            // Per record, one hash per cache, in the order of `prefetched(_:)`.
            for row in rows {
                hashes.append(SharedByteCache.hash(field(row, columns.firstName)))
                hashes.append(SharedByteCache.hash(field(row, columns.lastName)))
                hashes.append(SharedByteCache.hash(field(row, columns.company)))
                let email = field(row, columns.email)
                let at = email.lastIndex(of: UInt8(ascii: "@")) ?? email.count - 1
                hashes.append(SharedByteCache.hash(UnsafeBufferPointer(rebasing: email[(at + 1)...])))
                let start = keys.count
                Self.placeKey(state: field(row, columns.state), country: field(row, columns.country), zip: field(row, columns.zip),
                              city: field(row, columns.city), into: &keys)
                ends.append(keys.count)
                hashes.append(keys.withUnsafeBufferPointer { SharedByteCache.hash(UnsafeBufferPointer(rebasing: $0[start...])) })
            }
        }
        let caches = prefetched(columns)
        for (offset, (cache, used)) in caches.enumerated() where used {
            for index in stride(from: offset, to: hashes.count, by: caches.count) { cache.prefetchSlot(hashes[index]) }
        }
        (self.hashes[stage], placeKeys[stage], placeKeyEnds[stage]) = (hashes, keys, ends)
    }

    /// Starts loading the entries that the slots of prefetch stage `stage` name (loaded by
    /// now: ``prefetchSlots(_:rows:columns:stage:)`` ran a chunk earlier).
    func prefetchEntries(stage: Int, columns: CachedColumns) {
        let caches = prefetched(columns)
        hashes[stage].withUnsafeBufferPointer { hashes in
            for (offset, (cache, used)) in caches.enumerated() where used {
                for index in stride(from: offset, to: hashes.count, by: caches.count) { cache.prefetchEntry(hashes[index]) }
            }
        }
    }

    /// The shared caches a record's keys are hashed for, in order, and whether the batch has
    /// the field each one reads.
    private func prefetched(_ columns: CachedColumns) -> [(SharedByteCache, Bool)] {
        [(caches.firstNames, columns.firstName != nil), (caches.lastNames, columns.lastName != nil), (caches.companies, columns.company != nil), (caches.emailDomains, columns.email != nil),
         (caches.places, true)]
    }

    /// Appends the key of a place's cache entry to `key`: each field's length (four bytes),
    /// then its bytes.
    private static func placeKey(
        state: UnsafeBufferPointer<UInt8>, country: UnsafeBufferPointer<UInt8>, zip: UnsafeBufferPointer<UInt8>,
        city: UnsafeBufferPointer<UInt8>, into key: inout [UInt8]
    ) {
        // Room for the whole key first, then its pieces written in place (appending each
        // piece costs more than the bytes).
        let start = key.count
        key.append(contentsOf: repeatElement(0, count: 16 + state.count + country.count + zip.count + city.count))
        key.withUnsafeMutableBytes { raw in
            var offset = start
            func put(_ part: UnsafeBufferPointer<UInt8>) {
                raw.storeBytes(of: UInt32(truncatingIfNeeded: part.count).littleEndian, toByteOffset: offset, as: UInt32.self)
                offset += 4
                if let source = part.baseAddress, part.count > 0, let target = raw.baseAddress {
                    (target + offset).copyMemory(from: source, byteCount: part.count)
                }
                offset += part.count
            }
            put(state)
            put(country)
            put(zip)
            put(city)
        }
    }

    private mutating func flagText(_ flags: FlagSet) -> String {
        if flags.isEmpty { return "" }
        var mask = flags.mask
        return withUnsafeBytes(of: &mask) { raw in
            flagTexts.value(for: raw.bindMemory(to: UInt8.self)) { _ in Boxed(flags.text) }.value
        }
    }

    /// `local@domain`, in `out`.
    private static func address(_ local: UnsafeBufferPointer<UInt8>, _ domain: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: local)
        out.append(UInt8(ascii: "@"))
        out.append(contentsOf: domain)
    }

    /// ``EmailNormalizer/matchingKey(localPart:domain:)`` for a domain with a mailbox rule (its
    /// tag separator, whether it ignores dots, the domain keys use), in `out`.
    private static func key(
        _ local: UnsafeBufferPointer<UInt8>, separator: UInt8, ignoresDots: Bool, domain: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]
    ) {
        out.removeAll(keepingCapacity: true)
        var end = local.count
        if let tag = local.firstIndex(of: separator), tag != 0 { end = tag }
        for byte in local[0..<end] where !(ignoresDots && byte == UInt8(ascii: ".")) { out.append(byte) }
        out.append(UInt8(ascii: "@"))
        out.append(contentsOf: domain)
    }

    /// Bits of the first byte of a cached email domain (see ``encodeDomain(_:into:)``).
    private static let validDomain: UInt8 = 1, ignoresDots: UInt8 = 2

    /// An email domain's facts as its shared cache keeps them (``CachedFields``): the flags;
    /// then four fields: two bytes (``validDomain`` and ``ignoresDots`` bits, the tag separator
    /// or 0), the domain, the domain keys use, the employer's domain.
    private static func encodeDomain(_ facts: EmailNormalizer.DomainFacts, into out: inout [UInt8]) {
        let bits = (facts.valid ? validDomain : 0) | (facts.ignoresDots ? ignoresDots : 0)
        CachedFields.encode(
            flags: facts.flags.mask,
            [[bits, facts.tagSeparator], Array(facts.domain.utf8), Array(facts.keyDomain.utf8), Array(facts.employerDomain.utf8)],
            into: &out)
    }
}
