// Numeric comparison: absolute and relative differences, as Splink's absolute / percentage
// difference comparison levels use them.

extension Similarity {
    /// Absolute difference |a - b|.
    ///
    ///     Similarity.absoluteDifference(120, 125)   // 5
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func absoluteDifference(_ a: Double, _ b: Double) -> Double {
        abs(a - b)
    }

    /// Relative difference |a - b| / max(|a|, |b|), from 0 (equal) to 2 (opposite signs, equal
    /// magnitude); 0 when both are 0. This is Splink's "percentage difference" (as a fraction).
    ///
    ///     Similarity.relativeDifference(100, 110)   // 0.0909
    ///     Similarity.relativeDifference(0, 0)       // 0
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func relativeDifference(_ a: Double, _ b: Double) -> Double {
        let scale = max(abs(a), abs(b))
        return scale == 0 ? 0 : abs(a - b) / scale
    }

    /// Absolute difference of two numbers given as text (blanks, a leading `+` / `-`, one
    /// decimal point, thousands commas and a leading `$` allowed); `nil` when either is not a
    /// number.
    ///
    ///     Similarity.absoluteDifference("$1,200", "1150")   // 50
    ///
    /// - Complexity: O(n) in the length of the texts.
    public static func absoluteDifference(_ a: String, _ b: String) -> Double? {
        guard let x = NumericKernel.parse(a), let y = NumericKernel.parse(b) else { return nil }
        return absoluteDifference(x, y)
    }

    /// Relative difference of two numbers given as text (see
    /// `absoluteDifference(_:_:)` on strings for the accepted forms); `nil` when either is not
    /// a number.
    ///
    ///     Similarity.relativeDifference("250", "200")   // 0.2
    ///
    /// - Complexity: O(n) in the length of the texts.
    public static func relativeDifference(_ a: String, _ b: String) -> Double? {
        guard let x = NumericKernel.parse(a), let y = NumericKernel.parse(b) else { return nil }
        return relativeDifference(x, y)
    }
}

enum NumericKernel {
    /// Parses a plain decimal number, ignoring blanks around it, a leading `$` and thousands
    /// commas.
    static func parse(_ text: String) -> Double? {
        var cleaned = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case ",", "$": continue
            case " ", "\t": continue
            default: cleaned.unicodeScalars.append(scalar)
            }
        }
        guard !cleaned.isEmpty,
              cleaned.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "." || $0 == "-" || $0 == "+" })
        else { return nil }
        guard let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }
}
