import Foundation
import ListWashCore
import ListWashDecide
import ListWashMatch
import ListWashNormalize
import ListWashRoute

/// The stages a pipeline file can name, and how each reads its options.
///
/// A new stage goes here: a name, the columns it writes, and a function from its options to its
/// definition (``StageDefinition``: the options as a value; the stage's run is built from it
/// and the run's ``RunContext``). The definitions are in `StageDefinitions.swift`.
enum StageCatalog {
    /// Reads a stage's options into its definition; `earlier` are the definitions of the stages
    /// before it.
    typealias Parser = @Sendable (PipelineConfiguration.StageEntry, PipelineConfiguration, _ earlier: [any StageDefinition]) throws -> any StageDefinition

    static let parsers: [(name: String, parse: Parser, writes: [String])] = [
        ("normalize", parseNormalize, NormalizeDefinition.writes),
        ("validate", parseValidate, []),
        ("dedupe", parseDedupe, DedupeDefinition.writes),
        ("match", parseMatch, MatchDefinition.writes),
        ("suppress", parseSuppress, SuppressDefinition.writes),
        ("decide", parseDecide, DecideDefinition.writes),
        ("score", parseScore, ScoreDefinition.writes),
        ("route", parseRoute, RouteDefinition.writes),
    ]

    static var names: [String] { parsers.map(\.name) }

    /// The stage that writes each `listwash_*` column (the first in the catalog's order).
    static let writers: [String: String] = parsers.reduce(into: [:]) { writers, parser in
        for column in parser.writes where writers[column] == nil { writers[column] = parser.name }
    }

    /// Checks every stage's name and options, and their order, without reading any file the
    /// options name.
    static func check(_ configuration: PipelineConfiguration) throws {
        _ = try definitions(of: configuration)
    }

    /// The definitions of the configuration's stages, in order: names, options and order
    /// checked (each column a stage reads written by a stage before it); no file read.
    static func definitions(of configuration: PipelineConfiguration) throws -> [any StageDefinition] {
        var seen: Set<String> = []
        var definitions: [any StageDefinition] = []
        for entry in configuration.stages {
            guard let parser = parsers.first(where: { $0.name == entry.name }) else {
                throw ListWashError(.usage, YAMLValue.unknown("stage", entry.name, in: "stages", allowed: names), at: entry.location)
            }
            guard seen.insert(entry.name).inserted else {
                throw ListWashError(.usage, "stage '\(entry.name)' appears twice", at: entry.location)
            }
            definitions.append(try parser.parse(entry, configuration, definitions))
        }
        try StageOrder.check(definitions, writers: writers)
        return definitions
    }

    /// Builds each stage's run once, from its definition and `context`.
    static func build(_ definitions: [any StageDefinition], in context: RunContext) throws -> Pipeline {
        Pipeline(try definitions.map { try $0.makeStage(in: context) })
    }

    private static func parseNormalize(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration, _ earlier: [any StageDefinition]) throws -> any StageDefinition {
        if let options = entry.options { _ = try options.mapping("normalize", allowed: []) }
        return NormalizeDefinition(location: entry.location)
    }

    private static func parseDedupe(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration, _ earlier: [any StageDefinition]) throws -> any StageDefinition {
        let base = PathResolver(relativeTo: configuration.file ?? "./pipeline.yaml")
        let (model, rest) = try MatchModelReader.read(entry.options, base: base)
        var survivorship = Survivorship.mostComplete
        var fieldMerge = FieldMerge()
        for (key, value) in rest where key == "survivorship" {
            let (row, fields) = try readSurvivorshipRules(value, in: "dedupe", fields: FieldMerge.fields.map(\.name))
            survivorship = row ?? survivorship
            fieldMerge.rules.merge(fields) { $1 }
        }
        return DedupeDefinition(location: entry.location, model: model, rows: configuration.rows, survivorship: survivorship, fieldMerge: fieldMerge,
                                decisionFiles: configuration.decisionFiles)
    }

    /// `survivorship: most_complete`, or `survivorship: {row: most_complete, fields: {phone:
    /// most_recent}}` with field names among `fields`: the row rule (when given) and the fields' own.
    static func readSurvivorshipRules(_ value: YAMLValue, in context: String, fields: [String]) throws -> (row: Survivorship?, fields: [String: Survivorship]) {
        if value.scalar != nil { return (try readSurvivorship(value, in: context), [:]) }
        var row: Survivorship?
        var rules: [String: Survivorship] = [:]
        for (key, _, item) in try value.mapping("survivorship", allowed: ["row", "fields"]) {
            if key == "row" {
                row = try readSurvivorship(item, in: "survivorship")
            } else {
                for (field, _, rule) in try item.mapping("fields", allowed: fields) { rules[field] = try readSurvivorship(rule, in: "fields") }
            }
        }
        return (row, rules)
    }

    static func readSurvivorship(_ value: YAMLValue, in context: String) throws -> Survivorship {
        let spelling = try value.string("survivorship")
        guard let parsed = Survivorship(rawValue: spelling) else {
            throw value.error(YAMLValue.unknown("survivorship", spelling, in: context, allowed: Survivorship.allCases.map(\.rawValue)))
        }
        return parsed
    }

    private static func parseMatch(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration, _ earlier: [any StageDefinition]) throws -> any StageDefinition {
        let (model, _) = try MatchModelReader.read(entry.options, base: PathResolver(relativeTo: configuration.file ?? "./pipeline.yaml"))
        if model.train {
            throw ListWashError(.usage, "train: true applies to dedupe (EM over one list's own pairs), not to match; learn a model with `listwash train` and name it here with model: FILE", at: entry.location)
        }
        if configuration.file != nil, !configuration.dataMayComeFromFlags,
           configuration.contacts == nil, configuration.leads == nil, configuration.accounts == nil {
            throw ListWashError(.usage, "the match stage needs references: contacts, leads or accounts (or --contacts, --leads, --accounts)", at: entry.location)
        }
        func reference(_ reference: PipelineConfiguration.Reference?) -> MatchStage.Reference? {
            reference.map { MatchStage.Reference(path: $0.path, idColumn: $0.idColumn) }
        }
        return MatchDefinition(location: entry.location, model: model, contacts: reference(configuration.contacts), leads: reference(configuration.leads),
                               accounts: reference(configuration.accounts), pending: configuration.pendingLeads, pendingMatches: configuration.pendingLeadMatches,
                               decisionFiles: configuration.decisionFiles, updates: configuration.updates, mergeLimit: configuration.mergeLimit)
    }

    /// `decide`, with its campaign and what a response of a closed lead does.
    private static func parseDecide(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration, _ earlier: [any StageDefinition]) throws -> any StageDefinition {
        var campaign = ""
        var recycle = DecideStage.Recycle.reopen
        if let options = entry.options {
            for (key, _, value) in try options.mapping("decide", allowed: ["campaign", "recycle"]) {
                switch key {
                case "campaign":
                    campaign = try value.string("campaign")
                default:
                    let spelling = try value.string("recycle")
                    guard let chosen = DecideStage.Recycle(rawValue: spelling) else {
                        throw value.error(YAMLValue.unknown("value", spelling, in: "recycle", allowed: DecideStage.Recycle.allCases.map(\.rawValue)))
                    }
                    recycle = chosen
                }
            }
        }
        // A run into one output file writes no import files, so nothing is checked for them.
        let leadCheck = configuration.outputFile == nil ? configuration.importProfile.leadCheck : nil
        return DecideDefinition(location: entry.location, method: configuration.method, campaign: campaign, defaultDate: today(), recycle: recycle, leadCheck: leadCheck)
    }

    /// Today's date in UTC, YYYY-MM-DD: the response date of rows that carry none.
    static func today() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: Date())
    }

    /// `suppress`, over the pipeline's `suppression:` folder and lists; its options may name
    /// the folder and lists instead (`- suppress: {lists: [competitors.csv, opt-outs.csv]}`).
    private static func parseSuppress(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration, _ earlier: [any StageDefinition]) throws -> any StageDefinition {
        let base = PathResolver(relativeTo: configuration.file ?? "./pipeline.yaml")
        var folder = configuration.suppressionFolder
        var lists = configuration.suppressionLists
        if let options = entry.options {
            for (key, _, value) in try options.mapping("suppress", allowed: ["folder", "lists"]) {
                if key == "folder" { folder = base.resolve(try value.string("folder")) }
                if key == "lists" { lists = try value.list().map { try $0.string("a list") } }
            }
        }
        guard let folder else {
            if configuration.dataMayComeFromFlags { return SuppressDefinition(location: entry.location, folder: nil, accounts: nil) }
            throw ListWashError(.usage, "the suppress stage needs a folder of suppression lists: suppression: {folder: suppression-lists} (or --suppression DIR)", at: entry.location)
        }
        return SuppressDefinition(location: entry.location, folder: SuppressionFolder(path: folder, lists: lists),
                                  accounts: configuration.accounts.map { SuppressStage.Accounts(path: $0.path, idColumn: $0.idColumn) })
    }

    /// The match model of a pipeline: its match stage's, else its dedupe stage's, else the
    /// built-in lead-list model.
    static func model(of configuration: PipelineConfiguration) throws -> MatchModel {
        let base = PathResolver(relativeTo: configuration.file ?? "./pipeline.yaml")
        let entry = configuration.stages.first { $0.name == "match" } ?? configuration.stages.first { $0.name == "dedupe" }
        return try MatchModelReader.read(entry?.options, base: base, allowed: ["survivorship"]).0
    }

    private static func parseValidate(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration, _ earlier: [any StageDefinition]) throws -> any StageDefinition {
        var stage = ValidateStage()
        guard let options = entry.options else { return ValidateDefinition(location: entry.location, stage: stage) }
        func roles(_ value: YAMLValue) throws -> [FieldRole] {
            try value.list().map { item in
                let spelling = try item.string("a field")
                guard let role = FieldRole(rawValue: spelling) else {
                    throw item.error(YAMLValue.unknown("field", spelling, in: "validate", allowed: FieldRole.allCases.map(\.rawValue)))
                }
                return role
            }
        }
        for (key, _, value) in try options.mapping("validate", allowed: ["required", "required_any", "reject_flags"]) {
            switch key {
            case "required": stage.required = try roles(value)
            case "required_any": stage.requiredAny = [try roles(value)]
            default: stage.rejectFlags = try value.list().map { try $0.string("a flag") }
            }
        }
        return ValidateDefinition(location: entry.location, stage: stage)
    }

    /// The rules files the `score` and `route` stages of `configuration` name.
    static func rulesFiles(of configuration: PipelineConfiguration) -> [String] {
        configuration.stages.filter { ["score", "route"].contains($0.name) }.compactMap { entry in
            guard let options = entry.options, let pairs = try? options.mapping(entry.name, allowed: ["rules"]),
                  let value = pairs.first(where: { $0.key == "rules" })?.value, let path = value.scalar else { return nil }
            return PathResolver(relativeTo: configuration.file ?? "./pipeline.yaml").resolve(path)
        }
    }

    /// The rules file a `score` or `route` stage names: `- route: {rules: rules.yaml}`, relative
    /// to the pipeline file (read when the stage is built).
    private static func rulesFile(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration) throws -> RulesFileName {
        guard let options = entry.options else {
            throw ListWashError(.usage, "the \(entry.name) stage needs a rules file: - \(entry.name): {rules: rules.yaml}", at: entry.location)
        }
        var file: RulesFileName?
        for (key, _, value) in try options.mapping(entry.name, allowed: ["rules"]) where key == "rules" {
            let written = try value.string("rules")
            file = RulesFileName(path: PathResolver(relativeTo: configuration.file ?? "./pipeline.yaml").resolve(written), written: written)
        }
        guard let file else { throw options.error("the \(entry.name) stage needs rules: FILE") }
        return file
    }

    private static func parseScore(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration, _ earlier: [any StageDefinition]) throws -> any StageDefinition {
        ScoreDefinition(location: entry.location, rules: try rulesFile(entry, configuration))
    }

    /// `route`: after a stage that decides leads (it writes `listwash_target_id`), rows follow
    /// their lead, in row order.
    private static func parseRoute(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration, _ earlier: [any StageDefinition]) throws -> any StageDefinition {
        RouteDefinition(location: entry.location, rules: try rulesFile(entry, configuration),
                        followsLeads: earlier.contains { $0.writes.contains(RouteDefinition.leadColumn) })
    }
}
