import Foundation
import ListWash

/// Run ids: the start time and a short hash, `2026-11-23T021500Z-3fa9c2`, which sort by time
/// and name the run's output folder.
public enum RunID {
    /// An id for a run starting at `date` on `files`, not yet taken in `root` nor in `taken`
    /// (the history's runs): a second run in the same second gets another hash.
    public static func make(at date: Date, files: [InboxFile], root: String, taken: Set<String> = []) -> String {
        var attempt = 0
        while true {
            var hash = SHA256()
            hash.update(Array("\(Timestamp.iso8601(date))|\(getpid())|\(attempt)|".utf8))
            for file in files { hash.update(Array("\(file.path)|\(file.size)|".utf8)) }
            let id = "\(Timestamp.compact(date))-\(hash.finalize().hex.prefix(6))"
            if !taken.contains(id) && !FileSystem.exists("\(root)/\(id)") && !FileSystem.exists("\(root)/\(NightlyRun.stagingPrefix)\(id)") { return id }
            attempt += 1
        }
    }

    /// Whether `name` has the form of a run id (`2026-11-23T021500Z-3fa9c2`).
    public static func isRunID(_ name: some StringProtocol) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count == 25 else { return false }
        let digit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
        let hex = { (byte: UInt8) in digit(byte) || (byte >= 0x61 && byte <= 0x66) }
        for (index, byte) in bytes.enumerated() {
            let fits: Bool = switch index {
            case 4, 7: byte == UInt8(ascii: "-")
            case 10: byte == UInt8(ascii: "T")
            case 17: byte == UInt8(ascii: "Z")
            case 18: byte == UInt8(ascii: "-")
            case 19...: hex(byte)
            default: digit(byte)
            }
            if !fits { return false }
        }
        return true
    }

    /// The run folders in output root `root` (folders named by a run id), oldest first.
    public static func folders(in root: String) -> [String] {
        FileSystem.contents(of: root).filter { isRunID($0) && FileSystem.isDirectory("\(root)/\($0)") }
    }
}
