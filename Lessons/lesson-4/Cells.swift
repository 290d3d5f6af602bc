// ✏️ Lesson 4's exercise: write the body of the function below, where it says ✏️.
//
// Until it is written, the lesson uses the course's own version and says so. Once it is, the lesson runs on
// yours: every epoch of training, the loss curves and the reconstruction are your code's, and with the notebook's
// settings they must reproduce its losses (first epoch 1.9731534485…, last 0.000533087…). Check your work with
//
//     swift run lesson-4 --check
//
// Stuck? `swift run lesson-4 --solutions` runs the worked solution, in Sources/Solutions/Lesson4.swift.

import CFCore
import Exercises
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
    func sgdEpoch(_ observed: Ratings, u: inout Matrix, v: inout Matrix, learningRate lr: Double, reg: Double) throws {
        // ✏️ One pass over observed.entries: the error of the current guess, then the U row, then the V row.
        throw NotDoneYet()
    }
}
