// Lesson 10's command-line options.

import ArgumentParser
import CFCore
import LessonKit
import MovieLens

/// How weight decay is applied (`WeightDecayForm`), by its name on the command line.
enum DecayFormOption: String, ExpressibleByArgument, CaseIterable {
    case decoupled, l2
    case batchRows = "batch-rows"

    var form: WeightDecayForm {
        switch self {
        case .decoupled: .decoupled
        case .l2: .l2
        case .batchRows: .l2OnBatchRows
        }
    }
}

/// The schedule of the step size (`LearningRateSchedule`), by its name on the command line.
enum ScheduleOption: String, ExpressibleByArgument, CaseIterable {
    case constant
    case oneCycle = "one-cycle"

    var schedule: LearningRateSchedule {
        switch self {
        case .constant: .constant
        case .oneCycle: .oneCycle(warmup: 0.25)
        }
    }
}

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson-10",
        abstract: "Lesson 10: deep learning for collaborative filtering, against the dot product.",
        discussion: """
            On MovieLens (see lesson 5 for where the data comes from): a neural network that scores a (user, movie) pair \
            from their embeddings (fast.ai's EmbeddingNN), the dot product trained with the same tricks, and NeuMF (He et \
            al., 2017), each with its weight decay chosen on a validation split and tested once against lesson 6's model; \
            NeuMF and the network against weighted ALS and BPR on lesson 9's leave-last-out ranking; whether a network can \
            learn a dot product at all (Rendle et al., 2020); and what each costs to serve. On a data set of more than 500,000 \
            ratings it keeps the ratings of users drawn at random up to 500,000 (--max-ratings, --whole).
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var movieLensOptions: MovieLensOptions
    @OptionGroup var sampling: SamplingOptions

    @Option(help: ArgumentHelp("Folds to test on: 1 (u1, or a seeded 80/20 split) or 5 (u1 to u5, MovieLens 100K only).", valueName: "n"))
    var folds: Int = 1

    @Option(help: ArgumentHelp("The size of every embedding (2…200).", valueName: "k"))
    var factors: Int = 32

    @Option(help: ArgumentHelp("Hidden layers of the networks, first to last (each 1…1024, at most 4 layers).", valueName: "n,n,..."))
    var hidden: ListOption<Int> = ListOption([64])

    @Option(
        help: ArgumentHelp(
            "Weight decays to try on validation (each 0…100; with --decay-form l2, about 0.0001 to 0.002, by default spaced by 10^0.4, about 2.5 times; decoupled or batch-rows, 0.01 to 1).",
            valueName: "λ,λ,..."))
    var decays: ListOption<Double> = ListOption([0.0001, 0.00025, 0.00063, 0.0016])

    @Option(
        name: .customLong("decay-form"),
        help: ArgumentHelp(
            "How weight decay applies: l2 (λθ added to every gradient before Adam), decoupled (AdamW: θ·(1 − lr·λ) each step), or batch-rows (an L2 penalty on the embedding rows each minibatch uses).",
            valueName: "form"))
    var decayForm: DecayFormOption = .l2

    @Option(
        help: ArgumentHelp(
            "The step size over a run: one-cycle (up from lr/25 over the first quarter of the epochs, then down to lr/100000, fast.ai's fit_one_cycle) or constant.",
            valueName: "schedule"))
    var schedule: ScheduleOption = .oneCycle

    @Option(
        help: ArgumentHelp(
            "Epochs of a run (1…200), the length of the schedule; each run stops early once validation has not improved for 3.", valueName: "n"))
    var epochs: Int = 12

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Ratings per minibatch (16…65536).", valueName: "n"))
    var batchSize: Int = 512

    @Option(
        name: .customLong("learning-rate"), help: ArgumentHelp("Adam's step size, the schedule's peak (0.00001…0.1).", valueName: "lr"))
    var learningRate: Double = 0.005

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
