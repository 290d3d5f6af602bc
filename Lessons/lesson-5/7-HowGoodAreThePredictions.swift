// 7. How good are the predictions? RMSE and MAE of the baseline and both factor models, and a look at the errors.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson5 {
    func howGoodAreThePredictions(_ normalization: Normalization, _ gd: Trained, _ sgd: Trained) throws {
        book.heading("How good are the predictions?")
        book.table(Table(header: ["model", "RMSE train", "RMSE test", "MAE test", "training time"], rows: [
            errorRow("movie mean (baseline)", normalization.baseline, seconds: nil),
            errorRow("batch GD, \(options.iterations) iterations", gd.model, seconds: gd.seconds),
            errorRow("SGD, \(options.epochs) epochs", sgd.model, seconds: sgd.seconds),
        ]), caption: "Root mean squared error in stars (predictions clipped to the rating scale)")
        let gdTest = Metrics.rmse(gd.model, on: test), sgdTest = Metrics.rmse(sgd.model, on: test)
        book.paragraph(Self.againstTheBaseline(baseline: normalization.baselineRMSE, gd: gdTest, sgd: sgdTest)
            + " The gap between train and test RMSE is the price of fitting: a model explains its training ratings better than new ones.")
        var sampleRNG = RandomState(seed: book.seed &+ 3)
        let sample = sampleRNG.permutation(test.count).prefix(3000).map { test.entries[$0] }
        try book.figure(.scatter(name: "predicted-vs-actual", title: "Predicted against actual test ratings (3,000 of them, batch GD)",
                                 xLabel: "actual rating", yLabel: "predicted rating",
                                 groups: [PointGroup("test ratings", points: sample.map {
                                     Point(x: $0.value + 0.25 * (sampleRNG.rand() - 0.5), y: gd.model.predict(user: Int($0.user), item: Int($0.item)))
                                 })], diagonal: true))
        book.note("the actual ratings in the scatter are jittered sideways by up to ±0.12 so that the points do not pile up.")
        book.record("gd_rmse_train", Metrics.rmse(gd.model, on: training))
        book.record("gd_rmse_test", gdTest)
        book.record("gd_seconds", gd.seconds)
        book.record("gd_costs", gd.costs)
        book.record("sgd_rmse_train", Metrics.rmse(sgd.model, on: training))
        book.record("sgd_rmse_test", sgdTest)
        book.record("sgd_seconds", sgd.seconds)
        book.record("sgd_costs", sgd.costs)
    }

    /// One row of the table: a model's RMSE on the training and the test ratings, its MAE on the test ratings, its time.
    private func errorRow(_ name: String, _ model: FactorModel, seconds: Double?) -> [String] {
        [name, "\(Metrics.rmse(model, on: training), digits: 4)", "\(Metrics.rmse(model, on: test), digits: 4)",
         "\(Metrics.mae(model, on: test), digits: 4)", seconds.map(formatSeconds) ?? ""]
    }

    /// Which of the two factor models beat the movie mean on the test ratings, and by how much: all three are test RMSEs.
    static func againstTheBaseline(baseline: Double, gd: Double, sgd: Double) -> String {
        let beaten = [gd, sgd].filter { $0 < baseline }.count
        return beaten == 2
            ? "Both factor models beat the movie mean on ratings they never saw, by \(baseline - min(gd, sgd), digits: 3) stars for the better one."
            : beaten == 1
            ? "Only \(gd < sgd ? "batch GD" : "SGD") beats the movie mean on ratings it never saw, by \(baseline - min(gd, sgd), digits: 3) stars; the other needs other settings."
            : "Neither factor model beats the movie mean on ratings they never saw with these settings: try another λ or more iterations."
    }
}
