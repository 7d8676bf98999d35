import ListWashCore
import ListWashDecide
import ListWashNormalize

extension PipelineConfiguration {
    /// Reads every suppression list the pipeline's `suppress` stage applies, as a run would,
    /// so that `listwash check` finds a missing, empty or malformed list before a run does.
    ///
    /// ```swift
    /// try configuration.checkSuppressionLists() // [("competitors.csv", 5, []), ("opt-outs.csv", 3, [])]
    /// ```
    /// - Returns: each list's file name and entry count, in the order they apply; empty when
    ///   the pipeline has no `suppress` stage.
    /// - Throws: ``ListWashError`` (`.referenceData`, exit status 66) naming the file and line.
    /// - Parameter log: where a list whose values held invisible characters is reported (they
    ///   are removed, as a run removes them).
    public func checkSuppressionLists(log: DiagnosticLog? = nil) throws -> [(list: String, entries: Int, cleanedCells: [SourceLocation])] {
        var lists: [(list: String, entries: Int, cleanedCells: [SourceLocation])] = []
        for case let suppress as SuppressDefinition in try StageCatalog.definitions(of: self) {
            // The lists alone: the accounts export is the match stage's to check.
            guard let folder = suppress.folder else { continue }
            let read = try SuppressStage.read(folder.listPaths(), normalizer: Normalizer())
            lists += read.map { ($0.name, $0.entryCount, $0.cleanedCells) }
            for list in read {
                if let first = list.cleanedCells.first { log?.warn(SuppressionList.cleanedCellsMessage(list.cleanedCells.count), at: first) }
            }
        }
        return lists
    }
}
