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
}
