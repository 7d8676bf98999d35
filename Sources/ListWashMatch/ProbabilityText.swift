/// How the outputs write a probability: rounded to four decimals and printed the way Swift
/// prints that `Double` ("0.9987", "0.5", "1.0"), but from its digits, without `Double`'s
/// general printer (dedupe writes a million of them).
///
/// ```swift
/// ProbabilityText.text(0.99874)  // "0.9987"
/// ProbabilityText.text(1)        // "1.0"
/// ```
enum ProbabilityText {
    /// The text of `probability` rounded to four decimals.
    static func text(_ probability: Double) -> String {
        withBytes(probability) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the UTF-8 text of `probability` rounded to four decimals.
    static func withBytes<T>(_ probability: Double, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let scaled = (probability * 10000).rounded()
        // Outside 0...1 (never for a probability): the standard library's printer.
        guard scaled >= 0, scaled <= 10000 else {
            var text = String(scaled / 10000)
            return text.withUTF8(body)
        }
        let units = Int(scaled)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8) { buffer in
            buffer[0] = UInt8(ascii: "0") + UInt8(units / 10000)
            buffer[1] = UInt8(ascii: ".")
            var fraction = units % 10000, count = 2
            if fraction == 0 {
                buffer[2] = UInt8(ascii: "0")
                count = 3
            } else {
                var divisor = 1000
                while fraction > 0 {
                    buffer[count] = UInt8(ascii: "0") + UInt8(fraction / divisor)
                    fraction %= divisor
                    divisor /= 10
                    count += 1
                }
            }
            return body(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}

/// A cluster's label: `C` and the run-wide row number of its first record (`C12`).
enum ClusterLabel {
    /// Calls `body` with the UTF-8 text of the label of the cluster whose first record has
    /// sequence `sequence` (0-based).
    static func withBytes<T>(_ sequence: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var number = sequence + 1, end = 24
            repeat {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(number % 10)
                number /= 10
            } while number > 0
            end -= 1
            buffer[end] = UInt8(ascii: "C")
            return body(UnsafeBufferPointer(rebasing: buffer[end..<24]))
        }
    }
}
