#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ListWash

/// What tells cheaply whether a file changed: its size, modification time and identity (a
/// file replaced under the same name has another inode).
public struct FileState: Sendable, Equatable {
    /// Size in bytes.
    public var size: Int
    /// Modification time, nanoseconds since 1970.
    public var modified: Int64
    /// Device and inode.
    public var device: UInt64
    /// Inode number.
    public var inode: UInt64
    /// Whether it is a regular file.
    public var isRegularFile: Bool

    /// The state of the file at `path` (a symbolic link followed); `nil` when it is not there.
    public static func of(_ path: String) -> FileState? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileState(size: Int(info.st_size), modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                         device: UInt64(info.st_dev), inode: UInt64(info.st_ino), isRegularFile: (info.st_mode & S_IFMT) == S_IFREG)
    }

    /// What differs from `earlier`, for a message (`size 1,200 -> 2,400 bytes`); `nil` when
    /// nothing does.
    public func change(since earlier: FileState) -> String? {
        if device != earlier.device || inode != earlier.inode { return "replaced by another file" }
        if size != earlier.size { return "size \(earlier.size) -> \(size) bytes" }
        if modified != earlier.modified { return "modified again" }
        return nil
    }
}

/// Takes only inbox files that are complete: unchanged in size and modification time over the
/// settle interval, and open for writing by no process (where `/proc` shows it).
///
/// A file last modified longer ago than the interval is taken without waiting, so the usual
/// nightly run, whose files arrived hours before, waits for nothing. For younger files the run
/// waits once, until the youngest is as old as the interval, and takes those that did not
/// change meanwhile; the others are left in the inbox for the next run, with the reason.
public struct InboxSettle {
    /// The settle interval in seconds.
    public var interval: Double
    /// The time now, nanoseconds since 1970 (fixed in tests).
    var now: () -> Int64 = {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
    /// Waits `seconds` (tests count the waits).
    var wait: (Double) -> Void = { seconds in
        if seconds > 0 { usleep(useconds_t(min(seconds, 3600) * 1_000_000)) }
    }
    /// The process ids holding each of these paths open for writing.
    var writers: ([InboxFile]) -> [String: Int32] = OpenForWriting.processes

    /// Settling over `interval` seconds.
    public init(interval: Double) {
        self.interval = interval
    }

    /// What the run takes and what it leaves.
    public struct Outcome: Sendable {
        /// Files complete, with their state when taken, in inbox order.
        public var ready: [InboxFile] = []
        /// Files left in the inbox for the next run, with the reason.
        public var waiting: [(file: InboxFile, reason: String)] = []
    }

    /// Splits `files` (as scanned, with their ``InboxFile/state``) into complete ones and ones
    /// still being written, waiting at most ``interval`` once.
    public func take(_ files: [InboxFile]) -> Outcome {
        let span = Int64(interval * 1_000_000_000)
        let start = now()
        let youngest = files.compactMap { $0.state?.modified }.max() ?? .min
        if youngest > start - span {
            // Until the youngest file is as old as the interval (a time in the future: the whole interval).
            let remaining = youngest > start ? span : youngest + span - start
            wait(Double(remaining) / 1_000_000_000)
        }
        var outcome = Outcome()
        var settled: [InboxFile] = []
        for file in files {
            guard let before = file.state, before.modified > start - span else {
                settled.append(file)
                continue
            }
            guard let after = FileState.of(file.path) else {
                outcome.waiting.append((file, "gone from the inbox while the run waited for it to settle"))
                continue
            }
            if let change = after.change(since: before) {
                outcome.waiting.append((file, "still being written (\(change) within \(Self.seconds(interval)) s); left for the next run"))
            } else {
                settled.append(file)
            }
        }
        let open = settled.isEmpty ? [:] : writers(settled)
        for file in settled {
            if let pid = open[file.path] {
                outcome.waiting.append((file, "still being written (open for writing by process \(pid)); left for the next run"))
            } else {
                outcome.ready.append(file)
            }
        }
        let order = Dictionary(files.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { first, _ in first })
        outcome.waiting.sort { order[$0.file.path, default: 0] < order[$1.file.path, default: 0] }
        return outcome
    }

    /// The files of `files` that changed since they were taken (their ``InboxFile/state``),
    /// with what changed.
    public static func changed(_ files: [InboxFile]) -> [(file: InboxFile, change: String)] {
        files.compactMap { file in
            guard let before = file.state else { return nil }
            guard let after = FileState.of(file.path) else { return (file, "removed") }
            return after.change(since: before).map { (file, $0) }
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// Which processes hold files open for writing, read from Linux's `/proc/PID/fd` and
/// `/proc/PID/fdinfo` (only processes this user may look into; elsewhere nothing is found).
enum OpenForWriting {
    /// The id of a process holding each of `files` open for writing or appending.
    static func processes(_ files: [InboxFile]) -> [String: Int32] {
        var wanted: [FileKey: String] = [:]
        for file in files {
            guard let state = file.state else { continue }
            wanted[FileKey(device: state.device, inode: state.inode)] = file.path
        }
        var found: [String: Int32] = [:]
        guard !wanted.isEmpty else { return found }
        for entry in FileSystem.contents(of: "/proc") {
            guard let pid = Int32(entry), pid > 0 else { continue }
            for descriptor in FileSystem.contents(of: "/proc/\(pid)/fd") {
                var info = stat()
                guard stat("/proc/\(pid)/fd/\(descriptor)", &info) == 0,
                      let path = wanted[FileKey(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))],
                      found[path] == nil, isWritable(pid: pid, descriptor: descriptor) else { continue }
                found[path] = pid
            }
        }
        return found
    }

    private struct FileKey: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// Whether the descriptor's open flags (`flags:` in octal in fdinfo) allow writing.
    private static func isWritable(pid: Int32, descriptor: String) -> Bool {
        let handle = open("/proc/\(pid)/fdinfo/\(descriptor)", O_RDONLY | O_CLOEXEC)
        guard handle >= 0 else { return false }
        defer { close(handle) }
        var bytes = [UInt8](repeating: 0, count: 512)
        let count = bytes.withUnsafeMutableBytes { read(handle, $0.baseAddress, $0.count) }
        guard count > 0 else { return false }
        let text = String(decoding: bytes[0..<count], as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags:") }),
              let flags = Int(String(line.dropFirst("flags:".count).filter { $0 != " " && $0 != "\t" }), radix: 8) else { return false }
        return flags & Int(O_ACCMODE) != Int(O_RDONLY)
    }
}
