#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ListWash

/// A file found in the inbox.
public struct InboxFile: Sendable, Equatable {
    /// Its path.
    public var path: String
    /// Its size in bytes.
    public var size: Int
    /// The source list (vendor) it belongs to.
    public var list: String
    /// Its size, modification time and identity when the inbox was scanned (or when the run
    /// took it), to tell whether it changed since.
    public var state: FileState?

    /// The file's name, without its folder.
    public var name: String { path.split(separator: "/").last.map(String.init) ?? path }

    /// A file at `path` of `size` bytes from list `list`.
    public init(path: String, size: Int, list: String, state: FileState? = nil) {
        self.path = path
        self.size = size
        self.list = list
        self.state = state
    }
}

/// Finds the files waiting in an inbox.
///
/// Hidden files (`.upload.csv`), files still being uploaded by the usual conventions (`*.part`,
/// `*.tmp`, `*.filepart`), files marked as processed (`*.done`) and folders are left alone, so an
/// uploader that writes under a temporary name and renames at the end is never read half-way.
public enum InboxScanner {
    /// The glob to scan: the pipeline's inbox path, or `override` (a folder, which keeps the
    /// pipeline's file pattern, or a glob of its own).
    public static func pattern(_ inbox: PipelineConfiguration.Inbox?, override: String?) -> String? {
        let configured = inbox.map { isGlob($0.path) || !FileSystem.isDirectory($0.path) ? $0.path : "\($0.path)/*" }
        guard let override else { return configured }
        if isGlob(override) { return override }
        let filePattern = configured.flatMap { path in path.split(separator: "/").last.map(String.init) }.flatMap { isGlob($0) ? $0 : nil } ?? "*"
        return "\(override.hasSuffix("/") ? String(override.dropLast()) : override)/\(filePattern)"
    }

    /// The files matching `pattern`, sorted by path, with their sizes and list names.
    ///
    /// - Throws: ``ListWashError`` (`.input`) when the inbox folder does not exist.
    public static func scan(pattern: String, lists: [PipelineConfiguration.Inbox.ListRule] = []) throws -> [InboxFile] {
        let inboxFolder = FileSystem.folder(of: pattern)
        if !isGlob(inboxFolder), !FileSystem.isDirectory(inboxFolder) {
            throw ListWashError(.input, "the inbox folder \(inboxFolder) does not exist; create it or point inbox: (or --inbox) at the folder files arrive in", at: SourceLocation(file: inboxFolder))
        }
        var files: [InboxFile] = []
        for path in expand(pattern) {
            guard let state = FileState.of(path), state.isRegularFile else { continue }
            let file = InboxFile(path: path, size: state.size, list: "", state: state)
            guard !ignored(file.name) else { continue }
            files.append(InboxFile(path: path, size: state.size, list: ListName.of(fileName: file.name, rules: lists), state: state))
        }
        return files
    }

    /// Whether a file name is one the inbox leaves alone.
    static func ignored(_ name: String) -> Bool {
        name.hasPrefix(".") || [".part", ".tmp", ".filepart", ".done", ".crdownload"].contains { name.lowercased().hasSuffix($0) }
    }

    static func isGlob(_ path: String) -> Bool { path.contains { "*?[".contains($0) } }

    private static func expand(_ pattern: String) -> [String] {
        guard isGlob(pattern) else { return FileSystem.exists(pattern) ? [pattern] : [] }
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }
}
