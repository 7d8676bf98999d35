import Testing
@testable import ListWashCore

@Suite struct SHA256Tests {
    // FIPS 180-4 / NIST example vectors.
    static let vectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ]

    @Test(arguments: [false, true]) func knownVectors(portable: Bool) {
        for (message, expected) in Self.vectors {
            var hash = SHA256(portable: portable)
            hash.update(Array(message.utf8))
            #expect(hash.finalize().hex == expected, "\(message)")
        }
        var million = SHA256(portable: portable)
        million.update([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(million.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func feedingInPiecesGivesTheSameDigest() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = SHA256.hash(bytes)
        for piece in [1, 3, 63, 64, 65, 1000] {
            var hash = SHA256()
            var offset = 0
            while offset < bytes.count {
                hash.update(Array(bytes[offset..<min(bytes.count, offset + piece)]))
                offset += piece
            }
            #expect(hash.finalize() == whole, "pieces of \(piece)")
        }
        var portable = SHA256(portable: true)
        portable.update(bytes)
        #expect(portable.finalize() == whole)
    }

    @Test(arguments: [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000])
    func oneShotHashingMatchesStreaming(length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
        var streaming = SHA256(portable: true)
        streaming.update(bytes)
        #expect(bytes.withUnsafeBytes { SHA256.hash($0) } == streaming.finalize())
    }

    @Test func stringsHashAsTheirUTF8() {
        #expect(SHA256.hash(utf8: "abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash(utf8: "jane.doe@example.com") == SHA256.hash(Array("jane.doe@example.com".utf8)))
    }
}
