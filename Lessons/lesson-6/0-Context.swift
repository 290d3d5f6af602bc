// Lesson 6's shared state: what every section reads. The models and settings the sections find are passed on as values.

import CFCore
import Exercises
import LessonKit
import MovieLens

/// What the sections of lesson 6 share: the notebook, the run's options and cells, the data, its folds, and the fit
/// and validation ratings carved from the training ratings. The first section makes it (`Lesson6.threeSetsOfRatings`).
struct Lesson6 {
    let book: Notebook
    let options: Options
    let cells: any Lesson6Cells
    let movieLens: MovieLens
    /// The movie of "because you liked" (a dense index), and the new user of the cold-start section.
    let anchor: Int, newUser: NewUser
    /// Every fold the comparison uses; the first is the lesson's own training and test ratings.
    let splits: [MovieLens.Split]
    /// The training ratings, in two: the models learn from `fit`, and every choice is made on `validation`.
    let fit: Ratings, validation: Ratings
    /// Fewer training ratings than this, and a movie is not recommended (lesson 5's rule).
    let minimumRatings: Int

    var seed: UInt32 { book.seed }
    var scale: ClosedRange<Double> { movieLens.scale }
    var titles: [String] { movieLens.titles }
    var split: MovieLens.Split { splits[0] }
    var training: Ratings { split.training }
    var test: Ratings { split.test }
}

extension Lesson6 {
    /// What the lesson reads before its first heading: MovieLens, then everything the run needs from you (the movie and
    /// your ratings file) and every fold the comparison will need, so that a missing or broken one stops the lesson
    /// before any training.
    static func readData(_ book: Notebook, options: Options) throws
        -> (movieLens: MovieLens, anchor: Int, newUser: NewUser, splits: [MovieLens.Split])
    {
        // Nine SGD runs of up to 500 factors, each up to 150 epochs: about a minute a million ratings on two cores.
        let movieLens = try book.sampled(
            book.loadMovieLens(data: options.movieLensOptions.data), options.sampling, limit: 500_000,
            why: "the grid search's nine runs of up to 500 factors take time in proportion to the ratings")
        let anchor = try movieLens.anchorMovie(id: options.movie)
        let newUser = try options.newUserOptions.newUser(in: movieLens)
        let splits = try book.splits(folds: options.folds, of: movieLens)
        return (movieLens, anchor, newUser, splits)
    }
}
