import CFCore
import LessonKit
import Solutions

/// Lesson 8's cells: what a learner writes in `Lessons/lesson-8/Cells.swift` (its `YourCells`), what the worked
/// solutions and the course's own versions compute, and what the lesson calls.
public protocol Lesson8Cells: Sendable {
    /// A Gaussian: its mean and covariance.
    typealias Gaussian = (mean: [Double], covariance: Matrix)
    /// Weights and intercept of a linear blend.
    typealias Fitted = (weights: [Double], intercept: Double)
    /// 8.1: the Gaussian a user's factors are drawn from, given the factors of the movies they rated.
    func userConditional(movies: Matrix, residuals: [Double], alpha: Double, mu: [Double], lambda: Matrix) throws -> Gaussian
    /// 8.2: ridge regression with an unpenalized intercept.
    func ridgeBlend(_ x: [[Double]], _ y: [Double], lambda: Double) throws -> Fitted
}

/// Lesson 8's exercises: their list and the course's own versions of the cells.
public enum Lesson8Exercises {
    /// The cells, in order.
    public static let list = [
        ExerciseInfo(
            "8.1", "userConditional", "the mean and covariance of the Gaussian that BPMF draws a user's factors from",
            hints: [
                "Build P and b = α Σ r v + Λ μ, then the covariance and the mean.",
                "With `k = mu.count`: P starts as `lambda`, and each movie j adds `alpha * v[d] * v[e]` to `P[d, e]`; b starts as Λμ and each movie adds `alpha * residuals[j] * v`.",
                "`mean = try solveSymmetric(p, b)`; the covariance's column c is `try solveSymmetric(p, e)` with e the c-th column of the identity."
            ]),
        ExerciseInfo(
            "8.2", "ridgeBlend", "the blend's weights by ridge regression with an unpenalized intercept",
            hints: [
                "Column means, the centred normal equations, λ n on the diagonal, solve, then the intercept.",
                "With `n = x.count`: the mean of each column of x and of y; centre them: `xc[r][c] = x[r][c] - means[c]`, `yc[r] = y[r] - yMean`.",
                "A = XcᵀXc + λ n I and b = Xcᵀ yc; `let w = try solveSymmetric(a, b)`; the intercept is `yMean - Σ w[c] * means[c]`."
            ])
    ]

    /// The course's own versions, from the core: `BayesianMatrixFactorization.rowPosterior`, and `LeastSquares.solve`
    /// on the centred columns.
    public static let reference: any Lesson8Cells = Reference()
    /// The worked solutions (Sources/Solutions/Lesson8.swift).
    public static let solutions: any Lesson8Cells = Lesson8Solutions()

    struct Reference: Lesson8Cells {
        func userConditional(movies: Matrix, residuals: [Double], alpha: Double, mu: [Double], lambda: Matrix) throws -> Gaussian {
            try BayesianMatrixFactorization.rowPosterior(fixed: movies, residuals: residuals, alpha: alpha, mu: mu, lambda: lambda)
        }
        func ridgeBlend(_ x: [[Double]], _ y: [Double], lambda: Double) throws -> Fitted {
            let n = Double(x.count), p = x.first?.count ?? 0
            let means = (0..<p).map { c in x.reduce(0) { $0 + $1[c] } / n }, yMean = y.reduce(0, +) / n
            let design = Matrix(rows: x.count, columns: p) { r, c in x[r][c] - means[c] }
            let w = try LeastSquares.solve(design, y.map { $0 - yMean }, lambda: lambda * n)
            return (w, yMean - zip(w, means).reduce(0) { $0 + $1.0 * $1.1 })
        }
    }

    /// A learner's cells where written, the course's elsewhere.
    struct Completed: Lesson8Cells {
        let yours: any Lesson8Cells, written: Set<String>
        func run<T>(_ function: String = #function, _ call: (any Lesson8Cells) throws -> T) throws -> T {
            try attributed(yours, reference, written: written, lesson: 8, function: function, call)
        }

        func userConditional(movies: Matrix, residuals: [Double], alpha: Double, mu: [Double], lambda: Matrix) throws -> Gaussian {
            try run { try $0.userConditional(movies: movies, residuals: residuals, alpha: alpha, mu: mu, lambda: lambda) }
        }
        func ridgeBlend(_ x: [[Double]], _ y: [Double], lambda: Double) throws -> Fitted {
            try run { try $0.ridgeBlend(x, y, lambda: lambda) }
        }
    }
}

extension Lesson8Solutions: Lesson8Cells {}

extension Lesson8Cells {
    /// These cells, with the course's version in place of each one not in `written`.
    public func completed(_ written: Set<String>) -> any Lesson8Cells { Lesson8Exercises.Completed(yours: self, written: written) }

    public typealias ConditionalProblem = (movies: Matrix, residuals: [Double], alpha: Double, mu: [Double], lambda: Matrix)
    public typealias Problem = (x: [[Double]], y: [Double], lambda: Double)

    /// The checks of `--check`: a user's Gaussian worked by hand and on random movies and priors; random blends with
    /// an intercept, correlated inputs, and λ from tiny to large.
    public func exercises() -> [Exercise] {
        let infos = Lesson8Exercises.list
        func conditional(movies: Int, k: Int, seed: UInt32, alpha: Double) -> ConditionalProblem {
            var rng = RandomState(seed: seed)
            let v = rng.randn(movies, k), residuals = (0..<movies).map { _ in rng.randn() }
            let a = rng.randn(k, k), mu = (0..<k).map { _ in 0.3 * rng.randn() }
            var lambda = a * a.transposed
            for d in 0..<k { lambda[d, d] += 1 }
            return (v, residuals, alpha, mu, lambda)
        }
        let conditionalProblems: [(label: String, problem: ConditionalProblem)] = [
            (
                "worked by hand: k = 2, Λ = I, μ = 0, α = 1, movies (1, 1), (√2, 0), (0, 1) rated 1, 0, 1 above the mean: mean (1/11, 7/11)",
                (Matrix([[1, 1], [Double(2).squareRoot(), 0], [0, 1]]), [1, 0, 1], 1, [0, 0], Matrix.identity(2))
            ),
            ("12 movies, k = 3, α = 2, a random prior (seed 1)", conditional(movies: 12, k: 3, seed: 1, alpha: 2)),
            ("one movie, k = 4, α = 1.5 (seed 2): the prior decides most of it", conditional(movies: 1, k: 4, seed: 2, alpha: 1.5))
        ]
        let gaussian = { (g: Gaussian) in [Part.vector("mean", g.mean), .matrix("covariance", g.covariance)] }
        let course = { (p: ConditionalProblem) in
            try BayesianMatrixFactorization.rowPosterior(fixed: p.movies, residuals: p.residuals, alpha: p.alpha, mu: p.mu, lambda: p.lambda)
        }
        let conditionalGrader = Grader<ConditionalProblem>(
            worked: (
                "userConditional(movies: [[1, 0], [0, 1]], residuals: [1, 2], alpha: 1, mu: [0, 0], lambda: [[1, 0], [0, 1]])",
                (Matrix([[1, 0], [0, 1]]), [1, 2], 1, [0, 0], Matrix.identity(2))
            ),
            problems: conditionalProblems,
            cell: { gaussian(try self.userConditional(movies: $0.movies, residuals: $0.residuals, alpha: $0.alpha, mu: $0.mu, lambda: $0.lambda)) },
            reference: { gaussian(try course($0)) },
            mistakes: [
                Mistake("the prior's pull Λμ is missing from the mean: b = α Σ r v + Λ μ") { p in
                    let g = try course((p.movies, p.residuals, p.alpha, [Double](repeating: 0, count: p.mu.count), p.lambda))
                    return gaussian(g)
                },
                Mistake("α is missing: it multiplies both Σ v vᵀ in the precision and Σ r v in the mean") { p in
                    gaussian(try course((p.movies, p.residuals, 1, p.mu, p.lambda)))
                },
                Mistake("α is missing from b: it multiplies the ratings' part of the mean too, b = α Σ r v + Λ μ") { p in
                    // Σ r v + Λ μ is α Σ (r / α) v + Λ μ: the course's Gaussian for residuals divided by α.
                    gaussian(try course((p.movies, p.residuals.map { $0 / p.alpha }, p.alpha, p.mu, p.lambda)))
                },
                Mistake("the covariance is the precision P itself: return its inverse P⁻¹") { p in
                    let g = try course(p)
                    var precision = p.lambda
                    for j in 0..<p.movies.rows {
                        for a in 0..<p.lambda.rows { for b in 0..<p.lambda.rows { precision[a, b] += p.alpha * p.movies[j, a] * p.movies[j, b] } }
                    }
                    return gaussian((g.mean, precision))
                }
            ],
            relativeTolerance: 1e-8,
            show: { p in
                Show.inputs(
                    ("movies", Show.matrix(p.movies)), ("residuals", Show.vector(p.residuals)), ("alpha", Show.number(p.alpha)),
                    ("mu", Show.vector(p.mu)), ("lambda", Show.matrix(p.lambda)))
            })
        func problem(_ rows: Int, _ columns: Int, seed: UInt32, lambda: Double) -> Problem {
            var rng = RandomState(seed: seed)
            let truth = (0..<columns).map { _ in rng.randn() }
            let x = (0..<rows).map { _ in (0..<columns).map { _ in 3 + rng.randn() } }
            let y = x.map { row in 1.5 + zip(row, truth).reduce(0) { $0 + $1.0 * $1.1 } + 0.1 * rng.randn() }
            return (x, y, lambda)
        }
        let problems: [(label: String, problem: Problem)] = [
            ("30 rows, 3 inputs, λ = 0.001 (seed 1)", problem(30, 3, seed: 1, lambda: 0.001)),
            ("50 rows, 8 inputs, λ = 0.1 (seed 2)", problem(50, 8, seed: 2, lambda: 0.1)),
            ("12 rows, 5 inputs, λ = 10 (seed 3): the weights shrink toward 0", problem(12, 5, seed: 3, lambda: 10))
        ]
        let parts = { (f: Fitted) in [Part.vector("weights", f.weights), .number("intercept", f.intercept)] }
        /// The blend of a cell that leaves the inputs uncentred: the normal equations of the raw columns of x, with y
        /// raw or (`centringY`) centred, and the intercept still ȳ − w · x̄.
        func notCentred(_ p: Problem, centringY: Bool) throws -> Fitted {
            let n = Double(p.x.count), columns = p.x.first?.count ?? 0
            let means = (0..<columns).map { c in p.x.reduce(0) { $0 + $1[c] } / n }, yMean = p.y.reduce(0, +) / n
            let w = try LeastSquares.solve(
                Matrix(rows: p.x.count, columns: columns) { p.x[$0][$1] }, p.y.map { centringY ? $0 - yMean : $0 },
                lambda: p.lambda * n)
            return (w, yMean - zip(w, means).reduce(0) { $0 + $1.0 * $1.1 })
        }
        let uncentred = "the inputs were not centred: subtract each column's mean from x (and ȳ from y) before the normal equations"
        let grader = Grader<Problem>(
            worked: ("ridgeBlend([[1], [2], [3]], [2, 4, 6], lambda: 1)", ([[1], [2], [3]], [2, 4, 6], 1)),
            problems: problems,
            cell: { parts(try self.ridgeBlend($0.x, $0.y, lambda: $0.lambda)) },
            reference: { parts(try Lesson8Solutions().ridgeBlend($0.x, $0.y, lambda: $0.lambda)) },
            mistakes: [
                Mistake("the penalty is λ, not λ n: the lesson's λ is per rating, so multiply it by the number of rows") { p in
                    parts(try Lesson8Solutions().ridgeBlend(p.x, p.y, lambda: p.lambda / Double(p.x.count)))
                },
                Mistake("the intercept was penalized (no centring): centre the columns and y, then compute the intercept") { p in
                    let design = Matrix(rows: p.x.count, columns: (p.x.first?.count ?? 0) + 1) { r, c in c < p.x[r].count ? p.x[r][c] : 1 }
                    let w = try LeastSquares.solve(design, p.y, lambda: p.lambda * Double(p.x.count))
                    return parts((Array(w.dropLast()), w.last ?? 0))
                },
                Mistake(uncentred) { parts(try notCentred($0, centringY: false)) },
                Mistake(uncentred) { parts(try notCentred($0, centringY: true)) }
            ],
            show: { p in
                Show.inputs(
                    ("x", Show.matrix(Matrix(p.x))), ("y", Show.vector(p.y)),
                    ("lambda", Show.number(p.lambda)))
            })
        return [Exercise(infos[0], conditionalGrader), Exercise(infos[1], grader)]
    }
}
