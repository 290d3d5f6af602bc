// What every section of lesson 8 shares: the notebook, the options and cells, the data, its folds and the validation split.

import CFCore
import Exercises
import LessonKit
import MovieLens

struct Lesson8 {
    let book: Notebook
    let options: Options
    let cells: any Lesson8Cells
    let movieLens: MovieLens
    /// The user whose top 10 is shown with intervals: the MovieLens id and the dense index.
    let userID: Int, user: Int
    /// Every fold asked for; the first is the one the lesson tells.
    let folds: [MovieLens.Split]
    /// The first fold's training ratings, split into what the models learn from and the validation ratings.
    let fit: Ratings, validation: Ratings
    /// The blend's fixed models on the fit ratings and on all the training ratings: nothing they need is chosen in the
    /// lesson, so they start training from the start, on a core the Gibbs runs leave idle, and the final models take
    /// over the rest; unless the chains' samples are large (`samplesAreSmall`), when memory is better spent one thing at
    /// a time and they all train with the final models.
    let fixedModels: BackgroundQueue<BlendTraining, BlendTrained>?

    var scale: ClosedRange<Double> { movieLens.scale }
    var titles: [String] { movieLens.titles }
    var training: Ratings { folds[0].training }
    var officialU1: Bool { folds[0].isOfficialFold }

    /// Loads the data and checks the user and every fold before any work.
    init(book: Notebook, options: Options, cells: any Lesson8Cells) throws {
        self.book = book
        self.options = options
        self.cells = cells
        // A Gibbs chain per α, two with implicit feedback and up to two on all the training ratings; the blend's twelve
        // other trainings.
        movieLens = try book.sampled(
            book.loadMovieLens(data: options.movieLensOptions.data), options.sampling, limit: 500_000,
            why:
                "up to \(options.alphas.values.count + 5) Gibbs chains of \(options.samples) sweeps and the blend's twelve other trainings take time in proportion to the ratings"
        )
        userID = options.user ?? movieLens.userIDs[0]
        user = try movieLens.user(id: userID)
        folds = try book.splits(folds: options.folds, of: movieLens)
        (fit, validation) = try book.fitAndValidation(folds[0].training)
        let (sets, scale, seed) = ([fit, folds[0].training], movieLens.scale, book.seed)
        fixedModels =
            Self.samplesAreSmall(options, sets[1])
            ? BackgroundQueue(BlendTraining.fixed(2)) { try $0.train(sets, scale: scale, seed: seed, configuration: nil, threads: 1) } : nil
    }

    /// Whether one chain's kept samples on `ratings` take under 1 GB (57 MB on MovieLens 100K at k = 16, about 1.1 GB
    /// on a 500,000-rating sample of MovieLens 25M's shape, whose catalogue is large): then work can run ahead beside the
    /// chains without crowding memory.
    static func samplesAreSmall(_ options: Options, _ ratings: Ratings) -> Bool {
        Double(options.samples - options.burnIn) * Double(ratings.userCount + ratings.itemCount) * Double(options.k) * 8 < 1e9
    }

    /// The Gibbs sampler's settings from the options, with the noise precision α fixed or drawn at every sweep.
    func configuration(_ noise: NoisePrecision) -> BayesianMatrixFactorization.Configuration {
        BayesianMatrixFactorization.Configuration(
            factors: options.k, iterations: options.samples, burnIn: options.burnIn,
            alpha: noise.fixedValue ?? 2, seed: book.seed, samplesNoise: noise == .drawn)
    }
}
