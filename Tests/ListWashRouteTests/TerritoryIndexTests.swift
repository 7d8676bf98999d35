import ListWashCore
import Testing
@testable import ListWashRoute

@Suite struct TerritoryIndexTests {
    /// The answer without an index: every rule in order.
    func linear(_ territories: [Territory], state: String, zip: Int?, areaCode: Int?, accept: (Int) -> Bool) -> Int? {
        territories.indices.first { index in
            let territory = territories[index]
            let inside = territory.isEverywhere || territory.states.contains(state.uppercased())
                || (zip.map { zip in territory.zipIntervals.contains { $0.contains(zip) } } ?? false)
                || (areaCode.map(territory.areaCodes.contains) ?? false)
            return inside && accept(index)
        }
    }

    @Test func agreesWithTryingEveryRuleOnRandomRulesAndRows() {
        let states = ["CA", "OR", "WA", "NY", "MA", "TX", "IL", "NJ", "FL", "CO"]
        for seed in 1...20 {
            var random = SeededRandom(seed: UInt64(seed))
            func below(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
            let territories = (0..<(5 + below(60))).map { _ -> Territory in
                var territory = Territory()
                if below(3) == 0 { territory.states = (0..<(1 + below(3))).map { _ in states[below(states.count)] } }
                if below(3) == 0 {
                    let length = 1 + below(5)
                    territory.zipPrefixes = [String(String(below(100_000) + 100_000).suffix(5).prefix(length))]
                }
                if below(3) == 0 {
                    let low = below(100_000)
                    territory.zipRanges = [low...min(99_999, low + below(5000))]
                }
                if below(4) == 0 { territory.areaCodes = [200 + below(40)] }
                return territory
            }
            let index = TerritoryIndex(territories)
            for _ in 0..<300 {
                let state = below(5) == 0 ? "" : states[below(states.count)].lowercased()
                let zip = below(6) == 0 ? nil : below(100_000)
                let area = below(3) == 0 ? nil : 200 + below(40)
                let odd = below(2) == 0  // also a condition that skips some rules
                let accept = { (rule: Int) in !odd || rule % 3 != 0 }
                #expect(index.first(state: state, zip: zip, areaCode: area, where: accept)
                        == linear(territories, state: state, zip: zip, areaCode: area, accept: accept), "seed \(seed)")
            }
        }
    }

    @Test func zipPrefixesAndRangesCoverTheirEnds() {
        let index = TerritoryIndex([
            Territory(zipPrefixes: ["021"]), Territory(zipRanges: [94000...95999]), Territory(zipPrefixes: ["0"]),
        ])
        #expect(index.first(state: "", zip: 2100, areaCode: nil) { _ in true } == 0)
        #expect(index.first(state: "", zip: 2199, areaCode: nil) { _ in true } == 0)
        #expect(index.first(state: "", zip: 2200, areaCode: nil) { _ in true } == 2)
        #expect(index.first(state: "", zip: 93999, areaCode: nil) { _ in true } == nil)
        #expect(index.first(state: "", zip: 94000, areaCode: nil) { _ in true } == 1)
        #expect(index.first(state: "", zip: 95999, areaCode: nil) { _ in true } == 1)
        #expect(index.first(state: "", zip: 96000, areaCode: nil) { _ in true } == nil)
        #expect(Territory.interval(ofPrefix: "94") == 94000...94999)
        #expect(Territory.interval(ofPrefix: "02134") == 2134...2134)
        #expect(Territory.interval(ofPrefix: "") == nil)
        #expect(Territory.interval(ofPrefix: "123456") == nil)
        #expect(Territory.interval(ofPrefix: "9a") == nil)
    }

    @Test func oddStatesAndMissingValuesFindOnlyEverywhereRules() {
        let index = TerritoryIndex([Territory(states: ["CA"]), Territory()])
        for state in ["", "C", "CAL", "1A", "ÇA", "ca"] {
            let found = index.first(state: state, zip: nil, areaCode: nil) { _ in true }
            #expect(found == (state == "ca" ? 0 : 1), "\(state)")
        }
        #expect(index.first(state: "", zip: -5, areaCode: 5000) { _ in true } == 1)
    }
}
