import ListWashCore
import ListWashMatch
import Yams

/// Reads the options of the `dedupe` and `match` stages into a ``MatchModel``.
///
/// ```yaml
/// - dedupe:
///     model: lead-list            # built-in, or a model file written by `listwash train`
///     train: true                 # estimate m values and the prior by EM on this data
///     comparisons:
///       - {column: given_name, method: name, swap: surname, term_frequency: true}
///       - {column: date_of_birth, method: date}
///     blocking:
///       - [surname:metaphone, given_name:initial]
///       - [soc_sec_id]
///     thresholds: {match: 0.9, review: 0.5}
///     prior: auto                 # P(two random records are one person); auto: from the data
///     learn_m: true               # learn the names' m values from pairs that share an identifier
/// ```
enum MatchModelReader {
    static let keys = ["model", "train", "comparisons", "blocking", "thresholds", "prior", "max_block_size", "window", "survivorship", "estimate_u", "learn_m", "required"]

    static func read(_ options: YAMLValue?, base: PathResolver, allowed extra: [String] = []) throws -> (MatchModel, [(String, YAMLValue)]) {
        var model = MatchModel.leadList
        var rest: [(String, YAMLValue)] = []
        guard let options else { return (model, rest) }
        let pairs = try options.mapping("the stage's options", allowed: keys + extra)
        if let named = pairs.first(where: { $0.key == "model" }) {
            model = try load(named.value, base: base)
        }
        for (key, _, value) in pairs {
            switch key {
            case "model": break
            case "train": model.train = try value.boolean("train")
            case "estimate_u": model.estimateU = try value.boolean("estimate_u")
            case "learn_m": model.learnM = try value.boolean("learn_m")
            case "comparisons":
                model.comparisons = try value.list().map(readComparison)
                // A pair's levels are packed 4 bits a comparison into 64 bits.
                guard model.comparisons.count <= MatchModel.maximumComparisons else {
                    throw value.error("a model compares at most \(MatchModel.maximumComparisons) columns; this one lists \(model.comparisons.count)")
                }
                model.required = model.required.filter { name in model.comparisons.contains { $0.name == name } }
            case "required":
                model.required = try value.list().map { item in
                    let name = try item.string("a comparison")
                    guard model.comparisons.contains(where: { $0.name == name }) else {
                        throw item.error(YAMLValue.unknown("comparison", name, in: "required", allowed: model.comparisons.map(\.name)))
                    }
                    return name
                }
            case "blocking": model.blocking = try value.list().map(readRule)
            case "prior":
                // `auto`: worked out from the data at run time (see MatchModel.priorFromData).
                if (try? value.string("prior")) == "auto" {
                    model.priorFromData = true
                } else {
                    model.prior = try probability(value, "prior")
                    model.priorFromData = false
                }
            case "max_block_size": model.maxBlockSize = max(2, try value.integer("max_block_size"))
            case "window": model.window = max(1, try value.integer("window"))
            case "thresholds":
                for (name, _, threshold) in try value.mapping("thresholds", allowed: ["match", "review"]) {
                    if name == "match" { model.matchThreshold = try probability(threshold, "the match threshold") }
                    else { model.reviewThreshold = try probability(threshold, "the review threshold") }
                }
                if model.reviewThreshold > model.matchThreshold {
                    throw value.error("the review threshold (\(model.reviewThreshold)) is above the match threshold (\(model.matchThreshold))")
                }
            default: rest.append((key, value))
            }
        }
        return (model, rest)
    }

    private static func probability(_ value: YAMLValue, _ what: String) throws -> Double {
        let number = try value.number(what)
        guard number > 0, number < 1 else { throw value.error("\(what) must be a probability between 0 and 1, not \(number)") }
        return number
    }

    private static func load(_ value: YAMLValue, base: PathResolver) throws -> MatchModel {
        let name = try value.string("model")
        if name == "lead-list" { return .leadList }
        let path = base.resolve(name)
        let text: String
        do {
            text = try TextFile.read(path)
        } catch let error as ListWashError {
            throw value.error("model '\(name)': \(error.diagnostic.message)")
        }
        let model: MatchModel
        do {
            model = try YAMLDecoder().decode(MatchModel.self, from: text)
        } catch {
            throw ListWashError(.usage, "\(path) is not a ListWash model file (write one with `listwash train`): \(error)", at: SourceLocation(file: path, line: 1))
        }
        guard model.comparisons.count <= MatchModel.maximumComparisons else {
            throw ListWashError(.usage, "\(path): a model compares at most \(MatchModel.maximumComparisons) columns; this one lists \(model.comparisons.count)", at: SourceLocation(file: path, line: 1))
        }
        // The levels a comparison is scored at are its method's: a file whose levels differ
        // (written by a version with other levels) would weigh each pair by another level's m and u.
        for comparison in model.comparisons where comparison.levels.map(\.label) != comparison.expectedLevelLabels {
            throw ListWashError(.usage, "\(path): the comparison '\(comparison.name)' lists the levels \(comparison.levels.map(\.label)), but this version of listwash scores \(comparison.method.rawValue) at \(comparison.expectedLevelLabels); write the model again with `listwash train`", at: SourceLocation(file: path, line: 1))
        }
        return model
    }

    static func readComparison(_ value: YAMLValue) throws -> Comparison {
        let pairs = try value.mapping("a comparison", allowed: ["column", "method", "thresholds", "swap", "term_frequency", "name", "m"])
        var column: String?, method = ComparisonMethod.jaroWinkler, thresholds: [Double]?, swap: String?, tf = false, name: String?, m: [Double]?
        for (key, _, item) in pairs {
            switch key {
            case "column": column = try item.string("column")
            case "method":
                let spelling = try item.string("method")
                guard let parsed = ComparisonMethod(rawValue: spelling) else {
                    throw item.error(YAMLValue.unknown("method", spelling, in: "a comparison", allowed: ComparisonMethod.allCases.map(\.rawValue)))
                }
                method = parsed
            case "thresholds": thresholds = try item.list().map { try $0.number("a threshold") }
            case "swap": swap = try item.string("swap")
            case "term_frequency": tf = try item.boolean("term_frequency")
            case "m": m = try item.list().map { try $0.number("an m value") }
            default: name = try item.string("name")
            }
        }
        guard let column else { throw value.error("a comparison needs a column") }
        if swap != nil, method != .name { throw value.error("swap: works with method: name") }
        let comparison = Comparison(name: name, column: column, method: method, thresholds: thresholds, swapColumn: swap, termFrequency: tf, m: m)
        if let m, m.count != comparison.levels.count {
            throw value.error("m has \(m.count) values, but this comparison has \(comparison.levels.count) levels: \(comparison.levels.map(\.label).joined(separator: ", "))")
        }
        guard comparison.levels.count <= 14 else { throw value.error("a comparison has at most 12 thresholds") }
        return comparison
    }

    static func readRule(_ value: YAMLValue) throws -> BlockingRule {
        BlockingRule(try value.list().map { item in
            let text = try item.string("a blocking key")
            guard let colon = text.lastIndex(of: ":") else { return BlockingKey(column: text) }
            let spelling = String(text[text.index(after: colon)...])
            guard let function = KeyFunction(rawValue: spelling) else {
                throw item.error(YAMLValue.unknown("key function", spelling, in: "blocking", allowed: KeyFunction.allCases.map(\.rawValue)))
            }
            return BlockingKey(column: String(text[..<colon]), function: function)
        })
    }
}
