// Section 3: NeuMF (He et al., 2017): a generalized matrix factorization branch and an MLP branch, fused.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson10 {
    mutating func neuMF() throws {
        book.heading("NeuMF: both at once")
        book.paragraph(
            """
            He et al.'s Neural Collaborative Filtering keeps both combiners side by side, each with embeddings of its own.
            GMF, generalized matrix factorization, multiplies the two embeddings element by element, p ⊙ q: a dot product
            before its sum. The MLP branch is EmbeddingNN's tower. The last layer reads both, [p ⊙ q, h], and gives z, so
            with the MLP's weights at zero NeuMF is a weighted dot product, and with GMF's at zero it is EmbeddingNN. The
            paper trains it on implicit feedback (section 6 does too); for stars, z goes through the same sigmoid range.
            """)
        let bar = book.progress("NeuMF", total: options.epochs)
        let run = try followed(.neuMF, decay: firstDecay, progress: bar)
        bar.finish()
        let all = try Architecture.allCases.map { try followed($0, decay: firstDecay) }
        try book.figure(
            .lines(
                name: "validation-epochs",
                title: "Validation RMSE per epoch (λ = \(firstDecay), early stopping)",
                xLabel: "epoch", yLabel: "validation RMSE (stars)", series: all.map { Series($0.architecture.name, y: $0.validationRMSE) }))
        book.paragraph(Self.curveReading(run, scale: scale, annealed: options.schedule == .oneCycle))
        book.record("neumf_curve", curveJSON(run))
    }
}
