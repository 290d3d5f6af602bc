// Lesson 8: the last hundredth. Bayesian matrix factorization, which averages over its own uncertainty, and a blend
// of every model of the course fitted on held-out predictions.
//
// Run it with `swift run -c release lesson-8` (`make lesson-8` does).

import CFCore
import Exercises
import Figures
import Foundation
import LessonKit
import MovieLens
import TextOutput

let options = Options.parseOrExplain()
let yourCells = Lesson8Cells(userConditional: { try userConditional(movies: $0, residuals: $1, alpha: $2, mu: $3, lambda: $4) },
                             ridgeBlend: { try ridgeBlend($0, $1, lambda: $2) })
let chosenCells = options.common.solutions ? Lesson8Cells.solutions : yourCells

Lesson.run(8, options: options.common, exercises: chosenCells.exercises()) { book in
    let cells = chosenCells.completed(book.writtenCells)
    let seed = book.seed
    let movieLens = try book.loadMovieLens(data: options.movieLensOptions.data)
    let scale = movieLens.scale, titles = movieLens.titles
    let userID = options.user ?? movieLens.userIDs[0]
    let user = try movieLens.user(id: userID)
    let folds = try book.splits(folds: options.folds, of: movieLens)
    let training = folds[0].training
    let officialU1 = folds[0].isOfficialFold
    book.record("dataset", movieLens.format.rawValue)
    book.record("synthetic", movieLens.isSynthetic)

    // MARK: Bayesian MF
    book.heading("Averaging over what the model does not know")
    var splitRNG = RandomState(seed: seed &+ 11)
    let (fit, validation) = try training.split(holdingOut: 0.1, rng: &splitRNG)
    book.paragraph("""
        Every model so far picked one set of factors: the best under its objective. Bayesian matrix factorization
        (Salakhutdinov and Mnih, 2008) keeps many. It treats the factors, and the mean and precision of their prior, as
        unknowns with a distribution given the ratings, and draws from that distribution by Gibbs sampling: given the
        movies' factors, each user's factors have a Gaussian distribution whose precision is lesson 3's k × k system plus the
        prior's, so a draw is one ALS solve plus noise; then the same for the movies; then new prior hyperparameters from
        their Normal-Wishart posterior. A prediction is the average of u_i · v_j over the samples after a burn-in. There
        is no learning rate and no λ to tune: the prior's strength is itself drawn from the data. What it costs is time:
        every sample is a full sweep.
        """)
    book.paragraph("""
        One number is left: α, the precision of a rating's noise (one over its variance around the prediction), which says
        how far to trust each rating against the prior. The paper fixes α = 2. We try \(options.alphas.values.map { formatFixed($0, digits: 2) }.joined(separator: ", ")),
        and α drawn at every sweep from its own posterior given the residuals, and keep the best on the validation ratings.
        """)
    let (factors, sampleCount, burnIn) = (options.k, options.samples, options.burnIn)
    func configuration(alpha: Double, drawn: Bool) -> BayesianMatrixFactorization.Configuration {
        BayesianMatrixFactorization.Configuration(factors: factors, samples: sampleCount, burnIn: burnIn, alpha: alpha, seed: seed, samplesNoise: drawn)
    }
    let trials = options.alphas.values.map { (label: "α = \(formatFixed($0, digits: 2))", configuration: configuration(alpha: $0, drawn: false)) }
        + [(label: "α drawn", configuration: configuration(alpha: 2, drawn: true))]
    let bar = book.progress("Gibbs sampling (k = \(options.k)), one run per α", total: options.samples * trials.count)
    var runs = [TracedRun]()
    for (index, trial) in trials.enumerated() {
        runs.append(try tracedRun(.plain, fit: fit, validation: validation, trial.configuration, scale: scale) { sample, latest in
            bar.update(index * options.samples + sample, detail: "\(trial.label): validation RMSE \(formatFixed(latest, digits: 4))")
        })
    }
    bar.finish()
    let chosenTrial = runs.indices.min { runs[$0].rmse < runs[$1].rmse } ?? 0
    let bpmf = trials[chosenTrial].configuration, bpmfRun = runs[chosenTrial]
    let drawnRun = runs[runs.count - 1]
    book.table(Table(header: ["noise precision", "validation RMSE", "seconds"], rows: trials.indices.map { i in
        [trials[i].label + (i == runs.count - 1 ? " (ends at \(formatFixed(drawnRun.lastAlpha, digits: 2)))" : ""), "\(runs[i].rmse, digits: 4)",
         "\(runs[i].seconds, digits: 1)"] }),
               caption: "BPMF with k = \(options.k) and \(options.samples) samples (\(options.burnIn) burned in), on the validation ratings")
    let bestFixed = runs.dropLast().indices.min { runs[$0].rmse < runs[$1].rmse } ?? 0
    let drawnSentence: String
    if chosenTrial == runs.count - 1 {
        drawnSentence = "Drawn, it ends at \(formatFixed(drawnRun.lastAlpha, digits: 2))."
    } else if drawnRun.lastAlpha > options.alphas.values[bestFixed] {
        drawnSentence = """
            Drawn, α ends at \(formatFixed(drawnRun.lastAlpha, digits: 2)), above the best fixed value, and predicts worse (\(formatFixed(drawnRun.rmse, digits: 4))): \
            the residuals it is drawn from are the training ratings', which the factors fit better than ratings they have not \
            seen, so the model ends up trusting every rating too much.
            """
    } else {
        drawnSentence = "Drawn, α ends at \(formatFixed(drawnRun.lastAlpha, digits: 2)) and predicts worse (\(formatFixed(drawnRun.rmse, digits: 4)))."
    }
    book.paragraph("""
        The best is \(trials[chosenTrial].label) (\(bpmfRun.rmse, digits: 4)). \(drawnSentence) Everything below uses \(trials[chosenTrial].label).
        """)
    let shown = (1...options.samples).filter { $0 > options.burnIn }
    try book.figure(.lines(name: "bpmf-trace", title: "Validation RMSE per Gibbs sample (k = \(options.k), \(trials[chosenTrial].label))", xLabel: "sample",
                           yLabel: "validation RMSE",
                           series: [Series("one sample alone", x: (1...options.samples).map(Double.init), y: bpmfRun.single),
                                    Series("average of the samples after burn-in", x: shown.map(Double.init), y: shown.map { bpmfRun.average[$0 - 1] })]))
    let finalAverage = bpmfRun.rmse, lastSingle = bpmfRun.single.last ?? .nan
    let bestSingle = bpmfRun.single.min() ?? .nan
    let kept = options.samples - options.burnIn
    book.paragraph("""
        \(options.samples) samples took \(formatSeconds(bpmfRun.seconds)) (\(1000 * bpmfRun.seconds / Double(options.samples), digits: 0) ms each
        at k = \(options.k) on \(ProcessInfo.processInfo.activeProcessorCount) cores). One sample alone predicts the validation ratings with
        RMSE \(lastSingle, digits: 4) at the end (the best single sample: \(bestSingle, digits: 4)); the average of the \(kept) samples after
        the burn-in of \(options.burnIn) reaches \(finalAverage, digits: 4)\(finalAverage < bestSingle ? ", better than any one of them: each sample is a plausible model that is wrong in its own way, and the errors cancel" : "").
        """)
    book.record("bpmf", JSONValue.object([("k", options.k.json), ("samples", options.samples.json), ("burn_in", options.burnIn.json),
                                          ("alpha", (chosenTrial == runs.count - 1 ? JSONValue.string("drawn") : bpmf.alpha.json)),
                                          ("alpha_validation_rmse", JSONValue.object(zip(trials, runs).map { ($0.label, $1.rmse.json) })),
                                          ("drawn_alpha_last", drawnRun.lastAlpha.json),
                                          ("seconds_per_sample", (bpmfRun.seconds / Double(options.samples)).json),
                                          ("validation_rmse_single", bpmfRun.single.json),
                                          ("validation_rmse_average", bpmfRun.average.map { $0.isNaN ? 0 : $0 }.json),
                                          ("validation_rmse", finalAverage.json)]))

    // SVD++'s implicit-feedback term, on the users' side and then on both sides; the best on validation is kept.
    book.paragraph("""
        Lesson 6's SVD++ also reads which movies a person rated, whatever the stars. The same term fits the
        Bayesian model: a user's factors become u + |N(u)|^-½ Σ y_j over the movies j they rated, and the y's get a prior
        and a Gibbs step of their own (each y_j given everything else is Gaussian too; the y's are drawn one movie at a
        time, because each changes the sums of its raters). The term works the other way round as well: a movie is also
        described by who rated it, v + |R(j)|^-½ Σ z_u over its raters R(j), with a z per user drawn in the same way
        (Rendle's "flipped" SVD++). A movie few people rated has little to pin down its v, but who those people are
        already says something.
        """)
    let implicitBar = book.progress("Gibbs sampling with implicit feedback", total: 2 * options.samples)
    var implicitRuns = [BayesianKind: TracedRun]()
    for (index, kind) in [BayesianKind.users, .bothSides].enumerated() {
        implicitRuns[kind] = try tracedRun(kind, fit: fit, validation: validation, bpmf, scale: scale) { sample, latest in
            implicitBar.update(index * options.samples + sample, detail: "\(kind.name): \(formatFixed(latest, digits: 4))")
        }
    }
    implicitBar.finish()
    let bayesianRuns: [BayesianKind: TracedRun] = implicitRuns.merging([.plain: bpmfRun]) { a, _ in a }
    let chosenKind = BayesianKind.allCases.min { bayesianRuns[$0]!.rmse < bayesianRuns[$1]!.rmse } ?? .plain
    book.table(Table(header: ["model", "validation RMSE", "ms a sample"], rows: BayesianKind.allCases.map { kind in
        [kind.name, "\(bayesianRuns[kind]!.rmse, digits: 4)", "\(1000 * bayesianRuns[kind]!.seconds / Double(options.samples), digits: 0)"]
    }), caption: "The Bayesian models on the validation ratings (k = \(options.k), \(trials[chosenTrial].label))")
    let usersGain = bpmfRun.rmse - implicitRuns[.users]!.rmse, bothGain = implicitRuns[.users]!.rmse - implicitRuns[.bothSides]!.rmse
    let usersSentence = usersGain > 0 ? "The users' term gains \(formatFixed(usersGain, digits: 4)) over BPMF"
        : "The users' term does not help here (\(formatFixed(-usersGain, digits: 4)) worse than BPMF)"
    let bothSentence = bothGain > 0 ? "adding the movies' term gains \(formatFixed(bothGain, digits: 4)) more"
        : "adding the movies' term does not help (\(formatFixed(-bothGain, digits: 4)) worse than the users' term alone)"
    book.paragraph("""
        \(usersSentence), and \(bothSentence); a sweep with both terms takes \(formatFixed(implicitRuns[.bothSides]!.seconds / max(bpmfRun.seconds, 1e-9), digits: 1)) times as long as BPMF's. \(chosenKind == .plain
            ? "The rest of the lesson uses plain BPMF: the terms do not pay here."
            : "The intervals below come from \(chosenKind.name), the best on validation, and the blend gets it as well as BPMF.")
        """)
    book.record("bayesian_implicit", JSONValue.object([
        ("validation_rmse", implicitRuns[.users]!.rmse.json), ("both_sides_validation_rmse", implicitRuns[.bothSides]!.rmse.json),
        ("chosen", chosenKind.name.json),
        ("seconds_per_sample", (implicitRuns[.users]!.seconds / Double(options.samples)).json),
        ("both_sides_seconds_per_sample", (implicitRuns[.bothSides]!.seconds / Double(options.samples)).json)]))

    // MARK: Uncertainty
    book.heading("How sure is it?")
    let full = try chosenKind.train(training, bpmf)
    let minimum = training.minimumRatingsToRecommend()
    let seen = Set(training.ratings(ofUser: user).map { Int($0.item) })
    var scored = [(item: Int, score: Double)]()
    for item in 0..<training.itemCount where !seen.contains(item) && training.ratings(ofItem: item).count >= minimum {
        scored.append((item, full.predict(user: user, item: item)))
    }
    scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.item < $1.item }
    let top = Array(scored.prefix(10))
    /// A prediction on the rating scale (the raw score can lie beyond it); results.json keeps both, as every lesson does.
    func clip(_ x: Double) -> Double { min(max(x, scale.lowerBound), scale.upperBound) }
    func interval(_ item: Int) -> (low: Double, high: Double) {
        let values = full.samples.map { full.globalMean + dot($0.users.row(user), $0.items.row(item)) }.sorted()
        guard !values.isEmpty else { return (0, 0) }
        // Shown on the rating scale, as the predictions are.
        return (clip(values[Int(0.05 * Double(values.count - 1))]), clip(values[Int(0.95 * Double(values.count - 1))]))
    }
    let intervals = top.map { interval($0.item) }
    try book.figure(.intervals(name: "top10-intervals", title: "User \(userID)'s top 10: the predicted rating and the middle 90% of the samples",
                               yLabel: "rating", labels: top.map { shortTitle(titles[$0.item]) },
                               values: top.map { clip($0.score) },
                               low: intervals.map(\.low), high: intervals.map(\.high)))
    book.table(Table(header: ["#", "movie", "predicted", "90% of the samples", "ratings"], rows: top.enumerated().map { rank, t in
        [String(rank + 1), titles[t.item], "\(clip(t.score), digits: 2)",
         "\(intervals[rank].low, digits: 2) to \(intervals[rank].high, digits: 2)", String(training.ratings(ofItem: t.item).count)]
    }), caption: "Top 10 for user \(userID) (movies with at least \(minimum) training ratings), with the spread of the samples")
    let widths = intervals.map { $0.high - $0.low }
    let widest = widths.indices.max { widths[$0] < widths[$1] } ?? 0, narrowest = widths.indices.min { widths[$0] < widths[$1] } ?? 0
    book.paragraph("""
        This is what the other models cannot give: how much the prediction would move under other plausible factors.
        Here the surest is \(titles[top[narrowest].item]) (\(widths[narrowest], digits: 2) stars wide) and the least sure
        \(titles[top[widest].item]) (\(widths[widest], digits: 2)): a recommender could show the second with less conviction,
        or ask about it. (The interval is the model's uncertainty about this user and movie, not the noise of a rating.)
        """)
    book.record("top10", JSONValue.array(top.enumerated().map { rank, t in
        .object([("movie_id", movieLens.movieIDs[t.item].json), ("predicted", clip(t.score).json), ("score", t.score.json), ("low", intervals[rank].low.json),
                 ("high", intervals[rank].high.json), ("ratings", training.ratings(ofItem: t.item).count.json)])
    }))

    // ✏️ One Gibbs step by hand (exercise 8.1, your `userConditional` once written): the Gaussian of this user's factors.
    // The prior: the mean and precision of every user's factors in the last sample (none if they are too few to have one).
    if let last = full.samples.last, let first = top.first, let prior = try? BayesianMatrixFactorization.momentPrior(last.users) {
        let k = last.users.columns, rated = Array(training.ratings(ofUser: user))
        let movies = Matrix(rows: rated.count, columns: k) { r, c in last.items[Int(rated[r].item), c] }
        let usedAlpha = chosenTrial == runs.count - 1 ? drawnRun.lastAlpha : bpmf.alpha
        let gaussian = try cells.userConditional(movies, rated.map { $0.value - full.globalMean }, usedAlpha, prior.mu, prior.lambda)
        let v = last.items.row(first.item)
        var variance = 0.0
        for a in 0..<k { for b in 0..<k { variance += v[a] * gaussian.covariance[a, b] * v[b] } }
        // Shown on the rating scale, as every prediction is.
        let conditionalMean = min(max(full.globalMean + dot(gaussian.mean, v), scale.lowerBound), scale.upperBound), conditionalSD = max(variance, 0).squareRoot()
        let samplesSD = full.spread(user: user, item: first.item)
        book.paragraph("""
            Where does a sample's draw come from? Fix the movies' factors of the last sample, take as prior the mean and
            precision of all users' factors in it, and the factors of user \(userID) have a Gaussian distribution whose
            mean and covariance `userConditional` computes from the \(rated.count) movies they rated. Under it the prediction
            for \(titles[first.item]) is \(conditionalMean, digits: 2) ± \(conditionalSD, digits: 2) (one standard deviation,
            √(vᵀ Σ v)); across the samples it is ± \(samplesSD, digits: 2)\(samplesSD > conditionalSD
                ? ": wider, because the samples also move the movies' factors and the prior, which this one step holds fixed"
                : ""). Drawing from that Gaussian is what a Gibbs sweep does for every user in turn.
            """)
        book.record("user_conditional", JSONValue.object([("movie_id", movieLens.movieIDs[first.item].json), ("mean", conditionalMean.json),
                                                          ("sd", conditionalSD.json), ("samples_sd", samplesSD.json)]))
    }

    // MARK: Blending
    book.heading("A blend of every model")
    book.paragraph("""
        The Netflix Prize was won by blends: many different models, combined by weights fitted on ratings none of them was
        trained on. We train each model of the course on the \(fit.count) fit ratings with settings fixed in advance (lesson
        6's and lesson 7's choices), let each predict the \(validation.count) validation ratings, and fit a ridge regression of
        the true ratings on those predictions, plus three simple features: log(1 + the user's number of ratings),
        log(1 + the movie's), and lesson 9's watch score (weighted ALS fitted to who rated what, not to the stars: how
        likely the user was to watch the movie at all, which none of the rating models is asked). λ is chosen by 5-fold cross-validation within the validation ratings. Then every model is
        trained again on all \(training.count) training ratings and the blend is applied, once, to the test ratings.
        """)
    let names = ["baseline μ + b_u + b_i", "item-item kNN (lesson 7)", "biased SGD MF (lesson 6)", "SVD++ (lesson 6)", "biased ALS (cf-bench)",
                 BayesianKind.plain.name] + (chosenKind != .plain ? [chosenKind.name] : []) + ["log(1 + user's ratings)", "log(1 + movie's ratings)", "watch score (lesson 9)"]
    let lambdas = [0.0001, 0.001, 0.01, 0.1, 1]
    var foldRows = [[Double]](), blends = [Blend](), firstErrors = [(user: Int, item: Int, error: Double)]()
    let blendBar = book.progress("blending, fold by fold", total: 2 * folds.count)
    for (index, fold) in folds.enumerated() {
        var foldRNG = RandomState(seed: seed &+ 11)
        let (foldFit, foldValidation) = index == 0 ? (fit, validation) : try fold.training.split(holdingOut: 0.1, rng: &foldRNG)
        // The Bayesian models: BPMF, and the chosen one when it is not BPMF. On the first fold the runs above are these.
        let bayesianKinds = chosenKind == .plain ? [BayesianKind.plain] : [.plain, chosenKind]
        let firstBayesian = try bayesianKinds.map { kind in index == 0 ? bayesianRuns[kind]!.result : try kind.train(foldFit, bpmf) }
        let first = try trainComponents(foldFit, scale: scale, seed: seed, bayesian: zip(bayesianKinds.map(\.name), firstBayesian).map { ($0, $1) })
        blendBar.update(2 * index + 1, detail: folds.count > 1 ? "\(fold.name): fitted on validation" : "fitted on validation")
        let firstWatch = try watchModel(foldFit, seed: seed)
        let x = foldValidation.entries.map { blendRow(first, user: Int($0.user), item: Int($0.item), counts: foldFit, watch: firstWatch) }
        // ✏️ Every blend is fitted with your `ridgeBlend` (Cells.swift), once written.
        let (blend, _) = try Blend.crossValidated(names: names, x, foldValidation.entries.map(\.value), lambdas: lambdas, folds: 5, seed: seed,
                                                  fitting: cells.ridgeBlend)
        blends.append(blend)
        let finalBayesian = try bayesianKinds.map { kind in index == 0 && kind == chosenKind ? full : try kind.train(fold.training, bpmf) }
        let final = try trainComponents(fold.training, scale: scale, seed: seed, bayesian: zip(bayesianKinds.map(\.name), finalBayesian).map { ($0, $1) })
        let finalWatch = try watchModel(fold.training, seed: seed)
        blendBar.update(2 * index + 2, detail: folds.count > 1 ? "\(fold.name): tested" : "tested")
        let truth = fold.test.entries.map(\.value)
        var row = final.map { component in Metrics.rmse(fold.test) { component.predict($0, $1) } }
        let blended = fold.test.entries.map { min(max(blend.predict(blendRow(final, user: Int($0.user), item: Int($0.item), counts: fold.training, watch: finalWatch)),
                                                      scale.lowerBound), scale.upperBound) }
        row.append(Metrics.rmse(blended, truth))
        foldRows.append(row)
        if index == 0 { firstErrors = zip(fold.test.entries, blended).map { (Int($0.user), Int($0.item), $1 - $0.value) } }
    }
    blendBar.finish()
    let blend = blends[0]
    try book.figure(.bars(name: "blend-weights", title: "The blend's weights (fitted on \(officialU1 ? "u1's validation ratings" : "the validation ratings"), λ = \(formatFixed(blend.lambda, digits: 4)))",
                          yLabel: "weight", labels: names, values: blend.weights))
    let componentCount = names.count - 3   // the models; then the three features
    let rowNames = Array(names.prefix(componentCount)) + ["blend"]
    book.table(Table(header: ["model", officialU1 ? "test RMSE (u1)" : "test RMSE"] + (folds.count > 1 ? ["mean of u1..u5"] : []),
                     rows: rowNames.indices.map { i in
                         [rowNames[i], "\(foldRows[0][i], digits: 4)"] + (folds.count > 1 ? ["\(mean(foldRows.map { $0[i] }), digits: 4)"] : [])
                     }), caption: "Each model, and the blend of them all, on the test ratings")
    let singles = foldRows[0].prefix(componentCount), blendRMSE = foldRows[0][componentCount]
    let bestSingleIndex = singles.indices.min { singles[$0] < singles[$1] } ?? 0
    let heavy = blend.weights.prefix(componentCount).indices.max { abs(blend.weights[$0]) < abs(blend.weights[$1]) } ?? 0
    book.paragraph("""
        The best single model on the test ratings is \(rowNames[bestSingleIndex]) (\(singles[bestSingleIndex], digits: 4)); the blend reaches
        \(blendRMSE, digits: 4)\(blendRMSE < singles[bestSingleIndex] ? ", \(formatFixed(singles[bestSingleIndex] - blendRMSE, digits: 4)) better" : ", no better: here the models make the same mistakes")\(folds.count > 1 ? ", and \(formatFixed(mean(foldRows.map { $0[componentCount] }), digits: 4)) averaged over the five folds" : ""). The
        largest weight in magnitude goes to \(names[heavy]) (\(blend.weights[heavy], digits: 2)). A weight is not a verdict on a model's accuracy:
        a weaker model earns weight when it is wrong in a different way from the others, because then it corrects them,
        and two good models that err alike share a weight or cancel (one can even get a negative one).
        """)
    book.record("blend", JSONValue.object([("weights", JSONValue.object(zip(names, blend.weights).map { ($0, $1.json) })),
                                           ("intercept", blend.intercept.json), ("lambda", blend.lambda.json)]))
    book.record("test_rmse", JSONValue.object(rowNames.indices.map { i in (rowNames[i], foldRows.map { $0[i] }.json) }))
    book.record("final_test_rmse", blendRMSE)
    book.record("best_single_test_rmse", singles[bestSingleIndex])

    // Where the remaining error is: the blend's test RMSE by how many training ratings the user and the movie have.
    func bucket(_ n: Int) -> Int { n < 20 ? 0 : n < 50 ? 1 : n < 150 ? 2 : 3 }
    let bucketNames = ["under 20", "20 to 49", "50 to 149", "150 or more"]
    func byCount(_ count: (Int, Int) -> Int) -> [[String]] {
        var sums = [Double](repeating: 0, count: 4), counts = [Int](repeating: 0, count: 4)
        for e in firstErrors { let b = bucket(count(e.user, e.item)); sums[b] += e.error * e.error; counts[b] += 1 }
        return (0..<4).map { b in [bucketNames[b], String(counts[b]), counts[b] > 0 ? "\((sums[b] / Double(counts[b])).squareRoot(), digits: 4)" : ""] }
    }
    let users = byCount { u, _ in training.ratings(ofUser: u).count }, movies = byCount { _, i in training.ratings(ofItem: i).count }
    book.table(Table(header: ["training ratings", "test ratings (users)", "blend RMSE", "test ratings (movies)", "blend RMSE "],
                     rows: (0..<4).map { users[$0] + Array(movies[$0].dropFirst()) }),
               caption: "Where the blend's remaining error is: by the user's and by the movie's number of training ratings")
    let rare = Double(movies[0][2]), popular = Double(movies[3][2])
    if let rare, let popular {
        book.paragraph(rare > popular
            ? "The error is largest where the evidence is thinnest: ratings of movies with under 20 training ratings have RMSE \(rare, digits: 4) against \(popular, digits: 4) for movies with 150 or more. No blend of these models can know much more about a movie that only a handful of people rated."
            : "Here the rarely rated movies (under 20 training ratings, RMSE \(rare, digits: 4)) are not predicted worse than the most rated (\(popular, digits: 4)).")
    }
    book.record("error_by_count", JSONValue.object([("users", users.map { $0.joined(separator: " | ") }.json), ("movies", movies.map { $0.joined(separator: " | ") }.json)]))

    book.heading("Exercises")
    book.cellExercises()
    book.exercise("Run more samples (`--samples 600 --burn-in 100`) and a larger k (`--k 50`). How much do the average and the time change?")
    book.exercise("Drop a model from the blend (edit `trainComponents` in Lessons/lesson-8/Blend.swift). Which one costs the blend most, and is it the most accurate one?")
    book.exercise("Run all five folds: `--folds 5`. Is the blend's gain over the best single model larger than the folds' spread?")
}

