import Foundation

/// Bayesian personalized ranking with matrix factorization (BPR-MF; Rendle et al., 2009), for implicit feedback.
///
/// Instead of predicting ratings, it learns to rank: for a user u, an item i they interacted with should score above
/// an item j they did not. Each step samples such a triple (u, i, j), and with x_uij = x_u · (y_i − y_j) + b_i − b_j
/// takes an SGD step up the gradient of ln σ(x_uij) − λ/2 ‖θ‖²: with d = σ(−x_uij) = 1 / (1 + e^x_uij),
///
///     x_u += lr (d (y_i − y_j) − λ x_u)     y_i += lr (d x_u − λ y_i)     y_j += lr (−d x_u − λ y_j)
///     b_i += lr (d − λ b_i)                 b_j += lr (−d − λ b_j)
///
/// An epoch is as many triples as there are interactions, drawn from the seeded generator: the same seed gives the
/// same model.
public enum BayesianPersonalizedRanking {
    /// Settings of a run (the core's trainer vocabulary: CFCore.docc/Trainers.md).
    public struct Configuration: Sendable {
        /// Number of latent factors k.
        public var factors: Int
        /// The step size.
        public var learningRate: Double
        /// The L2 penalty λ on factors and item biases.
        public var regularization: Double
        /// Epochs, each as many sampled triples as there are interactions.
        public var iterations: Int
        /// The seed of the initial factors and of the sampled triples.
        public var seed: UInt32

        /// Settings; the defaults are common ones for MovieLens-sized data.
        public init(factors: Int, learningRate: Double = 0.05, regularization: Double = 0.01, iterations: Int = 20, seed: UInt32 = 42) {
            self.factors = factors
            self.learningRate = learningRate
            self.regularization = regularization
            self.iterations = iterations
            self.seed = seed
        }
    }

    /// The outcome of `train`.
    public struct Result: Sendable {
        /// Scores are x_u · y_i + b_i (`FactorModel.score`).
        public var model: FactorModel
        /// The mean of −ln σ(x_uij) over each epoch's sampled triples (before the step on each).
        public var history: [Double]
    }

    /// One BPR step on the triple (u, i, j); returns −ln σ(x_uij) before the step.
    @discardableResult
    public static func step(_ model: inout FactorModel, user u: Int, positive i: Int, negative j: Int, learningRate lr: Double, lambda: Double) -> Double {
        let k = model.factorCount
        var x = model.itemBias[i] - model.itemBias[j]
        for f in 0..<k { x += model.userFactors[u, f] * (model.itemFactors[i, f] - model.itemFactors[j, f]) }
        let d = 1 / (1 + exp(x))
        for f in 0..<k {
            let xu = model.userFactors[u, f], yi = model.itemFactors[i, f], yj = model.itemFactors[j, f]
            model.userFactors[u, f] += lr * (d * (yi - yj) - lambda * xu)
            model.itemFactors[i, f] += lr * (d * xu - lambda * yi)
            model.itemFactors[j, f] += lr * (-d * xu - lambda * yj)
        }
        model.itemBias[i] += lr * (d - lambda * model.itemBias[i])
        model.itemBias[j] += lr * (-d - lambda * model.itemBias[j])
        return log(1 + exp(-x))
    }

    /// Trains from small random factors (normal, standard deviation 0.1), in 32-bit floats on one core: each step is
    /// the update of `step`, on rows padded to whole SIMD vectors, and a negative is drawn until it is one the user has
    /// not interacted with (a bit per user and item). Positives are drawn uniformly from the interactions and
    /// negatives uniformly from the catalogue, both by multiply-shift of the seeded generator's 32-bit outputs.
    /// Nothing in a run depends on how many epochs follow, so the model `onStep` sees after epoch n is the very model
    /// a run of n epochs returns: a grid over the number of epochs needs one run of the largest.
    ///
    /// - Parameter onStep: called after every epoch with its mean loss; `progress.stop()` ends training there.
    /// - Throws: `TrainingError.diverged` when the loss or the factors stop being finite.
    public static func train(_ interactions: Ratings, _ configuration: Configuration, onStep: TrainingCallback<FactorModel> = { _ in }) throws -> Result {
        var rng = RandomState(seed: configuration.seed)
        let k = configuration.factors, users = interactions.userCount, items = interactions.itemCount
        let stride = max(8, (k + 7) / 8 * 8)
        func packed(_ m: Matrix) -> [Float] {
            var values = [Float](repeating: 0, count: m.rows * stride)
            for row in 0..<m.rows { for f in 0..<k { values[row * stride + f] = Float(m[row, f]) } }
            return values
        }
        var p = packed(0.1 * rng.randn(users, k)), q = packed(0.1 * rng.randn(items, k))
        var bias = [Float](repeating: 0, count: items)
        // owned[u * words + i / 64] has bit i % 64 set when user u interacted with item i.
        let words = (items + 63) / 64
        var owned = [UInt64](repeating: 0, count: users * words), full = [Bool](repeating: false, count: users)
        for r in interactions.entries { owned[r.user * words + r.item / 64] |= 1 << UInt64(r.item % 64) }
        for u in 0..<users { full[u] = interactions.ratings(ofUser: u).count >= items }
        let pairs = interactions.entries.map { (user: Int32($0.user), item: Int32($0.item)) }
        let lr = Float(configuration.learningRate), lambda = Float(configuration.regularization), decay = 1 - lr * lambda
        let count = UInt64(pairs.count), catalogue = UInt64(items)
        var reporter = StepReporter(steps: configuration.iterations)
        func model(_ p: UnsafeMutableBufferPointer<Float>, _ q: UnsafeMutableBufferPointer<Float>, _ bias: UnsafeMutableBufferPointer<Float>) -> FactorModel {
            FactorModel(
                userFactors: Matrix(rows: users, columns: k) { row, f in Double(p[row * stride + f]) },
                itemFactors: Matrix(rows: items, columns: k) { row, f in Double(q[row * stride + f]) }, itemBias: bias.map(Double.init))
        }
        try p.withUnsafeMutableBufferPointer { pBuffer in
            try q.withUnsafeMutableBufferPointer { qBuffer in
                try bias.withUnsafeMutableBufferPointer { bias in
                    try owned.withUnsafeBufferPointer { owned in
                        try pairs.withUnsafeBufferPointer { pairs in
                            let P = UnsafeMutableRawPointer(pBuffer.baseAddress!), Q = UnsafeMutableRawPointer(qBuffer.baseAddress!)
                            let rowBytes = stride * 4
                            for epoch in 0..<max(configuration.iterations, 1) {
                                var sum = 0.0, steps = 0, product = 1.0
                                for _ in 0..<pairs.count {
                                    let pair = pairs[Int((UInt64(rng.nextUInt32()) * count) >> 32)]
                                    let u = Int(pair.user), i = Int(pair.item)
                                    guard !full[u] else { continue }  // a user who has every item has no negative
                                    var j = Int((UInt64(rng.nextUInt32()) * catalogue) >> 32)
                                    while owned[u * words + j / 64] & (1 << UInt64(j % 64)) != 0 { j = Int((UInt64(rng.nextUInt32()) * catalogue) >> 32) }
                                    let xu = P + u * rowBytes, yi = Q + i * rowBytes, yj = Q + j * rowBytes
                                    var acc = SIMD8<Float>()
                                    for b in Swift.stride(from: 0, to: rowBytes, by: 32) {
                                        acc +=
                                            xu.loadUnaligned(fromByteOffset: b, as: SIMD8<Float>.self)
                                            * (yi.loadUnaligned(fromByteOffset: b, as: SIMD8<Float>.self)
                                                - yj.loadUnaligned(fromByteOffset: b, as: SIMD8<Float>.self))
                                    }
                                    let x = acc.sum() + bias[i] - bias[j]
                                    let e = exp(x), d = 1 / (1 + e)
                                    // Σ −ln σ(x) as −ln of a product of σ(x) = eˣ d, one logarithm per 16 steps.
                                    product *= x > 30 ? 1 : max(Double(e * d), 1e-30)
                                    steps += 1
                                    if steps & 15 == 0 { sum -= log(product); product = 1 }
                                    let step = SIMD8<Float>(repeating: lr * d), keep = SIMD8<Float>(repeating: decay)
                                    for b in Swift.stride(from: 0, to: rowBytes, by: 32) {
                                        let vu = xu.loadUnaligned(fromByteOffset: b, as: SIMD8<Float>.self)
                                        let vi = yi.loadUnaligned(fromByteOffset: b, as: SIMD8<Float>.self),
                                            vj = yj.loadUnaligned(fromByteOffset: b, as: SIMD8<Float>.self)
                                        xu.storeBytes(of: keep * vu + step * (vi - vj), toByteOffset: b, as: SIMD8<Float>.self)
                                        yi.storeBytes(of: keep * vi + step * vu, toByteOffset: b, as: SIMD8<Float>.self)
                                        yj.storeBytes(of: keep * vj - step * vu, toByteOffset: b, as: SIMD8<Float>.self)
                                    }
                                    bias[i] += lr * (d - lambda * bias[i])
                                    bias[j] += lr * (-d - lambda * bias[j])
                                }
                                sum -= log(product)
                                let loss = steps > 0 ? sum / Double(steps) : 0
                                let (pNow, qNow, biasNow) = (pBuffer, qBuffer, bias)  // the pointers, not the values
                                let finite = { allFinite(pNow) && allFinite(qNow) && allFinite(biasNow) }
                                if try reporter.finish(
                                    step: epoch + 1, loss: loss.isFinite && finite() ? loss : .nan,
                                    diverged: TrainingError.diverged(
                                        method: "BPR", stepName: "epoch", step: epoch + 1,
                                        learningRate: configuration.learningRate,
                                        regularization: configuration.regularization),
                                    model: { model(pNow, qNow, biasNow) }, onStep)
                                {
                                    break
                                }
                            }
                        }
                    }
                }
            }
        }
        func matrix(_ values: [Float], rows: Int) -> Matrix {
            Matrix(rows: rows, columns: k) { row, f in Double(values[row * stride + f]) }
        }
        let final = FactorModel(userFactors: matrix(p, rows: users), itemFactors: matrix(q, rows: items), itemBias: bias.map(Double.init))
        return Result(model: final, history: reporter.history)
    }
}
