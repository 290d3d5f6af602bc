// ✏️ Lesson 8's exercises: write the body of each function below, where it says ✏️.
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson runs
// on yours: it works out one user's Gaussian with your `userConditional` (the step a Gibbs sweep draws from), and
// fits every blend (the cross-validation of λ and the final weights) with your `ridgeBlend`. Check your work with
//
//     swift run -c release lesson-8 --check
//
// Stuck? `swift run -c release lesson-8 --solutions` runs the worked solutions, in Sources/Solutions/Lesson8.swift.

import CFCore
import Exercises
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
    func userConditional(movies: Matrix, residuals: [Double], alpha: Double, mu: [Double], lambda: Matrix) throws
    -> (mean: [Double], covariance: Matrix) {
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
    func ridgeBlend(_ x: [[Double]], _ y: [Double], lambda: Double) throws -> (weights: [Double], intercept: Double) {
        // ✏️ Column means, the centred normal equations, λ n on the diagonal, solve, then the intercept.
        throw NotDoneYet()
    }
}
