// 2. The cost function J, measured at the small random factors that both trainings start from.

import CFCore
import LessonKit
import TextOutput

extension Lesson5 {
    mutating func theCostFunction() throws -> Start {
        book.heading("The cost function")
        book.paragraph(
            """
            Each movie i gets a feature vector x_i and each user u a preference vector θ_u, both of length k = \(k). The model
            predicts θ_u · x_i, and the cost J adds up the squared errors over the observed ratings only, plus an L2 penalty
            that keeps the vectors small:
            """)
        book.code("J(X, Θ) = ½ Σ over observed (u, i) of (θ_u · x_i − y_ui)²  +  λ/2 (Σ ‖x_i‖² + Σ ‖θ_u‖²)")
        let x0 = 0.01 * rng.randn(training.itemCount, k)
        let theta0 = 0.01 * rng.randn(training.userCount, k)
        // ✏️ Your `cost` (Cells.swift), once written.
        let costPlain = try cells.cost(training, features: x0, preferences: theta0, lambda: 0)
        let costRegularized = try cells.cost(training, features: x0, preferences: theta0, lambda: lambda)
        book.table(
            Table(
                header: ["cost at the start", "value"],
                rows: [
                    ["J without the L2 term", "\(costPlain, digits: 1)"],
                    ["J with λ = \(lambda)", "\(costRegularized, digits: 1)"]
                ]))
        let meanSquare = training.entries.reduce(0) { $0 + $1.value * $1.value } / Double(training.count)
        let lowest = training.entries.map(\.value).min() ?? scale.lowerBound, highest = training.entries.map(\.value).max() ?? scale.upperBound
        book.paragraph(
            """
            Why so large? X and Θ start as 0.01·randn, so every prediction θ_u · x_i is within a hair of 0, while the ratings
            run from \(lowest, digits: 1) to \(highest, digits: 1), averaging
            \(training.mean, digits: 2). Each squared error is then about the squared rating, \(meanSquare, digits: 1) on average,
            and half their sum over \(training.count) ratings is \(0.5 * meanSquare * Double(training.count), digits: 0)\(
                formatFixed(0.5 * meanSquare * Double(training.count), digits: 0) == formatFixed(costPlain, digits: 0)
                    ? ": J itself, to the digits shown" : ", close to J's \(formatFixed(costPlain, digits: 0))"). The L2 term adds almost nothing yet: the vectors are tiny.
            """)
        book.record("initial_cost", costPlain)
        book.record("initial_cost_regularized", costRegularized)
        return (features: x0, preferences: theta0)
    }
}
