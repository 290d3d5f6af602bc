// Lesson 8's models and the blend: each component trains on one set of ratings and predicts any (user, movie).

import CFCore
import Foundation
import LessonKit

/// A trained component: its name and a prediction function (clipped to the scale).
struct Component {
    let name: String
    let predict: (Int, Int) -> Double
}

/// What the blend takes from one set of ratings: every model trained on it (in `BlendInputs.names` order, the Bayesian
/// models last) and the watch model.
struct BlendInputs {
    let components: [Component]
    let watch: FactorModel

    /// The models' names, in the order of `components`: the five fixed ones, then the Bayesian `kinds`.
    static func names(_ kinds: [BayesianKind]) -> [String] {
        ["baseline μ + b_u + b_i", "item-item kNN (lesson 7)", "biased SGD MF (lesson 6)", "SVD++ (lesson 6)", "biased ALS (k = 50)"] + kinds.map(\.name)
    }
}

/// One training the blend needs: one of the five fixed models (by its place in `BlendInputs.names`), the watch model or
/// a Bayesian model, on the set of ratings numbered `set`.
enum BlendTraining: Hashable, Sendable {
    case model(set: Int, index: Int), watch(set: Int), bayesian(set: Int, kind: BayesianKind)

    /// A rough cost, to start the longest first so that the two cores finish together.
    var cost: Int {
        switch self {
        case .bayesian(_, let kind): kind == .plain ? 17 : 60
        case .model(_, let index): [0, 1, 10, 9, 2][index]
        case .watch: 3
        }
    }
}

/// A finished training.
enum BlendTrained: @unchecked Sendable {
    case model(Component), watch(FactorModel), bayesian(BayesianMatrixFactorization.Result)
}

/// The blend's inputs on each of `sets`, every model with settings fixed beforehand (lesson 6's and lesson 7's choices):
/// the Bayesian models of `kinds` from `given[set]` where given (a validation run's predictions, or a model trained
/// ahead), the trainings `background` started from there, and every other one trained here. These trainings are
/// independent, so they run side by side on every core, longest first, while the background finishes the one it has
/// under way; each gives the same numbers whatever runs beside it. `progress` is told the number finished here, one call
/// at a time. Returns the inputs and the Bayesian models trained here.
func trainBlendInputs(
    _ sets: [Ratings], kinds: [BayesianKind], configuration: BayesianMatrixFactorization.Configuration,
    given: [[BayesianKind: Component]], background: BackgroundQueue<BlendTraining, BlendTrained>?, scale: ClosedRange<Double>,
    seed: UInt32, progress: @escaping (_ finished: Int) -> Void
) throws -> (inputs: [BlendInputs], bayesian: [[BayesianKind: BayesianMatrixFactorization.Result]]) {
    let startedBefore = background?.claim() ?? []
    let jobs = blendTrainings(sets.count, kinds: kinds, given: given).filter { !startedBefore.contains($0) }
    // Longest first (a stable order: the same jobs start in the same order on every run).
    let order = jobs.indices.sorted { jobs[$0].cost > jobs[$1].cost || (jobs[$0].cost == jobs[$1].cost && $0 < $1) }
    let results = try concurrentMap(order.map { jobs[$0] }, done: { finished, _, _ in progress(finished) }) { job in
        try job.train(sets, scale: scale, seed: seed, configuration: configuration, threads: nil)
    }
    var trained = try background?.results() ?? [:]
    for (job, result) in zip(order.map { jobs[$0] }, results) { trained[job] = result }
    var bayesian = [[BayesianKind: BayesianMatrixFactorization.Result]](repeating: [:], count: sets.count)
    var models = [[Int: Component]](repeating: [:], count: sets.count), watches = [FactorModel?](repeating: nil, count: sets.count)
    for (job, result) in trained {
        switch (job, result) {
        case (.model(let set, let index), .model(let component)): models[set][index] = component
        case (.watch(let set), .watch(let model)): watches[set] = model
        case (.bayesian(let set, let kind), .bayesian(let model)): bayesian[set][kind] = model
        default: preconditionFailure("a training gave another kind of model than it was asked for")
        }
    }
    let inputs = sets.indices.map { set in
        let fixed = (0..<5).map { models[set][$0]! }
        let sampled = kinds.map { kind in given[set][kind] ?? Component(kind, bayesian[set][kind]!, scale: scale) }
        return BlendInputs(components: fixed + sampled, watch: watches[set]!)
    }
    return (inputs, bayesian)
}

extension BlendTraining {
    /// The blend's fixed trainings on `setCount` sets of ratings (five models and the watch model on each), cheapest
    /// first: the order a background queue takes them in.
    static func fixed(_ setCount: Int) -> [BlendTraining] {
        let all = (0..<setCount).flatMap { set in (0..<5).map { BlendTraining.model(set: set, index: $0) } + [.watch(set: set)] }
        return all.enumerated().sorted { ($0.element.cost, $0.offset) < ($1.element.cost, $1.offset) }.map(\.element)
    }

    /// Runs this training on its set of `sets`, on `threads` threads (its numbers do not depend on them); a Bayesian
    /// one with the sampler's `configuration`, which the fixed ones do not need.
    func train(
        _ sets: [Ratings], scale: ClosedRange<Double>, seed: UInt32, configuration: BayesianMatrixFactorization.Configuration?, threads: Int?
    ) throws -> BlendTrained {
        switch self {
        case .model(let set, let index): return .model(try trainModel(index, sets[set], scale: scale, seed: seed, threads: threads))
        case .watch(let set): return .watch(try watchModel(sets[set], seed: seed, threads: threads))
        case .bayesian(let set, let kind):
            guard let configuration else { preconditionFailure("a Bayesian training needs the sampler's settings") }
            return .bayesian(try kind.train(sets[set], configuration.onThreads(threads)))
        }
    }
}

extension Component {
    /// A trained Bayesian model of `kind`: its posterior mean, clipped to the scale.
    init(_ kind: BayesianKind, _ result: BayesianMatrixFactorization.Result, scale: ClosedRange<Double>) {
        var predictor = result
        predictor.ratingScale = scale
        let model = predictor
        self.init(name: kind.name) { model.predict(user: $0, item: $1) }
    }

    /// A Bayesian model of `kind` known by its predictions for `ratings` alone (a validation run's average, before
    /// the scale clips it), clipped to the scale: it answers for those ratings only.
    init(_ kind: BayesianKind, predictions: [Double], for ratings: Ratings, scale: ClosedRange<Double>) {
        let items = ratings.itemCount
        var table = [Int: Double](minimumCapacity: ratings.count)
        for (r, value) in zip(ratings.entries, predictions) { table[r.user * items + r.item] = scale.clamp(value) }
        let known = table
        self.init(name: kind.name) { user, item in
            guard let value = known[user * items + item] else {
                preconditionFailure("\(kind.name) was asked for a rating its validation run did not predict")
            }
            return value
        }
    }
}

/// The trainings the blend needs on `setCount` sets of ratings: on each, the five fixed models, the watch model, and
/// every Bayesian model of `kinds` not already in `given[set]`.
func blendTrainings(_ setCount: Int, kinds: [BayesianKind], given: [[BayesianKind: Component]]) -> [BlendTraining] {
    (0..<setCount).flatMap { set in
        (0..<5).map { BlendTraining.model(set: set, index: $0) } + [.watch(set: set)]
            + kinds.filter { given[set][$0] == nil }.map { BlendTraining.bayesian(set: set, kind: $0) }
    }
}

/// One of the blend's five fixed models (its place in `BlendInputs.names`), trained on `ratings`.
func trainModel(_ index: Int, _ ratings: Ratings, scale: ClosedRange<Double>, seed: UInt32, threads: Int?) throws -> Component {
    let name = BlendInputs.names([])[index]
    let baseline = Baseline.biases(ratings, ratingScale: scale)
    switch index {
    case 0:
        return Component(name: name) { baseline.predict(user: $0, item: $1) }
    case 1:
        let knn = NeighbourModel(
            ratings: ratings, baseline: baseline,
            similarities: ItemSimilarities(ratings, kind: .pearsonBaseline, baseline: baseline, shrinkage: 100, threads: threads),
            neighbours: 60, ratingScale: scale)
        return Component(name: name) { knn.predict(user: $0, item: $1) }
    case 2, 3:
        let implicit = index == 3
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
        return Component(name: name) { fixed.predict(user: $0, item: $1) }
    default:
        var rng = RandomState(seed: seed)
        var als = try AlternatingLeastSquares.train(
            ratings,
            .init(
                factors: 50, regularization: 0.12, weightedRegularization: true, iterations: 10, tolerance: 0, biases: true, precision: .single,
                threads: threads, computesLoss: false),
            initialItemFactors: 0.1 * rng.rand(ratings.itemCount, 50)
        ).model
        als.ratingScale = scale
        let alsModel = als
        return Component(name: name) { alsModel.predict(user: $0, item: $1) }
    }
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
func watchModel(_ ratings: Ratings, seed: UInt32, threads: Int?) throws -> FactorModel {
    var rng = RandomState(seed: seed &+ 31)
    return try ImplicitAlternatingLeastSquares.train(
        ratings.interactions,
        .init(
            factors: 50, regularization: 0.1, alpha: 1, iterations: 15, threads: threads,
            precision: .single, solver: .conjugateGradient(steps: 3),
            computesLoss: false),
        initialItemFactors: 0.01 * rng.randn(ratings.itemCount, 50)
    ).model
}

/// The blend's input rows for every rating of `ratings`, in order: every component's prediction, then log(1 + n) of the
/// user's and the movie's numbers of ratings in `counts`, then the watch model's score. The components predict side by
/// side, one per core, each over all the ratings.
func blendRows(_ components: [Component], on ratings: Ratings, counts: Ratings, watch: FactorModel) throws -> [[Double]] {
    let columns = try concurrentMap(components) { component in ratings.entries.map { component.predict($0.user, $0.item) } }
    return ratings.entries.enumerated().map { n, r in
        columns.map { $0[n] }
            + [
                log(1 + Double(counts.ratings(ofUser: r.user).count)), log(1 + Double(counts.ratings(ofItem: r.item).count)),
                watch.score(user: r.user, item: r.item)
            ]
    }
}
