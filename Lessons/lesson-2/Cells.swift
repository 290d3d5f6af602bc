// ✏️ Lesson 2's exercises: write the body of each function below, where it says ✏️.
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson
// runs on yours: the learned tastes, the learned song styles and the completed matrices are your code's. Check
// your work with
//
//     swift run lesson-2 --check
//
// or keep `swift run course watch` running in a terminal: it checks your cells each time you save, shows the
// next exercise with its worked case, gives hints in steps (h), and `swift run course reset 2.1` undoes a cell.
//
// Stuck? `swift run lesson-2 --solutions` runs the worked solutions, in Sources/Solutions/Lesson2.swift.

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

/// Your cells. The lesson calls them through `Lesson2Cells` (Sources/Exercises/Lesson2.swift), which fixes each one's
/// signature: write the bodies, and leave the names and parameters as they are.
struct YourCells: Lesson2Cells {
    /// Exercise 2.1: listener u's tastes θ_u, by a ridge regression of u's ratings on the styles of the songs u rated:
    ///
    ///     θ_u = (XᵀX + λI)⁻¹ Xᵀy
    ///
    /// X has one row per song u rated (that song's row of `songStyles`) and y holds u's ratings of those songs, in the
    /// same order. Songs u did not rate take no part.
    ///
    /// Useful: `ratings.ratings(ofUser: u)` lists u's ratings (each with `.item` and `.value`); `songStyles.row(j)`;
    /// `Matrix(rows: k, columns: k)` starts a k × k matrix of zeros; `solveSymmetric(A, b)` solves A w = b.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     listenerTastes(ratings [[5, 1]], listener: 0, songStyles: [[1, 0], [0, 1]], lambda: 1) = [2.5, 0.5]
    func listenerTastes(_ ratings: Ratings, listener u: Int, songStyles: Matrix, lambda: Double) throws -> [Double] {
        // ✏️ Build A = XᵀX + λI (k × k, k = songStyles.columns) and b = Xᵀy by adding up one rated song at a time,
        //    then return solveSymmetric(A, b).
        throw NotDoneYet()
    }

    /// Exercise 2.2: the reverse. Song j's styles x_j, by a ridge regression of j's ratings on the tastes of the
    /// listeners who rated it:
    ///
    ///     x_j = (ΘᵀΘ + λI)⁻¹ Θᵀy
    ///
    /// Θ has one row per listener who rated j (that listener's row of `listenerTastes`), y their ratings of j.
    ///
    /// Useful: `ratings.ratings(ofItem: j)` lists j's ratings (each with `.user` and `.value`).
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     songStyles(ratings [[5], [1]], song: 0, listenerTastes: [[1, 0], [0, 1]], lambda: 1) = [2.5, 0.5]
    func songStyles(_ ratings: Ratings, song j: Int, listenerTastes: Matrix, lambda: Double) throws -> [Double] {
        // ✏️ The same normal equations as in listenerTastes, built from the listeners who rated song j.
        throw NotDoneYet()
    }
}
