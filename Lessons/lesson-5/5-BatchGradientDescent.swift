// 5. Batch gradient descent: the learner's step, over all the training ratings, iteration after iteration.

import CFCore
import LessonKit
import TextOutput

extension Lesson5 {
    func batchGradientDescent(from start: Start, _ normalization: Normalization) throws -> Trained {
        book.heading("Batch gradient descent")
        book.paragraph(
            """
            Each iteration computes both gradients over all \(training.count) training ratings and takes one step downhill:
            X −= α ∂J/∂X and Θ −= α ∂J/∂Θ, with α = \(alpha) and λ = \(lambda), \(options.iterations) times.
            """)
        let bar = book.progress("batch gradient descent", total: options.iterations)
        // ✏️ Each iteration is your `gradientStep`, each cost your `cost` (Cells.swift), once written.
        let (gd, seconds) = try timed {
            try descend(
                normalization.ratings, features: start.features, preferences: start.preferences, alpha: alpha, lambda: lambda,
                iterations: options.iterations, cells: cells
            ) { iteration, cost in
                bar.update(iteration, detail: "J = \(cost, digits: 1)")
            }
        }
        bar.finish()
        let model = FactorModel(userFactors: gd.preferences, itemFactors: gd.features, itemBias: normalization.means, ratingScale: scale)
        let shown = [0, 1, 2, 5, 10, 20, 50, 100, 150, 200, 300, 500, options.iterations].filter { $0 <= options.iterations }
        book.table(
            Table(
                header: ["iteration", "J (normalized ratings)"],
                rows: Array(Set(shown)).sorted().map {
                    [String($0), "\(gd.costs[$0], digits: 1)"]
                }), caption: "The cost during batch gradient descent")
        book.paragraph(
            """
            \(Self.costShape(gd.costs)) A plain gradient step is cautious: one α must suit the movies with hundreds of ratings,
            whose gradients are large. It took \(formatSeconds(seconds)), or \(1000 * seconds / Double(options.iterations), digits: 1) ms
            per iteration.
            """)
        return Trained(model: model, costs: gd.costs, seconds: seconds)
    }

    /// The shape of the cost curve `costs` (J before the first step, then after each), read from the iterations by
    /// which 10% and 90% of its whole fall are done.
    static func costShape(_ costs: [Double]) -> String {
        guard let first = costs.first, let last = costs.last, costs.count > 1, first > last else {
            return
                "J does not fall over these iterations (\(formatFixed(costs.first ?? .nan, digits: 1)) at the start, \(formatFixed(costs.last ?? .nan, digits: 1)) at the end)."
        }
        let iterations = costs.count - 1, fall = first - last
        func doneBy(_ share: Double) -> Int { costs.firstIndex { first - $0 >= share * fall } ?? iterations }
        let early = doneBy(0.1), late = doneBy(0.9)
        let end = late < iterations * 9 / 10 ? "then slowly" : "and it is still falling at the end"
        if early <= max(1, iterations / 50) {
            return "J falls fastest at the start: 90% of its fall is done by iteration \(late), \(end)."
        }
        let flat = early - 1, flatFall = 100 * (first - costs[flat]) / first
        return """
            J falls slowly at first (down \(formatFixed(flatFall, digits: 2))% over the first \(flat) iteration\(flat == 1 ? "" : "s"); the \
            next section says why), then fast (80% of its fall comes between iterations \(early) and \(late)), \(end).
            """
    }
}
