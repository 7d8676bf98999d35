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
    /// normalized email and the key); the stage fills them only when a list holds hashes.
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

    /// The email's local part (before the last `@`), or `""`.
    var localPart: Substring {
        guard let at = email.lastIndex(of: "@") else { return "" }
        return email[..<at]
    }

    /// The email's domain (after the last `@`), or `""`.
    var emailDomain: Substring {
        guard let at = email.lastIndex(of: "@") else { return "" }
        return email[email.index(after: at)...]
    }

    /// Adds the digests of `texts` (empty and repeated texts skipped).
    mutating func addDigests(of texts: [String]) {
        var seen: [String] = []
        for text in texts where !text.isEmpty && !seen.contains(text) {
            seen.append(text)
            digests.append(DigestKey(SHA256.hash(utf8: text)))
        }
    }
}

/// A SHA-256 digest as four words, for hashing into sets (internal).
struct DigestKey: Hashable, Sendable {
    let words: (UInt64, UInt64, UInt64, UInt64)

    init(_ digest: SHA256.Digest) {
        var words: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in digest.bytes.prefix(32).enumerated() { words[index / 8] = words[index / 8] << 8 | UInt64(byte) }
        self.words = (words[0], words[1], words[2], words[3])
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
