// ✏️ Lesson 7's exercises: write the body of each function below, where it says ✏️.
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson runs
// on yours: it recomputes the five baseline-Pearson similarities of its table with your `shrunkPearson`, and rebuilds
// the first explained recommendation with your `neighbourPrediction`. Check your work with
//
//     swift run lesson-7 --check
//
// or keep `swift run course watch` running in a terminal: it checks your cells each time you save, shows the
// next exercise with its worked case, gives hints in steps (h), and `swift run course reset 7.1` undoes a cell.
//
// Stuck? `swift run lesson-7 --solutions` runs the worked solutions, in Sources/Solutions/Lesson7.swift.

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

/// Your cells. The lesson calls them through `Lesson7Cells` (Sources/Exercises/Lesson7.swift), which fixes each one's
/// signature: write the bodies, and leave the names and parameters as they are.
struct YourCells: Lesson7Cells {
    /// Exercise 7.1: the shrunk Pearson similarity of two movies from their baseline residuals. Each list holds one
    /// movie's raters with the residual r − b_ui of their rating, sorted by user. Over the n users in both lists:
    ///
    ///     sim = Σ x_u y_u / √(Σ x_u² · Σ y_u²)  ·  n / (n + shrinkage)
    ///
    /// with x and y the two movies' residuals (no further centring: the baseline has done it). No common rater, or a
    /// zero denominator: 0.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     shrunkPearson([(user: 0, residual: 1), (user: 1, residual: -1), (user: 2, residual: 2)], [(user: 0, residual: 2), (user: 1, residual: -2), (user: 3, residual: 1)], shrinkage: 2) = 0.5
    func shrunkPearson(_ a: [(user: Int, residual: Double)], _ b: [(user: Int, residual: Double)], shrinkage: Double) throws -> Double {
        // ✏️ Walk both lists at once (they are sorted by user), summing over the users in both.
        throw NotDoneYet()
    }

    /// Exercise 7.2: the neighbour-weighted prediction. `neighbours` are the movies the user rated, most similar first,
    /// each with its similarity to the movie being predicted and the user's residual on it. With the k most similar
    /// among those with a positive similarity:
    ///
    ///     prediction = baseline + Σ sim · residual / Σ sim
    ///
    /// No such neighbour: the baseline.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     neighbourPrediction(baseline: 3, neighbours: [(similarity: 0.5, residual: 1), (similarity: -0.2, residual: 2), (similarity: 0.25, residual: -1)], k: 2) = 3.33333
    func neighbourPrediction(baseline: Double, neighbours: [(similarity: Double, residual: Double)], k: Int) throws -> Double {
        // ✏️ Keep the positive similarities, take the first k, and average the residuals weighted by similarity.
        throw NotDoneYet()
    }
}
