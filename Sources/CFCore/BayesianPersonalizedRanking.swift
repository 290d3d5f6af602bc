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
    /// Settings of a run.
    public struct Configuration: Sendable {
        public var factors: Int
        public var learningRate: Double
        public var lambda: Double
        public var epochs: Int
        public var seed: UInt32

        /// Settings; the defaults are common ones for MovieLens-sized data.
        public init(factors: Int, learningRate: Double = 0.05, lambda: Double = 0.01, epochs: Int = 20, seed: UInt32 = 42) {
            self.factors = factors
            self.learningRate = learningRate
            self.lambda = lambda
            self.epochs = epochs
            self.seed = seed
        }
    }

    /// The outcome of `train`.
    public struct Result: Sendable {
        /// Scores are x_u · y_i + b_i (`FactorModel.score`).
        public var model: FactorModel
        /// The mean of −ln σ(x_uij) over each epoch's sampled triples (before the step on each).
        public var losses: [Double]
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

    /// Trains from small random factors.
    public static func train(_ interactions: Ratings, _ configuration: Configuration) -> Result {
        var rng = RandomState(seed: configuration.seed)
        let k = configuration.factors
        var model = FactorModel(userFactors: 0.1 * rng.randn(interactions.userCount, k), itemFactors: 0.1 * rng.randn(interactions.itemCount, k))
        let owned = (0..<interactions.userCount).map { Set(interactions.ratings(ofUser: $0).map { Int($0.item) }) }
        let entries = interactions.entries, items = interactions.itemCount
        var losses = [Double]()
        for _ in 0..<max(configuration.epochs, 1) {
            var sum = 0.0, steps = 0
            for _ in 0..<entries.count {
                let r = entries[rng.integer(upTo: entries.count - 1)]   // 0...count − 1
                let u = Int(r.user)
                guard owned[u].count < items else { continue }   // a user who has every item has no negative
                var j = rng.integer(upTo: items - 1)
                while owned[u].contains(j) { j = rng.integer(upTo: items - 1) }
                sum += step(&model, user: u, positive: Int(r.item), negative: j, learningRate: configuration.learningRate, lambda: configuration.lambda)
                steps += 1
            }
            losses.append(steps > 0 ? sum / Double(steps) : 0)
        }
        return Result(model: model, losses: losses)
    }
}
