import ListWashCore
import Testing
@testable import ListWashMatch

@Suite struct TokenSignatureTests {
    /// Two related-name lists that share a name always share a bit of their summaries, so the
    /// summary may rule out a walk through the lists but never a shared name.
    @Test func listsThatShareANameShareASignatureBit() {
        var random = SeededRandom(seed: 5)
        let names = (0..<300).map { "name\($0)" }
        func list() -> [UInt8] {
            let count = Int(random.next() % 6)
            let chosen = Set((0..<count).map { _ in names[Int(random.next() % UInt64(names.count))] }).sorted()
            return Array(("|" + chosen.joined(separator: "|") + "|").utf8)
        }
        var shared = 0, ruledOut = 0
        for _ in 0..<20_000 {
            let a = list(), b = list()
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    let overlap = Metrics.tokenSignature(a) & Metrics.tokenSignature(b) != 0
                    if Metrics.shareToken(a, b) {
                        shared += 1
                        #expect(overlap)
                    } else if !overlap {
                        ruledOut += 1
                    }
                }
            }
        }
        #expect(shared > 100)
        #expect(ruledOut > 5_000)
        #expect([UInt8]("||".utf8).withUnsafeBufferPointer { Metrics.tokenSignature($0) } == 0)
    }
}
