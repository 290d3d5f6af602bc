// Lesson 8's command-line options.

import ArgumentParser
import LessonKit
import MovieLens

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson-8",
        abstract: "Lesson 8: Bayesian matrix factorization and blending.",
        discussion: """
            On MovieLens (see lesson 5 for where the data comes from): Bayesian matrix factorization by Gibbs sampling, \
            whose prediction averages over the samples and comes with an interval, with its noise precision α and the \
            implicit-feedback terms (users' side, both sides) chosen on validation; then a blend of every model of the \
            course, fitted by ridge regression on predictions for a validation split carved from the training ratings, \
            and applied once to the test ratings. On a data set of more than 500,000 ratings it keeps the ratings of users \
            drawn at random up to 500,000 (--max-ratings, --whole).
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var movieLensOptions: MovieLensOptions
    @OptionGroup var sampling: SamplingOptions

    @Option(
        help: ArgumentHelp(
            "Latent factors of the Bayesian model (1…100): 16 fills two of the sampler's 8-wide vectors exactly, where 20 would be padded to 24.",
            valueName: "k"))
    var k: Int = 16

    @Option(help: ArgumentHelp("Gibbs samples in all (10…2000).", valueName: "n"))
    var samples: Int = 200

    @Option(name: .customLong("burn-in"), help: ArgumentHelp("Samples discarded before averaging (0…samples − 1).", valueName: "n"))
    var burnIn: Int = 30

    @Option(
        help: ArgumentHelp(
            """
            Noise precisions α (1 / the variance of a rating around its prediction) to try on validation, each 0.1…20; \
            α drawn from its own posterior is tried too.
            """, valueName: "a,a,..."))
    var alphas: ListOption<Double> = ListOption([1, 1.5, 2, 3])

    @Option(help: ArgumentHelp("Folds: 1 (u1) or 5 (u1..u5, MovieLens 100K; each fold run the same way).", valueName: "n"))
    var folds: Int = 1

    @Option(help: ArgumentHelp("MovieLens id of the user whose top 10 is shown with intervals (default: the first user).", valueName: "id"))
    var user: Int?

    func validate() throws {
        guard (1...100).contains(k) else { throw ValidationError("--k must be between 1 and 100, not \(k)") }
        guard (10...2000).contains(samples) else { throw ValidationError("--samples must be between 10 and 2000, not \(samples)") }
        guard (0..<samples).contains(burnIn) else { throw ValidationError("--burn-in must be between 0 and --samples − 1 (\(samples - 1)), not \(burnIn)") }
        guard !alphas.values.isEmpty, alphas.values.count <= 8, alphas.values.allSatisfy({ (0.1...20).contains($0) }) else {
            throw ValidationError("--alphas takes up to 8 values, each between 0.1 and 20")
        }
        guard folds == 1 || folds == 5 else { throw ValidationError("--folds must be 1 or 5") }
    }
}
