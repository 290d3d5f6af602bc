// Worked solutions of lesson 5's exercises. Try them yourself first, in Lessons/lesson-5/Cells.swift.
import CFCore

/// Lesson 5: the cost of collaborative filtering, its gradients, and a gradient-descent step.
public struct Lesson5Solutions: Sendable {
    /// The worked solutions, as a set of cells (`--solutions`).
    public init() {}

    /// J = ½ Σ over observed (u, i) of (θ_u · x_i − y_ui)²  +  λ/2 (Σ ‖x_i‖² + Σ ‖θ_u‖²)
    public func cost(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double) throws -> Double {
        var squaredErrors = 0.0
        for r in ratings.entries {
            let u = r.user, i = r.item
            var prediction = 0.0
            for f in 0..<x.columns { prediction += theta[u, f] * x[i, f] }
            squaredErrors += (prediction - r.value) * (prediction - r.value)
        }
        return 0.5 * squaredErrors + 0.5 * lambda * (x.sumOfSquares + theta.sumOfSquares)
    }

    /// ∂J/∂x_i = Σ over users u who rated i of (θ_u · x_i − y_ui) θ_u  +  λ x_i
    /// ∂J/∂θ_u = Σ over movies i rated by u of (θ_u · x_i − y_ui) x_i  +  λ θ_u
    public func gradients(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double) throws
        -> (features: Matrix, preferences: Matrix)
    {
        var gx = lambda * x, gt = lambda * theta
        for r in ratings.entries {
            let u = r.user, i = r.item
            var prediction = 0.0
            for f in 0..<x.columns { prediction += theta[u, f] * x[i, f] }
            let error = prediction - r.value
            for f in 0..<x.columns {
                gx[i, f] += error * theta[u, f]
                gt[u, f] += error * x[i, f]
            }
        }
        return (gx, gt)
    }

    /// X −= α ∂J/∂X and Θ −= α ∂J/∂Θ, both gradients taken at the same (old) X and Θ.
    public func gradientStep(
        _ ratings: Ratings, features x: inout Matrix, preferences theta: inout Matrix,
        alpha: Double, lambda: Double
    ) throws {
        let g = try gradients(ratings, features: x, preferences: theta, lambda: lambda)
        x = x - alpha * g.features
        theta = theta - alpha * g.preferences
    }
}
