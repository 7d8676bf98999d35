/// A frozen copy of a ``FeatureSet`` in plain memory, for the comparison hot loop: reading a
/// value is pointer arithmetic, with no reference counting on the millions of pairs a dedupe
/// scores.
final class FeatureStore: @unchecked Sendable {
    /// One column's values: all bytes, and where each value ends.
    struct Column {
        let bytes: UnsafePointer<UInt8>
        let ends: UnsafePointer<UInt32>

        @inline(__always)
        func value(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            let start = index == 0 ? 0 : Int(ends[index - 1])
            return UnsafeBufferPointer(start: bytes + start, count: Int(ends[index]) - start)
        }
    }

    /// The model's columns, in ``FeatureSet/columnNames`` order.
    let columns: UnsafeMutableBufferPointer<Column>
    /// Per comparison: the related-names lists of a name comparison's column (else unused).
    let nameLists: UnsafeMutableBufferPointer<Column>
    /// Per comparison: whether `nameLists` holds a column for it.
    let hasNameList: UnsafeMutableBufferPointer<Bool>
    /// The number of records.
    let count: Int
    private var allocations: [UnsafeMutableRawPointer] = []

    init(_ features: FeatureSet, model: MatchModel) {
        count = features.count
        columns = .allocate(capacity: max(features.columns.count, 1))
        nameLists = .allocate(capacity: max(model.comparisons.count, 1))
        hasNameList = .allocate(capacity: max(model.comparisons.count, 1))
        for (index, column) in features.columns.enumerated() { columns[index] = column.frozen(in: self) }
        for (k, comparison) in model.comparisons.enumerated() {
            if let list = features.nameKeys[comparison.column] {
                nameLists[k] = list.frozen(in: self)
                hasNameList[k] = true
            } else {
                nameLists[k] = columns[0]
                hasNameList[k] = false
            }
        }
    }

    deinit {
        columns.deallocate()
        nameLists.deallocate()
        hasNameList.deallocate()
        for pointer in allocations { pointer.deallocate() }
    }

    func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
        allocations.append(UnsafeMutableRawPointer(buffer.baseAddress!))
        return buffer
    }
}
