/// Baseline predictors: a global mean, and μ + b_u + b_i.
public enum Baseline {
    /// A model that predicts the mean of all ratings for every user and item.
    public static func globalMean(_ ratings: Ratings, ratingScale: ClosedRange<Double>? = nil) -> FactorModel {
        FactorModel(
            userFactors: Matrix(rows: ratings.userCount, columns: 0), itemFactors: Matrix(rows: ratings.itemCount, columns: 0),
            globalMean: ratings.mean, ratingScale: ratingScale)
    }

    /// A model that predicts each item's mean rating (the global mean for items with no ratings).
    public static func itemMean(_ ratings: Ratings, ratingScale: ClosedRange<Double>? = nil) -> FactorModel {
        let mean = ratings.mean
        return FactorModel(
            userFactors: Matrix(rows: ratings.userCount, columns: 0), itemFactors: Matrix(rows: ratings.itemCount, columns: 0),
            itemBias: ratings.itemMeans(fallback: mean).map { $0 - mean }, globalMean: mean, ratingScale: ratingScale)
    }

    /// μ + b_u + b_i fitted by alternating regularized least squares:
    ///
    ///     b_i = Σ_u (r_ui − μ − b_u) / (λ_item + n_i)      b_u = Σ_i (r_ui − μ − b_i) / (λ_user + n_u)
    ///
    /// An item with few ratings gets a bias shrunk toward 0, so its prediction stays near the global mean:
    /// one enthusiastic rating does not make a movie great. Defaults are those of Surprise's BaselineOnly.
    public static func biases(
        _ ratings: Ratings, userLambda: Double = 15, itemLambda: Double = 10, iterations: Int = 10,
        ratingScale: ClosedRange<Double>? = nil
    ) -> FactorModel {
        let mean = ratings.mean
        var userBias = [Double](repeating: 0, count: ratings.userCount), itemBias = [Double](repeating: 0, count: ratings.itemCount)
        for _ in 0..<max(iterations, 1) {
            for item in 0..<ratings.itemCount {
                let own = ratings.ratings(ofItem: item)
                itemBias[item] = own.reduce(0) { $0 + $1.value - mean - userBias[Int($1.user)] } / (itemLambda + Double(own.count))
            }
            for user in 0..<ratings.userCount {
                let own = ratings.ratings(ofUser: user)
                userBias[user] = own.reduce(0) { $0 + $1.value - mean - itemBias[Int($1.item)] } / (userLambda + Double(own.count))
            }
        }
        return FactorModel(
            userFactors: Matrix(rows: ratings.userCount, columns: 0), itemFactors: Matrix(rows: ratings.itemCount, columns: 0),
            userBias: userBias, itemBias: itemBias, globalMean: mean, ratingScale: ratingScale)
    }
}
