// Section 3: the epochs, on the learner's `sgdEpoch` once written; the loss per epoch against the notebook's.

import CFCore
import Exercises
import Figures
import LessonKit
import TextOutput

extension Lesson4 {
    /// Trains the main run; returns its model and its training MSE per epoch.
    func training() throws -> (model: FactorModel, losses: [Double]) {
        book.heading("Training: \(options.epochs) epochs, lr = \(options.learningRate), reg = \(options.reg), k = \(k)")
        book.paragraph("Each epoch visits the observed cells in the notebook's order; after it, the error on them is measured:")
        // ✏️ Each epoch is your `sgdEpoch` (Cells.swift), once written.
        let result = try setup.attempt(reg: options.reg, cells: cells)
        guard let model = result.model else {
            throw TrainingError.diverged(
                method: "SGD", stepName: "epoch", step: result.divergedAt ?? 0, learningRate: options.learningRate, regularization: options.reg)
        }
        let losses = result.losses
        // The course's own epochs on the same start, to tell whether a learner's sgdEpoch reproduces them.
        let courseLosses = book.writtenCells.contains("sgdEpoch") ? try setup.attempt(reg: options.reg, cells: Lesson4Exercises.reference).losses : nil
        let shownEpochs = [1, 2, 5, 10, 20, 50, 100, 150, 200, losses.count].filter { $0 <= losses.count }
        book.table(
            Table(
                header: ["epoch", "training MSE"],
                rows: Array(Set(shownEpochs)).sorted().map {
                    [String($0), "\(losses[$0 - 1], digits: 10)"]
                }), caption: "Mean squared error on the observed cells after each epoch")
        book.paragraph(
            """
            After the first epoch the MSE is \(losses[0], digits: 10); after the last it is
            \(losses.last!, digits: 10). \(notebookReading(seed: book.seed, notebookSettings: options.hasNotebookSettings, yours: losses, course: courseLosses))
            """)
        // On a linear axis only the first epochs show anything (the rest lie flat on 0): the log figure shows them all.
        let early = Array(losses.prefix(30))
        try book.figure(
            .lines(
                name: "loss", title: "SGD: training MSE in the first \(early.count) epochs", xLabel: "epoch", yLabel: "MSE on observed cells",
                series: [Series("k = \(k), lr = \(options.learningRate), reg = \(options.reg)", y: early)]))
        try book.figure(
            .lines(
                name: "loss-log", title: "SGD: training MSE per epoch (log scale)", xLabel: "epoch",
                yLabel: "MSE on observed cells", series: [Series("k = \(k), lr = \(options.learningRate), reg = \(options.reg)", y: losses)],
                logY: true))
        book.record("observed_cells", observed.count)
        book.record("k", k)
        book.record("learning_rate", options.learningRate)
        book.record("reg", options.reg)
        book.record("epochs", options.epochs)
        book.record("loss_first_epoch", losses[0])
        book.record("loss_final", losses.last!)
        book.record("loss_per_epoch", losses)

        return (model, losses)
    }
}
