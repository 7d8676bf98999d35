import Dispatch

/// Values of an identifying field (an email address, a phone number) that several different
/// people give: a switchboard, a household landline, a role or family mailbox, a placeholder
/// such as none@none.com. Agreeing on such a value says nothing about whether two records are
/// one person, so it weighs nothing (see ``Comparison/sharedValues``). Learned from the data:
/// a value is shared when at least ``threshold`` distinct names give it.
struct SharedValues: Sendable {
    /// The fewest distinct names that make a value shared.
    static let threshold = 3
    /// The most distinct names counted per value.
    static let cap = 255

    /// Per comparison (by index): per record of the counted set, how many distinct names give
    /// its value (0 for an empty value; capped at ``cap``); empty for other comparisons.
    private let names: [[UInt8]]

    /// Counts, for each comparison with ``Comparison/sharedValues``, the distinct names (first
    /// name with nicknames folded, and last name as it sounds) behind each value of `features`, one
    /// comparison per core. The records are sorted by value (``KeySort``), so that each value's
    /// records are counted together, reading memory in order rather than probing hash tables.
    init(model: MatchModel, features: FeatureSet) {
        let counted = model.comparisons.indices.filter { model.comparisons[$0].sharedValues == true && features.column(model.comparisons[$0].column) != nil }
        let person = Self.nameHashes(model: model, features: features)
        var tables = [[UInt8]](repeating: [], count: counted.count)
        tables.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: counted.count) { index in
                guard let column = features.column(model.comparisons[counted[index]].column), let person else { return }
                let values = (0..<features.count).map { column.groupingHash($0) }
                // A placeholder address is given by anyone, however few give it here (the
                // addresses are read in order: memory is read forwards).
                let isPlaceholder = model.comparisons[counted[index]].method == .email
                    ? (0..<features.count).map { values[$0] != 0 && column.withValue($0, Self.isPlaceholderEmail) } : nil
                var table = [UInt8](repeating: 0, count: features.count)
                let order = KeySort.indicesByKey(values)
                order.withUnsafeBufferPointer { order in
                    values.withUnsafeBufferPointer { values in
                        KeySort.forEachRun(order, keys: values) { run in
                            let names = UInt8(Self.distinctNames(run, person))
                            for record in run { table[Int(record)] = isPlaceholder?[Int(record)] == true ? UInt8(Self.cap) : names }
                        }
                    }
                }
                out.value[index] = table
            }
        }
        var names = [[UInt8]](repeating: [], count: model.comparisons.count)
        for (index, k) in counted.enumerated() { names[k] = tables[index] }
        self.names = names
    }

    /// Counts worked out elsewhere: per comparison, per record of a set, how many distinct
    /// names give its value (see ``ListStatistics``).
    init(names: [[UInt8]]) {
        self.names = names
    }

    /// Local parts and domains that stand for "no address" (`none@none.com`, `test@test.com`,
    /// `noemail@example.com`): the frequency rule finds them in large lists, these in any list.
    static let placeholderLocalParts: Set<String> = [
        "none", "noemail", "no", "na", "n/a", "test", "null", "unknown", "nobody", "noreply", "no-reply", "donotreply",
        "dontemail", "x", "xx", "xxx", "asdf", "abc", "noname", "nomail", "fake", "dummy", "email",
    ]
    static let placeholderDomains: Set<String> = [
        "none.com", "noemail.com", "example.com", "example.org", "example.net", "test.com", "na.com", "no.com", "nomail.com",
        "domain.com", "unknown.com", "fake.com", "null.com", "noreply.com",
    ]

    /// The placeholders' hashes (``FeatureHash``), so that checking an address builds no string.
    private static let placeholderLocalHashes = Set(placeholderLocalParts.map(hash))
    private static let placeholderDomainHashes = Set(placeholderDomains.map(hash))
    /// The longest placeholder local part and domain, in bytes: a longer one is hashed for nothing.
    private static let longestLocalPart = placeholderLocalParts.map(\.utf8.count).max() ?? 0
    private static let longestDomain = placeholderDomains.map(\.utf8.count).max() ?? 0

    private static func hash(_ text: String) -> UInt64 {
        Array(text.utf8).withUnsafeBufferPointer { FeatureHash.of($0) }
    }

    /// Whether an email key (`local@domain`) is a placeholder.
    static func isPlaceholderEmail(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let at = key.firstIndex(of: UInt8(ascii: "@")) else { return false }
        let local = UnsafeBufferPointer(rebasing: key[..<at]), domain = UnsafeBufferPointer(rebasing: key[(at + 1)...])
        return local.count <= longestLocalPart && placeholderLocalHashes.contains(FeatureHash.of(local))
            || domain.count <= longestDomain && placeholderDomainHashes.contains(FeatureHash.of(domain))
    }

    /// How many distinct names give record `record`'s value of comparison `k` (0 when the
    /// comparison does not count them).
    @inline(__always)
    func names(_ k: Int, record: Int) -> Int {
        names[k].isEmpty ? 0 : Int(names[k][record])
    }

    /// Whether record `record`'s value of comparison `k` is shared by several people.
    @inline(__always)
    func isShared(_ k: Int, record: Int) -> Bool {
        names(k, record: record) >= Self.threshold
    }

    /// How many distinct names (non-zero hashes of `person`) the records of `run` give, at
    /// most ``cap``.
    private static func distinctNames(_ run: UnsafeBufferPointer<Int32>, _ person: [UInt64]) -> Int {
        // A value a few records give (nearly all): each name compared with those before it.
        if run.count <= 16 {
            var count = 0
            for (position, record) in run.enumerated() {
                let name = person[Int(record)]
                if name != 0, !run[..<position].contains(where: { person[Int($0)] == name }) { count += 1 }
            }
            return count
        }
        var names = Set<UInt64>()
        for record in run where person[Int(record)] != 0 {
            names.insert(person[Int(record)])
            if names.count == cap { break }
        }
        return names.count
    }

    /// Each record's person as far as names tell: its first name comparison's column with
    /// nicknames folded (Bob, Bobby and Robert are one name) and that comparison's swap column
    /// (the last name) by its Double Metaphone code (Salazar and a typo Salzaar are one name),
    /// hashed; 0 when both are empty. `nil` when the model compares no given
    /// names.
    private static func nameHashes(model: MatchModel, features: FeatureSet) -> [UInt64]? {
        guard let first = model.comparisons.first(where: { $0.method == .name }) else { return nil }
        let given = features.column(first.column), family = first.swapColumn.flatMap { features.column($0) }
        var cache = HashedKeyMap<UInt64>(capacity: 1 << 12, filler: 0)
        return (0..<features.count).map { record in
            let a = given?.withValue(record) { BlockingKeys.key($0, .nickname, cache: &cache) } ?? 0
            let b = family?.withValue(record) { BlockingKeys.key($0, .metaphone, cache: &cache) } ?? 0
            return a == 0 && b == 0 ? 0 : a &* 31 ^ (b &+ 0x2545_F491_4F6C_DD1D)
        }
    }
}
