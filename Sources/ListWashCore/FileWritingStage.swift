/// A stage that writes files of its own beside the disposition files (the match stage's
/// `update.csv` and `merge.csv`): written into the run's staging folder once every row is
/// written, committed with the run's outputs, and listed in report.json. Only a run into an
/// output folder writes them (not one into a single file).
public protocol FileWritingStage: Stage {
    /// Reads a batch just before it is written, when every row's disposition is final (an open
    /// row loads). Called on any core, in any order.
    func observeWritten(_ batch: RecordBatch)

    /// Writes the stage's files into `folder`, once every batch is written.
    ///
    /// - Returns: each file written, with its rows.
    func writeFiles(in folder: String) throws -> [WrittenFile]
}

/// A file a stage wrote beside the disposition files: its name, its rows, and counts that
/// explain it (for update.csv, the values held back and why).
public struct WrittenFile: Codable, Sendable, Equatable {
    /// The file's name in the output folder.
    public var name: String
    /// Its rows (the header not counted).
    public var rows: Int
    /// Counts by what they count (`held back: the CRM value is newer`).
    public var notes: [String: Int]

    /// A file `name` of `rows` rows.
    public init(name: String, rows: Int, notes: [String: Int] = [:]) {
        self.name = name
        self.rows = rows
        self.notes = notes
    }
}

/// Shows every batch, just before it is written, to the stages that write files of their own
/// (the runner puts it last).
public struct WrittenBatches: Stage {
    /// The stages shown every batch.
    public let stages: [any FileWritingStage]

    /// Shows every batch to `stages`.
    public init(stages: [any FileWritingStage]) {
        self.stages = stages
    }

    public var name: String { "written" }

    /// The stages read batches on any core.
    public var runsConcurrently: Bool { true }

    public func process(_ batch: inout RecordBatch) throws {
        for stage in stages { stage.observeWritten(batch) }
    }
}
