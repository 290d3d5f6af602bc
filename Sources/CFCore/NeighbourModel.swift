import Dispatch
import Foundation

/// Item-based k-nearest-neighbour prediction on top of a baseline (Koren's "KNNBaseline"):
///
///     r̂_ui = b_ui + Σ_{j ∈ N_k(i; u)} sim(i, j) (r_uj − b_uj) / Σ_{j ∈ N_k(i; u)} sim(i, j)
///
/// where b_ui = μ + b_u + b_i and N_k(i; u) are the k items most similar to i among those u rated, with a
/// positive similarity. With no such neighbour the prediction is the baseline.
public struct NeighbourModel: Sendable, RatingPredictor {
    /// The ratings the neighbours' ratings come from.
    public let ratings: Ratings
    /// μ + b_u + b_i.
    public let baseline: FactorModel
    /// The item-item similarities.
    public let similarities: ItemSimilarities
    /// The number of neighbours k.
    public var neighbours: Int
    /// Predictions are clipped to this range when it is set.
    public var ratingScale: ClosedRange<Double>?

    /// A model from its parts.
    public init(ratings: Ratings, baseline: FactorModel, similarities: ItemSimilarities, neighbours: Int, ratingScale: ClosedRange<Double>? = nil) {
        self.ratings = ratings
        self.baseline = baseline
        self.similarities = similarities
        self.neighbours = neighbours
        self.ratingScale = ratingScale
    }

    /// One neighbour's part in a prediction: the item, its similarity, the user's residual on it, and its share
    /// sim · residual / Σ sim of the prediction's departure from the baseline.
    public struct Contribution: Sendable, Equatable {
        public var item: Int
        public var similarity: Double
        public var residual: Double
        public var share: Double
    }

    /// The neighbours that make up the prediction for (`user`, `item`), largest share in magnitude first; their
    /// shares add up to the prediction less the baseline.
    public func contributions(user: Int, item: Int) -> [Contribution] {
        let own = ratings.ratings(ofUser: user)
        var candidates = [(item: Int, similarity: Double, residual: Double)]()
        candidates.reserveCapacity(own.count)
        // The user's items and the item's row, both in increasing item order: walked together when they are of similar
        // length, else each of the user's few items looked up in the long row.
        let row = similarities.rowStarts[item]..<similarities.rowStarts[item + 1]
        if own.count * 8 < row.count {
            for r in own where r.item != item {
                let j = r.item, sim = similarities(item, j)
                if sim > 0 { candidates.append((j, sim, r.value - baseline.score(user: user, item: j))) }
            }
        } else {
            var p = row.lowerBound
            for r in own where r.item != item {
                let target = Int32(truncatingIfNeeded: r.item)
                while p < row.upperBound && similarities.neighbourItems[p] < target { p += 1 }
                if p == row.upperBound { break }
                guard similarities.neighbourItems[p] == target else { continue }
                let j = r.item, sim = Double(similarities.values[p])
                if sim > 0 { candidates.append((j, sim, r.value - baseline.score(user: user, item: j))) }
            }
        }
        // The k most similar, ties by item index, so that the choice never depends on the order of the ratings.
        candidates.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.item < $1.item }
        let chosen = candidates.prefix(neighbours)
        let total = chosen.reduce(0) { $0 + $1.similarity }
        guard total > 0 else { return [] }
        return chosen.map { Contribution(item: $0.item, similarity: $0.similarity, residual: $0.residual, share: $0.similarity * $0.residual / total) }
            .sorted { abs($0.share) != abs($1.share) ? abs($0.share) > abs($1.share) : $0.item < $1.item }
    }

    /// The raw prediction for (`user`, `item`), before clipping.
    public func score(user: Int, item: Int) -> Double {
        baseline.score(user: user, item: item) + contributions(user: user, item: item).reduce(0) { $0 + $1.share }
    }

    /// The number of items the model can score.
    public var itemCount: Int { ratings.itemCount }
}
