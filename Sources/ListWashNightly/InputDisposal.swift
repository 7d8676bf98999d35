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
    /// - Throws: ``ListWashError`` (`.output`) when it cannot be moved or renamed.
    public func apply(to file: InboxFile, runID: String) throws -> String? {
        let target: String
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
