import Foundation
import ListWash
import Logging

/// Finishes the history of runs that were killed, and removes what they left, before a new run
/// starts (it holds the lock, so no live run is touched). The history decides (see
/// ``NightlyRun`` for the order of a run's commit):
///
/// - A run recorded `succeeded` whose hidden folder is still there stopped between its commit
///   and the rename: its folder is moved into place.
/// - A run left `committing` whose output folder is in place (with its manifest,
///   `report.json`) had finished everything but the last history update (a history written by
///   an earlier version, which renamed first): it is marked `succeeded`.
/// - Any other unfinished run is marked `interrupted`; its hidden folder is removed and its
///   files, still in the inbox, are processed again. So is the hidden folder of a failed run.
public struct RunRecovery {
    /// The output root.
    public let root: String
    /// The history.
    public let history: HistoryStore
    /// Where to say what was done.
    public let logger: Logger

    /// Recovery of `root` with `history`.
    public init(root: String, history: HistoryStore, logger: Logger) {
        self.root = root
        self.history = history
        self.logger = logger
    }

    /// Marks unfinished runs and removes hidden folders; returns the runs it marked.
    @discardableResult
    public func recover() throws -> [(id: String, status: RunStatus)] {
        var marked: [(id: String, status: RunStatus)] = []
        for run in try history.unfinishedRuns() {
            let folder = run.outputFolder ?? "\(root)/\(run.id)"
            if run.status == .committing && FileSystem.exists("\(folder)/report.json") {
                try history.commit(runID: run.id, seconds: nil, createdAt: run.startedAt, folder: folder, message: "completed by recovery: the process stopped after its outputs were in place")
                logger.warning("run \(run.id) stopped after its outputs were in place; recorded as succeeded")
                marked.append((run.id, .succeeded))
            } else {
                try history.finish(runID: run.id, status: .interrupted, exitStatus: nil, message: "stopped before its outputs were in place (killed, or the machine went down); its files are processed again", seconds: nil)
                logger.warning("run \(run.id) (started \(run.startedAt)) did not finish; nothing of it was kept and its files are processed again")
                marked.append((run.id, .interrupted))
            }
        }
        let succeeded = Set(try history.runs().filter { $0.status == .succeeded }.map(\.id))
        // The hidden pending-lead exports of versions before the ledger's segments.
        for name in FileSystem.contents(of: root) where name.hasPrefix(".listwash-pending-") {
            try? FileManager.default.removeItem(atPath: "\(root)/\(name)")
        }
        for name in FileSystem.contents(of: root) where name.hasPrefix(NightlyRun.stagingPrefix) {
            let runID = String(name.dropFirst(NightlyRun.stagingPrefix.count))
            if succeeded.contains(runID) && !FileSystem.exists("\(root)/\(runID)") {
                try FileSystem.rename("\(root)/\(name)", to: "\(root)/\(runID)")
                NightlyRun.syncFolder(root)
                logger.warning("run \(runID) was recorded as succeeded but stopped before its outputs were moved into place; moved \(root)/\(name) to \(root)/\(runID)")
                continue
            }
            try? FileManager.default.removeItem(atPath: "\(root)/\(name)")
            logger.info("removed \(root)/\(name), left by a run that did not finish")
        }
        return marked
    }
}
