import Testing
@testable import ListWashMatch

@Suite struct DateSimilarityTests {
    @Test func parsesTheFourLayouts() {
        let expected = CalendarDate(year: 1985, month: 3, day: 7)!
        for text in ["19850307", "1985-03-07", "03/07/1985", "3/7/1985", "07.03.1985", " 1985-3-7 "] {
            #expect(DateComparison.parse(text) == expected, "\(text)")
        }
        #expect(DateComparison.parse("25/12/1980") == CalendarDate(year: 1980, month: 12, day: 25))
    }

    /// Exports' timestamps: a date with a time after it, Unix seconds and milliseconds (UTC).
    @Test func parsesTimestampsAsTheirDay() {
        let expected = CalendarDate(year: 2026, month: 11, day: 2)
        for text in ["2026-11-02T10:15:00.000Z", "11/02/2026 10:15", " 2026-11-02 "] {
            #expect(DateComparison.parseTimestamp(text) == expected, "\(text)")
        }
        for text in ["1762078500", "1762078500000", "1762127999999"] {
            #expect(DateComparison.parseTimestamp(text) == CalendarDate(year: 2025, month: 11, day: 2), "\(text)")
        }
        for text in ["", "last tuesday", "176207850", "17620785000000", "2026-13-02T10:00"] {
            #expect(DateComparison.parseTimestamp(text) == nil, "\(text)")
        }
        // Day numbers round-trip across leap days and centuries.
        for day in stride(from: -700_000, through: 2_900_000, by: 997) {
            #expect(CalendarDate(dayNumber: day)?.dayNumber == day)
        }
    }

    @Test func rejectsImpossibleAndForeignText() {
        for text in ["", "19850230", "2023-02-29", "1985/03/07", "13/13/1985", "1985-03-07T00:00", "07.03.85",
                     "1985-03/07", "abc", "1985--03", "00000000", "2024-13-01"] {
            #expect(DateComparison.parse(text) == nil, "\(text)")
        }
        #expect(DateComparison.parse("2024-02-29") != nil)
        #expect(DateComparison.parse("2000-02-29") != nil)
        #expect(DateComparison.parse("1900-02-29") == nil)
    }

    @Test func levels() {
        #expect(DateComparison.compare("1985-03-07", "03/07/1985") == .exact)
        #expect(DateComparison.compare("1985-03-07", "1985-07-03") == .dayMonthSwapped)
        #expect(DateComparison.compare("1985-03-07", "1986-03-07") == .yearOffByOne)
        #expect(DateComparison.compare("1987-03-07", "1988-03-07") == .yearOffByOne)
        #expect(DateComparison.compare("1985-03-07", "1958-03-07") == .yearTypo)
        #expect(DateComparison.compare("1978-03-07", "1938-03-07") == .yearTypo)
        #expect(DateComparison.compare("1985-03-07", "1985-03-20") == .withinDays(13))
        #expect(DateComparison.compare("1985-12-31", "1986-01-02") == .withinDays(2))
        #expect(DateComparison.compare("1985-03-07", "1985-05-20") == .different)
        #expect(DateComparison.compare("1985-03-07", "1985-03-20", maximumDays: 0) == .different)
        #expect(DateComparison.compare("1985-03-07", "n/a") == .unparseable)
        #expect(DateMatchLevel.exact < DateMatchLevel.dayMonthSwapped)
        #expect(DateMatchLevel.withinDays(3) < DateMatchLevel.withinDays(10))
        #expect(DateMatchLevel.withinDays(30) < DateMatchLevel.different)
    }

    @Test func dayNumbers() {
        #expect(CalendarDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(CalendarDate(year: 2000, month: 3, day: 1)!.dayNumber == 11_017)
        #expect(CalendarDate(year: 1969, month: 12, day: 31)!.dayNumber == -1)
        #expect(CalendarDate(year: 2024, month: 2, day: 29)!.description == "2024-02-29")
    }
}
