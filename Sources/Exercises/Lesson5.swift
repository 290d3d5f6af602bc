import CFCore
import Foundation
import LessonKit
import MovieLens
import Solutions

/// Lesson 5's cells: what a learner writes in `Lessons/lesson-5/Cells.swift` (its `YourCells`), what the worked
/// solutions and the course's own versions compute, and what the lesson calls.
public protocol Lesson5Cells: Sendable {
    /// The two gradients of J.
    typealias Gradients = (features: Matrix, preferences: Matrix)
    /// 5.1: the cost J with its L2 term.
    func cost(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double) throws -> Double
    /// 5.2: both gradients of J.
    func gradients(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double) throws -> Gradients
    /// 5.3: one batch gradient-descent step, X and Θ updated in place.
    func gradientStep(_ ratings: Ratings, features x: inout Matrix, preferences theta: inout Matrix, alpha: Double, lambda: Double) throws
}

/// Lesson 5's exercises: their list, the course's own versions of the cells, and the gradient check.
public enum Lesson5Exercises {
    /// The cells, in order.
    public static let list = [
        ExerciseInfo(
            "5.1", "cost", "the cost J with its L2 term",
            hints: [
                "The squared error of every observed rating, halved, plus the L2 term.",
                "For each `r` in `ratings.entries`: `let e = dot(theta.row(r.user), x.row(r.item)) - r.value`, and add `e * e` to a sum.",
                "`J = 0.5 * sum + lambda / 2 * (x.sumOfSquares + theta.sumOfSquares)`."
            ]),
        ExerciseInfo(
            "5.2", "gradients", "both gradients ∂J/∂X and ∂J/∂Θ",
            hints: [
                "For each observed rating: its error once, then err · θ_u into x_i's row and err · x_i into θ_u's row.",
                "Start `var gx = lambda * x` and `var gt = lambda * theta`: the λ terms, in the shapes of X and Θ.",
                "For each `r` in `ratings.entries`: `let e = dot(theta.row(r.user), x.row(r.item)) - r.value`; for every f, `gx[r.item, f] += e * theta[r.user, f]` and `gt[r.user, f] += e * x[r.item, f]`. Return `(features: gx, preferences: gt)`."
            ]),
        ExerciseInfo(
            "5.3", "gradientStep", "one batch gradient-descent step",
            hints: [
                "Compute both gradients first, then move X and Θ against them.",
                "`let g = try gradients(ratings, features: x, preferences: theta, lambda: lambda)`: both gradients at the current X and Θ.",
                "`x = x - alpha * g.features` and `theta = theta - alpha * g.preferences`."
            ])
    ]

    /// The course's own versions, from the core (`CollaborativeCost`).
    public static let reference: any Lesson5Cells = Reference()
    /// The worked solutions (Sources/Solutions/Lesson5.swift).
    public static let solutions: any Lesson5Cells = Lesson5Solutions()

    /// The core says users and items; lesson 5 says Ng's preferences Θ (users) and features X (movies).
    struct Reference: Lesson5Cells {
        func cost(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double) -> Double {
            CollaborativeCost.cost(ratings, users: theta, items: x, lambda: lambda)
        }
        func gradients(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double) -> Gradients {
            let g = CollaborativeCost.gradients(ratings, users: theta, items: x, lambda: lambda)
            return (features: g.items, preferences: g.users)
        }
        func gradientStep(_ ratings: Ratings, features x: inout Matrix, preferences theta: inout Matrix, alpha: Double, lambda: Double) {
            let g = CollaborativeCost.gradients(ratings, users: theta, items: x, lambda: lambda)
            x = x - alpha * g.items
            theta = theta - alpha * g.users
        }
    }

    /// A learner's cells where written, the course's elsewhere.
    struct Completed: Lesson5Cells {
        let yours: any Lesson5Cells, written: Set<String>
        func run<T>(_ function: String = #function, _ call: (any Lesson5Cells) throws -> T) throws -> T {
            try attributed(yours, reference, written: written, lesson: 5, function: function, call)
        }

        func cost(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double) throws -> Double {
            try run { try $0.cost(ratings, features: x, preferences: theta, lambda: lambda) }
        }
        func gradients(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double) throws -> Gradients {
            try run { try $0.gradients(ratings, features: x, preferences: theta, lambda: lambda) }
        }
        func gradientStep(_ ratings: Ratings, features x: inout Matrix, preferences theta: inout Matrix, alpha: Double, lambda: Double) throws {
            try run { try $0.gradientStep(ratings, features: &x, preferences: &theta, alpha: alpha, lambda: lambda) }
        }
    }

    /// One parameter of X or Θ: its gradient from `gradients` (NaN when that gradient has the wrong shape) and the
    /// central finite difference (J(w + ε) − J(w − ε)) / 2ε of `cost` there.
    public struct GradientPair {
        /// "X" or "Θ", and the entry's row and column.
        public let matrix: String, row: Int, column: Int
        public let analytic: Double, numeric: Double
    }

    /// Every parameter's pair of gradients, X's entries first, then Θ's. Use it on a small problem.
    public static func gradientPairs(
        _ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double, epsilon: Double = 1e-4,
        cost: (Ratings, Matrix, Matrix, Double) throws -> Double,
        gradients: (Ratings, Matrix, Matrix, Double) throws -> Lesson5Cells.Gradients
    ) throws -> [GradientPair] {
        let analytic = try gradients(ratings, x, theta, lambda)
        var pairs = [GradientPair]()
        for (name, parameters, gradient, isFeatures) in [("X", x, analytic.features, true), ("Θ", theta, analytic.preferences, false)] {
            for index in parameters.elements.indices {
                var plus = parameters, minus = parameters
                let (row, column) = (index / parameters.columns, index % parameters.columns)
                plus[row, column] += epsilon
                minus[row, column] -= epsilon
                let up = try isFeatures ? cost(ratings, plus, theta, lambda) : cost(ratings, x, plus, lambda)
                let down = try isFeatures ? cost(ratings, minus, theta, lambda) : cost(ratings, x, minus, lambda)
                let sameShape = gradient.rows == parameters.rows && gradient.columns == parameters.columns
                pairs.append(
                    GradientPair(
                        matrix: name, row: index / parameters.columns, column: index % parameters.columns,
                        analytic: sameShape ? gradient.elements[index] : .nan, numeric: (up - down) / (2 * epsilon)))
            }
        }
        return pairs
    }

    /// The largest relative difference |a − n| / max(|a| + |n|, 10⁻¹²) between `gradients` and the central finite
    /// differences of `cost`, over every parameter (`gradientPairs`). Use it on a small problem.
    public static func gradientCheck(
        _ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double, epsilon: Double = 1e-4,
        cost: (Ratings, Matrix, Matrix, Double) throws -> Double,
        gradients: (Ratings, Matrix, Matrix, Double) throws -> Lesson5Cells.Gradients
    ) throws -> Double {
        try gradientPairs(ratings, features: x, preferences: theta, lambda: lambda, epsilon: epsilon, cost: cost, gradients: gradients)
            .reduce(0.0) { worst, pair in
                let difference =
                    pair.analytic.isNaN
                    ? Double.infinity
                    : abs(pair.analytic - pair.numeric) / max(abs(pair.analytic) + abs(pair.numeric), 1e-12)
                return max(worst, difference)
            }
    }
}

extension Lesson5Exercises {
    /// Every parameter's gradient from `gradients` beside the central finite difference of `cost`, as a table a learner
    /// reads like Ng's checkCostFunction: a zero column, a sign or a factor of 2 stands out. Use it on a small problem.
    public static func gradientTable(
        _ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double, epsilon: Double = 1e-4,
        cost: (Ratings, Matrix, Matrix, Double) throws -> Double,
        gradients: (Ratings, Matrix, Matrix, Double) throws -> Lesson5Cells.Gradients
    ) throws -> String {
        let pairs = try gradientPairs(ratings, features: x, preferences: theta, lambda: lambda, epsilon: epsilon, cost: cost, gradients: gradients)
        let rows =
            [["parameter", "your gradient", "finite difference", ""]]
            + pairs.map { pair in
                [
                    "\(pair.matrix)[\(pair.row), \(pair.column)]", Grader<Int>.show(pair.analytic), Grader<Int>.show((pair.numeric * 1e6).rounded() / 1e6),
                    abs(pair.analytic - pair.numeric) <= 1e-6 * max(1, abs(pair.numeric)) ? "" : "✗"
                ]
            }
        let widths = (0..<4).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return
            (["  your gradients beside the finite differences (J(w + ε) − J(w − ε)) / 2ε of the course's J, on that case:"]
            + rows.map { row in
                ("    " + zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
                    .replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression)
            })
            .joined(separator: "\n")
    }
}

extension Lesson5Solutions: Lesson5Cells {}

extension Lesson5Cells {
    /// These cells, with the course's version in place of each one not in `written`.
    public func completed(_ written: Set<String>) -> any Lesson5Cells { Lesson5Exercises.Completed(yours: self, written: written) }

    /// The largest relative difference between the `gradients` cell and the finite differences of the `cost` cell
    /// (`Lesson5Exercises.gradientCheck`). Use it on a small problem.
    public func gradientCheck(
        _ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double,
        epsilon: Double = 1e-4
    ) throws -> Double {
        try Lesson5Exercises.gradientCheck(ratings, features: x, preferences: theta, lambda: lambda, epsilon: epsilon, cost: cost, gradients: gradients)
    }

    public typealias Problem = (ratings: Ratings, x: Matrix, theta: Matrix, lambda: Double)

    /// The checks of `--check`: random problems, and a small MovieLens-shaped data set like the lesson's stand-in. The
    /// first is square, so that a cell that puts each rating's terms in the wrong rows gets an answer, and a hint, before
    /// the other shapes take it out of range.
    public func exercises() -> [Exercise] {
        let infos = Lesson5Exercises.list
        var problems: [(label: String, problem: Problem)] = [(5, 5, 2, 0.8, 60), (4, 5, 3, 1.5, 61), (6, 8, 2, 0.3, 62), (3, 3, 1, 10.0, 63)].map {
            u, i, k, λ, seed in
            let ratings = Problems.ratings(users: u, items: i, density: 0.6, seed: UInt32(seed))
            return (
                Problems.label(ratings, seed: UInt32(seed), "k = \(k), λ = \(λ)"),
                (ratings, Problems.normal(i, k, seed: UInt32(seed + 100)), Problems.normal(u, k, seed: UInt32(seed + 200)), λ)
            )
        }
        if let small = try? MovieLens.synthetic(seed: 42, users: 60, movies: 80, count: 1500).ratings {
            problems.append(
                (
                    "a small MovieLens-shaped data set (60 users, 80 movies, 1,500 ratings; k = 10, λ = 10)",
                    (small, Problems.normal(80, 10, seed: 64, scale: 0.1), Problems.normal(60, 10, seed: 65, scale: 0.1), 10)
                ))
        }
        // The worked case: two users and two movies, k = 1, λ = 1.
        let worked: (call: String, problem: Problem) = (
            "cost(ratings [[5, ·], [1, 2]], features: [[1], [2]], preferences: [[2], [2]], lambda: 1)",
            ((try? Ratings(dense: [[5, nil], [1, 2]]))!, Matrix([[1], [2]]), Matrix([[2], [2]]), 1)
        )
        func call(_ name: String, _ extra: String = "") -> (call: String, problem: Problem) {
            (worked.call.replacingOccurrences(of: "cost(", with: name + "(").replacingOccurrences(of: "lambda: 1)", with: extra + "lambda: 1)"), worked.problem)
        }
        let show = { (p: Problem) in
            Show.inputs(
                ("ratings (one row per user)", Show.ratings(p.ratings)), ("features X", Show.matrix(p.x)),
                ("preferences Θ", Show.matrix(p.theta)), ("lambda", Show.number(p.lambda)))
        }
        let course = Lesson5Exercises.reference
        let r = (cost: course.cost, gradients: course.gradients, gradientStep: course.gradientStep)
        let mine = (cost: self.cost, gradients: self.gradients, gradientStep: self.gradientStep)
        let j = { (value: Double) in [Part.number("J", value)] }
        let cost = Grader<Problem>(
            worked: worked,
            problems: problems,
            cell: { j(try mine.cost($0.ratings, $0.x, $0.theta, $0.lambda)) },
            reference: { j(try r.cost($0.ratings, $0.x, $0.theta, $0.lambda)) },
            mistakes: [
                Mistake("the L2 term is missing: add λ/2 (Σ ‖x_i‖² + Σ ‖θ_u‖²)") { j(try r.cost($0.ratings, $0.x, $0.theta, 0)) },
                Mistake("the L2 term is not halved: it is λ/2, not λ, times the squared norms") { j(try r.cost($0.ratings, $0.x, $0.theta, 2 * $0.lambda)) },
                Mistake("the L2 term covers only X: it is λ/2 (Σ ‖x_i‖² + Σ ‖θ_u‖²), the users' preferences Θ too") {
                    j(try r.cost($0.ratings, $0.x, $0.theta, 0) + $0.lambda / 2 * $0.x.sumOfSquares)
                },
                Mistake("the L2 term covers only Θ: it is λ/2 (Σ ‖x_i‖² + Σ ‖θ_u‖²), the movies' features X too") {
                    j(try r.cost($0.ratings, $0.x, $0.theta, 0) + $0.lambda / 2 * $0.theta.sumOfSquares)
                },
                Mistake("the squared errors are not halved: J starts with ½ Σ") { p in
                    j(
                        try r.cost(p.ratings, p.x, p.theta, p.lambda) + 0.5
                            * Metrics.sumOfSquaredErrors(FactorModel(userFactors: p.theta, itemFactors: p.x), on: p.ratings))
                },
                Mistake("the sum runs over every cell, missing ratings as 0: sum over the observed ratings only") {
                    j(try r.cost(withMissingAsZero($0.ratings), $0.x, $0.theta, $0.lambda))
                }
            ],
            show: show)
        let g = { (value: Gradients) in [Part.matrix("∂J/∂X", value.features), Part.matrix("∂J/∂Θ", value.preferences)] }
        let gradients = Grader<Problem>(
            worked: call("gradients"),
            problems: problems,
            cell: { g(try mine.gradients($0.ratings, $0.x, $0.theta, $0.lambda)) },
            reference: { g(try r.gradients($0.ratings, $0.x, $0.theta, $0.lambda)) },
            mistakes: [
                Mistake("the λ term is missing: each gradient row also gets + λ x_i (or + λ θ_u)") { g(try r.gradients($0.ratings, $0.x, $0.theta, 0)) },
                Mistake("the error has the wrong sign: it is prediction − rating, θ_u · x_i − y_ui") { p in
                    let right = try r.gradients(p.ratings, p.x, p.theta, p.lambda)
                    return g((2 * p.lambda * p.x - right.features, 2 * p.lambda * p.theta - right.preferences))
                },
                Mistake("the sums run over every cell, missing ratings as 0: use the observed ratings only") {
                    g(try r.gradients(withMissingAsZero($0.ratings), $0.x, $0.theta, $0.lambda))
                },
                Mistake("the two gradients are swapped: ∂J/∂X has one row per movie, ∂J/∂Θ one per user") { p in
                    let right = try r.gradients(p.ratings, p.x, p.theta, p.lambda)
                    return [Part.matrix("∂J/∂X", right.preferences), Part.matrix("∂J/∂Θ", right.features)]
                },
                Mistake("each rating's terms went into the wrong rows: err · θ_u belongs in row i of ∂J/∂X, err · x_i in row u of ∂J/∂Θ") { p in
                    g(try gradientsInWrongRows(p.ratings, features: p.x, preferences: p.theta, lambda: p.lambda))
                }
            ],
            extra: { p in
                guard p.x.elements.count + p.theta.elements.count <= 100 else { return nil }
                // Finite differences of the course's J: independent of the learner's cost cell.
                let worst = try Lesson5Exercises.gradientCheck(
                    p.ratings, features: p.x, preferences: p.theta, lambda: p.lambda,
                    cost: r.cost, gradients: mine.gradients)
                guard worst < 1e-6 else {
                    throw CheckFailure("on the gradient check: the gradients differ from J's finite differences by \(worst) (relative)")
                }
                return "finite differences agree (largest relative difference \(String(format: "%.1e", worst)))"
            },
            show: show,
            explain: { p in
                // Ng's checkCostFunction: yours and J's finite differences side by side, on the case itself when it is small.
                let q = p.x.elements.count + p.theta.elements.count <= 12 ? p : worked.problem
                return try? Lesson5Exercises.gradientTable(
                    q.ratings, features: q.x, preferences: q.theta, lambda: q.lambda,
                    cost: r.cost, gradients: mine.gradients)
            })
        let steps = problems.map { ($0.label + ", α = 0.01, 3 steps", $0.problem) }
        func descend(_ p: Problem, _ step: (Ratings, inout Matrix, inout Matrix, Double, Double) throws -> Void) throws -> [Part] {
            var x = p.x, theta = p.theta
            for _ in 0..<3 { try step(p.ratings, &x, &theta, 0.01, p.lambda) }
            return [.matrix("X", x), .matrix("Θ", theta)]
        }
        let gradientStep = Grader<Problem>(
            worked: ("3 steps of " + call("gradientStep", "alpha: 0.01, ").call, worked.problem),
            problems: steps,
            cell: { try descend($0, mine.gradientStep) },
            reference: { try descend($0, r.gradientStep) },
            mistakes: [
                Mistake("the step goes uphill: subtract α times the gradient, X −= α ∂J/∂X") { p in
                    try descend(p) { ratings, x, theta, α, λ in try r.gradientStep(ratings, &x, &theta, -α, λ) }
                },
                Mistake("Θ's gradient was taken after X had moved: compute both gradients first, then move X and Θ together") { p in
                    try descend(p) { ratings, x, theta, α, λ in
                        x = x - α * (try r.gradients(ratings, x, theta, λ)).features
                        theta = theta - α * (try r.gradients(ratings, x, theta, λ)).preferences
                    }
                },
                Mistake("the gradients used have no λ term: pass λ on to the gradients") { p in
                    try descend(p) { ratings, x, theta, α, _ in try r.gradientStep(ratings, &x, &theta, α, 0) }
                }
            ],
            show: { p in show(p).map { $0 + "\n    alpha = 0.01, 3 steps" } })
        return [Exercise(infos[0], cost), Exercise(infos[1], gradients), Exercise(infos[2], gradientStep)]
    }
}

/// The gradients of a cell that adds each rating's terms to the wrong rows, the user's and the movie's indices swapped:
/// err · θ_u into row u of ∂J/∂X and err · x_i into row i of ∂J/∂Θ. Only a square problem has those rows (on others the
/// cell stops out of range), so on others this throws.
func gradientsInWrongRows(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double) throws -> Lesson5Cells.Gradients {
    guard x.rows == theta.rows else { throw CheckFailure("the wrong rows exist only when there are as many users as movies") }
    var gx = lambda * x, gt = lambda * theta
    for r in ratings.entries {
        let u = r.user, i = r.item
        let error = dot(theta.row(u), x.row(i)) - r.value
        for f in 0..<x.columns {
            gx[u, f] += error * theta[u, f]
            gt[i, f] += error * x[i, f]
        }
    }
    return (gx, gt)
}
