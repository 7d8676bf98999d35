/// How senior a job title is, read from its words with a small word list, and the buying-group
/// role that seniority usually plays.
///
/// The classifier looks at whole words, case-insensitively, and takes the most senior level any
/// word (or two-word phrase) names: "Chief Executive Officer" and "CEO" are ``cLevel``,
/// "SVP Sales" and "Vice President, IT" ``vp``, "Head of Sales" and "Director of IT" ``director``,
/// "Marketing Manager" and "Team Lead" ``manager``, "Engineer" and "Analyst" ``individual``;
/// an empty or unrecognized title is ``unknown``. "Assistant" lowers a level by one ("Assistant
/// Director" is a manager, "Executive Assistant" an individual contributor).
///
/// ```swift
/// TitleSeniority(title: "VP, Marketing")          // .vp
/// TitleSeniority(title: "Sr. Director of IT")     // .director
/// TitleSeniority(title: "Purchasing Agent").buyingRole // .user
/// ```
/// - Complexity: O(*n*) in the length of the title.
public enum TitleSeniority: String, CaseIterable, Sendable, Hashable {
    /// Chief officers, presidents, founders, owners, partners.
    case cLevel = "c_level"
    /// Vice presidents (EVP, SVP, AVP) and general managers.
    case vp
    /// Directors and heads of a function.
    case director
    /// Managers, team leads, supervisors.
    case manager
    /// Individual contributors: engineers, analysts, specialists, agents, consultants.
    case individual
    /// No title, or none of the words is known.
    case unknown

    /// The role a person of this seniority usually plays in a buying group: C-level and VPs
    /// decide, directors and managers influence, individual contributors use the product.
    public var buyingRole: BuyingRole {
        switch self {
        case .cLevel, .vp: .decisionMaker
        case .director, .manager: .influencer
        case .individual: .user
        case .unknown: .unknown
        }
    }

    /// Classifies a job title (see the type's description).
    public init(title: String) {
        var words: [String] = []
        var current = ""
        for scalar in title.unicodeScalars {
            if scalar.properties.isAlphabetic {
                current.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        self = Self.classify(words)
    }

    private static func classify(_ words: [String]) -> TitleSeniority {
        var best = TitleSeniority.unknown
        var assistant = false
        var index = 0
        while index < words.count {
            let word = words[index]
            if Self.assistantWords.contains(word) { assistant = true }
            var level = Self.words[word]
            // A phrase ("vice president") speaks for both its words.
            if index + 1 < words.count, let phrase = Self.phrases[word + " " + words[index + 1]] {
                level = phrase
                index += 1
            }
            if let level, level.rank > best.rank { best = level }
            index += 1
        }
        if assistant, best.rank > TitleSeniority.individual.rank {
            return TitleSeniority.allCases.first { $0.rank == best.rank - 1 } ?? best
        }
        return best
    }

    private var rank: Int {
        switch self {
        case .cLevel: 5
        case .vp: 4
        case .director: 3
        case .manager: 2
        case .individual: 1
        case .unknown: 0
        }
    }

    /// Single words and the level they name.
    static let words: [String: TitleSeniority] = {
        var table: [String: TitleSeniority] = [:]
        for word in ["chief", "ceo", "cfo", "cto", "cio", "coo", "cmo", "cro", "cso", "ciso", "cdo", "cpo", "president", "founder", "cofounder", "owner", "partner", "principal", "chairman", "chairwoman", "chair"] { table[word] = .cLevel }
        for word in ["vp", "svp", "evp", "avp", "gm"] { table[word] = .vp }
        for word in ["director", "head", "dir"] { table[word] = .director }
        for word in ["manager", "mgr", "lead", "supervisor", "coordinator", "superintendent"] { table[word] = .manager }
        for word in ["engineer", "analyst", "specialist", "agent", "consultant", "developer", "administrator", "admin", "associate", "representative", "rep", "technician", "designer", "architect", "scientist", "accountant", "buyer", "officer", "planner", "programmer", "assistant", "asst", "secretary", "clerk", "intern", "student", "staff", "member", "nurse", "teacher", "professor", "researcher", "writer", "editor", "marketer", "executive"] { table[word] = .individual }
        return table
    }()

    /// Two-word phrases that name a level their words alone do not.
    static let phrases: [String: TitleSeniority] = [
        "vice president": .vp, "general manager": .vp, "managing director": .cLevel,
        "managing partner": .cLevel, "executive director": .director, "team lead": .manager,
        "team leader": .manager, "product owner": .individual, "business owner": .cLevel,
    ]

    /// Words that make a title someone's assistant rather than the level itself.
    static let assistantWords: Set<String> = ["assistant", "asst"]
}

/// The part a person plays in an account's buying decision.
public enum BuyingRole: String, CaseIterable, Sendable, Hashable {
    /// Signs off: C-level, vice presidents.
    case decisionMaker = "decision_maker"
    /// Shapes the decision: directors, managers.
    case influencer
    /// Works with the product: individual contributors.
    case user
    /// No title to go by.
    case unknown
}
