import Foundation

/// Ways of scoring every item for a user, best first after sorting: what a ranking evaluation compares.
public enum Rankers {
    /// Scores every item by its number of interactions in `training`: the same list for everyone.
    public static func popularity(_ training: Ratings) -> @Sendable (Int, inout [Double]) -> Void {
        let counts = training.itemCounts.map(Double.init)
        return { _, scores in for i in scores.indices { scores[i] = counts[i] } }
    }

    /// Scores every item by a uniform draw from a generator seeded by `seed` and the user: the same list for a user in
    /// every run.
    public static func random(seed: UInt32) -> @Sendable (Int, inout [Double]) -> Void {
        { user, scores in
            var rng = RandomState(seed: seed &+ UInt32(truncatingIfNeeded: user) &* 2_654_435_761)
            for i in scores.indices { scores[i] = rng.rand() }
        }
    }

    /// Scores from a factor model: x_u · y_i + b_i (+ b_u + μ, which do not change a user's order).
    public static func factors(_ model: FactorModel) -> @Sendable (Int, inout [Double]) -> Void {
        { user, scores in model.scores(user: user, into: &scores) }
    }

    /// Item-based top-N (Deshpande & Karypis, 2004): an item's score for a user is the sum of its similarities to
    /// the items the user interacted with, where each of those items keeps only its `neighbours` most similar items.
    /// `similarities` compares items (for interactions, `ItemSimilarities(_, kind: .cosine)` on 0/1 values).
    public static func itemNeighbours(_ training: Ratings, similarities: ItemSimilarities, neighbours: Int) -> @Sendable (Int, inout [Double]) -> Void {
        let lists = (0..<training.itemCount).map { similarities.mostSimilar(to: $0, count: neighbours) }
        return { user, scores in
            for i in scores.indices { scores[i] = 0 }
            for r in training.ratings(ofUser: user) {
                for n in lists[r.item] where n.similarity > 0 { scores[n.item] += n.similarity }
            }
        }
    }
}
