/// Finds the rules whose territory holds a row without trying the rules one by one.
///
/// Each kind of territory has its own table: states by their two letters (676 slots), area
/// codes by number (1,000 slots), and ZIP codes by five-digit number (100,000 slots) pointing to
/// the elementary segments that ZIP prefixes and ranges cut the ZIP line into. Every slot holds
/// the sorted indexes of the rules that claim it; rules with no territory are candidates
/// everywhere. A lookup merges the (few) candidate lists in rule order and stops at the first
/// rule the caller accepts, so "first match wins" costs a handful of table reads per row.
///
/// ```swift
/// let index = TerritoryIndex([west.territory, east.territory])
/// index.first(state: "CA", zip: 94043, areaCode: 650) { rule in true } // 0
/// ```
/// - Complexity: building O(*r* log *r* + 100,000); a lookup O(*k*) in the candidates it tries.
public struct TerritoryIndex: Sendable {
    /// Interned candidate lists, end to end; list `i` is `flat[starts[i]..<starts[i + 1]]` and
    /// list 0 is empty.
    private let flat: [Int32]
    private let starts: [Int32]
    private let byState: [Int32]
    private let byZip: [Int32]
    private let byArea: [Int32]
    private let everywhere: [Int32]

    /// The index of `territories` (a rule's position is its index here).
    public init(_ territories: [Territory]) {
        var lists: [[Int32]] = [[]]
        var interned: [[Int32]: Int32] = [[]: 0]
        func intern(_ list: [Int32]) -> Int32 {
            if let id = interned[list] { return id }
            let id = Int32(lists.count)
            lists.append(list)
            interned[list] = id
            return id
        }
        var states = [[Int32]](repeating: [], count: 26 * 26)
        var areas = [[Int32]](repeating: [], count: 1000)
        var everywhere: [Int32] = []
        var events: [(position: Int, rule: Int32, delta: Int)] = []
        for (index, territory) in territories.enumerated() {
            let rule = Int32(index)
            if territory.isEverywhere { everywhere.append(rule) }
            for state in territory.states {
                if let slot = Self.stateSlot(state.utf8), states[slot].last != rule { states[slot].append(rule) }
            }
            for code in territory.areaCodes where (0..<1000).contains(code) && areas[code].last != rule {
                areas[code].append(rule)
            }
            for interval in territory.zipIntervals {
                let low = max(0, interval.lowerBound), high = min(99_999, interval.upperBound)
                guard low <= high else { continue }
                events.append((low, rule, 1))
                events.append((high + 1, rule, -1))
            }
        }
        byState = states.map(intern)
        byArea = areas.map(intern)
        // Sweep the ZIP line: between two consecutive boundaries the set of rules is constant.
        events.sort { $0.position < $1.position }
        var zips = [Int32](repeating: 0, count: 100_000)
        var active: [Int32: Int] = [:]
        var position = 0, cursor = 0
        while position < 100_000 {
            while cursor < events.count, events[cursor].position == position {
                active[events[cursor].rule, default: 0] += events[cursor].delta
                if active[events[cursor].rule] == 0 { active[events[cursor].rule] = nil }
                cursor += 1
            }
            let end = cursor < events.count ? min(events[cursor].position, 100_000) : 100_000
            let id = intern(active.keys.sorted())
            if id != 0 { for zip in position..<end { zips[zip] = id } }
            position = end
        }
        byZip = zips
        self.everywhere = everywhere
        flat = lists.flatMap { $0 }
        var starts: [Int32] = [0]
        for list in lists { starts.append(starts[starts.count - 1] + Int32(list.count)) }
        self.starts = starts
    }

    /// The table slot of a two-letter state code, or `nil` for anything else.
    @inline(__always)
    static func stateSlot<C: Collection<UInt8>>(_ bytes: C) -> Int? {
        guard bytes.count == 2, let first = bytes.first, let second = bytes.dropFirst().first else { return nil }
        let a = Int(first & 0xDF) - 65, b = Int(second & 0xDF) - 65
        guard (0..<26).contains(a), (0..<26).contains(b) else { return nil }
        return a * 26 + b
    }

    /// Where a lookup stands in the candidate lists of one row (see ``candidates(state:zip:areaCode:)``).
    public struct Cursor: Sendable {
        var i: Int, iEnd: Int, j: Int, jEnd: Int, k: Int, kEnd: Int, l = 0
    }

    /// The candidate rules of a row, to walk with ``next(_:)`` in rule order.
    ///
    /// - Parameters:
    ///   - state: the row's two-letter state code (empty when unknown).
    ///   - zip: the row's five-digit ZIP code as a number, or `nil`.
    ///   - areaCode: the row's telephone area code, or `nil`.
    @inline(__always)
    public func candidates(state: String, zip: Int?, areaCode: Int?) -> Cursor {
        let stateList = Self.stateSlot(state.utf8).map { Int(byState[$0]) } ?? 0
        let zipList = zip.flatMap { (0..<100_000).contains($0) ? Int(byZip[$0]) : nil } ?? 0
        let areaList = areaCode.flatMap { (0..<1000).contains($0) ? Int(byArea[$0]) : nil } ?? 0
        return Cursor(i: Int(starts[stateList]), iEnd: Int(starts[stateList + 1]), j: Int(starts[zipList]), jEnd: Int(starts[zipList + 1]),
                      k: Int(starts[areaList]), kEnd: Int(starts[areaList + 1]))
    }

    /// The next candidate rule (the lowest index not yet returned), or `nil` when there is none.
    @inline(__always)
    public func next(_ cursor: inout Cursor) -> Int? {
        let none = Int32.max
        let a = cursor.i < cursor.iEnd ? flat[cursor.i] : none
        let b = cursor.j < cursor.jEnd ? flat[cursor.j] : none
        let c = cursor.k < cursor.kEnd ? flat[cursor.k] : none
        let d = cursor.l < everywhere.count ? everywhere[cursor.l] : none
        let next = min(min(a, b), min(c, d))
        if next == none { return nil }
        if a == next { cursor.i += 1 }
        if b == next { cursor.j += 1 }
        if c == next { cursor.k += 1 }
        if d == next { cursor.l += 1 }
        return Int(next)
    }

    /// Calls `accept` with the index of each rule whose territory holds the row, in rule order,
    /// until it returns true; returns that rule, or `nil` when none is accepted.
    public func first(state: String, zip: Int?, areaCode: Int?, where accept: (Int) -> Bool) -> Int? {
        var cursor = candidates(state: state, zip: zip, areaCode: areaCode)
        while let rule = next(&cursor) {
            if accept(rule) { return rule }
        }
        return nil
    }
}
