#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ListWash
import ListWashMatch
import Logging

/// What the command line overrides in a nightly run.
public struct NightlyOptions: Sendable {
    /// The inbox: a folder (keeping the pipeline's file pattern) or a glob.
    public var inbox: String?
    /// Process files whose content was processed before.
    public var force = false
    /// A file to append the log to (besides standard error).
    public var logFile: String?
    /// Show a progress bar: `nil` shows one when standard error is a terminal.
    public var progress: Bool?

    /// No overrides.
    public init() {}
}

/// What a nightly run did.
public struct NightlyOutcome: Sendable {
    /// The run's id.
    public var runID: String
    /// How it ended: `succeeded` or `nothing-new`.
    public var status: RunStatus
    /// The run report, when files were processed.
    public var report: RunReport?
    /// Files processed.
    public var processed: [InboxFile]
    /// Files skipped, with the reason.
    public var skipped: [(file: InboxFile, reason: String)]
    /// The run's output folder, when files were processed.
    public var outputFolder: String?

    /// What a run says of the lead ledger's pending leads.
    public static func ledgerLines(_ pending: RunReport.PendingLeads) -> [String] {
        var lines = ["lead ledger: \(pending.pending) lead\(pending.pending == 1 ? "" : "s") of earlier runs not yet in the CRM export (matched like CRM leads); \(pending.confirmed) confirmed by this export"]
        if pending.notLoadedCount > 0 {
            let shown = pending.notLoaded.prefix(5).joined(separator: ", ") + (pending.notLoadedCount > 5 ? ", ..." : "")
            lines.append("warning: \(pending.notLoadedCount) lead\(pending.notLoadedCount == 1 ? "" : "s") created more than \(pending.days) days ago still not in the CRM export (no longer matched): not loaded? \(shown) (listwash history --person ID)")
        }
        return lines
    }

    /// The summary printed at the end of a run.
    public var summary: String {
        var lines: [String] = []
        switch status {
        case .nothingNew:
            lines.append("run \(runID): no new files in the inbox; nothing written")
        default:
            lines.append("run \(runID): \(processed.count) new file\(processed.count == 1 ? "" : "s")" + (skipped.isEmpty ? "" : ", \(skipped.count) skipped"))
            if let report { lines.append(report.summary) }
            if let pending = report?.pendingLeads { lines += Self.ledgerLines(pending) }
        }
        for (file, reason) in skipped { lines.append("skipped \(file.path): \(reason)") }
        if let outputFolder { lines.append("report: \(outputFolder)/report.html") }
        return lines.joined(separator: "\n")
    }
}

/// One nightly run: takes the locks on the output root and on the inbox, checks that the
/// history is the output root's own, finishes the history of any run that was killed, picks up
/// the new files in the inbox, runs the pipeline over them into a hidden folder, commits the run
/// in the history, moves the folder into place as `OUTPUT_ROOT/<run id>/`, then moves or marks
/// the inputs.
///
/// **The history is the commit point.** A run's steps, in order:
///
/// 1. `beginRun`: the run is `running`, with its input files.
/// 2. The pipeline writes every output and `report.json` into the hidden folder
///    `OUTPUT_ROOT/.listwash-incomplete-<run id>/`.
/// 3. `recordResults`: counts, reasons and applied lists; the run is `committing`.
/// 4. `report.html` is written into the hidden folder, which is synced.
/// 5. **Commit**: one history transaction marks the run `succeeded` (a busy database is
///    retried for the history's busy timeout). From here on its files count as processed.
/// 6. The hidden folder is renamed to `OUTPUT_ROOT/<run id>/` and the root synced.
/// 7. The input files are moved or marked.
///
/// What each failure leaves, so that no folder is ever visible without a `succeeded` run:
///
/// - A failure in steps 1-5 (a bad input, a busy or full history): the hidden folder is removed
///   and the run recorded `failed` with its exit status; if even that cannot be written, the
///   run stays `running`/`committing` and the next run marks it `interrupted`. Nothing is
///   visible; the files stay in the inbox and are processed again.
/// - A failure of step 6: the run is recorded `failed` again and its hidden folder removed; if
///   that history write fails too, the history still says `succeeded` and the next run's
///   ``RunRecovery`` moves the hidden folder into place.
/// - A kill between 5 and 6: the same roll-forward by the next run. A kill before 5: the next
///   run marks the run `interrupted` and removes its hidden folder. A kill after 6: the files
///   are skipped by their content next time, and moved then.
///
/// ```swift
/// let configuration = try PipelineConfiguration.load(path: "pipelines/nightly.yaml")
/// let outcome = try NightlyRun(configuration: configuration, logger: logger).run()
/// print(outcome.summary)
/// ```
public struct NightlyRun {
    /// The folder name prefix of a run's outputs while it is being written.
    public static let stagingPrefix = ".listwash-incomplete-"

    /// The pipeline (its output folder is the output root).
    public let configuration: PipelineConfiguration
    /// Command-line overrides.
    public let options: NightlyOptions
    /// Where log lines go.
    public let logger: Logger
    /// The clock (fixed in tests).
    public var now: @Sendable () -> Date = { Date() }
    /// Seconds a history write waits, retrying, while another connection holds the database.
    public var historyBusyTimeout = HistoryStore.defaultBusyTimeout

    /// The points between the steps of a run's commit (see ``NightlyRun``).
    enum CommitStep: Sendable {
        /// Outputs and report.json are in the hidden folder; the results are recorded next.
        case results
        /// The results are recorded (`committing`); report.html is written next.
        case page
        /// The hidden folder is complete; the run is committed (`succeeded`) next.
        case commit
        /// The run is committed; its folder is moved into place next.
        case reveal
    }

    /// Called at each point of the commit: tests fail or hold the history there.
    var beforeStep: ((CommitStep) throws -> Void)?
    /// Called once the pipeline has read the inputs, before the run checks that none changed
    /// meanwhile (tests change a file there).
    var afterPipeline: (() -> Void)?

    /// A nightly run of `configuration`.
    public init(configuration: PipelineConfiguration, options: NightlyOptions = NightlyOptions(), logger: Logger) {
        self.configuration = configuration
        self.options = options
        self.logger = logger
    }

    /// Whether `configuration` (with `options`) is a nightly pipeline: it names an inbox.
    public static func applies(to configuration: PipelineConfiguration, options: NightlyOptions) -> Bool {
        configuration.inbox != nil || options.inbox != nil
    }

    /// The history database's path for `configuration`.
    public static func historyPath(for configuration: PipelineConfiguration) -> String {
        configuration.historyPath ?? "\(configuration.outputFolder)/\(HistoryStore.defaultFileName)"
    }

    /// Runs once.
    ///
    /// - Throws: ``NightlyError`` (`.locked`, status 75) when another run holds the output
    ///   root or the inbox, (`.history`, 74) when the history cannot be used or is not the
    ///   output root's own; ``ListWashError`` for what stops any run (66 when a suppression
    ///   list that earlier runs applied is gone). A failed run is recorded as failed and leaves
    ///   no output.
    public func run() throws -> NightlyOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        let root = configuration.outputFolder
        guard let pattern = InboxScanner.pattern(configuration.inbox, override: options.inbox) else {
            throw ListWashError(.usage, "no inbox: name one under inbox: in the pipeline file or with --inbox DIR", at: configuration.file.map { SourceLocation(file: $0) })
        }
        let lock = try RunLock.acquire(in: root, now: now(), outputRoot: root)
        defer { lock.release() }
        ReadWatchdog.shared.limit = configuration.readTimeoutSeconds
        if let previous = lock.previousHolder {
            logger.warning("the last run (\(previous)) did not finish; its lock is taken over")
        }
        let inboxLock = try InboxLock.acquire(pattern: pattern, outputRoot: root, now: now(), logger: logger)
        defer { inboxLock?.release() }
        let historyPath = Self.historyPath(for: configuration)
        try HistoryIdentity.refuseNewHistory(at: historyPath, root: root)
        let history = try HistoryStore(path: historyPath, busyTimeout: historyBusyTimeout)
        try HistoryIdentity.verify(history, root: root, logger: logger)
        try RunRecovery(root: root, history: history, logger: logger).recover()

        // Only complete files: a file still being written is left for the next run.
        let settled = InboxSettle(interval: configuration.inbox?.settleSeconds ?? 5).take(try InboxScanner.scan(pattern: pattern, lists: configuration.inbox?.lists ?? []))
        let files = settled.ready
        let plan = try InboxPlan.make(files: files, history: history, force: options.force)
        let startDate = now()
        let runID = RunID.make(at: startDate, files: plan.process.map(\.file), root: root, taken: try history.runIDs())
        let disposal = InputDisposal(inbox: configuration.inbox, pattern: pattern)
        logger.info("run \(runID): \(files.count) file\(files.count == 1 ? "" : "s") in \(pattern): \(plan.process.count) new, \(plan.skip.count) already processed")
        for entry in plan.skip { logger.info("skipping \(entry.file.path): \(entry.skipReason ?? "")") }
        let waiting = settled.waiting
        for (file, reason) in waiting { logger.warning("leaving \(file.path) in the inbox: \(reason)") }

        let entries = plan.process + plan.skip
        let inputs = entries.map { RunInput(path: $0.file.path, sha256: $0.sha256, bytes: $0.file.size, list: $0.file.list, processed: $0.skipReason == nil, note: $0.skipReason) }
            + waiting.map { RunInput(path: $0.file.path, sha256: nil, bytes: $0.file.size, list: $0.file.list, processed: false, note: $0.reason) }
        let finalFolder = "\(root)/\(runID)"
        let newRun = HistoryStore.NewRun(id: runID, name: configuration.name, pipeline: configuration.file, startedAt: Timestamp.iso8601(startDate),
                                         outputFolder: plan.process.isEmpty ? nil : finalFolder)

        guard !plan.process.isEmpty else {
            try history.beginRun(newRun, inputs: inputs, status: .nothingNew)
            try history.finish(runID: runID, status: .nothingNew, exitStatus: 0, message: "no new files", seconds: (clock.now - started).seconds, at: now())
            dispose(plan.skip, offset: 0, runID: runID, disposal: disposal, history: history)
            logger.info("run \(runID): no new files; nothing written")
            return NightlyOutcome(runID: runID, status: .nothingNew, report: nil, processed: [], skipped: plan.skip.map { ($0.file, $0.skipReason ?? "") } + waiting, outputFolder: nil)
        }

        try history.beginRun(newRun, inputs: inputs)
        let staged = "\(root)/\(Self.stagingPrefix)\(runID)"
        Self.undoOnInterrupt(runID: runID, staged: staged, historyPath: Self.historyPath(for: configuration))
        defer { Interruption.shared.cancel(staged) }
        let report: RunReport, seconds: Double
        do {
            let shownPending = PendingLeadMatches()
            report = try process(plan: plan, inputs: inputs, runID: runID, staged: staged, final: finalFolder, history: history, started: started, clock: clock,
                                 shownPending: shownPending)
            try beforeStep?(.commit)
            seconds = (clock.now - started).seconds
            // The commit point: a signal waits for it, and finds nothing to undo after it.
            try Interruption.shared.commit(staged) {
                try history.commit(runID: runID, seconds: seconds, at: now(), createdAt: newRun.startedAt, folder: staged, confirming: shownPending.confirmed)
            }
        } catch {
            Interruption.shared.waitIfInterrupted()   // the handler records the run and ends the process
            try? FileManager.default.removeItem(atPath: staged)
            let (status, message) = Self.describe(error)
            logger.error("run \(runID): failed with exit status \(status): \(message); nothing was written and its files stay in the inbox")
            try? history.finish(runID: runID, status: .failed, exitStatus: Int(status), message: message, seconds: (clock.now - started).seconds, at: now())
            throw error
        }
        try reveal(runID: runID, staged: staged, final: finalFolder, history: history)
        logger.info("run \(runID): succeeded in \(String(format: "%.2f", seconds)) s; outputs in \(finalFolder)")
        dispose(plan.process + plan.skip, offset: 0, runID: runID, disposal: disposal, history: history)
        var shown = report
        shown.seconds = seconds
        return NightlyOutcome(runID: runID, status: .succeeded, report: shown, processed: plan.process.map(\.file),
                              skipped: plan.skip.map { ($0.file, $0.skipReason ?? "") } + waiting, outputFolder: finalFolder)
    }

    /// Moves a committed run's hidden folder into place. When that fails, the run is recorded
    /// as failed again and its folder removed; when the history cannot be written either, it
    /// still says `succeeded` and the next run moves the folder into place (``RunRecovery``).
    private func reveal(runID: String, staged: String, final: String, history: HistoryStore) throws {
        do {
            try beforeStep?(.reveal)
            try FileSystem.rename(staged, to: final)
            Self.syncFolder(configuration.outputFolder)
        } catch {
            let (status, message) = Self.describe(error)
            do {
                try history.finish(runID: runID, status: .failed, exitStatus: Int(status), message: message, seconds: nil, at: now())
            } catch {
                logger.error("run \(runID): its outputs are complete in \(staged) and the history records it as succeeded, but the folder could not be moved into place: \(message). The next run moves it to \(final)")
                throw NightlyError(.history, "\(message); the outputs of run \(runID) are complete in \(staged) and the history records it as succeeded: the next run moves them into place", at: SourceLocation(file: staged))
            }
            try? FileManager.default.removeItem(atPath: staged)
            logger.error("run \(runID): failed with exit status \(status): \(message); nothing was written and its files stay in the inbox")
            throw error
        }
    }

    /// Runs the pipeline into the hidden folder, records the results (`committing`) and writes
    /// report.html: steps 2-4 of the commit.
    private func process(plan: InboxPlan, inputs: [RunInput], runID: String, staged: String, final: String,
                         history: HistoryStore, started: ContinuousClock.Instant, clock: ContinuousClock, shownPending: PendingLeadMatches) throws -> RunReport {
        var runConfiguration = configuration
        runConfiguration.inputs = plan.process.map { entry in
            var input = PipelineConfiguration.Input(path: entry.file.path)
            input.list = entry.file.list
            return input
        }
        runConfiguration.outputFolder = staged
        runConfiguration.outputFile = nil   // a nightly run writes one file per disposition in its folder
        let pending = try LedgerPendingLeads(history: history, configuration: configuration, now: now(), log: LogSetup.diagnostics(to: logger))
        pending.apply(to: &runConfiguration, matches: shownPending)
        let deferred = plan.process.filter { $0.sha256 == nil }.map(\.file.path)
        let hasher = deferred.isEmpty ? nil : BackgroundHasher(paths: deferred)

        let observer = RunObserver()
        var runner = Runner(configuration: runConfiguration, log: LogSetup.diagnostics(to: logger))
        runner.observers = [observer]
        let listCheck = VanishedListCheck(history: history, pipeline: configuration.name, logger: logger)
        runner.approveLists = { try listCheck.check($0) }
        let sizes = plan.process.map(\.file.size)
        let bar = ProgressBar(total: sizes.reduce(0, +), enabled: options.progress)
        var report: RunReport
        do {
            report = try runner.run(progress: bar?.reading())
            bar?.finish()
        } catch {
            bar?.finish()
            _ = try? hasher?.wait()
            throw error
        }
        let hashes = try hasher?.wait() ?? [:]
        afterPipeline?()
        if let (file, change) = InboxSettle.changed(plan.process.map(\.file)).first {
            throw ListWashError.changedWhileRead(file.path, change: change)
        }

        // Results per input, in the order the history has them.
        let tally = observer.counts
        var recorded = inputs
        var reasons: [ReasonCount] = []
        for (position, entry) in plan.process.enumerated() {
            let inputReport = report.inputs.first { $0.path == entry.file.path }
            recorded[position].sha256 = entry.sha256 ?? hashes[entry.file.path]
            recorded[position].rowsIn = inputReport?.counts.rowsIn ?? 0
            recorded[position].rowsOut = Dictionary(uniqueKeysWithValues: Disposition.allCases.map { ($0, inputReport?.counts.rowsOut[$0.rawValue] ?? 0) })
            for (disposition, counts) in tally.reasons[entry.file.path] ?? [:] {
                for (reason, rows) in counts { reasons.append(ReasonCount(list: entry.file.list, disposition: disposition, reason: reason, rows: rows)) }
            }
        }
        reasons = Self.merged(reasons)

        report.outputFolder = final
        report.outputFiles.append("report.html")
        report.pendingLeads = pending.summary(shownPending)
        report.seconds = (clock.now - started).seconds
        try FileSystem.write(try report.json(), to: "\(staged)/report.json")
        try beforeStep?(.results)
        try history.recordResults(runID: runID, inputs: recorded, reasons: reasons, histogram: tally.histogram, lists: report.suppressionLists)
        try beforeStep?(.page)

        // The page shows the run as it will stand once its folder is in place.
        var detail = try history.run(matching: runID)
        detail.summary.status = .succeeded
        detail.summary.exitStatus = 0
        detail.summary.seconds = report.seconds
        let page = ReportPage(run: detail, report: report, scorecard: try history.scorecard())
        try FileSystem.write(page.html, to: "\(staged)/report.html")
        Self.syncFolder(staged)
        return report
    }

    /// Moves or marks each file; a failure is logged (the next run skips the file by its hash
    /// and tries again).
    private func dispose(_ entries: [InboxPlan.Entry], offset: Int, runID: String, disposal: InputDisposal, history: HistoryStore) {
        for entry in entries {
            do {
                if let target = try disposal.apply(to: entry.file, runID: runID) {
                    logger.info("moved \(entry.file.path) to \(target)")
                }
            } catch {
                logger.warning("\(Self.describe(error).message); the next run skips it by its content and tries again")
            }
        }
    }

    /// Adds up reason counts of the same list, disposition and reason, most frequent first.
    static func merged(_ reasons: [ReasonCount]) -> [ReasonCount] {
        var totals: [String: ReasonCount] = [:]
        for reason in reasons {
            let key = "\(reason.list)\u{1F}\(reason.disposition.rawValue)\u{1F}\(reason.reason)"
            if totals[key] == nil { totals[key] = reason } else { totals[key]?.rows += reason.rows }
        }
        return totals.values.sorted { ($0.rows, $1.reason) > ($1.rows, $0.reason) }
    }

    /// The exit status and message of an error.
    static func describe(_ error: any Error) -> (status: Int32, message: String) {
        switch error {
        case let error as ListWashError: (error.exitStatus, error.description)
        case let error as NightlyError: (error.exitStatus, error.description)
        default: (70, "\(error)")
        }
    }

    /// Makes a rename in `folder` durable.
    static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
