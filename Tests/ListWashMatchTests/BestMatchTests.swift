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

    /// Cutting candidates short (below the review threshold or the best so far, less the
    /// competitors' margin) and scoring those several rules found first never change the
    /// answer: it is the most likely candidate that shares a blocking key, the first in the
    /// export of equally likely ones, with its chance shared with the candidates nearly as
    /// likely, as scoring every candidate in full finds it.
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
        var matched = 0, ties = 0, shared = 0
        for i in 0..<input.features.count {
            var weights: [(record: Int, weight: Double)] = []
            for j in 0..<reference.features.count where zip(inputKeys[i], referenceKeys[j]).contains(where: { $0 != 0 && $0 == $1 }) {
                let pattern = scorer.pattern(input.store, i, reference.store, j)
                guard !scorer.failsRequirement(pattern) else { continue }
                weights.append((j, scorer.weight(pattern: pattern, leftRecord: j)))
            }
            // The first of the heaviest; its odds against those of nobody (1: a given prior)
            // and of the candidates within the margin.
            var expected: (record: Int, probability: Double)?
            if let best = weights.max(by: { $0.weight < $1.weight || ($0.weight == $1.weight && $0.record > $1.record) }) {
                let rivals = weights.filter { $0.weight >= max(best.weight - ReferenceIndex.competitorMargin, reference.competitorFloor) }
                let odds = rivals.reduce(0) { $0 + exp2($1.weight) }
                if odds / (1 + odds) >= model.reviewThreshold { expected = (best.record, exp2(best.weight) / (1 + odds)) }
                if rivals.count > 1 { shared += 1 }
                if weights.filter({ $0.weight == best.weight }).count > 1 { ties += 1 }
            }
            let found = reference.bestMatch(for: input.store, record: i, keys: inputKeys[i])
            #expect(found?.record == expected?.record, "input \(i)")
            #expect(abs((found?.probability ?? 0) - (expected?.probability ?? 0)) < 1e-12, "input \(i)")
            if expected != nil { matched += 1 }
        }
        // The data holds what the cut must survive.
        #expect(matched > 100)
        #expect(ties > 5)
        #expect(shared > 20)
    }

    /// The export holds each person once: an incoming row that two equal contacts fit is one of
    /// them, but which one only a reviewer can say. Each gets half the chance (below the match
    /// threshold), and the row stays a possible match to the first, not a match and not
    /// nobody. Alone, the same contact is a match.
    @Test func twoContactsThatFitARowAlikeShareItsChance() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bestmatch-rivals-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let header = "Id,First Name,Last Name,Email,Company,Phone,Zip Code\n"
        let contact = "Robert,Quibbleworth,,Acme Widgets,,02134\n"
        let alone = folder.appendingPathComponent("alone.csv").path, twice = folder.appendingPathComponent("twice.csv").path
        let inputPath = folder.appendingPathComponent("in.csv").path
        try (header + "C1," + contact).write(toFile: alone, atomically: true, encoding: .utf8)
        try (header + "C1," + contact + "C2," + contact).write(toFile: twice, atomically: true, encoding: .utf8)
        try (header + "I1," + contact).write(toFile: inputPath, atomically: true, encoding: .utf8)
        let model = MatchModel.leadList
        let input = try ReferenceIndex(path: inputPath, kind: .lead, model: model)
        let one = try ReferenceIndex(path: alone, kind: .contact, model: model)
        let single = try #require(one.bestMatch(for: input.store, record: 0, keys: one.keys(for: input.features, store: input.store)[0]))
        #expect(single.probability >= model.matchThreshold)
        let two = try ReferenceIndex(path: twice, kind: .contact, model: model)
        let shared = try #require(two.bestMatch(for: input.store, record: 0, keys: two.keys(for: input.features, store: input.store)[0]))
        #expect(shared.record == 0)
        #expect(shared.probability <= 0.5)
    }

    /// An incoming row is one of the export's records or somebody new, and only the share of
    /// rows expected to be customers is either: a lone candidate's chance is its odds against
    /// those of nobody, one less that share (not against 1, as if every row were a customer).
    @Test func aLoneCandidatesChanceWeighsTheShareOfNewPeople() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bestmatch-share-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let header = "Id,First Name,Last Name,Email,Company,Phone,Zip Code\n"
        let referencePath = folder.appendingPathComponent("contacts.csv").path, inputPath = folder.appendingPathComponent("in.csv").path
        try (header + "C1,Robert,Quibbleworth,,Acme Widgets,,02134\nC2,Mary,Lee,,Hooli,,94043\n").write(toFile: referencePath, atomically: true, encoding: .utf8)
        try (header + "I1,Bob,Quibbleworth,,Acme,,\n").write(toFile: inputPath, atomically: true, encoding: .utf8)
        let model = MatchModel.leadList
        let reference = try ReferenceIndex(path: referencePath, kind: .contact, model: model)
        let input = try ReferenceIndex(path: inputPath, kind: .lead, model: model)
        let found = try #require(reference.bestMatch(for: input.store, record: 0, keys: reference.keys(for: input.features, store: input.store)[0]))
        let weight = reference.scorer.weight(pattern: reference.scorer.pattern(input.store, 0, reference.store, 0), leftRecord: 0)
        let odds = exp2(weight)
        #expect(abs(found.probability - odds / (1 - model.expectedPartners + odds)) < 1e-12)
        #expect(found.probability > MatchModel.probability(weight: weight))
        // Told that nine rows in ten are customers, the same row is likelier one.
        reference.setCustomerShare(0.9)
        let likelier = try #require(reference.bestMatch(for: input.store, record: 0, keys: reference.keys(for: input.features, store: input.store)[0]))
        #expect(likelier.probability > found.probability)
    }
}
