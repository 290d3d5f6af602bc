// Every method of the course, as lesson 6's comparison trains them: each with its lesson's settings.

import CFCore
import Figures
import LessonKit
import TextOutput

/// A method of the course: which one it is, its name in the table, and how it trains a model on a set of ratings.
struct Method {
    /// Which method it is. The lesson finds a method in the comparison by this, never by its name in the table.
    enum Kind {
        case globalMean, movieMean, biases, batchGD, plainSGD, biasedSGD, biasedSGDWithImplicitFeedback, als, biasedALS

        /// Whether the method learns taste factors on top of the biases μ + b_u + b_i.
        var hasFactorsOnBiases: Bool {
            switch self {
            case .biasedSGD, .biasedSGDWithImplicitFeedback, .biasedALS: true
            case .globalMean, .movieMean, .biases, .batchGD, .plainSGD, .als: false
            }
        }
    }

    let kind: Kind
    /// Its name in the table and results.json, with "(chosen)" on the final model's row.
    let name: String
    /// Its name in a sentence: the table's, without the marker.
    let prose: String
    let train: (Ratings) throws -> FactorModel

    init(kind: Kind, name: String, chosen: Bool = false, train: @escaping (Ratings) throws -> FactorModel) {
        self.kind = kind
        self.name = name + (chosen ? " (chosen)" : "")
        self.prose = name
        self.train = train
    }
}

/// The methods of the comparison, in the order of the table: biased SGD at the plain and the SVD++ recipe of
/// `recipes`, the chosen one's row marked "chosen", and every other method at its own lesson's settings.
func comparisonMethods(seed: UInt32, scale: ClosedRange<Double>, recipes: Recipes) -> [Method] {
    func sgd(_ recipe: Recipe) -> Method {
        let chosen = recipe.implicitFeedback == recipes.usesImplicitFeedback
        return Method(
            kind: recipe.implicitFeedback ? .biasedSGDWithImplicitFeedback : .biasedSGD,
            name: recipe.name + (recipe.implicitFeedback ? " (SVD++)" : ""), chosen: chosen
        ) {
            try recipe.train(on: $0, seed: seed, ratingScale: scale)
        }
    }
    return [
        Method(kind: .globalMean, name: "global mean") { Baseline.globalMean($0) },
        Method(kind: .movieMean, name: "movie mean") { Baseline.itemMean($0) },
        Method(kind: .biases, name: "baseline μ + b_u + b_i") { Baseline.biases($0) },
        Method(kind: .batchGD, name: "batch GD (lesson 5)") { r in
            var rng = RandomState(seed: seed)
            let means = r.itemMeans(prior: Ratings.meanPrior)
            let x = 0.01 * rng.randn(r.itemCount, 10), theta = 0.01 * rng.randn(r.userCount, 10)
            var model = try BatchGradientDescent.train(
                r.subtracting(itemOffsets: means), .init(learningRate: 0.003, regularization: 10, iterations: 200),
                initialUserFactors: theta, initialItemFactors: x
            ).model
            model.itemBias = means
            return model
        },
        Method(kind: .plainSGD, name: "plain SGD MF (lesson 5)") { r in
            var rng = RandomState(seed: seed)
            let means = r.itemMeans(prior: Ratings.meanPrior)
            let x = 0.01 * rng.randn(r.itemCount, 10), theta = 0.01 * rng.randn(r.userCount, 10)
            let result = try StochasticGradientDescent.train(
                r.subtracting(itemOffsets: means), .init(factors: 10, learningRate: 0.02, regularization: 0.05, iterations: 20, order: .shuffled, seed: seed),
                initialUserFactors: theta, initialItemFactors: x)
            return FactorModel(userFactors: result.model.userFactors, itemFactors: result.model.itemFactors, itemBias: means)
        },
        sgd(recipes.plain),
        sgd(recipes.implicit),
        Method(kind: .als, name: "ALS (lesson 3)") { r in
            var rng = RandomState(seed: seed)
            let μ = r.mean
            var model = try AlternatingLeastSquares.train(
                r.subtracting(itemOffsets: [Double](repeating: μ, count: r.itemCount)),
                .init(factors: 10, regularization: 0.1, weightedRegularization: true, iterations: 10, tolerance: 0),
                initialItemFactors: 0.1 * rng.rand(r.itemCount, 10)
            ).model
            model.globalMean = μ
            return model
        },
        Method(kind: .biasedALS, name: "biased ALS") { r in
            var rng = RandomState(seed: seed)
            return try AlternatingLeastSquares.train(
                r,
                .init(
                    factors: 50, regularization: 0.12, weightedRegularization: true, iterations: 10, tolerance: 0, biases: true,
                    precision: .single, computesLoss: false),
                initialItemFactors: 0.1 * rng.rand(r.itemCount, 50)
            ).model
        }
    ]
}

/// One method's test error and training time on one fold.
typealias Score = (rmse: Double, mae: Double, seconds: Double)

/// What the comparison found: for each method, in the table's order, its score on each fold, and its squared error on
/// every test rating of every fold (the folds one after another, in the same order for every method).
struct MethodComparison {
    let methods: [Method]
    let scores: [[Score]]
    let errors: [[Double]]

    /// The test RMSE on each fold of the method of this kind.
    func rmsePerFold(_ kind: Method.Kind) -> [Double] {
        guard let index = methods.firstIndex(where: { $0.kind == kind }) else { preconditionFailure("the comparison has no \(kind)") }
        return scores[index].map(\.rmse)
    }

    /// The test RMSE of the method of this kind, averaged over the folds.
    func meanRMSE(_ kind: Method.Kind) -> Double { mean(rmsePerFold(kind)) }

    /// The method with the lowest mean test RMSE (the first of them, if several tie).
    var mostAccurate: Method { methods[scores.map { mean($0.map(\.rmse)) }.indicesRanked(descending: false)[0]] }

    /// The squared test errors of the method of this kind.
    func errors(_ kind: Method.Kind) -> [Double] {
        guard let index = methods.firstIndex(where: { $0.kind == kind }) else { preconditionFailure("the comparison has no \(kind)") }
        return errors[index]
    }

    /// The first kind's test errors against the second's, rating by rating (`.secondHigher`: the first's are lower).
    func compare(_ first: Method.Kind, _ second: Method.Kind) -> Comparison.Verdict { Comparison.paired(errors(first), errors(second)).verdict }

    /// The other methods whose test errors are within the noise of the most accurate one's.
    var tiedWithMostAccurate: [Method] {
        let best = mostAccurate.kind
        return methods.filter { $0.kind != best && compare($0.kind, best) == .tie }
    }
}

extension Notebook {
    /// Trains every method on every fold, and shows and records the scores: a table (RMSE, MAE, time, and the RMSE of
    /// each fold when there are several) and the RMSE-against-time figure. A method in `trainedOnFirstFold` is not
    /// trained again on the first fold: its model and training time there are the ones given.
    func compare(
        _ methods: [Method], on folds: [(Ratings, Ratings)], named foldNames: [String], scale: ClosedRange<Double>,
        dataset: String, trainedOnFirstFold: [Method.Kind: (model: FactorModel, seconds: Double)] = [:]
    ) throws -> MethodComparison {
        var scores = [[Score]](repeating: [], count: methods.count), errors = [[Double]](repeating: [], count: methods.count)
        let bar = progress("comparison", total: methods.count * folds.count)
        for (foldIndex, (fold, data)) in zip(foldNames, folds).enumerated() {
            for (index, method) in methods.enumerated() {
                var (model, seconds) = try (foldIndex == 0 ? trainedOnFirstFold[method.kind] : nil) ?? timed { try method.train(data.0) }
                model.ratingScale = scale
                scores[index].append((model.rmse(on: data.1), model.mae(on: data.1), seconds))
                errors[index] += model.squaredErrors(on: data.1)
                bar.update(scores.joined().count, detail: folds.count > 1 ? "\(fold): \(method.name)" : method.name)
            }
        }
        bar.finish()
        let several = foldNames.count > 1
        table(
            Table(
                header: ["method", several ? "RMSE (5-fold mean)" : "RMSE", "MAE", "training time"] + (several ? foldNames : []),
                rows: methods.indices.map { i in
                    [
                        methods[i].name, "\(mean(scores[i].map(\.rmse)), digits: 4)", "\(mean(scores[i].map(\.mae)), digits: 4)",
                        formatSeconds(mean(scores[i].map(\.seconds)))
                    ] + (several ? scores[i].map { "\($0.rmse, digits: 4)" } : [])
                }), caption: "Test error and training time on \(dataset)")
        // Times run from a tenth of a millisecond to seconds: on a log axis every method gets room for its name.
        try figure(
            .scatter(
                name: "rmse-vs-time", title: "Test RMSE against training time", xLabel: "training time (s, log scale)", yLabel: "test RMSE",
                groups: methods.indices.map {
                    PointGroup(methods[$0].name, points: [Point(x: max(mean(scores[$0].map(\.seconds)), 1e-5), y: mean(scores[$0].map(\.rmse)))])
                }, logX: true))
        record(
            "comparison",
            JSONValue.array(
                methods.indices.map { i in
                    .object([
                        ("method", methods[i].name.json), ("rmse", mean(scores[i].map(\.rmse)).json), ("mae", mean(scores[i].map(\.mae)).json),
                        ("seconds", mean(scores[i].map(\.seconds)).json), ("rmse_per_fold", scores[i].map(\.rmse).json)
                    ])
                }))
        return MethodComparison(methods: methods, scores: scores, errors: errors)
    }
}
