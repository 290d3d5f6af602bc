// 6. The same model by SGD: one update per rating, from the same start, and its cost J per pass against batch GD's.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson5 {
    func theSameModelBySGD(from start: Start, _ normalization: Normalization, against gd: Trained) throws -> Trained {
        book.heading("The same model by SGD")
        book.paragraph(
            """
            Stochastic gradient descent, as in the fast.ai course and lesson 4, updates after every single rating instead of
            after all of them: many small, noisy steps per pass. Same model, same starting point, ratings visited in a fresh
            random order each epoch, learning rate \(options.sgdRate) and regularization \(options.sgdReg) per update. To compare the two,
            we compute the same cost J after every SGD epoch; one GD iteration is also one pass over the ratings.
            """)
        let normalized = normalization.ratings
        var costs = [try cells.cost(normalized, features: start.features, preferences: start.preferences, lambda: lambda)]
        let bar = book.progress("SGD", total: options.epochs)
        let (sgd, seconds) = try timed {
            try StochasticGradientDescent.train(
                normalized,
                .init(
                    factors: k, learningRate: options.sgdRate, regularization: options.sgdReg, iterations: options.epochs,
                    order: .shuffled, seed: book.seed),
                initialUserFactors: start.preferences, initialItemFactors: start.features
            ) { epoch in
                let model = epoch.model
                let cost = try cells.cost(normalized, features: model.itemFactors, preferences: model.userFactors, lambda: lambda)
                costs.append(cost)
                bar.update(epoch.step, detail: "J = \(cost, digits: 1)")
            }
        }
        bar.finish()
        let model = FactorModel(
            userFactors: sgd.model.userFactors, itemFactors: sgd.model.itemFactors, itemBias: normalization.means,
            ratingScale: scale)
        try book.figure(
            .lines(
                name: "cost", title: "Cost J per pass over the training ratings: batch GD against SGD",
                xLabel: "epoch (one pass over the ratings)", yLabel: "J on mean-normalized ratings",
                series: [
                    Series("batch gradient descent (α = \(alpha))", x: gd.costs.indices.map(Double.init), y: gd.costs),
                    Series("SGD (lr = \(options.sgdRate))", x: costs.indices.map(Double.init), y: costs)
                ]))
        // Per pass over the ratings, which of the two is lower, over the passes both made.
        let passes = min(options.epochs, options.iterations)
        let sgdLower = (1...passes).filter { costs[$0] < gd.costs[$0] }.count
        book.paragraph(
            """
            Both start from factors near 0. With every x_i and θ_u near 0, each gradient is a sum of errors times vectors near 0, so
            it is near 0 too: the starting point sits close to a saddle of J, and it takes a while for the factors to grow
            out of it. \(Self.lowerOfTheTwo(sgdLower: sgdLower, passes: passes)). SGD's
            penalty is applied per update rather than as J's λ term, so J is not exactly what SGD minimizes, and its J can
            tick up while its own objective still falls. It took
            \(formatSeconds(seconds)) for \(options.epochs) epochs (\(1000 * seconds / Double(options.epochs), digits: 1) ms each).
            """)
        return Trained(model: model, costs: costs, seconds: seconds)
    }

    /// Which of the two costs is lower, pass by pass: SGD's is lower after `sgdLower` of the `passes` both made.
    static func lowerOfTheTwo(sgdLower: Int, passes: Int) -> String {
        sgdLower == passes
            ? "SGD, with its many steps per pass, is below batch GD after every one of the \(passes) passes both made"
            : sgdLower == 0
                ? "Here batch GD is below SGD after every one of the \(passes) passes both made: with these rates its one big step per pass does more than SGD's many small ones"
                : "SGD is below batch GD after \(sgdLower) of the \(passes) passes both made"
    }
}
