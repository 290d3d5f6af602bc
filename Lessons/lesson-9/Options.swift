// Lesson 9's command-line options.

import ArgumentParser
import LessonKit
import MovieLens

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson-9",
        abstract: "Lesson 9: implicit feedback and ranking.",
        discussion: """
            On MovieLens (see lesson 5 for where the data comes from), read as interactions: who watched what. Two \
            evaluation protocols (a random 20% of each user's interactions held out, and each user's most recent one); \
            ranking metrics over the whole catalogue (precision, recall, NDCG, MAP, hit rate, AUC, coverage, popularity \
            bias); a random ranker, popularity, item-item cosine neighbours, weighted ALS, BPR and lesson 6's rating model, \
            each tuned on a validation split and tested once; why sampled metrics mislead; a new user's list from a handful \
            of interactions. On a data set of more than a million ratings it keeps the ratings of users drawn at random up \
            to a million (--max-ratings, --whole).
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var movieLensOptions: MovieLensOptions
    @OptionGroup var newUserOptions: NewUserOptions
    @OptionGroup var sampling: SamplingOptions

    @Option(help: ArgumentHelp("Latent factors of weighted ALS, BPR and the rating model (2…200).", valueName: "k"))
    var factors: Int = 50

    @Option(help: ArgumentHelp("The cut-off k of precision@k, NDCG@k and the other list metrics (1…50).", valueName: "k"))
    var top: Int = 10

    @Flag(name: .customLong("positive-only"), help: "Count only ratings of 4 or more as interactions (the others are still removed from the lists).")
    var positiveOnly = false

    @Option(help: ArgumentHelp("Confidence scales α of weighted ALS to try on validation (each 0.1…1000; c = 1 + α).", valueName: "α,α,..."))
    var alphas: ListOption<Double> = ListOption([1, 5, 20, 50])

    @Option(help: ArgumentHelp("BPR epochs to try on validation (each 1…500; an epoch is as many triples as interactions).", valueName: "n,n,..."))
    var epochs: ListOption<Int> = ListOption([20, 50, 100, 200])

    @Option(help: ArgumentHelp("Neighbours per item of the item-item model to try on validation (each 1…1000).", valueName: "n,n,..."))
    var neighbours: ListOption<Int> = ListOption([10, 20, 50, 100, 200])

    @Option(help: ArgumentHelp("Iterations of weighted ALS (1…100).", valueName: "n"))
    var iterations: Int = 15

    @Flag(name: .customLong("exact-als"), help: "Solve every weighted ALS row exactly (Cholesky) instead of by three conjugate-gradient steps.")
    var exactALS = false

    func validate() throws {
        guard (2...200).contains(factors) else { throw ValidationError("--factors must be between 2 and 200, not \(factors)") }
        guard (1...50).contains(top) else { throw ValidationError("--top must be between 1 and 50, not \(top)") }
        guard alphas.values.count <= 8, alphas.values.allSatisfy({ (0.1...1000).contains($0) }) else {
            throw ValidationError("--alphas takes up to 8 values, each between 0.1 and 1000")
        }
        guard epochs.values.count <= 8, epochs.values.allSatisfy({ (1...500).contains($0) }) else {
            throw ValidationError("--epochs takes up to 8 values, each between 1 and 500")
        }
        guard neighbours.values.count <= 8, neighbours.values.allSatisfy({ (1...1000).contains($0) }) else {
            throw ValidationError("--neighbours takes up to 8 values, each between 1 and 1000")
        }
        guard (1...100).contains(iterations) else { throw ValidationError("--iterations must be between 1 and 100, not \(iterations)") }
    }
}
