import ListWash

/// Pairwise precision, recall and F1 of a clustering against true duplicate pairs.
struct PairwiseAccuracy {
    var truePositives = 0, predicted = 0, actual = 0

    var precision: Double { predicted == 0 ? 1 : Double(truePositives) / Double(predicted) }
    var recall: Double { actual == 0 ? 1 : Double(truePositives) / Double(actual) }
    var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    /// Compares the clusters in `output` (column `listwash_cluster`, ids in `idColumn`) with the
    /// pairs in `truth` (two id columns), or with pairs of rows sharing `truthColumn` in `output`.
    static func measure(output: String, idColumn: String, truthPairs: String?, truthColumn: String?) throws -> PairwiseAccuracy {
        let rows = try readCSV(output)
        guard let cluster = rows.header.firstIndex(of: "listwash_cluster"), let id = rows.header.firstIndex(of: idColumn) else {
            throw ListWashError(.input, "\(output) needs columns listwash_cluster and \(idColumn)")
        }
        var members: [String: [String]] = [:]
        for row in rows.records { members[row[cluster], default: []].append(row[id]) }
        var predictedPairs = Set<Pair>()
        for group in members.values where group.count > 1 {
            for a in 0..<group.count { for b in (a + 1)..<group.count { predictedPairs.insert(Pair(group[a], group[b])) } }
        }
        var truePairs = Set<Pair>()
        if let truthPairs {
            for row in try readCSV(truthPairs).records where row.count >= 2 { truePairs.insert(Pair(row[0], row[1])) }
        } else if let truthColumn, let truth = rows.header.firstIndex(of: truthColumn) {
            var groups: [String: [String]] = [:]
            for row in rows.records { groups[row[truth], default: []].append(row[id]) }
            for group in groups.values where group.count > 1 {
                for a in 0..<group.count { for b in (a + 1)..<group.count { truePairs.insert(Pair(group[a], group[b])) } }
            }
        }
        var result = PairwiseAccuracy()
        result.predicted = predictedPairs.count
        result.actual = truePairs.count
        result.truePositives = predictedPairs.intersection(truePairs).count
        return result
    }

    struct Pair: Hashable {
        let a: String, b: String
        init(_ x: String, _ y: String) { (a, b) = x < y ? (x, y) : (y, x) }
    }

    static func readCSV(_ path: String) throws -> (header: [String], records: [[String]]) {
        let reader = try CSVReader(path: path)
        let schema = Schema(source: path, columns: reader.header, roles: [:])
        var records: [[String]] = []
        while let batch = try reader.nextBatch(schema: schema, layout: OutputLayout()) {
            for row in 0..<batch.count { records.append(batch.fields(row)) }
        }
        return (reader.header, records)
    }
}
