// Shared plumbing of the similarity functions: which units a comparison counts.
//
// Both strings ASCII: the comparison runs on their UTF-8 bytes, without copying.
// Otherwise it runs on Unicode scalars (code points), as Python's `str` and jellyfish do for
// precomposed text. Normalize first (NFC) so that "é" and "e\u{301}" compare equal.

/// String and value similarity functions for record matching.
///
/// Distances count edits (lower is closer); similarities run from 0 (nothing in common) to 1
/// (equal). Every function on `String` counts Unicode scalars, taking a byte-level fast path
/// when both strings are ASCII; the `UnsafeBufferPointer<UInt8>` overloads compare bytes and
/// allocate nothing, for hot loops over normalized ASCII values.
public enum Similarity {}

@usableFromInline
enum TextUnits {
    /// True when every byte is below 0x80.
    @inlinable @inline(__always)
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var acc: UInt8 = 0
        for byte in bytes { acc |= byte }
        return acc < 0x80
    }

    /// True when every unit of both buffers is below 0x80.
    @inlinable @inline(__always)
    static func isASCII<T: FixedWidthInteger>(_ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>) -> Bool {
        var acc: T = 0
        for unit in a { acc |= unit }
        for unit in b { acc |= unit }
        return acc < 0x80
    }

    /// True when `text` is ASCII.
    @inline(__always)
    static func isASCII(_ text: String) -> Bool {
        if let result = text.utf8.withContiguousStorageIfAvailable({ isASCII($0) }) { return result }
        return text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Calls `ascii` with the UTF-8 bytes of both strings when both are ASCII, and `scalars` with
    /// their Unicode scalar values otherwise.
    @inline(__always)
    static func withUnits<R>(
        _ a: String, _ b: String,
        ascii: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> R,
        scalars: (UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<UInt32>) -> R
    ) -> R {
        // Fast path: native strings are contiguous UTF-8.
        let fast: R?? = a.utf8.withContiguousStorageIfAvailable { pa -> R? in
            let inner: R?? = b.utf8.withContiguousStorageIfAvailable { pb -> R? in
                guard isASCII(pa), isASCII(pb) else { return nil }
                return ascii(pa, pb)
            }
            return inner ?? nil
        }
        if let done = fast ?? nil { return done }
        if isASCII(a), isASCII(b) {
            let ba = Array(a.utf8), bb = Array(b.utf8)
            return ba.withUnsafeBufferPointer { pa in bb.withUnsafeBufferPointer { pb in ascii(pa, pb) } }
        }
        // Scalars into temporary buffers (on the stack for short strings): a string has at most
        // as many scalars as UTF-8 bytes.
        return withScalars(a) { pa in withScalars(b) { pb in scalars(pa, pb) } }
    }

    @inline(__always)
    static func withScalars<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt32>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: text.utf8.count) { buffer in
            var count = 0
            for scalar in text.unicodeScalars {
                buffer.baseAddress!.advanced(by: count).initialize(to: scalar.value)
                count += 1
            }
            return body(UnsafeBufferPointer(start: buffer.baseAddress, count: count))
        }
    }
}
