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
    private let members: [[String]]
    private let positions: [String: Int]
    private let turns: Mutex<[Int]>

    /// Turns for `teams`, each starting with its first member.
    public init(teams: [Team]) {
        var positions: [String: Int] = [:]
        for (index, team) in teams.enumerated() where positions[team.name] == nil { positions[team.name] = index }
        self.positions = positions
        members = teams.map(\.members)
        turns = Mutex(Array(repeating: 0, count: teams.count))
    }

    /// The position of the team named `name` among the teams, or `nil`.
    public func team(named name: String) -> Int? { positions[name] }

    /// The member whose turn it is in `team`, or `nil` for an unknown or empty team.
    public func next(in team: String) -> String? {
        positions[team].flatMap(next(inTeamAt:))
    }

    /// The member whose turn it is in the team at position `team` (see ``team(named:)``), or
    /// `nil` for an empty team.
    public func next(inTeamAt team: Int) -> String? {
        guard members.indices.contains(team), !members[team].isEmpty else { return nil }
        let list = members[team]
        return turns.withLock { turns in
            let turn = turns[team]
            turns[team] = turn + 1
            return list[turn % list.count]
        }
    }
}
