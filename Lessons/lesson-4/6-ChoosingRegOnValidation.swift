// Exercise run: reg chosen on a validation split of the observed cells (`--validation 0.2`).

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson4 {
    func choosingRegOnValidation(_ fraction: Double) throws {
        book.heading("Exercise run: choosing reg on a validation split")
        var splitRNG = RandomState(seed: book.seed &+ 1)
        let held = Int((Double(observed.count) * fraction).rounded())
        guard held >= 1 && held < observed.count else {
            throw LessonError.message(
                "--validation \(fraction) holds out \(held) of the \(observed.count) observed cells, leaving "
                    + (held < 1 ? "none to validate on" : "none to train on") + "; give a fraction such as 0.2")
        }
        let (training, validation) = try observed.split(holdingOut: fraction, rng: &splitRNG)
        let grid = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1]
        var validationRMSE = [Double](), hiddenRMSE = [Double]()
        for value in grid {
            // A run that diverges counts as infinitely bad, so it is never chosen (and is left off the figure).
            let trained = try setup.attempt(reg: value, on: training, cells: cells)
            validationRMSE.append(trained.model.map { setup.observedRMSE($0, on: validation) } ?? .infinity)
            hiddenRMSE.append(trained.model.map { setup.unobservedRMSE($0) } ?? .infinity)
        }
        let best = validationRMSE.indices.min { validationRMSE[$0] < validationRMSE[$1] }!
        book.paragraph(
            """
            We hold out \(validation.count) of the \(observed.count) observed cells (\(book.derivedSeed(1))), train on the other
            \(training.count) for each value of reg, and measure the RMSE on the held-out cells, which training never saw.
            """)
        book.table(
            Table(
                header: ["reg", "validation RMSE", "hidden-cell RMSE"],
                rows: grid.indices.map {
                    [String(grid[$0]), "\(validationRMSE[$0], digits: 4)", "\(hiddenRMSE[$0], digits: 4)"]
                }), caption: "Validation error against the regularization")
        try book.figure(
            .lines(
                name: "validation-reg", title: "Validation RMSE against reg (k = \(k))", xLabel: "reg (log scale)",
                yLabel: "RMSE",
                series: [
                    Series("validation cells", x: grid, y: validationRMSE),
                    Series("hidden cells", x: grid, y: hiddenRMSE)
                ], logX: true))
        book.paragraph(
            """
            The best reg on the validation cells is \(grid[best]) (validation RMSE \(validationRMSE[best], digits: 4)).
            The hidden-cell column is the answer we would never have in real life; the validation split is how we
            estimate it honestly. \(rankingAgreement(grid: grid, validation: validationRMSE, hidden: hiddenRMSE, validationCells: validation.count))
            """)
        book.paragraph(whereTheMinimumLies(best: best, of: grid.count))
        book.record("validation_fraction", fraction)
        book.record("validation_grid", grid)
        book.record("validation_rmse", validationRMSE)
        book.record("validation_hidden_rmse", hiddenRMSE)
        book.record("best_reg", grid[best])
    }
}
