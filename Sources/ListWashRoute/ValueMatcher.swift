/// The test behind a ``FieldCondition``, compiled once: its values and pieces of text as lower-case
/// bytes, so a row's value is compared in place, without making strings. A class, so the hot loops
/// of scoring and routing pass one reference instead of copying the condition's arrays.
final class ValueMatcher: Sendable {
    /// Values that match (folded: lower case, trimmed).
    let values: Set<String>
    /// Pieces of text any of which in the value matches (folded).
    let contains: [String]
    private let valueBytes: [[UInt8]]
    private let containsBytes: [[UInt8]]

    /// A test for any of `values`, or a value holding any of `contains`; with neither, for a value
    /// that is not empty.
    init(values: [String], contains: [String]) {
        self.values = Set(values.map(Self.fold))
        self.contains = contains.map(Self.fold).filter { !$0.isEmpty }
        valueBytes = self.values.sorted().map { Array($0.utf8) }
        containsBytes = self.contains.map { Array($0.utf8) }
    }

    /// Whether `value` passes.
    func matches(_ value: String) -> Bool {
        var value = value
        return value.withUTF8(matches(utf8:))
    }

    /// Whether the value with these UTF-8 bytes passes.
    func matches(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0, end = bytes.count
        while start < end, Self.isSpace(bytes[start]) { start += 1 }
        while end > start, Self.isSpace(bytes[end - 1]) { end -= 1 }
        if valueBytes.isEmpty && containsBytes.isEmpty { return start < end }
        if bytes[start..<end].contains(where: { $0 >= 0x80 }) {
            // Not ASCII: compare folded text.
            let folded = Self.fold(String(decoding: bytes, as: UTF8.self))
            return values.contains(folded) || contains.contains { folded.contains($0) }
        }
        let length = end - start
        for candidate in valueBytes where candidate.count == length && Self.equal(bytes, at: start, candidate) { return true }
        for needle in containsBytes where needle.count <= length {
            for origin in start...(end - needle.count) where Self.equal(bytes, at: origin, needle) { return true }
        }
        return false
    }

    /// Whether `bytes` from `origin`, in lower case, start with `folded`.
    @inline(__always)
    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, at origin: Int, _ folded: [UInt8]) -> Bool {
        for offset in folded.indices where lower(bytes[origin + offset]) != folded[offset] { return false }
        return true
    }

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    /// Whether `value` has anything but white space.
    static func isFilled(_ value: String) -> Bool {
        value.utf8.contains { !isSpace($0) }
    }

    /// Lower case without surrounding white space.
    static func fold(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return slice.lowercased()
    }
}
