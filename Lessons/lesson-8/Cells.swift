// ✏️ Lesson 8's exercises: write the body of each function below, where it says ✏️.
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson runs
// on yours: it works out one user's Gaussian with your `userConditional` (the step a Gibbs sweep draws from), and
// fits every blend (the cross-validation of λ and the final weights) with your `ridgeBlend`. Check your work with
//
//     swift run lesson-8 --check
//
// or keep `swift run course watch` running in a terminal: it checks your cells each time you save, shows the
// next exercise with its worked case, gives hints in steps (h), and `swift run course reset 8.1` undoes a cell.
//
// Stuck? `swift run lesson-8 --solutions` runs the worked solutions, in Sources/Solutions/Lesson8.swift.

// A cell's toolbox (module CFCore, and Foundation for sqrt, exp, log and log2):
//
//     for r in ratings.entries { r.user, r.item, r.value }    every observed rating; user and item are Ints
//     ratings.ratings(ofUser: u), ratings.ratings(ofItem: i)   one user's, one item's ratings
//     ratings.userCount, ratings.itemCount                     the matrix's size
//     var m = Matrix(rows: 2, columns: 3)                      zeros; m[i, j] reads and writes one entry
//     m.row(i), m.setRow(i, to: values), m.rows, m.columns     rows as [Double]
//     a * b, a + b, a - b, 2 * a, a.transposed, a * vector     matrix arithmetic
//     Matrix.identity(k), m.sumOfSquares                       I, and Σ of every entry squared
//     dot(x, y)                                                the dot product of two [Double]
//     try solveSymmetric(a, b)                                 solves a w = b (a symmetric positive definite)
//
// `throw NotDoneYet()` marks a cell not written yet: the lesson then uses the course's own version.

import CFCore
import Exercises
import Foundation
import LessonKit

/// Your cells. The lesson calls them through `Lesson8Cells` (Sources/Exercises/Lesson8.swift), which fixes each one's
/// signature: write the bodies, and leave the names and parameters as they are.
struct YourCells: Lesson8Cells {
    /// Exercise 8.1: the Gaussian BPMF draws one user's factors from. `movies` holds the factors v_j of the movies the
    /// user rated (row j), `residuals` the user's ratings of them less the global mean (r_j), `alpha` the noise precision,
    /// and `mu`, `lambda` the prior's mean and precision. Then
    ///
    ///     P = Λ + α Σ_j v_j v_jᵀ          (the precision: the prior's plus what the ratings add)
    ///     covariance = P⁻¹
    ///     mean = P⁻¹ (α Σ_j r_j v_j + Λ μ)
    ///
    /// `solveSymmetric(P, b)` solves P x = b; the covariance is P⁻¹ one column at a time (solve against each column of I).
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     userConditional(movies: [[1, 0], [0, 1]], residuals: [1, 2], alpha: 1, mu: [0, 0], lambda: [[1, 0], [0, 1]]) gives mean = [0.5, 1], covariance = [[0.5, 0], [0, 0.5]]
    func userConditional(movies: Matrix, residuals: [Double], alpha: Double, mu: [Double], lambda: Matrix) throws
        -> (mean: [Double], covariance: Matrix)
    {
        // ✏️ Build P and b = α Σ r v + Λ μ, then the covariance and the mean.
        throw NotDoneYet()
    }

    /// Exercise 8.2: the blend's weights by ridge regression with an unpenalized intercept. Each row of `x` is one
    /// validation rating's inputs (the models' predictions, the two count features and the watch score), `y` the true ratings. Centre
    /// every column of x and y on its mean, solve
    ///
    ///     (XcᵀXc + λ n I) w = Xcᵀ yc          (n = the number of rows)
    ///
    /// with `solveSymmetric`, and return w with the intercept ȳ − w · x̄.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     ridgeBlend([[1], [2], [3]], [2, 4, 6], lambda: 1) gives weights = [0.8], intercept = 2.4
    func ridgeBlend(_ x: [[Double]], _ y: [Double], lambda: Double) throws -> (weights: [Double], intercept: Double) {
        // ✏️ Column means, the centred normal equations, λ n on the diagonal, solve, then the intercept.
        throw NotDoneYet()
    }
}
