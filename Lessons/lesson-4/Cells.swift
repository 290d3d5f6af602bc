// ✏️ Lesson 4's exercise: write the body of the function below, where it says ✏️.
//
// Until it is written, the lesson uses the course's own version and says so. Once it is, the lesson runs on
// yours: every epoch of training, the loss curves and the reconstruction are your code's, and with the notebook's
// settings they must reproduce its losses (first epoch 1.9731534485…, last 0.000533087…). Check your work with
//
//     swift run lesson-4 --check
//
// or keep `swift run course watch` running in a terminal: it checks your cells each time you save, shows the
// next exercise with its worked case, gives hints in steps (h), and `swift run course reset 4.1` undoes a cell.
//
// Stuck? `swift run lesson-4 --solutions` runs the worked solution, in Sources/Solutions/Lesson4.swift.

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

/// Your cells. The lesson calls them through `Lesson4Cells` (Sources/Exercises/Lesson4.swift), which fixes each one's
/// signature: write the bodies, and leave the names and parameters as they are.
struct YourCells: Lesson4Cells {
    /// Exercise 4.1: one epoch of the notebook's stochastic gradient descent. Visit the observed cells in row-major
    /// order (`observed.entries`: `.user` is the row i, `.item` the column j, `.value` the entry R[i, j]); for each one:
    ///
    ///     err  = R[i, j] − U[i] · V[j]
    ///     U[i] += lr · (err · V[j] − reg · U[i])
    ///     V[j] += lr · (err · U[i] − reg · V[j])      (with the U[i] just updated)
    ///
    /// U (users × k) and V (items × k) are updated in place; `u[i, f]` reads and writes one entry.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     sgdEpoch(ratings [[3]], u: [[1]], v: [[1]], learningRate: 0.1, reg: 0) gives U = [[1.2]], V = [[1.24]]
    func sgdEpoch(_ observed: Ratings, u: inout Matrix, v: inout Matrix, learningRate lr: Double, reg: Double) throws {
        // ✏️ One pass over observed.entries: the error of the current guess, then the U row, then the V row.
        throw NotDoneYet()
    }
}
