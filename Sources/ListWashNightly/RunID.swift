import Foundation
import ListWash

/// Run ids: the start time and a short hash, `2026-11-23T021500Z-3fa9c2`, which sort by time
/// and name the run's output folder.
public enum RunID {
    /// An id for a run starting at `date` on `files`, not yet taken in `root` (a second run in
    /// the same second gets another hash).
    public static func make(at date: Date, files: [InboxFile], root: String) -> String {
        var attempt = 0
        while true {
            var hash = SHA256()
            hash.update(Array("\(Timestamp.iso8601(date))|\(getpid())|\(attempt)|".utf8))
            for file in files { hash.update(Array("\(file.path)|\(file.size)|".utf8)) }
            let id = "\(Timestamp.compact(date))-\(hash.finalize().hex.prefix(6))"
            if !FileSystem.exists("\(root)/\(id)") && !FileSystem.exists("\(root)/\(NightlyRun.stagingPrefix)\(id)") { return id }
            attempt += 1
        }
    }
}
