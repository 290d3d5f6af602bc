// Every method of the course, as lesson 6's comparison trains them: each with its lesson's settings.

import CFCore
import Figures
import LessonKit
import TextOutput

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
            let means = r.itemMeans(prior: Ratings.meanPrior)
            let x = 0.01 * rng.randn(r.itemCount, 10), theta = 0.01 * rng.randn(r.userCount, 10)
            var model = try BatchGradientDescent.train(r.subtracting(itemOffsets: means), .init(learningRate: 0.003, lambda: 10, iterations: 200),
                                                       initialUserFactors: theta, initialItemFactors: x).model
            model.itemBias = means
            return model
        },
        Method(name: "plain SGD MF (lesson 5)") { r in
            var rng = RandomState(seed: seed)
            let means = r.itemMeans(prior: Ratings.meanPrior)
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

/// One method's test error and training time on one fold.
typealias Score = (rmse: Double, mae: Double, seconds: Double)

/// The mean of some values.

extension Notebook {
    /// Trains every method on every fold, and shows and records the scores: a table (RMSE, MAE, time, and the RMSE of
    /// each fold when there are several) and the RMSE-against-time figure. Returns the scores, one list per method.
    func compare(_ methods: [Method], on folds: [(Ratings, Ratings)], named foldNames: [String], scale: ClosedRange<Double>,
                 dataset: String) throws -> [[Score]] {
        var scores = [[Score]](repeating: [], count: methods.count)
        let bar = progress("comparison", total: methods.count * folds.count)
        for (fold, data) in zip(foldNames, folds) {
            for (index, method) in methods.enumerated() {
                var (model, seconds) = try timed { try method.train(data.0) }
                model.ratingScale = scale
                scores[index].append((Metrics.rmse(model, on: data.1), Metrics.mae(model, on: data.1), seconds))
                bar.update(scores.joined().count, detail: folds.count > 1 ? "\(fold): \(method.name)" : method.name)
            }
        }
        bar.finish()
        let several = foldNames.count > 1
        table(Table(header: ["method", several ? "RMSE (5-fold mean)" : "RMSE", "MAE", "training time"] + (several ? foldNames : []),
                    rows: methods.indices.map { i in
            [methods[i].name, "\(mean(scores[i].map(\.rmse)), digits: 4)", "\(mean(scores[i].map(\.mae)), digits: 4)",
             formatSeconds(mean(scores[i].map(\.seconds)))] + (several ? scores[i].map { "\($0.rmse, digits: 4)" } : [])
        }), caption: "Test error and training time on \(dataset)")
        try figure(.scatter(name: "rmse-vs-time", title: "Test RMSE against training time", xLabel: "training time (s)", yLabel: "test RMSE",
                            groups: methods.indices.map {
                                PointGroup(methods[$0].name, points: [Point(x: mean(scores[$0].map(\.seconds)), y: mean(scores[$0].map(\.rmse)))])
                            }))
        record("comparison", JSONValue.array(methods.indices.map { i in
            .object([("method", methods[i].name.json), ("rmse", mean(scores[i].map(\.rmse)).json), ("mae", mean(scores[i].map(\.mae)).json),
                     ("seconds", mean(scores[i].map(\.seconds)).json), ("rmse_per_fold", scores[i].map(\.rmse).json)])
        }))
        return scores
    }
}
