import Foundation
import ListWashCore
import Testing
@testable import ListWashMatch

@Suite struct BestMatchTests {
    /// A list of people drawn from small pools, so that blocks hold many candidates, near ties
    /// and exact ties among them: shared company phones and ZIP codes, family members, one
    /// mailbox for several people, and repeats with nicknames and typos.
    static func people(_ count: Int, seed: UInt64, idPrefix: String) -> String {
        var random = SeededRandom(seed: seed)
        let first = ["Robert", "Bob", "Rob", "Mary", "Maria", "John", "Jon", "Ann", "Anna", "Kim"]
        let last = ["Smith", "Smyth", "Garcia", "Lee", "Li", "Nguyen", "Miller", "Muller"]
        let companies = ["Acme Inc", "Acme", "Initech LLC", "Hooli", "Globex Corp", ""]
        let zips = ["02134", "02135", "78701", "94043", ""]
        var lines = ["Id,First Name,Last Name,Email,Company,Phone,Zip Code"]
        for index in 0..<count {
            let f = first.randomElement(using: &random) ?? "", l = last.randomElement(using: &random) ?? ""
            let company = companies.randomElement(using: &random) ?? ""
            let email: String
            switch Int.random(in: 0..<4, using: &random) {
            case 0: email = ""
            case 1: email = ["info@acme.com", "sales@hooli.com"].randomElement(using: &random) ?? ""  // shared mailboxes
            default: email = "\(f.lowercased()).\(l.lowercased())\(Int.random(in: 0..<3, using: &random))@example.com"
            }
            let phone = Bool.random(using: &random) ? "617-253-\(1000 + Int.random(in: 0..<6, using: &random))" : ""
            lines.append("\(idPrefix)\(index),\(f),\(l),\(email),\(company),\(phone),\(zips.randomElement(using: &random) ?? "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Cutting candidates short (below the review threshold or the best so far) and scoring
    /// those several rules found first never change the answer: it is the most likely
    /// candidate that shares a blocking key, the first in the export of equally likely ones,
    /// as scoring every candidate in full finds it.
    /// Two people who share a mailbox, a phone and a ZIP code are never matched when a required
    /// comparison (the names) disagrees and the sufficient one (here the company, which comes
    /// after the names in the cheapest-first order) does not agree.
    @Test func aCandidateThatFailsARequirementIsNeverTheBestMatch() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bestmatch-required-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let header = "Id,First Name,Last Name,Email,Company,Phone,Zip Code\n"
        let referencePath = folder.appendingPathComponent("contacts.csv").path, inputPath = folder.appendingPathComponent("in.csv").path
        try (header + "C1,Robert,Smith,info@acme.com,Acme,617-253-1000,02134\n").write(toFile: referencePath, atomically: true, encoding: .utf8)
        try (header + "I1,Kim,Nguyen,info@acme.com,Hooli,617-253-1000,02134\n").write(toFile: inputPath, atomically: true, encoding: .utf8)
        var model = MatchModel.leadList
        model.sufficient = ["company"]
        let reference = try ReferenceIndex(path: referencePath, kind: .contact, model: model)
        let input = try ReferenceIndex(path: inputPath, kind: .lead, model: model)
        let keys = reference.keys(for: input.features, store: input.store)
        #expect(reference.bestMatch(for: input.store, record: 0, keys: keys[0]) == nil)
        // The same pair with the email as the sufficient comparison, which agrees: a match.
        model.sufficient = ["email"]
        let lifted = try ReferenceIndex(path: referencePath, kind: .contact, model: model)
        #expect(lifted.bestMatch(for: input.store, record: 0, keys: lifted.keys(for: input.features, store: input.store)[0])?.record == 0)
    }

    /// Also with a sufficient comparison (the company) that comes after the required ones in
    /// the cheapest-first order.
    @Test(arguments: [["email"], ["company"]])
    func theBestMatchIsTheOneEveryCandidateScoredInFullFinds(sufficient: [String]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bestmatch-\(getpid())-\(sufficient.joined())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let referencePath = folder.appendingPathComponent("contacts.csv").path, inputPath = folder.appendingPathComponent("in.csv").path
        try Self.people(1_500, seed: 7, idPrefix: "C").write(toFile: referencePath, atomically: true, encoding: .utf8)
        try Self.people(400, seed: 8, idPrefix: "I").write(toFile: inputPath, atomically: true, encoding: .utf8)
        var model = MatchModel.leadList
        model.maxBlockSize = 2_000  // no block is cut: every record sharing a key is a candidate
        model.sufficient = sufficient
        // People from such small pools are mostly indistinguishable: a generous fixed prior
        // makes the many candidates and ties the cut must survive.
        model.priorFromData = false
        model.prior = 0.05
        let reference = try ReferenceIndex(path: referencePath, kind: .contact, model: model)
        let input = try ReferenceIndex(path: inputPath, kind: .lead, model: model)
        let referenceKeys = reference.keys(for: reference.features, store: reference.store)
        let inputKeys = reference.keys(for: input.features, store: input.store)
        let scorer = reference.scorer
        var matched = 0, ties = 0
        for i in 0..<input.features.count {
            var expected: (record: Int, probability: Double)?
            var probabilities: [Double] = []
            for j in 0..<reference.features.count where zip(inputKeys[i], referenceKeys[j]).contains(where: { $0 != 0 && $0 == $1 }) {
                let pattern = scorer.pattern(input.store, i, reference.store, j)
                guard !scorer.failsRequirement(pattern) else { continue }
                let probability = MatchModel.probability(weight: scorer.weight(pattern: pattern, leftRecord: j))
                probabilities.append(probability)
                if probability >= model.reviewThreshold, probability > (expected?.probability ?? 0) { expected = (j, probability) }
            }
            let found = reference.bestMatch(for: input.store, record: i, keys: inputKeys[i])
            #expect(found?.record == expected?.record, "input \(i)")
            #expect(found?.probability == expected?.probability, "input \(i)")
            if let expected {
                matched += 1
                if probabilities.filter({ $0 == expected.probability }).count > 1 { ties += 1 }
            }
        }
        // The data holds what the cut must survive.
        #expect(matched > 100)
        #expect(ties > 5)
    }
}
