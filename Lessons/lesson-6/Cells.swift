// ✏️ Lesson 6's exercises: write the body of each function below, where it says ✏️.
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson
// runs on yours: "The update, one rating at a time" trains a model with your `sgdUpdate` and compares it with the
// core's fast kernel, and the cold-start user is folded in with your `foldIn`. Check your work with
//
//     swift run -c release lesson-6 --check
//
// Stuck? `swift run -c release lesson-6 --solutions` runs the worked solutions, in Sources/Solutions/Lesson6.swift.

import CFCore
import Exercises
import LessonKit

/// Your cells. The lesson calls them through `Lesson6Cells` (Sources/Exercises/Lesson6.swift), which fixes each one's
/// signature: write the bodies, and leave the names and parameters as they are.
struct YourCells: Lesson6Cells {
    /// Exercise 6.1: the biased SGD update for one rating r of user u for item i. With the prediction
    /// μ + b_u + b_i + p_u · q_i (`model.score(user: u, item: i)`) and e = r − prediction, computed once:
    ///
    ///     b_u += lr (e − biasλ b_u)            b_i += lr (e − biasλ b_i)
    ///     p_u += lr (e q_i − λ p_u)            then  q_i += lr (e p_u − λ q_i), with the new p_u
    ///
    /// μ (`model.globalMean`) stays fixed. The model is changed in place: `model.userBias[u]`, `model.itemBias[i]`,
    /// `model.userFactors[u, f]` and `model.itemFactors[i, f]` for f in 0..<model.factorCount.
    func sgdUpdate(_ model: inout FactorModel, user u: Int, item i: Int, rating r: Double,
                   learningRate lr: Double, lambda: Double, biasLambda: Double) throws {
        // ✏️ The error once, then both biases, then p_u and q_i factor by factor.
        throw NotDoneYet()
    }

    /// Exercise 6.2: a new user folded in, with every item's factors q_i and bias b_i held fixed. Find the user's
    /// factors p and bias b that minimise
    ///
    ///     Σ over the rated items i of (r_i − μ − b_i − q_i · p − b)²  +  λ n (‖p‖² + b²)
    ///
    /// with n the number of ratings (weighted λ, as ALS uses). It is one ridge regression with k + 1 unknowns (p, b):
    /// each rating is an equation with design row (q_i, 1) and target r_i − μ − b_i. Solve (AᵀA + λ n I) w = Aᵀy with
    /// `solveSymmetric` and return (factors: the first k entries of w, bias: the last).
    func foldIn(_ model: FactorModel, ratings: [(item: Int, value: Double)], lambda: Double) throws -> (factors: [Double], bias: Double) {
        // ✏️ Build the (k + 1) × (k + 1) normal equations from the ratings, add λ n on the diagonal, solve.
        throw NotDoneYet()
    }
}
