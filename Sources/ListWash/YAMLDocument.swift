import ListWashCore
import Yams

/// A YAML node with its file, for reading configuration with precise error locations.
///
/// Every error it raises reads `file:line:column: error: message`, and an unknown key gets a
/// "did you mean" from the keys that are allowed there.
struct YAMLValue: @unchecked Sendable {  // Immutable after parsing.
    let node: Node
    let file: String

    /// Parses `text` from `file`.
    static func parse(_ text: String, file: String) throws -> YAMLValue {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ListWashError(.usage, "the file is empty", at: SourceLocation(file: file, line: 1, column: 1))
            }
            return YAMLValue(node: node, file: file)
        } catch let error as YamlError {
            throw Self.translate(error, file: file)
        }
    }

    private static func translate(_ error: YamlError, file: String) -> ListWashError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            let where_ = context.map { " (\($0.text))" } ?? ""
            return ListWashError(.usage, "YAML: \(problem)\(where_)", at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ListWashError(.usage, "duplicate key \(duplicates.joined(separator: ", "))", at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column))
        default:
            return ListWashError(.usage, "YAML: \(error)", at: SourceLocation(file: file))
        }
    }

    /// Where this node starts.
    var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line, column: node.mark?.column)
    }

    /// An error about this node.
    func error(_ message: String) -> ListWashError {
        ListWashError(.usage, message, at: location)
    }

    /// The node's text, when it is a scalar.
    var scalar: String? { node.scalar?.string }

    /// The node's text; an error when it is a list or a mapping.
    func string(_ what: String) throws -> String {
        guard let text = scalar else { throw error("\(what) must be a single value") }
        return text
    }

    /// The node as a whole number.
    func integer(_ what: String) throws -> Int {
        guard let value = Int(try string(what)) else { throw error("\(what) must be a whole number, not '\(scalar ?? "")'") }
        return value
    }

    /// The node as a number.
    func number(_ what: String) throws -> Double {
        guard let value = Double(try string(what)) else { throw error("\(what) must be a number, not '\(scalar ?? "")'") }
        return value
    }

    /// The node as a yes/no value.
    func boolean(_ what: String) throws -> Bool {
        switch try string(what).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("\(what) must be true or false, not '\(scalar ?? "")'")
        }
    }

    /// The items of a list; a single value counts as a list of one.
    func list() -> [YAMLValue] {
        if let sequence = node.sequence { return sequence.map { YAMLValue(node: $0, file: file) } }
        return [self]
    }

    /// The key-value pairs of a mapping, checked against `allowed` keys.
    func mapping(_ what: String, allowed: [String]) throws -> [(key: String, keyValue: YAMLValue, value: YAMLValue)] {
        guard let mapping = node.mapping else { throw error("\(what) must be a mapping of keys to values") }
        var pairs: [(key: String, keyValue: YAMLValue, value: YAMLValue)] = []
        for (keyNode, valueNode) in mapping {
            let key = YAMLValue(node: keyNode, file: file)
            let name = try key.string("a key")
            if !allowed.isEmpty, !allowed.contains(name) {
                throw key.error(Self.unknown("key", name, in: what, allowed: allowed))
            }
            pairs.append((name, key, YAMLValue(node: valueNode, file: file)))
        }
        return pairs
    }

    /// "unknown key 'stges' in the pipeline. Did you mean 'stages'?"
    static func unknown(_ kind: String, _ name: String, in what: String, allowed: [String]) -> String {
        var message = "unknown \(kind) '\(name)' in \(what)"
        let ranked = allowed.map { ($0, editDistance($0.lowercased(), name.lowercased())) }.sorted { $0.1 < $1.1 }
        if let best = ranked.first, best.1 <= max(2, name.count / 3) {
            message += ". Did you mean '\(best.0)'?"
        } else {
            message += "; expected one of: \(allowed.joined(separator: ", "))"
        }
        return message
    }
}
