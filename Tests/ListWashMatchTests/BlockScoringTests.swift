import Testing
@testable import ListWashMatch

/// Dedupe in pieces (what the Spark job runs on its executors) gives the answer of one machine:
/// blocks scored apart with the list's statistics, the pairs' connected components clustered
/// apart, then assigned, make the clusters, scores and possible matches of `Deduplicator.run`.
struct BlockScoringTests {
    @Test func blocksScoredApartAndComponentsClusteredApartGiveTheAnswerOfOneMachine() throws {
        let list = try WashedList(csv: Filler.header + "\n" + Filler.lines(3_000).joined(separator: "\n"))
        let features = list.features, n = features.count
        let statistics = ListStatistics(features, deduplicator: list.deduplicator)
        let scoring = BlockScoring(statistics: statistics)
        let rows = (0..<n).map { FeatureRows.encode(features, record: $0) }

        // Blocks: every record of one key under one rule, in input order.
        var blocks: [String: (rule: Int, records: [Int])] = [:]
        for (record, rule, key) in BlockScoring.keys(of: features, model: statistics.model) {
            blocks["\(rule):\(key)", default: (rule, [])].records.append(record)
        }
        // Scored in two passes (as two tasks would), each over every record.
        var pairs: [UInt64: Double] = [:]
        let all = Array(blocks.values).map { (rule: $0.rule, members: $0.records) }
        for part in [all[..<(all.count / 2)], all[(all.count / 2)...]] {
            for (left, right, probability) in try scoring.scoreBlocks(rows, blocks: Array(part)) {
                pairs[UInt64(left) << 32 | UInt64(right)] = probability
            }
        }
        #expect(pairs.count > 100)

        // Connected components of the pairs at or above the match threshold.
        let threshold = statistics.model.matchThreshold
        var parent = Array(0..<n)
        func root(_ x: Int) -> Int { var x = x; while parent[x] != x { x = parent[x] }; return x }
        for (pair, probability) in pairs where probability >= threshold {
            let a = root(Int(pair >> 32)), b = root(Int(pair & 0xFFFF_FFFF))
            parent[max(a, b)] = min(a, b)
        }
        var members: [Int: [Int]] = [:]
        for record in 0..<n { members[root(record), default: []].append(record) }

        var assignment = ClusterAssignment(statistics: statistics)
        func row(_ record: Int) -> ClusterAssignment.Row { ClusterAssignment.Row(source: "list.csv", row: record) }
        for (pair, probability) in pairs where probability < threshold { assignment.possible.append((row(Int(pair >> 32)), row(Int(pair & 0xFFFF_FFFF)), probability)) }
        for records in members.values where records.count > 1 {
            let position = Dictionary(uniqueKeysWithValues: records.enumerated().map { ($1, $0) })
            let local = pairs.compactMap { pair, probability -> (left: Int, right: Int, probability: Double)? in
                guard probability >= threshold, let i = position[Int(pair >> 32)], let j = position[Int(pair & 0xFFFF_FFFF)] else { return nil }
                return (i, j, probability)
            }
            let clusters = try scoring.clusterComponent(records.map { rows[$0] }, pairs: local)
            for (index, record) in records.enumerated() where clusters.score[index] > 0 {
                assignment.clusters[row(record)] = (row(records[clusters.cluster[index]]), clusters.score[index])
            }
            for (i, j, probability) in clusters.guarded { assignment.possible.append((row(records[i]), row(records[j]), probability)) }
        }
        let sharded = assignment.result(features: features, rows: (0..<n).map { ("list.csv", $0) })

        let expected = list.result
        #expect(expected.cluster.enumerated().contains { $0.element != $0.offset }, "the list has duplicates")
        #expect(sharded.cluster == expected.cluster)
        #expect(sharded.score == expected.score)
        #expect(sharded.possibleMatches.mapValues(\.partner) == expected.possibleMatches.mapValues(\.partner))
        #expect(sharded.possibleMatches.mapValues(\.probability) == expected.possibleMatches.mapValues(\.probability))
        #expect(sharded.reviewKeys == expected.reviewKeys)
    }

    @Test func aFeatureRowComesBackAsItLeft() throws {
        let list = try WashedList(csv: Filler.header + "\nAnn,Lee,ann.lee@acme.com,Acme,617-555-0101,02139\nBob,Ng,,,,\n")
        let rows = (0..<list.features.count).map { FeatureRows.encode(list.features, record: $0) }
        let decoded = try FeatureRows.decode(rows, model: .leadList)
        #expect(decoded.columnNames == list.features.columnNames)
        for (index, column) in list.features.columns.enumerated() {
            #expect((0..<2).map { decoded.columns[index][$0] } == (0..<2).map { column[$0] })
        }
        #expect(decoded.nameKeys.mapValues { [$0[0], $0[1]] } == list.features.nameKeys.mapValues { [$0[0], $0[1]] })
        #expect(throws: (any Error).self) { try FeatureRows.decode([Array(rows[0].dropLast())], model: .leadList) }
    }
}
