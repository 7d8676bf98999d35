import ListWashCore
import ListWashNormalize

/// How a lead is scored: points from its title, email domain, completeness, matched account and
/// any field, summed, and graded by thresholds. The `scoring:` section of a rules file.
///
/// ```swift
/// var rules = ScoringRules()
/// rules.seniority = [.cLevel: 30, .vp: 25, .director: 20]
/// rules.points = [ScoringRules.Points(name: "product interest", condition:
///     FieldCondition(field: FieldReference("Product Interest"), values: ["Analytics"]), points: 15)]
/// ```
public struct ScoringRules: Sendable {
    /// Points for a field condition: when the condition holds, the points count.
    public struct Points: Sendable {
        /// The name the score reasons show.
        public var name: String
        /// When the points count.
        public var condition: FieldCondition
        /// How many (negative to take points off).
        public var points: Int
        /// Where the rules file states it.
        public var location: SourceLocation?

        /// Points for `condition`.
        public init(name: String, condition: FieldCondition, points: Int, location: SourceLocation? = nil) {
            self.name = name
            self.condition = condition
            self.points = points
            self.location = location
        }
    }

    /// Points per field filled in.
    public struct Completeness: Sendable {
        /// The fields counted.
        public var fields: [FieldReference]
        /// Points for each one that is not empty.
        public var pointsPerField: Int

        /// Completeness over `fields`.
        public init(fields: [FieldReference], pointsPerField: Int) {
            self.fields = fields
            self.pointsPerField = pointsPerField
        }
    }

    /// Points by the seniority of the title (``JobLevel``); levels not listed count 0.
    public var seniority: [JobLevel: Int] = [:]
    /// Points for an email at a corporate domain (not on the free-mail list).
    public var corporateDomain = 0
    /// Points for a free-mail address (gmail.com, yahoo.com, ...), usually negative.
    public var freeMail = 0
    /// Points per filled field.
    public var completeness: Completeness?
    /// Points when the match stage found the row's account (`listwash_account_id`).
    public var matchedAccount = 0
    /// Points for field conditions (product interest, campaign, state, ...), all that hold count.
    public var points: [Points] = []
    /// Grade thresholds.
    public var grades = GradeThresholds()
    /// Where the section starts in the rules file.
    public var location: SourceLocation?

    /// No points at all: every row scores 0 and is cold unless the thresholds say otherwise.
    public init() {}
}
