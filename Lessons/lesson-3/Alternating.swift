// The loop of ALS as lesson 3 runs it, on the learner's cells, and the small linear algebra the lesson shows.

import CFCore
import Exercises
import LessonKit

/// ALS from the song factors `start`: a listener step and a song step per iteration, until an iteration lowers the
/// objective by less than `tolerance` of it (or to 0), or `iterations` have run.
///
/// - Throws: `LessonError.message` when the objective stops being a finite number; whatever the cells throw.
func alternate(_ ratings: Ratings, start: Matrix, lambda λ: Double, iterations: Int, tolerance: Double, cells: any Lesson3Cells) throws
    -> (p: Matrix, q: Matrix, steps: [HalfStep], converged: Bool)
{
    var p = Matrix(rows: ratings.userCount, columns: start.columns), q = start
    var steps = [HalfStep]()
    for iteration in 1...iterations {
        let before = steps.last?.objective
        p = try cells.halfStep(.users, ratings, fixed: q, lambda: λ)
        steps.append(try HalfStep(iteration, .users, ratings, p, q, λ, cells))
        q = try cells.halfStep(.items, ratings, fixed: p, lambda: λ)
        steps.append(try HalfStep(iteration, .items, ratings, p, q, λ, cells))
        let now = steps[steps.count - 1].objective
        guard now.isFinite else { throw LessonError.message("the objective became NaN or infinite at iteration \(iteration)") }
        if let before, before - now <= tolerance * max(before, .leastNormalMagnitude) || now == 0 { return (p, q, steps, true) }
    }
    return (p, q, steps, false)
}

/// The state after one half-step: which side was solved, the squared errors, and the objective (with the penalty).
struct HalfStep {
    let iteration: Int, side: Side, sumOfSquaredErrors: Double, objective: Double

    /// Measures the factors after a half-step with the `objective` cell (λ = 0 gives the plain sum of squared errors).
    init(_ iteration: Int, _ side: Side, _ ratings: Ratings, _ p: Matrix, _ q: Matrix, _ λ: Double, _ cells: any Lesson3Cells) throws {
        self.iteration = iteration
        self.side = side
        sumOfSquaredErrors = try cells.objective(ratings, listeners: p, songs: q, lambda: 0)
        objective = λ > 0 ? try cells.objective(ratings, listeners: p, songs: q, lambda: λ) : sumOfSquaredErrors
    }
}

/// The Euclidean length of a vector.
func norm(_ v: [Double]) -> Double { dot(v, v).squareRoot() }

/// The inverse of a small square matrix, column by column through least squares (exact for invertible A).
func inverse(_ a: Matrix) throws -> Matrix {
    let columns = try (0..<a.rows).map { j in try LeastSquares.solve(a, Matrix.identity(a.rows).column(j)) }
    return Matrix(columns).transposed
}
