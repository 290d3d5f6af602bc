import CFCore
import Foundation
import LessonKit
import MovieLens
import Solutions

/// Lesson 5's cells: the functions a learner writes in `Lessons/lesson-5/Cells.swift`.
/// Its closures capture nothing mutable, so a set of cells can be shared freely.
public struct Lesson5Cells: @unchecked Sendable {
    /// The two gradients of J.
    public typealias Gradients = (features: Matrix, preferences: Matrix)
    /// 5.1: the cost J with its L2 term.
    public var cost: (_ ratings: Ratings, _ features: Matrix, _ preferences: Matrix, _ lambda: Double) throws -> Double
    /// 5.2: both gradients of J.
    public var gradients: (_ ratings: Ratings, _ features: Matrix, _ preferences: Matrix, _ lambda: Double) throws -> Gradients
    /// 5.3: one batch gradient-descent step, X and Θ updated in place.
    public var gradientStep: (_ ratings: Ratings, _ features: inout Matrix, _ preferences: inout Matrix, _ alpha: Double, _ lambda: Double) throws -> Void

    /// A set of cells.
    public init(cost: @escaping (Ratings, Matrix, Matrix, Double) throws -> Double,
                gradients: @escaping (Ratings, Matrix, Matrix, Double) throws -> Gradients,
                gradientStep: @escaping (Ratings, inout Matrix, inout Matrix, Double, Double) throws -> Void) {
        self.cost = cost
        self.gradients = gradients
        self.gradientStep = gradientStep
    }

    /// The course's own versions, from the core (`CollaborativeCost`).
    public static let reference = Lesson5Cells(
        // The core says users and items; lesson 5 says Ng's preferences Θ (users) and features X (movies).
        cost: { CollaborativeCost.cost($0, users: $2, items: $1, lambda: $3) },
        gradients: { let g = CollaborativeCost.gradients($0, users: $2, items: $1, lambda: $3); return (features: g.items, preferences: g.users) },
        gradientStep: { ratings, x, theta, α, λ in
            let g = CollaborativeCost.gradients(ratings, users: theta, items: x, lambda: λ)
            x = x - α * g.items
            theta = theta - α * g.users
        })

    /// The worked solutions.
    public static let solutions = Lesson5Cells(
        cost: { try Lesson5Solutions.cost($0, features: $1, preferences: $2, lambda: $3) },
        gradients: { try Lesson5Solutions.gradients($0, features: $1, preferences: $2, lambda: $3) },
        gradientStep: { try Lesson5Solutions.gradientStep($0, features: &$1, preferences: &$2, alpha: $3, lambda: $4) })

    /// These cells, with the course's version in place of each one not in `written`.
    public func completed(_ written: Set<String>) -> Lesson5Cells {
        let r = Lesson5Cells.reference
        return Lesson5Cells(cost: written.contains("cost") ? cost : r.cost,
                            gradients: written.contains("gradients") ? gradients : r.gradients,
                            gradientStep: written.contains("gradientStep") ? gradientStep : r.gradientStep)
    }

    /// The largest relative difference |a − n| / max(|a| + |n|, 10⁻¹²) between the `gradients` cell and the central
    /// finite differences (J(w + ε) − J(w − ε)) / 2ε of the `cost` cell, over every parameter. Use it on a small problem.
    public func gradientCheck(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double,
                              epsilon: Double = 1e-4) throws -> Double {
        let analytic = try gradients(ratings, x, theta, lambda)
        var worst = 0.0
        for (parameters, gradient, isFeatures) in [(x, analytic.features, true), (theta, analytic.preferences, false)] {
            for index in parameters.elements.indices {
                var plus = parameters, minus = parameters
                plus.elements[index] += epsilon
                minus.elements[index] -= epsilon
                let up = try isFeatures ? cost(ratings, plus, theta, lambda) : cost(ratings, x, plus, lambda)
                let down = try isFeatures ? cost(ratings, minus, theta, lambda) : cost(ratings, x, minus, lambda)
                let numeric = (up - down) / (2 * epsilon), exact = gradient.elements[index]
                worst = max(worst, abs(exact - numeric) / max(abs(exact) + abs(numeric), 1e-12))
            }
        }
        return worst
    }

    public typealias Problem = (ratings: Ratings, x: Matrix, theta: Matrix, lambda: Double)

    /// The checks of `--check`: random problems, and a small MovieLens-shaped data set like the lesson's stand-in.
    public func exercises() -> [Exercise] {
        let infos = Course.lesson(5)?.exercises ?? []
        var problems: [(label: String, problem: Problem)] = [(4, 5, 3, 1.5, 61), (6, 8, 2, 0.3, 62), (3, 3, 1, 10.0, 63)].map { u, i, k, λ, seed in
            let ratings = Problems.ratings(users: u, items: i, density: 0.6, seed: UInt32(seed))
            return (Problems.label(ratings, seed: UInt32(seed), "k = \(k), λ = \(λ)"),
                    (ratings, Problems.normal(i, k, seed: UInt32(seed + 100)), Problems.normal(u, k, seed: UInt32(seed + 200)), λ))
        }
        if let small = try? MovieLens.synthetic(seed: 42, users: 60, movies: 80, count: 1500).ratings {
            problems.append(("a small MovieLens-shaped data set (60 users, 80 movies, 1,500 ratings; k = 10, λ = 10)",
                             (small, Problems.normal(80, 10, seed: 64, scale: 0.1), Problems.normal(60, 10, seed: 65, scale: 0.1), 10)))
        }
        let r = Lesson5Cells.reference
        let j = { (value: Double) in [Part.number("J", value)] }
        let cost = Grader<Problem>(
            problems: problems,
            cell: { j(try self.cost($0.ratings, $0.x, $0.theta, $0.lambda)) },
            reference: { j(try r.cost($0.ratings, $0.x, $0.theta, $0.lambda)) },
            mistakes: [
                Mistake("the L2 term is missing: add λ/2 (Σ ‖x_i‖² + Σ ‖θ_u‖²)") { j(try r.cost($0.ratings, $0.x, $0.theta, 0)) },
                Mistake("the L2 term is not halved: it is λ/2, not λ, times the squared norms") { j(try r.cost($0.ratings, $0.x, $0.theta, 2 * $0.lambda)) },
                Mistake("the squared errors are not halved: J starts with ½ Σ") { p in
                    j(try r.cost(p.ratings, p.x, p.theta, p.lambda) + 0.5 * Metrics.sumOfSquaredErrors(FactorModel(userFactors: p.theta, itemFactors: p.x), on: p.ratings))
                },
                Mistake("the sum runs over every cell, missing ratings as 0: sum over the observed ratings only") {
                    j(try r.cost(withMissingAsZero($0.ratings), $0.x, $0.theta, $0.lambda))
                },
            ])
        let g = { (value: Gradients) in [Part.matrix("∂J/∂X", value.features), Part.matrix("∂J/∂Θ", value.preferences)] }
        let gradients = Grader<Problem>(
            problems: problems,
            cell: { g(try self.gradients($0.ratings, $0.x, $0.theta, $0.lambda)) },
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
            ],
            extra: { p in
                guard p.x.elements.count + p.theta.elements.count <= 100 else { return nil }
                // Finite differences of the course's J: independent of the learner's cost cell.
                let worst = try Lesson5Cells(cost: r.cost, gradients: self.gradients, gradientStep: r.gradientStep)
                    .gradientCheck(p.ratings, features: p.x, preferences: p.theta, lambda: p.lambda)
                guard worst < 1e-6 else {
                    throw CheckFailure("on the gradient check: the gradients differ from J's finite differences by \(worst) (relative)")
                }
                return "finite differences agree (largest relative difference \(String(format: "%.1e", worst)))"
            })
        let steps = problems.map { ($0.label + ", α = 0.01, 3 steps", $0.problem) }
        func descend(_ p: Problem, _ step: (Ratings, inout Matrix, inout Matrix, Double, Double) throws -> Void) throws -> [Part] {
            var x = p.x, theta = p.theta
            for _ in 0..<3 { try step(p.ratings, &x, &theta, 0.01, p.lambda) }
            return [.matrix("X", x), .matrix("Θ", theta)]
        }
        let gradientStep = Grader<Problem>(
            problems: steps,
            cell: { try descend($0, self.gradientStep) },
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
                },
            ])
        return [Exercise(infos[0], cost), Exercise(infos[1], gradients), Exercise(infos[2], gradientStep)]
    }
}
