/// A latent-factor model of ratings: a vector of k tastes per user and of k traits per item.
///
/// The predicted rating is `globalMean + userBias[u] + itemBias[i] + userFactors[u] · itemFactors[i]`;
/// a model without biases keeps them at zero. When `ratingScale` is set, predictions are clipped to it,
/// so nobody is promised a 6.3 on a scale of 1 to 5.
public struct FactorModel: Sendable {
    /// One row of k tastes per user (users × k).
    public var userFactors: Matrix
    /// One row of k traits per item (items × k).
    public var itemFactors: Matrix
    /// How much each user rates above or below the global mean; zeros if the model has no biases.
    public var userBias: [Double]
    /// How much each item is rated above or below the global mean; zeros if the model has no biases.
    public var itemBias: [Double]
    /// The mean rating the biases are measured from; 0 if the model has none.
    public var globalMean: Double
    /// Predictions are clipped to this range when it is set.
    public var ratingScale: ClosedRange<Double>?
    /// SVD++'s implicit item factors y (items × k), when the model was trained with implicit feedback. Its user
    /// factors already hold p_u + |N(u)|^-½ Σ_{j ∈ N(u)} y_j; `foldIn` uses y to do the same for a new user.
    public var implicitItemFactors: Matrix?

    /// A model from its factor matrices, which must have the same number of columns k.
    public init(
        userFactors: Matrix, itemFactors: Matrix, userBias: [Double]? = nil, itemBias: [Double]? = nil,
        globalMean: Double = 0, ratingScale: ClosedRange<Double>? = nil
    ) {
        require(
            userFactors.columns == itemFactors.columns,
            "users have \(userFactors.columns) factors but items have \(itemFactors.columns)")
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.userBias = userBias ?? [Double](repeating: 0, count: userFactors.rows)
        self.itemBias = itemBias ?? [Double](repeating: 0, count: itemFactors.rows)
        require(
            self.userBias.count == userFactors.rows && self.itemBias.count == itemFactors.rows,
            "one bias per user and one per item")
        self.globalMean = globalMean
        self.ratingScale = ratingScale
    }

    /// Number of latent factors k.
    public var factorCount: Int { userFactors.columns }
    /// Number of users.
    public var userCount: Int { userFactors.rows }
    /// Number of items.
    public var itemCount: Int { itemFactors.rows }

    /// The model's raw score for `user` and `item`, before clipping to the rating scale.
    @inlinable
    public func score(user: Int, item: Int) -> Double {
        let k = userFactors.columns
        var sum = globalMean + userBias[user] + itemBias[item]
        for f in 0..<k { sum += userFactors.elements[user * k + f] * itemFactors.elements[item * k + f] }
        return sum
    }

    /// The raw score of every item for `user`, into `scores` (one per item): the numbers of `score(user:item:)`, to the
    /// bit. Eight items at a time, one per lane: each lane adds the same products in the same order as the one-item loop
    /// does, but eight chains of additions run side by side instead of one (a ranking scores the whole catalogue).
    public func scores(user: Int, into scores: inout [Double]) {
        require(scores.count == itemCount, "one score per item: \(itemCount), not \(scores.count)")
        let k = userFactors.columns, items = itemCount, start = globalMean + userBias[user]
        userFactors.elements.withUnsafeBufferPointer { users in
            itemFactors.elements.withUnsafeBufferPointer { factors in
                itemBias.withUnsafeBufferPointer { bias in
                    scores.withUnsafeMutableBufferPointer { out in
                        let x = users.baseAddress! + user * k, y = factors.baseAddress!, b = bias.baseAddress!
                        var i = 0
                        while i + 8 <= items {
                            var sum = SIMD8<Double>(repeating: start) + UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Double>.self)
                            let rows = y + i * k
                            for f in 0..<k {
                                let column = SIMD8<Double>(
                                    rows[f], rows[k + f], rows[2 * k + f], rows[3 * k + f], rows[4 * k + f], rows[5 * k + f],
                                    rows[6 * k + f], rows[7 * k + f])
                                sum += SIMD8<Double>(repeating: x[f]) * column
                            }
                            for lane in 0..<8 { out[i + lane] = sum[lane] }
                            i += 8
                        }
                        while i < items {
                            var sum = start + b[i]
                            for f in 0..<k { sum += x[f] * y[i * k + f] }
                            out[i] = sum
                            i += 1
                        }
                    }
                }
            }
        }
    }

    /// Every user's predicted rating of every item (users × items).
    public func predictedMatrix() -> Matrix {
        Matrix(rows: userCount, columns: itemCount) { predict(user: $0, item: $1) }
    }
}

extension FactorModel: RatingPredictor {}

extension FactorModel {
    /// The same model with the roles of users and items exchanged (for user-user neighbourhoods on transposed ratings).
    public var swappingUsersAndItems: FactorModel {
        var model = FactorModel(
            userFactors: itemFactors, itemFactors: userFactors, userBias: itemBias, itemBias: userBias,
            globalMean: globalMean, ratingScale: ratingScale)
        model.implicitItemFactors = nil
        return model
    }
}
