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
        throws -> (factors: [Double], bias: Double)
    {
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
        require(factors.count == factorCount, "a user needs \(factorCount) factors")
        var model = self
        model.userFactors = Matrix(rows: userCount + 1, columns: factorCount, elements: userFactors.elements + factors)
        model.userBias.append(bias)
        return model
    }
}

extension FactorModel {
    /// Why a folded-in user gets the score they get for `item`: the score of a user folded in from `ratings` (the
    /// ridge regression of `foldIn`, without implicit factors) is linear in the targets t_j = r_j − μ − b_j, so it is
    /// μ + b_i plus one share per rated item,
    ///
    ///     share_j = (a_iᵀ A⁻¹ a_j) t_j,   a = (q, 1),   A = Σ_j a_j a_jᵀ + λ' I   (λ' = λ, or λ n when weighted)
    ///
    /// Returns the shares, largest in magnitude first; they add up to the folded-in score less μ + b_i.
    ///
    /// - Throws: `LeastSquaresError.rankDeficient` when λ = 0 and the ratings cannot determine the factors.
    public func foldInShares(_ ratings: [(item: Int, value: Double)], item: Int, lambda: Double, weighted: Bool = false)
        throws -> [(item: Int, share: Double)]
    {
        let k = factorCount, n = k + 1
        func row(_ j: Int) -> [Double] { itemFactors.row(j) + [1] }
        var gram = Matrix(rows: n, columns: n)
        for r in ratings {
            let a = row(r.item)
            for x in 0..<n { for y in 0..<n { gram[x, y] += a[x] * a[y] } }
        }
        let ridge = lambda * (weighted ? Double(ratings.count) : 1)
        for d in 0..<n { gram[d, d] += ridge }
        let v = try solveSymmetric(gram, row(item))  // A⁻¹ a_i, since A is symmetric
        return ratings.map { r in
            let a = row(r.item)
            let weight = (0..<n).reduce(0) { $0 + v[$1] * a[$1] }
            return (r.item, weight * (r.value - globalMean - itemBias[r.item]))
        }.sorted { abs($0.share) != abs($1.share) ? abs($0.share) > abs($1.share) : $0.item < $1.item }
    }
}
