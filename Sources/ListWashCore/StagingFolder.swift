#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The hidden folders a run writes in before it commits, named for the process that made them
/// so that a later run can tell a live run's folder from one a killed run left:
///
/// - `.listwash-staging-<pid>-<n>-<name>`: the outputs being written, beside the folder (or
///   file) `<name>` they will replace;
/// - `.listwash-replaced-<pid>-<n>-<name>`: a replaced output folder on its way out, where the
///   file system cannot exchange two folders in one step.
///
/// Every run calls ``removeAbandoned(in:)`` on the folder it writes in before it starts.
public enum StagingFolder {
    /// The name prefix of staging folders.
    public static let prefix = ".listwash-staging-"
    /// The name prefix of replaced output folders.
    public static let replacedPrefix = ".listwash-replaced-"
    private static let sequence = Atomic<Int>(0)

    /// A new, unused path in `parent` for staging what will become `name`.
    public static func path(in parent: String, for name: String) -> String {
        make(prefix, in: parent, for: name)
    }

    /// A new path in `parent` for the folder `name` while it is being replaced.
    static func replacedPath(in parent: String, for name: String) -> String {
        make(replacedPrefix, in: parent, for: name)
    }

    private static func make(_ prefix: String, in parent: String, for name: String) -> String {
        let number = sequence.wrappingAdd(1, ordering: .relaxed).oldValue
        return "\(parent == "/" ? "" : parent)/\(prefix)\(FileSystem.processID)-\(number)-\(name)"
    }

    /// The process id and the target name a staging or replaced folder's name carries
    /// (`.listwash-staging-1234` of earlier versions carries no target).
    static func owner(of name: String) -> (pid: Int32, target: String?)? {
        guard let tail = [prefix, replacedPrefix].first(where: name.hasPrefix).map({ name.dropFirst($0.count) }) else { return nil }
        let parts = tail.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard let pid = parts.first.flatMap({ Int32($0) }), pid > 0 else { return nil }
        return (pid, parts.count == 3 && !parts[2].isEmpty ? String(parts[2]) : nil)
    }

    /// Whether no process `pid` exists any more (`kill(pid, 0)` fails with `ESRCH`); a process
    /// of another user (`EPERM`) counts as alive.
    public static func processIsGone(_ pid: Int32) -> Bool {
        kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Removes the staging and replaced folders in `folder` whose process is gone, and returns
    /// their paths. A replaced folder whose output folder is missing (the process died between
    /// its two renames) is put back instead; the user's files that a staging folder carried
    /// over (hard links of files still in the output folder) are only unlinked, and anything
    /// else of theirs is moved back into the output folder, never deleted.
    @discardableResult
    public static func removeAbandoned(in folder: String) -> [String] {
        var removed: [String] = []
        for name in FileSystem.contents(of: folder) {
            guard let owner = owner(of: name), processIsGone(owner.pid) else { continue }
            let path = "\(folder == "/" ? "" : folder)/\(name)"
            let target = owner.target.map { "\(folder == "/" ? "" : folder)/\($0)" }
            if name.hasPrefix(replacedPrefix), let target, FileSystem.entry(target) == nil {
                if Glibc.rename(path, target) == 0 { removed.append(path) }
                continue
            }
            if let target, FileSystem.entry(target)?.isDirectory == true {
                FolderSwap.retire(path, into: target)
            } else if name.hasPrefix(prefix) {
                FileSystem.removeTree(path)
            }
            if FileSystem.entry(path) == nil { removed.append(path) }
        }
        return removed
    }
}
