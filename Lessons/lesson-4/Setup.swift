// Lesson 4's set-up: the notebook's matrix, mask and starting factors, and how the lesson trains on them.

import CFCore
import Exercises

/// The notebook's set-up, in its order of random draws: true factors, the full matrix, the mask of
/// observed cells (rand < 0.6), then the model's starting factors 0.1·randn.
struct Setup {
    let truth: Matrix
    let observed: Ratings
    let isObserved: [[Bool]]
    let startU: Matrix
    let startV: Matrix
    let learningRate: Double
    let epochs: Int

    init(seed: UInt32, k: Int, learningRate: Double, epochs: Int) throws {
        self.learningRate = learningRate
        self.epochs = epochs
        var rng = RandomState(seed: seed)
        let trueU = rng.randn(20, 3), trueV = rng.randn(15, 3)
        truth = trueU * trueV.transposed
        let draws = rng.rand(20, 15)
        isObserved = draws.rowArrays.map { $0.map { $0 < 0.6 } }
        let mask = isObserved
        observed = try Ratings(matrix: truth) { mask[$0][$1] }
        startU = 0.1 * rng.randn(20, k)
        startV = 0.1 * rng.randn(15, k)
    }

    /// Trains a biased model by the core's SGD from the notebook's starting factors (the `--biases` exercise).
    func trainBiased(k: Int, reg: Double) throws -> StochasticGradientDescent.Result {
        try StochasticGradientDescent.train(
            observed, .init(factors: k, learningRate: learningRate, regularization: reg, iterations: epochs, biases: true),
            initialUserFactors: startU, initialItemFactors: startV)
    }

    /// The outcome of a training run that may diverge: the losses so far, and the model if it finished.
    struct Attempt {
        var losses: [Double]
        var model: FactorModel?
        var divergedAt: Int?
    }

    /// Trains from the notebook's starting factors, one `sgdEpoch` cell per epoch, measuring the MSE on the
    /// training cells after each; a run whose loss stops being finite ends there, with no model.
    func attempt(reg: Double, on ratings: Ratings? = nil, cells: any Lesson4Cells) throws -> Attempt {
        let data = ratings ?? observed
        var u = startU, v = startV, losses = [Double]()
        for epoch in 1...epochs {
            try cells.sgdEpoch(data, u: &u, v: &v, learningRate: learningRate, reg: reg)
            let mse = Metrics.mse(data) { i, j in dot(u.row(i), v.row(j)) }
            guard mse.isFinite else { return Attempt(losses: losses, divergedAt: epoch) }
            losses.append(mse)
        }
        return Attempt(losses: losses, model: FactorModel(userFactors: u, itemFactors: v))
    }

    /// The notebook as a problem for the `sgdEpoch` check.
    func problem(reg: Double) -> Lesson4Cells.Problem {
        (observed, startU, startV, learningRate, reg, epochs)
    }

    /// RMSE of a model on the cells that were never observed.
    func unobservedRMSE(_ model: FactorModel) -> Double {
        var sum = 0.0, count = 0
        for i in 0..<20 {
            for j in 0..<15 where !isObserved[i][j] {
                let e = model.score(user: i, item: j) - truth[i, j]
                sum += e * e
                count += 1
            }
        }
        return (sum / Double(count)).squareRoot()
    }

    /// RMSE of a model on the observed cells (raw predictions, no clipping: this matrix has no rating scale).
    func observedRMSE(_ model: FactorModel, on ratings: Ratings? = nil) -> Double {
        Metrics.rmse(ratings ?? observed) { model.score(user: $0, item: $1) }
    }
}

/// A symmetric colour range around zero that covers every value of `m`.
func heatRange(_ m: Matrix) -> ClosedRange<Double> {
    let extent = m.elements.map(abs).max() ?? 1
    return -extent...extent
}

/// The population standard deviation of some values.
func standardDeviation(_ values: [Double]) -> Double {
    let mean = values.reduce(0, +) / Double(values.count)
    return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
}
