// 10. Every method of the course, side by side: each trained on the training ratings of the fold(s), tested on its test.

import CFCore
import LessonKit
import TextOutput

extension Lesson6 {
    func everyMethodSideBySide(_ recipes: Recipes) throws {
        book.heading("Every method of the course, side by side")
        book.paragraph("""
            Finally each method is trained on the full training ratings of \(splits.count == 1 ? "the fold" : "each of the folds u1..u5")
            and measured on its test ratings: RMSE, MAE and training time. Settings: the lesson-5 ones for batch GD and
            plain SGD (on mean-normalized ratings), the chosen ones for biased SGD with and without implicit feedback (the
            final model is marked "chosen"), and for ALS k = 10 (global mean removed)
            and biased k = 50, both with weighted λ and 10 sweeps.
            """)
        let methods = comparisonMethods(seed: seed, scale: scale, recipes: recipes)
        let comparison = try book.compare(methods, on: splits.map { ($0.training, $0.test) }, named: splits.map(\.name), scale: scale,
                                          dataset: movieLens.format.rawValue)
        let chosen = recipes.chosen
        let chosenPerFold = comparison.rmsePerFold(chosen.implicitFeedback ? .biasedSGDWithImplicitFeedback : .biasedSGD)
        let winner = comparison.mostAccurate
        book.paragraph(Self.biasesReading(biases: comparison.meanRMSE(.biases), movieMean: comparison.meanRMSE(.movieMean),
                                          batchGD: comparison.meanRMSE(.batchGD), plainSGD: comparison.meanRMSE(.plainSGD))
            + " " + Self.mostAccurateReading(winner.name, hasFactorsOnBiases: winner.kind.hasFactorsOnBiases)
            + " " + Self.finalModelReading(chosen.name, testRMSEPerFold: chosenPerFold,
                                           on: split.isOfficialFold ? split.name : "the test ratings")
            + (movieLens.isPublished100K && split.isOfficialFold ? " " + Self.targetReading(u1: chosenPerFold[0]) : ""))
        book.record("folds", splits.count)
    }

    /// How far the three biases alone get, in mean test RMSE: against the movie mean, and against lesson 5's two models.
    static func biasesReading(biases: Double, movieMean: Double, batchGD: Double, plainSGD: Double) -> String {
        let lesson5Best = min(batchGD, plainSGD)
        let share = (movieMean - biases) / max(movieMean - lesson5Best, 1e-12)
        return biases >= movieMean
            ? "The three biases alone (\(biases, digits: 4)) do no better than the movie mean (\(movieMean, digits: 4)) here."
            : lesson5Best == biases
            ? "The three biases alone (\(biases, digits: 4)) beat the movie mean (\(movieMean, digits: 4)) and tie with lesson 5's best factor model (\(batchGD, digits: 4) and \(plainSGD, digits: 4)), for almost no training time."
            : lesson5Best > biases
            ? "The three biases alone (\(biases, digits: 4)) beat the movie mean (\(movieMean, digits: 4)) and even lesson 5's factor models (\(batchGD, digits: 4) and \(plainSGD, digits: 4)), for almost no training time."
            : "The three biases alone (\(biases, digits: 4)) go \(share >= 0.5 ? "most" : "\(Int((100 * share).rounded()))%") of the way from the movie mean (\(movieMean, digits: 4)) to lesson 5's factor models (\(batchGD, digits: 4) and \(plainSGD, digits: 4)), for almost no training time."
    }

    /// Which method is the most accurate, and whether it is one with factors on top of biases.
    static func mostAccurateReading(_ winner: String, hasFactorsOnBiases: Bool) -> String {
        "\(hasFactorsOnBiases ? "Factors on top of biases do best: the" : "The") most accurate method here is \(winner)."
    }

    /// The final model's test RMSE: on the first fold (`testName`), and when there are five, their mean and whether
    /// u1 is the hardest of them.
    static func finalModelReading(_ chosen: String, testRMSEPerFold perFold: [Double], on testName: String) -> String {
        let five = perFold.count > 1
        let hardest = five && perFold.indicesRanked()[0] == 0 ? " (u1 is the hardest of the five)" : ""
        return "The final model, \(chosen), with every setting chosen on validation data, has a test RMSE of \(perFold[0], digits: 4) on "
            + "\(testName)\(five ? " and \(mean(perFold), digits: 4) averaged over the five folds" : "")\(hardest)."
    }

    /// The course's aim on MovieLens 100K's fold u1, against the final model's test RMSE there.
    static func targetReading(u1: Double) -> String {
        """
        This course aimed for 0.915 on u1 and \(u1 <= 0.915 ? "reaches it" : "comes within \(u1 - 0.915, digits: 4) of it").
        For reference, Surprise's SVD with its default settings gets about 0.93 to 0.95 on these folds.
        """
    }
}
