/// The long tail of a catalogue: how unevenly interactions fall on items, and how deep into the tail a recommender's
/// lists reach.

public struct LongTail: Sendable {
    /// Each item's number of interactions.
    public let counts: [Int]
    /// The items from the most interacted with to the least, ties by the smaller index.
    public let order: [Int]
    /// Each item's place in `order`: 1 for the most interacted-with item.
    public let rank: [Int]

    /// The tail of items whose interactions are `counts`.
    public init(counts: [Int]) {
        self.counts = counts
        order = counts.indicesRanked()
        var rank = [Int](repeating: 0, count: counts.count)
        for (position, item) in order.enumerated() { rank[item] = position + 1 }
        self.rank = rank
    }

    /// How many items make the most popular tenth (at least one): the cut-off `RankingMetrics.popularityBias` uses.
    public var topTenthCount: Int { Swift.max(1, counts.count / 10) }

    /// The share of all interactions that fall on the `n` most interacted-with items (0 when there are none).
    public func share(ofMostPopular n: Int) -> Double {
        let total = counts.reduce(0, +)
        guard total > 0 else { return 0 }
        return Double(order.prefix(n).reduce(0) { $0 + counts[$1] }) / Double(total)
    }

    /// The share of all interactions that fall on the most popular tenth of the items.
    public var topTenthShare: Double { share(ofMostPopular: topTenthCount) }

    /// For every n from 1 to the number of items (index n − 1), the share of the slots in the lists' first `k` places
    /// that hold one of the n most interacted-with items: a curve that rises fast for lists made of popular items.
    /// All zeros when the lists are empty.
    public func slotShares(of lists: [[Int]], k: Int) -> [Double] {
        var slots = [Int](repeating: 0, count: counts.count + 1), total = 0
        for list in lists {
            for item in list.prefix(k) { slots[rank[item]] += 1; total += 1 }
        }
        var running = 0
        return counts.indices.map { index in
            running += slots[index + 1]  // the items at place index + 1
            return Double(running) / Double(Swift.max(total, 1))
        }
    }
}
