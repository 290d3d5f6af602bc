// Lesson 5's command-line options.

import ArgumentParser
import LessonKit
import MovieLens

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson-5",
        abstract: "Lesson 5: a recommender on MovieLens: cost, gradients, gradient descent, RMSE, recommendations.",
        discussion: """
            Loads MovieLens (100K, 1M or latest-small; downloads 100K from GroupLens when it is missing, and runs on \
            synthetic data of the same shape when it cannot), writes down the cost function of collaborative \
            filtering and its gradients, checks the gradients numerically, trains by batch gradient descent with \
            mean normalization and then by SGD, compares their RMSE with a movie-mean baseline, and recommends \
            movies to a MovieLens user and to you.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var movieLensOptions: MovieLensOptions
    @OptionGroup var newUserOptions: NewUserOptions

    @Option(help: ArgumentHelp("Number of latent features k (1…200).", valueName: "k"))
    var k: Int = 10

    @Option(
        help: ArgumentHelp(
            "Learning rate α of batch gradient descent (default: 0.003 up to 100,000 ratings, 0.003 × 100,000 / the number of ratings above).",
            valueName: "α"))
    var alpha: Double?

    @Option(help: ArgumentHelp("Regularization λ of the cost J.", valueName: "λ"))
    var lambda: Double = 10

    @Option(help: ArgumentHelp("Iterations of batch gradient descent (1…5000).", valueName: "n"))
    var iterations: Int = 200

    @Option(help: ArgumentHelp("Epochs of SGD (1…500).", valueName: "n"))
    var epochs: Int = 20

    @Option(name: .customLong("sgd-rate"), help: ArgumentHelp("Learning rate of SGD.", valueName: "lr"))
    var sgdRate: Double = 0.02

    @Option(name: .customLong("sgd-reg"), help: ArgumentHelp("Regularization of each SGD update.", valueName: "reg"))
    var sgdReg: Double = 0.05

    @Option(help: ArgumentHelp("MovieLens id of the user to recommend movies to.", valueName: "id"))
    var user: Int = 1

    func validate() throws {
        guard k >= 1 && k <= 200 else { throw ValidationError("--k must lie between 1 and 200") }
        for (name, value) in [("--alpha", alpha ?? 1), ("--sgd-rate", sgdRate)] where !(value > 0 && value.isFinite) {
            throw ValidationError("\(name) is a learning rate and must be a positive number, not \(value)")
        }
        for (name, value) in [("--lambda", lambda), ("--sgd-reg", sgdReg)] where !(value >= 0 && value.isFinite) {
            throw ValidationError("\(name) is a penalty and must be a number ≥ 0, not \(value)")
        }
        guard (1...5000).contains(iterations) else { throw ValidationError("--iterations must be between 1 and 5000, not \(iterations)") }
        guard (1...500).contains(epochs) else { throw ValidationError("--epochs must be between 1 and 500, not \(epochs)") }
    }
}
