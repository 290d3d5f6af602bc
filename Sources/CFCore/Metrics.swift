/// The mean of `values` (NaN when there are none): a score averaged over folds, users or samples.
public func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }

/// Error measures of predictions against observed ratings.
///
/// Each takes a `predict` function so that any model (a factor model, a baseline that predicts a
/// movie's mean, a lesson's hand-made guess) is measured the same way, over observed entries only.
public enum Metrics {
    /// The sum over observed ratings of (prediction − rating)².
    public static func sumOfSquaredErrors(_ ratings: Ratings, predict: (Int, Int) -> Double) -> Double {
        var sum = 0.0
        for r in ratings.entries {
            let e = predict(r.user, r.item) - r.value
            sum += e * e
        }
        return sum
    }

    /// The sum over observed ratings of (score − rating)², with the model's raw scores (not clipped to a scale):
    /// what ALS minimizes and what the cost J of lesson 5 halves.
    public static func sumOfSquaredErrors(_ model: FactorModel, on ratings: Ratings) -> Double {
        sumOfSquaredErrors(ratings) { model.score(user: $0, item: $1) }
    }

    /// The squared error of `predict(user, item)` on every observed rating, in the order of `ratings.entries`: what
    /// two models are compared on, rating by rating (`Comparison.paired`).
    public static func squaredErrors(_ ratings: Ratings, predict: (Int, Int) -> Double) -> [Double] {
        ratings.entries.map { r in
            let e = predict(r.user, r.item) - r.value
            return e * e
        }
    }

    /// Mean squared error over the observed ratings.
    public static func mse(_ ratings: Ratings, predict: (Int, Int) -> Double) -> Double {
        sumOfSquaredErrors(ratings, predict: predict) / Double(ratings.count)
    }

    /// Root mean squared error over the observed ratings, in rating units.
    public static func rmse(_ ratings: Ratings, predict: (Int, Int) -> Double) -> Double {
        mse(ratings, predict: predict).squareRoot()
    }

    /// Root mean squared error of `predictions` against `truth`, position by position (NaN when both are empty).
    public static func rmse(_ predictions: [Double], _ truth: [Double]) -> Double {
        require(predictions.count == truth.count, "\(predictions.count) predictions for \(truth.count) ratings")
        var sum = 0.0
        for (p, t) in zip(predictions, truth) { sum += (p - t) * (p - t) }
        return (sum / Double(truth.count)).squareRoot()
    }

    /// Mean absolute error over the observed ratings, in rating units.
    public static func mae(_ ratings: Ratings, predict: (Int, Int) -> Double) -> Double {
        var sum = 0.0
        for r in ratings.entries { sum += abs(predict(r.user, r.item) - r.value) }
        return sum / Double(ratings.count)
    }

}
