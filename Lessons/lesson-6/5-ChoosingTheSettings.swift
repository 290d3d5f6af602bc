// 5. Choosing k, λ and the learning rate on validation data: every setting of the grid, each stopped early.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson6 {
    /// Returns the setting with the lowest validation RMSE; `biasesRMSE` is that of the biases alone, for comparison.
    func choosingTheSettings(biasesRMSE: Double) throws -> TriedSetting {
        book.heading("Choosing k, λ and the learning rate on validation data")
        let grid = options.k.values.flatMap { k in options.lambda.values.flatMap { λ in options.learningRate.values.map { (k: k, lambda: λ, rate: $0) } } }
        book.paragraph(
            """
            We try every combination of \(setting("k", options.k.values.map(String.init))), \(setting("λ", options.lambda.values.map { "\($0)" }))
            and \(setting("learning rate", options.learningRate.values.map { "\($0)" })): \(grid.count) runs, each stopped
            \(options.patience) epochs after its best validation RMSE (at most \(options.epochs) epochs).
            """)
        // Every point of the grid is an independent run (its own start, the same seed): run on both cores at once.
        let bar = book.progress("hyperparameter search", total: grid.count)
        // The largest k first: a run's cost grows with k, and the two cores should finish together.
        let results: [TriedSetting] = try concurrentMap(
            grid, cost: { Double($0.k) },
            done: { (finished: Int, point: (k: Int, lambda: Double, rate: Double), tried: TriedSetting) in
                bar.update(finished, detail: "k=\(point.k) λ=\(point.lambda): \(tried.rmse, digits: 4)")
            }
        ) { (point: (k: Int, lambda: Double, rate: Double)) -> TriedSetting in
            let initial = start(fit, k: point.k, seed: seed)
            let run = try StochasticGradientDescent.trainWithEarlyStopping(
                fit, validation: validation, biasedSGD(k: point.k, lambda: point.lambda, learningRate: point.rate, epochs: options.epochs, seed: seed),
                patience: options.patience, initialUserFactors: initial.users, initialItemFactors: initial.items, ratingScale: scale,
                tracksTrainingRMSE: false)
            return TriedSetting(
                k: point.k, lambda: point.lambda, rate: point.rate,
                epoch: run.bestEpoch, rmse: run.validationRMSE[run.bestEpoch - 1], curve: run.validationRMSE)
        }
        bar.finish()
        let bestFirst = ranked(results.indices, by: { results[$0].rmse }, descending: false).map { results[$0] }
        let best = bestFirst[0]
        book.table(
            Table(
                header: ["k", "λ", "learning rate", "best epoch", "validation RMSE"],
                rows: bestFirst.map {
                    [String($0.k), "\($0.lambda)", "\($0.rate)", String($0.epoch), "\($0.rmse, digits: 4)"]
                }), caption: "Every setting tried, best first")
        try book.figure(
            .lines(
                name: "validation-vs-lambda", title: "Validation RMSE against λ, one line per k (learning rate \(best.rate))",
                xLabel: "λ", yLabel: "validation RMSE (at the best epoch)",
                series: options.k.values.map { k in
                    let row = results.filter { $0.k == k && $0.rate == best.rate }.sorted { $0.lambda < $1.lambda }
                    return Series("k = \(k)", x: row.map(\.lambda), y: row.map(\.rmse))
                }))
        book.paragraph(
            """
            The setting with the lowest validation RMSE is k = \(best.k), λ = \(best.lambda), learning rate \(best.rate), stopping after \(best.epoch) epochs
            (validation RMSE \(best.rmse, digits: 4), against \(biasesRMSE, digits: 4) for the biases alone).\(Self.standingApart(results, patience: options.patience))
            """)
        book.record(
            "grid",
            JSONValue.array(
                results.map {
                    .object([
                        ("k", $0.k.json), ("lambda", $0.lambda.json), ("learning_rate", $0.rate.json),
                        ("best_epoch", $0.epoch.json), ("validation_rmse", $0.rmse.json)
                    ])
                }))
        return best
    }
}

/// One setting of the grid, and how it did: its best epoch, the validation RMSE there, and the RMSE of every epoch.
struct TriedSetting {
    let k: Int, lambda: Double, rate: Double
    let epoch: Int, rmse: Double, curve: [Double]
}

extension Lesson6 {
    /// A setting whose validation RMSE lies far above the rest (beyond the upper quartile plus five interquartile ranges)
    /// and that early stopping ended: said, with why, so that the figure's squashed lines and the table's odd row are
    /// explained. Empty when there is none.
    static func standingApart(_ results: [TriedSetting], patience: Int) -> String {
        let sorted = results.map(\.rmse).sorted()
        guard sorted.count >= 4 else { return "" }
        let q1 = sorted[sorted.count / 4], q3 = sorted[(3 * sorted.count) / 4], spread = q3 - q1
        guard spread > 0 else { return "" }
        let apart = results.filter { $0.rmse > q3 + 5 * spread }
        guard !apart.isEmpty, apart.count <= max(1, results.count / 5) else { return "" }
        let rest = results.filter { $0.rmse <= q3 + 5 * spread }.map(\.rmse)
        let named = apart.map { "k = \($0.k), λ = \($0.lambda), learning rate \($0.rate) (\(formatFixed($0.rmse, digits: 4)) after epoch \($0.epoch))" }
        return """
             \(named.joined(separator: " and ")) stand\(apart.count == 1 ? "s" : "") apart from the others (\(formatFixed(rest.min() ?? .nan, digits: 4)) to \(formatFixed(rest.max() ?? .nan, digits: 4))): \
            \(apart.count == 1 ? "its" : "their") validation error stopped improving early, and early stopping ended \(apart.count == 1 ? "it" : "them") \(patience) epochs \
            later; a longer `--patience` would let \(apart.count == 1 ? "it" : "them") go on.
            """
    }
}

/// One setting of the grid in words: "k ∈ {10, 50}", or "learning rate 0.005" when only one value is tried.
func setting(_ name: String, _ values: [String]) -> String {
    values.count == 1 ? "\(name) \(values[0])" : "\(name) ∈ {\(values.joined(separator: ", "))}"
}
