// Lesson 6's command-line options.

import ArgumentParser
import LessonKit
import MovieLens

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson-6",
        abstract: "Lesson 6: biases, validation, hyperparameter search, cold start and the method comparison.",
        discussion: """
            On MovieLens (see lesson 5 for where the data comes from): the baseline μ + b_u + b_i, biased matrix \
            factorization with early stopping, a hyperparameter search on a validation split carved from the \
            training ratings, implicit feedback (SVD++), one final evaluation on the test ratings, cold start (no ratings, a few ratings), \
            "because you liked", and a table comparing every method of the course. On a data set of more than 500,000 \
            ratings it keeps the ratings of users drawn at random up to 500,000 (--max-ratings, --whole).
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var movieLensOptions: MovieLensOptions
    @OptionGroup var newUserOptions: NewUserOptions
    @OptionGroup var sampling: SamplingOptions

    @Option(help: ArgumentHelp("Folds for the comparison table: 1 (u1) or 5 (u1..u5, MovieLens 100K).", valueName: "n"))
    var folds: Int = 1

    @Option(help: ArgumentHelp("Grid of latent factors k (each 1…1000; the whole grid at most 60 settings).", valueName: "k,k,..."))
    var k: ListOption<Int> = ListOption([50, 300, 500])

    @Option(help: ArgumentHelp("Grid of regularization λ.", valueName: "λ,λ,..."))
    var lambda: ListOption<Double> = ListOption([0.06, 0.08, 0.1])

    @Option(name: .customLong("learning-rate"), help: ArgumentHelp("Grid of SGD learning rates.", valueName: "lr,lr,..."))
    var learningRate: ListOption<Double> = ListOption([0.005])

    @Option(help: ArgumentHelp("Most epochs of one SGD run, 1…500 (early stopping usually ends it sooner).", valueName: "n"))
    var epochs: Int = 150

    @Option(help: ArgumentHelp("Stop a run after this many epochs without a better validation RMSE (1…--epochs).", valueName: "n"))
    var patience: Int = 8

    @Option(
        help: ArgumentHelp(
            "MovieLens id of the movie for \"because you liked\" (default: Star Wars (1977) when the data set has it, else its most rated movie).",
            valueName: "id"))
    var movie: Int?

    func validate() throws {
        guard folds == 1 || folds == 5 else { throw ValidationError("--folds must be 1 or 5") }
        guard k.values.allSatisfy({ (1...1000).contains($0) }) else { throw ValidationError("--k values must lie between 1 and 1000") }
        // λ = 0 trains, but the cold-start section then folds a new user in: k + 1 unknowns from about ten ratings, which
        // only a positive λ determines. Said now, not after minutes of training.
        guard lambda.values.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw ValidationError(
                "--lambda values must be > 0: the cold-start user is folded in with the chosen λ, which needs a penalty to solve k + 1 unknowns from a few ratings"
            )
        }
        guard learningRate.values.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw ValidationError("--learning-rate values must be > 0") }
        guard (1...500).contains(epochs) else { throw ValidationError("--epochs must be between 1 and 500, not \(epochs)") }
        guard (1...epochs).contains(patience) else { throw ValidationError("--patience must be between 1 and --epochs (\(epochs)), not \(patience)") }
        let settings = k.values.count * lambda.values.count * learningRate.values.count
        guard settings <= 60 else { throw ValidationError("the grid --k × --lambda × --learning-rate has \(settings) settings; at most 60 are allowed") }
    }
}
