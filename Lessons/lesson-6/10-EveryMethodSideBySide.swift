// 10. Every method of the course, side by side: each trained on the training ratings of the fold(s), tested on its test.

import CFCore
import LessonKit
import TextOutput

extension Lesson6 {
    /// `final` is section 7's model, the chosen recipe on the first fold's training ratings: its row there is not trained again.
    func everyMethodSideBySide(_ recipes: Recipes, final: (model: FactorModel, seconds: Double)) throws {
        book.heading("Every method of the course, side by side")
        book.paragraph(
            """
            Finally each method is trained on the full training ratings of \(splits.count > 1 ? "each of the folds u1..u5" : split.isOfficialFold ? "the fold" : "the split")
            and measured on its test ratings: RMSE, MAE and training time. Settings: the lesson-5 ones for batch GD and
            plain SGD (on mean-normalized ratings), the chosen ones for biased SGD with and without implicit feedback (the
            final model is marked "chosen"), and for ALS k = 10 (global mean removed)
            and biased k = 50 (on the 32-bit kernel, as lesson 8's blend trains it), both with weighted λ and 10 sweeps.
            """)
        let methods = comparisonMethods(seed: seed, scale: scale, recipes: recipes)
        let chosen = recipes.chosen
        let chosenKind: Method.Kind = chosen.implicitFeedback ? .biasedSGDWithImplicitFeedback : .biasedSGD
        // Plain biased SGD on the first fold was trained ahead (section 6): it is the final model, or its own row.
        var given: [Method.Kind: (model: FactorModel, seconds: Double)] = [.biasedSGD: try recipes.plainOnTraining.value]
        given[chosenKind] = final
        let comparison = try book.compare(
            methods, on: splits.map { ($0.training, $0.test) }, named: splits.map(\.name), scale: scale,
            dataset: movieLens.format.rawValue, trainedOnFirstFold: given)
        let chosenPerFold = comparison.rmsePerFold(chosenKind)
        let winner = comparison.mostAccurate
        let lesson5Best: Method.Kind = comparison.meanRMSE(.batchGD) <= comparison.meanRMSE(.plainSGD) ? .batchGD : .plainSGD
        let tied = comparison.tiedWithMostAccurate
        book.paragraph(
            Self.biasesReading(
                biases: comparison.meanRMSE(.biases), movieMean: comparison.meanRMSE(.movieMean),
                batchGD: comparison.meanRMSE(.batchGD), plainSGD: comparison.meanRMSE(.plainSGD),
                againstMovieMean: comparison.compare(.biases, .movieMean),
                againstLesson5: comparison.compare(.biases, lesson5Best))
                + " "
                + Self.mostAccurateReading(
                    winner.prose + (winner.kind == chosenKind ? ", the final model" : ""), tied: tied.map(\.prose),
                    hasFactorsOnBiases: ([winner] + tied).allSatisfy(\.kind.hasFactorsOnBiases))
                + " "
                + Self.finalModelReading(
                    chosen.name, testRMSEPerFold: chosenPerFold,
                    on: split.isOfficialFold ? split.name : "the test ratings")
                + (movieLens.isPublished100K && split.isOfficialFold ? " " + Self.targetReading(u1: chosenPerFold[0]) : ""))
        book.record("folds", splits.count)
    }

    /// How far the three biases alone get, in mean test RMSE: against the movie mean, and against lesson 5's two models,
    /// each compared rating by rating (`againstMovieMean`, `againstLesson5`: the biases' squared errors against the movie
    /// mean's and the better lesson-5 model's; `.secondHigher` means the biases' are lower).
    static func biasesReading(
        biases: Double, movieMean: Double, batchGD: Double, plainSGD: Double,
        againstMovieMean: Comparison.Verdict, againstLesson5: Comparison.Verdict
    ) -> String {
        let lesson5Best = min(batchGD, plainSGD)
        let share = (movieMean - biases) / max(movieMean - lesson5Best, 1e-12)
        let b = formatFixed(biases, digits: 4), m = formatFixed(movieMean, digits: 4)
        let l5 = "\(formatFixed(batchGD, digits: 4)) and \(formatFixed(plainSGD, digits: 4))"
        guard againstMovieMean == .secondHigher else {
            return "The three biases alone (\(b)) do no better than the movie mean (\(m)) here, beyond the noise."
        }
        return switch againstLesson5 {
        case .tie:
            "The three biases alone (\(b)) beat the movie mean (\(m)) and are within the noise of lesson 5's best factor model (\(l5)), for almost no training time."
        case .secondHigher:
            "The three biases alone (\(b)) beat the movie mean (\(m)) and even lesson 5's factor models (\(l5)), by more than the noise, for almost no training time."
        case .firstHigher:
            "The three biases alone (\(b)) go \(share >= 0.5 ? "most" : "\(Int((100 * share).rounded()))%") of the way from the movie mean (\(m)) to lesson 5's factor models (\(l5)), for almost no training time."
        }
    }

    /// Which method is the most accurate, which are within the noise of it (compared rating by rating), and whether
    /// they all have factors on top of biases.
    static func mostAccurateReading(_ winner: String, tied: [String] = [], hasFactorsOnBiases: Bool) -> String {
        let lead = "\(hasFactorsOnBiases ? "Factors on top of biases do best: the" : "The") most accurate method here is \(winner)"
        guard !tied.isEmpty else { return lead + "." }
        return lead + ", but \(tied.joined(separator: ", ")) \(tied.count == 1 ? "is" : "are") within the noise of it (compared rating by rating)."
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
