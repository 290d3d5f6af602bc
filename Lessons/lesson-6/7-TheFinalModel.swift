// 7. The final model, tested once: the chosen recipe retrained on all the training ratings, and its one test score.

import CFCore
import LessonKit
import TextOutput

extension Lesson6 {
    /// The final model and the seconds it took to train (the comparison of section 10 reuses both); and, trained beside
    /// it on the other core, the same recipe on the training ratings with the new user's added, which the cold-start
    /// section compares with folding the user in. Each time is its thread's processor time: the training alone on one
    /// core, whatever runs beside it.
    ///
    /// With the plain recipe chosen, the final model is the one trained ahead (`Recipes.plainOnTraining`).
    func theFinalModel(_ recipes: Recipes) throws -> (model: FactorModel, seconds: Double, withNewUser: (model: FactorModel, seconds: Double)) {
        book.heading("The final model, tested once")
        let (seed, scale, chosen) = (seed, scale, recipes.chosen)
        let sets = (recipes.usesImplicitFeedback ? [training] : []) + [try ratingsWithNewUser()]
        var trained = try concurrentMap(sets) { ratings -> (model: FactorModel, seconds: Double) in
            try threadTimed { try chosen.train(on: ratings, seed: seed, ratingScale: scale) }
        }
        if !recipes.usesImplicitFeedback { trained.insert(try recipes.plainOnTraining.value, at: 0) }
        let (final, seconds) = trained[0]
        let rmse = final.rmse(on: test), mae = final.mae(on: test)
        book.paragraph(
            """
            With the chosen settings fixed (\(chosen.name), k = \(chosen.k), λ = \(chosen.lambda), learning rate \(chosen.rate)), we retrain
            on all \(training.count) training ratings (fit and validation together) for the chosen \(chosen.epochs) epochs, in \(formatSeconds(seconds)), and only now look at the test ratings: RMSE
            \(rmse, digits: 4), MAE \(mae, digits: 4). This is the number to report, because nothing about
            the model was chosen by looking at it.
            """)
        book.record("final_test_rmse", rmse)
        book.record("final_test_mae", mae)
        return (final, seconds, trained[1])
    }
}
