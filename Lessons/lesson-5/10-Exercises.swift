// 10. Exercises: the cells still to write, and things to try on the command line.

import LessonKit

extension Lesson5 {
    func exercises() {
        book.heading("Exercises")
        book.cellExercises()
        book.exercise("Change λ: `swift run lesson-5 --lambda 1`, then `--lambda 30`. Which gives the best test RMSE, and why not the smallest?")
        book.exercise("Change α: try `--alpha 0.006` and `--alpha 0.02`. What happens to the cost curve? When does it diverge?")
        book.exercise("Write your own ratings file (`movie id, rating` per line; \(movieLens.whereMovieIDsAre)) and run with `--my-ratings FILE`.")
        book.exercise("Compare the recommendations for two users with opposite tastes (`--user 1`, `--user 13`). How personal are they?")
    }
}
