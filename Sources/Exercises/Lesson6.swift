import CFCore
import LessonKit
import MovieLens
import Solutions

/// Lesson 6's cells: what a learner writes in `Lessons/lesson-6/Cells.swift` (its `YourCells`), what the worked
/// solutions and the course's own versions compute, and what the lesson calls.
public protocol Lesson6Cells: Sendable {
    /// A new user's factors and bias.
    typealias NewUser = (factors: [Double], bias: Double)
    /// 6.1: the biased SGD update for one rating, in place.
    func sgdUpdate(
        _ model: inout FactorModel, user u: Int, item i: Int, rating r: Double,
        learningRate lr: Double, lambda: Double, biasLambda: Double) throws
    /// 6.2: a new user folded in, every item fixed (weighted λ: the penalty is λ times the number of ratings).
    func foldIn(_ model: FactorModel, ratings: [(item: Int, value: Double)], lambda: Double) throws -> NewUser
}

/// Lesson 6's exercises: their list, the course's own versions of the cells, and a plain trainer on the update cell.
public enum Lesson6Exercises {
    /// The cells, in order.
    public static let list = [
        ExerciseInfo(
            "6.1", "sgdUpdate", "the biased SGD update for one rating (b_u, b_i, p_u, q_i)",
            hints: [
                "The error once, then both biases, then p_u and q_i factor by factor.",
                "`let e = r - model.score(user: u, item: i)`, once, before anything changes.",
                "`model.userBias[u] += lr * (e - biasLambda * model.userBias[u])`, the same for `model.itemBias[i]`; then for each f, with `p = model.userFactors[u, f]` and `q = model.itemFactors[i, f]`: `model.userFactors[u, f] += lr * (e * q - lambda * p)`, then `model.itemFactors[i, f] += lr * (e * model.userFactors[u, f] - lambda * q)`."
            ]),
        ExerciseInfo(
            "6.2", "foldIn", "folding in a new user: one (k + 1) × (k + 1) ridge solve",
            hints: [
                "Build the (k + 1) × (k + 1) normal equations from the ratings, add λ n on the diagonal, solve.",
                "Each rating `(item, value)` is one equation: design row `model.itemFactors.row(item) + [1]`, target `value - model.globalMean - model.itemBias[item]`.",
                "A = Σ a aᵀ and b = Σ target · a; add `lambda * Double(ratings.count)` to every diagonal entry of A; `let w = try solveSymmetric(a, b)`; return `(factors: Array(w.prefix(k)), bias: w[k])`."
            ])
    ]

    /// The course's own versions, from the core.
    public static let reference: any Lesson6Cells = Reference()
    /// The worked solutions (Sources/Solutions/Lesson6.swift).
    public static let solutions: any Lesson6Cells = Lesson6Solutions()

    struct Reference: Lesson6Cells {
        func sgdUpdate(
            _ model: inout FactorModel, user u: Int, item i: Int, rating r: Double,
            learningRate lr: Double, lambda: Double, biasLambda: Double
        ) {
            StochasticGradientDescent.update(&model, user: u, item: i, rating: r, learningRate: lr, regularization: lambda, biasRegularization: biasLambda)
        }
        func foldIn(_ model: FactorModel, ratings: [(item: Int, value: Double)], lambda: Double) throws -> Lesson6Cells.NewUser {
            var plain = model
            plain.implicitItemFactors = nil
            return try plain.foldIn(ratings, lambda: lambda, weighted: true)
        }
    }

    /// A learner's cells where written, the course's elsewhere.
    struct Completed: Lesson6Cells {
        let yours: any Lesson6Cells, written: Set<String>
        func run<T>(_ function: String = #function, _ call: (any Lesson6Cells) throws -> T) throws -> T {
            try attributed(yours, reference, written: written, lesson: 6, function: function, call)
        }

        func sgdUpdate(
            _ model: inout FactorModel, user u: Int, item i: Int, rating r: Double,
            learningRate lr: Double, lambda: Double, biasLambda: Double
        ) throws {
            try run { try $0.sgdUpdate(&model, user: u, item: i, rating: r, learningRate: lr, lambda: lambda, biasLambda: biasLambda) }
        }
        func foldIn(_ model: FactorModel, ratings: [(item: Int, value: Double)], lambda: Double) throws -> Lesson6Cells.NewUser {
            try run { try $0.foldIn(model, ratings: ratings, lambda: lambda) }
        }
    }

    /// Trains `model` by `epochs` passes of `update` over `ratings.entries` in order.
    public static func train(
        _ model: FactorModel, on ratings: Ratings, epochs: Int, learningRate: Double, lambda: Double, biasLambda: Double,
        update: (inout FactorModel, Int, Int, Double, Double, Double, Double) throws -> Void
    ) throws -> FactorModel {
        var model = model
        for _ in 0..<epochs {
            for r in ratings.entries {
                try update(&model, r.user, r.item, r.value, learningRate, lambda, biasLambda)
            }
        }
        return model
    }
}

extension Lesson6Solutions: Lesson6Cells {}

extension Lesson6Cells {
    /// These cells, with the course's version in place of each one not in `written`.
    public func completed(_ written: Set<String>) -> any Lesson6Cells { Lesson6Exercises.Completed(yours: self, written: written) }

    /// A new user folded in with `foldIn`, also for a model with implicit feedback (SVD++): the implicit sum
    /// s = |N|^-½ Σ y_j over the rated items is known at once, so the cell solves for the rest of the user's vector on
    /// ratings less q_i · s, and s is added back.
    public func foldInUser(_ model: FactorModel, ratings: [(item: Int, value: Double)], lambda: Double) throws -> NewUser {
        guard let y = model.implicitItemFactors, !ratings.isEmpty else { return try foldIn(model, ratings: ratings, lambda: lambda) }
        let normalizer = 1 / Double(ratings.count).squareRoot()
        var sum = [Double](repeating: 0, count: model.factorCount)
        for r in ratings { for f in sum.indices { sum[f] += normalizer * y[r.item, f] } }
        var plain = model
        plain.implicitItemFactors = nil
        let solved = try foldIn(plain, ratings: ratings.map { ($0.item, $0.value - dot(model.itemFactors.row($0.item), sum)) }, lambda: lambda)
        return (zip(solved.factors, sum).map(+), solved.bias)
    }

    public typealias UpdateProblem = (ratings: Ratings, start: FactorModel, learningRate: Double, lambda: Double, biasLambda: Double, epochs: Int)
    public typealias FoldProblem = (model: FactorModel, ratings: [(item: Int, value: Double)], lambda: Double)

    /// The checks of `--check`: random problems and a small MovieLens-shaped data set like the lesson's stand-in.
    public func exercises() -> [Exercise] {
        let infos = Lesson6Exercises.list
        func start(_ ratings: Ratings, k: Int, seed: UInt32) -> FactorModel {
            FactorModel(
                userFactors: Problems.normal(ratings.userCount, k, seed: seed, scale: 0.1),
                itemFactors: Problems.normal(ratings.itemCount, k, seed: seed + 1, scale: 0.1), globalMean: ratings.mean)
        }
        var updates: [(label: String, problem: UpdateProblem)] = [(5, 7, 3, 71), (8, 5, 2, 72), (4, 4, 1, 73)].map { u, i, k, seed in
            let ratings = Problems.ratings(users: u, items: i, density: 0.5, seed: UInt32(seed))
            return (
                Problems.label(ratings, seed: UInt32(seed), "k = \(k), 3 epochs"),
                (ratings, start(ratings, k: k, seed: UInt32(seed + 100)), 0.05, 0.08, 0.01, 3)
            )
        }
        let small = try? MovieLens.synthetic(seed: 42, users: 60, movies: 80, count: 1500).ratings
        if let small {
            updates.append(
                (
                    "a small MovieLens-shaped data set (60 users, 80 movies, 1,500 ratings; k = 10, 5 epochs)",
                    (small, start(small, k: 10, seed: 74), 0.01, 0.08, 0.01, 5)
                ))
        }
        let parts = { (m: FactorModel) in
            [Part.vector("b_u", m.userBias), .vector("b_i", m.itemBias), .matrix("P (user factors)", m.userFactors), .matrix("Q (item factors)", m.itemFactors)]
        }
        func run(_ p: UpdateProblem, _ update: (inout FactorModel, Int, Int, Double, Double, Double, Double) throws -> Void) throws -> [Part] {
            parts(
                try Lesson6Exercises.train(
                    p.start, on: p.ratings, epochs: p.epochs, learningRate: p.learningRate, lambda: p.lambda,
                    biasLambda: p.biasLambda, update: update))
        }
        // The worked case: one rating, so μ (which the trainer takes as the mean rating) is that rating.
        let one = (try? Ratings(dense: [[4]]))!
        let sgdUpdate = Grader<UpdateProblem>(
            worked: (
                "sgdUpdate(model with μ = 4, b_u = [0], b_i = [0], P = [[1]], Q = [[2]], user: 0, item: 0, rating: 4, learningRate: 0.1, lambda: 0.5, biasLambda: 0.1)",
                (one, FactorModel(userFactors: Matrix([[1]]), itemFactors: Matrix([[2]]), globalMean: 4), 0.1, 0.5, 0.1, 1)
            ),
            problems: updates,
            cell: { try run($0, self.sgdUpdate) },
            reference: { p in
                // The core's fast trainer, 64-bit, fixed order: an implementation independent of the plain update.
                let model = try StochasticGradientDescent.train(
                    p.ratings,
                    .init(
                        factors: p.start.factorCount, learningRate: p.learningRate, regularization: p.lambda, iterations: p.epochs,
                        biases: true, biasRegularization: p.biasLambda),
                    initialUserFactors: p.start.userFactors, initialItemFactors: p.start.itemFactors
                ).model
                return parts(model)
            },
            mistakes: [
                Mistake("q_i was updated with the old p_u: update p_u first, then use the new p_u in q_i's step (as lesson 4 does)") {
                    try run($0) { model, u, i, r, lr, λ, biasλ in
                        let e = r - model.score(user: u, item: i)
                        model.userBias[u] += lr * (e - biasλ * model.userBias[u])
                        model.itemBias[i] += lr * (e - biasλ * model.itemBias[i])
                        for f in 0..<model.factorCount {
                            let p = model.userFactors[u, f], q = model.itemFactors[i, f]
                            model.userFactors[u, f] += lr * (e * q - λ * p)
                            model.itemFactors[i, f] += lr * (e * p - λ * q)
                        }
                    }
                },
                Mistake("the biases are regularized with λ: they have their own, lighter penalty, biasLambda") {
                    try run($0) { model, u, i, r, lr, λ, _ in
                        StochasticGradientDescent.update(&model, user: u, item: i, rating: r, learningRate: lr, regularization: λ, biasRegularization: λ)
                    }
                },
                Mistake("the error has the wrong sign: e = r − prediction, the rating minus the prediction") {
                    try run($0) { model, u, i, r, lr, λ, biasλ in
                        StochasticGradientDescent.update(
                            &model, user: u, item: i, rating: 2 * model.score(user: u, item: i) - r,
                            learningRate: lr, regularization: λ, biasRegularization: biasλ)
                    }
                },
                Mistake("the error was computed again after the biases moved: compute e once, before any parameter changes") {
                    try run($0) { model, u, i, r, lr, λ, biasλ in
                        let e = r - model.score(user: u, item: i)
                        model.userBias[u] += lr * (e - biasλ * model.userBias[u])
                        model.itemBias[i] += lr * (e - biasλ * model.itemBias[i])
                        let later = r - model.score(user: u, item: i)
                        for f in 0..<model.factorCount {
                            model.userFactors[u, f] += lr * (later * model.itemFactors[i, f] - λ * model.userFactors[u, f])
                            model.itemFactors[i, f] += lr * (later * model.userFactors[u, f] - λ * model.itemFactors[i, f])
                        }
                    }
                }
            ],
            show: { p in
                Show.inputs(
                    ("ratings, each updated on in turn", Show.ratings(p.ratings)), ("μ", Show.number(p.start.globalMean)),
                    ("P", Show.matrix(p.start.userFactors)), ("Q", Show.matrix(p.start.itemFactors)),
                    ("learningRate, lambda, biasLambda", "\(Show.number(p.learningRate)), \(Show.number(p.lambda)), \(Show.number(p.biasLambda))"),
                    ("epochs", String(p.epochs)))
            })
        func foldProblem(items: Int, k: Int, rated: [Int], lambda: Double, seed: UInt32) -> (label: String, problem: FoldProblem) {
            var rng = RandomState(seed: seed)
            let model = FactorModel(
                userFactors: Matrix(rows: 1, columns: k), itemFactors: Problems.normal(items, k, seed: seed + 1, scale: 0.5),
                itemBias: (0..<items).map { _ in 0.3 * rng.randn() }, globalMean: 3.5)
            let ratings = rated.map { (item: $0, value: Double(1 + rng.integer(upTo: 5))) }
            return (
                "a random model of \(items) items, k = \(k), a new user with \(rated.count) ratings, λ = \(lambda) (seed \(seed))",
                (model, ratings, lambda)
            )
        }
        var folds = [
            foldProblem(items: 8, k: 3, rated: [0, 2, 5, 7], lambda: 0.1, seed: 81),
            foldProblem(items: 12, k: 2, rated: [1, 3, 4, 6, 9, 11], lambda: 0.5, seed: 82),
            foldProblem(items: 5, k: 4, rated: [2], lambda: 0.08, seed: 83)
        ]
        let smallModel = small.flatMap {
            try? StochasticGradientDescent.train(
                $0, .init(factors: 10, learningRate: 0.01, regularization: 0.08, iterations: 5, biases: true),
                initialUserFactors: Problems.normal(60, 10, seed: 84, scale: 0.1),
                initialItemFactors: Problems.normal(80, 10, seed: 85, scale: 0.1)
            ).model
        }
        if let smallModel {
            folds.append(
                (
                    "a model trained on a small MovieLens-shaped data set (k = 10), a new user with 10 ratings, λ = 0.08",
                    (smallModel, (0..<10).map { (item: 7 * $0, value: Double(1 + $0 % 5)) }, 0.08)
                ))
        }
        /// The course's fold-in with targets that keep μ, and with `itemBias` b_i too: on the model with those set to 0.
        func keeping(_ p: FoldProblem, itemBias: Bool) throws -> NewUser {
            var model = p.model
            model.globalMean = 0
            if itemBias { model.itemBias = [Double](repeating: 0, count: model.itemCount) }
            return try Lesson6Exercises.reference.foldIn(model, ratings: p.ratings, lambda: p.lambda)
        }
        let newUser = { (user: NewUser) in [Part.vector("p (the new user's factors)", user.factors), .number("b (the new user's bias)", user.bias)] }
        let foldIn = Grader<FoldProblem>(
            worked: (
                "foldIn(model with μ = 3, Q = [[1], [2]], b_i = [0, 1], ratings: [(item: 0, value: 5), (item: 1, value: 4)], lambda: 0.1)",
                (
                    FactorModel(userFactors: Matrix(rows: 1, columns: 1), itemFactors: Matrix([[1], [2]]), itemBias: [0, 1], globalMean: 3),
                    [(item: 0, value: 5), (item: 1, value: 4)], 0.1
                )
            ),
            problems: folds,
            cell: { newUser(try self.foldIn($0.model, ratings: $0.ratings, lambda: $0.lambda)) },
            reference: { newUser(try Lesson6Exercises.reference.foldIn($0.model, ratings: $0.ratings, lambda: $0.lambda)) },
            mistakes: [
                Mistake("the penalty is not weighted: it is λ times the number of ratings, n λ, on each diagonal entry") {
                    newUser(try $0.model.foldIn($0.ratings, lambda: $0.lambda, weighted: false))
                },
                Mistake("the targets still contain μ + b_i: regress r − μ − b_i, what the items' biases leave over") {
                    newUser(try keeping($0, itemBias: true))
                },
                Mistake("μ is missing from the targets: regress r − μ − b_i, the global mean taken off too") { newUser(try keeping($0, itemBias: false)) }
            ],
            show: { p in
                Show.inputs(
                    ("μ", Show.number(p.model.globalMean)), ("Q", Show.matrix(p.model.itemFactors)), ("b_i", Show.vector(p.model.itemBias)),
                    (
                        "ratings (item, value)",
                        p.ratings.count <= 20
                            ? p.ratings.map { "(\($0.item), \(Show.number($0.value)))" }.joined(separator: ", ")
                            : "\(p.ratings.count) ratings (too many to show)"
                    ),
                    ("lambda", Show.number(p.lambda)))
            })
        return [Exercise(infos[0], sgdUpdate), Exercise(infos[1], foldIn)]
    }
}
