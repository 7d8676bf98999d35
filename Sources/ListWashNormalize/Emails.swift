/// The outcome of normalizing one email value.
public struct EmailResult: Sendable, Hashable {
    /// The address, lower case, domain in ASCII (`"jane.doe@example.com"`); empty when invalid.
    public var email = ""
    /// The address with the domain as written in Unicode, for display (equal to ``email`` for
    /// ASCII domains); empty when invalid.
    public var displayEmail = ""
    /// The matching key after provider rules (`"janedoe@gmail.com"` for
    /// `"Jane.Doe+news@googlemail.com"`); empty when invalid.
    public var key = ""
    /// The local part of ``email``.
    public var localPart = ""
    /// The ASCII domain of ``email``.
    public var domain = ""
    /// The domain belongs to a free-mail provider (and is not disposable).
    public var isFreemail = false
    /// The domain belongs to a disposable-address service.
    public var isDisposable = false
    /// The local part names a role (`info@`, `sales@`) rather than a person.
    public var isRole = false
    /// What was noticed: `email_invalid`, `email_cleaned`, `email_typo_corrected`, `email_idn`,
    /// `email_role`, `email_freemail`, `email_disposable`.
    public var flags: [NormalizationFlag] = []
}

/// Cleans, validates, corrects, keys and classifies email addresses.
///
/// ```swift
/// let emails = EmailNormalizer()
/// emails.normalize("Jane Doe <Jane.Doe@GMIAL.com>.").email // "jane.doe@gmail.com"
/// emails.normalize("mailto:info@acme.com").flags          // [.emailCleaned, .emailRole]
/// emails.normalize("J.O.H.N+promo@googlemail.com").key    // "john@gmail.com"
/// emails.normalize("john@gmail").flags                    // [.emailInvalid]
/// ```
/// Steps: clean (``extractAddress(_:)``), validate (``EmailAddress``), correct typos of big
/// providers' domains (``correctedDomain(_:)``), key (``matchingKey(localPart:domain:)``),
/// classify (free-mail, disposable, role).
public struct EmailNormalizer: Sendable {
    let lists: EmailDomainLists

    /// A normalizer over the given reference data.
    public init(data: ReferenceData = .shared) {
        lists = data.emailDomains
    }

    /// Normalizes one email value.
    ///
    /// - Returns: the address, its key, classification and flags; an invalid value gives empty
    ///   strings and `email_invalid`. Never throws.
    /// - Complexity: O(*n*) in the length of the input, plus a few set lookups.
    public func normalize(_ raw: String?) -> EmailResult {
        var result = EmailResult()
        guard let raw, raw.utf8.contains(where: { $0 > TextCleaning.space }) else { return result }
        let (text, changed) = Self.extractAddress(raw)
        guard var address = EmailAddress(validating: text) else {
            result.flags.append(.emailInvalid)
            return result
        }
        if changed { result.flags.append(.emailCleaned) }
        if let corrected = correctedDomain(address.domain),
            let fixed = EmailAddress(validating: address.localPart + "@" + corrected)
        {
            address = fixed
            result.flags.append(.emailTypoCorrected)
        }
        if address.isInternationalized { result.flags.append(.emailIDN) }
        result.email = address.address
        result.displayEmail = address.localPart + "@" + address.unicodeDomain
        result.localPart = address.localPart
        result.domain = address.domain
        result.key = Self.matchingKey(localPart: address.localPart, domain: address.domain)
        result.isRole = Self.isRoleAccount(address.localPart)
        result.isDisposable = lists.disposable.contains(address.domain)
        result.isFreemail = !result.isDisposable && lists.free.contains(address.domain)
        if result.isRole { result.flags.append(.emailRole) }
        if result.isFreemail { result.flags.append(.emailFreemail) }
        if result.isDisposable { result.flags.append(.emailDisposable) }
        return result
    }

    // MARK: Cleaning

    /// Pulls the address out of a raw value: trims and removes invisible characters, drops
    /// `mailto:` (and its `?subject=...`), takes the address out of `Name <address>`, strips
    /// surrounding quotes or brackets and trailing dots, commas, semicolons and colons.
    ///
    /// ```swift
    /// EmailNormalizer.extractAddress(" \"Jane\" <jane@acme.com>; ") // ("jane@acme.com", true)
    /// ```
    /// - Returns: the address text (not yet validated) and whether anything beyond whitespace
    ///   was removed.
    public static func extractAddress(_ raw: String) -> (address: String, changed: Bool) {
        let cleaned = TextCleaning.cleaned(raw)
        if !needsExtraction(cleaned) { return (cleaned, false) }
        var text = Substring(cleaned)
        var changed = false
        if text.utf8.count > 7, text.prefix(7).lowercased() == "mailto:" {
            text = text.dropFirst(7)
            if let query = text.firstIndex(of: "?") { text = text[..<query] }
            changed = true
        }
        if text.last == ">", let open = text.lastIndex(of: "<") {
            text = text[text.index(after: open)..<text.index(before: text.endIndex)]
            changed = true
        }
        let pairs: [(Character, Character)] = [("\"", "\""), ("'", "'"), ("<", ">"), ("(", ")"), ("[", "]")]
        while text.utf8.count >= 2, let first = text.first, let last = text.last,
            pairs.contains(where: { $0 == (first, last) })
        {
            text = text.dropFirst().dropLast()
            changed = true
        }
        while let last = text.last, ".,;:".contains(last) {
            text = text.dropLast()
            changed = true
        }
        while let first = text.first, ",;:".contains(first) {
            text = text.dropFirst()
            changed = true
        }
        let trimmed = text.trimmingSpaces()
        return (trimmed, changed)
    }

    /// `false` for the common case: text with no quotes, brackets, `mailto:` or punctuation at
    /// either end, which ``extractAddress(_:)`` returns as is.
    private static func needsExtraction(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last else { return false }
        if Self.edgePunctuation[Int(first)] || Self.edgePunctuation[Int(last)] { return true }
        if bytes.count > 7, zip(bytes.prefix(7), "mailto:".utf8).allSatisfy({ TextCleaning.lower($0) == $1 }) {
            return true
        }
        return bytes.contains { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") }
    }

    static let edgePunctuation: [Bool] = (0..<256).map { "\"'<>()[].,;:".utf8.contains(UInt8($0)) }

    // MARK: Typos

    /// The big provider's domain a near miss was meant to be, or `nil` to keep the domain.
    ///
    /// ```swift
    /// emails.correctedDomain("gmial.com")   // "gmail.com"
    /// emails.correctedDomain("hotmail.con") // "hotmail.com"
    /// emails.correctedDomain("acme.com")    // nil
    /// emails.correctedDomain("ymail.com")   // nil: a real provider's domain
    /// ```
    /// Only domains of ``typoTargets`` are ever produced, never from a domain of
    /// ``realNearMisses``. A near miss is: the provider's name with a
    /// top-level domain one edit away from its own (`gmail.con`, `aol.cm`), or, for names of five
    /// letters or more, the whole domain one edit away (insertion, deletion, substitution or
    /// transposition: `gmial.com`, `gmal.com`, `yaho.com`, `outlok.com`). A domain near two
    /// providers is kept.
    /// - Complexity: O(*p* × *n*²) for *p* providers and domain length *n* (short).
    public func correctedDomain(_ domain: String) -> String? {
        guard !Self.typoTargetSet.contains(domain), !Self.realNearMisses.contains(domain) else { return nil }
        let bytes = Array(domain.utf8)
        let dot = bytes.firstIndex(of: UInt8(ascii: "."))
        let hasTwoLabels = dot.map { !bytes[($0 + 1)...].contains(UInt8(ascii: ".")) } ?? false
        var found: String?
        for target in Self.typoTargetBytes {
            var sameName = false
            if hasTwoLabels, let dot, let targetDot = target.dot, !target.hasSubdomain,
                bytes[..<dot] == target.bytes[..<targetDot]
            {
                sameName = Self.isWithinOneEdit(bytes[(dot + 1)...], target.bytes[(targetDot + 1)...])
            }
            let nearMiss = target.nameLength >= 5 && Self.isWithinOneEdit(bytes[...], target.bytes[...])
            if sameName || nearMiss {
                if found != nil && found != target.domain { return nil }
                found = target.domain
            }
        }
        return found
    }

    /// The provider domains typo correction aims at.
    public static let typoTargets: [String] = [
        "gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com",
        "live.com", "msn.com", "me.com", "mac.com", "comcast.net", "protonmail.com", "ymail.com",
        "rocketmail.com", "att.net", "verizon.net", "sbcglobal.net", "bellsouth.net", "charter.net",
        "cox.net", "earthlink.net", "yahoo.co.uk", "hotmail.co.uk", "btinternet.com",
    ]
    private static let typoTargetSet = Set(typoTargets)

    private struct TypoTarget {
        let domain: String
        let bytes: [UInt8]
        let dot: Int?
        let nameLength: Int
        let hasSubdomain: Bool
    }

    private static let typoTargetBytes: [TypoTarget] = typoTargets.map { domain in
        let bytes = Array(domain.utf8)
        let dot = bytes.firstIndex(of: UInt8(ascii: "."))
        return TypoTarget(
            domain: domain, bytes: bytes, dot: dot, nameLength: dot ?? bytes.count,
            hasSubdomain: bytes.filter { $0 == UInt8(ascii: ".") }.count > 1)
    }

    /// Real mail services one edit away from a provider, never corrected. (Found by running the
    /// near-miss rule over the free-mail and disposable lists: the other hits there, such as
    /// `gmial.com`, `hotmial.com`, `yaho.com`, are typo-catching registrations.)
    public static let realNearMisses: Set<String> = [
        "mail.com", "email.com", "earthling.net", "y7mail.com", "gotmail.com", "qmail.com", "uymail.com",
        "5ymail.com", "amail.com", "cmail.com", "mmail.com", "tmail.com",
    ]

    /// `true` when the byte strings are equal or one insertion, deletion, substitution or
    /// transposition of neighbours apart (optimal string alignment distance at most 1).
    /// - Complexity: O(*n*), no allocation.
    static func isWithinOneEdit(_ x: ArraySlice<UInt8>, _ y: ArraySlice<UInt8>) -> Bool {
        let (n, m) = (x.count, y.count)
        guard abs(n - m) <= 1 else { return false }
        var i = 0
        while i < min(n, m) && x[x.startIndex + i] == y[y.startIndex + i] { i += 1 }
        if i == n && i == m { return true }
        let xs = x.startIndex, ys = y.startIndex
        if n > m { return x[(xs + i + 1)...] == y[(ys + i)...] }
        if m > n { return x[(xs + i)...] == y[(ys + i + 1)...] }
        if x[(xs + i + 1)...] == y[(ys + i + 1)...] { return true }
        return i + 1 < n && x[xs + i] == y[ys + i + 1] && x[xs + i + 1] == y[ys + i]
            && x[(xs + i + 2)...] == y[(ys + i + 2)...]
    }

    // MARK: Keys

    /// How a mailbox provider reads local parts: which domains are one mailbox, whether dots
    /// count, and which character starts a subaddress tag.
    public struct MailboxRule: Sendable {
        /// The domains the rule covers.
        public let domains: [String]
        /// The domain keys use for all of ``domains``, or `nil` to keep each.
        public let canonicalDomain: String?
        /// Dots in the local part are ignored by the provider.
        public let ignoresDots: Bool
        /// The character that starts a tag the provider ignores (`+`, or `-` for Yahoo).
        public let tagSeparator: Character
    }

    /// The provider rules ``matchingKey(localPart:domain:)`` applies. Other domains keep the
    /// local part whole: many company servers treat `+` and dots as ordinary characters.
    public static let mailboxRules: [MailboxRule] = [
        MailboxRule(domains: ["gmail.com", "googlemail.com"], canonicalDomain: "gmail.com", ignoresDots: true, tagSeparator: "+"),
        MailboxRule(
            domains: ["outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.uk", "live.co.uk", "outlook.co.uk",
                      "hotmail.fr", "live.fr", "outlook.fr", "hotmail.de", "outlook.de", "hotmail.it", "hotmail.es"],
            canonicalDomain: nil, ignoresDots: false, tagSeparator: "+"),
        MailboxRule(domains: ["icloud.com", "me.com", "mac.com"], canonicalDomain: nil, ignoresDots: false, tagSeparator: "+"),
        MailboxRule(domains: ["fastmail.com", "fastmail.fm"], canonicalDomain: nil, ignoresDots: false, tagSeparator: "+"),
        MailboxRule(
            domains: ["protonmail.com", "protonmail.ch", "proton.me", "pm.me"], canonicalDomain: nil, ignoresDots: false,
            tagSeparator: "+"),
        MailboxRule(domains: ["yandex.ru", "yandex.com", "ya.ru"], canonicalDomain: nil, ignoresDots: false, tagSeparator: "+"),
        MailboxRule(
            domains: ["yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.ca"],
            canonicalDomain: nil, ignoresDots: false, tagSeparator: "-"),
    ]

    static let rulesByDomain: [String: MailboxRule] = {
        var table: [String: MailboxRule] = [:]
        for rule in mailboxRules { for domain in rule.domains { table[domain] = rule } }
        return table
    }()

    /// The key two addresses share when they reach the same mailbox (`listwash_email_key`).
    ///
    /// ```swift
    /// EmailNormalizer.matchingKey(localPart: "j.doe+news", domain: "googlemail.com") // "jdoe@gmail.com"
    /// EmailNormalizer.matchingKey(localPart: "jdoe+crm", domain: "outlook.com")      // "jdoe@outlook.com"
    /// EmailNormalizer.matchingKey(localPart: "jdoe-shop", domain: "yahoo.com")       // "jdoe@yahoo.com"
    /// EmailNormalizer.matchingKey(localPart: "j.doe+x", domain: "acme.com")          // "j.doe+x@acme.com"
    /// ```
    /// - Parameters: the lower-case local part and ASCII domain of a valid address.
    /// - Complexity: O(*n*).
    public static func matchingKey(localPart: String, domain: String) -> String {
        guard let rule = rulesByDomain[domain] else { return localPart + "@" + domain }
        var local = Substring(localPart)
        if let tag = local.firstIndex(of: rule.tagSeparator), tag != local.startIndex {
            local = local[..<tag]
        }
        let mailbox = rule.ignoresDots ? String(local.filter { $0 != "." }) : String(local)
        return mailbox + "@" + (rule.canonicalDomain ?? domain)
    }

    // MARK: Roles

    /// `true` when the local part (without a `+tag`) names a role, team or machine mailbox.
    ///
    /// ```swift
    /// EmailNormalizer.isRoleAccount("info")        // true
    /// EmailNormalizer.isRoleAccount("sales+emea")  // true
    /// EmailNormalizer.isRoleAccount("jane.doe")    // false
    /// ```
    public static func isRoleAccount(_ localPart: String) -> Bool {
        guard let plus = localPart.utf8.firstIndex(of: UInt8(ascii: "+")) else {
            return roleLocalParts.contains(localPart)
        }
        return roleLocalParts.contains(String(localPart[..<plus]))
    }

    /// Local parts of role accounts.
    public static let roleLocalParts: Set<String> = [
        "abuse", "accounting", "accounts", "admin", "administrator", "all", "billing", "careers", "ceo", "contact",
        "contactus", "contact-us", "customercare", "customerservice", "customer.service", "support", "dev", "devnull",
        "do-not-reply", "donotreply", "enquiries", "enquiry", "everyone", "feedback", "finance", "hello", "help",
        "helpdesk", "hostmaster", "hr", "info", "information", "inquiries", "inquiry", "it", "jobs", "legal", "mail",
        "mailer-daemon", "marketing", "media", "news", "newsletter", "no-reply", "noc", "noreply", "notifications",
        "office", "ops", "orders", "partners", "postmaster", "press", "privacy", "purchasing", "recruiting",
        "recruitment", "reception", "root", "sales", "security", "service", "shop", "spam", "staff", "subscribe",
        "team", "test", "unsubscribe", "webmaster", "www",
    ]
}

/// Free-mail and disposable domain lists (internal).
struct EmailDomainLists: Sendable {
    let free: Set<String>
    let disposable: Set<String>

    init(free: [UInt8], disposable: [UInt8]) {
        self.free = Set(ResourceText.lines(free).map { $0.lowercased() })
        self.disposable = Set(ResourceText.lines(disposable).map { $0.lowercased() })
    }
}

// MARK: - Fast path for the normalize stage

extension EmailNormalizer {
    /// What the normalize stage needs of an email domain as written (internal), worked out once
    /// per distinct domain by the general path and then reused for every address at it.
    struct DomainFacts: Sendable {
        /// The domain is valid (an address at it can be valid).
        var valid = false
        /// The ASCII domain after typo correction.
        var domain = ""
        /// `email_typo_corrected`, `email_idn`, `email_freemail`, `email_disposable`.
        var flags = FlagSet()
        /// The domain is a free-mail provider's (and not disposable).
        var isFreemail = false
        /// The domain is a disposable-address service's.
        var isDisposable = false
        /// Bytes of the domain as written (the address length limit counts them).
        var writtenLength = 0
        /// The provider's tag separator (`+` or `-`), or 0 when no mailbox rule applies.
        var tagSeparator: UInt8 = 0
        /// The provider ignores dots in local parts.
        var ignoresDots = false
        /// The domain keys use.
        var keyDomain = ""
        /// The registrable domain for `domain_from_email` (empty for free-mail and disposable
        /// domains, or when there is none); filled by the stage.
        var employerDomain = ""
    }

    /// The facts of an ASCII domain as written after an `@`.
    func domainFacts(_ written: UnsafeBufferPointer<UInt8>) -> DomainFacts {
        var facts = DomainFacts()
        facts.writtenLength = written.count
        // The domain decides validity, correction and classification; "a" is a valid, plain local part.
        let result = normalize("a@" + String(decoding: written, as: UTF8.self))
        guard !result.email.isEmpty else { return facts }
        facts.valid = true
        facts.domain = result.domain
        facts.flags = FlagSet(result.flags)
        facts.isFreemail = result.isFreemail
        facts.isDisposable = result.isDisposable
        if let rule = Self.rulesByDomain[result.domain], let separator = rule.tagSeparator.asciiValue {
            facts.tagSeparator = separator
            facts.ignoresDots = rule.ignoresDots
            facts.keyDomain = rule.canonicalDomain ?? result.domain
        }
        return facts
    }

    /// How ``scanFast(_:local:)`` reads a raw value.
    enum FastScan {
        /// The value needs the general path (cleaning, extraction, Unicode beyond Latin-1, IDN).
        case general
        /// The value is an invalid address.
        case invalid
        /// A plain address whose local part is valid: its lower-cased bytes are in `local`; the
        /// domain as written follows the `@` at `at`.
        case plain(at: Int)
    }

    /// Reads the common case without making strings: printable ASCII (and Latin-1 letters in the
    /// local part) with one `@`, nothing to clean or extract. Writes the lower-cased local part
    /// into `local`. Anything else is left to ``normalize(_:)``.
    static func scanFast(_ raw: UnsafeBufferPointer<UInt8>, local: inout [UInt8]) -> FastScan {
        let count = raw.count
        guard count >= 1, count <= 1024 else { return .general }
        if edgePunctuation[Int(raw[0])] || edgePunctuation[Int(raw[count - 1])] { return .general }
        if count > 7 {
            var index = 0
            for byte in "mailto:".utf8 {
                guard TextCleaning.lower(raw[index]) == byte else { break }
                index += 1
            }
            if index == 7 { return .general }
        }
        local.removeAll(keepingCapacity: true)
        var at = -1
        var index = 0
        while index < count {
            let byte = raw[index]
            if byte == UInt8(ascii: "@") {
                at = index
                break
            }
            if byte < 0x80 {
                guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "<"), byte != UInt8(ascii: ">") else { return .general }
                local.append(TextCleaning.lower(byte))
                index += 1
            } else if byte == 0xC2 || byte == 0xC3, index + 1 < count {
                // U+00A1...U+00FF but the soft hyphen: letters and signs that need no cleaning,
                // are already NFC, and lower-case by adding 0x20 (À-Þ but ×).
                let next = raw[index + 1]
                guard next >= 0x80, next <= 0xBF else { return .general }
                if byte == 0xC2 {
                    guard next >= 0xA1, next != 0xAD else { return .general }
                    local.append(byte)
                    local.append(next)
                } else {
                    local.append(byte)
                    local.append(next <= 0x9E && next != 0x97 ? next + 0x20 : next)
                }
                index += 2
            } else {
                return .general
            }
        }
        guard at >= 0 else { return .general }
        for byte in raw[(at + 1)...] {
            guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "@"), byte != UInt8(ascii: "<"), byte != UInt8(ascii: ">")
            else { return .general }
        }
        // The local part's rules (``EmailAddress``): 1-64 bytes, atext and single dots inside.
        guard at >= 1, at <= 64, raw[0] != UInt8(ascii: "."), raw[at - 1] != UInt8(ascii: ".") else { return .invalid }
        var previous: UInt8 = 0
        for byte in raw[0..<at] {
            if byte < 0x80 {
                if byte == UInt8(ascii: ".") {
                    if previous == byte { return .invalid }
                } else if !EmailAddress.isAtext(byte) {
                    return .invalid
                }
            }
            previous = byte
        }
        return .plain(at: at)
    }

    /// The longest role local part.
    static let longestRoleLocalPart = roleLocalParts.map(\.utf8.count).max() ?? 0

    /// For each length up to ``longestRoleLocalPart``, a bit per first byte (`a`-`z` and other)
    /// that some role local part has: rules out most personal local parts without a string.
    private static let roleShapes: [UInt32] = {
        var shapes = [UInt32](repeating: 0, count: longestRoleLocalPart + 1)
        for role in roleLocalParts {
            let bytes = Array(role.utf8)
            shapes[bytes.count] |= 1 << shapeBit(bytes[0])
        }
        return shapes
    }()

    @inline(__always)
    private static func shapeBit(_ byte: UInt8) -> UInt32 {
        byte >= 0x61 && byte <= 0x7A ? UInt32(byte - 0x61) : 26
    }

    /// ``isRoleAccount(_:)`` over a lower-cased local part's bytes.
    public static func isRoleAccount(bytes local: UnsafeBufferPointer<UInt8>) -> Bool {
        let end = local.firstIndex(of: UInt8(ascii: "+")) ?? local.count
        guard end > 0, end <= longestRoleLocalPart, roleShapes[end] & (1 << shapeBit(local[0])) != 0,
            local[0..<end].allSatisfy({ $0 < 0x80 })
        else { return false }
        return roleLocalParts.contains(String(decoding: local[0..<end], as: UTF8.self))
    }
}
