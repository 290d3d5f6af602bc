// Lesson 10's shared state: the notebook, options, cells and data every section reads, the three ways of combining a
// user and a movie the lesson compares, and how one of them is trained and followed epoch by epoch.

import CFCore
import Exercises
import Foundation
import LessonKit
import MovieLens

/// How a user's embedding and a movie's are combined into a rating: the lesson's three models, in its tables' order.
enum Architecture: CaseIterable {
    case dotProduct, network, neuMF

    /// A rough cost of one training, relative to the dot product's (to start the costliest first).
    var relativeCost: Double {
        switch self {
        case .dotProduct: 1
        case .network: 1.2
        case .neuMF: 4
        }
    }

    /// Its name in the transcript, the figures and results.json.
    var name: String {
        switch self {
        case .dotProduct: "dot product"
        case .network: "EmbeddingNN"
        case .neuMF: "NeuMF"
        }
    }

    /// Its key in results.json.
    var key: String {
        switch self {
        case .dotProduct: "dot_product"
        case .network: "embedding_nn"
        case .neuMF: "neumf"
        }
    }
}

/// One run followed epoch by epoch: the model at the epoch where the validation RMSE was lowest, and both curves.
struct FollowedRun {
    let architecture: Architecture
    let decay: Double
    /// The model after `bestEpoch` epochs, predicting on the rating scale.
    let model: any RatingPredictor
    /// The epoch, from 1, with the lowest validation RMSE.
    let bestEpoch: Int
    /// The RMSE of each epoch's minibatches on the fit ratings (each measured before its step), one per epoch run.
    let fitRMSE: [Double]
    /// The validation RMSE after each epoch run (on the scale).
    let validationRMSE: [Double]
    let seconds: Double
    /// The last epoch's squared errors on validation against the best epoch's, rating by rating (nil without
    /// validation): `.firstHigher` when the last epoch predicts worse by more than the noise.
    var lastAgainstBest: Comparison? = nil

    /// The lowest validation RMSE.
    var bestRMSE: Double { validationRMSE[bestEpoch - 1] }
}

/// Lesson 10 as it runs.
struct Lesson10 {
    let book: Notebook
    let options: Options
    let cells: any Lesson10Cells
    let movieLens: MovieLens
    /// Every fold the test uses; the first is the lesson's own training and test ratings.
    let splits: [MovieLens.Split]
    /// The training ratings, in two: the models learn from `fit`, and every choice is made on `validation`.
    let fit: Ratings, validation: Ratings
    /// Runs already made, by architecture and decay: the sections before the grid fill it, the grid reuses them.
    var runs: [String: FollowedRun] = [:]
    /// The chosen models as tested on the first fold, for the section on serving.
    var testedModels: [Architecture: any RatingPredictor] = [:]
    /// Section 6's ranking protocol and models. They need nothing the lesson chooses, so the two cheap families start
    /// with the lesson on a core the sections before leave idle (each on one thread at the lowest priority); section 6
    /// runs NeuMF, whose trainings take longest, on both cores, and whatever the queue had not started.
    let ranking: RankingFamilies
    let rankingQueue: BackgroundQueue<RankingFamilies.Family, Ranked>

    var seed: UInt32 { book.seed }
    var scale: ClosedRange<Double> { movieLens.scale }
    var split: MovieLens.Split { splits[0] }
    var training: Ratings { split.training }
    var test: Ratings { split.test }
    /// The sigmoid's range: half a step of the scale beyond each end (0.5 to 5.5 for 1 to 5 stars).
    var outputRange: ClosedRange<Double> { (scale.lowerBound - 0.5)...(scale.upperBound + 0.5) }
    /// The decay the first sections use, before the grid: the middle of `--decays` (the lower of the two middle ones
    /// of an even number).
    var firstDecay: Double { options.decays.values.sorted()[(options.decays.values.count - 1) / 2] }

    init(book: Notebook, options: Options, cells: any Lesson10Cells) throws {
        self.book = book
        self.options = options
        self.cells = cells
        // Up to nine rating trainings, three ranking models and the serving timings, each a pass over the ratings.
        movieLens = try book.sampled(
            book.loadMovieLens(data: options.movieLensOptions.data), options.sampling, limit: 500_000,
            why: "its trainings of three networks and three ranking models take time in proportion to the ratings")
        splits = try book.splits(folds: options.folds, of: movieLens)
        (fit, validation) = try book.fitAndValidation(splits[0].training)
        let ranking = try RankingFamilies(movieLens, factors: options.factors, hidden: options.hidden.values, seed: book.seed)
        self.ranking = ranking
        rankingQueue = BackgroundQueue([.weightedALS, .bpr]) { try ranking.rank($0, threads: 1) }
    }
}

extension Lesson10 {
    /// Trains `architecture` with weight decay `decay` on `ratings`, on a schedule of `--epochs` epochs. With
    /// `validation`, the validation RMSE is measured after every epoch and training stops once it has not improved for 3
    /// epochs; the model of the best epoch is kept. Without it, training stops after `stopAfter` epochs (the chosen
    /// number, on the same schedule: the model of that epoch of the validated run) and that model is kept. `threads`:
    /// 1 for runs side by side (nil: every core); the numbers do not depend on it.
    func trained(
        _ architecture: Architecture, on ratings: Ratings, decay: Double, stopAfter: Int? = nil, validation: Ratings?,
        seedOffset: UInt32 = 0, threads: Int? = nil, progress: ProgressBar? = nil
    ) throws -> FollowedRun {
        let epochs = options.epochs
        let started = DispatchTime.now().uptimeNanoseconds
        var validationRMSE = [Double](), best: (model: any RatingPredictor, epoch: Int)?
        var bestErrors = [Double](), lastErrors = [Double]()
        let scale = self.scale
        func follow<Model: RatingPredictor>(_ step: inout TrainingProgress<Model>) {
            progress?.update(step.step, detail: "\(architecture.name), λ = \(decay)")
            if let stopAfter, step.step >= stopAfter { step.stop() }
            guard let validation else { return }
            var model = step.model
            model.ratingScale = scale
            lastErrors = model.squaredErrors(on: validation)
            let rmse = mean(lastErrors).squareRoot()
            validationRMSE.append(rmse)
            if best == nil || rmse < validationRMSE[best!.epoch - 1] {
                best = (model, step.step)
                bestErrors = lastErrors
            }
            if step.step >= best!.epoch + 3 { step.stop() }
        }
        let seed = self.seed &+ 61 &+ seedOffset, k = options.factors, hidden = options.hidden.values
        let (lr, batch, range) = (options.learningRate, options.batchSize, outputRange)
        let (form, schedule) = (options.decayForm.form, options.schedule.schedule)
        var last: any RatingPredictor, history: [Double]
        switch architecture {
        case .dotProduct:
            let run = try EmbeddingDotBias.train(
                ratings,
                .init(
                    factors: k, outputRange: range, regularization: decay, learningRate: lr, iterations: epochs, batchSize: batch, seed: seed,
                    threads: threads, decayForm: form, schedule: schedule),
                onStep: follow)
            (last, history) = (run.model, run.history)
        case .network:
            let run = try EmbeddingNetwork.train(
                ratings,
                .init(
                    factors: k, hidden: hidden, outputRange: range, regularization: decay, learningRate: lr, iterations: epochs,
                    batchSize: batch, seed: seed, threads: threads, decayForm: form, schedule: schedule),
                onStep: follow)
            (last, history) = (run.model, run.history)
        case .neuMF:
            let run = try NeuMF.train(
                ratings,
                .init(
                    factors: k, hidden: hidden, loss: .squaredError(range), regularization: decay, learningRate: lr, iterations: epochs,
                    batchSize: batch, seed: seed, threads: threads, decayForm: form, schedule: schedule),
                onStep: follow)
            (last, history) = (run.model, run.history)
        }
        var model = best?.model ?? last
        model.ratingScale = scale
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return FollowedRun(
            architecture: architecture, decay: decay, model: model, bestEpoch: best?.epoch ?? history.count,
            fitRMSE: history.map { $0.squareRoot() }, validationRMSE: validationRMSE, seconds: seconds,
            lastAgainstBest: validation == nil ? nil : .paired(lastErrors, bestErrors))
    }

    /// The run of `architecture` at `decay` on the fit ratings, followed on validation: made once, then remembered.
    /// The key of a run in `runs`.
    static func runKey(_ architecture: Architecture, _ decay: Double) -> String { "\(architecture.key) \(decay)" }

    mutating func followed(_ architecture: Architecture, decay: Double, progress: ProgressBar? = nil) throws -> FollowedRun {
        let key = Self.runKey(architecture, decay)
        if let run = runs[key] { return run }
        let run = try trained(architecture, on: fit, decay: decay, validation: validation, progress: progress)
        runs[key] = run
        return run
    }
}
