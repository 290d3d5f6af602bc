// ✏️ Lesson 7's exercises: write the body of each function below, where it says ✏️.
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson runs
// on yours: it recomputes the five baseline-Pearson similarities of its table with your `shrunkPearson`, and rebuilds
// the first explained recommendation with your `neighbourPrediction`. Check your work with
//
//     swift run -c release lesson-7 --check
//
// Stuck? `swift run -c release lesson-7 --solutions` runs the worked solutions, in Sources/Solutions/Lesson7.swift.

import CFCore
import Exercises
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
    func neighbourPrediction(baseline: Double, neighbours: [(similarity: Double, residual: Double)], k: Int) throws -> Double {
        // ✏️ Keep the positive similarities, take the first k, and average the residuals weighted by similarity.
        throw NotDoneYet()
    }
}
