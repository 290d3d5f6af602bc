// Section 4: every model of the course blended by ridge regression on the validation ratings, and tested once.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson8 {
    func aBlendOfEveryModel(_ bayesian: BayesianChoice, _ finals: FinalModels) throws -> [BlendError] {
        book.heading("A blend of every model")
        book.paragraph(
            """
            The Netflix Prize was won by blends: many different models, combined by weights fitted on ratings none of them was
            trained on. We train each model of the course on the \(fit.count) fit ratings with settings fixed in advance (what
            lessons 6 and 7 choose in their default run, whatever this run's seed), let each predict the \(validation.count) validation ratings, and fit a ridge regression of
            the true ratings on those predictions, plus three simple features: log(1 + the user's number of ratings),
            log(1 + the movie's), and a watch score: weighted ALS (lesson 9 teaches it) fitted to who rated what, not to the
            stars, every rated pair a 1 and every other pair a 0, so that its score says how likely the user was to watch the
            movie at all, which none of the rating models is asked. λ is chosen by 5-fold cross-validation within the validation ratings. Then every model is
            trained again on all \(training.count) training ratings and the blend is applied, once, to the test ratings.
            """)
        let kinds = bayesian.blended
        let names = BlendInputs.names(kinds) + ["log(1 + user's ratings)", "log(1 + movie's ratings)", "watch score (lesson 9)"]
        var foldRows = [[Double]](), blends = [Blend](), firstErrors = [BlendError](), firstSquaredErrors = [[Double]]()
        let blendBar = book.progress("blending, fold by fold", total: 2 * folds.count)
        for (index, fold) in folds.enumerated() {
            let (foldFit, foldValidation) = index == 0 ? (fit, validation) : try book.fitAndValidation(fold.training)
            // On the first fold every model is trained already (section 3); on the others all are trained here, side by side.
            let inputs =
                index == 0
                ? [finals.fit, finals.training]
                : try trainBlendInputs(
                    [foldFit, fold.training], kinds: kinds, configuration: bayesian.configuration, given: [[:], [:]], background: nil, scale: scale,
                    seed: book.seed
                ) { _ in }.inputs
            let (first, firstWatch) = (inputs[0].components, inputs[0].watch)
            blendBar.update(2 * index + 1, detail: folds.count > 1 ? "\(fold.name): fitted on validation" : "fitted on validation")
            let x = try blendRows(first, on: foldValidation, counts: foldFit, watch: firstWatch)
            // ✏️ Every blend is fitted with your `ridgeBlend` (Cells.swift), once written.
            let (blend, _) = try Blend.crossValidated(
                names: names, x, foldValidation.entries.map(\.value), lambdas: [0.0001, 0.001, 0.01, 0.1, 1],
                folds: 5, seed: book.seed, fitting: cells.ridgeBlend)
            blends.append(blend)
            let (final, finalWatch) = (inputs[1].components, inputs[1].watch)
            blendBar.update(2 * index + 2, detail: folds.count > 1 ? "\(fold.name): tested" : "tested")
            // Every model's predictions for the test ratings, once: each model's RMSE, its squared errors rating by rating
            // (for the comparison with the best single model) and the blend's input all come from them.
            let testRows = try blendRows(final, on: fold.test, counts: fold.training, watch: finalWatch)
            let squaredErrors = final.indices.map { m in
                zip(testRows, fold.test.entries).map { row, r in (row[m] - r.value) * (row[m] - r.value) }
            }
            var row = squaredErrors.map { (($0.reduce(0, +)) / Double(fold.test.count)).squareRoot() }
            let blended = testRows.map { scale.clamp(blend.predict($0)) }
            row.append(Metrics.rmse(blended, fold.test.entries.map(\.value)))
            foldRows.append(row)
            if index == 0 {
                firstErrors = zip(fold.test.entries, blended).map { BlendError(user: $0.user, item: $0.item, error: $1 - $0.value) }
                firstSquaredErrors = squaredErrors + [firstErrors.map { $0.error * $0.error }]
            }
        }
        blendBar.finish()
        let blend = blends[0]
        let componentCount = names.count - 3  // the models; then the three features
        // The models' weights only: they multiply predictions in stars, which the features (log counts, a score) are not,
        // so their weights are not comparable on one axis; the features and the intercept are said below.
        try book.figure(
            .bars(
                name: "blend-weights",
                title:
                    "The blend's weights on the models (fitted on the validation ratings\(officialU1 ? " of fold u1" : ""), λ = \(formatPlain(blend.lambda)))",
                xLabel: "model", yLabel: "weight (stars per predicted star)", labels: Array(names.prefix(componentCount)),
                values: Array(blend.weights.prefix(componentCount))))
        let rowNames = Array(names.prefix(componentCount)) + ["blend"]
        let means = folds.count > 1 ? rowNames.indices.map { i in mean(foldRows.map { $0[i] }) } : nil
        book.table(
            Table(
                header: ["model", officialU1 ? "test RMSE (u1)" : "test RMSE"] + (means != nil ? ["mean of u1..u5"] : []),
                rows: rowNames.indices.map { i in [rowNames[i], "\(foldRows[0][i], digits: 4)"] + (means.map { ["\($0[i], digits: 4)"] } ?? []) }),
            caption: "Each model, and the blend of them all, on the test ratings")
        let singles = Array(foldRows[0].prefix(componentCount)), blendRMSE = foldRows[0][componentCount]
        let bestSingle = singles.indicesRanked(descending: false).first ?? 0
        let heavy = blend.weights.prefix(componentCount).map(abs).indicesRanked().first ?? 0
        book.paragraph(
            """
            The best single model on the test ratings is \(rowNames[bestSingle]) (\(singles[bestSingle], digits: 4)); the blend reaches
            \(blendRMSE, digits: 4)\(Self.onTheBlend(blend: blendRMSE, bestSingle: singles[bestSingle], fiveFoldMean: means?[componentCount],
                                                    verdict: Comparison.paired(firstSquaredErrors[componentCount], firstSquaredErrors[bestSingle]).verdict)). The
            largest weight in magnitude goes to \(names[heavy]) (\(blend.weights[heavy], digits: 2)). A weight is not a verdict on a model's accuracy:
            a weaker model earns weight when it is wrong in a different way from the others, because then it corrects them,
            and two good models that err alike share a weight or cancel (\(Self.negativeWeights(blend.weights.prefix(componentCount).filter { $0 < 0 }.count))).
            The three features get \(names.indices.dropFirst(componentCount).map { "\(formatFixed(blend.weights[$0], digits: 3)) for the \(names[$0])" }.joined(separator: ", ")),
            and the intercept is \(formatFixed(blend.intercept, digits: 2)).
            """)
        book.record(
            "blend",
            JSONValue.object([
                ("weights", JSONValue.object(zip(names, blend.weights).map { ($0, $1.json) })),
                ("intercept", blend.intercept.json), ("lambda", blend.lambda.json)
            ]))
        book.record("test_rmse", JSONValue.object(rowNames.indices.map { i in (rowNames[i], foldRows.map { $0[i] }.json) }))
        book.record("final_test_rmse", blendRMSE)
        book.record("best_single_test_rmse", singles[bestSingle])
        return firstErrors
    }

    /// How many of the models' weights are negative, said as a clause.
    static func negativeWeights(_ count: Int) -> String {
        count == 0 ? "none gets a negative weight here" : count == 1 ? "here one even gets a negative weight" : "here \(count) even get negative weights"
    }

    /// How the blend compares with the best single model on the test ratings, rating by rating (`verdict`: the blend's
    /// squared errors against the model's; `.secondHigher` means the blend's are lower), and its mean over the five folds
    /// when they were run.
    static func onTheBlend(blend: Double, bestSingle: Double, fiveFoldMean: Double?, verdict: Comparison.Verdict) -> String {
        let gap = formatFixed(abs(bestSingle - blend), digits: 4)
        let reading =
            switch verdict {
            case .secondHigher: ", \(gap) better, by more than the noise (compared rating by rating)"
            case .tie: ", within the noise of it (\(gap) \(blend < bestSingle ? "lower" : blend > bestSingle ? "higher" : "apart"), compared rating by rating)"
            case .firstHigher: ", \(gap) worse, by more than the noise: the weights fitted on validation do not carry over to these test ratings"
            }
        return reading + (fiveFoldMean.map { ", and \(formatFixed($0, digits: 4)) averaged over the five folds" } ?? "")
    }
}

/// The blend's error on one test rating of the first fold.
struct BlendError {
    let user: Int, item: Int, error: Double
}
