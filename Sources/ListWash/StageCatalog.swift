import ListWashCore
import ListWashMatch

/// The stages a pipeline file can name, and how each reads its options.
///
/// A new stage goes here: a name, and a function from its options to the stage value.
enum StageCatalog {
    typealias Builder = @Sendable (PipelineConfiguration.StageEntry, PipelineConfiguration) throws -> any Stage

    static let builders: [(name: String, build: Builder)] = [
        ("validate", buildValidate),
        ("dedupe", buildDedupe),
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

    private static func buildDedupe(_ entry: PipelineConfiguration.StageEntry, _ configuration: PipelineConfiguration) throws -> any Stage {
        let base = PathResolver(relativeTo: configuration.file ?? "./pipeline.yaml")
        let (model, rest) = try MatchModelReader.read(entry.options, base: base)
        var survivorship = Survivorship.mostComplete
        for (key, value) in rest where key == "survivorship" {
            let spelling = try value.string("survivorship")
            guard let parsed = Survivorship(rawValue: spelling) else {
                throw value.error(YAMLValue.unknown("survivorship", spelling, in: "dedupe", allowed: Survivorship.allCases.map(\.rawValue)))
            }
            survivorship = parsed
        }
        return DedupeStage(model: model, rows: configuration.rows, survivorship: survivorship)
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
}
