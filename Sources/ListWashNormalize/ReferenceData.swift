import Foundation

/// The reference tables the normalizers look values up in: US ZIP codes, NANP area codes,
/// given names and nicknames, free-mail and disposable email domains, the Public Suffix List,
/// and state, province and country names.
///
/// Load it once and share it: ``shared`` reads the files bundled with this module the first
/// time it is used (about 0.1 s), and every normalizer takes it as a parameter with that default.
///
/// ```swift
/// let data = ReferenceData.shared
/// let normalizer = Normalizer(data: data)
/// ```
/// A missing or unreadable file leaves its table empty (normalizers then flag values as unknown)
/// and is listed in ``missingResources``; loading never crashes.
public final class ReferenceData: Sendable {
    /// The tables bundled with the module, loaded on first use.
    public static let shared = ReferenceData(loader: BundledResources.contents(of:))

    /// Names of resource files that could not be read.
    public let missingResources: [String]

    let zipCodes: ZIPDirectory
    let areaCodes: AreaCodeDirectory
    let names: NicknameDirectory
    let emailDomains: EmailDomainLists
    let publicSuffixes: PublicSuffixList
    let places: PlaceDirectory

    /// Loads the tables from a directory holding the same files as the module's `Resources`
    /// folder (`zipcodes.csv`, `area_codes.csv`, `nicknames.csv`, `free_email_domains.txt`,
    /// `disposable_domains.txt`, `public_suffix_rules.txt`).
    ///
    /// ```swift
    /// let data = ReferenceData(directory: "/opt/listwash/reference")
    /// ```
    public convenience init(directory: String) {
        self.init { name in FileManager.default.contents(atPath: directory + "/" + name).map { [UInt8]($0) } }
    }

    init(loader: (String) -> [UInt8]?) {
        var missing: [String] = []
        func load(_ name: String) -> [UInt8] {
            if let bytes = loader(name) { return bytes }
            missing.append(name)
            return []
        }
        places = PlaceDirectory()
        zipCodes = ZIPDirectory(csv: load("zipcodes.csv"))
        areaCodes = AreaCodeDirectory(csv: load("area_codes.csv"), places: places)
        names = NicknameDirectory(csv: load("nicknames.csv"))
        emailDomains = EmailDomainLists(
            free: load("free_email_domains.txt"), disposable: load("disposable_domains.txt"))
        publicSuffixes = PublicSuffixList(rules: load("public_suffix_rules.txt"))
        missingResources = missing
    }
}

/// Reads the files copied into the module's resource bundle.
private enum BundledResources {
    static func contents(of name: String) -> [UInt8]? {
        let candidates = [
            Bundle.module.resourceURL?.appendingPathComponent("Resources").appendingPathComponent(name),
            Bundle.module.url(forResource: name, withExtension: nil),
        ]
        for case let url? in candidates {
            if let data = FileManager.default.contents(atPath: url.path) { return [UInt8](data) }
        }
        return nil
    }
}

/// Minimal readers for the bundled resource formats (internal).
enum ResourceText {
    /// The rows of an RFC 4180 CSV file without its header row.
    static func csvRows(_ bytes: [UInt8]) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var index = 0
        let quote = UInt8(ascii: "\"")
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < bytes.count && bytes[index + 1] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == quote {
                inQuotes = true
            } else if byte == UInt8(ascii: ",") {
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            } else if byte == UInt8(ascii: "\n") {
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                rows.append(row)
                row.removeAll(keepingCapacity: true)
            } else if byte != UInt8(ascii: "\r") {
                field.append(byte)
            }
            index += 1
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(String(decoding: field, as: UTF8.self))
            rows.append(row)
        }
        return Array(rows.dropFirst())
    }

    /// The non-empty lines of a text file that do not start with `//`.
    static func lines(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            return text.isEmpty || text.hasPrefix("//") ? nil : text
        }
    }
}
