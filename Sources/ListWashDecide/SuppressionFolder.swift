import ListWashCore

/// The folder of suppression lists a pipeline names, and which of its lists apply, in order.
///
/// ```swift
/// let folder = SuppressionFolder(path: "suppression-lists", lists: ["competitors.csv", "opt-outs.csv"])
/// try folder.listPaths() // ["suppression-lists/competitors.csv", "suppression-lists/opt-outs.csv"]
/// ```
/// With no lists named, every `*.csv` file of the folder applies, in name order, its extension
/// in any case (`DNC.CSV` too: a user who renames a list expects it to keep applying); the
/// README and other files are left alone.
public struct SuppressionFolder: Sendable, Equatable {
    /// The folder's path.
    public var path: String
    /// The lists that apply, in order, as file names in the folder (or absolute paths); empty
    /// means every `*.csv` file of the folder.
    public var lists: [String]

    /// The lists `lists` of folder `path`.
    public init(path: String, lists: [String] = []) {
        self.path = path
        self.lists = lists
    }

    /// The paths of the lists that apply, in order.
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`) when the folder is missing, holds no
    ///   list, or a named list is not in it (with the nearest name).
    public func listPaths() throws -> [String] {
        let here = SourceLocation(file: path)
        guard FileSystem.isDirectory(path) else {
            throw ListWashError(.referenceData, "suppression-list folder \(path) not found", at: here)
        }
        let files = FileSystem.contents(of: path).filter { $0.lowercased().hasSuffix(".csv") }
        guard !lists.isEmpty else {
            guard !files.isEmpty else {
                throw ListWashError(.referenceData, "no suppression lists (*.csv) in \(path); add one or remove suppression: from the pipeline", at: here)
            }
            return files.map { "\(path)/\($0)" }
        }
        return try lists.map { name in
            if name.hasPrefix("/") { return name }
            if FileSystem.exists("\(path)/\(name)") { return "\(path)/\(name)" }
            if !name.lowercased().hasSuffix(".csv"), FileSystem.exists("\(path)/\(name).csv") { return "\(path)/\(name).csv" }
            var message = "suppression list '\(name)' not found in \(path)"
            if let near = files.map({ ($0, editDistance($0.lowercased(), name.lowercased())) }).min(by: { $0.1 < $1.1 }), near.1 <= max(3, name.count / 3) {
                message += ". Did you mean '\(near.0)'?"
            } else {
                message += files.isEmpty ? "; the folder holds no lists" : "; the folder holds: \(files.joined(separator: ", "))"
            }
            throw ListWashError(.referenceData, message, at: SourceLocation(file: "\(path)/\(name)"))
        }
    }
}
