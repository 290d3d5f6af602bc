// ✏️ Lesson 5's exercises: write the body of each function below, where it says ✏️ (Andrew Ng's ex8, in Swift).
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson
// runs on yours: the costs it prints, the gradient check, every iteration of batch gradient descent and the
// recommendations are then your code's. Check your work with
//
//     swift run lesson-5 --check
//
// or keep `swift run course watch` running in a terminal: it checks your cells each time you save, shows the
// next exercise with its worked case, gives hints in steps (h), and `swift run course reset 5.1` undoes a cell.
//
// Stuck? `swift run lesson-5 --solutions` runs the worked solutions, in Sources/Solutions/Lesson5.swift.

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

/// Your cells. The lesson calls them through `Lesson5Cells` (Sources/Exercises/Lesson5.swift), which fixes each one's
/// signature: write the bodies, and leave the names and parameters as they are.
struct YourCells: Lesson5Cells {
    /// Exercise 5.1: the cost of collaborative filtering, with movie features X (one row x_i per movie) and user
    /// preferences Θ (one row θ_u per user):
    ///
    ///     J = ½ Σ over observed (u, i) of (θ_u · x_i − y_ui)²  +  λ/2 (Σ_i ‖x_i‖² + Σ_u ‖θ_u‖²)
    ///
    /// Only the observed ratings count: loop over `ratings.entries` (`.user`, `.item`, `.value`), never over the whole
    /// matrix. `m.sumOfSquares` is Σ of the squares of every entry of m.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     cost(ratings [[5, ·], [1, 2]], features: [[1], [2]], preferences: [[2], [2]], lambda: 1) = 13.5
    func cost(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double) throws -> Double {
        // ✏️ The squared error of every observed rating, halved, plus the L2 term.
        throw NotDoneYet()
    }

    /// Exercise 5.2: both gradients of J, from one pass over the observed ratings:
    ///
    ///     ∂J/∂x_i = Σ over users u who rated i of (θ_u · x_i − y_ui) θ_u  +  λ x_i
    ///     ∂J/∂θ_u = Σ over movies i rated by u of (θ_u · x_i − y_ui) x_i  +  λ θ_u
    ///
    /// Return them as (features: ∂J/∂X, same shape as X; preferences: ∂J/∂Θ, same shape as Θ). Tip: start both from the
    /// λ terms (`lambda * x`, `lambda * theta`), then add each rating's error, weighted, to one row of each.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     gradients(ratings [[5, ·], [1, 2]], features: [[1], [2]], preferences: [[2], [2]], lambda: 1) gives ∂J/∂X = [[-3], [6]], ∂J/∂Θ = [[-1], [7]]
    func gradients(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double) throws
    -> (features: Matrix, preferences: Matrix) {
        // ✏️ For each observed rating: its error once, then err · θ_u into x_i's row and err · x_i into θ_u's row.
        throw NotDoneYet()
    }

    /// Exercise 5.3: one step of batch gradient descent, both gradients taken at the current X and Θ:
    ///
    ///     X −= α ∂J/∂X        Θ −= α ∂J/∂Θ
    ///
    /// Use your `gradients` (exercise 5.2: do that one first). Matrices support `a - b` and `s * a`.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     3 steps of gradientStep(ratings [[5, ·], [1, 2]], features: [[1], [2]], preferences: [[2], [2]], alpha: 0.01, lambda: 1) gives X = [[1.08844], [1.83965]], Θ = [[2.03017], [1.80894]]
    func gradientStep(_ ratings: Ratings, features x: inout Matrix, preferences theta: inout Matrix, alpha: Double, lambda: Double) throws {
        // ✏️ Compute both gradients first, then move X and Θ against them.
        throw NotDoneYet()
    }
}
