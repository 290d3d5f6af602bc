/// The examples of an epoch of implicit feedback: every interaction as a positive (target 1), each followed by
/// `negativesPerPositive` items its user has not interacted with (target 0). A negative is an item drawn uniformly
/// (multiply-shift of the seeded generator's 32-bit outputs), drawn again while the user has interacted with it; a user
/// who has interacted with every item gets none.
struct NegativeSampler: Sendable {
    let positives: [Rating]
    let negativesPerPositive: Int
    let items: Int
    /// owned[u · words + i / 64] has bit i % 64 set when user u interacted with item i.
    let owned: [UInt64]
    let words: Int
    let full: [Bool]

    init(_ interactions: Ratings, negativesPerPositive: Int) {
        positives = interactions.entries
        self.negativesPerPositive = negativesPerPositive
        items = interactions.itemCount
        words = (items + 63) / 64
        var owned = [UInt64](repeating: 0, count: interactions.userCount * words)
        for r in interactions.entries { owned[r.user * words + r.item / 64] |= 1 << UInt64(r.item % 64) }
        self.owned = owned
        full = (0..<interactions.userCount).map { interactions.ratings(ofUser: $0).count >= interactions.itemCount }
    }

    func sample(_ rng: inout RandomState, into examples: inout [PairExample]) {
        examples.removeAll(keepingCapacity: true)
        let catalogue = UInt64(items)
        for positive in positives {
            let u = positive.user
            examples.append(PairExample(user: u, item: positive.item, target: 1))
            guard !full[u] else { continue }
            for _ in 0..<negativesPerPositive {
                var j = Int((UInt64(rng.nextUInt32()) * catalogue) >> 32)
                while owned[u * words + j / 64] & (1 << UInt64(j % 64)) != 0 { j = Int((UInt64(rng.nextUInt32()) * catalogue) >> 32) }
                examples.append(PairExample(user: u, item: j, target: 0))
            }
        }
    }
}
