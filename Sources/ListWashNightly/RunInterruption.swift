import Foundation
import GRDB
import ListWash

extension NightlyRun {
    /// How long an interrupted run waits for the history database before it gives up marking
    /// the run (the next run marks it instead).
    static let interruptedHistoryTimeout: TimeInterval = 2

    /// Registers what Ctrl-C or SIGTERM undoes while run `runID` writes into `staged`: the
    /// folder is removed and the run is marked `interrupted` in the history at `historyPath`
    /// at once, through a connection of its own that waits at most two seconds. Dropped when
    /// the folder is moved into place (``Interruption/commit(_:_:)`` under the key `staged`)
    /// or cancelled.
    static func undoOnInterrupt(runID: String, staged: String, historyPath: String) {
        Interruption.shared.register(staged) { signal in
            Interruption.removeTree(staged)
            do {
                try HistoryStore.markInterrupted(path: historyPath, runID: runID, signal: signal, timeout: interruptedHistoryTimeout)
                return ["nothing was written", "run \(runID) marked interrupted"]
            } catch {
                return ["nothing was written", "run \(runID) could not be marked interrupted (the history is busy); the next run marks it"]
            }
        }
    }
}

extension HistoryStore {
    /// Marks run `runID` `interrupted` by `signal` (exit status 128 + signal) if it is still
    /// `running` or `committing`: what the signal handler of an interrupted run does. It opens a
    /// connection of its own, so it never waits on the run's, and waits at most `timeout`
    /// seconds for the database.
    ///
    /// - Throws: ``NightlyError`` (`.history`) when the database cannot be written in time.
    public static func markInterrupted(path: String, runID: String, signal: Int32, timeout: TimeInterval, at date: Date = Date()) throws {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(timeout)
            configuration.label = "listwash-history-interrupted"
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.write { db in
                try db.execute(sql: "UPDATE run SET status = ?, exit_status = ?, message = ?, finished_at = ? WHERE id = ? AND status IN (?, ?)",
                               arguments: [RunStatus.interrupted.rawValue, Int(128 + signal),
                                           "interrupted by \(Interruption.name(of: signal)): nothing was written; its files stay in the inbox and the next run processes them",
                                           Timestamp.iso8601(date), runID, RunStatus.running.rawValue, RunStatus.committing.rawValue])
            }
        } catch {
            let detail = (error as? DatabaseError)?.message ?? "\(error)"
            throw NightlyError(.history, "cannot record the interruption of run \(runID) in \(path): \(detail)", at: SourceLocation(file: path))
        }
    }
}
