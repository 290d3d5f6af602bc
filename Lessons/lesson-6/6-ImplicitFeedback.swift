// 6. What you chose to rate: implicit feedback (SVD++), at the best setting of the grid, kept only if it validates better.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson6 {
    func implicitFeedback(_ best: TriedSetting) throws -> Recipes {
        book.heading("What you chose to rate: implicit feedback (SVD++)")
        book.paragraph(
            """
            The ratings carry a second, quieter signal: which movies each user rated at all. Nobody picks movies at random;
            someone who rated thirty horror films has told us something before we read a single star. Koren's SVD++ gives
            every movie a second vector y_j and describes user u by p_u + |N(u)|^-½ Σ y_j, summed over the movies N(u) the
            user rated, so the prediction becomes μ + b_u + b_i + q_i · (p_u + |N(u)|^-½ Σ y_j). It is still biased matrix
            factorization; the user's vector just gets a head start from the movies they chose to rate.
            We train it with the best settings of the search (k = \(best.k), λ = \(best.lambda), learning rate \(best.rate)), stopped
            early on the same validation ratings, and keep whichever of the two models does better there.
            """)
        // The plain recipe is settled (the grid's best point and its best epoch): it trains on all the training ratings
        // now, on the core this single run leaves idle, since the lesson needs it whichever recipe wins.
        let plain = Recipe(k: best.k, lambda: best.lambda, rate: best.rate, epochs: best.epoch, implicitFeedback: false)
        let (training, seed, scale) = (training, seed, scale)
        let plainOnTraining = BackgroundWork(priority: .normal) { () throws -> (model: FactorModel, seconds: Double) in
            try threadTimed { try plain.train(on: training, seed: seed, ratingScale: scale) }
        }
        let implicitStart = start(fit, k: best.k, seed: seed)
        let (run, seconds) = try timed {
            try StochasticGradientDescent.trainWithEarlyStopping(
                fit, validation: validation,
                biasedSGD(k: best.k, lambda: best.lambda, learningRate: best.rate, epochs: options.epochs, seed: seed, implicitFeedback: true),
                patience: options.patience, initialUserFactors: implicitStart.users, initialItemFactors: implicitStart.items, ratingScale: scale,
                tracksTrainingRMSE: false)
        }
        let implicitRMSE = run.validationRMSE[run.bestEpoch - 1]
        let recipes = Recipes(
            plain: plain, implicit: Recipe(k: best.k, lambda: best.lambda, rate: best.rate, epochs: run.bestEpoch, implicitFeedback: true),
            usesImplicitFeedback: implicitRMSE < best.rmse, plainOnTraining: plainOnTraining)
        book.table(
            Table(
                header: ["model", "best epoch", "validation RMSE"],
                rows: [
                    ["biased SGD MF", String(best.epoch), "\(best.rmse, digits: 4)"],
                    ["+ implicit feedback (SVD++)", String(run.bestEpoch), "\(implicitRMSE, digits: 4)"]
                ]), caption: "k = \(best.k), λ = \(best.lambda), learning rate \(best.rate), on the validation ratings")
        try book.figure(
            .lines(
                name: "implicit-feedback", title: "Validation RMSE per epoch, with and without implicit feedback (k = \(best.k), λ = \(best.lambda))",
                xLabel: "epoch", yLabel: "validation RMSE",
                series: [Series("biased SGD MF", y: best.curve), Series("+ implicit feedback (SVD++)", y: run.validationRMSE)]))
        book.paragraph(Self.implicitReading(plain: (best.rmse, best.epoch), implicit: (implicitRMSE, run.bestEpoch), seconds: seconds))
        let chosen = recipes.chosen
        book.record(
            "implicit_feedback",
            JSONValue.object([
                ("validation_rmse", implicitRMSE.json), ("best_epoch", run.bestEpoch.json),
                ("validation_rmse_per_epoch", run.validationRMSE.json),
                ("used", recipes.usesImplicitFeedback.json)
            ]))
        book.record(
            "chosen",
            JSONValue.object([
                ("method", chosen.name.json), ("k", chosen.k.json), ("lambda", chosen.lambda.json),
                ("learning_rate", chosen.rate.json), ("epochs", chosen.epochs.json),
                ("implicit_feedback", chosen.implicitFeedback.json)
            ]))
        return recipes
    }

    /// Whether implicit feedback helps on validation, from each model's best validation RMSE and epoch (and the seconds
    /// the SVD++ run took), and so which model the lesson goes on with.
    static func implicitReading(plain: (rmse: Double, epoch: Int), implicit: (rmse: Double, epoch: Int), seconds: Double) -> String {
        implicit.rmse < plain.rmse
            ? """
            Implicit feedback lowers the validation RMSE from \(plain.rmse, digits: 4) to \(implicit.rmse, digits: 4), and reaches its best
            after \(implicit.epoch) epochs instead of \(plain.epoch) (\(formatSeconds(seconds)) for this run): the final model uses it.
            """
            : """
            Here implicit feedback does not help on validation (\(implicit.rmse, digits: 4) against \(plain.rmse, digits: 4)), so the
            final model is plain biased matrix factorization. A choice made on validation data can go either way; that is the point.
            """
    }
}
