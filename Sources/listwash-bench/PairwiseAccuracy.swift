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
        // Pair counts from the contingency of predicted clusters and true groups (no pair lists:
        // a bad clustering can have billions of pairs).
        func pairs(_ n: Int) -> Int { n * (n - 1) / 2 }
        var result = PairwiseAccuracy()
        if let truthPairs {
            var byCluster: [String: String] = [:]
            var sizes: [String: Int] = [:]
            for row in rows.records { byCluster[row[id]] = row[cluster]; sizes[row[cluster], default: 0] += 1 }
            result.predicted = sizes.values.reduce(0) { $0 + pairs($1) }
            for row in try readCSV(truthPairs).records where row.count >= 2 {
                result.actual += 1
                if let a = byCluster[row[0]], a == byCluster[row[1]] { result.truePositives += 1 }
            }
        } else if let truthColumn, let truth = rows.header.firstIndex(of: truthColumn) {
            var predicted: [String: Int] = [:], actual: [String: Int] = [:], both: [String: Int] = [:]
            for row in rows.records {
                predicted[row[cluster], default: 0] += 1
                actual[row[truth], default: 0] += 1
                both[row[cluster] + "\u{1}" + row[truth], default: 0] += 1
            }
            result.predicted = predicted.values.reduce(0) { $0 + pairs($1) }
            result.actual = actual.values.reduce(0) { $0 + pairs($1) }
            result.truePositives = both.values.reduce(0) { $0 + pairs($1) }
        }
        return result
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
