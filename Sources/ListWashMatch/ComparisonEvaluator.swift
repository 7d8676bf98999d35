#if canImport(Glibc)
import Glibc
#endif
import ListWashNormalize

/// Computes the level two records reach on each comparison of a model.
///
/// Level 0 is "null" (a value missing on either side); level `k` (1-based) is the comparison's
/// `levels[k - 1]`. Everything the hot loop reads is plain memory: no reference counting per pair.
final class ComparisonEvaluator: @unchecked Sendable {
    /// A comparison reduced to what the loop needs.
    struct Compiled {
        let method: ComparisonMethod
        let column: Int
        /// The swap column, or -1.
        let swapColumn: Int
        /// The business-domain column (emails), or -1.
        let detailColumn: Int
        let thresholdCount: Int
        let t0: Double, t1: Double, t2: Double, t3: Double
        /// For a value on one side only (see ``Comparison/oneSidedUnlessSame``): the level it
        /// reaches (the last), or 0 (null); and the columns whose equal values make it null.
        let oneSidedLevel: Int, unless0: Int, unless1: Int

        @inline(__always)
        func threshold(_ index: Int) -> Double {
            switch index {
            case 0: t0
            case 1: t1
            case 2: t2
            default: t3
            }
        }
    }

    let compiled: UnsafeMutableBufferPointer<Compiled>
    let count: Int

    init(model: MatchModel, columns: [String]) {
        count = model.comparisons.count
        compiled = .allocate(capacity: max(count, 1))
        for (k, comparison) in model.comparisons.enumerated() {
            let t = comparison.thresholds + [0, 0, 0, 0]
            compiled[k] = Compiled(
                method: comparison.method,
                column: columns.firstIndex(of: comparison.column) ?? 0,
                swapColumn: comparison.swapColumn.flatMap { columns.firstIndex(of: $0) } ?? -1,
                detailColumn: comparison.detailColumn.flatMap { columns.firstIndex(of: $0) } ?? -1,
                thresholdCount: min(comparison.thresholds.count, 4),
                t0: t[0], t1: t[1], t2: t[2], t3: t[3],
                oneSidedLevel: comparison.oneSidedUnlessSame == nil ? 0 : comparison.levels.count,
                unless0: comparison.oneSidedUnlessSame?.first.flatMap { columns.firstIndex(of: $0) } ?? -1,
                unless1: comparison.oneSidedUnlessSame?.dropFirst().first.flatMap { columns.firstIndex(of: $0) } ?? -1)
        }
    }

    deinit {
        compiled.deallocate()
    }

    /// The comparison-level pattern of records `i` of `left` and `j` of `right`: 4 bits per
    /// comparison. Given `requirements`, the required (and then sufficient) comparisons go
    /// first, and a pair that fails them gets only the levels that decided so.
    @inline(__always)
    func pattern(_ left: FeatureStore, _ i: Int, _ right: FeatureStore, _ j: Int, stoppingAt requirements: Requirements? = nil) -> UInt64 {
        var pattern: UInt64 = 0
        var done: UInt64 = 0
        if let requirements, !requirements.required.isEmpty {
            // Required comparisons one at a time: the first that disagrees outright decides,
            // unless a sufficient one agrees (the rest of a failing pair is never looked at).
            for requirement in requirements.required {
                let k = requirement.comparison
                guard done & (1 << UInt64(k)) == 0 else { continue }
                let found = UInt64(level(k, left, i, right, j))
                pattern |= found << UInt64(4 * k)
                done |= 1 << UInt64(k)
                guard found == requirement.elseLevel else { continue }
                for k in requirements.sufficient where done & (1 << UInt64(k)) == 0 {
                    pattern |= UInt64(level(k, left, i, right, j)) << UInt64(4 * k)
                    done |= 1 << UInt64(k)
                }
                if requirements.fails(pattern) { return pattern }
            }
        }
        for k in 0..<count where done & (1 << UInt64(k)) == 0 {
            pattern |= UInt64(level(k, left, i, right, j)) << UInt64(4 * k)
        }
        return pattern
    }

    /// The comparisons in the order a pair that may be cut short takes them: the cheap ones
    /// (exact bytes, codes, numbers) first, string similarities after, word sets last.
    var cheapestFirst: [Int] {
        (0..<count).sorted { a, b in
            let (x, y) = (Self.cost(compiled[a].method), Self.cost(compiled[b].method))
            return x != y ? x < y : a < b
        }
    }

    private static func cost(_ method: ComparisonMethod) -> Int {
        switch method {
        case .exact, .postcode, .phone, .email, .date, .numeric: 0
        case .levenshtein: 1
        case .jaroWinkler, .name: 2
        case .tokenSet, .jobTitle: 3
        }
    }

    /// The level of comparison `k` for records `i` of `left` and `j` of `right`.
    @inline(__always)
    func level(_ k: Int, _ left: FeatureStore, _ i: Int, _ right: FeatureStore, _ j: Int) -> Int {
        let c = compiled[k]
        let x = left.value(c.column, i), y = right.value(c.column, j)
        if x.isEmpty || y.isEmpty {
            guard x.isEmpty != y.isEmpty else { return 0 }
            if c.method == .email, c.detailColumn >= 0 {
                return numbered(x, c.detailColumn, left, i) || numbered(y, c.detailColumn, right, j) ? Self.numberedMailboxLevel : 0
            }
            guard c.oneSidedLevel > 0 else { return 0 }
            // "Jr." on one side only: one person only when a mailbox or phone of theirs is the same.
            func same(_ column: Int) -> Bool {
                guard column >= 0 else { return false }
                let a = left.value(column, i)
                return !a.isEmpty && Metrics.equal(a, right.value(column, j))
            }
            return same(c.unless0) || same(c.unless1) ? 0 : c.oneSidedLevel
        }
        return levelOf(k, c, x, y, left: left, i: i, right: right, j: j)
    }

    @inline(__always)
    private func levelOf(_ k: Int, _ c: Compiled, _ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>,
                         left: FeatureStore, i: Int, right: FeatureStore, j: Int) -> Int {
        let exact = Metrics.equal(x, y)
        switch c.method {
        case .exact:
            return exact ? 1 : 2
        case .jaroWinkler:
            if exact { return 1 }
            var level = 2
            if c.swapColumn >= 0 {
                if crossed(x, y, c.swapColumn, left: left, i: i, right: right, j: j) { return level }
                level += 1
            }
            let similarity = Metrics.jaroWinkler(x, y)
            if c.thresholdCount > 0, similarity >= c.threshold(0) { return level }
            // One part of a compound name ("Walsh" of "Greer-Walsh", "Green" of "Green-Garcia") is
            // as close as a small typo, however far the whole is.
            if c.thresholdCount > 0, Metrics.isPart(x, of: y) || Metrics.isPart(y, of: x) { return level }
            for index in 0..<c.thresholdCount where similarity >= c.threshold(index) { return level + index }
            // Swapped, with a typo or a nickname on the way ("Meschizuan Katia", "Katia Meschizuman").
            if c.swapColumn >= 0, nearlyCrossed(x, y, c.swapColumn, left: left, i: i, right: right, j: j) { return 2 }
            return level + c.thresholdCount
        case .levenshtein:
            if exact { return 1 }
            let limit = Int(c.threshold(max(c.thresholdCount - 1, 0)))
            let distance = Metrics.levenshtein(x, y, maximum: limit)
            for index in 0..<c.thresholdCount where distance <= Int(c.threshold(index)) { return 2 + index }
            return 2 + c.thresholdCount
        case .name:
            if exact { return 1 }
            var level = 2
            if c.swapColumn >= 0 {
                if crossed(x, y, c.swapColumn, left: left, i: i, right: right, j: j) { return level }
                level += 1
            }
            if left.hasNameList(k), right.hasNameList(k), left.nameSignature(k, i) & right.nameSignature(k, j) != 0,
               Metrics.shareToken(left.nameList(k, i), right.nameList(k, j)) {
                return level
            }
            level += 1
            // Mario and Maria, Paul and Paula are two names, not a typo of one.
            if !Metrics.areGenderedForms(x, y) {
                let similarity = Metrics.jaroWinkler(x, y)
                for index in 0..<c.thresholdCount where similarity >= c.threshold(index) { return level + index }
            }
            level += c.thresholdCount
            if (Metrics.isInitial(x) || Metrics.isInitial(y)) && x[0] == y[0] { return level }
            if c.swapColumn >= 0, nearlyCrossed(x, y, c.swapColumn, left: left, i: i, right: right, j: j) { return 2 }
            return level + 1
        case .email:
            if exact { return 1 }
            let localX = Metrics.end(of: x, at: UInt8(ascii: "@")), localY = Metrics.end(of: y, at: UInt8(ascii: "@"))
            // A plus tag is the same mailbox: bob.smith+events@ is bob.smith@.
            let baseX = Metrics.end(of: UnsafeBufferPointer(rebasing: x[0..<localX]), at: UInt8(ascii: "+"))
            let baseY = Metrics.end(of: UnsafeBufferPointer(rebasing: y[0..<localY]), at: UInt8(ascii: "+"))
            if baseX > 0, baseX == baseY, baseX < localX || baseY < localY, Metrics.equal(x[0..<baseX], y[0..<baseY]),
               Metrics.equal(x[localX...], y[localY...]) { return 1 }
            if localX > 0, localX == localY, Metrics.equal(x[0..<localX], y[0..<localY]) { return 2 }
            // Two personal mailboxes at one business domain (the record's domain is its
            // email's; a role mailbox such as info@ is nobody's own): mario.lopez@ and
            // maria.lopez@ at one employer are two people. Only two letters swapped
            // (john.smiht@) are read as a typo there.
            if c.detailColumn >= 0, !Metrics.isTransposition(x, y) {
                let domain = left.value(c.detailColumn, i)
                if !domain.isEmpty, Metrics.equal(domain, right.value(c.detailColumn, j)),
                   Metrics.endsWith(x, domain), Metrics.endsWith(y, domain),
                   !EmailNormalizer.isRoleAccount(bytes: UnsafeBufferPointer(rebasing: x[0..<localX])),
                   !EmailNormalizer.isRoleAccount(bytes: UnsafeBufferPointer(rebasing: y[0..<localY])) { return 4 }
            }
            // A typo, unless the mailboxes differ in their first letter or only in digits
            // (john.smith2@ is another John Smith's mailbox).
            if x[0] == y[0], Metrics.levenshtein(x, y, maximum: 2) <= 2, !Metrics.equalIgnoringDigits(x, y) { return 3 }
            guard c.detailColumn >= 0 else { return 4 }
            return numbered(x, c.detailColumn, left, i) || numbered(y, c.detailColumn, right, j) ? Self.numberedMailboxLevel : 6
        case .phone:
            if c.detailColumn >= 0 {
                // One number, two extensions: two lines of a switchboard.
                let extensionX = left.value(c.detailColumn, i), extensionY = right.value(c.detailColumn, j)
                if !extensionX.isEmpty, !extensionY.isEmpty, !Metrics.equal(extensionX, extensionY),
                   x.count >= 7, y.count >= 7, Metrics.equal(x[(x.count - 7)...], y[(y.count - 7)...]) { return 4 }
            }
            if exact { return 1 }
            if x.count >= 7, y.count >= 7, Metrics.equal(x[(x.count - 7)...], y[(y.count - 7)...]) { return 2 }
            if Metrics.levenshtein(x, y, maximum: 1) <= 1 { return 3 }
            return c.detailColumn >= 0 ? 5 : 4
        case .date:
            if exact { return 1 }
            if x.count == 8, y.count == 8, Metrics.equal(x[0..<4], y[0..<4]), Metrics.equal(x[4..<6], y[6..<8]), Metrics.equal(x[6..<8], y[4..<6]) { return 2 }
            if Metrics.levenshtein(x, y, maximum: 1) <= 1 { return 3 }
            if x.count == 8, y.count == 8, Metrics.equal(x[4..<8], y[4..<8]), let yearX = Metrics.number(x[0..<4]), let yearY = Metrics.number(y[0..<4]), abs(yearX - yearY) == 1 { return 4 }
            return 5
        case .numeric:
            if exact { return 1 }
            guard let p = Metrics.decimal(x), let q = Metrics.decimal(y) else { return 3 }
            let scale = max(abs(p), abs(q))
            return scale > 0 && abs(p - q) / scale <= (c.thresholdCount > 0 ? c.t0 : 0.05) ? 2 : 3
        case .jobTitle:
            if exact { return 1 }
            let overlap = Metrics.wordJaccard(x, y)
            return overlap >= 1 ? 2 : overlap >= (c.thresholdCount > 0 ? c.t0 : 0.5) ? 3 : 4
        case .tokenSet:
            if exact { return 1 }
            if Metrics.jaroWinkler(x, y) >= (c.thresholdCount > 0 ? c.t0 : 0.9) { return 2 }
            return Metrics.wordJaccard(x, y) >= (c.thresholdCount > 1 ? c.t1 : 0.5) ? 3 : 4
        case .postcode:
            if exact { return 1 }
            // ZIP+4 and ZIP agree on their ZIP (the part before a dash).
            let (short, long) = x.count <= y.count ? (x, y) : (y, x)
            if long.count > short.count, long[short.count] == UInt8(ascii: "-"), Metrics.equal(short[...], long[0..<short.count]) { return 1 }
            let dashX = Metrics.end(of: x, at: UInt8(ascii: "-")), dashY = Metrics.end(of: y, at: UInt8(ascii: "-"))
            if dashX == dashY, dashX < x.count || dashY < y.count, Metrics.equal(x[0..<dashX], y[0..<dashY]) { return 1 }
            if Metrics.levenshtein(UnsafeBufferPointer(rebasing: x[0..<dashX]), UnsafeBufferPointer(rebasing: y[0..<dashY]), maximum: 1) <= 1 { return 2 }
            // A nearby code: the same area (a ZIP-3) when the first characters agree.
            for index in 0..<c.thresholdCount {
                let length = Int(c.threshold(index))
                if length > 0, dashX >= length, dashY >= length, Metrics.equal(x[0..<length], y[0..<length]) { return 3 + index }
            }
            return 3 + c.thresholdCount
        }
    }
}

extension ComparisonEvaluator {
    /// The email level "numbered mailbox, not shared" (see ``ComparisonMethod/numberedMailbox``).
    static let numberedMailboxLevel = 5

    /// Whether `email`, a record's email matching key, is a numbered personal mailbox at the
    /// record's business domain, read in column `detail` (john.smith2@acme.com; not info2@, not
    /// a free-mail address).
    @inline(__always)
    func numbered(_ email: UnsafeBufferPointer<UInt8>, _ detail: Int, _ store: FeatureStore, _ record: Int) -> Bool {
        guard !email.isEmpty else { return false }
        let domain = store.value(detail, record)
        guard !domain.isEmpty, Metrics.endsWith(email, domain) else { return false }
        let local = UnsafeBufferPointer(rebasing: email[0..<Metrics.end(of: email, at: UInt8(ascii: "@"))])
        guard let name = Metrics.numberedName(local) else { return false }
        return !EmailNormalizer.isRoleAccount(bytes: name)
    }

    /// Whether first and last names are swapped with a small difference on the way: each value
    /// is close (Jaro-Winkler at least ``nearlyCrossedSimilarity``) to the other record's value
    /// of the swap column, or one name crosses exactly and the other is the same given name
    /// as a nickname or an initial ("Joe Barker" and "Barker Joseph", "P Gilbert" and "Gilbert
    /// Peter"). Asked only of pairs no other level fits.
    func nearlyCrossed(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>, _ swap: Int,
                       left: FeatureStore, i: Int, right: FeatureStore, j: Int) -> Bool {
        let leftSwap = left.value(swap, i), rightSwap = right.value(swap, j)
        guard !leftSwap.isEmpty, !rightSwap.isEmpty else { return false }
        if !Metrics.isInitial(y), Metrics.equal(y, leftSwap) { return Metrics.sameGivenName(x, rightSwap, names: Self.names) }
        if !Metrics.isInitial(x), Metrics.equal(x, rightSwap) { return Metrics.sameGivenName(y, leftSwap, names: Self.names) }
        guard x.count > 1, y.count > 1, leftSwap.count > 1, rightSwap.count > 1 else { return false }
        return Metrics.jaroWinkler(x, rightSwap) >= Self.nearlyCrossedSimilarity && Metrics.jaroWinkler(y, leftSwap) >= Self.nearlyCrossedSimilarity
    }

    /// The nickname table ``nearlyCrossed(_:_:_:left:i:right:j:)`` reads (the blocking keys' one).
    static var names: NameNormalizer { BlockingKeys.names }

    /// How close each swapped value must be for ``nearlyCrossed(_:_:_:left:i:right:j:)``.
    static let nearlyCrossedSimilarity = 0.9

    /// Whether this record's value is the other's `swap` column and the other way round (first
    /// and last names swapped).
    @inline(__always)
    func crossed(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>, _ swap: Int,
                 left: FeatureStore, i: Int, right: FeatureStore, j: Int) -> Bool {
        Metrics.equal(y, left.value(swap, i)) && Metrics.equal(x, right.value(swap, j))
    }
}

/// The string metrics the evaluator calls, on prepared (ASCII) bytes, without allocating.
enum Metrics {
    /// The index of the first `byte` in `bytes`, or `bytes.count` when there is none: where the
    /// part before it ends (an email's local part, a ZIP before its dash).
    @inline(__always)
    static func end(of bytes: UnsafeBufferPointer<UInt8>, at byte: UInt8) -> Int {
        guard let base = bytes.baseAddress, let found = memchr(base, Int32(byte), bytes.count) else { return bytes.count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    @inline(__always)
    static func jaroWinkler(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        Similarity.jaroWinkler(a, b)
    }

    /// Levenshtein distance, or `maximum + 1` once it is known to exceed `maximum`.
    @inline(__always)
    static func levenshtein(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, maximum: Int) -> Int {
        if abs(a.count - b.count) > maximum { return maximum + 1 }
        return Similarity.levenshtein(a, b, maximum: maximum) ?? maximum + 1
    }

    /// Whether two `|a|b|` lists share a name. Both lists are sorted (see
    /// ``FeatureSet/variantList(_:names:)``), so one walk through both decides.
    static func shareToken(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count > 2, b.count > 2 else { return false }
        var x = TokenCursor(a), y = TokenCursor(b)
        while let left = x.token, let right = y.token {
            let order = compare(left, right)
            if order == 0 { return true }
            if order < 0 { x.advance() } else { y.advance() }
        }
        return false
    }

    /// A 64-bit summary of a `|a|b|` list: one bit per name, chosen by its hash. Two lists that
    /// share a name share that bit, so lists whose summaries have no bit in common share no name
    /// (and ``shareToken(_:_:)`` need not walk them).
    static func tokenSignature(_ list: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var signature: UInt64 = 0
        var cursor = TokenCursor(list)
        while let token = cursor.token {
            signature |= 1 &<< (FeatureHash.of(token) & 63)
            cursor.advance()
        }
        return signature
    }

    /// Walks the non-empty names of a `|a|b|` list.
    private struct TokenCursor {
        let list: UnsafeBufferPointer<UInt8>
        /// The current name, or `nil` past the end.
        private(set) var token: UnsafeBufferPointer<UInt8>?
        private var next = 0

        init(_ list: UnsafeBufferPointer<UInt8>) {
            self.list = list
            advance()
        }

        mutating func advance() {
            token = nil
            while next < list.count, token == nil {
                while next < list.count, list[next] == UInt8(ascii: "|") { next += 1 }
                var end = next
                while end < list.count, list[end] != UInt8(ascii: "|") { end += 1 }
                if end > next { token = UnsafeBufferPointer(rebasing: list[next..<end]) }
                next = end
            }
        }
    }

    /// Byte order of two values: negative, zero or positive.
    @inline(__always)
    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(a.count, b.count)
        if common > 0, let x = a.baseAddress, let y = b.baseAddress {
            let order = memcmp(x, y, common)
            if order != 0 { return Int(order) }
        }
        return a.count - b.count
    }

    static func number(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(String(decoding: bytes, as: UTF8.self))
    }

    /// Jaccard similarity of the two values' sets of words (up to 16 words each), without
    /// allocating.
    static func wordJaccard(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 32) { hashes in
            let countA = wordHashes(a, into: UnsafeMutableBufferPointer(rebasing: hashes[0..<16]))
            let countB = wordHashes(b, into: UnsafeMutableBufferPointer(rebasing: hashes[16..<32]))
            var common = 0
            for x in 0..<countA where (0..<countB).contains(where: { hashes[16 + $0] == hashes[x] }) { common += 1 }
            let union = countA + countB - common
            return union == 0 ? 0 : Double(common) / Double(union)
        }
    }

    /// The distinct words' hashes of `text`, at most `into.count`; returns how many.
    private static func wordHashes(_ text: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt64>) -> Int {
        var count = 0, start = 0
        while start < text.count, count < out.count {
            var end = start
            while end < text.count, text[end] != 0x20 { end += 1 }
            if end > start {
                let hash = FeatureHash.of(UnsafeBufferPointer(rebasing: text[start..<end]))
                if !(0..<count).contains(where: { out[$0] == hash }) { out[count] = hash; count += 1 }
            }
            start = end + 1
        }
        return count
    }

    /// Whether two given names are the gendered forms of one name (Mario and Maria, Paul and
    /// Paula, Daniel and Daniela): the same but for a last vowel, or one is the other and an
    /// "a". Such names are two people's, however close their spelling.
    static func areGenderedForms(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        func isVowel(_ byte: UInt8) -> Bool { byte == 0x61 || byte == 0x65 || byte == 0x69 || byte == 0x6F || byte == 0x75 }
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        guard short.count >= 3 else { return false }
        if short.count == long.count {
            let last = short.count - 1
            return isVowel(short[last]) && isVowel(long[last]) && short[last] != long[last]
                && equal(UnsafeBufferPointer(rebasing: short[..<last]), UnsafeBufferPointer(rebasing: long[..<last]))
        }
        return long.count == short.count + 1 && long[short.count] == 0x61 && equal(short, UnsafeBufferPointer(rebasing: long[..<short.count]))
    }

    /// Whether `part` is one of the hyphen- or space-separated words of `whole` (and at least
    /// three letters long): "walsh" of "greer-walsh".
    static func isPart(_ part: UnsafeBufferPointer<UInt8>, of whole: UnsafeBufferPointer<UInt8>) -> Bool {
        guard part.count >= 3, whole.count > part.count else { return false }
        var start = 0
        while start < whole.count {
            var end = start
            while end < whole.count, whole[end] != UInt8(ascii: "-"), whole[end] != UInt8(ascii: " ") { end += 1 }
            if end - start == part.count, equal(UnsafeBufferPointer(rebasing: whole[start..<end]), part) { return true }
            start = end + 1
        }
        return false
    }

    /// Whether `a` and `b` differ only by two neighbouring characters swapped.
    static func isTransposition(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count, a.count >= 2 else { return false }
        var first = 0
        while first < a.count, a[first] == b[first] { first += 1 }
        guard first + 1 < a.count, a[first] == b[first + 1], a[first + 1] == b[first] else { return false }
        return equal(UnsafeBufferPointer(rebasing: a[(first + 2)...]), UnsafeBufferPointer(rebasing: b[(first + 2)...]))
    }

    /// Whether two prepared values are one given name: close in spelling (Jaro-Winkler at least
    /// ``ComparisonEvaluator/nearlyCrossedSimilarity``), an initial and a name it begins, or a
    /// nickname and its formal name (Joe and Joseph: their lists of related names share one).
    /// Allocates: asked only of the rare pair whose other name crosses exactly.
    static func sameGivenName(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, names: NameNormalizer) -> Bool {
        guard !a.isEmpty, !b.isEmpty else { return false }
        if isInitial(a) || isInitial(b) { return a[0] == b[0] }
        if jaroWinkler(a, b) >= ComparisonEvaluator.nearlyCrossedSimilarity { return true }
        let first = names.nameVariants(of: String(decoding: a, as: UTF8.self))
        return !first.isDisjoint(with: names.nameVariants(of: String(decoding: b, as: UTF8.self)))
    }

    /// The name of a mailbox's local part numbered to tell it from another of that name (at
    /// least two letters, then one or two digits at the end: "john.smith" of "john.smith2",
    /// "jsmith" of "jsmith12"; none of "jsmith1980" or "jsmith"), or `nil`.
    static func numberedName(_ local: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        var end = local.count
        while end > 0, local[end - 1] >= 0x30, local[end - 1] <= 0x39 { end -= 1 }
        let digits = local.count - end
        guard digits == 1 || digits == 2, end >= 2 else { return nil }
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
        var letters = 0
        for index in 0..<end where isLetter(local[index]) { letters += 1 }
        return letters >= 2 && isLetter(local[end - 1]) ? UnsafeBufferPointer(rebasing: local[0..<end]) : nil
    }

    /// Whether a name is an initial: one letter, perhaps with a period ("m", "m.").
    @inline(__always)
    static func isInitial(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        name.count == 1 || (name.count == 2 && name[1] == UInt8(ascii: "."))
    }

    /// Whether `a` and `b` are equal once their digits are left out.
    static func equalIgnoringDigits(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0, j = 0
        while true {
            while i < a.count, a[i] >= 0x30, a[i] <= 0x39 { i += 1 }
            while j < b.count, b[j] >= 0x30, b[j] <= 0x39 { j += 1 }
            guard i < a.count, j < b.count else { return i == a.count && j == b.count }
            guard a[i] == b[j] else { return false }
            i += 1
            j += 1
        }
    }

    /// Whether `text` ends with `suffix`.
    @inline(__always)
    static func endsWith(_ text: UnsafeBufferPointer<UInt8>, _ suffix: UnsafeBufferPointer<UInt8>) -> Bool {
        text.count >= suffix.count && equal(UnsafeBufferPointer(rebasing: text[(text.count - suffix.count)...]), suffix)
    }

    /// Byte equality through `memcmp`.
    @inline(__always)
    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return a.count == 0 }
        return memcmp(x, y, a.count) == 0
    }

    /// Byte equality of two slices.
    @inline(__always)
    static func equal(_ a: Slice<UnsafeBufferPointer<UInt8>>, _ b: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        equal(UnsafeBufferPointer(rebasing: a), UnsafeBufferPointer(rebasing: b))
    }
}

extension FeatureHash {
    static func of(_ slice: Slice<UnsafeBufferPointer<UInt8>>) -> UInt64 {
        of(UnsafeBufferPointer(rebasing: slice))
    }
}
