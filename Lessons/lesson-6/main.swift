// Lesson 6: toward production. Biases, honest validation, tuning, cold start, similar movies, and a comparison
// of every method of the course on MovieLens.
//
// It trains dozens of models: run it in release mode, `swift run -c release lesson-6` (`make lesson-6` does).

import CFCore
import Exercises
import Figures
import Foundation
import LessonKit
import MovieLens
import TextOutput

let options = Options.parseOrExplain()
let yourCells = Lesson6Cells(
    sgdUpdate: { try sgdUpdate(&$0, user: $1, item: $2, rating: $3, learningRate: $4, lambda: $5, biasLambda: $6) },
    foldIn: { try foldIn($0, ratings: $1, lambda: $2) })
let chosenCells = options.common.solutions ? Lesson6Cells.solutions : yourCells

Lesson.run(6, options: options.common, exercises: chosenCells.exercises()) { book in
    let cells = chosenCells.completed(book.writtenCells)
    let seed = book.seed
    let movieLens = try book.loadMovieLens(data: options.movieLensOptions.data)
    let scale = movieLens.scale, titles = movieLens.titles
    // What the run needs from you is checked before any training: the movie and your ratings file.
    let anchor = try movieLens.anchorMovie(id: options.movie)
    let newUser = try options.newUserOptions.newUser(in: movieLens)
    // Every fold the comparison will need is read now, so a missing or broken one stops the lesson before any training.
    let splits = try book.splits(folds: options.folds, of: movieLens)
    let split = splits[0]
    let training = split.training, test = split.test
    let folds = splits.map { ($0.training, $0.test) }
    let foldNumbers = splits.map(\.name)

    // MARK: Honest evaluation
    book.heading("Three sets of ratings, each with one job")
    var splitRNG = RandomState(seed: seed &+ 11)
    let (fit, validation) = try training.split(holdingOut: 0.1, rng: &splitRNG)
    book.paragraph("""
        Lesson 5 trained on \(split.description) and looked at the test ratings to see how it did. Had it then tried
        other settings and kept the best test score, the test set would have become part of training: its score would
        flatter us. So from here on the test ratings (\(test.count)) are touched once, at the very end. Every choice,
        the number of factors, λ, the learning rate and when to stop, is made on a validation set of \(validation.count)
        ratings carved at random (seed \(seed &+ 11)) from the \(training.count) training ratings; the models learn from the
        other \(fit.count).
        """)
    book.record("dataset", movieLens.format.rawValue)
    book.record("synthetic", movieLens.isSynthetic)
    book.record("fit_ratings", fit.count)
    book.record("validation_ratings", validation.count)
    book.record("test_ratings", test.count)

    // MARK: Biases
    book.heading("Biases: some movies are better, some users are kinder")
    let baseline = Baseline.biases(fit, ratingScale: scale)
    book.paragraph("""
        Before any taste factors, much of a rating is explained by three numbers: the global mean μ = \(baseline.globalMean, digits: 3),
        how much more generous than average user u is (b_u), and how much better than average movie i is received (b_i).
        We fit them by regularized least squares: each bias is the average of what is left over, divided by its number
        of ratings plus a penalty (10 for movies, 15 for users), which pulls the biases of rarely rated movies toward 0.
        """)
    let counts = (0..<fit.itemCount).map { fit.ratings(ofItem: $0).count }
    let means = fit.itemMeans()
    func biasRows(_ items: [Int]) -> [[String]] {
        items.map { [titles[$0], "\(baseline.itemBias[$0], digits: 3)", "\(means[$0], digits: 2)", String(counts[$0])] }
    }
    let rated = (0..<fit.itemCount).filter { counts[$0] > 0 }
    let byBias = rated.sorted { baseline.itemBias[$0] > baseline.itemBias[$1] }
    let byMean = rated.sorted { means[$0] != means[$1] ? means[$0] > means[$1] : counts[$0] > counts[$1] }
    let header = ["movie", "bias b_i", "mean rating", "fit ratings"]
    book.table(Table(header: header, rows: biasRows(Array(byBias.prefix(8)))), caption: "Highest movie bias")
    book.table(Table(header: header, rows: biasRows(Array(byBias.suffix(5).reversed()))), caption: "Lowest movie bias")
    book.table(Table(header: header, rows: biasRows(Array(byMean.prefix(6)))), caption: "Highest mean rating, for comparison")
    book.paragraph("""
        (The counts are of the fit ratings the biases were learned from.) Where the two rankings differ, it is because of the penalty. A movie rated 5 by one or two people has the highest possible
        mean, but its bias is that surplus divided by (n + 10), small when n is small: the evidence is thin, so the
        estimate stays near the global mean until more ratings arrive. A movie with hundreds of high ratings keeps nearly
        all of its surplus. The bias also discounts who rated it: high marks from generous users count for less.
        """)
    book.record("baseline_validation_rmse", Metrics.rmse(baseline, on: validation))

    // MARK: One rating at a time
    book.heading("The update, one rating at a time")
    book.paragraph("""
        Adding taste factors gives the prediction μ + b_u + b_i + p_u · q_i. SGD visits the ratings one at a time: with
        e = r − prediction, it moves b_u and b_i by lr (e − 0.01 b), then p_u by lr (e q_i − λ p_u) and q_i by
        lr (e p_u − λ q_i), with the new p_u. That one update is `sgdUpdate` in Cells.swift. Trained with it, 5 epochs at
        k = 10, lr 0.005, λ 0.08, in a fixed order, and with the core's fast kernel (8 factors at a time, no allocation) from the same start:
        """)
    let small = start(fit, k: 10, seed: seed)
    let smallStart = FactorModel(userFactors: small.users, itemFactors: small.items, globalMean: fit.mean, ratingScale: scale)
    var (plain, plainSeconds) = try timed {  // ✏️ your `sgdUpdate` (Cells.swift), once written
        try Lesson6Cells.train(smallStart, on: fit, epochs: 5, learningRate: 0.005, lambda: 0.08, biasLambda: 0.01, update: cells.sgdUpdate)
    }
    plain.ratingScale = scale
    var (fast, fastSeconds) = try timed {
        try StochasticGradientDescent.train(fit, .init(factors: 10, learningRate: 0.005, regularization: 0.08, epochs: 5, biases: true,
                                                       biasRegularization: 0.01), initialUserFactors: small.users, initialItemFactors: small.items).model
    }
    fast.ratingScale = scale
    let updateRMSE = Metrics.rmse(plain, on: validation), fastRMSE = Metrics.rmse(fast, on: validation)
    book.table(Table(header: ["training", "validation RMSE", "time"], rows: [
        [book.writtenCells.contains("sgdUpdate") ? "sgdUpdate from Cells.swift" : "the plain update (the course's)", "\(updateRMSE, digits: 6)", formatSeconds(plainSeconds)],
        ["the core's SIMD kernel", "\(fastRMSE, digits: 6)", formatSeconds(fastSeconds)],
    ]))
    book.paragraph(abs(updateRMSE - fastRMSE) < 1e-9
        ? "The two agree to \(String(format: "%.0e", max(abs(updateRMSE - fastRMSE), 1e-16))): the same arithmetic; the kernel is only faster."
        : "The two differ by \(String(format: "%.2g", abs(updateRMSE - fastRMSE))): `swift run lesson-6 --check` shows where the update goes wrong.")
    book.record("update_check", JSONValue.object([("plain_validation_rmse", updateRMSE.json), ("kernel_validation_rmse", fastRMSE.json)]))

    // MARK: Learning curves
    book.heading("Biased matrix factorization, and when to stop")
    book.paragraph("""
        From here on the lesson trains with that kernel, in 32-bit floats. We train on the fit ratings and measure the RMSE on the validation ratings after every
        epoch. With a tiny λ the model soon starts memorizing: the training error keeps falling while the validation error
        turns back up. That turning point is where to stop (early stopping), and a larger λ delays or removes it.
        """)
    let curveK = options.k.values.max()!, curveRate = options.learningRate.values[0]
    let curveEpochs = min(options.epochs, 60)
    var curves = [Series](), curveRuns = [(lambda: Double, validation: [Double])]()
    for λ in [0.001, options.lambda.values.sorted()[options.lambda.values.count / 2]] {
        let initial = start(fit, k: curveK, seed: seed)
        let run = try StochasticGradientDescent.trainWithEarlyStopping(
            fit, validation: validation, biasedSGD(k: curveK, lambda: λ, learningRate: curveRate, epochs: curveEpochs, seed: seed),
            patience: curveEpochs, initialUserFactors: initial.users, initialItemFactors: initial.items, ratingScale: scale)
        curveRuns.append((λ, run.validationRMSE))
        curves.append(Series("train, λ = \(λ)", y: run.trainingRMSE))
        curves.append(Series("validation, λ = \(λ)", y: run.validationRMSE))
        book.record("learning_curve_lambda_\(λ)", JSONValue.object([("training_rmse", run.trainingRMSE.json), ("validation_rmse", run.validationRMSE.json),
                                                           ("best_epoch", run.bestEpoch.json)]))
    }
    // What the curves show, read from them: does the validation error of the smallest λ turn back up?
    if let tiny = curveRuns.first {
        let bestEpoch = tiny.validation.indices.min { tiny.validation[$0] < tiny.validation[$1] }.map { $0 + 1 } ?? 1
        let risesBy = (tiny.validation.last ?? 0) - (tiny.validation.min() ?? 0)
        book.paragraph(bestEpoch < tiny.validation.count && risesBy > 0.001
            ? "Here, with λ = \(tiny.lambda), the validation RMSE is lowest after epoch \(bestEpoch) and then rises by \(risesBy, digits: 3) while the training RMSE goes on falling: memorizing."
            : "Here, with λ = \(tiny.lambda), the validation RMSE has not turned up within \(tiny.validation.count) epochs: at this learning rate the model has not started to memorize yet.")
    }
    try book.figure(.lines(name: "learning-curves", title: "Training and validation RMSE per epoch (k = \(curveK), lr = \(curveRate))",
                           xLabel: "epoch", yLabel: "RMSE", series: curves))

    // MARK: Hyperparameter search
    book.heading("Choosing k, λ and the learning rate on validation data")
    let grid = options.k.values.flatMap { k in options.lambda.values.flatMap { λ in options.learningRate.values.map { (k: k, lambda: λ, rate: $0) } } }
    book.paragraph("""
        We try every combination of k ∈ {\(options.k.values.map(String.init).joined(separator: ", "))}, λ ∈ {\(options.lambda.values.map { "\($0)" }.joined(separator: ", "))}
        and learning rate ∈ {\(options.learningRate.values.map { "\($0)" }.joined(separator: ", "))}: \(grid.count) runs, each stopped
        \(options.patience) epochs after its best validation RMSE (at most \(options.epochs) epochs).
        """)
    let bar = book.progress("hyperparameter search", total: grid.count)
    var results = [(k: Int, lambda: Double, rate: Double, epoch: Int, rmse: Double, curve: [Double])]()
    for (index, point) in grid.enumerated() {
        let initial = start(fit, k: point.k, seed: seed)
        let run = try StochasticGradientDescent.trainWithEarlyStopping(
            fit, validation: validation, biasedSGD(k: point.k, lambda: point.lambda, learningRate: point.rate, epochs: options.epochs, seed: seed),
            patience: options.patience, initialUserFactors: initial.users, initialItemFactors: initial.items, ratingScale: scale)
        results.append((point.k, point.lambda, point.rate, run.bestEpoch, run.validationRMSE[run.bestEpoch - 1], run.validationRMSE))
        bar.update(index + 1, detail: "k=\(point.k) λ=\(point.lambda): \(results.last!.rmse, digits: 4)")
    }
    bar.finish()
    let ranked = results.sorted { $0.rmse < $1.rmse }
    let best = ranked[0]
    book.table(Table(header: ["k", "λ", "learning rate", "best epoch", "validation RMSE"], rows: ranked.map {
        [String($0.k), "\($0.lambda)", "\($0.rate)", String($0.epoch), "\($0.rmse, digits: 4)"]
    }), caption: "Every setting tried, best first")
    try book.figure(.lines(name: "validation-vs-lambda", title: "Validation RMSE against λ, one line per k (learning rate \(best.rate))",
                           xLabel: "λ", yLabel: "validation RMSE (at the best epoch)",
                           series: options.k.values.map { k in
                               let row = results.filter { $0.k == k && $0.rate == best.rate }.sorted { $0.lambda < $1.lambda }
                               return Series("k = \(k)", x: row.map(\.lambda), y: row.map(\.rmse))
                           }))
    book.paragraph("""
        The best setting on validation is k = \(best.k), λ = \(best.lambda), learning rate \(best.rate), stopping after \(best.epoch) epochs
        (validation RMSE \(best.rmse, digits: 4), against \(Metrics.rmse(baseline, on: validation), digits: 4) for the biases alone).
        """)
    book.record("grid", JSONValue.array(results.map { .object([("k", $0.k.json), ("lambda", $0.lambda.json), ("learning_rate", $0.rate.json),
                                                      ("best_epoch", $0.epoch.json), ("validation_rmse", $0.rmse.json)]) }))

    // MARK: Implicit feedback
    book.heading("What you chose to rate: implicit feedback (SVD++)")
    book.paragraph("""
        The ratings carry a second, quieter signal: which movies each user rated at all. Nobody picks movies at random;
        someone who rated thirty horror films has told us something before we read a single star. Koren's SVD++ gives
        every movie a second vector y_j and describes user u by p_u + |N(u)|^-½ Σ y_j, summed over the movies N(u) the
        user rated, so the prediction becomes μ + b_u + b_i + q_i · (p_u + |N(u)|^-½ Σ y_j). It is still biased matrix
        factorization; the user's vector just gets a head start from the movies they chose to rate.
        We train it with the best settings of the search (k = \(best.k), λ = \(best.lambda), learning rate \(best.rate)), stopped
        early on the same validation ratings, and keep whichever of the two models does better there.
        """)
    let implicitStart = start(fit, k: best.k, seed: seed)
    let (implicitRun, implicitSeconds) = try timed {
        try StochasticGradientDescent.trainWithEarlyStopping(
            fit, validation: validation,
            biasedSGD(k: best.k, lambda: best.lambda, learningRate: best.rate, epochs: options.epochs, seed: seed, implicitFeedback: true),
            patience: options.patience, initialUserFactors: implicitStart.users, initialItemFactors: implicitStart.items, ratingScale: scale)
    }
    let implicitRMSE = implicitRun.validationRMSE[implicitRun.bestEpoch - 1]
    let useImplicit = implicitRMSE < best.rmse
    let chosen = Recipe(k: best.k, lambda: best.lambda, rate: best.rate, epochs: useImplicit ? implicitRun.bestEpoch : best.epoch,
                        implicitFeedback: useImplicit)
    book.table(Table(header: ["model", "best epoch", "validation RMSE"], rows: [
        ["biased SGD MF", String(best.epoch), "\(best.rmse, digits: 4)"],
        ["+ implicit feedback (SVD++)", String(implicitRun.bestEpoch), "\(implicitRMSE, digits: 4)"],
    ]), caption: "k = \(best.k), λ = \(best.lambda), learning rate \(best.rate), on the validation ratings")
    try book.figure(.lines(name: "implicit-feedback", title: "Validation RMSE per epoch, with and without implicit feedback (k = \(best.k), λ = \(best.lambda))",
                           xLabel: "epoch", yLabel: "validation RMSE",
                           series: [Series("biased SGD MF", y: best.curve), Series("+ implicit feedback (SVD++)", y: implicitRun.validationRMSE)]))
    book.paragraph(useImplicit
        ? """
          Implicit feedback lowers the validation RMSE from \(best.rmse, digits: 4) to \(implicitRMSE, digits: 4), and reaches its best
          after \(implicitRun.bestEpoch) epochs instead of \(best.epoch) (\(formatSeconds(implicitSeconds)) for this run): the final model uses it.
          """
        : """
          Here implicit feedback does not help on validation (\(implicitRMSE, digits: 4) against \(best.rmse, digits: 4)), so the
          final model is plain biased matrix factorization. A choice made on validation data can go either way; that is the point.
          """)
    book.record("implicit_feedback", JSONValue.object([("validation_rmse", implicitRMSE.json), ("best_epoch", implicitRun.bestEpoch.json),
                                                       ("validation_rmse_per_epoch", implicitRun.validationRMSE.json), ("used", useImplicit.json)]))
    book.record("chosen", JSONValue.object([("method", chosen.name.json), ("k", chosen.k.json), ("lambda", chosen.lambda.json),
                                            ("learning_rate", chosen.rate.json), ("epochs", chosen.epochs.json),
                                            ("implicit_feedback", chosen.implicitFeedback.json)]))

    // MARK: The one test
    book.heading("The final model, tested once")
    let (final, finalSeconds) = try timed { try chosen.train(on: training, seed: seed, ratingScale: scale) }
    let finalRMSE = Metrics.rmse(final, on: test), finalMAE = Metrics.mae(final, on: test)
    book.paragraph("""
        With the chosen settings fixed (\(chosen.name), k = \(chosen.k), λ = \(chosen.lambda), learning rate \(chosen.rate)), we retrain
        on all \(training.count) training ratings (fit and validation together) for the chosen \(chosen.epochs) epochs, in \(formatSeconds(finalSeconds)), and only now look at the test ratings: RMSE
        \(finalRMSE, digits: 4), MAE \(finalMAE, digits: 4). This is the number to report, because nothing about
        the model was chosen by looking at it.
        """)
    book.record("final_test_rmse", finalRMSE)
    book.record("final_test_mae", finalMAE)

    // MARK: Cold start
    book.heading("Cold start")
    let minimum = training.minimumRatingsToRecommend()
    let coldBaseline = Baseline.biases(training, ratingScale: scale)
    book.paragraph("""
        A brand-new user has no ratings, so no p_u and no b_u: all we can offer is μ + b_i, the movies with the highest
        bias. We fit the biases again on all \(training.count) training ratings (the final model's data), whose penalty of 10 ratings' worth
        shrinks thinly rated movies toward the mean, and also require \(minimum) training ratings (lesson 5's rule): a ranking of
        well-liked movies, not of obscure movies with a few 5-star reviews.
        """)
    let popular = (0..<training.itemCount).filter { training.ratings(ofItem: $0).count >= minimum }
        .sorted { coldBaseline.itemBias[$0] > coldBaseline.itemBias[$1] }.prefix(10)
    book.table(Table(header: ["#", "movie", "μ + b_i", "training ratings"], rows: popular.enumerated().map { rank, item in
        [String(rank + 1), titles[item], "\(min(max(coldBaseline.globalMean + coldBaseline.itemBias[item], scale.lowerBound), scale.upperBound), digits: 2)",
         String(training.ratings(ofItem: item).count)]
    }), caption: "For a user with no ratings")
    let mine = newUser.ratings
    book.paragraph("""
        After a handful of ratings (\(mine.count) here, from \(newUser.description)), there are two ways to
        serve the user. Folding in keeps every movie's factors and bias fixed and solves one small ridge regression for
        the new user's p_u and b_u: one k × k system\(chosen.implicitFeedback ? "; with implicit feedback the sum |N(u)|^-½ Σ y_j over the movies just rated is known at once, and only p_u is solved for" : "").
        Retraining adds the user to the ratings and trains everything again.
        """)
    let (folded, foldSeconds) = try timed {
        try cells.foldInUser(final, ratings: mine.map { (item: $0.item, value: $0.rating) }, lambda: chosen.lambda)  // ✏️ your `foldIn`
    }
    let foldModel = final.addingUser(factors: folded.factors, bias: folded.bias)
    let you = training.userCount
    let withYou = try Ratings(userCount: training.userCount + 1, itemCount: training.itemCount,
                              ratings: training.entries + mine.map { Rating(user: you, item: $0.item, value: $0.rating) })
    let (retrainModel, retrainSeconds) = try timed { try chosen.train(on: withYou, seed: seed, ratingScale: scale) }
    let topFold = foldModel.recommendations(for: you, count: 10, excluding: withYou, minimumRatings: minimum)
    let topRetrain = retrainModel.recommendations(for: you, count: 10, excluding: withYou, minimumRatings: minimum)
    if topFold.isEmpty {
        book.paragraph("""
            Nothing is left to recommend to the new user: they have rated every movie with at least \(minimum) training ratings,
            and a recommender suggests only what is not yet seen. The two models can still be compared on their predictions.
            """)
    } else {
        book.table(Table(header: ["#", "fold-in", "predicted", "retrained", "predicted"], rows: (0..<min(topFold.count, topRetrain.count)).map { i in
            [String(i + 1), titles[topFold[i].item], topFold[i].shown, titles[topRetrain[i].item], topRetrain[i].shown]
        }), caption: "Top 10 for the new user: folded in, and retrained (movies with at least \(minimum) training ratings)")
    }
    if (topFold + topRetrain).contains(where: { $0.score > scale.upperBound }) {
        book.note("""
            a prediction above \(scale.upperBound, digits: 0) stars is shown as \(scale.upperBound, digits: 0) with the model's raw score in \
            parentheses; the lists are ranked by that score, so movies that both show \(scale.upperBound, digits: 0) still come in order.
            """)
    }
    let overlap = Set(topFold.map(\.item)).intersection(topRetrain.map(\.item)).count
    let agreement = (0..<training.itemCount).map { foldModel.predict(user: you, item: $0) - retrainModel.predict(user: you, item: $0) }
    let agreementRMSE = (agreement.reduce(0) { $0 + $1 * $1 } / Double(agreement.count)).squareRoot()
    book.paragraph("""
        Fold-in took \(String(format: "%.2g", foldSeconds * 1000)) ms (k = \(chosen.k)), retraining \(formatSeconds(retrainSeconds)).\(topFold.isEmpty ? "" : " The two top-10 lists share \(overlap) movies,")
        \(topFold.isEmpty ? "Over" : "and over") all \(training.itemCount) movies their predictions for the new user differ by \(agreementRMSE, digits: 3) stars (RMSE). Fold-in
        is what a live service does at once; retraining, done later in batch, also lets the user's ratings nudge the movies.
        """)
    book.record("cold_start", JSONValue.object([
        ("no_ratings_top_movie_ids", popular.map { movieLens.movieIDs[$0] }.json),
        ("new_user_ratings", mine.count.json), ("minimum_ratings", minimum.json),
        ("fold_in_top", recommendationsJSON(topFold, movieLens: movieLens, counts: training)),
        ("retrained_top", recommendationsJSON(topRetrain, movieLens: movieLens, counts: training)),
        ("top10_overlap", overlap.json), ("prediction_difference_rmse", agreementRMSE.json),
        ("fold_in_seconds", foldSeconds.json), ("retrain_seconds", retrainSeconds.json),
    ]))

    // MARK: Because you liked
    book.heading("Because you liked \(titles[anchor])")
    let trainingCounts = (0..<training.itemCount).map { training.ratings(ofItem: $0).count }
    let similar = final.similarItems(to: anchor, count: 10) { trainingCounts[$0] >= minimum }
    book.paragraph("""
        Movies whose factor vectors point the same way are liked by the same people. The cosine of the angle between
        q_i and q_j measures that, from 1 (same direction) down to -1; biases play no part, so this is about taste, not
        popularity. Only movies with at least \(minimum) training ratings are considered: a rarely rated movie's factors are mostly noise.
        """)
    book.table(Table(header: ["#", "movie", "cosine similarity", "training ratings"], rows: similar.enumerated().map { rank, s in
        [String(rank + 1), titles[s.item], "\(s.similarity, digits: 3)", String(training.ratings(ofItem: s.item).count)]
    }), caption: "Most similar to \(titles[anchor])")
    book.record("similar_movie_ids", similar.map { movieLens.movieIDs[$0.item] })

    // MARK: The comparison
    book.heading("Every method of the course, side by side")
    book.paragraph("""
        Finally each method is trained on the full training ratings of \(foldNumbers.count == 1 ? "the fold" : "each of the folds u1..u5")
        and measured on its test ratings: RMSE, MAE and training time. Settings: the lesson-5 ones for batch GD and
        plain SGD (on mean-normalized ratings), the chosen ones for biased SGD with and without implicit feedback (the
        final model is marked "chosen"), and for ALS k = 10 (global mean removed)
        and biased k = 50, both with weighted λ and 10 sweeps.
        """)
    let methods = comparisonMethods(seed: seed, scale: scale, chosen: chosen, best: (best.k, best.lambda, best.rate, best.epoch), implicitEpochs: implicitRun.bestEpoch)
    let scores = try book.compare(methods, on: folds, named: foldNumbers, scale: scale, dataset: movieLens.format.rawValue)
    let rmseOf = { (name: String) in mean(scores[methods.firstIndex { $0.name.hasPrefix(name) }!].map(\.rmse)) }
    let baselineRMSE = rmseOf("baseline"), gdRMSE = rmseOf("batch GD"), plainRMSE = rmseOf("plain SGD")
    let chosenIndex = methods.firstIndex { $0.name.hasSuffix("(chosen)") }!
    let chosenMean = mean(scores[chosenIndex].map(\.rmse)), chosenU1 = scores[chosenIndex][0].rmse
    let winner = methods.indices.min { mean(scores[$0].map(\.rmse)) < mean(scores[$1].map(\.rmse)) }!
    let officialFolds = movieLens.isPublished100K && split.isOfficialFold
    let hardest = foldNumbers.count > 1 && chosenU1 == scores[chosenIndex].map(\.rmse).max()! ? " (u1 is the hardest of the five)" : ""
    let movieMeanRMSE = rmseOf("movie mean"), lesson5Best = min(gdRMSE, plainRMSE)
    let share = (movieMeanRMSE - baselineRMSE) / max(movieMeanRMSE - lesson5Best, 1e-12)
    let biasesReading = baselineRMSE >= movieMeanRMSE
        ? "The three biases alone (\(baselineRMSE, digits: 4)) do no better than the movie mean (\(movieMeanRMSE, digits: 4)) here."
        : lesson5Best >= baselineRMSE
        ? "The three biases alone (\(baselineRMSE, digits: 4)) beat the movie mean (\(movieMeanRMSE, digits: 4)) and even lesson 5's factor models (\(gdRMSE, digits: 4) and \(plainRMSE, digits: 4)), for almost no training time."
        : "The three biases alone (\(baselineRMSE, digits: 4)) go \(share >= 0.5 ? "most" : "\(Int((100 * share).rounded()))%") of the way from the movie mean (\(movieMeanRMSE, digits: 4)) to lesson 5's factor models (\(gdRMSE, digits: 4) and \(plainRMSE, digits: 4)), for almost no training time."
    let factorsOnBiases = methods[winner].name.hasPrefix("biased")
    book.paragraph("""
        \(biasesReading) \(factorsOnBiases ? "Factors on top of biases do best: the" : "The") most accurate method
        here is \(methods[winner].name). The final model, \(chosen.name), with every setting chosen on validation data, has a test RMSE of
        \(chosenU1, digits: 4) on \(split.isOfficialFold ? split.name : "the test ratings")\(foldNumbers.count > 1 ? " and \(chosenMean, digits: 4) averaged over the five folds" : "")\(hardest).
        """ + (officialFolds ? """
         This course aimed for 0.915 on u1 and \(chosenU1 <= 0.915 ? "reaches it" : "comes within \(chosenU1 - 0.915, digits: 4) of it").
        For reference, Surprise's SVD with its default settings gets about 0.93 to 0.95 on these folds.
        """ : ""))
    book.record("folds", foldNumbers.count)

    book.heading("Exercises")
    book.cellExercises()
    book.exercise("Widen the search: `swift run -c release lesson-6 --k 10,50,100,300 --lambda 0.02,0.05,0.08,0.12`. Does the choice change?")
    book.exercise("Whom does implicit feedback help? Split the test ratings by the number of training ratings of their user (say under 50, and the rest) and compare the two SGD models of the comparison on each part. Is the gain largest where you expected?")
    book.exercise("Run all five folds: `--folds 5`. How much does the RMSE vary from fold to fold, and what does that say about a 0.003 difference?")
    book.exercise("Write ten ratings of your own (`--my-ratings FILE`) and compare the folded-in and retrained lists.")
    // Two familiar movies when this catalogue has them (by title), else its next most rated: never one data set's ids on another.
    let familiar = [["Toy Story (1995)"], ["Godfather, The (1972)"]].compactMap { movieLens.movieIndex(titled: $0) }.filter { $0 != anchor }
    let examples = familiar.count == 2 ? familiar : Array(movieLens.moviesByPopularity.filter { $0 != anchor }.prefix(2))
    book.exercise("Try " + examples.map { "`--movie \(movieLens.movieIDs[$0])` (\(titles[$0]))" }.joined(separator: " or ")
                  + " for \"because you liked\".")
}
