// What every section of lesson 7 shares: the notebook, the options and cells, the data, its splits and the baseline.

import CFCore
import Exercises
import LessonKit
import MovieLens
import TextOutput

struct Lesson7 {
    let book: Notebook
    let options: Options
    let cells: any Lesson7Cells
    let movieLens: MovieLens
    /// The movie whose neighbours are shown (a dense index).
    let anchor: Int
    /// The user whose recommendations are explained: the MovieLens id and the dense index.
    let userID: Int, user: Int
    /// Every fold asked for; the first is the one the lesson tells.
    let splits: [MovieLens.Split]
    /// The first fold's training ratings, split into what the models learn from and the validation ratings.
    let fit: Ratings, validation: Ratings
    /// Lesson 6's baseline μ + b_u + b_i on the fit ratings, the start of every prediction, and its validation RMSE.
    let baseline: FactorModel, baselineRMSE: Double
    /// Each movie's number of fit ratings.
    let fitCounts: [Int]
    /// The fewest training ratings a movie needs to be recommended or listed as a neighbour.
    let minimum: Int
    /// The movies the user rated in training, and those they did not that have at least `minimum` training ratings.
    let seen: Set<Int>, candidates: [Int]
    /// The numbers of neighbours to try, smallest first.
    let ks: [Int]

    var scale: ClosedRange<Double> { movieLens.scale }
    var titles: [String] { movieLens.titles }
    var split: MovieLens.Split { splits[0] }
    var training: Ratings { split.training }

    /// Loads the data and checks what the run needs from the learner before any work: the movie, the user, every fold.
    init(book: Notebook, options: Options, cells: any Lesson7Cells) throws {
        self.book = book
        self.options = options
        self.cells = cells
        ks = options.k.values.sorted()
        // Similarities of every pair of co-rated movies and of users, a grid of neighbour counts, two factor models.
        movieLens = try book.sampled(
            book.loadMovieLens(data: options.movieLensOptions.data), options.sampling, limit: 1_000_000,
            why: "its similarity tables and the models tried on validation take time in proportion to the ratings and more")
        anchor = try movieLens.anchorMovie(id: options.movie)
        userID = options.user ?? movieLens.userIDs[0]
        user = try movieLens.user(id: userID)
        splits = try book.splits(folds: options.folds, of: movieLens)
        (fit, validation) = try book.fitAndValidation(splits[0].training)
        baseline = Baseline.biases(fit, ratingScale: movieLens.scale)
        baselineRMSE = baseline.rmse(on: validation)
        fitCounts = fit.itemCounts
        let training = splits[0].training
        let minimum = training.minimumRatingsToRecommend(), seen = Set(training.ratings(ofUser: user).map { $0.item })
        self.minimum = minimum
        self.seen = seen
        candidates = (0..<training.itemCount).filter { !seen.contains($0) && training.ratings(ofItem: $0).count >= minimum }
    }

    /// The user's training rating of `item` as the tables show it ("?" when they did not rate it).
    func rating(_ item: Int) -> String {
        training.value(user: user, item: item).map { formatPlain($0) } ?? "?"
    }
}

/// A rating's share of a prediction, signed: "+0.12".
func signed(_ share: Double, digits: Int) -> String { "\(share >= 0 ? "+" : "")\(formatFixed(share, digits: digits))" }
