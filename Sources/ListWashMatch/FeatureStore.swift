import CListWashSystem
import Dispatch

/// A frozen copy of a ``FeatureSet`` in plain memory, for the comparison hot loop: reading a
/// value is pointer arithmetic, with no reference counting on the millions of pairs a dedupe
/// scores.
///
/// Values are stored record by record: each record's values (and its related-name lists) sit
/// together, after a small table of where each ends. A candidate pair touches two records
/// scattered over a large set, so this costs a few cache misses per pair rather than two per
/// value.
final class FeatureStore: @unchecked Sendable {
    /// The number of records.
    let count: Int
    /// Values per record: the model's columns, then the related-name lists.
    private let slots: Int
    /// Where each record starts in `arena`.
    private let starts: UnsafeMutableBufferPointer<Int>
    /// Per record: `slots` end offsets (UInt32, from the record's start), then the values' bytes.
    private let arena: UnsafeMutableRawPointer
    /// Per comparison: the slot of its column's related-name lists, or -1.
    private let nameListSlots: UnsafeMutableBufferPointer<Int>

    init(_ features: FeatureSet, model: MatchModel) {
        count = features.count
        var sources = features.columns
        nameListSlots = .allocate(capacity: max(model.comparisons.count, 1))
        nameListSlots.initialize(repeating: -1)
        for (k, comparison) in model.comparisons.enumerated() {
            if let list = features.nameKeys[comparison.column] {
                nameListSlots[k] = sources.count
                sources.append(list)
            }
        }
        slots = sources.count
        // A related-name list is stored after its summary (``Metrics/tokenSignature(_:)``).
        let isList = sources.indices.map { $0 >= features.columns.count }
        starts = .allocate(capacity: count + 1)
        let header = 4 * slots
        var total = 0
        for record in 0..<count {
            starts[record] = total
            total += header
            for (slot, column) in sources.enumerated() { total += column.length(record) + (isList[slot] ? 8 : 0) }
        }
        starts[count] = total
        arena = .allocate(byteCount: max(total, 1), alignment: 16)
        // Fill the records on all cores, a chunk each.
        let chunkSize = 1 << 14, chunks = (count + chunkSize - 1) / chunkSize
        let (arena, starts, columns) = (UncheckedSendable(arena), UncheckedSendable(starts), sources)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for record in (chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize) {
                let base = arena.value + starts.value[record]
                var offset = header
                for (slot, column) in columns.enumerated() {
                    column.withValue(record) { bytes in
                        if isList[slot] {
                            (base + offset).storeBytes(of: Metrics.tokenSignature(bytes), as: UInt64.self)
                            offset += 8
                        }
                        if let source = bytes.baseAddress { (base + offset).copyMemory(from: source, byteCount: bytes.count) }
                        offset += bytes.count
                    }
                    base.storeBytes(of: UInt32(truncatingIfNeeded: offset), toByteOffset: 4 * slot, as: UInt32.self)
                }
            }
        }
    }

    deinit {
        arena.deallocate()
        starts.deallocate()
        nameListSlots.deallocate()
    }

    /// The value of column `column` (in ``FeatureSet/columnNames`` order) for `record`.
    @inline(__always)
    func value(_ column: Int, _ record: Int) -> UnsafeBufferPointer<UInt8> {
        let base = arena + starts[record]
        let start = column == 0 ? 4 * slots : Int(base.loadUnaligned(fromByteOffset: 4 * (column - 1), as: UInt32.self))
        let end = Int(base.loadUnaligned(fromByteOffset: 4 * column, as: UInt32.self))
        return UnsafeBufferPointer(start: (base + start).assumingMemoryBound(to: UInt8.self), count: end - start)
    }

    /// Starts loading `record`'s values into the processor's cache (its first three lines), for
    /// a loop that will compare it soon.
    @inline(__always)
    func prefetch(_ record: Int) {
        let base = arena + starts[record]
        listwash_prefetch(base)
        listwash_prefetch(base + 64)
        listwash_prefetch(base + 128)
    }

    /// Starts loading where `record` starts (see ``prefetch(_:)``, which reads it).
    @inline(__always)
    func prefetchStart(_ record: Int) {
        listwash_prefetch(starts.baseAddress.map { UnsafeRawPointer($0 + record) })
    }

    /// Whether comparison `k` has related-name lists.
    @inline(__always)
    func hasNameList(_ k: Int) -> Bool { nameListSlots[k] >= 0 }

    /// Comparison `k`'s related-name list for `record` (see ``hasNameList(_:)``).
    @inline(__always)
    func nameList(_ k: Int, _ record: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: value(nameListSlots[k], record).dropFirst(8))
    }

    /// The summary of comparison `k`'s related-name list for `record`
    /// (``Metrics/tokenSignature(_:)``): lists whose summaries share no bit share no name.
    @inline(__always)
    func nameSignature(_ k: Int, _ record: Int) -> UInt64 {
        UnsafeRawBufferPointer(value(nameListSlots[k], record)).loadUnaligned(as: UInt64.self)
    }
}
