import ListWashCore
import ListWashNormalize
import Testing
@testable import ListWashRoute

@Suite struct LeadScorerTests {
    var rules: ScoringRules {
        var rules = ScoringRules()
        rules.seniority = [.cLevel: 30, .vp: 25, .director: 20, .manager: 10]
        rules.corporateDomain = 10
        rules.freeMail = -10
        rules.completeness = .init(fields: [FieldReference("title"), FieldReference("listwash_zip"), FieldReference("Product Interest")], pointsPerField: 2)
        rules.matchedAccount = 15
        rules.points = [
            .init(name: "product Analytics", condition: FieldCondition(field: FieldReference("Product Interest"), values: ["Analytics"]), points: 15),
            .init(name: "webinar", condition: FieldCondition(field: FieldReference("campaign"), contains: ["webinar"]), points: 5),
        ]
        rules.grades = GradeThresholds(hot: 60, warm: 30)
        return rules
    }

    @Test func scoresAndExplainsEachCriterion() {
        let batch = makeBatch(rows: [
            ["Job Title": "VP Marketing", "Campaign": "Fall Webinar", "Product Interest": " analytics ", "listwash_zip": "02134",
             "listwash_domain": "acme.com", "listwash_flags": "domain_from_email", "listwash_account_id": "001A0001"],
            ["Job Title": "Engineer", "listwash_domain": "gmail.com", "listwash_flags": "name_case_fixed;email_freemail"],
            [:],
        ])
        let scorer = LeadScorer(rules: rules)
        let first = scorer.score(batch, row: 0)
        #expect(first.points == 25 + 10 + 6 + 15 + 15 + 5)
        #expect(first.grade == .hot)
        #expect(first.reasons == "title vp +25; corporate domain +10; 3/3 fields +6; matched account +15; product Analytics +15; webinar +5")
        let second = scorer.score(batch, row: 1)
        #expect(second.points == -10 + 2)
        #expect(second.grade == .cold)
        #expect(second.reasons == "free-mail domain -10; 1/3 fields +2")
        let empty = scorer.score(batch, row: 2)
        #expect(empty == LeadScorer.Score(points: 0, grade: .cold, reasons: ""))
    }

    @Test(arguments: [(59, Grade.warm), (60, .hot), (30, .warm), (29, .cold), (-100, .cold), (1000, .hot)])
    func gradesByThresholds(score: Int, grade: Grade) {
        #expect(GradeThresholds(hot: 60, warm: 30).grade(for: score) == grade)
    }

    @Test func scoreStageSkipsRowsThatNeverReachTheCRM() throws {
        var batch = makeBatch(rows: Array(repeating: ["Job Title": "CEO"], count: 6))
        batch.settle(1, as: .load, reason: "")
        batch.settle(2, as: .attach, reason: "")
        batch.settle(3, as: .duplicate, reason: "same person as row 1")
        batch.settle(4, as: .suppressed, reason: "competitor")
        batch.settle(5, as: .rejected, reason: "no email")
        try ScoreStage(rules: rules).process(&batch)
        #expect((0..<6).map { batch.output($0, RouteColumns.score) } == ["32", "32", "32", "", "", ""])
        #expect(batch.output(0, RouteColumns.grade) == "warm")
        #expect(ScoreStage(rules: rules).runsConcurrently)
    }
}
