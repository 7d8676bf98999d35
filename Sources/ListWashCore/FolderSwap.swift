#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CListWashSystem

/// Replaces an output folder as a whole: the run writes into a staging folder beside it, and
/// ``commit(outputs:)`` swaps the two folders in one step (`renameat2(RENAME_EXCHANGE)`), so a
/// process killed at any moment leaves the output folder holding one run's files, old or new,
/// never a mix.
///
/// The output folder is not ListWash's alone: what else the user keeps in it (files, folders)
/// is carried into the staging folder as hard links before the swap, so it is in the new
/// folder too, and the old folder is then emptied by unlinking names, never by deleting the
/// user's data. Only the run's own files (``outputs``) are replaced.
struct FolderSwap {
    /// The output folder as the user named it (for messages).
    let folder: String
    /// The output folder with symbolic links resolved: what is swapped.
    let target: String
    /// The staging folder beside ``target``.
    let staging: String
    /// Swaps two paths; returns 0 or an `errno` value (tests replace it).
    var exchange: (String, String) -> Int32 = { listwash_exchange_paths($0, $1) == 0 ? 0 : errno }
    /// Called after each step of the commit (`carried`, `swapped`); a test throws from it to
    /// stand for a process killed there.
    var afterStep: ((String) throws -> Void)?

    /// Names a run writes, in either format, with any import profile, and the match stage's
    /// update.csv and merge.csv: replaced by a run, never carried over (a generic run after a
    /// Salesforce one leaves no stale `Lead.csv`).
    static let ownNames: Set<String> = Set(Disposition.allCases.flatMap { disposition in
        OutputFormat.allCases.map { disposition.fileName(extension: $0.rawValue) }
    } + ["report.json", "report.html", "update.csv", "merge.csv"] + ImportProfile.Name.allCases.flatMap { ImportProfile($0, method: .buyingGroup).fileNames })

    /// Removes what killed runs left beside `folder`, creates `folder` when missing, and makes
    /// a staging folder beside it.
    ///
    /// - Throws: ``ListWashError`` (`.output`) when the folder cannot be created, is the
    ///   working folder (or holds it) or a mount point, or its parent cannot be written.
    init(folder: String) throws {
        let trimmed = folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        self.folder = trimmed
        if let existing = FileSystem.realPath(trimmed) { try Self.refuseWorkingFolder(existing, named: trimmed) }
        StagingFolder.removeAbandoned(in: FileSystem.folder(of: FileSystem.realPath(trimmed) ?? trimmed))
        try FileSystem.createDirectory(trimmed)
        guard let target = FileSystem.realPath(trimmed) else {
            throw ListWashError(.output, "cannot resolve the output folder \(trimmed): \(FileSystem.lastError())", at: SourceLocation(file: trimmed))
        }
        try Self.refuseWorkingFolder(target, named: trimmed)
        let parent = FileSystem.folder(of: target)
        if let own = FileSystem.entry(target), let above = FileSystem.entry(parent), own.device != above.device {
            throw ListWashError(.output, "the output folder \(trimmed) is a mount point; a run replaces its output folder as a whole: name a folder inside it", at: SourceLocation(file: trimmed))
        }
        // Folders that earlier versions staged inside the output folder.
        StagingFolder.removeAbandoned(in: target)
        self.target = target
        staging = StagingFolder.path(in: parent, for: String(target[target.index(after: target.lastIndex(of: "/") ?? target.startIndex)...]))
        guard mkdir(staging, 0o755) == 0 else {
            throw ListWashError(.output, "cannot create the staging folder \(staging) beside the output folder \(trimmed): \(FileSystem.lastError()); a run writes its outputs there and then swaps the two folders, so \(parent) must be writable", at: SourceLocation(file: trimmed))
        }
    }

    /// Refuses `target` (resolved) when it is the root, the working folder or a folder holding it.
    private static func refuseWorkingFolder(_ target: String, named folder: String) throws {
        guard let working = FileSystem.realPath("."), target == "/" || working == target || working.hasPrefix(target + "/") else { return }
        throw ListWashError(.output, "the output folder \(folder) is the working folder or holds it; a run replaces its output folder as a whole: name a folder of its own with --out (or output: folder:)", at: SourceLocation(file: folder))
    }

    /// Puts the staged `outputs` in place as the output folder's new contents, with everything
    /// else the folder held carried over.
    ///
    /// - Throws: ``ListWashError`` (`.output`) when the user's files cannot be carried over
    ///   (hard links refused) or the folders cannot be swapped; the output folder then keeps
    ///   what it had.
    func commit(outputs: [String]) throws {
        let kept = Set(outputs)
        for name in FileSystem.contents(of: staging) where !kept.contains(name) { FileSystem.removeTree("\(staging)/\(name)") }
        if FileSystem.entry(target) != nil { try carry(from: target, to: staging, topLevel: true) }
        FileSystem.syncFolder(staging)
        try afterStep?("carried")
        let parent = FileSystem.folder(of: target)
        var old = staging
        if FileSystem.entry(target) == nil {
            try FileSystem.rename(staging, to: target)
        } else {
            let code = exchange(staging, target)
            if code == EINVAL || code == ENOSYS || code == EOPNOTSUPP {
                // No exchange on this file system (NFS, CIFS, older kernels): two renames. A
                // process killed between them leaves the old folder under its replaced name,
                // which the next run puts back (``StagingFolder/removeAbandoned(in:)``).
                old = StagingFolder.replacedPath(in: parent, for: String(target[target.index(after: target.lastIndex(of: "/") ?? target.startIndex)...]))
                try FileSystem.rename(target, to: old)
                do {
                    try FileSystem.rename(staging, to: target)
                } catch {
                    _ = Glibc.rename(old, target)
                    throw error
                }
            } else if code != 0 {
                throw ListWashError(.output, "cannot swap the staging folder \(staging) with the output folder \(folder): \(FileSystem.lastError(code))", at: SourceLocation(file: folder))
            }
        }
        FileSystem.syncFolder(parent)
        try afterStep?("swapped")
        Self.retire(old, into: target)
    }

    /// Removes the staging folder and what was written in it.
    func abandon() {
        FileSystem.removeTree(staging)
    }

    /// Links every entry of `source` that is not a run's own file into `destination`,
    /// recreating folders.
    private func carry(from source: String, to destination: String, topLevel: Bool) throws {
        for name in FileSystem.contents(of: source) {
            if topLevel && (Self.ownNames.contains(name) || name.hasPrefix(".listwash-")) { continue }
            let from = "\(source)/\(name)", to = "\(destination)/\(name)"
            guard let entry = FileSystem.entry(from) else { continue }
            if entry.isDirectory {
                guard mkdir(to, mode_t(entry.mode & 0o7777)) == 0 || errno == EEXIST else { throw carryError(from, FileSystem.lastError()) }
                try carry(from: from, to: to, topLevel: false)
            } else if linkat(AT_FDCWD, from, AT_FDCWD, to, 0) != 0 {
                throw carryError(from, FileSystem.lastError())
            }
        }
    }

    private func carryError(_ path: String, _ reason: String) -> ListWashError {
        ListWashError(.output, "cannot carry \(path) over into the new output folder (\(reason)); a run replaces its output folder as a whole and keeps the other files in it as hard links: move it out of \(folder), or name another output folder; nothing was written", at: SourceLocation(file: folder))
    }

    /// Empties `old`, an output folder's previous contents or an abandoned staging folder,
    /// into `current`, the output folder now in place: names that are also in `current` (the
    /// same file, carried over) are unlinked, a run's own files are removed, anything else is
    /// moved into `current` when its name is free there (it appeared while the run committed),
    /// else left. `old` itself goes when it is empty.
    static func retire(_ old: String, into current: String, topLevel: Bool = true) {
        for name in FileSystem.contents(of: old) {
            let from = "\(old)/\(name)", to = "\(current)/\(name)"
            guard let entry = FileSystem.entry(from) else { continue }
            let there = FileSystem.entry(to)
            if let there, there.device == entry.device, there.inode == entry.inode {
                unlink(from)
            } else if entry.isDirectory, there?.isDirectory == true {
                retire(from, into: to, topLevel: false)
            } else if topLevel && (ownNames.contains(name) || name.hasPrefix(".listwash-")) {
                FileSystem.removeTree(from)
            } else if there == nil {
                _ = Glibc.rename(from, to)
            }
        }
        rmdir(old)
    }
}
