import Foundation
import ListWash

/// What becomes of an inbox file once a run has processed it (or found it processed before):
/// moved to the processed folder under the run's id, renamed with `.done`, or kept.
public struct InputDisposal: Sendable {
    /// What to do.
    public var after: PipelineConfiguration.Inbox.After
    /// Where `move` puts files.
    public var processedFolder: String

    /// A disposal for `inbox` whose files were found with `pattern`.
    public init(inbox: PipelineConfiguration.Inbox?, pattern: String) {
        after = inbox?.after ?? .move
        processedFolder = inbox?.processedFolder ?? "\(FileSystem.folder(of: pattern))/processed"
    }

    /// Moves or marks `file` for run `runID`; returns where it went (`nil` for `keep`).
    ///
    /// - Throws: ``ListWashError`` (`.output`) when it cannot be moved or renamed; (`.input`)
    ///   when it changed since the run took it (it is then left in the inbox, as not done).
    public func apply(to file: InboxFile, runID: String) throws -> String? {
        let target: String
        if after != .keep, let (_, change) = InboxSettle.changed([file]).first {
            throw ListWashError.changedWhileRead(file.path, change: change, afterRun: true)
        }
        switch after {
        case .keep:
            return nil
        case .move:
            let folder = "\(processedFolder)/\(runID)"
            try FileSystem.createDirectory(folder)
            target = "\(folder)/\(file.name)"
        case .mark:
            target = FileSystem.exists("\(file.path).done") ? "\(file.path).\(runID).done" : "\(file.path).done"
        }
        do {
            try FileManager.default.moveItem(atPath: file.path, toPath: target)
        } catch {
            throw ListWashError(.output, "cannot move \(file.path) to \(target): \(error.localizedDescription)", at: SourceLocation(file: file.path))
        }
        return target
    }
}

extension ListWashError {
    /// An inbox file that changed while a run read it (or after: `afterRun`): still being written.
    static func changedWhileRead(_ path: String, change: String, afterRun: Bool = false) -> ListWashError {
        afterRun
            ? ListWashError(.input, "\(path) changed after the run read it (\(change)): it is still being written, so it is left in the inbox, not moved or marked as done", at: SourceLocation(file: path))
            : ListWashError(.input, "\(path) changed while the run read it (\(change)): it is still being written; nothing was written, and every file stays in the inbox for the next run", at: SourceLocation(file: path))
    }
}
