import ListWashCore

// Date comparison for fuzzy matching (dates of birth, response dates): parse the common layouts
// and grade how two dates differ, from exact through the typical keying errors (day and month
// swapped, a year off by one or mistyped) to "within N days".

/// A calendar date (proleptic Gregorian), as parsed by ``DateComparison/parse(_:)``.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date when `year` (1...9999), `month` and `day` form a real date.
    ///
    ///     CalendarDate(year: 2024, month: 2, day: 29)   // a date
    ///     CalendarDate(year: 2023, month: 2, day: 29)   // nil
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01 (negative before).
    ///
    /// - Complexity: O(1).
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01 (Howard Hinnant's civil_from_days).
    init?(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// ISO 8601 form, `YYYY-MM-DD`.
    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// How two dates compare, best first. `Comparable` in that order: `.exact < .different`.
public enum DateMatchLevel: Hashable, Comparable, Sendable {
    /// The same date.
    case exact
    /// Same year; the day of one is the month of the other and the other way round
    /// (`1985-03-07` / `1985-07-03`).
    case dayMonthSwapped
    /// Same month and day, years one apart.
    case yearOffByOne
    /// Same month and day, years differing in one digit or by two swapped adjacent digits
    /// (`1958` / `1985`, `1978` / `1938`).
    case yearTypo
    /// Different dates at most the given number of days apart (1 or more).
    case withinDays(Int)
    /// Both dates valid, none of the above.
    case different
    /// At least one side is not a date in a known layout.
    case unparseable
}

/// Parses and compares dates for record matching.
public enum DateComparison {
    /// Parses a date in one of the layouts `YYYYMMDD`, `YYYY-MM-DD`, `MM/DD/YYYY` and
    /// `DD.MM.YYYY` (one-digit day and month allowed with separators; leading and trailing blanks
    /// ignored). A slash date whose first number cannot be a month but whose second can
    /// (`25/12/1980`) is read as `DD/MM/YYYY`. Returns `nil` for anything else or an impossible
    /// date.
    ///
    ///     DateComparison.parse("03/07/1985")   // 1985-03-07
    ///     DateComparison.parse("07.03.1985")   // 1985-03-07
    ///     DateComparison.parse("19850230")     // nil
    ///
    /// - Complexity: O(n) in the length of the text; no allocation.
    public static func parse(_ text: String) -> CalendarDate? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// ``parse(_:)`` on UTF-8 bytes.
    ///
    ///     "1985-03-07".utf8.withContiguousStorageIfAvailable { DateComparison.parse(bytes: $0) }
    ///
    /// - Complexity: O(n); no allocation.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        let s = trimmed(bytes)
        if s.count == 8, let y = number(s, 0, 4), let m = number(s, 4, 2), let d = number(s, 6, 2) {
            return CalendarDate(year: y, month: m, day: d)
        }
        // Split into three numbers on one separator kind.
        var parts: (Int, Int, Int) = (0, 0, 0)
        var widths: (Int, Int, Int) = (0, 0, 0)
        var separator: UInt8 = 0
        var field = 0
        var value = 0, width = 0
        for byte in s {
            if byte >= 0x30 && byte <= 0x39 {
                value = value * 10 + Int(byte - 0x30)
                width += 1
                if width > 4 { return nil }
            } else if byte == 0x2D || byte == 0x2F || byte == 0x2E {
                if separator == 0 { separator = byte } else if byte != separator { return nil }
                if width == 0 || field == 2 { return nil }
                if field == 0 { parts.0 = value; widths.0 = width } else { parts.1 = value; widths.1 = width }
                field += 1
                value = 0
                width = 0
            } else {
                return nil
            }
        }
        if field != 2 || width == 0 { return nil }
        parts.2 = value
        widths.2 = width
        switch separator {
        case 0x2D:  // YYYY-MM-DD
            guard widths.0 == 4, widths.1 <= 2, widths.2 <= 2 else { return nil }
            return CalendarDate(year: parts.0, month: parts.1, day: parts.2)
        case 0x2F:  // MM/DD/YYYY, or DD/MM/YYYY when the first number cannot be a month
            guard widths.0 <= 2, widths.1 <= 2, widths.2 == 4 else { return nil }
            if parts.0 > 12 && parts.1 <= 12 { return CalendarDate(year: parts.2, month: parts.1, day: parts.0) }
            return CalendarDate(year: parts.2, month: parts.0, day: parts.1)
        default:  // DD.MM.YYYY
            guard widths.0 <= 2, widths.1 <= 2, widths.2 == 4 else { return nil }
            return CalendarDate(year: parts.2, month: parts.1, day: parts.0)
        }
    }

    /// Parses the date of a date or timestamp as exports and forms write it: a date in one of
    /// ``parse(_:)``'s layouts with an optional time after a `T` or a space (`2026-11-02T10:15:00Z`,
    /// `11/02/2026 10:15`; the time is ignored), or Unix time in seconds (10 digits) or
    /// milliseconds (13 digits, as HubSpot exports `hs_lastmodifieddate`), read as UTC. `nil`
    /// for anything else.
    ///
    ///     DateComparison.parseTimestamp("2026-11-02T10:15:00Z")   // 2026-11-02
    ///     DateComparison.parseTimestamp("1762078500000")          // 2025-11-02
    ///
    /// - Complexity: O(n) in the length of the text.
    public static func parseTimestamp(_ text: String) -> CalendarDate? {
        var text = text
        return text.withUTF8 { parseTimestamp(bytes: $0) }
    }

    /// ``parseTimestamp(_:)`` on UTF-8 bytes.
    ///
    /// - Complexity: O(n); no allocation.
    public static func parseTimestamp(bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        let s = trimmed(bytes)
        if s.count == 10 || s.count == 13, s.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            let number = s.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            return CalendarDate(dayNumber: (s.count == 13 ? number / 1000 : number) / 86_400)
        }
        // The date before a time: `2026-11-02T10:15:00Z`, `11/02/2026 10:15`.
        let cut = s.firstIndex { $0 == UInt8(ascii: "T") || $0 == 0x20 } ?? s.count
        return parse(bytes: UnsafeBufferPointer(rebasing: s[0..<cut]))
    }

    /// `bytes` without leading and trailing spaces and tabs.
    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = bytes.count
        while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
        while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Compares two dates given as text (see ``parse(_:)`` for the layouts).
    ///
    ///     DateComparison.compare("1985-03-07", "03/07/1985")   // .exact
    ///     DateComparison.compare("1985-03-07", "1985-07-03")   // .dayMonthSwapped
    ///     DateComparison.compare("1985-03-07", "1986-03-07")   // .yearOffByOne
    ///     DateComparison.compare("1985-03-07", "1958-03-07")   // .yearTypo
    ///     DateComparison.compare("1985-03-07", "1985-03-20")   // .withinDays(13)
    ///     DateComparison.compare("1985-03-07", "n/a")          // .unparseable
    ///
    /// - Parameter maximumDays: the largest distance still graded `.withinDays`; 0 disables it.
    /// - Complexity: O(n) in the length of the texts.
    public static func compare(_ a: String, _ b: String, maximumDays: Int = 30) -> DateMatchLevel {
        guard let da = parse(a), let db = parse(b) else { return .unparseable }
        return compare(da, db, maximumDays: maximumDays)
    }

    /// Compares two parsed dates; the checks run in the order of ``DateMatchLevel``, so a pair
    /// that is both a year off by one and one digit apart (`1987` / `1988`) is `.yearOffByOne`.
    ///
    ///     DateComparison.compare(d1, d2, maximumDays: 7)
    ///
    /// - Complexity: O(1).
    public static func compare(_ a: CalendarDate, _ b: CalendarDate, maximumDays: Int = 30) -> DateMatchLevel {
        if a == b { return .exact }
        if a.year == b.year && a.day == b.month && a.month == b.day { return .dayMonthSwapped }
        if a.month == b.month && a.day == b.day {
            if abs(a.year - b.year) == 1 { return .yearOffByOne }
            if isYearTypo(a.year, b.year) { return .yearTypo }
        }
        let distance = abs(a.dayNumber - b.dayNumber)
        if distance <= maximumDays { return .withinDays(distance) }
        return .different
    }

    /// Whether two four-digit years differ in exactly one digit or by one swap of adjacent
    /// digits.
    static func isYearTypo(_ x: Int, _ y: Int) -> Bool {
        let dx = [x / 1000 % 10, x / 100 % 10, x / 10 % 10, x % 10]
        let dy = [y / 1000 % 10, y / 100 % 10, y / 10 % 10, y % 10]
        let differing = (0..<4).filter { dx[$0] != dy[$0] }
        if differing.count == 1 { return true }
        if differing.count == 2, differing[1] == differing[0] + 1 {
            let i = differing[0]
            return dx[i] == dy[i + 1] && dx[i + 1] == dy[i]
        }
        return false
    }

    @inline(__always)
    private static func number(_ s: UnsafeBufferPointer<UInt8>, _ offset: Int, _ count: Int) -> Int? {
        var value = 0
        for i in offset..<(offset + count) {
            let byte = s[i]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }
}
