// 4. Biased matrix factorization, and when to stop: learning curves on the validation ratings, for a tiny and a usual λ.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson6 {
    func whenToStop() throws {
        book.heading("Biased matrix factorization, and when to stop")
        book.paragraph(
            """
            From here on the lesson trains with that kernel, in 32-bit floats. We train on the fit ratings and measure the RMSE on the validation ratings after every
            epoch. With a tiny λ the model soon starts memorizing: the training error keeps falling while the validation error
            turns back up. That turning point is where to stop (early stopping), and a larger λ tends to delay or remove it.
            """)
        let k = options.k.values.max()!, rate = options.learningRate.values[0]
        let epochs = min(options.epochs, 60)
        let lambdas = [0.001, options.lambda.values.sorted()[options.lambda.values.count / 2]]
        var curves = [Series](), validationCurves = [[Double]]()
        // The two runs are independent (their own start, the same seed): side by side on the cores.
        let bar = book.progress("learning curves", total: lambdas.count)
        let runs = try concurrentMap(lambdas, done: { finished, λ, _ in bar.update(finished, detail: "λ = \(λ)") }) { λ in
            let initial = start(fit, k: k, seed: seed)
            return try StochasticGradientDescent.trainWithEarlyStopping(
                fit, validation: validation, biasedSGD(k: k, lambda: λ, learningRate: rate, epochs: epochs, seed: seed),
                patience: epochs, initialUserFactors: initial.users, initialItemFactors: initial.items, ratingScale: scale)
        }
        bar.finish()
        for (index, (λ, run)) in zip(lambdas, runs).enumerated() {
            validationCurves.append(run.validationRMSE)
            // One colour per λ: training solid, validation dashed.
            curves.append(Series("train, λ = \(λ)", y: run.trainingRMSE, look: index))
            curves.append(Series("validation, λ = \(λ)", y: run.validationRMSE, look: index, dashed: true))
            book.record(
                "learning_curve_lambda_\(λ)",
                JSONValue.object([
                    ("training_rmse", run.trainingRMSE.json), ("validation_rmse", run.validationRMSE.json),
                    ("best_epoch", run.bestEpoch.json)
                ]))
        }
        // What the curves show, read from them: does the validation error of the smallest λ turn back up?
        book.paragraph(Self.memorizing(lambda: lambdas[0], validation: validationCurves[0]))
        try book.figure(
            .lines(
                name: "learning-curves", title: "Training and validation RMSE per epoch (k = \(k), lr = \(rate))",
                xLabel: "epoch", yLabel: "RMSE", series: curves))
    }

    /// Whether the validation RMSE per epoch (`validation`, trained with `lambda`) turns back up after its lowest point.
    static func memorizing(lambda: Double, validation: [Double]) -> String {
        let bestEpoch = validation.indicesRanked(descending: false).first.map { $0 + 1 } ?? 1
        let risesBy = (validation.last ?? 0) - (validation.min() ?? 0)
        return bestEpoch < validation.count && risesBy > 0.001
            ? "Here, with λ = \(lambda), the validation RMSE is lowest after epoch \(bestEpoch) and then rises by \(risesBy, digits: 3) while the training RMSE goes on falling: memorizing."
            : "Here, with λ = \(lambda), the validation RMSE has not turned up within \(validation.count) epochs: at this learning rate the model has not started to memorize yet."
    }
}
