// Lesson 4's command-line options.

import ArgumentParser
import LessonKit

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson-4",
        abstract: "Lesson 4: matrix factorization by stochastic gradient descent (SGD).",
        discussion: """
            Builds a 20 × 15 matrix of rank 3 from random factors, hides 40% of it, and learns factors U and V \
            by SGD on the observed cells only, reproducing the numpy notebook's losses. Then it checks how well \
            the hidden cells were filled in. Exercises: compare several k (--k 1,2,3,5,8), tune the \
            regularization on a validation split (--validation 0.2), add biases (--biases).
            """)

    @OptionGroup var common: CommonOptions

    /// The notebook's 200 epochs converge; 10,000 is far past where the loss stops moving, and still runs in seconds.
    static let maxEpochs = 10_000

    @Option(help: ArgumentHelp("Latent factors k (1…15); a list of up to 8 such as 1,2,3,5,8 also compares them.", valueName: "k[,k...]"))
    var k: ListOption<Int> = ListOption([3])

    @Option(name: .customLong("learning-rate"), help: ArgumentHelp("SGD step size.", valueName: "lr"))
    var learningRate: Double = 0.05

    @Option(help: ArgumentHelp("L2 regularization of the factors.", valueName: "reg"))
    var reg: Double = 0.01

    @Option(help: ArgumentHelp("Passes over the observed cells (1…\(Options.maxEpochs)).", valueName: "n"))
    var epochs: Int = 200

    @Option(help: ArgumentHelp("Hold out this fraction of the observed cells and tune reg on it (e.g. 0.2).", valueName: "fraction"))
    var validation: Double?

    @Flag(help: "Also train a model with a global mean, user biases and item biases, and compare.")
    var biases = false

    /// Whether the training runs with the numpy notebook's settings: k = 3, lr = 0.05, reg = 0.01, 200 epochs.
    var hasNotebookSettings: Bool {
        (k.values.count == 1 ? k.values[0] : 3) == 3 && learningRate == 0.05 && reg == 0.01 && epochs == 200
    }

    func validate() throws {
        guard k.values.allSatisfy({ (1...15).contains($0) }) else { throw ValidationError("--k values must lie between 1 and 15") }
        guard k.values.count <= 8 else { throw ValidationError("--k takes at most 8 values, not \(k.values.count)") }
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be a positive number") }
        guard reg >= 0, reg.isFinite else { throw ValidationError("--reg must be a number ≥ 0") }
        guard (1...Options.maxEpochs).contains(epochs) else {
            throw ValidationError("--epochs must be between 1 and \(Options.maxEpochs), not \(epochs)")
        }
        if let validation, !(validation > 0 && validation < 1) { throw ValidationError("--validation must lie strictly between 0 and 1") }
    }
}
