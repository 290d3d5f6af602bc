import Dispatch
import Foundation

/// Anything that predicts ratings: factor models, neighbourhood models, Bayesian MF's averaged samples.
///
/// A predictor gives a raw `score` for a user and an item and may carry a rating scale. Everything else is written
/// once, here, for all of them: the prediction clipped to the scale, top-N lists with the items a user has seen left
/// out and the course's trust rule applied, and the error measures (RMSE, MAE) over observed ratings.
public protocol RatingPredictor: Sendable {
    /// The raw score for `user` and `item`, before clipping: what lists are ranked by.
    func score(user: Int, item: Int) -> Double
    /// Predictions are clipped to this range when it is set (nobody is promised a 6.3 on a scale of 1 to 5).
    var ratingScale: ClosedRange<Double>? { get set }
    /// The number of items the predictor can score.
    var itemCount: Int { get }
}

extension RatingPredictor {
    /// The predicted rating of `item` by `user`: the score, clipped to `ratingScale` when it is set.
    @inlinable
    public func predict(user: Int, item: Int) -> Double {
        let s = score(user: user, item: item)
        guard let scale = ratingScale else { return s }
        return scale.clamp(s)
    }

    /// The `count` items with the highest scores for `user`, best first, leaving out the items the user has already
    /// rated in `rated` and, if given, items with fewer than `minimumRatings` ratings there (the trust rule: one
    /// enthusiastic rating cannot put an obscure item on top). Ties go to the smaller item index.
    public func recommendations(for user: Int, count: Int, excluding rated: Ratings, minimumRatings: Int = 0) -> [Recommendation] {
        var seen = [Bool](repeating: false, count: itemCount)
        if user < rated.userCount { for r in rated.ratings(ofUser: user) where r.item < itemCount { seen[r.item] = true } }
        let candidates = (0..<itemCount).filter { item in
            !seen[item] && (minimumRatings == 0 || (item < rated.itemCount && rated.ratings(ofItem: item).count >= minimumRatings))
        }
        // Rank on the raw score, so two items clipped to the top of the scale still come in order.
        let ranked = candidates.map { (item: $0, score: score(user: user, item: $0)) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.item < $1.item }
        return ranked.prefix(count).map { Recommendation(item: $0.item, predictedRating: predict(user: user, item: $0.item), score: $0.score) }
    }

    /// The squared error of the prediction on every observed rating, in the order of `ratings.entries` (for paired
    /// comparisons, `Comparison.paired`). Computed on every core; each value is the same on any number of them.
    public func squaredErrors(on ratings: Ratings) -> [Double] {
        errors(on: ratings) { $0 * $0 }
    }

    /// Mean squared error of the predictions over the observed ratings (NaN when there are none).
    public func mse(on ratings: Ratings) -> Double {
        squaredErrors(on: ratings).reduce(0, +) / Double(ratings.count)
    }

    /// Root mean squared error of the predictions over the observed ratings, in rating units.
    public func rmse(on ratings: Ratings) -> Double {
        mse(on: ratings).squareRoot()
    }

    /// Mean absolute error of the predictions over the observed ratings, in rating units.
    public func mae(on ratings: Ratings) -> Double {
        errors(on: ratings) { abs($0) }.reduce(0, +) / Double(ratings.count)
    }

    /// `measure(prediction − rating)` for every observed rating, in the order of `ratings.entries`, computed in fixed
    /// chunks on every core when there are many (added up in order by the callers, so the sums never depend on the
    /// number of cores).
    private func errors(on ratings: Ratings, _ measure: @escaping @Sendable (Double) -> Double) -> [Double] {
        let entries = ratings.entries, count = entries.count
        var result = [Double](repeating: 0, count: count)
        let chunks = count > 20_000 ? 64 : 1
        result.withUnsafeMutableBufferPointer { out in
            let slots = SharedSlots(out), predictor = self
            let work: @Sendable (Int) -> Void = { chunk in
                for index in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) {
                    let r = entries[index]
                    slots.base[index] = measure(predictor.predict(user: r.user, item: r.item) - r.value)
                }
            }
            if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
        }
        return result
    }
}
