// Lesson 9's shared state: what every section reads, and what the sections before it found.

import CFCore
import Exercises
import LessonKit
import MovieLens
import TextOutput

/// The two evaluation protocols, by what they hold out of each user's interactions.
enum HoldOut {
    case random, last

    /// Its key in results.json, the figures' names and the progress bars.
    var key: String {
        switch self {
        case .random: "random"
        case .last: "last"
        }
    }

    /// Its name in the transcript.
    var name: String {
        switch self {
        case .random: "random 20% per user"
        case .last: "leave last out"
        }
    }
}

/// One protocol's interactions and ratings, cut into fit, validation, training and test.
struct Split {
    let holdOut: HoldOut
    let data: RankingSplit
}

/// The rankers the lesson compares, in the order its tables break ties.
enum Model: CaseIterable {
    case random, popularity, itemItem, weightedALS, bpr, ratingModel, ratingModelFiltered

    /// The trained implicit-feedback models, which must beat popularity to earn their keep.
    static let trained: [Model] = [.weightedALS, .bpr]

    /// Its name in the transcript, the figures and results.json.
    var name: String {
        switch self {
        case .random: "random"
        case .popularity: "popularity"
        case .itemItem: "item-item"
        case .weightedALS: "weighted ALS"
        case .bpr: "BPR"
        case .ratingModel: "rating model"
        case .ratingModelFiltered: "rating model (filtered)"
        }
    }
}

/// The learner's cells, by the function each one is.
enum Cell: String {
    case precisionAtK, ndcgAtK, bprStep
}

/// The settings chosen on one protocol's validation split.
struct Chosen {
    var alpha = 1.0, epochs = 1, neighbours = 1, ratingEpochs = 1
}

/// Lesson 9 as it runs: the notebook, the options and cells, the data read as interactions, and what each section
/// leaves for the next.
struct Lesson9 {
    let book: Notebook
    let options: Options
    let cells: any Lesson9Cells
    let movieLens: MovieLens
    /// The new user of the last section, read before any training so that a mistake in their file costs nothing.
    let newUser: NewUser
    /// The stars from which a rating counts as an interaction (`--positive-only`), or nil: every rating does.
    let threshold: Double?
    /// The interactions: the ratings that count as one (with their stars).
    let positives: Ratings

    /// Set by "Two ways to hold out": the protocols' data, the random one first.
    var splits = [Split]()
    /// Set by "Settings chosen on validation".
    var chosen = [HoldOut: Chosen]()
    /// Set by "How weighted ALS and BPR learn": the two models trained on the random protocol, reused by the test.
    var mainWALS: FactorModel?, mainBPR: FactorModel?
    /// Set by "Tested once": each protocol's evaluation of each model, its weighted ALS model, and its rule's minimum.
    var results = [HoldOut: [Model: RankingEvaluation]]()
    var walsModels = [HoldOut: FactorModel]()
    var minimums = [HoldOut: Int]()

    /// Reads the data and the new user's file.
    init(book: Notebook, options: Options, cells: any Lesson9Cells) throws {
        self.book = book
        self.options = options
        self.cells = cells
        // Six models, each tuned on validation by ranking the whole catalogue for every user, under two protocols.
        let data = try book.sampled(
            book.loadMovieLens(data: options.movieLensOptions.data), options.sampling, limit: 1_000_000,
            why: "its six models, tuned and tested by ranking the whole catalogue for every user under two protocols, take time in proportion to the ratings")
        movieLens = data
        newUser = try options.newUserOptions.newUser(in: data)
        threshold = options.positiveOnly ? min(4, data.scale.upperBound) : nil
        positives = threshold.map { data.ratings.keeping(atLeast: $0) } ?? data.ratings
    }

    var seed: UInt32 { book.seed }
    /// The list length the metrics judge.
    var top: Int { options.top }
    /// The latent factors of every factor model.
    var k: Int { options.factors }
    /// The random protocol: the one every figure, and the models' discussion, are drawn on.
    var main: Split { splits[0] }
    var mainChoice: Chosen { chosen[main.holdOut] ?? Chosen() }

    /// "Your `name`" when the learner wrote the cell, else "The course's `name`" (lower case on request).
    func whose(_ cell: Cell, capitalized: Bool = true) -> String {
        let text = book.writtenCells.contains(cell.rawValue) ? "Your `\(cell.rawValue)`" : "The course's `\(cell.rawValue)`"
        return capitalized ? text : text.prefix(1).lowercased() + text.dropFirst()
    }
}
