import Foundation
import ListWashCore

/// The reference tables the normalizers look values up in: US ZIP codes, NANP area codes,
/// given names and nicknames, free-mail and disposable email domains, the Public Suffix List,
/// and state, province and country names.
///
/// Load it once and share it: ``shared`` reads the bundled files the first time it is used
/// (about 0.1 s), and every normalizer takes it as a parameter with that default.
///
/// ```swift
/// let data = ReferenceData.shared
/// let normalizer = Normalizer(data: data)
/// try data.requireComplete() // throws ListWashError(.referenceData) when files are missing
/// ```
/// The bundled files are looked for, in order, in the resource bundle SwiftPM places next to
/// the executable (`ListWash_ListWashNormalize.resources`, beside the `listwash` binary or its
/// symbolic link's target), then in the folder the `LISTWASH_DATA` environment variable names
/// (holding the files themselves, or a copy of the resource bundle). A missing or unreadable
/// file leaves its table empty (normalizers then flag values as unknown) and is listed in
/// ``missingResources``; loading never crashes.
public final class ReferenceData: Sendable {
    /// The tables bundled with the module, loaded on first use.
    public static let shared: ReferenceData = {
        let folders = BundledResources.candidateFolders()
        return ReferenceData(loader: { BundledResources.contents(of: $0, in: folders) }, searchedFolders: folders)
    }()

    /// The names of the files the tables are read from.
    public static let resourceNames = [
        "zipcodes.csv", "area_codes.csv", "nicknames.csv", "free_email_domains.txt", "disposable_domains.txt",
        "public_suffix_rules.txt",
    ]

    /// Names of resource files that could not be read.
    public let missingResources: [String]

    /// The folders the files were looked for in, in order.
    public let searchedFolders: [String]

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
        self.init(loader: { BundledResources.read(directory + "/" + $0) }, searchedFolders: [directory])
    }

    init(loader: (String) -> [UInt8]?, searchedFolders: [String] = []) {
        // The files are read one by one, then the independent tables built on all cores: a
        // run waits for them before its first record.
        let files = Self.resourceNames.map { loader($0) }
        let tables = Tables()
        let contents = files.map { $0 ?? [] }
        DispatchQueue.concurrentPerform(iterations: 4) { task in
            switch task {
            case 0:
                let places = PlaceDirectory()
                tables.places = places
                tables.areaCodes = AreaCodeDirectory(csv: contents[1], places: places)
            case 1: tables.zipCodes = ZIPDirectory(csv: contents[0])
            case 2: tables.emailDomains = EmailDomainLists(free: contents[3], disposable: contents[4])
            default:
                tables.names = NicknameDirectory(csv: contents[2])
                tables.publicSuffixes = PublicSuffixList(rules: contents[5])
            }
        }
        places = tables.places ?? PlaceDirectory()
        areaCodes = tables.areaCodes ?? AreaCodeDirectory(csv: [], places: places)
        zipCodes = tables.zipCodes ?? ZIPDirectory(csv: [])
        emailDomains = tables.emailDomains ?? EmailDomainLists(free: [], disposable: [])
        names = tables.names ?? NicknameDirectory(csv: [])
        publicSuffixes = tables.publicSuffixes ?? PublicSuffixList(rules: [])
        missingResources = zip(Self.resourceNames, files).filter { $0.1 == nil }.map(\.0)
        self.searchedFolders = searchedFolders
    }

    /// The tables as they are built, each by one task.
    private final class Tables: @unchecked Sendable {
        var places: PlaceDirectory?
        var areaCodes: AreaCodeDirectory?
        var zipCodes: ZIPDirectory?
        var emailDomains: EmailDomainLists?
        var names: NicknameDirectory?
        var publicSuffixes: PublicSuffixList?
    }

    /// Throws when any reference file was missing, so a run stops rather than flag every value
    /// as unknown.
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`, exit status 66) naming the missing files
    ///   and the folders looked in.
    public func requireComplete() throws {
        guard !missingResources.isEmpty else { return }
        let folders = searchedFolders.isEmpty ? "nowhere" : searchedFolders.joined(separator: ", ")
        throw ListWashError(
            .referenceData,
            "normalization reference data not found (\(missingResources.joined(separator: ", "))); looked in \(folders). "
                + "Keep the folder \(BundledResources.bundleName) next to the listwash executable, or set "
                + "\(BundledResources.environmentVariable) to a folder holding the files of Sources/ListWashNormalize/Resources")
    }
}

/// Finds and reads the files copied into the module's resource bundle, without `Bundle.module`
/// (which stops the process when the bundle is not where the build left it).
enum BundledResources {
    /// The resource bundle's folder name, as SwiftPM names it.
    static let bundleName = "ListWash_ListWashNormalize.resources"
    /// The environment variable naming a folder of reference data.
    static let environmentVariable = "LISTWASH_DATA"

    /// The folders to look in, in order: the bundle next to the executable (as invoked and with
    /// symbolic links resolved), then `LISTWASH_DATA` (the files, or a copy of the bundle).
    static func candidateFolders(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var folders: [String] = []
        func add(_ folder: String) {
            if !folders.contains(folder) { folders.append(folder) }
        }
        let executableFolders: [String?] = [
            Bundle.main.executableURL?.deletingLastPathComponent().path,
            Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent().path,
            Bundle.main.bundleURL.path,
        ]
        for case let folder? in executableFolders {
            add(folder + "/" + bundleName + "/Resources")
            #if os(macOS)
            add(folder + "/ListWash_ListWashNormalize.bundle/Contents/Resources/Resources")
            #endif
        }
        if let data = environment[environmentVariable], !data.isEmpty {
            add(data)
            add(data + "/Resources")
            add(data + "/" + bundleName + "/Resources")
        }
        return folders
    }

    /// The first folder holding every file, or else the first holding any.
    static func contents(of name: String, in folders: [String]) -> [UInt8]? {
        let complete = folders.first { folder in
            ReferenceData.resourceNames.allSatisfy { FileManager.default.isReadableFile(atPath: folder + "/" + $0) }
        }
        for folder in (complete.map { [$0] } ?? []) + folders {
            if let bytes = read(folder + "/" + name) { return bytes }
        }
        return nil
    }

    /// The bytes of a file, or `nil` when it cannot be read.
    static func read(_ path: String) -> [UInt8]? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
            let data = FileManager.default.contents(atPath: path)
        else { return nil }
        return [UInt8](data)
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
