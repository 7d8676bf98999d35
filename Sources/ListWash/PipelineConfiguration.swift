import ListWashCore
import ListWashMatch

/// A pipeline file, read: what to read, how to map it, which stages to run, where to write.
///
/// Paths in the file are relative to the file's folder; paths given on the command line are
/// relative to the working folder. Flags override the file (see ``RunOverrides``).
public struct PipelineConfiguration: Sendable {
    /// One input file.
    public struct Input: Sendable, Equatable {
        /// The path or glob (`inbox/*.csv`).
        public var path: String
        /// `csv` or `jsonl`; `nil` picks by extension.
        public var format: String?
        /// CSV reading options.
        public var csv = CSVOptions()
        /// The name of the source list (for campaign associations); defaults to the file name.
        public var list: String?

        /// An input at `path` with default options.
        public init(path: String) {
            self.path = path
        }
    }

    /// A CRM export to match against.
    public struct Reference: Sendable, Equatable {
        /// The export's path.
        public var path: String
        /// The id column; `nil` recognizes the usual headers ("Id", "Contact ID", ...).
        public var idColumn: String?

        /// A reference export at `path`.
        public init(path: String, idColumn: String? = nil) {
            self.path = path
            self.idColumn = idColumn
        }
    }

    /// The nightly job's inbox: where new files arrive and what becomes of them once processed.
    public struct Inbox: Sendable, Equatable {
        /// What happens to an input file once a run has processed it (or found it processed before).
        public enum After: String, Sendable, CaseIterable {
            /// Moved to ``Inbox/processedFolder``, under the run's id.
            case move
            /// Renamed in place with a `.done` suffix, so the inbox glob no longer matches it.
            case mark
            /// Left as it is; the run history keeps it from being processed twice.
            case keep
        }

        /// A rule naming the source list (the vendor) of files whose name matches a pattern.
        public struct ListRule: Sendable, Equatable {
            /// A shell-style pattern matched against the file name (`*webinar*`).
            public var pattern: String
            /// The list's name in reports and the vendor scorecard.
            public var list: String

            /// A rule naming files matching `pattern` as list `list`.
            public init(pattern: String, list: String) {
                self.pattern = pattern
                self.list = list
            }
        }

        /// The inbox glob (`inbox/*.csv`); a folder alone means every file in it.
        public var path: String
        /// What happens to processed files.
        public var after: After = .move
        /// Where `move` puts them; `nil` means a `processed` folder inside the inbox folder.
        public var processedFolder: String?
        /// Source-list names by file-name pattern, first match wins; files no rule matches are
        /// named after the file (dates and extension left out).
        public var lists: [ListRule] = []
        /// Days after which a lead a run created and no CRM export shows yet is reported as
        /// "not loaded?".
        public var pendingDays = 3
        /// How long, in seconds, a file's size and modification time must stay unchanged before
        /// a run takes it (a file last modified longer ago is taken at once); `settle_seconds:`.
        public var settleSeconds: Double = 5

        /// An inbox at `path` whose files are moved once processed.
        public init(path: String) {
            self.path = path
        }
    }

    /// A stage as the file names it, with its options.
    public struct StageEntry: Sendable {
        /// The stage's name.
        public var name: String
        /// Its options, when the file gives any.
        var options: YAMLValue?
        /// Where the file names it.
        public var location: SourceLocation?
    }

    /// The pipeline file's path, when it came from a file.
    public var file: String?
    /// A name for reports.
    public var name = "pipeline"
    /// Input files.
    public var inputs: [Input] = []
    /// Explicit column mapping.
    public var columns = ColumnMapping()
    /// Roles every record needs: a source with no column for one is an error.
    public var required: Set<FieldRole> = []
    /// CRM exports: contacts, leads, accounts.
    public var contacts: Reference?
    /// Leads exported from the CRM.
    public var leads: Reference?
    /// Accounts exported from the CRM.
    public var accounts: Reference?
    /// Leads ListWash asked the CRM to create in earlier runs that its export does not show
    /// yet: a run that shares a ledger reads them from it, and the match stage matches them
    /// after the CRM's leads.
    public var pendingLeads: PendingLeadSource?
    /// Where the match stage reports the pending leads the leads export shows (by their fields).
    public var pendingLeadMatches: PendingLeadMatches?
    /// Which fields of matched CRM records the match stage may update, and when (`updates:`;
    /// `nil`: no update.csv).
    public var updates: UpdateRules?
    /// Records per merge when the match stage lists the exports' own duplicates in merge.csv
    /// (`references: {merge: true}` or `{merge: {limit: 3}}`; `nil`: no merge.csv).
    public var mergeLimit: Int?
    /// The suppression-list folder.
    public var suppressionFolder: String?
    /// Which lists in that folder apply, in order (empty: all of them).
    public var suppressionLists: [String] = []
    /// The lead management method.
    public var method: LeadMethod = .hybrid
    /// Whether input rows are responses or records.
    public var rows: RowKind = .responses
    /// The stages, in order.
    public var stages: [StageEntry] = []
    /// The output folder.
    public var outputFolder = "out"
    /// The output format.
    public var outputFormat: OutputFormat = .csv
    /// The CRM whose import files are written beside the disposition files (`output: {profile:
    /// salesforce}`); `generic` writes the disposition files alone.
    public var profile: ImportProfile.Name = .generic
    /// The profile's field names renamed for the org's custom fields (`output: {fields:
    /// {external_id: External_Id__c}}`), by field key.
    public var profileFields: [String: String] = [:]
    /// Where the file names the profile, for errors about it.
    public var profileLocation: SourceLocation?

    /// The import profile the run writes: ``profile`` with ``profileFields``, for ``method``.
    public var importProfile: ImportProfile {
        ImportProfile(profile, fields: profileFields, responses: rows == .responses, method: method)
    }
    /// When set, every row goes to this one file (with its disposition in a column) instead of
    /// one file per disposition in ``outputFolder``; no report is written.
    public var outputFile: String?
    /// The nightly inbox, when the pipeline picks up files from one (then the output folder is
    /// the output root, with one folder per run).
    public var inbox: Inbox?
    /// The run-history database; `nil` means `listwash-history.sqlite` in the output root.
    public var historyPath: String?
    /// The reviewer's answers in `files` (``decisionFiles``: globs expanded; a glob that
    /// matches nothing gives none).
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`, status 66) for a named file that is
    ///   missing or an answer that cannot be read.
    static func reviewDecisions(files: [String]) throws -> ReviewDecisions {
        guard !files.isEmpty else { return ReviewDecisions() }
        var paths: [String] = []
        for pattern in files {
            do {
                paths += try Glob.expand(pattern)
            } catch let error as ListWashError {
                throw ListWashError(.referenceData, error.diagnostic.message, at: error.diagnostic.location)
            }
        }
        return try ReviewDecisions(paths: paths)
    }

    /// Answered review files (a reviewer's `decision` column), paths or globs
    /// (`out/*/review.csv`): the matching stages remember their answers (``ReviewDecisions``).
    public var decisionFiles: [String] = []
    /// A file that nightly runs append their log to, besides standard error.
    public var logFile: String?
    /// The least severe log level written: `debug`, `info`, `warning` or `error`.
    public var logLevel: String?
    /// How long, in seconds, opening or reading an input, a list or a CRM export may make no
    /// progress before the run stops (``ReadWatchdog``); `read_timeout_seconds:`.
    public var readTimeoutSeconds = ReadWatchdog.defaultLimit

    /// Set while a file is checked as it is read: the CRM exports and the suppression folder may
    /// still come from flags (`--contacts`, `--suppression`), so stages that need them are
    /// checked for them only when the run builds them.
    var dataMayComeFromFlags = false

    /// An empty configuration (no inputs, no stages).
    public init() {}

    static let topLevelKeys = ["name", "inputs", "columns", "required", "references", "suppression", "method", "rows", "stages", "output", "inbox", "history", "log", "read_timeout_seconds", "decisions", "updates"]

    /// Reads a pipeline file.
    ///
    /// - Throws: ``ListWashError`` (`.usage`) naming file, line and column for anything the file
    ///   gets wrong, with "did you mean" for misspelled keys, stage names and methods.
    public static func load(path: String) throws -> PipelineConfiguration {
        let text: String
        do {
            text = try TextFile.read(path)
        } catch let error as ListWashError {
            throw ListWashError(.usage, error.diagnostic.message, at: error.diagnostic.location)
        }
        return try parse(text, file: path)
    }

    /// Reads a pipeline from YAML text; `file` names it in errors and anchors relative paths.
    public static func parse(_ text: String, file: String) throws -> PipelineConfiguration {
        let document = try YAMLValue.parse(text, file: file)
        var configuration = PipelineConfiguration()
        configuration.file = file
        let base = PathResolver(relativeTo: file)
        var needsMatch: [(String, YAMLValue)] = []
        for (key, keyValue, value) in try document.mapping("the pipeline", allowed: topLevelKeys) {
            switch key {
            case "updates":
                configuration.updates = try readUpdates(value)
                needsMatch.append(("updates:", keyValue))
            case "name": configuration.name = try value.string("name")
            case "inputs": configuration.inputs = try value.list().map { try readInput($0, base: base) }
            case "columns": try readColumns(value, into: &configuration)
            case "required": configuration.required = Set(try value.list().map { try readRole($0) })
            case "references":
                if let merge = try readReferences(value, base: base, into: &configuration) { needsMatch.append(("references: {merge: ...}", merge)) }
            case "suppression": try readSuppression(value, base: base, into: &configuration)
            case "method": configuration.method = try readMethod(value)
            case "rows":
                let spelling = try value.string("rows")
                guard let kind = RowKind(rawValue: spelling.lowercased()) else {
                    throw value.error(YAMLValue.unknown("value", spelling, in: "rows", allowed: RowKind.allCases.map(\.rawValue)))
                }
                configuration.rows = kind
            case "stages": configuration.stages = try value.list().map(readStage)
            case "output":
                var fields: [(key: YAMLValue, value: YAMLValue)] = []
                for (outputKey, keyValue, outputValue) in try value.mapping("output", allowed: ["folder", "format", "profile", "fields"]) {
                    if outputKey == "profile" {
                        let spelling = try outputValue.string("output profile")
                        guard let profile = ImportProfile.Name(rawValue: spelling.lowercased()) else {
                            throw outputValue.error(YAMLValue.unknown("profile", spelling, in: "output", allowed: ImportProfile.Name.allCases.map(\.rawValue)))
                        }
                        configuration.profile = profile
                        configuration.profileLocation = outputValue.location
                    }
                    if outputKey == "fields" {
                        fields = try outputValue.mapping("fields", allowed: []).map { ($0.1, $0.2) }
                        if configuration.profileLocation == nil { configuration.profileLocation = keyValue.location }
                    }
                    if outputKey == "folder" { configuration.outputFolder = base.resolve(try outputValue.string("output folder")) }
                    if outputKey == "format" {
                        let spelling = try outputValue.string("output format")
                        guard let format = OutputFormat(rawValue: spelling.lowercased()) else {
                            throw outputValue.error(YAMLValue.unknown("format", spelling, in: "output", allowed: OutputFormat.allCases.map(\.rawValue)))
                        }
                        configuration.outputFormat = format
                    }
                }
                try readProfileFields(fields, into: &configuration)
            case "inbox": configuration.inbox = try readInbox(value, base: base)
            case "history": configuration.historyPath = base.resolve(try value.string("history"))
            case "decisions":
                configuration.decisionFiles = try value.list().map { base.resolve(try $0.string("decisions")) }
            case "log": try readLog(value, base: base, into: &configuration)
            case "read_timeout_seconds":
                configuration.readTimeoutSeconds = try value.number("read_timeout_seconds")
                guard configuration.readTimeoutSeconds > 0 else { throw value.error("read_timeout_seconds must be more than 0") }
            default: break
            }
        }
        for (what, key) in needsMatch where !configuration.stages.contains(where: { $0.name == "match" }) {
            throw key.error("\(what) needs a match stage (it reads the records the match stage finds in the CRM exports): add - match to stages:")
        }
        var beforeFlags = configuration
        beforeFlags.dataMayComeFromFlags = true
        try StageCatalog.check(beforeFlags)
        try configuration.checkProfile()
        return configuration
    }

    /// Checks every stage's name, options and order, and that the stages have the data they
    /// need (references, suppression folder, rules files), as a run would: each stage is built
    /// once, not set up (no export or list read); `listwash check` calls it.
    ///
    /// - Throws: ``ListWashError`` (`.usage`) naming the stage's line.
    public func checkStages() throws {
        _ = try StageCatalog.build(try StageCatalog.definitions(of: self), in: RunContext())
    }

    private static func readInput(_ value: YAMLValue, base: PathResolver) throws -> Input {
        if let path = value.scalar { return Input(path: base.resolve(path)) }
        var input = Input(path: "")
        for (key, _, item) in try value.mapping("an input", allowed: ["path", "format", "delimiter", "encoding", "header", "column_names", "list"]) {
            switch key {
            case "path": input.path = base.resolve(try item.string("path"))
            case "format":
                let format = try item.string("format").lowercased()
                guard ["csv", "jsonl"].contains(format) else { throw item.error(YAMLValue.unknown("format", format, in: "an input", allowed: ["csv", "jsonl"])) }
                input.format = format
            case "delimiter":
                let spelling = try item.string("delimiter")
                switch spelling {
                case "auto": input.csv.delimiter = nil
                case "tab", "\\t", "\t": input.csv.delimiter = UInt8(ascii: "\t")
                default:
                    guard spelling.utf8.count == 1, let byte = spelling.utf8.first, byte != UInt8(ascii: "\"") else {
                        throw item.error("delimiter must be one character (or 'tab' or 'auto'), not '\(spelling)'")
                    }
                    input.csv.delimiter = byte
                }
            case "encoding":
                // auto (the default): decided per field; a declared encoding is used as is.
                let spelling = try item.string("encoding")
                let allowed = ["auto"] + TextEncoding.allCases.map(\.rawValue)
                switch spelling.lowercased() {
                case "auto": input.csv.encoding = nil
                case let name:
                    guard let encoding = TextEncoding(rawValue: name) else {
                        throw item.error(YAMLValue.unknown("encoding", spelling, in: "an input", allowed: allowed))
                    }
                    input.csv.encoding = encoding
                }
            case "header": input.csv.hasHeader = try item.boolean("header")
            case "column_names": input.csv.columnNames = try item.list().map { try $0.string("a column name") }
            case "list": input.list = try item.string("list")
            default: break
            }
        }
        guard !input.path.isEmpty else { throw value.error("an input needs a path") }
        if !input.csv.hasHeader, input.csv.columnNames.isEmpty {
            throw value.error("an input with header: false needs column_names: [...]")
        }
        return input
    }

    /// Reads `output: {fields: ...}`: each key a column of the chosen profile, each value the
    /// CRM's field name.
    private static func readProfileFields(_ fields: [(key: YAMLValue, value: YAMLValue)], into configuration: inout PipelineConfiguration) throws {
        guard !fields.isEmpty else { return }
        let allowed = ImportProfile.fieldKeys(of: configuration.profile)
        guard !allowed.isEmpty else {
            throw fields[0].key.error("output fields: rename the columns of an import profile; add profile: salesforce or profile: hubspot")
        }
        for (key, value) in fields {
            let field = try key.string("a field")
            guard allowed.contains(field) else {
                throw key.error(YAMLValue.unknown("field", field, in: "the \(configuration.profile.rawValue) profile's fields", allowed: allowed))
            }
            let header = try value.string("the field name for \(field)")
            guard !header.isEmpty, !header.contains(where: { $0 == "\n" || $0 == "\r" }) else { throw value.error("the field name for \(field) must be one line of text") }
            configuration.profileFields[field] = header
        }
    }

    /// Checks that the import profile has what it needs: the lead ids and campaign associations
    /// come from the decide stage. (A run into one output file, such as `listwash link`'s,
    /// writes no import files and is not checked.)
    ///
    /// - Throws: ``ListWashError`` (`.usage`) naming where the file sets the profile.
    public func checkProfile() throws {
        guard profile != .generic else { return }
        let location = profileLocation ?? file.map { SourceLocation(file: $0) }
        guard stages.contains(where: { $0.name == "decide" }) else {
            throw ListWashError(.usage, "profile \(profile.rawValue) writes the leads and campaign members that the decide stage settles: add a decide stage", at: location)
        }
    }

    private static func readInbox(_ value: YAMLValue, base: PathResolver) throws -> Inbox {
        if let path = value.scalar { return Inbox(path: base.resolve(path)) }
        var inbox = Inbox(path: "")
        for (key, _, item) in try value.mapping("inbox", allowed: ["path", "after", "processed_folder", "lists", "settle_seconds", "pending_days"]) {
            switch key {
            case "path": inbox.path = base.resolve(try item.string("inbox path"))
            case "after":
                let spelling = try item.string("after")
                guard let after = Inbox.After(rawValue: spelling.lowercased()) else {
                    throw item.error(YAMLValue.unknown("value", spelling, in: "after", allowed: Inbox.After.allCases.map(\.rawValue)))
                }
                inbox.after = after
            case "processed_folder": inbox.processedFolder = base.resolve(try item.string("processed_folder"))
            case "pending_days":
                guard let days = Int(try item.string("pending_days")), days >= 1 else {
                    throw item.error("pending_days must be a whole number of days, at least 1")
                }
                inbox.pendingDays = days
            case "settle_seconds":
                inbox.settleSeconds = try item.number("settle_seconds")
                guard inbox.settleSeconds >= 0, inbox.settleSeconds <= 3600 else { throw item.error("settle_seconds must be between 0 and 3600") }
            case "lists":
                inbox.lists = try item.mapping("lists", allowed: []).map { pattern, _, list in
                    Inbox.ListRule(pattern: pattern, list: try list.string("the list named for '\(pattern)'"))
                }
            default: break
            }
        }
        guard !inbox.path.isEmpty else { throw value.error("inbox needs a path (a folder or a glob such as inbox/*.csv)") }
        return inbox
    }

    private static func readLog(_ value: YAMLValue, base: PathResolver, into configuration: inout PipelineConfiguration) throws {
        if let file = value.scalar {
            configuration.logFile = base.resolve(file)
            return
        }
        for (key, _, item) in try value.mapping("log", allowed: ["file", "level"]) {
            if key == "file" { configuration.logFile = base.resolve(try item.string("log file")) }
            if key == "level" {
                let spelling = try item.string("log level").lowercased()
                let levels = ["debug", "info", "warning", "error"]
                guard levels.contains(spelling) else { throw item.error(YAMLValue.unknown("level", spelling, in: "log", allowed: levels)) }
                configuration.logLevel = spelling
            }
        }
    }

    private static func readRole(_ value: YAMLValue) throws -> FieldRole {
        let spelling = try value.string("a field")
        guard let role = FieldRole(rawValue: spelling) else {
            throw value.error(YAMLValue.unknown("field", spelling, in: "the pipeline", allowed: FieldRole.allCases.map(\.rawValue)))
        }
        return role
    }

    private static func readColumns(_ value: YAMLValue, into configuration: inout PipelineConfiguration) throws {
        var explicit: [FieldRole: String] = [:]
        var locations: [FieldRole: SourceLocation] = [:]
        for (_, key, column) in try value.mapping("columns", allowed: []) {
            let role = try readRole(key)
            explicit[role] = try column.string("the column for \(role.rawValue)")
            locations[role] = column.location
        }
        configuration.columns = ColumnMapping(explicit: explicit, locations: locations)
    }

    /// Reads `references:`; returns the `merge` key when it asks for merges.
    private static func readReferences(_ value: YAMLValue, base: PathResolver, into configuration: inout PipelineConfiguration) throws -> YAMLValue? {
        var mergeKey: YAMLValue?
        for (key, keyValue, item) in try value.mapping("references", allowed: ["contacts", "leads", "accounts", "merge"]) {
            if key == "merge" {
                configuration.mergeLimit = try readMerge(item)
                if configuration.mergeLimit != nil { mergeKey = keyValue }
                continue
            }
            var reference = Reference(path: "")
            if let path = item.scalar {
                reference.path = base.resolve(path)
            } else {
                for (field, _, setting) in try item.mapping(key, allowed: ["path", "id"]) {
                    if field == "path" { reference.path = base.resolve(try setting.string("path")) }
                    if field == "id" { reference.idColumn = try setting.string("id") }
                }
            }
            guard !reference.path.isEmpty else { throw item.error("\(key) needs a path") }
            switch key {
            case "contacts": configuration.contacts = reference
            case "leads": configuration.leads = reference
            default: configuration.accounts = reference
            }
        }
        return mergeKey
    }

    /// `merge: true` (Salesforce's limit of three records per merge), `false`, or `{limit: N}`.
    private static func readMerge(_ value: YAMLValue) throws -> Int? {
        if value.scalar != nil { return try value.boolean("merge") ? ReferenceMerges.salesforceLimit : nil }
        var limit = ReferenceMerges.salesforceLimit
        for (_, _, item) in try value.mapping("merge", allowed: ["limit"]) {
            let number = try item.number("limit")
            guard number >= 2, number == number.rounded(), number <= 100 else { throw item.error("limit must be a whole number of records per merge from 2 to 100 (the master included; Salesforce merges 3)") }
            limit = Int(number)
        }
        return limit
    }

    /// `updates: {fields: [title, phone], overwrite: fill_only | newer, survivorship: most_recent}`
    /// (or `survivorship: {row: most_recent, fields: {phone: most_complete}}`).
    private static func readUpdates(_ value: YAMLValue) throws -> UpdateRules {
        var rules = UpdateRules(fields: [])
        for (key, _, item) in try value.mapping("updates", allowed: ["fields", "overwrite", "survivorship"]) {
            switch key {
            case "fields":
                for field in item.list() {
                    let spelling = try field.string("a field")
                    guard let parsed = UpdateField(rawValue: spelling) else {
                        throw field.error(YAMLValue.unknown("field", spelling, in: "updates", allowed: UpdateField.allCases.map(\.rawValue)))
                    }
                    guard !rules.fields.contains(parsed) else { throw field.error("field '\(spelling)' is listed twice") }
                    rules.fields.append(parsed)
                }
            case "overwrite":
                let spelling = try item.string("overwrite")
                guard let overwrite = UpdateRules.Overwrite(rawValue: spelling) else {
                    throw item.error(YAMLValue.unknown("value", spelling, in: "overwrite", allowed: UpdateRules.Overwrite.allCases.map(\.rawValue)))
                }
                rules.overwrite = overwrite
            default:
                let (row, fields) = try StageCatalog.readSurvivorshipRules(item, in: "updates", fields: UpdateField.allCases.map(\.rawValue))
                rules.survivorship = row ?? rules.survivorship
                for (name, rule) in fields { if let field = UpdateField(rawValue: name) { rules.fieldSurvivorship[field] = rule } }
            }
        }
        guard !rules.fields.isEmpty else { throw value.error("updates needs fields: [...] (of: \(UpdateField.allCases.map(\.rawValue).joined(separator: ", ")))") }
        return rules
    }

    private static func readSuppression(_ value: YAMLValue, base: PathResolver, into configuration: inout PipelineConfiguration) throws {
        if let folder = value.scalar {
            configuration.suppressionFolder = base.resolve(folder)
            return
        }
        for (key, _, item) in try value.mapping("suppression", allowed: ["folder", "lists"]) {
            if key == "folder" { configuration.suppressionFolder = base.resolve(try item.string("folder")) }
            if key == "lists" { configuration.suppressionLists = try item.list().map { try $0.string("a list") } }
        }
    }

    static func readMethod(_ value: YAMLValue) throws -> LeadMethod {
        let spelling = try value.string("method")
        guard let method = LeadMethod(spelling: spelling) else {
            throw value.error(YAMLValue.unknown("method", spelling, in: "the pipeline", allowed: LeadMethod.allCases.map(\.rawValue)))
        }
        return method
    }

    private static func readStage(_ value: YAMLValue) throws -> StageEntry {
        if let name = value.scalar { return StageEntry(name: name, options: nil, location: value.location) }
        let pairs = try value.mapping("a stage", allowed: [])
        guard pairs.count == 1, let (name, key, options) = pairs.first else {
            throw value.error("a stage is a name, or a name with options (- validate: {required: [email]})")
        }
        return StageEntry(name: name, options: options, location: key.location)
    }
}

/// Resolves paths written in a file relative to that file's folder.
struct PathResolver {
    let folder: String

    init(relativeTo file: String) {
        if let slash = file.lastIndex(of: "/") {
            folder = String(file[..<slash])
        } else {
            folder = "."
        }
    }

    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || path == "-" { return path }
        if path.hasPrefix("~/"), let home = Environment.value("HOME") { return home + path.dropFirst(1) }
        return Self.lexicallyNormalized(folder == "." ? path : "\(folder)/\(path)")
    }

    /// Removes `.` segments and folds `name/..` pairs: `pipelines/../examples/a.csv` becomes
    /// `examples/a.csv`.
    static func lexicallyNormalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if path.hasPrefix("/") { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}
