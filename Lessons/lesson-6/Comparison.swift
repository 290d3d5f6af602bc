// Every method of the course, as lesson 6's comparison trains them: each with its lesson's settings.

import CFCore

/// A method of the course: its name in the table, and how it trains a model on a set of ratings.
struct Method {
    let name: String
    let train: (Ratings) throws -> FactorModel
}

/// The methods of the comparison, in the order of the table. `best` is the grid's best point; `chosen` the final
/// recipe (its row is marked "chosen"); `implicitEpochs` the early-stopped epochs of the SVD++ run.
func comparisonMethods(seed: UInt32, scale: ClosedRange<Double>, chosen: Recipe,
                       best: (k: Int, lambda: Double, rate: Double, epoch: Int), implicitEpochs: Int) -> [Method] {
    func sgd(_ recipe: Recipe) -> Method {
        Method(name: recipe.name + (recipe.implicitFeedback ? " (SVD++)" : "") + (recipe.implicitFeedback == chosen.implicitFeedback ? " (chosen)" : "")) {
            try recipe.train(on: $0, seed: seed, ratingScale: scale)
        }
    }
    return [
        Method(name: "global mean") { Baseline.globalMean($0) },
        Method(name: "movie mean") { Baseline.itemMean($0) },
        Method(name: "baseline μ + b_u + b_i") { Baseline.biases($0) },
        Method(name: "batch GD (lesson 5)") { r in
            var rng = RandomState(seed: seed)
            let means = r.itemMeans()
            let x = 0.01 * rng.randn(r.itemCount, 10), theta = 0.01 * rng.randn(r.userCount, 10)
            let result = try BatchGradientDescent.train(r.subtracting(itemOffsets: means), .init(learningRate: 0.003, lambda: 10, iterations: 200),
                                                        features: x, preferences: theta)
            return FactorModel(userFactors: result.preferences, itemFactors: result.features, itemBias: means)
        },
        Method(name: "plain SGD MF (lesson 5)") { r in
            var rng = RandomState(seed: seed)
            let means = r.itemMeans()
            let x = 0.01 * rng.randn(r.itemCount, 10), theta = 0.01 * rng.randn(r.userCount, 10)
            let result = try StochasticGradientDescent.train(
                r.subtracting(itemOffsets: means), .init(factors: 10, learningRate: 0.02, regularization: 0.05, epochs: 20, order: .shuffled(seed: seed)),
                initialUserFactors: theta, initialItemFactors: x)
            return FactorModel(userFactors: result.model.userFactors, itemFactors: result.model.itemFactors, itemBias: means)
        },
        sgd(Recipe(k: best.k, lambda: best.lambda, rate: best.rate, epochs: best.epoch, implicitFeedback: false)),
        sgd(Recipe(k: best.k, lambda: best.lambda, rate: best.rate, epochs: implicitEpochs, implicitFeedback: true)),
        Method(name: "ALS (lesson 3)") { r in
            var rng = RandomState(seed: seed)
            let μ = r.mean
            var model = try AlternatingLeastSquares.train(
                r.subtracting(itemOffsets: [Double](repeating: μ, count: r.itemCount)),
                .init(factors: 10, lambda: 0.1, weightedLambda: true, maxIterations: 10, tolerance: 0),
                initialItemFactors: 0.1 * rng.rand(r.itemCount, 10)).model
            model.globalMean = μ
            return model
        },
        Method(name: "biased ALS") { r in
            var rng = RandomState(seed: seed)
            return try AlternatingLeastSquares.train(
                r, .init(factors: 50, lambda: 0.12, weightedLambda: true, maxIterations: 10, tolerance: 0, biases: true),
                initialItemFactors: 0.1 * rng.rand(r.itemCount, 50)).model
        },
    ]
}
