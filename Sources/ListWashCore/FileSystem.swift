#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system operations a run needs, over POSIX calls.
public enum FileSystem {
    /// Whether something exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The size in bytes of the file at `path`, or `nil` when it cannot be read.
    public static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    /// Whether `path` is a folder.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates `path` and its missing parents.
    public static func createDirectory(_ path: String) throws {
        var built = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            built += (built.isEmpty || built.hasSuffix("/") ? "" : "/") + part
            if mkdir(built, 0o755) != 0, errno != EEXIST {
                throw ListWashError(.output, "cannot create folder \(built): \(String(cString: strerror(errno)))", at: SourceLocation(file: built))
            }
        }
        guard isDirectory(path) else {
            throw ListWashError(.output, "\(path) exists and is not a folder", at: SourceLocation(file: path))
        }
        guard access(path, W_OK) == 0 else {
            throw ListWashError(.output, "cannot write to folder \(path): \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
    }

    /// Renames `from` to `to`, replacing `to` atomically.
    public static func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else {
            throw ListWashError(.output, "cannot move \(from) to \(to): \(String(cString: strerror(errno)))", at: SourceLocation(file: to))
        }
    }

    /// Removes a file or an empty folder, ignoring what is not there.
    public static func remove(_ path: String) {
        if unlink(path) != 0 { rmdir(path) }
    }

    /// The names in folder `path` (without `.` and `..`), sorted.
    public static func contents(of path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Writes `text` to `path` (through a buffered, synced file).
    public static func write(_ text: String, to path: String) throws {
        let output = try ByteOutput(path: path)
        output.append(text)
        try output.finish()
    }

    /// Writes `text` to a hidden file beside `path`, then renames it over `path`: the file
    /// holds the old text or the new, never a part (`listwash explain --html`).
    ///
    /// - Throws: ``ListWashError`` (`.output`) when the folder cannot be written.
    public static func writeReplacing(_ text: String, to path: String) throws {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let staged = "\(folder).\(name).listwash-\(processID)"
        do {
            try write(text, to: staged)
            try rename(staged, to: path)
        } catch {
            remove(staged)
            throw error
        }
    }

    /// The process id, for naming staging folders.
    public static var processID: Int32 { getpid() }
}

extension FileSystem {
    /// What `lstat` says of an entry (a symbolic link is not followed).
    struct Entry: Equatable {
        /// The device and inode: two names with the same identity are one file.
        var device: UInt64
        var inode: UInt64
        var mode: UInt32
        /// Whether it is a folder (not a link to one).
        var isDirectory: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFDIR) }
    }

    /// The entry at `path`, without following a symbolic link; `nil` when there is none.
    static func entry(_ path: String) -> Entry? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Entry(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), mode: UInt32(info.st_mode))
    }

    /// Removes `path` and, for a folder, everything in it; symbolic links are removed, never
    /// followed. What cannot be removed is left.
    static func removeTree(_ path: String) {
        guard let entry = entry(path) else { return }
        if entry.isDirectory {
            for name in contents(of: path) { removeTree("\(path)/\(name)") }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// Makes the names in folder `path` durable (a rename or a new file in it).
    static func syncFolder(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// The text of the last error (`errno`).
    static func lastError(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
}

/// Whole small text files (pipeline files, lists): read at once, UTF-8 checked.
public enum TextFile {
    /// Reads `path` as UTF-8 text, dropping a BOM.
    ///
    /// - Throws: ``ListWashError`` (`.input`) when the file cannot be read or is not UTF-8.
    public static func read(_ path: String) throws -> String {
        let input = try ByteInput(path: path)
        while try input.fill() {}
        var bytes = UnsafeBufferPointer(rebasing: input.buffer[input.start..<input.end])
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }
        guard TextEncoding.isValidUTF8(bytes) else {
            throw ListWashError(.input, "\(path) is not valid UTF-8", at: SourceLocation(file: path))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension TextFile {
    /// Reads `path`'s bytes, dropping a UTF-8 BOM, for a reader that decodes them field by field
    /// (``TextEncoding/decodeField(_:as:)``): suppression lists. `kind` is what the file is, for
    /// the exit status when reading it gets stuck (``ReadWatchdog``).
    ///
    /// - Throws: ``ListWashError`` (`.input`) when the file cannot be read or is UTF-16.
    public static func readBytes(_ path: String, kind: ListWashError.Kind = .referenceData) throws -> [UInt8] {
        let input = try ByteInput(path: path, kind: kind)
        while try input.fill() {}
        var bytes = UnsafeBufferPointer(rebasing: input.buffer[input.start..<input.end])
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw ListWashError(.input, "\(path) is UTF-16 text; save it as UTF-8 and run again", at: SourceLocation(file: path))
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }
        return Array(bytes)
    }
}

/// Environment variables.
public enum Environment {
    /// The value of `name`, or `nil`.
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
