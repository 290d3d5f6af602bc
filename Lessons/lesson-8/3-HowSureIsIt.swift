// Section 3: the chosen Bayesian model on all training ratings: the user's top 10 with the spread of the samples.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson8 {
    func howSureIsIt(_ bayesian: BayesianChoice) throws -> FinalModels {
        book.heading("How sure is it?")
        book.paragraph(
            """
            The chosen Bayesian model, trained on all the training ratings, is a set of samples, and each sample predicts its
            own rating for every movie. Their mean is the prediction; their spread says how sure the model is. Here is user
            \(userID)'s top 10, each with the middle 90% of the samples.
            """)
        let finals = try trainTheFinalModels(bayesian)
        var full = finals.full
        full.ratingScale = scale
        let minimum = training.minimumRatingsToRecommend()
        let top = full.recommendations(for: user, count: 10, excluding: training, minimumRatings: minimum)
        /// The middle 90% of the samples' predictions, before the scale cuts them (the widths are measured on these).
        func interval(_ item: Int) -> (low: Double, high: Double) {
            let values = full.samples.map { full.globalMean + dot($0.users.row(user), $0.items.row(item)) }.sorted()
            guard !values.isEmpty else { return (0, 0) }
            return (values[Int(0.05 * Double(values.count - 1))], values[Int(0.95 * Double(values.count - 1))])
        }
        let intervals = top.map { interval($0.item) }
        try book.figure(
            .intervals(
                name: "top10-intervals", title: "User \(userID)'s top 10: the predicted rating and the middle 90% of the samples",
                xLabel: "movie (the user's top 10, best first)", yLabel: "rating",
                labels: top.map { shortTitle(titles[$0.item], length: 34) }, values: top.map(\.predictedRating),
                low: intervals.map(\.low), high: intervals.map(\.high), bounds: scale))
        func shown(_ i: (low: Double, high: Double)) -> String {
            "\(formatFixed(scale.clamp(i.low), digits: 2)) to \(formatFixed(scale.clamp(i.high), digits: 2))"
                + (i.high > scale.upperBound || i.low < scale.lowerBound ? " (cut)" : "")
        }
        book.table(
            Table(
                header: ["#", "movie", "predicted", "90% of the samples", "ratings"],
                rows: top.enumerated().map { rank, t in
                    [
                        String(rank + 1), titles[t.item], "\(t.predictedRating, digits: 2)", shown(intervals[rank]),
                        String(training.ratings(ofItem: t.item).count)
                    ]
                }),
            caption:
                "Top 10 for user \(userID) (movies with at least \(minimum) training ratings), with the spread of the samples; (cut): the interval runs past the end of the scale"
        )
        let widths = intervals.map { $0.high - $0.low }
        let widest = widths.indicesRanked().first ?? 0, narrowest = widths.indicesRanked(descending: false).first ?? 0
        book.paragraph(
            """
            This is what the other models cannot give: how much the prediction would move under other plausible factors.
            Here the surest is \(titles[top[narrowest].item]) (its samples span \(widths[narrowest], digits: 2) stars) and the least sure
            \(titles[top[widest].item]) (\(widths[widest], digits: 2)): a recommender could show the second with less conviction,
            or ask about it. (The interval is the model's uncertainty about this user and movie, not the noise of a rating.)
            \(Self.onTheCut(intervals.filter { $0.high > scale.upperBound }.count, of: intervals.count, top: scale.upperBound))
            """)
        book.record(
            "top10",
            JSONValue.array(
                top.enumerated().map { rank, t in
                    .object([
                        ("movie_id", movieLens.movieIDs[t.item].json), ("predicted", t.predictedRating.json), ("score", t.score.json),
                        ("low", scale.clamp(intervals[rank].low).json), ("high", scale.clamp(intervals[rank].high).json),
                        ("low_uncut", intervals[rank].low.json), ("high_uncut", intervals[rank].high.json),
                        ("ratings", training.ratings(ofItem: t.item).count.json)
                    ])
                }))
        if let first = top.first { try oneGibbsStep(full, movie: first.item, alpha: bayesian.noise.alpha) }
        return finals
    }

    /// The chosen Bayesian model on all training ratings, and the blend's inputs on the first fold's fit ratings and
    /// on all its training ratings (the Bayesian models on the fit ratings are the validation runs above, the chosen
    /// one on all the training ratings may have run ahead, and the fixed models trained in the background since the
    /// start): the Bayesian trainings left run side by side on both cores.
    func trainTheFinalModels(_ bayesian: BayesianChoice) throws -> FinalModels {
        let kinds = bayesian.blended
        let ahead = try bayesian.ahead?.value
        // On the fit ratings, the Bayesian models are the validation runs, known by their predictions for the
        // validation ratings (all the blend asks of them there).
        let onFit = Dictionary(
            uniqueKeysWithValues: kinds.map { ($0, Component($0, predictions: bayesian.run($0).predictions, for: validation, scale: scale)) })
        let onTraining = ahead.map { [bayesian.chosen: Component(bayesian.chosen, $0, scale: scale)] } ?? [:]
        let given = [onFit, onTraining]
        let bar = book.progress("training the final models", total: blendTrainings(2, kinds: kinds, given: given).count)
        let (inputs, models) = try trainBlendInputs(
            [fit, training], kinds: kinds, configuration: bayesian.configuration, given: given, background: fixedModels, scale: scale,
            seed: book.seed
        ) { finished in bar.update(finished) }
        bar.finish()
        return FinalModels(full: ahead ?? models[1][bayesian.chosen]!, fit: inputs[0], training: inputs[1])
    }

    /// ✏️ One Gibbs step by hand (exercise 8.1, your `userConditional` once written): the Gaussian of this user's factors
    /// given the movies' factors of the last sample, with the mean and precision of every user's factors in it as the
    /// prior (none if they are too few to have one), and the prediction for `movie` under it.
    func oneGibbsStep(_ full: BayesianMatrixFactorization.Result, movie: Int, alpha: Double) throws {
        guard let last = full.samples.last, let prior = try? BayesianMatrixFactorization.momentPrior(last.users) else { return }
        let k = last.users.columns, rated = Array(training.ratings(ofUser: user))
        let movies = Matrix(rows: rated.count, columns: k) { r, c in last.items[Int(rated[r].item), c] }
        let gaussian = try cells.userConditional(
            movies: movies, residuals: rated.map { $0.value - full.globalMean }, alpha: alpha, mu: prior.mu,
            lambda: prior.lambda)
        let v = last.items.row(movie)
        var variance = 0.0
        for a in 0..<k { for b in 0..<k { variance += v[a] * gaussian.covariance[a, b] * v[b] } }
        // Shown on the rating scale, as every prediction is.
        let rawMean = full.globalMean + dot(gaussian.mean, v)
        let conditionalMean = scale.clamp(rawMean), conditionalSD = max(variance, 0).squareRoot()
        // A mean past the end of the scale is shown clipped, with the value the spread is around.
        let cut = rawMean == conditionalMean ? "" : " (\(formatFixed(rawMean, digits: 2)) before the scale cuts it)"
        let samplesSD = full.spread(user: user, item: movie)
        book.paragraph(
            """
            Where does a sample's draw come from? Fix the movies' factors of the last sample, take as prior the mean and
            precision of all users' factors in it, and the factors of user \(userID) have a Gaussian distribution whose
            mean and covariance `userConditional` computes from the \(rated.count) movies they rated. (This step by hand simplifies
            the sampler's: the sampler draws the prior's mean and precision from their Normal-Wishart posterior rather than
            taking the sample's moments, and with implicit feedback it adds the y terms to the user's vector.) Under it the prediction
            for \(titles[movie]) is \(conditionalMean, digits: 2)\(cut) ± \(conditionalSD, digits: 2) (one standard deviation,
            √(vᵀ Σ v)); across the samples it is ± \(samplesSD, digits: 2)\(Self.onTheSpread(samples: samplesSD, oneStep: conditionalSD)).
            Drawing from that Gaussian is what a Gibbs sweep does for every user in turn.
            """)
        book.record(
            "user_conditional",
            JSONValue.object([
                ("movie_id", movieLens.movieIDs[movie].json), ("mean", conditionalMean.json),
                ("sd", conditionalSD.json), ("samples_sd", samplesSD.json)
            ]))
    }

    /// How many of the intervals run past the top of the scale, and that the widths are measured before the cut.
    static func onTheCut(_ cut: Int, of count: Int, top: Double) -> String {
        guard cut > 0 else { return "" }
        let which = cut == count ? "Every one of the \(count) intervals runs" : "\(cut) of the \(count) intervals run"
        return
            "\(which) past the top of the scale: some samples predict more than \(formatFixed(top, digits: 0)) stars, shown as \(formatFixed(top, digits: 2)); the spans above are measured before that cut."
    }

    /// Why the samples spread wider than one Gibbs step, when they do.
    static func onTheSpread(samples: Double, oneStep: Double) -> String {
        samples > oneStep ? ": wider, because the samples also move the movies' factors and the prior, which this one step holds fixed" : ""
    }
}

/// What the last two sections use: the chosen Bayesian model trained on all training ratings, and the blend's inputs
/// on the first fold's fit ratings and on all its training ratings.
struct FinalModels {
    let full: BayesianMatrixFactorization.Result
    let fit: BlendInputs, training: BlendInputs
}
