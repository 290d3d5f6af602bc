// Batch gradient descent as lesson 5 runs it: the learner's step and cost, iteration after iteration.

import CFCore
import Exercises

/// Runs `iterations` steps of the `gradientStep` cell from X and Θ, measuring J with the `cost` cell before the first
/// step and after each (iterations + 1 values).
///
/// - Throws: `TrainingError.diverged` when J stops being a finite number.
func descend(
    _ ratings: Ratings, features: Matrix, preferences: Matrix, alpha: Double, lambda: Double, iterations: Int,
    cells: any Lesson5Cells, onIteration: (Int, Double) -> Void = { _, _ in }
)
    throws -> (features: Matrix, preferences: Matrix, costs: [Double])
{
    var x = features, theta = preferences
    var costs = [try cells.cost(ratings, features: x, preferences: theta, lambda: lambda)]
    for iteration in 1...max(iterations, 1) where iterations > 0 {
        try cells.gradientStep(ratings, features: &x, preferences: &theta, alpha: alpha, lambda: lambda)
        let cost = try cells.cost(ratings, features: x, preferences: theta, lambda: lambda)
        guard cost.isFinite else {
            throw TrainingError.diverged(method: "gradient descent", stepName: "iteration", step: iteration, learningRate: alpha, regularization: lambda)
        }
        costs.append(cost)
        onIteration(iteration, cost)
    }
    return (x, theta, costs)
}
