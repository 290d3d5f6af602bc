// Section 6: the objectives of weighted ALS and BPR as they train, their speed, and the learner's BPR step.

import CFCore
import Figures
import Foundation
import LessonKit
import TextOutput

extension Lesson9 {
    mutating func howWeightedALSAndBPRLearn() throws {
        book.heading("How weighted ALS and BPR learn")
        book.paragraph("How fast each trained model learns, and what each step costs, on the random protocol's training interactions:")
        let runs = try walsBothWays(), cores = ProcessInfo.processInfo.activeProcessorCount
        try book.figure(walsLossFigure(runs))
        book.paragraph(
            """
            On the random protocol's \(main.data.training.count) training interactions, on \(cores) core\(cores == 1 ? "" : "s"): an iteration takes
            \(runs.conjugateGradientMilliseconds, digits: 1) ms with three conjugate-gradient steps per row and \(runs.exactMilliseconds, digits: 1) ms with the exact
            solve (without computing the objective, which the figure's runs did). After \(options.iterations) iterations the approximate
            objective is \(runs.gapPercent, digits: 2)% \(runs.approximateIsAbove ? "above" : "below") the exact one: each CG step
            lowers the row's own quadratic, so the objective still falls every half-step, and the rows start from where the
            previous iteration left them.
            """)
        book.record("wals_losses", JSONValue.object([("conjugate_gradient", runs.conjugateGradient.json), ("cholesky", runs.exact.json)]))
        let triplesPerSecond = try bprLossAndStep()
        book.record(
            "speed",
            JSONValue.object([
                ("wals_cg_ms_per_iteration", runs.conjugateGradientMilliseconds.json),
                ("wals_cholesky_ms_per_iteration", runs.exactMilliseconds.json),
                ("bpr_triples_per_second", triplesPerSecond.json)
            ]))
    }

    /// Weighted ALS on the random protocol by both solvers: once computing the objective after every half-step (for
    /// the figure), once timed without it; the timed run of the solver the options choose is kept for the test.
    mutating func walsBothWays() throws -> WALSRuns {
        let training = main.data.training, alpha = mainChoice.alpha
        let cgRun = try wals(training, alpha: alpha, solver: .conjugateGradient(steps: 3), loss: true)
        let exactRun = try wals(training, alpha: alpha, solver: .cholesky, loss: true)
        let (cgFast, cgSeconds) = try timed { try wals(training, alpha: alpha, solver: .conjugateGradient(steps: 3)) }
        let (exactFast, exactSeconds) = try timed { try wals(training, alpha: alpha, solver: .cholesky) }
        mainWALS = (options.exactALS ? exactFast : cgFast).model
        let iterations = Double(options.iterations)
        return WALSRuns(
            conjugateGradient: cgRun.history, exact: exactRun.history,
            conjugateGradientMilliseconds: 1000 * cgSeconds / iterations, exactMilliseconds: 1000 * exactSeconds / iterations)
    }

    /// The objective after each iteration (after its item half-step), by both solvers.
    func walsLossFigure(_ runs: WALSRuns) -> Figure {
        return .lines(
            name: "wals-loss", title: "Weighted ALS: the objective after each iteration (α = \(formatFixed(mainChoice.alpha, digits: 0)), k = \(k))",
            xLabel: "iteration", yLabel: "objective (all pairs, confidence-weighted)",
            series: [
                Series("3 conjugate-gradient steps per row", y: runs.conjugateGradient),
                Series("exact solve (Cholesky)", y: runs.exact)
            ])
    }

    /// BPR on the random protocol (kept for the test): its loss figure, its speed and the learner's step; returns the
    /// triples it trained on per second.
    mutating func bprLossAndStep() throws -> Double {
        let training = main.data.training, epochs = mainChoice.epochs
        let (bprRun, bprSeconds) = try timed { try bpr(training, epochs: epochs) }
        mainBPR = bprRun.model
        try book.figure(
            .lines(
                name: "bpr-loss", title: "BPR: mean −ln σ(x_uij) over each epoch's sampled triples", xLabel: "epoch",
                yLabel: "mean loss per triple", series: [Series("BPR, k = \(k)", y: bprRun.history)]))
        let triplesPerSecond = Double(training.count * epochs) / bprSeconds
        let largestGap = try bprStepCell()
        let bprFirst = bprRun.history.first ?? .nan, bprLast = bprRun.history.last ?? .nan
        book.paragraph(
            """
            BPR's loss falls from \(bprFirst, digits: 3) (ln 2 = 0.693 is a coin) to \(bprLast, digits: 3) over \(epochs) epochs of
            \(training.count) sampled triples each: \(triplesPerSecond / 1e6, digits: 1) million triples a second on one core.
            \(whose(.bprStep)) took 20 steps on a small model alongside the core's;
            \(largestGap == 0 ? "they agree exactly" : "they differ by at most \(String(format: "%.1e", largestGap))").
            """)
        book.record("bpr_losses", bprRun.history)
        book.record("bpr_step_cell_difference", largestGap)
        return triplesPerSecond
    }

    /// ✏️ Your `bprStep` (Cells.swift): 20 steps of a small model, side by side with the core's `step`; the largest
    /// difference between the two models' parameters afterwards.
    func bprStepCell() throws -> Double {
        var yours = FactorModel(userFactors: startFactors(3, 61), itemFactors: startFactors(6, 67), itemBias: [0.1, -0.2, 0.05, 0, 0.3, -0.1])
        var core = yours
        var rng = RandomState(seed: seed &+ 71)
        for _ in 0..<20 {
            let u = rng.integer(upTo: 2), i = rng.integer(upTo: 5), j = (i + 1 + rng.integer(upTo: 4)) % 6
            let next = try cells.bprStep(
                (
                    yours.userFactors.row(u), yours.itemFactors.row(i), yours.itemFactors.row(j),
                    yours.itemBias[i], yours.itemBias[j]
                ), learningRate: 0.5, lambda: 0.01)
            yours.userFactors.setRow(u, to: next.user)
            yours.itemFactors.setRow(i, to: next.positive)
            yours.itemFactors.setRow(j, to: next.negative)
            yours.itemBias[i] = next.positiveBias
            yours.itemBias[j] = next.negativeBias
            BayesianPersonalizedRanking.step(&core, user: u, positive: i, negative: j, learningRate: 0.5, lambda: 0.01)
        }
        let mine = yours.userFactors.elements + yours.itemFactors.elements + yours.itemBias
        let theirs = core.userFactors.elements + core.itemFactors.elements + core.itemBias
        return zip(mine, theirs).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
    }
}

/// Weighted ALS on the random protocol by both solvers: the objective after every half-step, and the milliseconds an
/// iteration takes without computing it.
struct WALSRuns {
    let conjugateGradient: [Double], exact: [Double]
    let conjugateGradientMilliseconds: Double, exactMilliseconds: Double

    private var lasts: (conjugateGradient: Double, exact: Double) { (conjugateGradient.last ?? .nan, exact.last ?? .nan) }
    /// How far the approximate solver's last objective lies from the exact one's, in percent (NaN without losses).
    var gapPercent: Double { 100 * (lasts.conjugateGradient - lasts.exact) / lasts.exact }
    /// Whether the approximate solver ends at or above the exact one.
    var approximateIsAbove: Bool { lasts.conjugateGradient >= lasts.exact }
}
