import ListWashCore
import Testing
@testable import ListWashMatch

@Suite struct HashedKeyMapTests {
    /// It holds what a `Dictionary` holds, through growth, for keys that share their top or
    /// bottom bits as well as random ones.
    @Test func agreesWithADictionaryThroughGrowth() {
        var random = SeededRandom(seed: 11)
        var map = HashedKeyMap<Int>(capacity: 4, filler: -1)
        var reference: [UInt64: Int] = [:]
        for step in 0..<50_000 {
            let key: UInt64 = switch step % 4 {
            case 0: UInt64.random(in: 1...UInt64.max, using: &random)
            case 1: UInt64(step % 3_000 + 1)                          // small keys: same top bits
            case 2: UInt64(step % 3_000 + 1) << 40                    // same bottom bits
            default: reference.keys.randomElement(using: &random) ?? 7  // a key already held
            }
            map.update(key, initial: 0) { $0 += step }
            reference[key, default: 0] += step
        }
        #expect(map.count == reference.count)
        #expect(reference.allSatisfy { map[$0.key] == $0.value })
        #expect(map[0xDEAD_BEEF_0000_0001] == nil)
        map.set(0xDEAD_BEEF_0000_0001, 5)
        #expect(map[0xDEAD_BEEF_0000_0001] == 5)
    }
}
