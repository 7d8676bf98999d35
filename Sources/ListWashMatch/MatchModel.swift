#if canImport(Glibc)
import Glibc
#endif

/// How two values of one field are compared; each method has its own ordered list of levels.
public enum ComparisonMethod: String, Codable, CaseIterable, Sendable {
    /// Exact, else.
    case exact
    /// Exact, Jaro-Winkler at or above each threshold (default 0.92, 0.8), else.
    case jaroWinkler = "jaro_winkler"
    /// Exact, Levenshtein distance at most each threshold (default 1, 2), else.
    case levenshtein
    /// Given names: exact, swapped with the other column, nickname (Bob/Robert), Jaro-Winkler
    /// levels, an initial that agrees, else.
    case name
    /// Email matching keys: exact, same local part at another domain, a typo (edit distance <= 2),
    /// (with a business-domain detail column) another mailbox at one business domain, a numbered
    /// mailbox at a business domain the other record does not give (also against no email), else.
    case email
    /// Phone digits: exact, same last seven digits, one digit off, else.
    case phone
    /// Dates as digits (YYYYMMDD): exact, day and month swapped, one digit off, year off by one, else.
    case date
    /// Numbers: exact, within a relative difference (default 0.05), else.
    case numeric
    /// Multi-word values (companies, streets): exact, Jaro-Winkler >= threshold, word-set Jaccard
    /// >= threshold (defaults 0.9, 0.5), else.
    case tokenSet = "token_set"
    /// Postal codes: exact, one edit, the same first characters (one level per threshold: the
    /// count, such as 3 for a US ZIP-3 area; none by default), else.
    case postcode
    /// Job titles, compared as ``JobTitle/matchingForm(_:)`` writes them ("Sr. Dir., Marketing"
    /// is "senior director marketing"): exact, the same words in another order, word-set Jaccard
    /// >= threshold (default 0.5), else.
    case jobTitle = "job_title"

    /// The labels of the levels after "null", in order, for `thresholds`.
    func levelLabels(thresholds: [Double], hasSwap: Bool, hasDetail: Bool = false) -> [String] {
        func format(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(value)
        }
        switch self {
        case .exact: return ["exact", "else"]
        case .jaroWinkler: return ["exact"] + (hasSwap ? ["swapped"] : []) + thresholds.map { "jaro_winkler >= \(format($0))" } + ["else"]
        case .levenshtein: return ["exact"] + thresholds.map { "levenshtein <= \(format($0))" } + ["else"]
        case .name: return ["exact"] + (hasSwap ? ["swapped"] : []) + ["nickname"] + thresholds.map { "jaro_winkler >= \(format($0))" } + ["initial", "else"]
        case .email: return ["exact", "same local part", "levenshtein <= 2"] + (hasDetail ? [Self.otherMailbox, Self.numberedMailbox] : []) + ["else"]
        case .phone: return ["exact", "same last 7 digits", "one digit off"] + (hasDetail ? [Self.otherExtension] : []) + ["else"]
        case .date: return ["exact", "day/month swapped", "one digit off", "year off by one", "else"]
        case .numeric: return ["exact", "within \(format((thresholds.first ?? 0.05) * 100))%", "else"]
        case .jobTitle: return ["exact", "same words", "jaccard >= \(format(thresholds.first ?? 0.5))", "else"]
        case .tokenSet: return ["exact", "jaro_winkler >= \(format(thresholds.first ?? 0.9))", "jaccard >= \(format(thresholds.dropFirst().first ?? 0.5))", "else"]
        case .postcode: return ["exact", "one edit"] + thresholds.map { "same first \(format($0)) characters" } + ["else"]
        }
    }

    /// The email level of two mailboxes at one business domain.
    static let otherMailbox = "other mailbox, same business domain"
    /// The email level of a numbered mailbox at a business domain (john.smith2@) that the other
    /// record does not give: the employer has two people of that name, and the other record may
    /// be either of them.
    static let numberedMailbox = "numbered mailbox, not shared"
    /// The phone level of one number with two different extensions.
    static let otherExtension = "other extension"

    /// Thresholds used when the pipeline gives none.
    var defaultThresholds: [Double] {
        switch self {
        case .jaroWinkler, .name: [0.92, 0.8]
        case .levenshtein: [1, 2]
        case .numeric: [0.05]
        case .tokenSet: [0.9, 0.5]
        case .jobTitle: [0.5]
        default: []
        }
    }
}

/// One level of a comparison and its Fellegi-Sunter parameters.
public struct ComparisonLevel: Codable, Sendable, Equatable {
    /// What the level means ("exact", "jaro_winkler >= 0.92", ...).
    public var label: String
    /// P(this level | the records are the same person).
    public var m: Double
    /// P(this level | the records are different people).
    public var u: Double
    /// Whether `u` is given rather than estimated from random pairs (for a level that random
    /// pairs misjudge because it goes with agreement elsewhere, such as the same email local
    /// part, which follows from the same name).
    public var fixedU: Bool? = nil

    /// log2(m / u): how much this level moves the evidence.
    public var weight: Double { log2(max(m, 1e-9) / max(u, 1e-9)) }
}

/// How one field is compared.
public struct Comparison: Codable, Sendable {
    /// A name for explanations (usually the column).
    public var name: String
    /// The column read: a `listwash_*` column, a source header, or a field role.
    public var column: String
    /// For names: the other name column, to recognize first and last names swapped.
    public var swapColumn: String?
    /// How values are compared.
    public var method: ComparisonMethod
    /// The method's thresholds.
    public var thresholds: [Double]
    /// Whether exact agreement on a rare value weighs more than on a common one ("Szczepanski"
    /// against "Smith").
    public var termFrequency: Bool
    /// Whether a value several different people give (a switchboard, a role mailbox, a
    /// placeholder: see ``SharedValues``) weighs nothing when two records agree on it.
    public var sharedValues: Bool?
    /// Comparisons with the same group describe one thing and are not independent evidence
    /// (a company and a ZIP code both say where a person works: colleagues agree on both, a job
    /// changer disagrees on both): of their agreements only the strongest counts, and of their
    /// disagreements only the strongest.
    public var group: String?
    /// A column that refines agreement: for emails, each record's business domain
    /// (`listwash_domain`, empty for free-mail), so that two mailboxes at one business domain
    /// reach the level "other mailbox, same business domain" (at one employer a person has one
    /// mailbox: namesakes there are two people); for phones, the extension
    /// (`listwash_phone_ext`), so that one number with two different extensions reaches
    /// "other extension" (a switchboard's two lines are two people).
    public var detailColumn: String?
    /// For a value that one record has and the other lacks (a generational suffix written on
    /// one side only: a son's "Jr.", his father's nothing): unless the two records hold the same
    /// value in one of these columns (at most two: a personal mailbox or phone), the pair is at
    /// the last level ("else"), which for the built-in suffix contradicts a match (a father and
    /// son of one name are two people unless a personal identifier agrees). `nil`: a value on
    /// one side only is missing (the null level).
    public var oneSidedUnlessSame: [String]?
    /// The levels after "null" (a missing value on either side, which weighs nothing).
    public var levels: [ComparisonLevel]

    /// A comparison with default levels; `m` defaults describe typical data until trained, or
    /// `m` gives them per level (after "null", in order).
    public init(name: String? = nil, column: String, method: ComparisonMethod, thresholds: [Double]? = nil,
                swapColumn: String? = nil, termFrequency: Bool = false, sharedValues: Bool? = nil, detailColumn: String? = nil,
                group: String? = nil, oneSidedUnlessSame: [String]? = nil, m: [Double]? = nil, u: [Double?]? = nil, fixedU: Set<Int> = []) {
        self.name = name ?? column
        self.oneSidedUnlessSame = oneSidedUnlessSame
        self.column = column
        self.method = method
        self.swapColumn = swapColumn
        self.termFrequency = termFrequency
        self.sharedValues = sharedValues
        self.group = group
        self.detailColumn = method == .email || method == .phone ? detailColumn : nil
        let thresholds = thresholds ?? method.defaultThresholds
        self.thresholds = thresholds
        let labels = method.levelLabels(thresholds: thresholds, hasSwap: swapColumn != nil, hasDetail: self.detailColumn != nil)
        levels = labels.enumerated().map { index, label in
            let given = m.flatMap { index < $0.count ? $0[index] : nil }
            let fixed = u.flatMap { index < $0.count ? $0[index] : nil }
            return ComparisonLevel(label: label, m: given ?? Self.defaultM(index: index, count: labels.count),
                                   u: fixed ?? Self.defaultU(index: index, count: labels.count), fixedU: fixedU.contains(index) ? true : nil)
        }
    }

    /// The labels of the levels after "null" that this comparison's method, thresholds, swap and
    /// detail columns give (what ``levels`` must list, in order).
    public var expectedLevelLabels: [String] {
        method.levelLabels(thresholds: thresholds, hasSwap: swapColumn != nil, hasDetail: detailColumn != nil)
    }

    /// Typical m values: most true pairs agree exactly, a few fuzzily, a few not at all.
    static func defaultM(index: Int, count: Int) -> Double {
        if index == 0 { return 0.85 }
        if index == count - 1 { return 0.03 }
        return 0.12 / Double(count - 2)
    }

    /// Typical u values, replaced by random sampling on the data itself.
    static func defaultU(index: Int, count: Int) -> Double {
        if index == 0 { return 0.01 }
        if index == count - 1 { return 0.95 }
        return 0.04 / Double(count - 2)
    }
}

/// A function that makes a blocking key from a column's value.
public enum KeyFunction: String, Codable, CaseIterable, Sendable {
    /// The value itself.
    case exact
    /// The first letter.
    case initial
    /// The first three characters.
    case prefix3 = "prefix3"
    /// The Double Metaphone primary code.
    case metaphone
    /// The American Soundex code.
    case soundex
    /// The year of a date (the first four digits).
    case year
    /// The first three digits (a ZIP-3 area, an area code).
    case digits3
    /// The words of the value, sorted (so "acme corp" and "corp acme" share a key).
    case sortedWords = "sorted_words"
    /// A given name's canonical form, nicknames folded (Bob and Robert share it).
    case nickname
}

/// One part of a blocking rule: a column and a key function.
public struct BlockingKey: Codable, Sendable, Equatable {
    /// The column: a `listwash_*` column, a source header, or a field role.
    public var column: String
    /// How the key is made from the value.
    public var function: KeyFunction

    /// A key part.
    public init(column: String, function: KeyFunction = .exact) {
        self.column = column
        self.function = function
    }
}

/// Records are compared when they share the key of at least one rule.
public struct BlockingRule: Codable, Sendable, Equatable {
    /// The parts of the key; all must be non-empty.
    public var keys: [BlockingKey]
    /// Whether the parts' order does not matter: records whose parts are the same values in
    /// another order share the key (a first and last name swapped).
    public var unordered: Bool?

    /// A rule over `keys`.
    public init(_ keys: [BlockingKey], unordered: Bool? = nil) {
        self.keys = keys
        self.unordered = unordered
    }

    /// `surname:metaphone + given_name:initial` (`any order of` them when unordered).
    public var description: String {
        let parts = keys.map { $0.function == .exact ? $0.column : "\($0.column):\($0.function.rawValue)" }.joined(separator: " + ")
        return unordered == true ? "any order of " + parts : parts
    }
}

/// A Fellegi-Sunter match model: comparisons with their level weights, blocking rules, the
/// prior, and the decision thresholds.
public struct MatchModel: Codable, Sendable {
    /// The comparisons.
    public var comparisons: [Comparison]
    /// The blocking rules.
    public var blocking: [BlockingRule]
    /// P(match) for two records drawn at random, before looking at them (the u values describe
    /// random pairs too). With ``priorFromData`` a run works it out from its own data.
    public var prior: Double
    /// Whether a run sets ``prior`` from its data rather than taking it as given: a dedupe by
    /// EM over its candidate pairs' evidence (see ``Training/matchShare(_:prior:)``), on lists
    /// too small for that from ``expectedPartners``; a link from ``expectedPartners`` and the
    /// size of the export. The chance that two random records are one person falls as a list
    /// grows: a fixed prior makes common names match on large lists.
    public var priorFromData: Bool
    /// How many other records of a list (or of a CRM export, for an incoming row) one person
    /// is expected to have, before any data is seen: the prior of a random pair is this over the
    /// number of other records.
    public var expectedPartners: Double
    /// A pair at or above this match probability is a match.
    public var matchThreshold: Double
    /// A pair at or above this (and below the match threshold) is a possible match for review.
    public var reviewThreshold: Double
    /// Blocks larger than this are compared by sorted neighbourhood instead of every pair.
    public var maxBlockSize: Int
    /// The neighbourhood size in an oversize block.
    public var window: Int
    /// Whether m values and the prior are estimated by EM on the data at run time.
    public var train: Bool
    /// Whether m values are learned from the data at run time without EM over every candidate
    /// pair: from the pairs that share an identifier (see ``IdentityPairs``), on lists of at
    /// least ``Deduplicator/minimumRecordsForPriorEM`` records.
    public var learnM: Bool
    /// Whether u values are estimated from random pairs of the data at run time (only on sets
    /// of at least ``minimumRecordsForU`` records; smaller ones keep the model's u values).
    public var estimateU: Bool

    /// The fewest records u values are estimated on.
    public static let minimumRecordsForU = 500
    /// Comparisons that must not disagree outright (reach their "else" level) for a pair to be a
    /// match at all, whatever the other fields say: two people at one address and phone with
    /// different first names are a family, not a duplicate.
    public var required: [String]
    /// Comparisons whose exact agreement is enough to lift ``required`` (the same email address).
    public var sufficient: [String]

    /// A model over `comparisons` and `blocking`.
    public init(comparisons: [Comparison], blocking: [BlockingRule], prior: Double = 0.05, priorFromData: Bool = false,
                expectedPartners: Double = 0.3, matchThreshold: Double = 0.9, reviewThreshold: Double = 0.5, maxBlockSize: Int = 60,
                window: Int = 10, train: Bool = false, learnM: Bool = false, estimateU: Bool = true, required: [String] = [], sufficient: [String] = []) {
        self.comparisons = comparisons
        self.blocking = blocking
        self.prior = prior
        self.priorFromData = priorFromData
        self.expectedPartners = expectedPartners
        self.matchThreshold = matchThreshold
        self.reviewThreshold = reviewThreshold
        self.maxBlockSize = maxBlockSize
        self.window = window
        self.train = train
        self.learnM = learnM
        self.estimateU = estimateU
        self.required = required
        self.sufficient = sufficient
    }

    enum CodingKeys: String, CodingKey {
        case comparisons, blocking, prior, priorFromData, expectedPartners, matchThreshold, reviewThreshold, maxBlockSize, window, train, learnM, estimateU, required, sufficient
    }

    /// Reads a model file; `required` may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        comparisons = try container.decode([Comparison].self, forKey: .comparisons)
        blocking = try container.decode([BlockingRule].self, forKey: .blocking)
        prior = try container.decode(Double.self, forKey: .prior)
        priorFromData = try container.decodeIfPresent(Bool.self, forKey: .priorFromData) ?? false
        expectedPartners = try container.decodeIfPresent(Double.self, forKey: .expectedPartners) ?? 0.3
        matchThreshold = try container.decode(Double.self, forKey: .matchThreshold)
        reviewThreshold = try container.decode(Double.self, forKey: .reviewThreshold)
        maxBlockSize = try container.decode(Int.self, forKey: .maxBlockSize)
        window = try container.decode(Int.self, forKey: .window)
        train = try container.decodeIfPresent(Bool.self, forKey: .train) ?? false
        learnM = try container.decodeIfPresent(Bool.self, forKey: .learnM) ?? false
        estimateU = try container.decodeIfPresent(Bool.self, forKey: .estimateU) ?? true
        required = try container.decodeIfPresent([String].self, forKey: .required) ?? []
        sufficient = try container.decodeIfPresent([String].self, forKey: .sufficient) ?? []
    }

    /// The prior as a match weight: log2(prior / (1 - prior)).
    public var priorWeight: Double { log2(prior / (1 - prior)) }

    /// The prior of a random pair when `others` other records may be the same person and
    /// ``expectedPartners`` of them are expected to be.
    public func prior(amongOthers others: Int) -> Double {
        min(max(expectedPartners, 1e-6) / Double(max(others, 1)), 0.5)
    }

    /// The most comparisons a model may have: a pair's levels are packed 4 bits each into a
    /// 64-bit pattern.
    public static let maximumComparisons = 16

    /// The match probability for a total match weight.
    public static func probability(weight: Double) -> Double {
        1 / (1 + exp2(-weight))
    }

    /// A match weight below which no pair reaches the review threshold: the threshold's
    /// weight, lowered a little so that rounding never drops a pair that reaches it.
    var reviewCutoff: Double {
        guard reviewThreshold > 0 else { return -.infinity }
        // Near 1, a tiny step in weight is below the probabilities' rounding: 9 weighs 0.998.
        guard reviewThreshold < 0.999 else { return 9 }
        return log2(reviewThreshold / (1 - reviewThreshold)) - 1e-6
    }

    /// Every column the model reads.
    public var columns: [String] {
        var names: [String] = []
        for comparison in comparisons {
            let extra = [comparison.swapColumn, comparison.detailColumn].compactMap { $0 }
            for column in [comparison.column] + extra where !names.contains(column) { names.append(column) }
        }
        for rule in blocking {
            for key in rule.keys where !names.contains(key.column) { names.append(key.column) }
        }
        return names
    }

    /// The built-in model for lead lists, over the columns the normalize stage fills.
    ///
    /// Its m values describe repeat responses of one person: names agree (or differ by a nickname
    /// or a typo), emails and phones often change. u values come from random pairs of the data
    /// itself at run time, and the prior from the list's own candidate pairs. First and last
    /// names are required: people who share only a company, an address or a phone are
    /// colleagues or family, not duplicates. What says "two people" counts against a match:
    /// another generation (Jr. and Sr.), another mailbox at one employer, another extension of
    /// one number, another company or a ZIP far away; a generation written on one side only
    /// (Jr. against nothing) unless the two share a mailbox or phone. Emails and phones that several people
    /// give weigh nothing; company and ZIP count once, as one workplace.
    public static let leadList = MatchModel(
        comparisons: [
            Comparison(name: "first_name", column: "listwash_first_name", method: .name, swapColumn: "listwash_last_name",
                       termFrequency: true, m: [0.78, 0.01, 0.08, 0.05, 0.03, 0.01, 0.02],
                       u: [0.0007, 0.00001, 0.0007, 0.0005, 0.004, 0.00001, 0.9943]),
            Comparison(name: "last_name", column: "listwash_last_name", method: .jaroWinkler, swapColumn: "listwash_first_name",
                       termFrequency: true, m: [0.85, 0.01, 0.06, 0.04, 0.04], u: [0.008, 0.00001, 0.0009, 0.003, 0.988]),
            Comparison(name: "suffix", column: "listwash_name_suffix", method: .exact, oneSidedUnlessSame: ["listwash_email_key", "listwash_phone"],
                       m: [0.9995, 0.0005], u: [0.5, 0.5], fixedU: [1]),
            Comparison(name: "email", column: "listwash_email_key", method: .email, sharedValues: true, detailColumn: "listwash_domain",
                       m: [0.6, 0.03, 0.04, 0.0005, 0.004, 0.3255], u: [0.00001, 0.01, 0.005, 0.5, 0.5, 0.985], fixedU: [1, 2, 3, 4]),
            Comparison(name: "phone", column: "listwash_phone", method: .phone, sharedValues: true, detailColumn: "listwash_phone_ext",
                       m: [0.7, 0.03, 0.03, 0.0005, 0.2395], u: [0.00004, 0.00001, 0.00002, 0.5, 0.99993], fixedU: [3]),
            Comparison(name: "company", column: "listwash_company_key", method: .tokenSet, group: "workplace", m: [0.8, 0.1, 0.095, 0.005], u: [0.0003, 0.0002, 0.0015, 0.998]),
            Comparison(name: "zip", column: "listwash_zip", method: .postcode, thresholds: [3], group: "workplace",
                       m: [0.9, 0.06, 0.03, 0.01], u: [0.0004, 0.0006, 0.002, 0.997]),
            Comparison(name: "title", column: "title", method: .jobTitle,
                       m: [0.5, 0.1, 0.15, 0.25], u: [0.01, 0.002, 0.02, 0.968]),
        ],
        blocking: [
            BlockingRule([BlockingKey(column: "listwash_email_key")]),
            BlockingRule([BlockingKey(column: "listwash_phone")]),
            BlockingRule([BlockingKey(column: "listwash_last_name", function: .metaphone), BlockingKey(column: "listwash_first_name", function: .nickname)]),
            BlockingRule([BlockingKey(column: "listwash_zip"), BlockingKey(column: "listwash_last_name", function: .prefix3)]),
            BlockingRule([BlockingKey(column: "listwash_company_key"), BlockingKey(column: "listwash_last_name", function: .initial)]),
            BlockingRule([BlockingKey(column: "listwash_first_name", function: .metaphone), BlockingKey(column: "listwash_last_name", function: .metaphone)],
                         unordered: true),
            // Swapped at one employer with a nickname or an initial on the way ("Joe Barker", "Barker Joseph"):
            // the first letters of the two names in any order.
            BlockingRule([BlockingKey(column: "listwash_company_key"), BlockingKey(column: "listwash_first_name", function: .initial),
                          BlockingKey(column: "listwash_last_name", function: .initial)], unordered: true),
        ],
        prior: 0.05, priorFromData: true, matchThreshold: 0.9, reviewThreshold: 0.5, maxBlockSize: 40, train: false, learnM: true, required: ["first_name", "last_name"], sufficient: ["email"])
}
