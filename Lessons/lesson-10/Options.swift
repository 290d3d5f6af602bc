// Lesson 10's command-line options.

import ArgumentParser
import LessonKit
import MovieLens

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson-10",
        abstract: "Lesson 10: deep learning for collaborative filtering, against the dot product.",
        discussion: """
            On MovieLens (see lesson 5 for where the data comes from): a neural network that scores a (user, movie) pair \
            from their embeddings (fast.ai's EmbeddingNN), the dot product trained with the same tricks, and NeuMF (He et \
            al., 2017), each with its weight decay chosen on a validation split and tested once against lesson 6's model; \
            NeuMF and the network against weighted ALS and BPR on lesson 9's leave-last-out ranking; whether a network can \
            learn a dot product at all (Rendle et al., 2020); and what each costs to serve.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var movieLensOptions: MovieLensOptions

    @Option(help: ArgumentHelp("Folds to test on: 1 (u1, or a seeded 80/20 split) or 5 (u1 to u5, MovieLens 100K only).", valueName: "n"))
    var folds: Int = 1

    @Option(help: ArgumentHelp("The size of every embedding (2…200).", valueName: "k"))
    var factors: Int = 32

    @Option(help: ArgumentHelp("Hidden layers of the networks, first to last (each 1…1024, at most 4 layers).", valueName: "n,n,..."))
    var hidden: ListOption<Int> = ListOption([64])

    @Option(
        help: ArgumentHelp(
            "Weight decays to try on validation (each 0…100; Adam's decoupled decay: each step multiplies a parameter by 1 − lr·λ).", valueName: "λ,λ,..."))
    var decays: ListOption<Double> = ListOption([0.1, 0.3, 1])

    @Option(help: ArgumentHelp("The most epochs of a run (1…200); each stops early once validation has not improved for 3.", valueName: "n"))
    var epochs: Int = 30

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Ratings per minibatch (16…65536).", valueName: "n"))
    var batchSize: Int = 512

    @Option(name: .customLong("learning-rate"), help: ArgumentHelp("Adam's step size (0.00001…0.1).", valueName: "lr"))
    var learningRate: Double = 0.003

    func validate() throws {
        guard folds == 1 || folds == 5 else { throw ValidationError("--folds must be 1 or 5, not \(folds)") }
        guard (2...200).contains(factors) else { throw ValidationError("--factors must be between 2 and 200, not \(factors)") }
        guard (1...4).contains(hidden.values.count), hidden.values.allSatisfy({ (1...1024).contains($0) }) else {
            throw ValidationError("--hidden takes 1 to 4 layer sizes, each between 1 and 1024")
        }
        guard (1...8).contains(decays.values.count), decays.values.allSatisfy({ (0...100).contains($0) }) else {
            throw ValidationError("--decays takes 1 to 8 values, each between 0 and 100")
        }
        guard (1...200).contains(epochs) else { throw ValidationError("--epochs must be between 1 and 200, not \(epochs)") }
        guard (16...65536).contains(batchSize) else { throw ValidationError("--batch-size must be between 16 and 65536, not \(batchSize)") }
        guard (0.00001...0.1).contains(learningRate) else {
            throw ValidationError("--learning-rate must be between 0.00001 and 0.1, not \(learningRate)")
        }
    }
}
