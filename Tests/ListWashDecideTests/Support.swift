import Foundation
import ListWashCore
import ListWashNormalize
@testable import ListWashDecide

/// The package's root folder, found from this file's path.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A temporary folder for one test, removed when the value goes away.
final class Scratch {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "listwash-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let file = "\(path)/\(name)"
        try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
        return file
    }

    /// Writes a list and reads it.
    func list(_ name: String, _ text: String) throws -> SuppressionList {
        try SuppressionList(path: write(name, text))
    }
}

/// The error a throwing call raises, as the user reads it.
func errorText(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as ListWashError {
        return error.description
    } catch {
        return "\(error)"
    }
}

/// Rows with `header` after normalize and suppress (and extra columns set by hand, such as
/// the match stage's `listwash_account_id`): each row's disposition and reason.
func suppress(
    _ stage: SuppressStage, header: [String], rows: [[String]], normalize: Bool = true,
    extra: [String: [String]] = [:]
) throws -> [(disposition: Disposition?, reason: String, list: String)] {
    let stages: [any Stage] = normalize ? [NormalizeStage(), stage] : [stage]
    let layout = OutputLayout(adding: stages.flatMap(\.outputColumns) + extra.keys.sorted())
    let schema = try ColumnMapping().resolve(header: header, source: "in.csv")
    var batch = RecordBatch(schema: schema, layout: layout, rows: rows)
    for (name, values) in extra {
        guard let column = layout.column(name) else { continue }
        for (row, value) in values.enumerated() { batch[row, column] = value }
    }
    try stage.setUp()
    for stage in stages { try stage.process(&batch) }
    let listColumn = layout.column(SuppressStage.listColumn)
    return (0..<batch.count).map { row in (batch.dispositions[row], batch.reasons[row], listColumn.map { batch[row, $0] } ?? "") }
}
