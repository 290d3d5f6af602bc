// Section 4: the main model against the truth, on the cells it saw and on the hidden ones.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson4 {
    /// Returns the main model's RMSE on the observed cells.
    func howWellDidItFillInTheBlanks(_ model: FactorModel) throws -> Double {
        book.heading("How well did it fill in the blanks?")
        book.paragraph("The true matrix is known here, so U Vᵀ can be checked on the cells training never saw as well as on those it did:")
        let reconstruction = model.predictedMatrix()
        let observedRMSE = setup.observedRMSE(model), hiddenRMSE = setup.unobservedRMSE(model)
        book.table(
            Table(
                header: ["cells", "count", "RMSE"],
                rows: [
                    ["observed (trained on)", String(observed.count), "\(observedRMSE, digits: 4)"],
                    ["hidden (never seen)", String(300 - observed.count), "\(hiddenRMSE, digits: 4)"]
                ]), caption: "Error of U Vᵀ against the true matrix")
        let spread = standardDeviation(setup.truth.elements)
        book.paragraph(fillingIn(hidden: hiddenRMSE, observed: observedRMSE, spread: spread, k: k))
        try book.figure(
            .heatmap(
                name: "reconstruction", title: "The reconstruction U Vᵀ after training", xLabel: "item", yLabel: "user",
                Heatmap(
                    reconstruction.rowArrays.map { $0.map(Optional.some) }, rowLabels: users, columnLabels: items,
                    colorbarLabel: "value", range: heatRange(setup.truth), showValues: false, diverging: true)))
        let hiddenErrors: [[Double?]] = (0..<20).map { i in
            (0..<15).map { j in
                setup.isObserved[i][j] ? nil : abs(reconstruction[i, j] - setup.truth[i, j])
            }
        }
        try book.figure(
            .heatmap(
                name: "hidden-error", title: "Absolute error on the hidden cells (the observed cells hatched)",
                xLabel: "item", yLabel: "user",
                Heatmap(
                    hiddenErrors, rowLabels: users, columnLabels: items, colorbarLabel: "|U Vᵀ − R|", digits: 2,
                    missingMeaning: "observed (trained on)")))
        book.record("rmse_observed", observedRMSE)
        book.record("rmse_unobserved", hiddenRMSE)

        return observedRMSE
    }
}
