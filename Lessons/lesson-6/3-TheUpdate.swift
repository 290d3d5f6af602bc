// 3. The update, one rating at a time: the learner's `sgdUpdate` against the core's fast kernel, from the same start.

import CFCore
import Exercises
import Foundation
import LessonKit
import TextOutput

extension Lesson6 {
    func theUpdate() throws {
        book.heading("The update, one rating at a time")
        book.paragraph(
            """
            Adding taste factors gives the prediction μ + b_u + b_i + p_u · q_i. SGD visits the ratings one at a time: with
            e = r − prediction, it moves b_u and b_i by lr (e − 0.01 b), then p_u by lr (e q_i − λ p_u) and q_i by
            lr (e p_u − λ q_i), with the new p_u. That one update is `sgdUpdate` in Cells.swift. Here a model is trained with
            it (5 epochs at k = 10, lr 0.005, λ 0.08, in a fixed order, in 64-bit floats), and again with the core's fast kernel (8
            factors at a time, no allocation) from the same start:
            """)
        let small = start(fit, k: 10, seed: seed)
        let smallStart = FactorModel(userFactors: small.users, itemFactors: small.items, globalMean: fit.mean, ratingScale: scale)
        var (plain, plainSeconds) = try timed {  // ✏️ your `sgdUpdate` (Cells.swift), once written
            try Lesson6Exercises.train(smallStart, on: fit, epochs: 5, learningRate: 0.005, lambda: 0.08, biasLambda: 0.01, update: cells.sgdUpdate)
        }
        plain.ratingScale = scale
        var (fast, fastSeconds) = try timed {
            try StochasticGradientDescent.train(
                fit,
                .init(
                    factors: 10, learningRate: 0.005, regularization: 0.08, iterations: 5, biases: true,
                    biasRegularization: 0.01), initialUserFactors: small.users, initialItemFactors: small.items
            ).model
        }
        fast.ratingScale = scale
        let updateRMSE = plain.rmse(on: validation), fastRMSE = fast.rmse(on: validation)
        let yours = book.writtenCells.contains("sgdUpdate")
        book.table(
            Table(
                header: ["training", "validation RMSE", "time"],
                rows: [
                    [yours ? "sgdUpdate from Cells.swift" : "the plain update (the course's)", "\(updateRMSE, digits: 6)", formatSeconds(plainSeconds)],
                    ["the core's SIMD kernel", "\(fastRMSE, digits: 6)", formatSeconds(fastSeconds)]
                ]), caption: "The same 5 epochs, by the one-rating update and by the kernel: validation RMSE")
        book.paragraph(Self.agreement(update: updateRMSE, kernel: fastRMSE))
        book.record("update_check", JSONValue.object([("plain_validation_rmse", updateRMSE.json), ("kernel_validation_rmse", fastRMSE.json)]))
    }

    /// Whether the update and the kernel agree, from the validation RMSE each reaches.
    static func agreement(update: Double, kernel: Double) -> String {
        let difference = abs(update - kernel)
        return difference < 1e-9
            ? "The two agree to \(String(format: "%.0e", max(difference, 1e-16))): the same arithmetic; the kernel is only faster."
            : "The two differ by \(String(format: "%.2g", difference)): `swift run lesson-6 --check` shows where the update goes wrong."
    }
}
