import ListWash
import Logging

/// Stops a nightly run from which a suppression list has disappeared.
///
/// A pipeline that does not name its lists applies every `*.csv` file of its suppression folder
/// (`.CSV` too: the extension is matched in any case), so a do-not-contact list deleted or
/// renamed to another extension would simply stop applying. A list that the last successful
/// run of the pipeline applied from a folder whose lists are not named, and that the run about
/// to start does not apply (under its path or, renamed, with the same content), stops the run
/// with exit status 66 before any row is read. A pipeline that names its lists decides for
/// itself: a list dropped from its `lists:` is not looked for.
public struct VanishedListCheck {
    /// The history the previous runs are in.
    public let history: HistoryStore
    /// The pipeline's name (runs of the same pipeline are compared).
    public let pipeline: String
    /// Where to say that a list was found under another name.
    public let logger: Logger

    /// A check of pipeline `pipeline`'s runs in `history`.
    public init(history: HistoryStore, pipeline: String, logger: Logger) {
        self.history = history
        self.pipeline = pipeline
        self.logger = logger
    }

    /// Checks the lists a run is about to apply.
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`, exit status 66) naming each list that
    ///   disappeared and the run that last applied it; ``NightlyError`` (`.history`) when the
    ///   history cannot be read.
    public func check(_ current: [RunReport.AppliedList]) throws {
        guard let previous = try history.lastAppliedLists(pipeline: pipeline) else { return }
        let unnamedFolders = Set(current.filter { !$0.named }.map(\.folder))
        let paths = Set(current.map(\.path))
        var gone: [RunReport.AppliedList] = []
        for list in previous.lists where unnamedFolders.contains(list.folder) && !paths.contains(list.path) {
            if let renamed = current.first(where: { $0.sha256 == list.sha256 }) {
                logger.info("suppression list \(list.name) now applies as \(renamed.name) (same content)")
            } else {
                gone.append(list)
            }
        }
        guard let first = gone.first else { return }
        let names = gone.map { "\($0.name) (\($0.entries) entr\($0.entries == 1 ? "y" : "ies"), SHA-256 \($0.sha256.prefix(12))…)" }
        let remaining = current.filter { $0.folder == first.folder }.map(\.name)
        let plural = gone.count > 1
        throw ListWashError(.referenceData, """
            suppression list\(plural ? "s" : "") \(names.joined(separator: ", ")) \(plural ? "are" : "is") gone from \(first.folder): run \(previous.runID) \
            applied \(plural ? "them" : "it"), and this pipeline applies every *.csv file of the folder, so the people on \(plural ? "them" : "it") \
            would no longer be held back. The run stops before reading any row. Restore the file (a list renamed within the folder applies \
            again if its name ends in .csv, in any case), or, if it was removed on purpose, name the lists that apply in the pipeline without it: \
            suppression: {folder: ..., lists: [\(remaining.joined(separator: ", "))]}
            """, at: SourceLocation(file: first.path))
    }
}
