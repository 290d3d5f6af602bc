// Section 1: the synthetic matrix of rank 3, its observed cells, and the truth behind the blanks.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson4 {
    func aMatrixOfRankThree() throws {
        book.paragraph(
            """
            Lesson 3 learned factors by solving one small least-squares problem after another. Here we learn them the way
            most recommenders at scale do: by stochastic gradient descent, nudging the factors a little after every single
            rating. To know how well it works we need the answer, so we make up a matrix whose hidden cells we know.
            """)

        book.heading("A matrix of rank 3, \(Int((100 * Double(observed.count) / 300).rounded()))% observed")
        book.paragraph(
            """
            With numpy's generator seeded \(book.seed), we draw true user factors (20 × 3) and true item factors (15 × 3) from
            a standard normal, and multiply: R = U_true V_trueᵀ is a 20 × 15 matrix of rank 3. A second draw decides which
            cells we get to see: each cell is observed when a uniform number falls below 0.6. That leaves
            \(observed.count) observed cells out of 300, and \(300 - observed.count) hidden ones to predict.
            """)
        book.matrix(
            setup.observed.dense, rowNames: users, columnNames: items, corner: "R", digits: 1,
            caption: "The observed cells (blank = hidden)")
        try book.figure(
            .heatmap(
                name: "true-matrix", title: "The true matrix R = U_true V_trueᵀ (rank 3)", xLabel: "item", yLabel: "user",
                Heatmap(
                    setup.truth.rowArrays.map { $0.map(Optional.some) }, rowLabels: users, columnLabels: items,
                    colorbarLabel: "value", showValues: false, diverging: true)))
        try book.figure(
            .heatmap(
                name: "observed-matrix", title: "What SGD sees: the observed \(Int((100 * Double(observed.count) / 300).rounded()))% (hatched = hidden)",
                xLabel: "item", yLabel: "user",
                Heatmap(
                    observed.dense, rowLabels: users, columnLabels: items, colorbarLabel: "value",
                    range: heatRange(setup.truth), showValues: false, diverging: true,
                    missingMeaning: "hidden (never seen by training)")))

    }
}
