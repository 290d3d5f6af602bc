// Lesson 4: matrix factorization by stochastic gradient descent, on a synthetic 20×15 matrix.
//
// A port of the classic notebook "Collaborative filtering via matrix factorization", number for number:
// with the same seed it prints the notebook's own losses. Run it with `swift run lesson-4`.

import CFCore
import Exercises
import Figures
import LessonKit
import TextOutput

let options = Options.parseOrExplain()
let chosenCells: any Lesson4Cells = options.common.solutions ? Lesson4Exercises.solutions : YourCells()
// `--check` grades the epoch on the notebook itself: seed 42, k = 3, lr 0.05, reg 0.01, 200 epochs.
let notebook = try? Setup(seed: 42, k: 3, learningRate: 0.05, epochs: 200)

Lesson.run(4, options: options.common, exercises: notebook.map { chosenCells.exercises(notebook: $0.problem(reg: 0.01)) } ?? []) { book in
    let cells = chosenCells.completed(book.writtenCells)
    // ✏️ Exercises: set these here instead of passing flags, then run `swift run lesson-4` again.
    let compareKs: [Int] = options.k.values.count > 1 ? options.k.values : []  // e.g. [1, 2, 3, 5, 8]
    let validationFraction: Double? = options.validation  // e.g. 0.2
    let compareBiases: Bool = options.biases  // e.g. true
    let k = options.k.values.count == 1 ? options.k.values[0] : 3
    let users = (1...20).map { "u\($0)" }, items = (1...15).map { "i\($0)" }

    book.paragraph(
        """
        Lesson 3 learned factors by solving one small least-squares problem after another. Here we learn them the way
        most recommenders at scale do: by stochastic gradient descent, nudging the factors a little after every single
        rating. To know how well it works we need the answer, so we make up a matrix whose hidden cells we know.
        """)

    // MARK: The data
    let setup = try Setup(seed: book.seed, k: k, learningRate: options.learningRate, epochs: options.epochs)
    let observed = setup.observed
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

    // MARK: The method
    book.heading("Learning U and V one cell at a time")
    book.paragraph(
        """
        We start U (20 × k) and V (15 × k) at small random values, 0.1·randn, and visit the observed cells row by row.
        For each one we compute the error of the current guess and move both factor vectors a small step, the
        learning rate, in the direction that reduces it, pulled back a little toward zero by the regularizer:
        """)
    book.code(
        """
        err   = R[i, j] − U[i] · V[j]
        U[i] += lr · (err · V[j] − reg · U[i])
        V[j] += lr · (err · U[i] − reg · V[j])      (with the U[i] just updated)
        """)
    book.paragraph(
        """
        Hidden cells never appear in this loop: they put no constraint on the factors, which is the whole point.
        The model has to get them right only because it has been forced to explain the observed cells with just k
        numbers per user and per item. The regularizer (reg = \(options.reg)) keeps the factors from growing to fit
        noise; here there is no noise, so it mostly costs a little accuracy on the observed cells.
        """)

    // MARK: Training
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

    // MARK: How well were the blanks filled in?
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

    // MARK: Exercises that run
    if !compareKs.isEmpty {
        book.heading("Exercise run: comparing latent dimensions k")
        var series = [Series](), rows = [[String]](), record = [(String, JSONValue)](), diverged = [(k: Int, epoch: Int)]()
        var finals = [Int: (training: Double, hidden: Double)]()
        for kk in compareKs {
            let run = try Setup(seed: book.seed, k: kk, learningRate: options.learningRate, epochs: options.epochs)
            let trained = try run.attempt(reg: options.reg, cells: cells)
            if let epoch = trained.divergedAt {
                // Drawn only until it passes 10× its first loss, so the other curves stay readable.
                let shown = trained.losses.prefix { $0 <= 10 * trained.losses[0] }
                series.append(Series("k = \(kk) (diverged at epoch \(epoch))", y: Array(shown)))
            } else {
                series.append(Series("k = \(kk)", y: trained.losses))
            }
            if let model = trained.model {
                let train = run.observedRMSE(model), hidden = run.unobservedRMSE(model)
                finals[kk] = (trained.losses.last ?? .nan, hidden)
                rows.append([String(kk), "\(trained.losses.last!, digits: 6)", "\(train, digits: 4)", "\(hidden, digits: 4)", ""])
                record.append(("k=\(kk)", .object(["final_training_mse": trained.losses.last!, "rmse_observed": train, "rmse_unobserved": hidden])))
            } else {
                let epoch = trained.divergedAt!
                rows.append([String(kk), "", "", "", "diverged at epoch \(epoch)"])
                record.append(("k=\(kk)", .object(["diverged_at_epoch": epoch])))
                diverged.append((kk, epoch))
            }
        }
        book.table(
            Table(header: ["k", "final training MSE", "RMSE observed", "RMSE hidden", "note"], rows: rows),
            caption: "Final errors for each k")
        try book.figure(
            .lines(
                name: "k-comparison", title: "Training MSE per epoch for each k", xLabel: "epoch",
                yLabel: "MSE on observed cells (log scale)", series: series, logY: true))
        book.paragraph(kComparisonReading(finals))
        if let reading = divergenceReading(diverged, learningRate: options.learningRate) { book.paragraph(reading) }
        book.record("k_comparison", JSONValue.object(record))
    }

    if let fraction = validationFraction {
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

    if compareBiases {
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

    book.heading("Exercises")
    book.cellExercises()
    book.exercise("Compare latent dimensions: `swift run lesson-4 --k 1,2,3,5,8` (or set compareKs in main.swift at the ✏️ mark).")
    book.exercise("Tune the regularization on held-out cells: `swift run lesson-4 --validation 0.2` (or set validationFraction).")
    book.exercise("Add user and item biases and a global mean: `swift run lesson-4 --biases` (or set compareBiases).")
    book.exercise(
        """
        Make the learning rate too large: `swift run lesson-4 --learning-rate 50`. What happens, and at which epoch?
        Then find the largest rate that still converges.
        """)
}
