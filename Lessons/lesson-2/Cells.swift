// ✏️ Lesson 2's exercises: write the body of each function below, where it says ✏️.
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson
// runs on yours: the learned tastes, the learned song styles and the completed matrices are your code's. Check
// your work with
//
//     swift run lesson-2 --check
//
// Stuck? `swift run lesson-2 --solutions` runs the worked solutions, in Sources/Solutions/Lesson2.swift.

import CFCore
import Exercises
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
    func songStyles(_ ratings: Ratings, song j: Int, listenerTastes: Matrix, lambda: Double) throws -> [Double] {
        // ✏️ The same normal equations as in listenerTastes, built from the listeners who rated song j.
        throw NotDoneYet()
    }
}
