// ✏️ Lesson 3's exercises: write the body of each function below, where it says ✏️.
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson
// runs on yours: the loop of ALS in main.swift calls them, so the table of half-steps, the loss curve and the
// learned factors are your code's. Check your work with
//
//     swift run lesson-3 --check
//
// or keep `swift run course watch` running in a terminal: it checks your cells each time you save, shows the
// next exercise with its worked case, gives hints in steps (h), and `swift run course reset 3.1` undoes a cell.
//
// Stuck? `swift run lesson-3 --solutions` runs the worked solutions, in Sources/Solutions/Lesson3.swift.

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

/// Your cells. The lesson calls them through `Lesson3Cells` (Sources/Exercises/Lesson3.swift), which fixes each one's
/// signature: write the bodies, and leave the names and parameters as they are.
struct YourCells: Lesson3Cells {
    /// Exercise 3.1: one half-step of alternating least squares. For `.users`, each user's new factors are the ridge
    /// regression of that user's ratings on the `fixed` factors of the items they rated (lesson 2, direction 1); for
    /// `.items`, each item's new factors are the regression of its ratings on the `fixed` factors of the users who
    /// rated it (direction 2). For row w (a user or an item):
    ///
    ///     w = (AᵀA + λI)⁻¹ Aᵀy        A: the fixed factors of the other side, one row per rating of w;  y: those ratings
    ///
    /// Return a matrix with one row per user (or item) and `fixed.columns` columns. A row with no ratings stays zero.
    ///
    /// Useful: `ratings.ratings(ofUser:)` and `ratings.ratings(ofItem:)`; `ratings.userCount`, `ratings.itemCount`;
    /// `result.setRow(w, to: values)`; `solveSymmetric(A, b)`.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     halfStep(.users, ratings [[4, ·], [2, 2], [·, ·]], fixed: [[1], [1]], lambda: 1) = [[2], [1.33333], [0]]
    func halfStep(_ side: Side, _ ratings: Ratings, fixed: Matrix, lambda: Double) throws -> Matrix {
        // ✏️ For every row of `side`: build the k × k system from its own ratings only, solve it, store the row.
        throw NotDoneYet()
    }

    /// Exercise 3.2: the objective ALS lowers at every half-step:
    ///
    ///     Σ over observed (u, j) of (p_u · q_j − r_uj)²  +  λ (Σ_u ‖p_u‖² + Σ_j ‖q_j‖²)
    ///
    /// with P = `listeners` (one row per listener) and Q = `songs` (one row per song). With λ = 0 it is the sum of
    /// squared errors (SSE).
    ///
    /// Useful: `ratings.entries` lists every observed rating (`.user`, `.item`, `.value`); `m.sumOfSquares`.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     objective(ratings [[4, ·], [2, 2]], listeners: [[1], [2]], songs: [[3], [1]], lambda: 0.5) = 24.5
    func objective(_ ratings: Ratings, listeners p: Matrix, songs q: Matrix, lambda: Double) throws -> Double {
        // ✏️ Add up the squared error of every observed rating, then add the penalty.
        throw NotDoneYet()
    }
}
