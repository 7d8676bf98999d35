/// The `listwash_*` columns the score and route stages fill.
public enum RouteColumns {
    /// The owner a row is routed to.
    public static let owner = "listwash_owner"
    /// The queue a row is routed to.
    public static let queue = "listwash_queue"
    /// The lead score, in points.
    public static let score = "listwash_score"
    /// The grade from the score: hot, warm or cold.
    public static let grade = "listwash_grade"
    /// What made up the score.
    public static let scoreReasons = "listwash_score_reasons"
    /// The routing rule that decided, with its file and line.
    public static let routeRule = "listwash_route_rule"
}
