// ✏️ Lesson 5's exercises: write the body of each function below, where it says ✏️ (Andrew Ng's ex8, in Swift).
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson
// runs on yours: the costs it prints, the gradient check, every iteration of batch gradient descent and the
// recommendations are then your code's. Check your work with
//
//     swift run lesson-5 --check
//
// Stuck? `swift run lesson-5 --solutions` runs the worked solutions, in Sources/Solutions/Lesson5.swift.

import CFCore
import Exercises
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
    func gradientStep(_ ratings: Ratings, features x: inout Matrix, preferences theta: inout Matrix, alpha: Double, lambda: Double) throws {
        // ✏️ Compute both gradients first, then move X and Θ against them.
        throw NotDoneYet()
    }
}
