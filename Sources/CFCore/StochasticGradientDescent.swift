/// Why training stopped with an error.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss became NaN or infinite at `step` (an epoch or an iteration, as `stepName` says).
    case diverged(method: String, stepName: String, step: Int, learningRate: Double)

    public var description: String {
        switch self {
        case let .diverged(method, stepName, step, rate):
            return "\(method) diverged at \(stepName) \(step): the loss became NaN or infinite with learning rate \(rate); "
                + "try a smaller learning rate (e.g. \(rate / 10))"
        }
    }
}

/// Matrix factorization by stochastic gradient descent, one rating at a time (Simon Funk's method).
///
/// For each observed rating r of user u and item i, with error e = r − prediction:
///
///     b_u += lr (e − reg b_u)             b_i += lr (e − reg b_i)          (only with biases)
///     p_u += lr (e q_i − reg p_u)         then  q_i += lr (e p_u − reg q_i), using the new p_u
///
/// Ratings are visited in the order of `Ratings.entries` (row by row) or shuffled every epoch.
/// The factors live in two contiguous arrays and the loop allocates nothing per rating.
public enum StochasticGradientDescent {
    /// The order in which ratings are visited in each epoch.
    public enum Order: Sendable, Equatable {
        /// Row-major order of the ratings matrix, the same every epoch.
        case fixed
        /// A fresh numpy-compatible shuffle every epoch, from this seed.
        case shuffled(seed: UInt32)
    }

    /// Settings of an SGD run.
    public struct Configuration: Sendable {
        /// Number of latent factors k.
        public var factors: Int
        /// The step size.
        public var learningRate: Double
        /// The L2 penalty on factors (and biases).
        public var regularization: Double
        /// Passes over the ratings.
        public var epochs: Int
        /// Whether to learn a user bias and an item bias around the global mean.
        public var biases: Bool
        /// The visiting order.
        public var order: Order

        /// SGD settings.
        public init(factors: Int, learningRate: Double, regularization: Double, epochs: Int,
                    biases: Bool = false, order: Order = .fixed) {
            self.factors = factors
            self.learningRate = learningRate
            self.regularization = regularization
            self.epochs = epochs
            self.biases = biases
            self.order = order
        }
    }

    /// What `train` reports after each epoch.
    public struct EpochReport {
        /// The epoch just finished, from 1.
        public var epoch: Int
        /// Mean squared error over the training ratings, with the factors at the end of the epoch.
        public var trainingMSE: Double
        /// The model at the end of the epoch.
        public var model: FactorModel
    }

    /// The outcome of `train`.
    public struct Result: Sendable {
        /// The learned model.
        public var model: FactorModel
        /// The training MSE after every epoch, in order.
        public var trainingMSE: [Double]
    }

    /// Trains from the given initial factors.
    ///
    /// - Parameter onEpoch: called after every epoch; return `false` to stop early (for early stopping).
    /// - Throws: `TrainingError.diverged` when the loss becomes NaN or infinite.
    public static func train(_ ratings: Ratings, _ configuration: Configuration,
                             initialUserFactors: Matrix, initialItemFactors: Matrix,
                             onEpoch: (EpochReport) throws -> Bool = { _ in true }) throws -> Result {
        let k = configuration.factors
        precondition(initialUserFactors.rows == ratings.userCount && initialUserFactors.columns == k
                     && initialItemFactors.rows == ratings.itemCount && initialItemFactors.columns == k,
                     "initial factors must be \(ratings.userCount)×\(k) and \(ratings.itemCount)×\(k)")
        var p = initialUserFactors.elements, q = initialItemFactors.elements
        var bu = [Double](repeating: 0, count: ratings.userCount), bi = [Double](repeating: 0, count: ratings.itemCount)
        let mean = configuration.biases ? ratings.mean : 0
        let lr = configuration.learningRate, reg = configuration.regularization
        var order = ratings.entries
        var rng: RandomState? = nil
        if case let .shuffled(seed) = configuration.order { rng = RandomState(seed: seed) }
        var history = [Double]()
        for epoch in 1...max(configuration.epochs, 1) where configuration.epochs > 0 {
            if rng != nil { rng!.shuffle(&order) }
            p.withUnsafeMutableBufferPointer { p in
                q.withUnsafeMutableBufferPointer { q in
                    bu.withUnsafeMutableBufferPointer { bu in
                        bi.withUnsafeMutableBufferPointer { bi in
                            order.withUnsafeBufferPointer { ratings in
                                for r in ratings {
                                    let u = Int(r.user), i = Int(r.item)
                                    let pu = p.baseAddress! + u * k, qi = q.baseAddress! + i * k
                                    var prediction = mean + bu[u] + bi[i]
                                    for f in 0..<k { prediction += pu[f] * qi[f] }
                                    let e = r.value - prediction
                                    if configuration.biases {
                                        bu[u] += lr * (e - reg * bu[u])
                                        bi[i] += lr * (e - reg * bi[i])
                                    }
                                    for f in 0..<k { pu[f] += lr * (e * qi[f] - reg * pu[f]) }
                                    for f in 0..<k { qi[f] += lr * (e * pu[f] - reg * qi[f]) }
                                }
                            }
                        }
                    }
                }
            }
            let model = FactorModel(userFactors: Matrix(rows: ratings.userCount, columns: k, elements: p),
                                    itemFactors: Matrix(rows: ratings.itemCount, columns: k, elements: q),
                                    userBias: bu, itemBias: bi, globalMean: mean)
            let mse = Metrics.mse(ratings) { model.score(user: $0, item: $1) }
            guard mse.isFinite else { throw TrainingError.diverged(method: "SGD", stepName: "epoch", step: epoch, learningRate: lr) }
            history.append(mse)
            if try !onEpoch(EpochReport(epoch: epoch, trainingMSE: mse, model: model)) { break }
        }
        let model = FactorModel(userFactors: Matrix(rows: ratings.userCount, columns: k, elements: p),
                                itemFactors: Matrix(rows: ratings.itemCount, columns: k, elements: q),
                                userBias: bu, itemBias: bi, globalMean: mean)
        return Result(model: model, trainingMSE: history)
    }
}
