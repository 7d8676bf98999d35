import Foundation
import ListWash
import Testing
@testable import ListWashNightly

@Suite struct FileHashTests {
    @Test func aFileHashesAsItsContent() throws {
        let scratch = Scratch()
        let path = scratch.write("f.csv", "email\na@b.com\n")
        #expect(try FileHash.sha256(path: path) == SHA256.hash(Array("email\na@b.com\n".utf8)))
        #expect(throws: ListWashError.self) { try FileHash.sha256(path: "\(scratch.path)/missing.csv") }
    }
}
