import ListWashCore

/// What a row offers to suppression lists: its normalized values.
///
/// The suppress stage fills one per open row from the `listwash_*` columns (or the raw fields
/// when a column is absent); a library user can fill one by hand and ask a list directly:
/// ```swift
/// var subject = SuppressionSubject()
/// subject.email = "hank@mail.globex.com"
/// list.firstMatch(subject)?.reason // "competitors.csv:4 domain globex.com"
/// ```
public struct SuppressionSubject: Sendable {
    /// The normalized email (`listwash_email`).
    public var email = ""
    /// The provider key of the email (`listwash_email_key`).
    public var emailKey = ""
    /// The SHA-256 digests to look up in hashed lists (of the raw lower-cased email, the
    /// normalized email and the key); the stage fills them only when a list holds hashes, and
    /// ``SuppressionList/firstMatch(_:)`` from the email and key when they are missing.
    var digests: [DigestKey] = []
    /// Website or company domains besides the email's (`listwash_domain`, the website's host).
    public var domains: [String] = []
    /// The company key (`listwash_company_key`).
    public var companyKey = ""
    /// Phone numbers in E.164.
    public var phones: [String] = []
    /// The ISO country code (`listwash_country`).
    public var country = ""
    /// The CRM account the row matched (`listwash_account_id`).
    public var accountID = ""
    /// That account's name and company key, when the accounts export has it.
    public var account: (name: String, key: String)?

    /// An empty subject.
    public init() {}

    /// Adds the digests of the email as written (lower-cased, trimmed), the normalized email
    /// and its key (empty and repeated texts skipped).
    mutating func addDigests(written: String, email: String, key: String) {
        if !written.isEmpty { digests.append(DigestKey(SHA256.hash(utf8: written))) }
        if !email.isEmpty, email != written { digests.append(DigestKey(SHA256.hash(utf8: email))) }
        if !key.isEmpty, key != written, key != email { digests.append(DigestKey(SHA256.hash(utf8: key))) }
    }
}

/// A subject with what every list looks up worked out once (internal): the email's local part
/// (and the part before its `+tag`), and every domain to look up (the email's and the other
/// domains, each with its parent domains).
struct PreparedSubject {
    var subject = SuppressionSubject()
    var localPart = ""
    var localPartBeforeTag = ""
    var domainCandidates: [String] = []

    /// An empty subject, to fill record after record (its arrays keep their capacity).
    init() {}

    init(_ subject: SuppressionSubject, localParts: Bool = true, domains: Bool = true, hashes: Bool = false) {
        self.subject = subject
        if hashes, subject.digests.isEmpty { self.subject.addDigests(written: "", email: subject.email, key: subject.emailKey) }
        prepare(localParts: localParts, domains: domains)
    }

    /// Empties the subject, keeping its arrays' memory.
    mutating func clear() {
        subject.email = ""
        subject.emailKey = ""
        subject.digests.removeAll(keepingCapacity: true)
        subject.domains.removeAll(keepingCapacity: true)
        subject.companyKey = ""
        subject.phones.removeAll(keepingCapacity: true)
        subject.country = ""
        subject.accountID = ""
        subject.account = nil
    }

    /// Works out the local parts and domain candidates of ``subject``.
    mutating func prepare(localParts: Bool, domains: Bool) {
        localPart = ""
        localPartBeforeTag = ""
        domainCandidates.removeAll(keepingCapacity: true)
        var emailDomain: Substring = ""
        let email = subject.email
        let utf8 = email.utf8
        if localParts || domains, let at = utf8.lastIndex(of: UInt8(ascii: "@")) {
            emailDomain = email[utf8.index(after: at)...]
            if localParts {
                localPart = String(email[..<at])
                if let plus = localPart.utf8.firstIndex(of: UInt8(ascii: "+")), plus != localPart.utf8.startIndex {
                    localPartBeforeTag = String(localPart[..<plus])
                }
            }
        }
        guard domains else { return }
        Self.addSuffixes(of: emailDomain, to: &domainCandidates)
        for domain in subject.domains where !domain.isEmpty { Self.addSuffixes(of: Substring(domain), to: &domainCandidates) }
    }

    /// Adds `host` and each parent domain (`eu.mail.globex.com`, `mail.globex.com`,
    /// `globex.com`; never the bare top-level label), skipping ones already there.
    private static func addSuffixes(of host: Substring, to candidates: inout [String]) {
        var rest = host
        while let dot = rest.utf8.firstIndex(of: UInt8(ascii: ".")) {
            let candidate = String(rest)
            if !candidates.contains(candidate) { candidates.append(candidate) }
            rest = rest[rest.utf8.index(after: dot)...]
        }
    }
}

/// A SHA-256 digest as four words, for hashing into sets (internal).
struct DigestKey: Hashable, Sendable {
    let words: (UInt64, UInt64, UInt64, UInt64)

    init(_ digest: SHA256.Digest) {
        func word(_ start: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in start..<min(start + 8, digest.bytes.count) { value = value << 8 | UInt64(digest.bytes[index]) }
            return value
        }
        words = (word(0), word(8), word(16), word(24))
    }

    /// The digest written as 64 hexadecimal digits (either case), or `nil`.
    init?(hex: String) {
        let bytes = Array(hex.utf8)
        guard bytes.count == 64 else { return nil }
        var words: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.enumerated() {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            words[index / 16] = words[index / 16] << 4 | UInt64(value)
        }
        self.words = (words[0], words[1], words[2], words[3])
    }

    static func == (lhs: DigestKey, rhs: DigestKey) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
    }
}
