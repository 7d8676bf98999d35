#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Times as runs show them: ISO 8601 in UTC, to the second.
public enum Timestamp {
    /// `2026-11-23T02:15:00Z`.
    public static func iso8601(_ date: Date) -> String {
        let (year, month, day, hour, minute, second) = parts(date)
        return "\(year)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))Z"
    }

    /// `2026-11-23T021500Z`: the same instant in a form fit for a folder name.
    public static func compact(_ date: Date) -> String {
        let (year, month, day, hour, minute, second) = parts(date)
        return "\(year)-\(two(month))-\(two(day))T\(two(hour))\(two(minute))\(two(second))Z"
    }

    private static func parts(_ date: Date) -> (Int, Int, Int, Int, Int, Int) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var broken = tm()
        gmtime_r(&seconds, &broken)
        return (Int(broken.tm_year) + 1900, Int(broken.tm_mon) + 1, Int(broken.tm_mday), Int(broken.tm_hour), Int(broken.tm_min), Int(broken.tm_sec))
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
