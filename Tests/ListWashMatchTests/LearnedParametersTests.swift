import ListWashCore
import Testing
@testable import ListWashMatch

/// What the built-in model learns from a list before it scores it: the prior of a random pair,
/// and the names' m values from the pairs that share an identifier.
@Suite struct LearnedParametersTests {
    /// A list of `people` filler people, each of a third of them given again: the repeat keeps
    /// the email (a pair that shares an identifier) and writes the first name as a nickname or
    /// an initial, as repeat responses do.
    static func repeats(_ people: Int) -> String {
        let lines = Filler.lines(people)
        var out = [Filler.header] + lines
        for (index, line) in lines.enumerated() where index % 3 == 0 {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count > 1, let initial = fields[0].first else { continue }
            fields[0] = index % 2 == 0 ? "\(initial)." : fields[0].uppercased()
            out.append(fields.joined(separator: ","))
        }
        return out.joined(separator: "\n") + "\n"
    }

    @Test func theNamesMValuesAreLearnedFromPairsThatShareAnIdentifier() throws {
        let list = try WashedList(csv: Self.repeats(3_000))
        let model = list.estimate.model
        let first = try #require(model.comparisons.first { $0.name == "first_name" })
        let builtIn = try #require(MatchModel.leadList.comparisons.first { $0.name == "first_name" })
        let initial = try #require(first.levels.firstIndex { $0.label == "initial" })
        // Half the repeats give an initial: far more than the built-in model expects.
        #expect(first.levels[initial].m > builtIn.levels[initial].m * 2, "\(first.levels)")
        // Exact agreement stays the likeliest, and m values are a distribution.
        #expect(first.levels[0].m >= first.levels.dropFirst().dropLast().map(\.m).max() ?? 0)
        #expect(abs(first.levels.reduce(0) { $0 + $1.m } - 1) < 1e-9)
        // What identifies a person is not learned: its levels' weights are designed.
        #expect(model.comparisons.first { $0.name == "email" }?.levels.map(\.m) == MatchModel.leadList.comparisons.first { $0.name == "email" }?.levels.map(\.m))
        // The initials' repeats are found.
        #expect(list.result.joins >= 900, "\(list.result.joins)")
    }

    @Test func aSmallListKeepsTheBuiltInMValuesAndTakesItsPriorFromExpectedPartners() throws {
        let (csv, _) = Filler.list(300, with: [])
        let list = try WashedList(csv: csv)
        let model = list.estimate.model
        #expect(model.comparisons.map { $0.levels.map(\.m) } == MatchModel.leadList.comparisons.map { $0.levels.map(\.m) })
        let records = list.features.count
        #expect(abs(model.prior - MatchModel.leadList.expectedPartners / Double(records - 1)) < 1e-12)
    }

    /// A placeholder address identifies no one even in a list too small for the frequency rule.
    @Test func aPlaceholderEmailWeighsNothingInASmallList() throws {
        let (csv, pair) = Filler.list(300, with: [
            "John,Smith,none@none.com,Acme Corp,617-492-3811,02134",
            "John,Smith,None@None.com,Blue Sun Corp,415-863-2290,94110",
        ])
        let list = try WashedList(csv: csv)
        #expect(list.apart(pair[0], pair[1]), "\(list.explainAll(pair))")
        let email = try #require(list.explain(pair[0], pair[1]).rows.first { $0.comparison == "email" })
        #expect(email.level == "exact")
        #expect(email.weight + (email.termFrequency ?? 0) == 0)
        #expect(SharedValues.isPlaceholderEmail(Array("test@acme.com".utf8).withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[...]) }) == true)
        #expect("jane.doe@acme.com".utf8.withContiguousStorageIfAvailable { SharedValues.isPlaceholderEmail($0) } == false)
    }

    /// The run names its largest cluster, with its distinct emails: many emails in one cluster
    /// is the sign of different people chained together.
    @Test func theLargestClusterIsNamedWithItsEmails() throws {
        let (csv, records) = Filler.list(300, with: [
            "Robert,Smith,bob.smith@acme.com,Acme Corp,617-492-3811,02134",
            "Bob,Smith,bob.smith@acme.com,Acme Corp,617-492-3811,02134",
            "Robert,Smith,rsmith@gmail.com,Acme Corp,617-492-3811,02134",
        ])
        let list = try WashedList(csv: csv)
        #expect(list.together(records[0], records[1]) && list.together(records[1], records[2]), "\(list.explainAll(records))")
        let largest = try #require(list.result.largestCluster)
        #expect(largest.records >= 3)
        if largest.records == 3 { #expect(largest.emails == 2) }
    }

    /// EM that learned another class than "same person" (exact first names rarer than
    /// different ones, as on name blocks of a hard list) gives way to the model's m values.
    @Test func senselessLearnedMValuesGiveWayToTheModels() {
        var learned = MatchModel.leadList
        let first = learned.comparisons.firstIndex { $0.name == "first_name" } ?? 0
        let company = learned.comparisons.firstIndex { $0.name == "company" } ?? 0
        let levels = learned.comparisons[first].levels.count
        for level in 0..<levels { learned.comparisons[first].levels[level].m = level == levels - 1 ? 0.84 : 0.16 / Double(levels - 1) }
        learned.comparisons[company].levels[0].m = 0.7
        learned.comparisons[company].levels[levels > 0 ? learned.comparisons[company].levels.count - 1 : 0].m = 0.2
        let restored = Training.keepSensibleM(&learned, else: .leadList)
        #expect(restored == ["first_name"])
        #expect(learned.comparisons[first].levels.map(\.m) == MatchModel.leadList.comparisons[first].levels.map(\.m))
        #expect(learned.comparisons[company].levels[0].m == 0.7)
    }
}
