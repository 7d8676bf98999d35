/// How warm a lead is, from its score and the thresholds of the rules file.
public enum Grade: String, CaseIterable, Sendable, Hashable, Comparable {
    /// At or above the hot threshold: a sales representative calls now.
    case hot
    /// At or above the warm threshold.
    case warm
    /// Below the warm threshold: nurture.
    case cold

    private var rank: Int {
        switch self {
        case .hot: 2
        case .warm: 1
        case .cold: 0
        }
    }

    /// Hot is greater than warm, which is greater than cold.
    public static func < (lhs: Grade, rhs: Grade) -> Bool { lhs.rank < rhs.rank }
}

/// The score thresholds of the grades: a score at or above ``hot`` is hot, at or above ``warm``
/// warm, anything lower cold.
///
/// ```swift
/// GradeThresholds(hot: 60, warm: 30).grade(for: 45) // .warm
/// ```
public struct GradeThresholds: Sendable, Hashable {
    /// The lowest hot score.
    public var hot: Int
    /// The lowest warm score.
    public var warm: Int

    /// Thresholds with `hot` ≥ `warm` (the reader checks it).
    public init(hot: Int = 60, warm: Int = 30) {
        self.hot = hot
        self.warm = warm
    }

    /// The grade of `score`.
    public func grade(for score: Int) -> Grade {
        score >= hot ? .hot : score >= warm ? .warm : .cold
    }
}
