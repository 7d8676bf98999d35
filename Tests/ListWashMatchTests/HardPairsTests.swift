import ListWashCore
import Testing
@testable import ListWashMatch

/// Named hard pairs for the built-in lead-list model: each placed among filler people in a
/// small list (below the size where u values are estimated from the data, and above the size
/// where the prior is worked out by EM), deduplicated as a run deduplicates, and checked for
/// who ends in one cluster. A failure prints how the run scored the pair.
@Suite struct HardPairsTests {
    /// Filler sizes: 300 records keep the model's u values and take the prior from expected
    /// partners; 2,500 estimate u from random pairs and the prior by EM.
    static let sizes = [300, 2_500]

    /// Places `records` among `size` filler people and washes the list.
    func washed(_ records: [String], size: Int) throws -> (list: WashedList, records: [Int]) {
        let (csv, placed) = Filler.list(size, with: records)
        return (try WashedList(csv: csv), placed)
    }

    /// Two people with one common name at two companies far apart, each with an address and a
    /// phone of their own, are two people.
    @Test(arguments: sizes)
    func namesakesAtDifferentCompaniesAreTwoPeople(size: Int) throws {
        let (list, pair) = try washed([
            "John,Smith,johnsmith71@gmail.com,Acme Corp,617-492-3811,02134",
            "John,Smith,jsmith.sf@yahoo.com,Blue Sun Corp,415-863-2290,94110",
        ], size: size)
        #expect(list.apart(pair[0], pair[1]), "\(list.explainAll(pair))")
    }

    /// At one employer a person has one mailbox: john.smith@ and john.smith2@ at one business
    /// domain are two John Smiths, even at one company and ZIP code.
    @Test(arguments: sizes)
    func namesakesAtOneCompanyWithTheirOwnMailboxesAreTwoPeople(size: Int) throws {
        let (list, pair) = try washed([
            "John,Smith,john.smith@acme.com,Acme Corp,617-492-3811,02134",
            "John,Smith,john.smith2@acme.com,Acme Corp,617-492-3977,02134",
        ], size: size)
        #expect(list.explain(pair[0], pair[1]).rows.first { $0.comparison == "email" }?.level == "other mailbox, same business domain")
        #expect(list.apart(pair[0], pair[1]), "\(list.explainAll(pair))")
    }

    /// Spouses on one landline share a last name, a phone and a ZIP code, not a first name.
    @Test(arguments: sizes)
    func spousesOnOneLandlineAreTwoPeople(size: Int) throws {
        let (list, pair) = try washed([
            "Michael,Brown,mbrown1970@gmail.com,,508-366-2211,01772",
            "Linda,Brown,linda.brown@yahoo.com,,508-366-2211,01772",
        ], size: size)
        #expect(list.apart(pair[0], pair[1]), "\(list.explainAll(pair))")
    }

    /// Two lines of one switchboard (the main number with two extensions) are two people, even
    /// when they have one name at one company and ZIP code.
    @Test(arguments: sizes)
    func colleaguesOnTwoExtensionsOfOneSwitchboardAreTwoPeople(size: Int) throws {
        let (list, pair) = try washed([
            "Wei,Zhang,,Hooli,650-253-4200 x204,94043",
            "Wei,Zhang,,Hooli,650-253-4200 x377,94043",
        ], size: size)
        #expect(list.explain(pair[0], pair[1]).rows.first { $0.comparison == "phone" }?.level == "other extension")
        #expect(list.apart(pair[0], pair[1]), "\(list.explainAll(pair))")
    }

    /// A main number that many colleagues give identifies none of them: no two of them join,
    /// and the number weighs nothing between them.
    @Test(arguments: sizes)
    func colleaguesGivingOneMainNumberAreDifferentPeople(size: Int) throws {
        let (list, people) = try washed([
            "David,Lee,,Nakamura Labs,212-639-7000,10022",
            "Samantha,Lee,,Nakamura Labs,212-639-7000,10022",
            "Maria,Garcia,,Nakamura Labs,212-639-7000,10022",
            "Christopher,Nguyen,,Nakamura Labs,212-639-7000,10022",
            "Linda,Kim,,Nakamura Labs,212-639-7000,10022",
        ], size: size)
        #expect(list.allApart(people), "\(list.explainAll(people))")
        let phone = list.explain(people[0], people[1]).rows.first { $0.comparison == "phone" }
        #expect(phone?.sharedBy == 5)
    }

    /// A person who changed jobs: new company, new email, new ZIP code, the same mobile phone
    /// and name.
    @Test(arguments: sizes)
    func aJobChangerWithTheSameMobileIsOnePerson(size: Int) throws {
        let (list, pair) = try washed([
            "Robert,Kim,robert.kim@initech.com,Initech,415-871-2230,78701",
            "Robert,Kim,rkim@hooli.com,Hooli,415-871-2230,94043",
        ], size: size)
        #expect(list.together(pair[0], pair[1]), "\(list.explainAll(pair))")
    }

    /// A nickname and a typo in the last name, with one email address.
    @Test(arguments: sizes)
    func aNicknameAndATypoWithOneEmailAreOnePerson(size: Int) throws {
        let (list, pair) = try washed([
            "Bob,Smiht,bob.smith@acme.com,Acme Corp,,02134",
            "Robert,Smith,bob.smith@acme.com,Acme Corp,617-492-3811,02134",
        ], size: size)
        #expect(list.together(pair[0], pair[1]), "\(list.explainAll(pair))")
    }

    /// One person's mailbox given with the surname spelt three ways that sound alike (typos) is
    /// that person's own, not a mailbox several people share: it still joins the records.
    @Test(arguments: sizes)
    func oneMailboxUnderThreeSpellingsOfOneNameIsOnePersons(size: Int) throws {
        let (list, people) = try washed([
            "Steven,Salazar,steven.salazar@acme.com,Acme Corp,,02134",
            "Steven,Salzaar,steven.salazar@acme.com,,,",
            "Steven,Salazzar,steven.salazar@acme.com,,617-492-3811,",
        ], size: size)
        let email = list.explain(people[0], people[1]).rows.first { $0.comparison == "email" }
        #expect(email?.level == "exact")
        #expect((email?.sharedBy ?? 0) < SharedValues.threshold)
        #expect(list.together(people[0], people[1]) && list.together(people[0], people[2]), "\(list.explainAll(people))")
    }

    /// A placeholder address that several different people give joins none of them (the same
    /// email is otherwise enough to lift the name requirement).
    @Test(arguments: sizes)
    func aPlaceholderEmailSharedByManyPeopleJoinsNone(size: Int) throws {
        let (list, people) = try washed([
            "Maria,Garcia,none@none.com,Initech,512-370-1184,78701",
            "Wei,Zhang,none@none.com,Hooli,650-961-4410,94043",
            "David,Lee,none@none.com,Globex Corp,312-782-6620,60601",
            "Linda,Nguyen,none@none.com,,,30303",
        ], size: size)
        #expect(list.allApart(people), "\(list.explainAll(people))")
        for person in people {
            let clusterSize = list.result.cluster.filter { $0 == list.result.cluster[person] }.count
            #expect(clusterSize == 1, "record \(person) joined another")
        }
    }

    /// Christopher and Crystal share the nickname Chris, and here a last name, nothing else.
    @Test(arguments: sizes)
    func christopherAndCrystalWithOneLastNameAreTwoPeople(size: Int) throws {
        let (list, pair) = try washed([
            "Christopher,Johnson,cjohnson88@gmail.com,Initech,512-370-2291,78701",
            "Crystal,Johnson,crystal.johnson@hooli.com,Hooli,650-961-3375,94043",
        ], size: size)
        #expect(list.apart(pair[0], pair[1]), "\(list.explainAll(pair))")
    }

    /// A father and a son of one name at one company and landline: two people when their
    /// generations are written (Jr. against Sr.); a son who writes "Jr." only sometimes is one
    /// person by his own mailbox.
    @Test(arguments: sizes)
    func aFatherAndSonAreTwoPeopleAndASonIsOne(size: Int) throws {
        let (list, people) = try washed([
            "Robert,Kim Jr.,bob.kim.jr@gmail.com,Initech,512-471-2290,78701",
            "Robert,Kim Sr.,robert.kim@initech.com,Initech,512-471-2290,78701",
            "Robert,Kim,bob.kim.jr@gmail.com,Initech,,78701",
        ], size: size)
        #expect(list.explain(people[0], people[1]).rows.first { $0.comparison == "suffix" }?.level == "else")
        #expect(list.apart(people[0], people[1]), "\(list.explainAll(people))")
        #expect(list.together(people[0], people[2]), "\(list.explainAll(people))")
    }

    /// "Jr." written on one side only: a son and his father of one name at one company are two
    /// people unless a mailbox or phone of theirs is the same (then it is the son, who writes
    /// his suffix only sometimes).
    @Test(arguments: sizes)
    func aGenerationOnOneSideOnlyIsAnotherPersonUnlessAMailboxOrPhoneAgrees(size: Int) throws {
        let (list, people) = try washed([
            "Walter,Brennan Jr.,walter.brennan@hooli.com,Hooli,650-961-3375,94043",
            "Walter,Brennan,wbrennan@gmail.com,Hooli,650-330-1187,94043",
            "Walter,Brennan,,Hooli,650-961-3375,94043",
        ], size: size)
        let apart = list.explain(people[0], people[1])
        #expect(apart.rows.first { $0.comparison == "suffix" }?.level == "else", "\(list.explainAll(people))")
        #expect(list.apart(people[0], people[1]), "\(list.explainAll(people))")
        #expect(list.explain(people[0], people[2]).rows.first { $0.comparison == "suffix" }?.level == "null", "one phone: the suffix says nothing")
        #expect(list.together(people[0], people[2]), "\(list.explainAll(people))")
    }

    /// First and last names swapped, one spelt another way that sounds the same (Jon, John),
    /// and nothing else that blocks them together (one phone, no email): the any-order name rule
    /// makes them a candidate pair and the swapped level finds them (names and a workplace
    /// alone make one person in a small list, a possible match in a larger one).
    @Test(arguments: sizes)
    func swappedNamesWithATypoAreOnePerson(size: Int) throws {
        let (list, pair) = try washed([
            "Jon,Meschizuman,,Chostol Logistics,631-445-5400,11716",
            "Meschizuman,John,,Chostol Logistics,,11716",
        ], size: size)
        let explanation = list.explain(pair[0], pair[1])
        #expect(explanation.rows.first { $0.comparison == "first_name" }?.level == "swapped")
        #expect(explanation.rows.first { $0.comparison == "last_name" }?.level == "swapped")
        // Names and a workplace alone: one person, or at least a possible match for review.
        #expect(list.together(pair[0], pair[1]) || explanation.probability >= MatchModel.leadList.reviewThreshold, "\(list.explainAll(pair))")
    }

    /// First and last names swapped with a nickname on the way (Joe, Joseph), at one employer
    /// with nothing else in common: no name key is shared, so only the rule on the names'
    /// initials in any order at one company makes them a candidate pair; the nickname across the
    /// swap reaches the swapped level.
    @Test(arguments: sizes)
    func swappedNamesWithANicknameAtOneEmployerAreOnePerson(size: Int) throws {
        let (list, pair) = try washed([
            "Joe,Barker,,Romero Motors,349-770-3993,60084",
            "Barker,Joseph,,Romero Motors LLC,234-787-8772,60084",
        ], size: size)
        let explanation = list.explain(pair[0], pair[1])
        #expect(explanation.rows.first { $0.comparison == "first_name" }?.level == "swapped")
        #expect(explanation.rows.first { $0.comparison == "last_name" }?.level == "swapped")
        #expect(list.together(pair[0], pair[1]), "\(list.explainAll(pair))")
    }

    /// Mario and Maria Lopez at one company, mailboxes a letter apart: two people (a gendered
    /// form of a name is another name, and another mailbox at one employer is another person's).
    @Test(arguments: sizes)
    func marioAndMariaAreTwoPeople(size: Int) throws {
        let (list, pair) = try washed([
            "Mario,Lopez,mario.lopez@acme.com,Acme Corp,,02134",
            "Maria,Lopez,maria.lopez@acme.com,Acme Corp,,02134",
        ], size: size)
        let explanation = list.explain(pair[0], pair[1])
        #expect(explanation.rows.first { $0.comparison == "first_name" }?.level == "else")
        #expect(explanation.rows.first { $0.comparison == "email" }?.level == "other mailbox, same business domain")
        #expect(list.apart(pair[0], pair[1]), "\(list.explainAll(pair))")
    }

    @Test func genderedFormsOfANameAreNotTypos() {
        func forms(_ a: String, _ b: String) -> Bool {
            Array(a.utf8).withUnsafeBufferPointer { x in Array(b.utf8).withUnsafeBufferPointer { y in Metrics.areGenderedForms(x, y) } }
        }
        #expect(forms("mario", "maria"))
        #expect(forms("paul", "paula"))
        #expect(forms("daniela", "daniel"))
        #expect(!forms("jon", "john"))
        #expect(!forms("maria", "marie") == false)
        #expect(!forms("steven", "stephen"))
        #expect(!forms("bo", "bob"))
    }
}

/// The levels the lead-list model's comparisons give values as the normalize stage prepares them.
@Suite struct LeadListLevelTests {
    /// The level each comparison reaches for the two records of `csv` (with its header).
    func levels(_ csv: String) throws -> [String: String] {
        let list = try WashedList(csv: Filler.header + "\n" + csv)
        return Dictionary(uniqueKeysWithValues: list.explain(0, 1).rows.map { ($0.comparison, $0.level) })
    }

    @Test func aZIPPlusFourAgreesExactlyWithItsZIP() throws {
        #expect(try levels("Ann,Lee,,,,02134-1234\nAnn,Lee,,,,02134\n")["zip"] == "exact")
        #expect(try levels("Ann,Lee,,,,02134-1234\nAnn,Lee,,,,02134-5678\n")["zip"] == "exact")
        #expect(try levels("Ann,Lee,,,,02134-1234\nAnn,Lee,,,,02135\n")["zip"] == "one edit")
    }

    /// A nearby ZIP code (the same ZIP-3 area) is its own level, weighing for a match, while a
    /// ZIP code far away weighs against one.
    @Test func aZIPInTheSameAreaIsNearby() throws {
        let list = try WashedList(csv: Filler.header + "\nAnn,Lee,,,,23186-5782\nAnn,Lee,,,,23195\nAnn,Lee,,,,94110\n")
        let nearby = list.explain(0, 1).rows.first { $0.comparison == "zip" }
        #expect(nearby?.level == "same first 3 characters")
        #expect((nearby?.weight ?? 0) > 0)
        let far = list.explain(0, 2).rows.first { $0.comparison == "zip" }
        #expect(far?.level == "else")
        #expect((far?.weight ?? 0) < 0)
    }

    /// Mailboxes that differ only in digits are two mailboxes, not a typo: at one business
    /// domain "other mailbox, same business domain", at a free-mail domain "else".
    @Test func mailboxesDifferingInDigitsAtOneBusinessDomainAreOtherMailboxes() throws {
        #expect(try levels("John,Smith,john.smith@acme.com,,,\nJohn,Smith,john.smith2@acme.com,,,\n")["email"] == "other mailbox, same business domain")
        #expect(try levels("John,Smith,jsmith1@acme.com,,,\nJohn,Smith,jsmith2@acme.com,,,\n")["email"] == "other mailbox, same business domain")
        #expect(try levels("John,Smith,john.smith@acme.com,,,\nJohn,Smith,john.smiht@acme.com,,,\n")["email"] == "levenshtein <= 2")
        // At one employer only two letters swapped are a typo; another letter is another mailbox.
        #expect(try levels("Mario,Lopez,mario.lopez@acme.com,,,\nMaria,Lopez,maria.lopez@acme.com,,,\n")["email"] == "other mailbox, same business domain")
        #expect(try levels("Mario,Lopez,mario.lopez@gmail.com,,,\nMaria,Lopez,maria.lopez@gmail.com,,,\n")["email"] == "levenshtein <= 2")
        #expect(try levels("John,Smith,johnsmith@gmail.com,,,\nJohn,Smith,johnsmith2@gmail.com,,,\n")["email"] == "else")
        #expect(try levels("John,Smith,john.smith@acme.com,,,\nJohn,Smith,john.smith@acme.com,,,\n")["email"] == "exact")
    }

    /// One person's title written two ways reads the same (abbreviations, small words, order);
    /// another title weighs against a match, the same one for it, and a missing one says nothing.
    @Test func aTitleWrittenTwoWaysAgreesAndAnotherCountsAgainst() throws {
        let list = try WashedList(csv: Filler.header + ",Title\n" + """
            Ann,Lee,,Acme Corp,,02134,Sr. Dir. - Marketing
            Ann,Lee,,Acme Corp,,02134,Senior Director of Marketing
            Ann,Lee,,Acme Corp,,02134,Marketing / Senior Director
            Ann,Lee,,Acme Corp,,02134,Payroll Specialist
            Ann,Lee,,Acme Corp,,02134,

            """)
        func title(_ a: Int, _ b: Int) -> (level: String, weight: Double)? {
            list.explain(a, b).rows.first { $0.comparison == "title" }.map { ($0.level, $0.weight) }
        }
        #expect(title(0, 1)?.level == "exact")
        #expect(title(0, 2)?.level == "same words")
        #expect((title(0, 2)?.weight ?? 0) > 0)
        #expect(title(0, 3)?.level == "else")
        #expect((title(0, 3)?.weight ?? 0) < 0)
        #expect(title(0, 4)?.level == "null")
        #expect(title(0, 4)?.weight == 0)
    }

    /// One part of a compound surname is as close as a small typo; a part too short is not.
    @Test func aPartOfACompoundSurnameIsClose() throws {
        #expect(try levels("Ann,Greer-Walsh,,,,\nAnn,Walsh,,,,\n")["last_name"] == "jaro_winkler >= 0.92")
        #expect(try levels("Kristin,Stevens-Hopkoney,,,,\nKristin,Hopkoney,,,,\n")["last_name"] == "jaro_winkler >= 0.92")
        // The first part too, which the whole resembles enough for a lower level.
        #expect(try levels("Russell,Green-Garcia,,,,\nRussell,Green,,,,\n")["last_name"] == "jaro_winkler >= 0.92")
        #expect(try levels("Ann,Li-Walsh,,,,\nAnn,Li,,,,\n")["last_name"] != "jaro_winkler >= 0.92")
    }

    /// Swapped names where one crosses exactly and the other is the same given name as a
    /// nickname or an initial reach the swapped level; another given name does not.
    @Test func swappedNamesWithANicknameOrAnInitialAreSwapped() throws {
        let nickname = try levels("Joe,Barker,,,,\nBarker,Joseph,,,,\n")
        #expect(nickname["first_name"] == "swapped" && nickname["last_name"] == "swapped")
        let initial = try levels("P,Gilbert,,,,\nGilbert,Peter,,,,\n")
        #expect(initial["first_name"] == "swapped" && initial["last_name"] == "swapped")
        let other = try levels("Joe,Barker,,,,\nBarker,Linda,,,,\n")
        #expect(other["first_name"] == "else" && other["last_name"] == "else")
        #expect(try levels("K,Barker,,,,\nBarker,Linda,,,,\n")["first_name"] == "else")
    }

    /// A numbered mailbox at a business domain (matthew.reddy2@) says the employer has two people
    /// of that name: against no email or another address it is evidence of two people; a
    /// mailbox not numbered, a year, a role mailbox or free mail say nothing of the kind.
    @Test func aNumberedMailboxAtABusinessDomainNotSharedCountsAgainst() throws {
        let numbered = try WashedList(csv: Filler.header + "\nMatthew,Reddy,matthew.reddy2@jddental.com,,,\nMatthew,Reddy,,,,\n")
        let email = numbered.explain(0, 1).rows.first { $0.comparison == "email" }
        #expect(email?.level == ComparisonMethod.numberedMailbox)
        #expect((email?.weight ?? 0) < 0)
        #expect(try levels("Matthew,Reddy,matthew.reddy2@jddental.com,,,\nMatthew,Reddy,mreddy@gmail.com,,,\n")["email"] == ComparisonMethod.numberedMailbox)
        #expect(try levels("Matthew,Reddy,matthew.reddy2@jddental.com,,,\nMatthew,Reddy,matthew.reddy2@jddental.com,,,\n")["email"] == "exact")
        #expect(try levels("Matthew,Reddy,matthew.reddy@jddental.com,,,\nMatthew,Reddy,,,,\n")["email"] == "null")
        #expect(try levels("Matthew,Reddy,mreddy1980@jddental.com,,,\nMatthew,Reddy,,,,\n")["email"] == "null")
        #expect(try levels("Matthew,Reddy,info2@jddental.com,,,\nMatthew,Reddy,,,,\n")["email"] == "null")
        #expect(try levels("Matthew,Reddy,matthew.reddy2@gmail.com,,,\nMatthew,Reddy,mreddy@yahoo.com,,,\n")["email"] == "else")
    }

    @Test func twoExtensionsOfOneNumberAreOtherExtensions() throws {
        #expect(try levels("Ann,Lee,,,617-253-1000 x204,\nAnn,Lee,,,617-253-1000 x377,\n")["phone"] == "other extension")
        #expect(try levels("Ann,Lee,,,617-253-1000 x204,\nAnn,Lee,,,617-253-1000,\n")["phone"] == "exact")
        #expect(try levels("Ann,Lee,,,617-253-1000 x204,\nAnn,Lee,,,617-253-1000 x204,\n")["phone"] == "exact")
    }
}

/// The prior of a random pair from the candidate pairs' evidence.
@Suite struct RandomPairPriorTests {
    /// `matches` pairs whose evidence says one person (+20 bits) and `others` that say two
    /// (-10 bits), among `population` pairs.
    func prior(matches: Int, others: Int, population: Double) -> Double {
        var evidence = EvidenceHistogram()
        for _ in 0..<matches { evidence.add(20) }
        for _ in 0..<others { evidence.add(-10) }
        return Training.randomPairPrior(evidence, prior: 0.3 / 10_000, population: population)
    }

    /// The clear matches, over all pairs, are the prior; the clear non-matches add next to nothing.
    @Test func thePriorIsTheShareOfClearMatchesAmongAllPairs() {
        let found = prior(matches: 100, others: 10_000, population: 1e6)
        #expect(found > 0.95e-4 && found < 1.05e-4, "\(found)")
    }

    @Test func moreMatchingPairsGiveAHigherPrior() {
        let priors = [10, 100, 1_000].map { prior(matches: $0, others: 10_000, population: 1e6) }
        #expect(priors[0] < priors[1] && priors[1] < priors[2], "\(priors)")
    }

    /// Pairs of middling evidence count for what the prior makes of them: each +10-bit pair is a
    /// match at odds 2^10 times the prior's, so with few clear matches they add little.
    @Test func undecidedPairsCountForTheirChanceUnderThePrior() {
        var evidence = EvidenceHistogram()
        for _ in 0..<100 { evidence.add(20) }
        let clear = Training.randomPairPrior(evidence, prior: 1e-4, population: 1e6)
        for _ in 0..<1_000 { evidence.add(10) }
        let withUndecided = Training.randomPairPrior(evidence, prior: 1e-4, population: 1e6)
        #expect(withUndecided > clear)
        #expect(withUndecided < clear + 1_000 / 1e6 / 2, "\(clear) \(withUndecided)")
    }

    @Test func noEvidenceKeepsTheStartingPrior() {
        #expect(Training.randomPairPrior(EvidenceHistogram(), prior: 0.001, population: 1e6) == 0.001)
    }
}

/// Clusters join only when no pair across them says two people.
@Suite struct ClusteringTests {
    /// A-B and B-C matched, A-C contradicting: A and C stay apart (B goes with the first it met).
    @Test func aChainDoesNotJoinAContradictingPair() {
        var clustering = Clustering(count: 3)
        let coherent: (Int, Int) -> Bool = { x, y in Set([x, y]) != [0, 2] }
        let joinedAB = clustering.join(0, 1, coherent: coherent)
        let joinedBC = clustering.join(1, 2, coherent: coherent)
        #expect(joinedAB)
        #expect(!joinedBC)
        let roots = (0..<3).map { clustering.root($0) }
        #expect(roots[0] == roots[1])
        #expect(roots[0] != roots[2])
        #expect(clustering.count(roots[0]) == 2)
    }

    @Test func coherentChainsJoinIntoOneCluster() {
        var clustering = Clustering(count: 4)
        for (a, b) in [(2, 3), (0, 1), (1, 2)] {
            let joined = clustering.join(a, b) { _, _ in true }
            #expect(joined, "\(a)-\(b)")
        }
        var roots = Set<Int>()
        for record in 0..<4 { roots.insert(clustering.root(record)) }
        #expect(roots == [0])
        #expect(clustering.count(0) == 4)
    }

    /// The same through the deduplicator: John Smith at Acme with no email and no phone matches
    /// both john.smith@acme.com and john.smith2@acme.com, but those two are two mailboxes at one
    /// employer (a contradiction), so they never end in one cluster.
    @Test(arguments: HardPairsTests.sizes)
    func aRecordBetweenTwoMailboxesOfOneDomainJoinsOnlyOne(size: Int) throws {
        let (csv, records) = Filler.list(size, with: [
            "John,Smith,john.smith@acme.com,Acme Corp,617-492-3811,02134",
            "John,Smith,,Acme Corp,,02134",
            "John,Smith,john.smith2@acme.com,Acme Corp,617-492-3977,02134",
        ])
        let list = try WashedList(csv: csv)
        #expect(list.together(records[0], records[1]) || list.together(records[1], records[2]), "\(list.explainAll(records))")
        #expect(list.apart(records[0], records[2]), "\(list.explainAll(records))")
    }
}
