/// How senior a job title is, from the words it uses.
///
/// ```swift
/// JobLevel(title: "Chief Technology Officer")   // .executive
/// JobLevel(title: "SVP, Sales")                 // .vicePresident
/// JobLevel(title: "Head of Marketing")          // .director
/// JobLevel(title: "Assistant Director of IT")   // .manager (one step down)
/// JobLevel(title: "Product Manager")            // .manager
/// JobLevel(title: "Engineer")                   // .individual
/// JobLevel(title: "")                           // .unknown
/// ```
/// The most senior word decides ("Director, Office of the CEO" is an executive's title only in
/// name: the rule is simple and documented, not clever). "Assistant", "Associate" or "Deputy"
/// right before a level word lowers it one step; "Assistant to ..." is an individual's title.
/// Words are compared case-insensitively after dropping punctuation, so "V.P." reads as "vp".
public enum JobLevel: Int, CaseIterable, Comparable, Sendable {
    /// No title, or one with no letters ("-", "N/A").
    case unknown
    /// An individual contributor: engineer, analyst, agent, editor, ...
    case individual
    /// Manager, lead, supervisor.
    case manager
    /// Director, head of a function.
    case director
    /// Vice president (VP, SVP, EVP, AVP).
    case vicePresident
    /// C-level, president, owner, founder, partner, chair, managing director.
    case executive

    /// The level of `title`.
    public init(title: String) {
        let words = Self.words(title)
        guard words.contains(where: { $0.contains(where: \.isLetter) }), !Self.placeholders.contains(words.joined(separator: " ")) else {
            self = .unknown
            return
        }
        let assistsSomeone = zip(words, words.dropFirst()).contains { (first, second) in
            (first == "assistant" || first == "asst") && second == "to"
        }
        guard !assistsSomeone else {
            self = .individual
            return
        }
        var level = JobLevel.individual
        for (position, word) in words.enumerated() {
            let previous = position > 0 ? words[position - 1] : ""
            let next = position + 1 < words.count ? words[position + 1] : ""
            guard var found = Self.level(of: word, previous: previous, next: next) else { continue }
            if Self.lowering.contains(previous), let lower = JobLevel(rawValue: found.rawValue - 1) {
                found = max(lower, .individual)
            }
            level = max(level, found)
        }
        self = level
    }

    public static func < (lhs: JobLevel, rhs: JobLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    private static let executiveWords: Set<String> = [
        "ceo", "cto", "cfo", "coo", "cmo", "cio", "ciso", "cro", "cpo", "cso", "cdo", "cco", "chro",
        "chief", "president", "owner", "founder", "cofounder", "chairman", "chairwoman", "chair",
        "chairperson", "partner", "proprietor", "principal",
    ]
    private static let vicePresidentWords: Set<String> = ["vp", "svp", "evp", "avp", "gvp", "rvp"]
    private static let directorWords: Set<String> = ["director", "dir", "head"]
    private static let managerWords: Set<String> = ["manager", "mgr", "lead", "supervisor", "teamlead", "foreman"]
    private static let lowering: Set<String> = ["assistant", "asst", "associate", "assoc", "deputy"]
    private static let placeholders: Set<String> = ["n a", "na", "none", "null", "unknown", "tbd", "self", "x"]

    private static func level(of word: String, previous: String, next: String) -> JobLevel? {
        if word == "managing", next == "director" { return .executive }
        if word == "director", previous == "managing" { return .executive }
        if word == "vice", next == "president" { return .vicePresident }
        if word == "president" { return previous == "vice" ? .vicePresident : .executive }
        if executiveWords.contains(word) { return .executive }
        if vicePresidentWords.contains(word) { return .vicePresident }
        if directorWords.contains(word) { return .director }
        if managerWords.contains(word) { return .manager }
        return nil
    }

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

/// The part a person plays in an account's buying group, from their title's ``JobLevel``.
///
/// | level | role |
/// | --- | --- |
/// | executive, vice president | `decision_maker` |
/// | director, manager | `influencer` |
/// | individual | `user` |
/// | unknown (no title) | `unknown` |
public enum BuyingRole: String, CaseIterable, Sendable {
    /// Signs: C-level, owners, founders, vice presidents.
    case decisionMaker = "decision_maker"
    /// Shapes the choice: directors, heads of functions, managers.
    case influencer
    /// Uses the product: individual contributors.
    case user
    /// No usable title.
    case unknown

    /// The role of a person with `title`.
    public init(title: String) {
        self.init(level: JobLevel(title: title))
    }

    /// The role of a person at `level`.
    public init(level: JobLevel) {
        switch level {
        case .executive, .vicePresident: self = .decisionMaker
        case .director, .manager: self = .influencer
        case .individual: self = .user
        case .unknown: self = .unknown
        }
    }
}
