import ListWashCore
import Testing
@testable import ListWashMatch

/// One score everywhere: what `Deduplicator.explain` says of a pair is what the run computed.
@Suite struct PairExplanationTests {
    /// For a few hundred candidate pairs of a generated list with repeats (u from random pairs,
    /// the prior by EM or, with `train`, m and the prior by EM), the explanation's total is the
    /// run's match weight, `estimate.scorer.weight(pattern:leftRecord:)` of the run's pattern
    /// with the lower record as `leftRecord`, and its probability the run's probability; a pair
    /// the run set aside for failing a requirement fails it in the explanation too.
    @Test(arguments: [false, true])
    func theExplanationScoresAPairAsTheRunDid(train: Bool) throws {
        var model = MatchModel.leadList
        model.train = train
        let list = try WashedList(csv: Filler.list(2_500, with: []).csv, model: model)
        let estimate = list.estimate
        let scorer = estimate.scorer
        #expect(estimate.pairs.count >= 400)
        let step = max(1, estimate.pairs.count / 400)
        var scored = 0, failing = 0, matches = 0
        for index in stride(from: 0, to: estimate.pairs.count, by: step) {
            let i = Int(estimate.pairs[index] >> 32), j = Int(estimate.pairs[index] & 0xFFFF_FFFF)
            let pattern = estimate.patterns[index]
            // Either order: the explanation scores with the earlier record's term frequencies, as the run does.
            let explanation = list.deduplicator.explain(estimate, features: list.features, j, i)
            if scorer.failsRequirement(pattern) {
                failing += 1
                #expect(explanation.failsRequirement, "pair \(i)-\(j)")
                #expect(explanation.probability == 0, "pair \(i)-\(j)")
                continue
            }
            scored += 1
            let weight = scorer.weight(pattern: pattern, leftRecord: min(i, j))
            let probability = MatchModel.probability(weight: weight)
            if probability >= estimate.model.matchThreshold { matches += 1 }
            #expect(!explanation.failsRequirement, "pair \(i)-\(j)")
            #expect(abs(explanation.total - weight) < 1e-9, "pair \(i)-\(j): \(explanation.total) against \(weight)\n\(explanation.text)")
            #expect(abs(explanation.probability - probability) < 1e-12, "pair \(i)-\(j)")
            #expect(explanation.prior == estimate.model.priorWeight)
        }
        // The sample holds pairs of every kind.
        #expect(scored > 50 && failing > 50 && matches > 10, "\(scored) scored, \(failing) failing, \(matches) matches")
    }

    /// Each record's score in the run (its best match in its cluster) is the probability the
    /// explanation gives it with its partner.
    @Test func eachRecordsScoreIsItsExplanationWithItsPartner() throws {
        let list = try WashedList(csv: Filler.list(2_500, with: []).csv)
        var checked = 0
        for record in list.result.partner.indices where list.result.partner[record] >= 0 {
            let explanation = list.explain(record, list.result.partner[record])
            #expect(abs(explanation.probability - list.result.score[record]) < 1e-12, "record \(record)")
            checked += 1
        }
        for (record, possible) in list.result.possibleMatches {
            #expect(abs(list.explain(record, possible.partner).probability - possible.probability) < 1e-12, "record \(record)")
        }
        #expect(checked > 100)
    }
}
