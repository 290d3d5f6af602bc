// ✏️ Lesson 8's exercise: write the body of the function below, where it says ✏️.
//
// Until it is written, the lesson uses the course's own version and says so. Once it is, every blend of the lesson
// (the cross-validation of λ and the final weights) is fitted with yours. Check your work with
//
//     swift run -c release lesson-8 --check
//
// Stuck? `swift run -c release lesson-8 --solutions` runs the worked solution, in Sources/Solutions/Lesson8.swift.

import CFCore
import LessonKit

/// Exercise 8.1: the blend's weights by ridge regression with an unpenalized intercept. Each row of `x` is one
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
