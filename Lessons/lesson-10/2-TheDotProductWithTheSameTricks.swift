// Section 2: lesson 6's biased matrix factorization given the network's sigmoid range, weight decay and optimizer, so
// that the comparison is about the combiner alone.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson10 {
    mutating func theDotProductWithTheSameTricks() throws {
        book.heading("The dot product with the same tricks")
        book.paragraph(
            """
            Lesson 6's model scored b_u + b_i + p_u · q_i and learned it by plain SGD. Here it gets everything the network
            got: the same \(options.factors)-number embeddings, the same sigmoid range around the score, the same Adam, minibatches,
            weight decay, schedule of step sizes and early stopping. The only difference left between the two is how a user and a movie are
            combined: a fixed dot product, or a learned network. (fast.ai calls this model EmbeddingDotBias.)
            """)
        let bar = book.progress("dot product", total: options.epochs)
        let dot = try followed(.dotProduct, decay: firstDecay, progress: bar)
        bar.finish()
        let network = try followed(.network, decay: firstDecay)
        try book.figure(learningCurves(dot))
        book.paragraph(Self.curveReading(dot, scale: scale, annealed: options.schedule == .oneCycle))
        book.paragraph(Self.firstComparison(dot: dot.bestRMSE, network: network.bestRMSE, decay: firstDecay))
        book.record("dot_product_curve", curveJSON(dot))
    }

    /// The two models at the first decay, by their best validation RMSE: not yet a verdict (the decay is not chosen, and
    /// validation is for choosing), only what the curves show.
    static func firstComparison(dot: Double, network: Double, decay: Double) -> String {
        let gap = abs(dot - network)
        let order =
            gap < 0.0005
            ? "the two reach the same validation RMSE, \(formatFixed(dot, digits: 4))"
            : dot < network
                ? "the dot product's best validation RMSE, \(formatFixed(dot, digits: 4)), is below the network's, \(formatFixed(network, digits: 4))"
                : "the network's best validation RMSE, \(formatFixed(network, digits: 4)), is below the dot product's, \(formatFixed(dot, digits: 4))"
        return "At λ = \(decay), \(order). Both were tuned on nothing yet: the next sections choose each model's decay on validation and test the choice once."
    }
}
