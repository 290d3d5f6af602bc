// Lesson 6's training recipe: how every biased SGD model of the lesson is configured, started and timed.

import CFCore
import Foundation
import LessonKit

/// The biased-SGD recipe of this lesson: small random start, lighter penalty on biases, 32-bit training.
func biasedSGD(
    k: Int, lambda: Double, learningRate: Double, epochs: Int, seed: UInt32,
    implicitFeedback: Bool = false
) -> StochasticGradientDescent.Configuration {
    .init(
        factors: k, learningRate: learningRate, regularization: lambda, iterations: epochs, biases: true,
        order: .shuffled, seed: seed, precision: .single, computesLoss: false, biasRegularization: 0.01,
        implicitFeedback: implicitFeedback)
}

/// The settings the lesson settles on, all chosen on validation data: the best point of the grid, the number of
/// epochs where its validation error was lowest, and whether implicit feedback is used.
struct Recipe {
    var k: Int, lambda: Double, rate: Double, epochs: Int, implicitFeedback: Bool

    /// The name of the method in tables.
    var name: String { implicitFeedback ? "biased SGD MF + implicit feedback" : "biased SGD MF" }

    /// The training configuration.
    func configuration(seed: UInt32) -> StochasticGradientDescent.Configuration {
        biasedSGD(k: k, lambda: lambda, learningRate: rate, epochs: epochs, seed: seed, implicitFeedback: implicitFeedback)
    }

    /// A model trained with these settings on `ratings`, from the lesson's usual start, predicting on `ratingScale`.
    func train(on ratings: Ratings, seed: UInt32, ratingScale: ClosedRange<Double>) throws -> FactorModel {
        let initial = start(ratings, k: k, seed: seed)
        var model = try StochasticGradientDescent.train(
            ratings, configuration(seed: seed), initialUserFactors: initial.users,
            initialItemFactors: initial.items
        ).model
        model.ratingScale = ratingScale
        return model
    }
}

/// The two recipes the lesson weighs, both at the grid's best k, λ and learning rate, each stopped where its own
/// validation error was lowest: plain biased SGD and SVD++. The chosen one is the one that did better on validation.
struct Recipes {
    let plain: Recipe, implicit: Recipe
    let usesImplicitFeedback: Bool
    /// The plain recipe on all the training ratings, started as soon as its settings were known (it is the final model
    /// or the comparison's row for plain biased SGD, whichever recipe wins), with its thread's processor time.
    let plainOnTraining: BackgroundWork<(model: FactorModel, seconds: Double)>

    /// The final recipe.
    var chosen: Recipe { usesImplicitFeedback ? implicit : plain }
}

/// Factors to start from: 0.01·randn for users and items.
func start(_ ratings: Ratings, k: Int, seed: UInt32) -> (users: Matrix, items: Matrix) {
    var rng = RandomState(seed: seed)
    return (0.01 * rng.randn(ratings.userCount, k), 0.01 * rng.randn(ratings.itemCount, k))
}
