import ListWashCore

/// How senior a job title is, read from its words with a small word list, and the buying-group
/// role that seniority usually plays.
///
/// ```swift
/// JobLevel(title: "Chief Technology Officer")   // .cLevel
/// JobLevel(title: "SVP, Sales")                 // .vp
/// JobLevel(title: "V.P. of Engineering")        // .vp
/// JobLevel(title: "Head of Marketing")          // .director
/// JobLevel(title: "Assistant Director of IT")   // .manager (one step down)
/// JobLevel(title: "Product Manager")            // .manager
/// JobLevel(title: "Engineer")                   // .individual
/// JobLevel(title: "Ninja")                      // .unknown
/// ```
/// Whole words are compared case-insensitively (dots and apostrophes inside a word vanish, so
/// "V.P." reads as "vp"); the most senior level any word or two-word phrase names wins ("Founder
/// & CEO" is C-level). "Assistant" in a title above individual lowers it one step ("Assistant
/// Director" is a manager); "Assistant to ..." is an individual's title whatever follows. A title
/// with no known word is ``unknown``.
///
/// - Complexity: O(*n*) in the length of the title.
public enum JobLevel: String, CaseIterable, Comparable, Sendable, Hashable {
    /// No title, or none of its words is known.
    case unknown
    /// Individual contributors: engineers, analysts, specialists, agents, consultants.
    case individual
    /// Managers, team leads, supervisors.
    case manager
    /// Directors and heads of a function.
    case director
    /// Vice presidents (EVP, SVP, AVP) and general managers.
    case vp
    /// Chief officers, presidents, founders, owners, partners, managing directors.
    case cLevel = "c_level"

    /// The level of `title`.
    public init(title: String) {
        let words = Self.words(title)
        let assistsSomeone = zip(words, words.dropFirst()).contains { Self.assistantWords.contains($0) && $1 == "to" }
        if assistsSomeone {
            self = .individual
            return
        }
        var best = JobLevel.unknown
        var index = 0
        while index < words.count {
            var level = Self.levels[words[index]]
            // A phrase ("vice president") speaks for both its words.
            if index + 1 < words.count, let phrase = Self.phrases[words[index] + " " + words[index + 1]] {
                level = phrase
                index += 1
            }
            if let level, level > best { best = level }
            index += 1
        }
        if best > .individual, words.contains(where: Self.assistantWords.contains), let lower = best.oneStepDown {
            best = lower
        }
        self = best
    }

    /// The role a person at this level usually plays in a buying group: C-level and vice
    /// presidents decide, directors and managers influence, individual contributors use.
    public var buyingRole: BuyingRole {
        switch self {
        case .cLevel, .vp: .decisionMaker
        case .director, .manager: .influencer
        case .individual: .user
        case .unknown: .unknown
        }
    }

    public static func < (lhs: JobLevel, rhs: JobLevel) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    private var oneStepDown: JobLevel? {
        rank > 0 ? Self.allCases[rank - 1] : nil
    }

    /// Single words and the level they name.
    static let levels: [String: JobLevel] = {
        var table: [String: JobLevel] = [:]
        for word in ["chief", "ceo", "cfo", "cto", "cio", "coo", "cmo", "cro", "cso", "ciso", "cdo", "cpo", "cco", "chro",
                     "president", "founder", "cofounder", "owner", "partner", "principal", "proprietor",
                     "chairman", "chairwoman", "chairperson", "chair"] { table[word] = .cLevel }
        for word in ["vp", "svp", "evp", "avp", "gvp", "rvp", "gm"] { table[word] = .vp }
        for word in ["director", "head", "dir"] { table[word] = .director }
        for word in ["manager", "mgr", "lead", "supervisor", "coordinator", "superintendent", "foreman"] { table[word] = .manager }
        for word in ["engineer", "analyst", "specialist", "agent", "consultant", "developer", "administrator", "admin",
                     "associate", "representative", "rep", "technician", "designer", "architect", "scientist", "accountant",
                     "buyer", "officer", "planner", "programmer", "assistant", "asst", "secretary", "clerk", "intern",
                     "student", "staff", "member", "nurse", "teacher", "professor", "researcher", "writer", "editor",
                     "marketer", "executive"] { table[word] = .individual }
        return table
    }()

    /// Two-word phrases that name a level their words alone do not.
    static let phrases: [String: JobLevel] = [
        "vice president": .vp, "general manager": .vp, "managing director": .cLevel,
        "managing partner": .cLevel, "executive director": .director, "team lead": .manager,
        "team leader": .manager, "product owner": .individual, "business owner": .cLevel,
    ]

    /// Words that make a title someone's assistant rather than the level itself.
    static let assistantWords: Set<String> = ["assistant", "asst"]

    /// Lower-case words of `title`: letters and digits; dots and apostrophes inside a word
    /// vanish ("V.P." → "vp"), every other character separates words.
    static func words(_ title: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in title.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if character == "." || character == "'" || character == "’" {
                continue
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}

/// The part a person plays in an account's buying group (see ``JobLevel/buyingRole``).
///
/// | level | role |
/// | --- | --- |
/// | C-level, vice president | `decision_maker` |
/// | director, manager | `influencer` |
/// | individual | `user` |
/// | unknown | `unknown` |
public enum BuyingRole: String, CaseIterable, Sendable, Hashable {
    /// Signs off: C-level, vice presidents.
    case decisionMaker = "decision_maker"
    /// Shapes the decision: directors, heads of a function, managers.
    case influencer
    /// Works with the product: individual contributors.
    case user
    /// No title to go by.
    case unknown

    /// The role of a person with `title`.
    public init(title: String) {
        self = JobLevel(title: title).buyingRole
    }

    /// The role a role column names, case, spaces and punctuation ignored: `decision_maker`,
    /// `Decision Maker`, `DM`, `Economic Buyer`, `Executive Sponsor`, `Approver`; `influencer`,
    /// `Champion`, `Evaluator`, `Technical Buyer`; `user`, `End User`, `Business User`. `nil`
    /// for an empty or other value (the title decides then).
    public init?(written: String) {
        guard let role = Self.spellings[FieldRole.foldHeader(written)] else { return nil }
        self = role
    }

    private static let spellings: [String: BuyingRole] = [
        "decisionmaker": .decisionMaker, "dm": .decisionMaker, "economicbuyer": .decisionMaker, "executivesponsor": .decisionMaker,
        "approver": .decisionMaker, "influencer": .influencer, "champion": .influencer, "evaluator": .influencer,
        "technicalbuyer": .influencer, "user": .user, "enduser": .user, "businessuser": .user,
    ]
}

/// The form in which two job titles are compared: one person's title written two ways
/// ("Sr. Dir., Marketing", "Senior Director of Marketing") reads the same.
///
/// ```swift
/// JobTitle.matchingForm("Sr. Dir., Marketing")          // "senior director marketing"
/// JobTitle.matchingForm("SENIOR SOFTWARE ENG.")         // "senior software engineer"
/// JobTitle.matchingForm("VP Sales & Marketing")         // "vice president sales marketing"
/// JobTitle.matchingForm("Mgr., Information Technology") // "manager information technology"
/// ```
/// Words as ``JobLevel`` reads them (lower case, dots inside a word dropped), common
/// abbreviations written out, and the small words (of, and, the, &) left out. Word order is kept:
/// the comparison's word-set level finds "Manager, Engineering" and "Engineering Manager".
public enum JobTitle {
    /// The comparison form of `title`; `""` when it has no word.
    public static func matchingForm(_ title: String) -> String {
        JobLevel.words(title).flatMap { word in spelledOut[word] ?? (skipped.contains(word) ? [] : [word]) }.joined(separator: " ")
    }

    /// Words left out: they tell no title from another.
    static let skipped: Set<String> = ["of", "and", "the", "for", "in", "to", "a"]

    /// Abbreviations of title words, written out (and "engineering" read as "engineer", so that
    /// the role and its department compare alike).
    static let spelledOut: [String: [String]] = [
        "sr": ["senior"], "snr": ["senior"], "jr": ["junior"], "mgr": ["manager"], "mngr": ["manager"],
        "dir": ["director"], "vp": ["vice", "president"], "svp": ["senior", "vice", "president"],
        "evp": ["executive", "vice", "president"], "avp": ["assistant", "vice", "president"],
        "eng": ["engineer"], "engr": ["engineer"], "engineering": ["engineer"], "exec": ["executive"],
        "rep": ["representative"], "dev": ["development"], "bd": ["business", "development"], "biz": ["business"],
        "mktg": ["marketing"], "mkt": ["marketing"], "asst": ["assistant"], "admin": ["administrator"],
        "coord": ["coordinator"], "acct": ["account"], "it": ["information", "technology"], "hr": ["human", "resources"],
        "ops": ["operations"], "ceo": ["chief", "executive", "officer"], "cfo": ["chief", "financial", "officer"],
        "coo": ["chief", "operating", "officer"], "cto": ["chief", "technology", "officer"],
        "cio": ["chief", "information", "officer"], "cmo": ["chief", "marketing", "officer"],
        "cro": ["chief", "revenue", "officer"], "gm": ["general", "manager"], "pres": ["president"],
    ]
}
