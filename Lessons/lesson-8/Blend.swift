// Lesson 8's models and the blend: each component trains on one set of ratings and predicts any (user, movie).

import CFCore
import Foundation

/// A trained component: its name and a prediction function (clipped to the scale).
struct Component {
    let name: String
    let predict: (Int, Int) -> Double
}

/// The components, each with settings fixed beforehand (lesson 6's and lesson 7's choices), trained on `ratings`; the
/// Bayesian models, already trained on the same ratings (they are the lesson's longest step), come last.
func trainComponents(
    _ ratings: Ratings, scale: ClosedRange<Double>, seed: UInt32,
    bayesian: [(name: String, result: BayesianMatrixFactorization.Result)]
) throws -> [Component] {
    var components = [Component]()
    let baseline = Baseline.biases(ratings, ratingScale: scale)
    components.append(Component(name: "baseline μ + b_u + b_i") { baseline.predict(user: $0, item: $1) })
    let knn = NeighbourModel(
        ratings: ratings, baseline: baseline,
        similarities: ItemSimilarities(ratings, kind: .pearsonBaseline, baseline: baseline, shrinkage: 100),
        neighbours: 60, ratingScale: scale)
    components.append(Component(name: "item-item kNN (lesson 7)") { knn.predict(user: $0, item: $1) })
    for implicit in [false, true] {
        var rng = RandomState(seed: seed)
        let start = (0.01 * rng.randn(ratings.userCount, 500), 0.01 * rng.randn(ratings.itemCount, 500))
        var model = try StochasticGradientDescent.train(
            ratings,
            .init(
                factors: 500, learningRate: 0.005, regularization: 0.08, iterations: implicit ? 34 : 79, biases: true,
                order: .shuffled, seed: seed, precision: .single, computesLoss: false, biasRegularization: 0.01,
                implicitFeedback: implicit),
            initialUserFactors: start.0, initialItemFactors: start.1
        ).model
        model.ratingScale = scale
        let fixed = model
        components.append(Component(name: implicit ? "SVD++ (lesson 6)" : "biased SGD MF (lesson 6)") { fixed.predict(user: $0, item: $1) })
    }
    var rng = RandomState(seed: seed)
    var als = try AlternatingLeastSquares.train(
        ratings,
        .init(
            factors: 50, regularization: 0.12, weightedRegularization: true, iterations: 10, tolerance: 0, biases: true, precision: .single, computesLoss: false
        ),
        initialItemFactors: 0.1 * rng.rand(ratings.itemCount, 50)
    ).model
    als.ratingScale = scale
    let alsModel = als
    components.append(Component(name: "biased ALS (k = 50)") { alsModel.predict(user: $0, item: $1) })
    for model in bayesian {
        var result = model.result
        result.ratingScale = scale
        let predictor = result
        components.append(Component(name: model.name) { predictor.predict(user: $0, item: $1) })
    }
    return components
}

/// A linear blend: an intercept and one weight per input column, fitted by ridge regression.
struct Blend {
    let names: [String]
    let weights: [Double]
    let intercept: Double
    let lambda: Double

    func predict(_ row: [Double]) -> Double { intercept + zip(weights, row).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Ridge regression of `y` on the columns of `x`, with `fitting` (exercise 8.2, `ridgeBlend`).
    static func fit(
        names: [String], _ x: [[Double]], _ y: [Double], lambda: Double,
        fitting: ([[Double]], [Double], Double) throws -> (weights: [Double], intercept: Double)
    ) throws -> Blend {
        let fitted = try fitting(x, y, lambda)
        return Blend(names: names, weights: fitted.weights, intercept: fitted.intercept, lambda: lambda)
    }

    /// λ by `folds`-fold cross-validation within the rows (a seeded split), then the blend fitted on all of them.
    static func crossValidated(
        names: [String], _ x: [[Double]], _ y: [Double], lambdas: [Double], folds: Int, seed: UInt32,
        fitting: ([[Double]], [Double], Double) throws -> (weights: [Double], intercept: Double)
    )
        throws -> (blend: Blend, cvRMSE: [Double])
    {
        var rng = RandomState(seed: seed)
        let order = rng.permutation(x.count)
        var fold = [Int](repeating: 0, count: x.count)
        for (position, row) in order.enumerated() { fold[row] = position % folds }
        let scores = try lambdas.map { λ -> Double in
            var sum = 0.0
            for f in 0..<folds {
                let train = x.indices.filter { fold[$0] != f }, held = x.indices.filter { fold[$0] == f }
                let blend = try fit(names: names, train.map { x[$0] }, train.map { y[$0] }, lambda: λ, fitting: fitting)
                for i in held { let e = blend.predict(x[i]) - y[i]; sum += e * e }
            }
            return (sum / Double(x.count)).squareRoot()
        }
        let best = scores.indicesRanked(descending: false).first ?? 0
        return (try fit(names: names, x, y, lambda: lambdas[best], fitting: fitting), scores)
    }
}

/// Lesson 9's weighted ALS on who rated what in `ratings` (not the stars): x_u · y_i says how likely user u is to
/// watch movie i, a signal none of the rating models uses directly.
func watchModel(_ ratings: Ratings, seed: UInt32) throws -> FactorModel {
    var rng = RandomState(seed: seed &+ 31)
    return try ImplicitAlternatingLeastSquares.train(
        ratings.interactions,
        .init(
            factors: 50, regularization: 0.1, alpha: 1, iterations: 15,
            precision: .single, solver: .conjugateGradient(steps: 3),
            computesLoss: false),
        initialItemFactors: 0.01 * rng.randn(ratings.itemCount, 50)
    ).model
}

/// A blend's input row for (user, item): every component's prediction, then log(1 + n) of the user's and the movie's
/// numbers of ratings in `counts`, then the watch model's score.
func blendRow(_ components: [Component], user: Int, item: Int, counts: Ratings, watch: FactorModel) -> [Double] {
    components.map { $0.predict(user, item) }
        + [
            log(1 + Double(counts.ratings(ofUser: user).count)), log(1 + Double(counts.ratings(ofItem: item).count)),
            watch.score(user: user, item: item)
        ]
}
