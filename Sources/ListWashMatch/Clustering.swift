/// Groups matched pairs into clusters (connected components) that stay coherent: two clusters
/// join only when no pair across them contradicts it (see ``join(_:_:coherent:)``), so a chain
/// A-B, B-C never puts A with C when A and C are evidently two people.
struct Clustering {
    private(set) var parent: [Int32]
    private var size: [Int32]
    /// Each record's next record in its cluster (a ring).
    private var next: [Int32]
    /// The most records of each cluster compared across a join (the first ones of large ones).
    static let sample = 8

    init(count: Int) {
        parent = (0..<count).map { Int32($0) }
        size = [Int32](repeating: 1, count: count)
        next = parent
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

    /// Up to ``sample`` records of the cluster of `root`, starting with it.
    func members(_ root: Int) -> [Int] {
        var found = [root]
        var node = Int(next[root])
        while node != root, found.count < Self.sample {
            found.append(node)
            node = Int(next[node])
        }
        return found
    }

    /// Joins the clusters of `a` and `b` (a matched pair) unless some other pair across them,
    /// `x` of one and `y` of the other, is not `coherent(x, y)` (up to ``sample`` records of
    /// each cluster are compared). Returns whether they are now one cluster.
    mutating func join(_ a: Int, _ b: Int, coherent: (Int, Int) -> Bool) -> Bool {
        let rootA = root(a), rootB = root(b)
        if rootA == rootB { return true }
        if size[rootA] > 1 || size[rootB] > 1 {
            let left = members(rootA), right = members(rootB)
            for x in left {
                for y in right where !(x == a && y == b) && !(x == b && y == a) {
                    if !coherent(x, y) { return false }
                }
            }
        }
        let (low, high) = rootA < rootB ? (rootA, rootB) : (rootB, rootA)
        parent[high] = Int32(low)
        size[low] += size[high]
        // Splice the two rings into one.
        let afterLow = next[low]
        next[low] = next[high]
        next[high] = afterLow
        return true
    }

    /// The number of records in the cluster of `root`.
    func count(_ root: Int) -> Int { Int(size[root]) }
}
