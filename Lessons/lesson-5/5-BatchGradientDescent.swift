// 5. Batch gradient descent: the learner's step, over all the training ratings, iteration after iteration.

import CFCore
import Foundation
import LessonKit
import TextOutput

extension Lesson5 {
    func batchGradientDescent(from start: Start, _ normalization: Normalization) throws -> Trained {
        book.heading("Batch gradient descent")
        book.paragraph(
            """
            Each iteration computes both gradients over all \(training.count) training ratings and takes one step downhill:
            X −= α ∂J/∂X and Θ −= α ∂J/∂Θ, with α = \(formatSignificant(alpha)) and λ = \(lambda), \(options.iterations) times.
            """)
        book.paragraph(Self.learningRateSentence(alpha: alpha, given: options.alpha != nil, ratings: movieLens.ratings.count))
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

    /// The learning rate of batch gradient descent for `ratings` ratings: 0.003 up to MovieLens 100K's 100,000 ratings,
    /// above that 0.003 × 100,000 / ratings (written 300 / ratings). J sums one squared error per rating, so its gradients
    /// grow with the number of ratings; a step that shrinks in proportion keeps the descent from diverging on larger data.
    /// It never grows above 0.003: on a small data set a larger step would be no safer, as a movie's gradient grows with
    /// its own ratings, not with the total.
    static func scaledAlpha(ratings: Int) -> Double { ratings <= 100_000 ? 0.003 : 300 / Double(ratings) }

    /// One sentence on where α comes from: scaled to the number of ratings, or given with --alpha.
    static func learningRateSentence(alpha: Double, given: Bool, ratings: Int) -> String {
        let scaled = scaledAlpha(ratings: ratings)
        let why = "J sums one squared error per rating, so its gradients grow with the number of ratings"
        if given {
            return "α = \(formatSignificant(alpha)) was given with --alpha; by default it is 0.003 for up to 100,000 ratings and "
                + "0.003 × 100,000 / N above, \(formatSignificant(scaled)) for these \(formatGrouped(ratings))."
        }
        if ratings <= 100_000 {
            return "α = 0.003 for up to 100,000 ratings (here \(formatGrouped(ratings))); on more it shrinks in proportion, "
                + "0.003 × 100,000 / N, since \(why)."
        }
        return "α = 0.003 × 100,000 / \(formatGrouped(ratings)) ratings = \(formatSignificant(alpha)): the step shrinks in proportion to the "
            + "ratings above MovieLens 100K's 100,000, since \(why) (on 100,000 or fewer it is 0.003)."
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
