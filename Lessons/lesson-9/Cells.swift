// ✏️ Lesson 9's exercises: write the body of each function below, where it says ✏️.
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson runs
// on yours: your `precisionAtK` and `ndcgAtK` recompute the metrics of one user's list, and your `bprStep` takes
// the first steps of a BPR run, compared with the core's. Check your work with
//
//     swift run lesson-9 --check
//
// or keep `swift run course watch` running in a terminal: it checks your cells each time you save, shows the
// next exercise with its worked case, gives hints in steps (h), and `swift run course reset 9.1` undoes a cell.
//
// Stuck? `swift run lesson-9 --solutions` runs the worked solutions, in Sources/Solutions/Lesson9.swift.

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

/// Your cells. The lesson calls them through `Lesson9Cells` (Sources/Exercises/Lesson9.swift), which fixes each one's
/// signature: write the bodies, and leave the names and parameters as they are.
struct YourCells: Lesson9Cells {
    /// Exercise 9.1: precision@k. `ranked` is a user's list, best first; `relevant` the items they chose (held out).
    ///
    ///     precision@k = (number of the first k items of the list that are relevant) / k
    ///
    /// A list shorter than k still divides by k: the empty places are misses.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     precisionAtK([3, 1, 2], relevant: [1, 5], k: 2) = 0.5
    func precisionAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) throws -> Double {
        // ✏️ Count the relevant items among the first k, divide by k.
        throw NotDoneYet()
    }

    /// Exercise 9.2: NDCG@k with binary relevance. A relevant item at position p (1 = the top) gains 1 / log₂(p + 1);
    /// DCG is the sum of the gains in the first k places, and NDCG divides it by the DCG of the best possible list
    /// (all min(k, |relevant|) relevant items first). No relevant item: 0.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     ndcgAtK([3, 1, 2], relevant: [1], k: 2) = 0.63093
    func ndcgAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) throws -> Double {
        // ✏️ DCG over the first k places, the ideal DCG, and their ratio.
        throw NotDoneYet()
    }

    /// Exercise 9.3: one BPR step on the triple (u, i, j): user u chose item i and not item j. With
    ///
    ///     x = x_u · (y_i − y_j) + b_i − b_j      and      d = 1 / (1 + eˣ)   (that is σ(−x))
    ///
    /// every parameter moves by the learning rate times the gradient of ln σ(x) − λ/2 ‖θ‖², all from the old values:
    ///
    ///     x_u += lr (d (y_i − y_j) − λ x_u)      y_i += lr (d x_u − λ y_i)      y_j += lr (−d x_u − λ y_j)
    ///     b_i += lr (d − λ b_i)                  b_j += lr (−d − λ b_j)
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     bprStep(user: [1], positive: [1], negative: [0], positiveBias: 0, negativeBias: 0, learningRate: 0.5, lambda: 0) gives x_u = [1.13447], y_i = [1.13447], y_j = [-0.134471], b_i = 0.134471, b_j = -0.134471
    func bprStep(user: [Double], positive: [Double], negative: [Double], positiveBias: Double, negativeBias: Double,
                 learningRate: Double, lambda: Double) throws
        -> (user: [Double], positive: [Double], negative: [Double], positiveBias: Double, negativeBias: Double) {
        // ✏️ Compute x and d first, then every new value from the old ones.
        throw NotDoneYet()
    }
}
