// ✏️ Lesson 1's exercises: write the body of each function below, where it says ✏️.
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson
// runs on yours: the worked sums, the score table and the heatmap are then your code's. Check your work with
//
//     swift run lesson-1 --check
//
// or keep `swift run course watch` running in a terminal: it checks your cells each time you save, shows the
// next exercise with its worked case, gives hints in steps (h), and `swift run course reset 1.1` undoes a cell.
//
// Stuck? `swift run lesson-1 --solutions` runs the worked solutions, in Sources/Solutions/Lesson1.swift.

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

/// Your cells. The lesson calls them through `Lesson1Cells` (Sources/Exercises/Lesson1.swift), which fixes each one's
/// signature: write the bodies, and leave the names and parameters as they are.
struct YourCells: Lesson1Cells {
    /// Exercise 1.1: the score of one user for one movie, the dot product of the user's tastes and the movie's factors:
    ///
    ///     score = Σ over dimensions d of tastes[d] · factors[d]
    ///
    /// Both vectors have the same length (3 in the lesson, other lengths in the check).
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     score(tastes: [1, 2], factors: [3, 4]) = 11
    func score(tastes: [Double], factors: [Double]) throws -> Double {
        // ✏️ Multiply the two vectors entry by entry and add up the products; return the sum.
        throw NotDoneYet()
    }

    /// Exercise 1.2: every score at once. With the users' tastes as the rows of U (users × k) and the movies' factors as
    /// the rows of M (movies × k), the scores are the matrix S = U Mᵀ (users × movies):
    ///
    ///     S[u, m] = U's row u · M's row m
    ///
    /// Build `Matrix(rows: users.rows, columns: movies.rows)` and fill it with `score` (or use `*` and `.transposed`).
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     scoreMatrix(users: [[1, 2]], movies: [[3, 4], [5, 6]]) = [[11, 17]]
    func scoreMatrix(users: Matrix, movies: Matrix) throws -> Matrix {
        // ✏️ One score per user and movie: S[u, m] = score(tastes: users.row(u), factors: movies.row(m)).
        throw NotDoneYet()
    }
}
