import ListWashCore
import ListWashDecide
import ListWashMatch
import ListWashNormalize
import ListWashRoute

// The definitions of the stages a pipeline file names (``StageCatalog`` reads them from the
// file): each stage's options as a value, and how its run is built from them once per run.

/// `normalize`.
struct NormalizeDefinition: StageDefinition {
    let name = "normalize"
    let location: SourceLocation?
    static let writes = NormalizeStage.columns
    var writes: [String] { Self.writes }

    func makeStage(in context: RunContext) throws -> any Stage {
        NormalizeStage()
    }
}

/// `validate`: the stage holds nothing but its options.
struct ValidateDefinition: StageDefinition {
    let name = "validate"
    let location: SourceLocation?
    /// The stage, which is its options.
    let stage: ValidateStage
    var writes: [String] { [] }

    func makeStage(in context: RunContext) throws -> any Stage {
        stage
    }
}

/// `dedupe`: its model and survivorship; the review answers are read when it is built.
struct DedupeDefinition: StageDefinition {
    let name = "dedupe"
    let location: SourceLocation?
    let model: MatchModel
    let rows: RowKind
    let survivorship: Survivorship
    let fieldMerge: FieldMerge
    /// Answered review files (paths or globs).
    let decisionFiles: [String]
    /// Every column a dedupe stage may write.
    static let writes = ["listwash_cluster", "listwash_match_score", DedupeStage.reviewPartnerColumn, ReviewDecisions.keyColumn, FieldMerge.column]
    /// `listwash_merged` only when rows are records.
    var writes: [String] { rows == .records ? Self.writes : Self.writes.filter { $0 != FieldMerge.column } }
    var isBarrier: Bool { true }

    func makeStage(in context: RunContext) throws -> any Stage {
        DedupeStage(model: model, rows: rows, survivorship: survivorship, fieldMerge: fieldMerge,
                    decisions: try context.reviewDecisions(decisionFiles))
    }
}

/// `match`: its model and the exports it reads when set up.
struct MatchDefinition: StageDefinition {
    let name = "match"
    let location: SourceLocation?
    let model: MatchModel
    let contacts: MatchStage.Reference?, leads: MatchStage.Reference?, accounts: MatchStage.Reference?
    let pending: PendingLeadSource?
    let pendingMatches: PendingLeadMatches?
    /// Answered review files (paths or globs).
    let decisionFiles: [String]
    let updates: UpdateRules?
    let mergeLimit: Int?
    static let writes = ["listwash_match_id", "listwash_match_score"] + MatchStage.columns
    var writes: [String] { Self.writes }

    func makeStage(in context: RunContext) throws -> any Stage {
        MatchStage(model: model, contacts: contacts, leads: leads, accounts: accounts, pending: pending, pendingMatches: pendingMatches,
                   decisions: try context.reviewDecisions(decisionFiles), log: context.log, updates: updates, mergeLimit: mergeLimit, context: context)
    }
}

/// `suppress`: the folder and lists it reads when set up (none when the command line may name
/// them and did not).
struct SuppressDefinition: StageDefinition {
    let name = "suppress"
    let location: SourceLocation?
    let folder: SuppressionFolder?
    let accounts: SuppressStage.Accounts?
    static let writes = [SuppressStage.listColumn]
    var writes: [String] { Self.writes }

    func makeStage(in context: RunContext) throws -> any Stage {
        guard let folder else { return SuppressStage(lists: []) }
        return SuppressStage(folder: folder, accounts: accounts, context: context)
    }
}

/// `decide`: the lead management method and its options.
struct DecideDefinition: StageDefinition {
    let name = "decide"
    let location: SourceLocation?
    let method: LeadMethod
    let campaign: String
    let defaultDate: String
    let recycle: DecideStage.Recycle
    let leadCheck: ImportProfile.LeadCheck?
    static let writes = DecideStage.columns
    var writes: [String] { Self.writes }
    var isBarrier: Bool { true }

    /// Who each row is: its cluster (dedupe) and its CRM lead and contact (match); nothing under
    /// point of interest, where every response is a new lead.
    var reads: [String] {
        method == .pointOfInterest ? [] : ["listwash_cluster", "listwash_lead_id", "listwash_contact_id"]
    }

    func need(of column: String) -> String? {
        let lost = column == "listwash_cluster" ? "a repeat response in the list" : "a person already in the CRM"
        return "under method \(method.rawValue), without it \(lost) would become a new lead"
    }

    func makeStage(in context: RunContext) throws -> any Stage {
        DecideStage(method: method, campaign: campaign, defaultDate: defaultDate, recycle: recycle, leadCheck: leadCheck)
    }
}

/// A rules file as a `score` or `route` stage names it.
struct RulesFileName: Sendable {
    /// Its path, resolved against the pipeline file.
    let path: String
    /// As the pipeline file spells it (`listwash_route_rule` names it so: `rules.yaml:23 territory west`).
    let written: String
}

/// `score`: its rules file, read when the stage is built.
struct ScoreDefinition: StageDefinition {
    let name = "score"
    let location: SourceLocation?
    let rules: RulesFileName
    static let writes = ScoreStage.columns
    var writes: [String] { Self.writes }

    func makeStage(in context: RunContext) throws -> any Stage {
        let rules = try context.rules(rules)
        guard let scoring = rules.scoring else {
            throw ListWashError(.usage, "\(rules.file) has no scoring: section for the score stage", at: location)
        }
        return ScoreStage(rules: scoring)
    }
}

/// `route`: its rules file, read when the stage is built. Whether teams take turns is in the
/// file, so the stage is planned as one that keeps row order.
struct RouteDefinition: StageDefinition {
    let name = "route"
    let location: SourceLocation?
    let rules: RulesFileName
    /// Whether a stage before it decides leads (rows attaching to a lead of the run take its owner).
    let followsLeads: Bool
    static let writes = RouteStage.columns
    var writes: [String] { Self.writes }
    var runsAnywhere: Bool { false }
    /// The column a stage that decides leads writes, which routing follows.
    static let leadColumn = "listwash_target_id"

    func makeStage(in context: RunContext) throws -> any Stage {
        let rules = try context.rules(rules)
        guard rules.routing != nil else {
            throw ListWashError(.usage, "\(rules.file) has no routing: section for the route stage", at: location)
        }
        return RouteStage(rules: rules, followsLeads: followsLeads)
    }
}

extension RunContext {
    /// The review answers in `files` (paths or globs), read once per run (dedupe and match share them).
    ///
    /// - Throws: ``ListWashError`` (`.referenceData`) for a file that cannot be read.
    func reviewDecisions(_ files: [String]) throws -> ReviewDecisions {
        guard !files.isEmpty else { return ReviewDecisions() }
        return try shared("review decisions \(files)") { try PipelineConfiguration.reviewDecisions(files: files) }
    }

    /// The rules file `file`, read once per run (score and route share it).
    ///
    /// - Throws: ``ListWashError`` (`.usage`) as ``RulesFile/load(path:)`` does.
    func rules(_ file: RulesFileName) throws -> LeadRules {
        var rules = try shared("rules \(file.path)") { try RulesFile.load(path: file.path) }
        rules.file = file.written
        return rules
    }
}
