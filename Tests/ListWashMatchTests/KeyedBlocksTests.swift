import ListWashCore
import Testing
@testable import ListWashMatch

@Suite struct KeyedBlocksTests {
    /// Every key finds exactly its records, in record order, cut at the limit; keys that share
    /// their top bits, a huge block and records without a key (0) included.
    @Test func findsEachKeysRecordsLikeAScan() {
        var random = SeededRandom(seed: 3)
        var keys: [UInt64] = []
        for record in 0..<20_000 {
            switch record % 10 {
            case 0: keys.append(0)  // no key
            case 1, 2: keys.append(0xABCD_0000_0000_0001)  // one large block
            case 3: keys.append(0xABCD_0000_0000_0000 | UInt64.random(in: 2...40, using: &random))  // same top bits
            default: keys.append(UInt64.random(in: 1...UInt64.max, using: &random) | 1)
            }
        }
        let blocks = KeyedBlocks(keys: keys)
        for key in Set(keys).subtracting([0]).prefix(300) + [0xABCD_0000_0000_0001, 0xABCD_0000_0000_0007, 0x1234] {
            let expected = keys.indices.filter { keys[$0] == key }.map(Int32.init)
            #expect(Array(blocks.records(for: key, limit: 60)) == Array(expected.prefix(60)), "\(key)")
        }
        #expect(blocks.records(for: 0xABCD_0000_0000_0001, limit: 60).count == 60, "a block larger than the limit is cut")
    }

    @Test func anEmptyRuleFindsNothing() {
        #expect(KeyedBlocks(keys: [0, 0]).records(for: 5, limit: 60).isEmpty)
        #expect(KeyedBlocks(keys: []).records(for: 5, limit: 60).isEmpty)
    }
}
