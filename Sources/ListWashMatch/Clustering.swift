/// Groups matched pairs into clusters (connected components), guarding against chaining two
/// different people through one ambiguous record: two clusters of more than one record join
/// only when their first records also match at least as a possible match.
struct Clustering {
    private(set) var parent: [Int32]
    private var size: [Int32]

    init(count: Int) {
        parent = (0..<count).map { Int32($0) }
        size = [Int32](repeating: 1, count: count)
    }

    /// The cluster's root (its lowest record index).
    mutating func root(_ record: Int) -> Int {
        var node = record
        while parent[node] != Int32(node) {
            parent[node] = parent[Int(parent[node])]
            node = Int(parent[node])
        }
        return node
    }

    /// Joins the clusters of `a` and `b` if `allowed(rootA, rootB)` says so when both hold more
    /// than one record. Returns whether they are now one cluster.
    mutating func join(_ a: Int, _ b: Int, allowed: (Int, Int) -> Bool) -> Bool {
        let rootA = root(a), rootB = root(b)
        if rootA == rootB { return true }
        if size[rootA] > 1, size[rootB] > 1, !allowed(rootA, rootB) { return false }
        let (low, high) = rootA < rootB ? (rootA, rootB) : (rootB, rootA)
        parent[high] = Int32(low)
        size[low] += size[high]
        return true
    }
}
