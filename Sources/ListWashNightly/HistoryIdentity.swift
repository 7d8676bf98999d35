import Foundation
import ListWash
import Logging

/// Which output root a run history belongs to: a random id and the root's real path, kept in
/// the history (table `history_identity`) and, for the id, in the marker file
/// `OUTPUT_ROOT/.listwash-history-id`.
///
/// The history is what keeps a file from being loaded twice, so a history that is not the
/// output root's own (deleted and created afresh, emptied, another root's, an older copy) must
/// not be taken as a fresh start: ``verify(_:root:logger:)`` stops such a run.
public struct HistoryIdentity: Sendable, Equatable {
    /// A random id, the same in the history and in the output root's marker file.
    public var id: String
    /// The real path of the output root the history was created for.
    public var outputRoot: String
    /// When it was created (ISO 8601, UTC).
    public var createdAt: String

    /// An identity `id` for `outputRoot`, created at `createdAt`.
    public init(id: String, outputRoot: String, createdAt: String) {
        self.id = id
        self.outputRoot = outputRoot
        self.createdAt = createdAt
    }

    /// The marker file's name in the output root.
    public static let markerFileName = ".listwash-history-id"

    /// The id in the marker file of `root`, or `nil` when there is none.
    public static func markerID(in root: String) -> String? {
        guard let text = try? String(contentsOfFile: "\(root)/\(markerFileName)", encoding: .utf8) else { return nil }
        let id = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return id.isEmpty ? "" : id
    }

    /// Writes the marker file of `root` (through a temporary file, renamed into place).
    ///
    /// - Throws: ``ListWashError`` (`.output`) when it cannot be written.
    func writeMarker(in root: String, history: String) throws {
        let path = "\(root)/\(Self.markerFileName)"
        let text = "\(id)\n# the id of this output root's run history (\(history)); listwash run checks that the history is this one.\n"
        try FileSystem.write(text, to: "\(path).tmp")
        try FileSystem.rename("\(path).tmp", to: path)
        NightlyRun.syncFolder(root)
    }

    /// Refuses to create the history at `path` when output root `root` has had runs (it holds
    /// the marker or run folders): the history was deleted or moved, and a new one would let
    /// files be processed again. Call before opening the history, which creates it.
    ///
    /// - Throws: ``NightlyError`` (`.history`, exit status 74) with what to do.
    public static func refuseNewHistory(at path: String, root: String) throws {
        guard !FileSystem.exists(path) else { return }
        let marker = markerID(in: root)
        let runFolders = RunID.folders(in: root)
        if marker != nil || !runFolders.isEmpty {
            throw OutputRootProblem(history: path, root: root, marker: marker, runFolders: runFolders).emptyHistory(existed: false)
        }
    }

    /// Checks that `history` is the history of output root `root`, and binds a new history to
    /// it. Run after the lock is taken and before anything else reads the history.
    ///
    /// - A history with no identity and no runs binds to a root with no marker and no run
    ///   folders (a brand-new output root); one written before identities existed (it has
    ///   runs) is adopted.
    /// - A history whose id is the marker's is the root's own (a root moved elsewhere keeps
    ///   its marker; the new path is recorded).
    /// - Anything else next to a marker or run folders stops the run: an empty or new history
    ///   (deleted, replaced), another root's history, a history missing runs whose folders
    ///   are in the root (an older copy).
    ///
    /// - Throws: ``NightlyError`` (`.history`, exit status 74) with what to do.
    public static func verify(_ history: HistoryStore, root: String, logger: Logger) throws {
        let realRoot = FileSystem.realPath(root) ?? root
        let marker = markerID(in: root)
        let runFolders = RunID.folders(in: root)
        let recorded = try history.identity()
        let knownRuns = try history.runIDs()
        let problem = OutputRootProblem(history: history.path, root: root, marker: marker, runFolders: runFolders)

        guard let recorded else {
            if knownRuns.isEmpty {
                // A new or empty history: only a brand-new output root may start one.
                if marker != nil || !runFolders.isEmpty { throw problem.emptyHistory(existed: true) }
            } else if marker != nil {
                throw problem.replaced(recordedID: nil)
            }
            let unknown = runFolders.filter { !knownRuns.contains($0) }
            if !unknown.isEmpty { throw problem.missingRuns(unknown) }
            let identity = HistoryIdentity(id: UUID().uuidString.lowercased(), outputRoot: realRoot, createdAt: Timestamp.iso8601(Date()))
            try history.setIdentity(identity)
            try identity.writeMarker(in: root, history: history.path)
            if !knownRuns.isEmpty { logger.info("the run history \(history.path) is now bound to the output root \(realRoot)") }
            return
        }
        if let marker {
            guard marker == recorded.id else { throw problem.replaced(recordedID: recorded) }
        } else if recorded.outputRoot != realRoot {
            throw problem.foreign(recorded)
        }
        let unknown = runFolders.filter { !knownRuns.contains($0) }
        if !unknown.isEmpty { throw problem.missingRuns(unknown) }
        if recorded.outputRoot != realRoot {
            var moved = recorded
            moved.outputRoot = realRoot
            try history.setIdentity(moved)
            logger.info("the output root moved from \(recorded.outputRoot) to \(realRoot); its run history goes with it")
        }
        if marker == nil {
            try recorded.writeMarker(in: root, history: history.path)
            logger.warning("the history marker \(root)/\(markerFileName) was missing; written again")
        }
    }
}

/// The messages of a history that is not its output root's own (exit status 74), each with what
/// to do.
struct OutputRootProblem {
    let history: String
    let root: String
    let marker: String?
    let runFolders: [String]

    private var found: String {
        var parts: [String] = []
        if let newest = runFolders.last {
            parts.append("\(runFolders.count) run folder\(runFolders.count == 1 ? "" : "s") (newest \(newest))")
        }
        if marker != nil { parts.append("the history marker \(HistoryIdentity.markerFileName)") }
        return parts.joined(separator: " and ")
    }

    private var startAfresh: String {
        "To start a new history on purpose, move the run folders and \(HistoryIdentity.markerFileName) out of \(root) first (with after: keep, every file still in the inbox is then processed again)"
    }

    private func error(_ message: String) -> NightlyError {
        NightlyError(.history, message, at: SourceLocation(file: history))
    }

    /// No history, or one with no runs, next to an output root that has had runs.
    func emptyHistory(existed: Bool) -> NightlyError {
        let what = existed ? "the run history \(history) is empty" : "there is no run history at \(history)"
        return error("\(what), but \(root) holds \(found): the history was deleted, emptied or replaced, and starting afresh would process files again that earlier runs loaded. The run stops without processing anything. Restore the history from a backup (or point history: at it). \(startAfresh)")
    }

    /// A history whose id is not the marker's.
    func replaced(recordedID recorded: HistoryIdentity?) -> NightlyError {
        let whose = recorded.map { "belongs to the output root \($0.outputRoot) (id \($0.id))" } ?? "was written for no known output root"
        return error("the run history \(history) \(whose), but the marker of \(root) says \(marker.flatMap { $0.isEmpty ? nil : $0 } ?? "nothing") (\(HistoryIdentity.markerFileName)): it is another root's history or a replaced one. The run stops without processing anything. Point history: at this root's own history or restore it from a backup. \(startAfresh)")
    }

    /// A history created for another output root, next to a root without a marker.
    func foreign(_ recorded: HistoryIdentity) -> NightlyError {
        error("the run history \(history) belongs to the output root \(recorded.outputRoot), not \(root). The run stops without processing anything. Give this root its own history (the default, \(root)/\(HistoryStore.defaultFileName), unless the pipeline names history:), or run with --out \(recorded.outputRoot)")
    }

    /// Run folders the history does not know.
    func missingRuns(_ unknown: [String]) -> NightlyError {
        let shown = unknown.suffix(3).joined(separator: ", ")
        return error("\(root) holds \(unknown.count) run folder\(unknown.count == 1 ? "" : "s") that the run history \(history) does not know (\(shown)): it is an older copy or another root's history, and it would let files be processed again. The run stops without processing anything. Restore the history that recorded those runs. \(startAfresh)")
    }
}
