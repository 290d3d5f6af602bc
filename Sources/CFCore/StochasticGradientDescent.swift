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
/// Ratings are visited in the order of `Ratings.entries` (row by row) or shuffled every epoch. The factors
/// live in two contiguous arrays, the loop allocates nothing per rating, and it works on 8 factors at a time
/// with SIMD vectors. In `.double` precision a numpy port of the formulas above gives the same numbers to
/// about 12 digits (the dot product is summed 8 lanes at a time and the factor step is computed as
/// p (1 − lr reg) + (lr e) q, both equal up to rounding); `.single`
/// keeps the factors in 32-bit floats during training, about twice as fast and plenty for ratings.
public enum StochasticGradientDescent {
    /// The order in which ratings are visited in each epoch.
    public enum Order: Sendable, Equatable {
        /// Row-major order of the ratings matrix, the same every epoch.
        case fixed
        /// A fresh numpy-compatible shuffle every epoch, from this seed.
        case shuffled(seed: UInt32)
    }

    /// The floating-point type the factors are trained in.
    public enum Precision: Sendable, Equatable {
        /// 64-bit: reproduces numpy's numbers.
        case double
        /// 32-bit: faster, for large data.
        case single
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
        /// The floating-point type of training.
        public var precision: Precision
        /// The L2 penalty on the biases, if different from `regularization`.
        public var biasRegularization: Double?
        /// Whether to measure the exact training MSE after every epoch (one more pass over the ratings). When
        /// false, the history holds the running MSE: the mean of the squared errors met during the epoch.
        public var exactLoss: Bool

        /// SGD settings.
        public init(factors: Int, learningRate: Double, regularization: Double, epochs: Int,
                    biases: Bool = false, order: Order = .fixed, precision: Precision = .double, exactLoss: Bool = true,
                    biasRegularization: Double? = nil) {
            self.biasRegularization = biasRegularization
            self.factors = factors
            self.learningRate = learningRate
            self.regularization = regularization
            self.epochs = epochs
            self.biases = biases
            self.order = order
            self.precision = precision
            self.exactLoss = exactLoss
        }
    }

    /// What `train` reports after each epoch.
    public struct EpochReport {
        /// The epoch just finished, from 1.
        public var epoch: Int
        /// Mean squared error over the training ratings (exact or running, as configured).
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
    /// - Parameter onEpoch: called after every epoch with the model so far; return `false` to stop early
    ///   (for early stopping). Without it no model is assembled between epochs.
    /// - Throws: `TrainingError.diverged` when the loss becomes NaN or infinite.
    public static func train(_ ratings: Ratings, _ configuration: Configuration,
                             initialUserFactors: Matrix, initialItemFactors: Matrix,
                             onEpoch: ((EpochReport) throws -> Bool)? = nil) throws -> Result {
        let k = configuration.factors
        precondition(initialUserFactors.rows == ratings.userCount && initialUserFactors.columns == k
                     && initialItemFactors.rows == ratings.itemCount && initialItemFactors.columns == k,
                     "initial factors must be \(ratings.userCount)×\(k) and \(ratings.itemCount)×\(k)")
        switch configuration.precision {
        case .double:
            return try run(Double.self, ratings, configuration, initialUserFactors, initialItemFactors, onEpoch)
        case .single:
            return try run(Float.self, ratings, configuration, initialUserFactors, initialItemFactors, onEpoch)
        }
    }

    private static func run<S: BinaryFloatingPoint & SIMDScalar>(
        _: S.Type, _ ratings: Ratings, _ configuration: Configuration, _ initialUsers: Matrix, _ initialItems: Matrix,
        _ onEpoch: ((EpochReport) throws -> Bool)?) throws -> Result {
        let k = configuration.factors
        // Rows are padded with zeros to a multiple of the SIMD width, so the loops need no scalar tail; the
        // padding stays exactly zero (0 · decay + step · 0).
        let stride = (k + 7) / 8 * 8
        func padded(_ m: Matrix) -> [S] {
            var out = [S](repeating: 0, count: m.rows * stride)
            for row in 0..<m.rows { for f in 0..<k { out[row * stride + f] = S(m.elements[row * k + f]) } }
            return out
        }
        func unpadded(_ a: [S], rows: Int) -> Matrix {
            Matrix(rows: rows, columns: k) { row, f in Double(a[row * stride + f]) }
        }
        var p = padded(initialUsers), q = padded(initialItems)
        var bu = [S](repeating: 0, count: ratings.userCount), bi = [S](repeating: 0, count: ratings.itemCount)
        let mean = configuration.biases ? ratings.mean : 0
        var order = ratings.entries
        var rng: RandomState? = nil
        if case let .shuffled(seed) = configuration.order { rng = RandomState(seed: seed) }
        var history = [Double]()
        func model() -> FactorModel {
            FactorModel(userFactors: unpadded(p, rows: ratings.userCount), itemFactors: unpadded(q, rows: ratings.itemCount),
                        userBias: bu.map { Double($0) }, itemBias: bi.map { Double($0) }, globalMean: mean)
        }
        for epoch in 1...max(configuration.epochs, 1) where configuration.epochs > 0 {
            if rng != nil { rng!.shuffle(&order) }
            let running = p.withUnsafeMutableBufferPointer { p in
                q.withUnsafeMutableBufferPointer { q in
                    bu.withUnsafeMutableBufferPointer { bu in
                        bi.withUnsafeMutableBufferPointer { bi in
                            order.withUnsafeBufferPointer { order in
                                sweep(order, p.baseAddress!, q.baseAddress!, bu.baseAddress!, bi.baseAddress!, stride: stride, mean: S(mean),
                                      lr: S(configuration.learningRate), reg: S(configuration.regularization),
                                      biasReg: S(configuration.biasRegularization ?? configuration.regularization), biases: configuration.biases)
                            }
                        }
                    }
                }
            } / Double(ratings.count)
            let current = configuration.exactLoss || onEpoch != nil ? model() : nil
            let mse = configuration.exactLoss ? Metrics.mse(ratings) { current!.score(user: $0, item: $1) } : running
            guard mse.isFinite, running.isFinite else {
                throw TrainingError.diverged(method: "SGD", stepName: "epoch", step: epoch, learningRate: configuration.learningRate)
            }
            history.append(mse)
            if let onEpoch, try !onEpoch(EpochReport(epoch: epoch, trainingMSE: mse, model: current!)) { break }
        }
        return Result(model: model(), trainingMSE: history)
    }

    /// One pass over `order`, updating factors and biases in place; returns the sum of squared errors met.
    /// Factor rows are `stride` long, a multiple of 8.
    @inline(__always)
    private static func sweep<S: BinaryFloatingPoint & SIMDScalar>(
        _ order: UnsafeBufferPointer<Rating>, _ p: UnsafeMutablePointer<S>, _ q: UnsafeMutablePointer<S>,
        _ bu: UnsafeMutablePointer<S>, _ bi: UnsafeMutablePointer<S>, stride: Int, mean: S, lr: S, reg: S, biasReg: S, biases: Bool) -> Double {
        typealias V = SIMD8<S>
        let decay = 1 - lr * reg, decayV = V(repeating: decay)
        var squaredErrors = 0.0
        for r in order {
            let u = Int(r.user), i = Int(r.item)
            let pu = p + u * stride, qi = q + i * stride
            var acc = V()
            for f in Swift.stride(from: 0, to: stride, by: 8) { acc += load(pu + f) * load(qi + f) }
            let prediction = mean + bu[u] + bi[i] + acc.sum()
            let e = S(r.value) - prediction
            squaredErrors += Double(e * e)
            if biases {
                bu[u] += lr * (e - biasReg * bu[u])
                bi[i] += lr * (e - biasReg * bi[i])
            }
            // p + lr (e q − reg p), written as p (1 − lr reg) + (lr e) q: the same step in 3 operations instead of 5.
            let stepV = V(repeating: lr * e)
            for f in Swift.stride(from: 0, to: stride, by: 8) {
                let oldP = load(pu + f), oldQ = load(qi + f)
                let newP = oldP * decayV + stepV * oldQ
                store(newP, pu + f)
                store(oldQ * decayV + stepV * newP, qi + f)
            }
        }
        return squaredErrors
    }

    @inline(__always)
    private static func load<S: SIMDScalar>(_ pointer: UnsafeMutablePointer<S>) -> SIMD8<S> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<S>.self)
    }

    @inline(__always)
    private static func store<S: SIMDScalar>(_ value: SIMD8<S>, _ pointer: UnsafeMutablePointer<S>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<S>.self)
    }
}

extension StochasticGradientDescent {
    /// A run stopped early on validation error.
    public struct EarlyStopped: Sendable {
        /// The model at the epoch with the lowest validation RMSE.
        public var model: FactorModel
        /// That epoch, from 1.
        public var bestEpoch: Int
        /// Training RMSE after every epoch run.
        public var trainingRMSE: [Double]
        /// Validation RMSE after every epoch run.
        public var validationRMSE: [Double]
    }

    /// Trains for at most `configuration.epochs` epochs, measuring RMSE on `validation` (predictions clipped to
    /// `ratingScale`) after each, and stops once it has not improved for `patience` epochs. Returns the best model.
    public static func trainWithEarlyStopping(_ training: Ratings, validation: Ratings, _ configuration: Configuration,
                                              patience: Int, initialUserFactors: Matrix, initialItemFactors: Matrix,
                                              ratingScale: ClosedRange<Double>? = nil) throws -> EarlyStopped {
        var exact = configuration
        exact.exactLoss = true
        var best: (model: FactorModel, epoch: Int, rmse: Double)?
        var trainingRMSE = [Double](), validationRMSE = [Double]()
        _ = try train(training, exact, initialUserFactors: initialUserFactors, initialItemFactors: initialItemFactors) { report in
            var model = report.model
            model.ratingScale = ratingScale
            let rmse = Metrics.rmse(model, on: validation)
            trainingRMSE.append(report.trainingMSE.squareRoot())
            validationRMSE.append(rmse)
            if best == nil || rmse < best!.rmse { best = (model, report.epoch, rmse) }
            return report.epoch < best!.epoch + patience
        }
        return EarlyStopped(model: best!.model, bestEpoch: best!.epoch, trainingRMSE: trainingRMSE, validationRMSE: validationRMSE)
    }
}
