import ListWashText

/// Finds the registrable domain ("acme.co.uk") of a website, host or email address with the
/// Public Suffix List.
///
/// ```swift
/// let domains = DomainNormalizer()
/// domains.registrableDomain(from: "https://www.acme.com/about") // "acme.com"
/// domains.registrableDomain(from: "mail.acme.co.uk")            // "acme.co.uk"
/// domains.registrableDomain(from: "jane@sales.acme.com")        // "acme.com"
/// domains.registrableDomain(from: "co.uk")                      // nil: a public suffix
/// ```
/// The list's ICANN and private sections are both used, with its wildcard (`*.ck`) and
/// exception (`!www.ck`) rules; a host under no rule has its last label as public suffix.
public struct DomainNormalizer: Sendable {
    let suffixes: PublicSuffixList

    /// A normalizer over the given reference data.
    public init(data: ReferenceData = .shared) {
        suffixes = data.publicSuffixes
    }

    /// The registrable domain (public suffix plus one label) in lower-case ASCII, or `nil` when
    /// the text holds no valid domain name (an IP address, a bare public suffix, bad characters).
    /// - Complexity: O(*n*) plus one set lookup per label.
    public func registrableDomain(from text: String) -> String? {
        guard let host = Self.host(from: text) else { return nil }
        return suffixes.registrableDomain(of: host)
    }

    /// The host name in a website, URL or email address, lower case ASCII (punycode for
    /// internationalized names), or `nil` when there is none.
    ///
    /// ```swift
    /// DomainNormalizer.host(from: "HTTPS://User@WWW.Acme.com:8080/path?q#f") // "www.acme.com"
    /// ```
    public static func host(from text: String) -> String? {
        let cleaned = TextCleaning.cleaned(text)
        let bytes = cleaned.utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes[colon...].starts(with: "://".utf8) {
            start = bytes.index(colon, offsetBy: 3)
        } else if bytes.starts(with: "//".utf8) {
            start = bytes.index(start, offsetBy: 2)
        }
        if let stop = bytes[start...].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            end = stop
        }
        if let at = bytes[start..<end].lastIndex(of: UInt8(ascii: "@")) { start = bytes.index(after: at) }
        if let colon = bytes[start..<end].lastIndex(of: UInt8(ascii: ":")),
            bytes[bytes.index(after: colon)..<end].allSatisfy(TextCleaning.isDigit)
        {
            end = colon
        }
        while end > start, bytes[bytes.index(before: end)] == UInt8(ascii: ".") { end = bytes.index(before: end) }
        guard start < end else { return nil }
        let written = String(cleaned[start..<end])
        let ascii = TextCleaning.isASCII(written) ? TextCleaning.lowercased(written) : ICU.domainToASCII(written)
        guard let ascii, EmailAddress.checkLabels(ascii) else { return nil }
        return ascii
    }
}

/// The Public Suffix List's rules (internal).
struct PublicSuffixList: Sendable {
    private let rules: Set<String>
    private let wildcards: Set<String>
    private let exceptions: Set<String>

    init(rules bytes: [UInt8]) {
        var rules: Set<String> = []
        var wildcards: Set<String> = []
        var exceptions: Set<String> = []
        func ascii(_ rule: Substring) -> String? {
            let text = String(rule)
            return TextCleaning.isASCII(text) ? text.lowercased() : ICU.domainToASCII(text)
        }
        for line in ResourceText.lines(bytes) {
            if line.hasPrefix("!") {
                if let rule = ascii(line.dropFirst()) { exceptions.insert(rule) }
            } else if line.hasPrefix("*.") {
                if let rule = ascii(line.dropFirst(2)) { wildcards.insert(rule) }
            } else if let rule = ascii(Substring(line)) {
                rules.insert(rule)
            }
        }
        self.rules = rules
        self.wildcards = wildcards
        self.exceptions = exceptions
    }

    /// The registrable domain of a lower-case ASCII host, or `nil` when the host is itself a
    /// public suffix.
    func registrableDomain(of host: String) -> String? {
        // Where each label starts: "mail.acme.co.uk" -> [0, 5, 10, 13].
        var starts = [host.utf8.startIndex]
        for index in host.utf8.indices where host.utf8[index] == UInt8(ascii: ".") {
            starts.append(host.utf8.index(after: index))
        }
        guard starts.count >= 2 else { return nil }
        var suffixStart = starts.count - 1
        for label in starts.indices {
            let candidate = String(host[starts[label]...])
            if exceptions.contains(candidate) {
                suffixStart = label + 1
                break
            }
            if rules.contains(candidate) {
                suffixStart = label
                break
            }
            if label + 1 < starts.count, wildcards.contains(String(host[starts[label + 1]...])) {
                suffixStart = label
                break
            }
        }
        guard suffixStart > 0 else { return nil }
        return String(host[starts[suffixStart - 1]...])
    }
}
