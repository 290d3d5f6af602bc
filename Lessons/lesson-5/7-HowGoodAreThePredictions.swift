// 7. How good are the predictions? RMSE and MAE of the baseline and both factor models, and a look at the errors.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson5 {
    func howGoodAreThePredictions(_ normalization: Normalization, _ gd: Trained, _ sgd: Trained) throws {
        book.heading("How good are the predictions?")
        book.paragraph("Each model predicts the \(test.count) test ratings, which no training saw; the errors are in stars:")
        book.table(
            Table(
                header: ["model", "RMSE train", "RMSE test", "MAE test", "training time"],
                rows: [
                    errorRow("movie mean (baseline)", normalization.baseline, seconds: nil),
                    errorRow("batch GD, \(options.iterations) iterations", gd.model, seconds: gd.seconds),
                    errorRow("SGD, \(options.epochs) epochs", sgd.model, seconds: sgd.seconds)
                ]), caption: "Root mean squared error in stars (predictions clipped to the rating scale)")
        let gdTest = gd.model.rmse(on: test), sgdTest = sgd.model.rmse(on: test)
        let baselineErrors = normalization.baseline.squaredErrors(on: test)
        let verdicts = [gd.model, sgd.model].map { Comparison.paired($0.squaredErrors(on: test), baselineErrors).verdict }
        book.paragraph(
            Self.againstTheBaseline(baseline: normalization.baselineRMSE, gd: gdTest, sgd: sgdTest, gdVerdict: verdicts[0], sgdVerdict: verdicts[1])
                + " The gap between train and test RMSE is the price of fitting: a model explains its training ratings better than new ones.")
        var sampleRNG = RandomState(seed: book.seed &+ 3)
        let sample = sampleRNG.permutation(test.count).prefix(3000).map { test.entries[$0] }
        try book.figure(
            .scatter(
                name: "predicted-vs-actual", title: "Predicted against actual test ratings (3,000 of them, batch GD)",
                xLabel: "actual rating", yLabel: "predicted rating",
                groups: [
                    PointGroup(
                        "test ratings",
                        points: sample.map {
                            Point(x: $0.value + 0.25 * (sampleRNG.rand() - 0.5), y: gd.model.predict(user: $0.user, item: $0.item))
                        })
                ], diagonal: true))
        book.note("the actual ratings in the scatter are jittered sideways by up to ±0.12 so that the points do not pile up.")
        book.record("gd_rmse_train", gd.model.rmse(on: training))
        book.record("gd_rmse_test", gdTest)
        book.record("gd_seconds", gd.seconds)
        book.record("gd_costs", gd.costs)
        book.record("sgd_rmse_train", sgd.model.rmse(on: training))
        book.record("sgd_rmse_test", sgdTest)
        book.record("sgd_seconds", sgd.seconds)
        book.record("sgd_costs", sgd.costs)
    }

    /// One row of the table: a model's RMSE on the training and the test ratings, its MAE on the test ratings, its time.
    private func errorRow(_ name: String, _ model: FactorModel, seconds: Double?) -> [String] {
        [
            name, "\(model.rmse(on: training), digits: 4)", "\(model.rmse(on: test), digits: 4)",
            "\(model.mae(on: test), digits: 4)", seconds.map(formatSeconds) ?? ""
        ]
    }

    /// Which of the two factor models beat the movie mean on the test ratings by more than the noise, and by how much:
    /// all three are test RMSEs, and each verdict compares a model's squared errors with the movie mean's, rating by
    /// rating (`.secondHigher`: the model's are lower).
    static func againstTheBaseline(baseline: Double, gd: Double, sgd: Double, gdVerdict: Comparison.Verdict, sgdVerdict: Comparison.Verdict) -> String {
        let beats = [gdVerdict, sgdVerdict].map { $0 == .secondHigher }
        func other(_ verdict: Comparison.Verdict) -> String { verdict == .tie ? "is within the noise of it" : "does worse than it" }
        if beats[0] && beats[1] {
            return
                "Both factor models beat the movie mean on ratings they never saw, by more than the noise: by \(formatFixed(baseline - min(gd, sgd), digits: 3)) stars for the better one."
        }
        if beats[0] || beats[1] {
            let (winner, rmse, loser) = beats[0] ? ("batch GD", gd, sgdVerdict) : ("SGD", sgd, gdVerdict)
            return
                "Only \(winner) beats the movie mean on ratings it never saw by more than the noise, by \(formatFixed(baseline - rmse, digits: 3)) stars; the other \(other(loser)), and needs other settings."
        }
        return
            "Neither factor model beats the movie mean by more than the noise on ratings they never saw with these settings: try another λ or more iterations."
    }
}
