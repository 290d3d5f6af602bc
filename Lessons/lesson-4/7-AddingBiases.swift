// Exercise run: a global mean and user and item biases added to U Vᵀ (`--biases`).

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson4 {
    func addingBiases(_ model: FactorModel, losses: [Double], observedRMSE: Double) throws {
        book.heading("Exercise run: adding biases")
        let biased = try setup.trainBiased(k: k, reg: options.reg)
        book.paragraph(
            """
            A biased model predicts μ + b_u + b_i + U[u] · V[i]: a global mean, how much user u rates above it, and how
            much item i is rated above it, learned by the same SGD. Here the true matrix has no such structure (its
            entries are products of zero-mean normals), so the biases have little to explain.
            """)
        let plainHidden = setup.unobservedRMSE(model), biasedHidden = setup.unobservedRMSE(biased.model)
        book.table(
            Table(
                header: ["model", "RMSE observed", "RMSE hidden"],
                rows: [
                    ["U Vᵀ", "\(observedRMSE, digits: 4)", "\(plainHidden, digits: 4)"],
                    ["μ + b_u + b_i + U Vᵀ", "\(setup.observedRMSE(biased.model), digits: 4)", "\(biasedHidden, digits: 4)"]
                ]), caption: "With and without biases")
        try book.figure(
            .lines(
                name: "biases-loss", title: "Training MSE with and without biases", xLabel: "epoch",
                yLabel: "MSE (log scale)", series: [Series("U Vᵀ", y: losses), Series("μ + b_u + b_i + U Vᵀ", y: biased.history)],
                logY: true))
        book.paragraph(whatTheBiasesDo(biasedHidden: biasedHidden, plainHidden: plainHidden, cells: observed.count))
        book.record("biased_rmse_observed", setup.observedRMSE(biased.model))
        book.record("biased_rmse_unobserved", biasedHidden)
    }
}
