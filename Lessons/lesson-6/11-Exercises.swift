// 11. Exercises: the cells still to write, and things to try on the command line.

import LessonKit

extension Lesson6 {
    func exercises() {
        book.heading("Exercises")
        book.cellExercises()
        book.exercise("Widen the search: `swift run -c release lesson-6 --k 10,50,100,300 --lambda 0.02,0.05,0.08,0.12`. Does the choice change?")
        book.exercise(
            "Whom does implicit feedback help? Split the test ratings by the number of training ratings of their user (say under 50, and the rest) and compare the two SGD models of the comparison on each part. Is the gain largest where you expected?"
        )
        if movieLens.hasFiveFolds {
            book.exercise("Run all five folds: `--folds 5`. How much does the RMSE vary from fold to fold, and what does that say about a 0.003 difference?")
        }
        book.exercise("Write ten ratings of your own (`--my-ratings FILE`) and compare the folded-in and retrained lists.")
        // Two familiar movies when this catalogue has them (by title), else its next most rated: never one data set's ids on another.
        let familiar = [["Toy Story (1995)"], ["Godfather, The (1972)"]].compactMap { movieLens.movieIndex(titled: $0) }.filter { $0 != anchor }
        let examples = familiar.count == 2 ? familiar : Array(movieLens.moviesByPopularity.filter { $0 != anchor }.prefix(2))
        book.exercise(
            "Try " + examples.map { "`--movie \(movieLens.movieIDs[$0])`, \(titles[$0])," }.joined(separator: " or ")
                + " for \"because you liked\".")
    }
}
