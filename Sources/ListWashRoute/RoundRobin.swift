import Synchronization

/// Hands a team's rows to its members in turn, in the order rows are given: the same input
/// routes the same way. Shared by reference, so every batch of a run continues the same turn.
///
/// ```swift
/// let turns = RoundRobin(teams: [Team(name: "west", members: ["ana", "bo"])])
/// turns.next(in: "west") // "ana"
/// turns.next(in: "west") // "bo"
/// ```
public final class RoundRobin: Sendable {
    private let members: [String: [String]]
    private let turns = Mutex<[String: Int]>([:])

    /// Turns for `teams`, each starting with its first member.
    public init(teams: [Team]) {
        var members: [String: [String]] = [:]
        for team in teams where members[team.name] == nil { members[team.name] = team.members }
        self.members = members
    }

    /// The member whose turn it is in `team`, or `nil` for an unknown or empty team.
    public func next(in team: String) -> String? {
        guard let list = members[team], !list.isEmpty else { return nil }
        return turns.withLock { turns in
            let turn = turns[team, default: 0]
            turns[team] = turn + 1
            return list[turn % list.count]
        }
    }
}
