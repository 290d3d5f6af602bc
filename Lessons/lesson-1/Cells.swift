// ✏️ Lesson 1's exercises: write the body of each function below, where it says ✏️.
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson
// runs on yours: the worked sums, the score table and the heatmap are then your code's. Check your work with
//
//     swift run lesson-1 --check
//
// Stuck? `swift run lesson-1 --solutions` runs the worked solutions, in Sources/Solutions/Lesson1.swift.

import CFCore
import Exercises
import LessonKit

/// Your cells. The lesson calls them through `Lesson1Cells` (Sources/Exercises/Lesson1.swift), which fixes each one's
/// signature: write the bodies, and leave the names and parameters as they are.
struct YourCells: Lesson1Cells {
    /// Exercise 1.1: the score of one user for one movie, the dot product of the user's tastes and the movie's factors:
    ///
    ///     score = Σ over dimensions d of tastes[d] · factors[d]
    ///
    /// Both vectors have the same length (3 in the lesson, other lengths in the check).
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
    func scoreMatrix(users: Matrix, movies: Matrix) throws -> Matrix {
        // ✏️ One score per user and movie: S[u, m] = score(tastes: users.row(u), factors: movies.row(m)).
        throw NotDoneYet()
    }
}
