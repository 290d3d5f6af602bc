// ✏️ Lesson 6's exercises: write the body of each function below, where it says ✏️.
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson
// runs on yours: "The update, one rating at a time" trains a model with your `sgdUpdate` and compares it with the
// core's fast kernel, and the cold-start user is folded in with your `foldIn`. Check your work with
//
//     swift run lesson-6 --check
//
// or keep `swift run course watch` running in a terminal: it checks your cells each time you save, shows the
// next exercise with its worked case, gives hints in steps (h), and `swift run course reset 6.1` undoes a cell.
//
// Stuck? `swift run lesson-6 --solutions` runs the worked solutions, in Sources/Solutions/Lesson6.swift.

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
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     sgdUpdate(model with μ = 4, b_u = [0], b_i = [0], P = [[1]], Q = [[2]], user: 0, item: 0, rating: 4, learningRate: 0.1, lambda: 0.5, biasLambda: 0.1) gives b_u = [-0.2], b_i = [-0.2], P (user factors) = [[0.55]], Q (item factors) = [[1.79]]
    func sgdUpdate(
        _ model: inout FactorModel, user u: Int, item i: Int, rating r: Double,
        learningRate lr: Double, lambda: Double, biasLambda: Double
    ) throws {
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
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     foldIn(model with μ = 3, Q = [[1], [2]], b_i = [0, 1], ratings: [(item: 0, value: 5), (item: 1, value: 4)], lambda: 0.1) gives p (the new user's factors) = [-0.655738], b (the new user's bias) = 1.80328
    func foldIn(_ model: FactorModel, ratings: [(item: Int, value: Double)], lambda: Double) throws -> (factors: [Double], bias: Double) {
        // ✏️ Build the (k + 1) × (k + 1) normal equations from the ratings, add λ n on the diagonal, solve.
        throw NotDoneYet()
    }
}
