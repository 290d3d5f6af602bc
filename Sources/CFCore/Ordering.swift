/// Orderings and bounds that lessons and metrics use again and again, written once.

extension ClosedRange where Bound == Double {
    /// `value` brought into the range: a prediction on the rating scale (a raw score can lie beyond it).
    public func clamp(_ value: Double) -> Double { Swift.min(Swift.max(value, lowerBound), upperBound) }
}

/// The indices in `candidates` ordered by `key`, largest first (or smallest first with `descending: false`), ties
/// broken by the smaller index, so that the order is the same on every machine and run.
public func ranked<K: Comparable>(_ candidates: some Sequence<Int>, by key: (Int) -> K, descending: Bool = true) -> [Int] {
    let keyed: [(index: Int, key: K)] = candidates.map { ($0, key($0)) }
    let sorted = keyed.sorted { (a: (index: Int, key: K), b: (index: Int, key: K)) -> Bool in
        if a.key != b.key { return descending ? a.key > b.key : a.key < b.key }
        return a.index < b.index
    }
    return sorted.map(\.index)
}

extension Collection where Index == Int, Element: Comparable {
    /// This collection's indices ordered by their values, largest first (or smallest first), ties by the smaller index.
    public func indicesRanked(descending: Bool = true) -> [Int] {
        ranked(indices, by: { self[$0] }, descending: descending)
    }
}
