/// Baseline predictors: a global mean, and μ + b_u + b_i.
public enum Baseline {
    /// A model that predicts the mean of all ratings for every user and item.
    public static func globalMean(_ ratings: Ratings, ratingScale: ClosedRange<Double>? = nil) -> FactorModel {
        FactorModel(userFactors: Matrix(rows: ratings.userCount, columns: 0), itemFactors: Matrix(rows: ratings.itemCount, columns: 0),
                    globalMean: ratings.mean, ratingScale: ratingScale)
    }

    /// A model that predicts each item's mean rating (the global mean for items with no ratings).
    public static func itemMean(_ ratings: Ratings, ratingScale: ClosedRange<Double>? = nil) -> FactorModel {
        let mean = ratings.mean
        return FactorModel(userFactors: Matrix(rows: ratings.userCount, columns: 0), itemFactors: Matrix(rows: ratings.itemCount, columns: 0),
                           itemBias: ratings.itemMeans(fallback: mean).map { $0 - mean }, globalMean: mean, ratingScale: ratingScale)
    }

    /// μ + b_u + b_i fitted by alternating regularized least squares:
    ///
    ///     b_i = Σ_u (r_ui − μ − b_u) / (λ_item + n_i)      b_u = Σ_i (r_ui − μ − b_i) / (λ_user + n_u)
    ///
    /// An item with few ratings gets a bias shrunk toward 0, so its prediction stays near the global mean:
    /// one enthusiastic rating does not make a movie great. Defaults are those of Surprise's BaselineOnly.
    public static func biases(_ ratings: Ratings, userLambda: Double = 15, itemLambda: Double = 10, iterations: Int = 10,
                              ratingScale: ClosedRange<Double>? = nil) -> FactorModel {
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
        return FactorModel(userFactors: Matrix(rows: ratings.userCount, columns: 0), itemFactors: Matrix(rows: ratings.itemCount, columns: 0),
                           userBias: userBias, itemBias: itemBias, globalMean: mean, ratingScale: ratingScale)
    }
}

extension FactorModel {
    /// Places a new user among the fixed items without retraining: the ridge regression of the user's ratings,
    /// less μ and the items' biases, on the items' factors and a bias column, with penalty λ (times the number
    /// of ratings when `weighted`, as in weighted-λ ALS).
    ///
    /// With implicit item factors (SVD++), the user's vector is p + |N|^-½ Σ y_j over the rated items N: the
    /// regression solves for p with that sum held fixed, and the returned factors include it.
    ///
    /// - Throws: `LeastSquaresError.rankDeficient` when λ = 0 and the ratings cannot determine the factors.
    public func foldIn(_ ratings: [(item: Int, value: Double)], lambda: Double, weighted: Bool = false)
    throws -> (factors: [Double], bias: Double) {
        let k = factorCount
        var implicitSum = [Double](repeating: 0, count: k)
        if let y = implicitItemFactors, !ratings.isEmpty {
            let normalizer = 1 / Double(ratings.count).squareRoot()
            for r in ratings { for f in 0..<k { implicitSum[f] += normalizer * y[r.item, f] } }
        }
        let design = Matrix(rows: ratings.count, columns: k + 1) { row, column in
            column < k ? itemFactors[ratings[row].item, column] : 1
        }
        let targets = ratings.map { r in
            r.value - globalMean - itemBias[r.item] - (0..<k).reduce(0) { $0 + itemFactors[r.item, $1] * implicitSum[$1] }
        }
        let solution = try LeastSquares.solve(design, targets, lambda: lambda * (weighted ? Double(ratings.count) : 1))
        return (zip(solution.prefix(k), implicitSum).map(+), solution[k])
    }

    /// The model with one more user, who has the given factors and bias.
    public func addingUser(factors: [Double], bias: Double) -> FactorModel {
        precondition(factors.count == factorCount, "a user needs \(factorCount) factors")
        var model = self
        model.userFactors = Matrix(rows: userCount + 1, columns: factorCount, elements: userFactors.elements + factors)
        model.userBias.append(bias)
        return model
    }

    /// The cosine of the angle between the factor vectors of two items (0 if either is all zeros).
    public func cosineSimilarity(item a: Int, _ b: Int) -> Double {
        let k = factorCount
        let x = itemFactors.elements[(a * k)..<((a + 1) * k)], y = itemFactors.elements[(b * k)..<((b + 1) * k)]
        let norms = (dot(x, x) * dot(y, y)).squareRoot()
        return norms > 0 ? dot(x, y) / norms : 0
    }

    /// The `count` items whose factors point most nearly the same way as `item`'s, most similar first,
    /// never `item` itself, and only among items for which `include` is true.
    public func similarItems(to item: Int, count: Int, include: (Int) -> Bool = { _ in true }) -> [(item: Int, similarity: Double)] {
        (0..<itemCount).filter { $0 != item && include($0) }
            .map { (item: $0, similarity: cosineSimilarity(item: item, $0)) }
            .sorted { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.item < $1.item }
            .prefix(count).map { $0 }
    }
}
