#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ListWash
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

    /// The summary printed at the end of a run.
    public var summary: String {
        var lines: [String] = []
        switch status {
        case .nothingNew:
            lines.append("run \(runID): no new files in the inbox; nothing written")
        default:
            lines.append("run \(runID): \(processed.count) new file\(processed.count == 1 ? "" : "s")" + (skipped.isEmpty ? "" : ", \(skipped.count) skipped"))
            if let report { lines.append(report.summary) }
        }
        for (file, reason) in skipped { lines.append("skipped \(file.path): \(reason)") }
        if let outputFolder { lines.append("report: \(outputFolder)/report.html") }
        return lines.joined(separator: "\n")
    }
}

/// One nightly run: takes the lock on the output root, finishes the history of any run that was
/// killed, picks up the new files in the inbox, runs the pipeline over them into a hidden folder,
/// records the results, writes report.html, moves the folder into place as
/// `OUTPUT_ROOT/<run id>/`, marks the run done, then moves or marks the inputs.
///
/// A run killed at any moment leaves at most a hidden `.listwash-incomplete-<run id>` folder
/// (removed by the next run) and a history entry that the next run marks `interrupted`; the
/// files stay in the inbox and the next run processes them again.
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
    ///   root, (`.history`, 74) when the history cannot be used; ``ListWashError`` for what
    ///   stops any run. A failed run is recorded as failed and leaves no output.
    public func run() throws -> NightlyOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        let root = configuration.outputFolder
        let lock = try RunLock.acquire(in: root, now: now())
        defer { lock.release() }
        if let previous = lock.previousHolder {
            logger.warning("the last run (\(previous)) did not finish; its lock is taken over")
        }
        let history = try HistoryStore(path: Self.historyPath(for: configuration))
        try RunRecovery(root: root, history: history, logger: logger).recover()

        guard let pattern = InboxScanner.pattern(configuration.inbox, override: options.inbox) else {
            throw ListWashError(.usage, "no inbox: name one under inbox: in the pipeline file or with --inbox DIR", at: configuration.file.map { SourceLocation(file: $0) })
        }
        let files = try InboxScanner.scan(pattern: pattern, lists: configuration.inbox?.lists ?? [])
        let plan = try InboxPlan.make(files: files, history: history, force: options.force)
        let startDate = now()
        let runID = RunID.make(at: startDate, files: plan.process.map(\.file), root: root)
        let disposal = InputDisposal(inbox: configuration.inbox, pattern: pattern)
        logger.info("run \(runID): \(files.count) file\(files.count == 1 ? "" : "s") in \(pattern): \(plan.process.count) new, \(plan.skip.count) already processed")
        for entry in plan.skip { logger.info("skipping \(entry.file.path): \(entry.skipReason ?? "")") }

        let entries = plan.process + plan.skip
        let inputs = entries.map { RunInput(path: $0.file.path, sha256: $0.sha256, bytes: $0.file.size, list: $0.file.list, processed: $0.skipReason == nil, note: $0.skipReason) }
        let finalFolder = "\(root)/\(runID)"
        let newRun = HistoryStore.NewRun(id: runID, name: configuration.name, pipeline: configuration.file, startedAt: Timestamp.iso8601(startDate),
                                         outputFolder: plan.process.isEmpty ? nil : finalFolder)

        guard !plan.process.isEmpty else {
            try history.beginRun(newRun, inputs: inputs, status: .nothingNew)
            try history.finish(runID: runID, status: .nothingNew, exitStatus: 0, message: "no new files", seconds: (clock.now - started).seconds, at: now())
            dispose(plan.skip, offset: 0, runID: runID, disposal: disposal, history: history)
            logger.info("run \(runID): no new files; nothing written")
            return NightlyOutcome(runID: runID, status: .nothingNew, report: nil, processed: [], skipped: plan.skip.map { ($0.file, $0.skipReason ?? "") }, outputFolder: nil)
        }

        try history.beginRun(newRun, inputs: inputs)
        let staged = "\(root)/\(Self.stagingPrefix)\(runID)"
        Self.undoOnInterrupt(runID: runID, staged: staged, historyPath: Self.historyPath(for: configuration))
        defer { Interruption.shared.cancel(staged) }
        do {
            let report = try process(plan: plan, inputs: inputs, runID: runID, staged: staged, final: finalFolder, history: history, started: started, clock: clock)
            let seconds = (clock.now - started).seconds
            try history.finish(runID: runID, status: .succeeded, exitStatus: 0, message: nil, seconds: seconds, at: now())
            logger.info("run \(runID): succeeded in \(String(format: "%.2f", seconds)) s; outputs in \(finalFolder)")
            dispose(plan.process + plan.skip, offset: 0, runID: runID, disposal: disposal, history: history)
            var shown = report
            shown.seconds = seconds
            return NightlyOutcome(runID: runID, status: .succeeded, report: shown, processed: plan.process.map(\.file),
                                  skipped: plan.skip.map { ($0.file, $0.skipReason ?? "") }, outputFolder: finalFolder)
        } catch {
            Interruption.shared.waitIfInterrupted()   // the handler records the run and ends the process
            try? FileManager.default.removeItem(atPath: staged)
            let (status, message) = Self.describe(error)
            logger.error("run \(runID): failed with exit status \(status): \(message); nothing was written and its files stay in the inbox")
            try? history.finish(runID: runID, status: .failed, exitStatus: Int(status), message: message, seconds: (clock.now - started).seconds, at: now())
            throw error
        }
    }

    /// Runs the pipeline into the hidden folder, records the results, writes report.html and
    /// moves the folder into place.
    private func process(plan: InboxPlan, inputs: [RunInput], runID: String, staged: String, final: String,
                         history: HistoryStore, started: ContinuousClock.Instant, clock: ContinuousClock) throws -> RunReport {
        var runConfiguration = configuration
        runConfiguration.inputs = plan.process.map { entry in
            var input = PipelineConfiguration.Input(path: entry.file.path)
            input.list = entry.file.list
            return input
        }
        runConfiguration.outputFolder = staged
        runConfiguration.outputFile = nil   // a nightly run writes one file per disposition in its folder
        let deferred = plan.process.filter { $0.sha256 == nil }.map(\.file.path)
        let hasher = deferred.isEmpty ? nil : BackgroundHasher(paths: deferred)

        let observer = RunObserver()
        var runner = Runner(configuration: runConfiguration, log: LogSetup.diagnostics(to: logger))
        runner.observers = [observer]
        let sizes = plan.process.map(\.file.size)
        let bar = ProgressBar(total: sizes.reduce(0, +), enabled: options.progress)
        var finishedBytes = 0, currentPath = "", currentBytes = 0
        var report: RunReport
        do {
            report = try runner.run { path, bytes in
                if path != currentPath {
                    finishedBytes += currentBytes
                    currentPath = path
                }
                currentBytes = bytes
                bar?.update(finishedBytes + bytes)
            }
            bar?.finish()
        } catch {
            bar?.finish()
            _ = try? hasher?.wait()
            throw error
        }
        let hashes = try hasher?.wait() ?? [:]

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
        report.seconds = (clock.now - started).seconds
        try FileSystem.write(try report.json(), to: "\(staged)/report.json")
        try history.recordResults(runID: runID, inputs: recorded, reasons: reasons, histogram: tally.histogram)

        // The page shows the run as it will stand once its folder is in place.
        var detail = try history.run(matching: runID)
        detail.summary.status = .succeeded
        detail.summary.exitStatus = 0
        detail.summary.seconds = report.seconds
        let page = ReportPage(run: detail, report: report, scorecard: try history.scorecard())
        try FileSystem.write(page.html, to: "\(staged)/report.html")
        try Interruption.shared.commit(staged) { try FileSystem.rename(staged, to: final) }
        Self.syncFolder(configuration.outputFolder)
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
