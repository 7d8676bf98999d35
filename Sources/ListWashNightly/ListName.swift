#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ListWash

/// Names the source list (the vendor) an inbox file belongs to, so runs on different nights add
/// up per list in the vendor scorecard.
public enum ListName {
    /// The list of a file named `fileName`: the first rule whose pattern matches, else the name
    /// without its extension and without date or time parts
    /// (`2026-11-20-webinar.csv` and `webinar_20261121.csv` are both `webinar`).
    public static func of(fileName: String, rules: [PipelineConfiguration.Inbox.ListRule] = []) -> String {
        for rule in rules where fnmatch(rule.pattern, fileName, 0) == 0 { return rule.list }
        var stem = Substring(fileName)
        if let dot = stem.lastIndex(of: "."), dot != stem.startIndex { stem = stem[..<dot] }
        let separators: Set<Character> = ["-", "_", " ", "."]
        let parts = stem.split(whereSeparator: { separators.contains($0) })
        let kept = parts.filter { part in !part.allSatisfy(\.isNumber) && !isDateLike(part) }
        let name = kept.joined(separator: "-")
        return name.isEmpty ? String(stem) : name
    }

    /// `20261121`, `2026`, `T021500Z` and the like.
    private static func isDateLike(_ part: Substring) -> Bool {
        let digits = part.filter(\.isNumber).count
        return digits >= 4 && digits * 4 >= part.count * 3
    }
}
