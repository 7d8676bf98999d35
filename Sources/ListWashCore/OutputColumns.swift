/// The columns of an output file when a run reads several sources: the first source's columns
/// in order, then any column another source adds. Each source's fields land under their own
/// names; a column a source lacks stays empty.
public struct OutputColumns: Sendable {
    /// The input part of the output header.
    public let names: [String]
    /// For each source (by its path), the source column index behind each output column, or -1.
    private let sourceColumns: [String: [Int]]

    /// The union of `headers` (source path and header), in order.
    public init(headers: [(source: String, columns: [String])]) {
        var names: [String] = []
        for (_, columns) in headers {
            var seen: [String: Int] = [:]
            for column in columns {
                seen[column, default: 0] += 1
                if names.filter({ $0 == column }).count < seen[column, default: 0] { names.append(column) }
            }
        }
        var mapping: [String: [Int]] = [:]
        for (source, columns) in headers {
            var used = Set<Int>()
            mapping[source] = names.map { name in
                guard let index = columns.indices.first(where: { columns[$0] == name && !used.contains($0) }) else { return -1 }
                used.insert(index)
                return index
            }
        }
        self.names = names
        self.sourceColumns = mapping
    }

    /// The source column index for each output column of `source`, when they differ from the
    /// identity; `nil` when the source's columns are the output's columns.
    func columnMap(for source: String) -> [Int]? {
        guard let map = sourceColumns[source] else { return nil }
        return map.enumerated().allSatisfy({ $0.offset == $0.element }) ? nil : map
    }
}
