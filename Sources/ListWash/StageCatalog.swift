import Foundation
import ListWashCore
import ListWashDecide
import ListWashMatch
import ListWashNormalize
import ListWashRoute

/// The stages a pipeline file can name, and how each reads its options.
///
/// A new stage goes here: a name, and a function from its options to the stage value.
enum StageCatalog {
    typealias Builder = @Sendable (PipelineConfiguration.StageEntry, PipelineConfiguration) throws -> any Stage

    static let builders: [(name: String, build: Builder)] = [
        ("normalize", buildNormalize),
        ("validate", buildValidate),
        ("dedupe", buildDedupe),
        ("match", buildMatch),
        ("suppress", buildSuppress),
        ("decide", buildDecide),
        ("score", buildScore),
        ("route", buildRoute),
    ]

    static var names: [String] { builders.map(\.name) }

    /// Checks every stage's name and options without running anything.
    static func check(_ configuration: PipelineConfiguration) throws {
        _ = try build(configuration.stages, configuration: configuration)
    }

    /// Builds the pipeline the entries describe.
    static func build(_ entries: [PipelineConfiguration.StageEntry], configuration: PipelineConfiguration) throws -> Pipeline {
        var seen: Set<String> = []
        return Pipeline(try entries.map { entry in
            guard let builder = builders.first(where: { $0.name == entry.name }) else {
                throw ListWashError(.usage, YAMLValue.unknown("stage", entry.name, in: "stages", allowed: names), at: entry.location)
            }
            guard seen.insert(entry.name).inserted else {
                throw ListWashError(.usage, "stage '\(entry.name)' appears twice", at: entry.location)
            }
            return try builder.build(entry, configuration)
        })
    }

    private static func buildNormalize(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration) throws -> any Stage {
        if let options = entry.options { _ = try options.mapping("normalize", allowed: []) }
        return NormalizeStage()
    }

    private static func buildDedupe(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration) throws -> any Stage {
        let base = PathResolver(relativeTo: configuration.file ?? "./pipeline.yaml")
        let (model, rest) = try MatchModelReader.read(entry.options, base: base)
        var survivorship = Survivorship.mostComplete
        var fieldMerge = FieldMerge()
        for (key, value) in rest where key == "survivorship" {
            let (row, fields) = try readSurvivorshipRules(value, in: "dedupe", fields: FieldMerge.fields.map(\.name))
            survivorship = row ?? survivorship
            fieldMerge.rules.merge(fields) { $1 }
        }
        return DedupeStage(model: model, rows: configuration.rows, survivorship: survivorship, fieldMerge: fieldMerge,
                           decisions: try configuration.reviewDecisions())
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

    private static func buildMatch(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration) throws -> any Stage {
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
        return MatchStage(model: model, contacts: reference(configuration.contacts), leads: reference(configuration.leads), accounts: reference(configuration.accounts),
                          pending: configuration.pendingLeads, pendingMatches: configuration.pendingLeadMatches, decisions: try configuration.reviewDecisions(),
                          updates: configuration.updates, mergeLimit: configuration.mergeLimit)
    }

    /// The decide stage reads what dedupe and match found: without dedupe a repeat response
    /// would create a second lead, without match a known person would become a new lead. Both
    /// must come before it, except under point of interest (every response is a new lead).
    private static func buildDecide(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration) throws -> any Stage {
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
        if configuration.method != .pointOfInterest {
            let position = configuration.stages.firstIndex { $0.name == "decide" } ?? configuration.stages.endIndex
            let before = Set(configuration.stages[..<position].map(\.name))
            for needed in ["dedupe", "match"] where !before.contains(needed) {
                throw ListWashError(.usage, "the decide stage needs a '\(needed)' stage before it under method \(configuration.method.rawValue): without it \(needed == "dedupe" ? "a repeat response in the list" : "a person already in the CRM") would become a new lead", at: entry.location)
            }
        }
        // A run into one output file writes no import files, so nothing is checked for them.
        let leadCheck = configuration.outputFile == nil ? configuration.importProfile.leadCheck : nil
        return DecideStage(method: configuration.method, campaign: campaign, defaultDate: today(), recycle: recycle, leadCheck: leadCheck)
    }

    /// Today's date in UTC, YYYY-MM-DD: the response date of rows that carry none.
    static func today() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: Date())
    }

    /// `suppress`, over the pipeline's `suppression:` folder and lists; its options may name
    /// the folder and lists instead (`- suppress: {lists: [competitors.csv, opt-outs.csv]}`).
    private static func buildSuppress(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration) throws -> any Stage {
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
            if configuration.dataMayComeFromFlags { return SuppressStage(lists: []) }
            throw ListWashError(.usage, "the suppress stage needs a folder of suppression lists: suppression: {folder: suppression-lists} (or --suppression DIR)", at: entry.location)
        }
        return SuppressStage(
            folder: SuppressionFolder(path: folder, lists: lists),
            accounts: configuration.accounts.map { SuppressStage.Accounts(path: $0.path, idColumn: $0.idColumn) })
    }

    /// The match model of a pipeline: its match stage's, else its dedupe stage's, else the
    /// built-in lead-list model.
    static func model(of configuration: PipelineConfiguration) throws -> MatchModel {
        let base = PathResolver(relativeTo: configuration.file ?? "./pipeline.yaml")
        let entry = configuration.stages.first { $0.name == "match" } ?? configuration.stages.first { $0.name == "dedupe" }
        return try MatchModelReader.read(entry?.options, base: base, allowed: ["survivorship"]).0
    }

    private static func buildValidate(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration) throws -> any Stage {
        var stage = ValidateStage()
        guard let options = entry.options else { return stage }
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
        return stage
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
    /// to the pipeline file.
    private static func rules(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration) throws -> LeadRules {
        guard let options = entry.options else {
            throw ListWashError(.usage, "the \(entry.name) stage needs a rules file: - \(entry.name): {rules: rules.yaml}", at: entry.location)
        }
        var path: String?, written = ""
        for (key, _, value) in try options.mapping(entry.name, allowed: ["rules"]) where key == "rules" {
            written = try value.string("rules")
            path = PathResolver(relativeTo: configuration.file ?? "./pipeline.yaml").resolve(written)
        }
        guard let path else { throw options.error("the \(entry.name) stage needs rules: FILE") }
        var rules = try RulesFile.load(path: path)
        // listwash_route_rule names the file as the pipeline does: `rules.yaml:23 territory west`.
        rules.file = written
        return rules
    }

    private static func buildScore(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration) throws -> any Stage {
        let rules = try rules(entry, configuration)
        guard let scoring = rules.scoring else {
            throw ListWashError(.usage, "\(rules.file) has no scoring: section for the score stage", at: entry.location)
        }
        return ScoreStage(rules: scoring)
    }

    private static func buildRoute(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration) throws -> any Stage {
        let rules = try rules(entry, configuration)
        guard rules.routing != nil else {
            throw ListWashError(.usage, "\(rules.file) has no routing: section for the route stage", at: entry.location)
        }
        return RouteStage(rules: rules, followsLeads: configuration.stages.contains { $0.name == "decide" })
    }
}
