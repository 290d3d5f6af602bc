// Lesson 7: neighbours, and what the factors mean. Item-item and user-user k-nearest neighbours on MovieLens,
// recommendations explained by the ratings that made them, the movies' biases, and a map of the movies.
//
// Run it with `swift run -c release lesson-7` (`make lesson-7` does).

import CFCore
import Exercises
import Figures
import Foundation
import LessonKit
import MovieLens
import TextOutput

let options = Options.parseOrExplain()
let yourCells = Lesson7Cells(shrunkPearson: { try shrunkPearson($0, $1, shrinkage: $2) },
                             neighbourPrediction: { try neighbourPrediction(baseline: $0, neighbours: $1, k: $2) })
let chosenCells = options.common.solutions ? Lesson7Cells.solutions : yourCells

Lesson.run(7, options: options.common, exercises: chosenCells.exercises()) { book in
    let cells = chosenCells.completed(book.writtenCells)
    let seed = book.seed
    let movieLens = try book.loadMovieLens(data: options.movieLensOptions.data)
    let scale = movieLens.scale, titles = movieLens.titles
    // What the run needs from you is checked before any work: the movie, the user, and every fold.
    let anchor = try movieLens.anchorMovie(id: options.movie)
    let userID = options.user ?? movieLens.userIDs[0]
    let user = try movieLens.user(id: userID)
    let splits = try book.splits(folds: options.folds, of: movieLens)
    let split = splits[0]
    let training = split.training, test = split.test
    let folds = splits.map { ($0.training, $0.test) }
    let foldNumbers = splits.map(\.name)
    var splitRNG = RandomState(seed: seed &+ 11)
    let (fit, validation) = try training.split(holdingOut: 0.1, rng: &splitRNG)
    book.record("dataset", movieLens.format.rawValue)
    book.record("synthetic", movieLens.isSynthetic)

    // MARK: The idea
    book.heading("Neighbours instead of factors")
    book.paragraph("""
        Lessons 3 to 6 explained every rating by hidden factors. The other family of collaborative filtering asks a
        plainer question: which movies did people rate alike? To predict how user u will rate movie i, look at the movies
        most like i that u has already rated, and see how u rated those. Like lesson 6, we keep the test ratings of
        \(split.description) for the very end and choose everything on \(validation.count) validation ratings carved from
        the \(training.count) training ratings (the rest, \(fit.count), is what the models learn from).
        """)
    let baseline = Baseline.biases(fit, ratingScale: scale)
    let baselineRMSE = Metrics.rmse(baseline, on: validation)
    book.paragraph("""
        Every prediction starts from lesson 6's baseline b_ui = μ + b_u + b_i (validation RMSE \(baselineRMSE, digits: 4)), and
        the neighbours only correct it: the prediction is b_ui plus a weighted average of how far u's ratings of the
        neighbouring movies were from their own baselines.
        """)
    book.code("r̂_ui = b_ui + Σ_j sim(i, j) (r_uj − b_uj) / Σ_j sim(i, j),   over the k movies j most similar to i that u rated")

    // MARK: Similarities
    book.heading("How alike are two movies?")
    book.paragraph("""
        Three ways to measure it, each fixing a fault of the one before. The cosine compares the two columns of ratings
        over the people who rated both; but ratings are mostly positive, so any two movies look alike, and a generous
        rater who gives everything 5 makes everything look alike. Pearson's correlation first centres each movie's
        ratings on its mean, so only above- and below-average opinions count. It still trusts a pair with two common
        raters as much as a pair with two hundred, and two people who agree by chance give a correlation of 1. So the
        third measure correlates the baseline residuals r − b_ui (which also remove each rater's generosity) and shrinks
        the result by n / (n + \(options.shrinkage, digits: 0)) for n common raters: a pair needs many raters in common to
        be called alike.
        """)
    var similarities = [Similarity: ItemSimilarities](), seconds = [Similarity: Double]()
    for kind in Similarity.allCases {
        let begin = Date()
        similarities[kind] = ItemSimilarities(fit, kind: kind, baseline: baseline, shrinkage: options.shrinkage)
        seconds[kind] = Date().timeIntervalSince(begin)
    }
    let bytes = fit.itemCount * fit.itemCount * 8
    book.paragraph("""
        Each is one sparse pass over the ratings that only visits pairs of movies with a common rater: for all
        \(fit.itemCount) movies it took \(formatSeconds(seconds[.cosine] ?? 0)) (cosine), \(formatSeconds(seconds[.pearson] ?? 0)) (Pearson)
        and \(formatSeconds(seconds[.pearsonBaseline] ?? 0)) (baseline Pearson) on \(ProcessInfo.processInfo.activeProcessorCount) cores. The result is a dense
        \(fit.itemCount) × \(fit.itemCount) table of similarities and common-rater counts, \(bytes / 1_048_576) MB; a catalogue of
        millions of items would keep only each item's best few hundred neighbours instead.
        """)
    book.record("similarity_seconds", JSONValue.object(Similarity.allCases.map { ($0.rawValue, (seconds[$0] ?? 0).json) }))
    let fitCounts = (0..<fit.itemCount).map { fit.ratings(ofItem: $0).count }
    func neighbourRows(_ kind: Similarity) -> [[String]] {
        guard let sims = similarities[kind] else { return [] }
        return sims.mostSimilar(to: anchor, count: 5).map { s in
            [kind.rawValue, titles[s.item], "\(s.similarity, digits: 3)", String(sims.common[anchor * sims.count + s.item]), String(fitCounts[s.item])]
        }
    }
    book.table(Table(header: ["similarity", "movie", "sim", "common raters", "ratings"], rows: Similarity.allCases.flatMap(neighbourRows)),
               caption: "The five movies most like \(titles[anchor]), by each measure (no minimum number of ratings)")
    // ✏️ Your `shrunkPearson` (Cells.swift), recomputing the baseline similarity of those pairs by hand.
    let residuals = { (item: Int) in fit.ratings(ofItem: item).map { (user: Int($0.user), residual: $0.value - baseline.score(user: Int($0.user), item: item)) } }
    let byHand = try (similarities[.pearsonBaseline]?.mostSimilar(to: anchor, count: 5) ?? []).map { s in
        try cells.shrunkPearson(residuals(anchor), residuals(s.item), options.shrinkage)
    }
    let largestGap = zip(byHand, similarities[.pearsonBaseline]?.mostSimilar(to: anchor, count: 5) ?? []).map { abs($0 - $1.similarity) }.max() ?? 0
    book.paragraph("""
        \(book.writtenCells.contains("shrunkPearson") ? "Your `shrunkPearson`" : "The plain-Swift `shrunkPearson` of Cells.swift (the course's version until you write it)")
        recomputes the five baseline-Pearson similarities from the two movies' residual lists and agrees with the fast
        table to \(String(format: "%.1e", largestGap)) (the table is kept in 32-bit floats).
        """)
    book.record("shrunk_pearson_check_difference", largestGap)

    // MARK: How many neighbours
    book.heading("How many neighbours?")
    let ks = options.k.values.sorted()
    book.paragraph("""
        With k too small a prediction leans on a handful of ratings; with k too large the weak neighbours dilute the
        good ones. We try k ∈ {\(ks.map(String.init).joined(separator: ", "))} with each similarity on the validation ratings, item by
        item (the neighbours of the movie) and user by user (the neighbours of the user, the same three measures
        between users).
        """)
    let fitByItem = fit.transposed, swappedBaseline = baseline.swappingUsersAndItems, validationByItem = validation.transposed
    var curves = [Series](), validationRMSE = [String: [Double]]()
    let bar = book.progress("neighbours on validation", total: 2 * Similarity.allCases.count * ks.count)
    var done = 0
    for kind in Similarity.allCases {
        guard let sims = similarities[kind] else { continue }
        let row = ks.map { k -> Double in
            defer { done += 1; bar.update(done, detail: "\(kind.rawValue), k = \(k)") }
            return NeighbourModel(ratings: fit, baseline: baseline, similarities: sims, neighbours: k, ratingScale: scale).rmse(on: validation)
        }
        validationRMSE["item-item, " + kind.rawValue] = row
        curves.append(Series("item-item, \(kind.rawValue)", x: ks.map(Double.init), y: row))
    }
    for kind in Similarity.allCases {
        let userSimilarities = ItemSimilarities(fitByItem, kind: kind, baseline: swappedBaseline, shrinkage: options.shrinkage)
        let row = ks.map { k -> Double in
            defer { done += 1; bar.update(done, detail: "user-user \(kind.rawValue), k = \(k)") }
            return NeighbourModel(ratings: fitByItem, baseline: swappedBaseline, similarities: userSimilarities,
                                  neighbours: k, ratingScale: scale).rmse(on: validationByItem)
        }
        validationRMSE["user-user, " + kind.rawValue] = row
        curves.append(Series("user-user, \(kind.rawValue)", x: ks.map(Double.init), y: row))
    }
    bar.finish()
    curves.append(Series("baseline μ + b_u + b_i", x: ks.map(Double.init), y: ks.map { _ in baselineRMSE }))
    try book.figure(.lines(name: "rmse-vs-k", title: "Validation RMSE against the number of neighbours k", xLabel: "k (neighbours)",
                           yLabel: "validation RMSE", series: curves, logX: true))
    let ranked = validationRMSE.flatMap { name, row in row.indices.map { (name: name, k: ks[$0], rmse: row[$0]) } }.sorted { $0.rmse < $1.rmse }
    let best = ranked[0]
    let bestItem = ranked.first { $0.name.hasPrefix("item-item") } ?? best
    book.table(Table(header: ["model"] + ks.map { "k = \($0)" }, rows: validationRMSE.keys.sorted().map { name in
        [name] + (validationRMSE[name] ?? []).map { "\($0, digits: 4)" }
    }), caption: "Validation RMSE (baseline alone: \(formatFixed(baselineRMSE, digits: 4)))")
    book.paragraph("""
        The best on validation is \(best.name) with k = \(best.k) (RMSE \(best.rmse, digits: 4), against \(baselineRMSE, digits: 4)
        for the baseline alone)\(best.name == bestItem.name ? "" : "; the best item-item model is \(bestItem.name) with k = \(bestItem.k) (\(formatFixed(bestItem.rmse, digits: 4)))").
        \(validationRMSE["item-item, cosine"].map { cosine in cosine.min()! > bestItem.rmse ? "The raw cosine is the weakest item-item measure here, as the argument above expects." : "Here the raw cosine is not the weakest measure, whatever the argument above expects: look at the table." } ?? "")
        """)
    book.record("validation_rmse", JSONValue.object(validationRMSE.keys.sorted().map { ($0, (validationRMSE[$0] ?? []).json) }))
    book.record("chosen", JSONValue.object([("model", best.name.json), ("k", best.k.json), ("item_item_model", bestItem.name.json), ("item_item_k", bestItem.k.json)]))

    // MARK: The test
    book.heading("Tested once")
    let itemKind = Similarity.allCases.first { bestItem.name.hasSuffix($0.rawValue) } ?? .pearsonBaseline
    let shrinkage = options.shrinkage
    func testRMSE(_ kind: Similarity, userBased: Bool, k: Int, on fold: (Ratings, Ratings)) -> Double {
        let foldBaseline = Baseline.biases(fold.0, ratingScale: scale)
        if userBased {
            let t = fold.0.transposed, b = foldBaseline.swappingUsersAndItems
            return NeighbourModel(ratings: t, baseline: b, similarities: ItemSimilarities(t, kind: kind, baseline: b, shrinkage: shrinkage),
                                  neighbours: k, ratingScale: scale).rmse(on: fold.1.transposed)
        }
        return NeighbourModel(ratings: fold.0, baseline: foldBaseline,
                              similarities: ItemSimilarities(fold.0, kind: kind, baseline: foldBaseline, shrinkage: shrinkage),
                              neighbours: k, ratingScale: scale).rmse(on: fold.1)
    }
    var rows = [[String]](), record = [(String, JSONValue)]()
    let testBar = book.progress("final test", total: (2 * Similarity.allCases.count + 1) * folds.count)
    var tested = 0
    func score(_ name: String, _ body: ((Ratings, Ratings)) -> Double) -> [Double] {
        folds.map { fold in defer { tested += 1; testBar.update(tested, detail: name) }; return body(fold) }
    }
    let baselineScores = score("baseline") { Metrics.rmse(Baseline.biases($0.0, ratingScale: scale), on: $0.1) }
    rows.append(["baseline μ + b_u + b_i", "", "\(baselineScores[0], digits: 4)", foldNumbers.count > 1 ? "\(mean(baselineScores), digits: 4)" : ""])
    record.append(("baseline", baselineScores.json))
    var itemItemScores = [Double]()
    for userBased in [false, true] {
        for kind in Similarity.allCases {
            let name = (userBased ? "user-user, " : "item-item, ") + kind.rawValue
            let k = validationRMSE[name].map { row in ks[row.indices.min { row[$0] < row[$1] } ?? 0] } ?? 40
            let scores = score(name) { testRMSE(kind, userBased: userBased, k: k, on: $0) }
            let chosenOne = !userBased && kind == itemKind
            if chosenOne { itemItemScores = scores }
            rows.append([name + (chosenOne ? " (chosen)" : ""), String(k), "\(scores[0], digits: 4)", foldNumbers.count > 1 ? "\(mean(scores), digits: 4)" : ""])
            record.append((name, JSONValue.object([("k", k.json), ("rmse_per_fold", scores.json)])))
        }
    }
    testBar.finish()
    let header = ["model", "k", split.isOfficialFold ? "test RMSE (\(split.name))" : "test RMSE"] + (foldNumbers.count > 1 ? ["mean of u1..u5"] : [])
    book.table(Table(header: header, rows: rows.map { Array($0.prefix(header.count)) }),
               caption: "Each model trained on all training ratings with the k chosen on validation")
    book.record("test", JSONValue.object(record))
    let chosenTest = itemItemScores.first ?? .nan
    if movieLens.isPublished100K && split.isOfficialFold {
        let anchorU1 = 0.9359, anchorMean = 0.9204
        book.paragraph("""
            For reference, Surprise 1.1.5's KNNBaseline (item-based, pearson_baseline, k = 40, its default shrinkage of 100)
            reaches \(anchorU1, digits: 4) on u1 and \(anchorMean, digits: 4) averaged over u1..u5, measured on this machine. The lesson's
            chosen item-item model gets \(chosenTest, digits: 4) on u1: \(chosenTest < anchorU1 ? "better by \(formatFixed(anchorU1 - chosenTest, digits: 4))" : "worse by \(formatFixed(chosenTest - anchorU1, digits: 4))")\(foldNumbers.count > 1 ? ", and \(formatFixed(mean(itemItemScores), digits: 4)) over the five folds (\(mean(itemItemScores) < anchorMean ? "better" : "worse") by \(formatFixed(abs(anchorMean - mean(itemItemScores)), digits: 4)))" : " (run `--folds 5` for the five-fold mean)").
            Lesson 6's factor models do better still (about 0.91 on u1): neighbours are simple and explainable, not the most accurate.
            """)
    }
    book.record("final_test_rmse", chosenTest)

    // MARK: Explanations
    book.heading("Why was this recommended?")
    let chosenSims = similarities[itemKind] ?? similarities[.pearsonBaseline]!
    let finalBaseline = Baseline.biases(training, ratingScale: scale)
    let finalSims = ItemSimilarities(training, kind: itemKind, baseline: finalBaseline, shrinkage: options.shrinkage)
    let explainer = NeighbourModel(ratings: training, baseline: finalBaseline, similarities: finalSims, neighbours: bestItem.k, ratingScale: scale)
    _ = chosenSims
    let minimum = training.minimumRatingsToRecommend()
    let seen = Set(training.ratings(ofUser: user).map { Int($0.item) })
    let candidates = (0..<training.itemCount).filter { !seen.contains($0) && training.ratings(ofItem: $0).count >= minimum }
    let scored = candidates.map { (item: $0, score: explainer.score(user: user, item: $0)) }
        .sorted { $0.score != $1.score ? $0.score > $1.score : $0.item < $1.item }.prefix(10)
    func rating(_ item: Int) -> String { training.value(user: user, item: item).map { "\($0, digits: movieLens.scale.lowerBound < 1 ? 1 : 0)" } ?? "?" }
    let explained = scored.map { s -> (item: Int, score: Double, parts: [NeighbourModel.Contribution]) in
        (s.item, s.score, explainer.contributions(user: user, item: s.item))
    }
    book.paragraph("""
        The item-item model explains itself: a prediction is the baseline plus shares from the user's own ratings of the
        neighbouring movies, and the shares add up exactly to the difference. For user \(userID) (\(seen.count) training ratings), the top
        10 among movies with at least \(minimum) training ratings, each with the three ratings that pushed it most:
        """)
    /// A prediction on the rating scale; the raw score (the baseline plus the shares) can lie beyond it.
    func onScale(_ x: Double) -> Double { min(max(x, scale.lowerBound), scale.upperBound) }
    book.table(Table(header: ["#", "movie", "predicted", "baseline", "because you rated"], rows: explained.enumerated().map { rank, e in
        let because = e.parts.prefix(3).map { "\(titles[$0.item]) \(rating($0.item)) (\($0.share >= 0 ? "+" : "")\(formatFixed($0.share, digits: 2)))" }
        return [String(rank + 1), titles[e.item], "\(onScale(e.score), digits: 2)",
                "\(finalBaseline.predict(user: user, item: e.item), digits: 2)", because.joined(separator: "; ")]
    }), caption: "Top 10 for user \(userID), explained (item-item, \(itemKind.rawValue), k = \(bestItem.k))")
    if let first = explained.first {
        let parts = Array(first.parts.prefix(10))
        try book.figure(.bars(name: "explanation", title: "Why \(titles[first.item]) for user \(userID): each rating's share of the prediction",
                              xLabel: "the user's rating of", yLabel: "share of the prediction (stars)",
                              labels: parts.map { "\(titles[$0.item]) (\(rating($0.item)))" }, values: parts.map(\.share)))
        // ✏️ Your `neighbourPrediction` (Cells.swift), rebuilding this prediction from its neighbours.
        let base = finalBaseline.score(user: user, item: first.item)
        let neighbours = first.parts.map { (similarity: $0.similarity, residual: $0.residual) }.sorted { $0.similarity > $1.similarity }
        let rebuilt = try cells.neighbourPrediction(base, neighbours, bestItem.k)
        book.paragraph("""
            \(titles[first.item]): baseline \(base, digits: 3), plus \(first.parts.reduce(0) { $0 + $1.share }, digits: 3) from \(first.parts.count)
            neighbours, predicts \(first.score, digits: 3). \(book.writtenCells.contains("neighbourPrediction") ? "Your `neighbourPrediction`" : "The course's `neighbourPrediction`")
            rebuilds it from the same neighbours as \(rebuilt, digits: 3).
            """)
        book.record("explanation", JSONValue.object([("movie_id", movieLens.movieIDs[first.item].json), ("baseline", base.json), ("predicted", onScale(first.score).json), ("score", first.score.json),
                                                     ("rebuilt_by_cell", rebuilt.json),
                                                     ("shares", .array(first.parts.map { .object([("movie_id", movieLens.movieIDs[$0.item].json), ("share", $0.share.json)]) }))]))
    }
    book.record("recommended", JSONValue.array(explained.map { e in
        .object([("movie_id", movieLens.movieIDs[e.item].json), ("title", titles[e.item].json), ("predicted", onScale(e.score).json), ("score", e.score.json),
                 ("ratings", training.ratings(ofItem: e.item).count.json),
                 ("because", .array(e.parts.prefix(3).map { .object([("movie_id", movieLens.movieIDs[$0.item].json), ("share", $0.share.json)]) }))])
    }))
    book.record("minimum_ratings", minimum)

    // MARK: What the factors mean
    book.heading("What the factors mean")
    let mfStart = { () -> (Matrix, Matrix) in var rng = RandomState(seed: seed); return (0.01 * rng.randn(fit.userCount, 50), 0.01 * rng.randn(fit.itemCount, 50)) }()
    let mfRun = try StochasticGradientDescent.trainWithEarlyStopping(
        fit, validation: validation,
        .init(factors: 50, learningRate: 0.005, regularization: 0.08, epochs: 150, biases: true, order: .shuffled(seed: seed),
              precision: .single, exactLoss: false, biasRegularization: 0.01),
        patience: 8, initialUserFactors: mfStart.0, initialItemFactors: mfStart.1, ratingScale: scale)
    let factors = mfRun.model
    book.paragraph("""
        Back to factors: a biased factor model as in lesson 6 (k = 50, λ = 0.08, learning rate 0.005, stopped after
        \(mfRun.bestEpoch) epochs on validation, RMSE \(mfRun.validationRMSE[mfRun.bestEpoch - 1], digits: 4)). Its numbers can be read.
        """)
    let rated = (0..<fit.itemCount).filter { fitCounts[$0] >= minimum }
    let byBias = rated.sorted { factors.itemBias[$0] < factors.itemBias[$1] }
    book.table(Table(header: ["lowest b_i", "b_i", "ratings", "highest b_i", "b_i", "ratings"], rows: (0..<min(6, byBias.count / 2)).map { i in
        let low = byBias[i], high = byBias[byBias.count - 1 - i]
        return [titles[low], "\(factors.itemBias[low], digits: 2)", String(fitCounts[low]), titles[high], "\(factors.itemBias[high], digits: 2)", String(fitCounts[high])]
    }), caption: "Movie biases of the factor model (movies with at least \(minimum) ratings)")
    book.paragraph("""
        A movie's bias is what is left after the tastes are accounted for: a low one means that even the people whose
        tastes it fits rate it below what they give other movies they should like; a high one, the reverse.
        """)
    let top50 = movieLens.moviesByPopularity.filter { $0 < fit.itemCount }.prefix(50)
    let pca = PrincipalComponents(factors.itemFactors)
    let coordinates = pca.project(factors.itemFactors, count: 2)
    func genre(_ item: Int) -> String { movieLens.genres[item].first { $0 != "unknown" } ?? "no genre listed" }
    let groups = Dictionary(grouping: Array(top50), by: genre).sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
    try book.figure(.scatter(name: "movie-map", title: "The 50 most rated movies on the first two principal components of their factors",
                             xLabel: "component 1 (\(formatFixed(100 * pca.explained[0], digits: 0))% of the variance)",
                             yLabel: "component 2 (\(formatFixed(100 * pca.explained[1], digits: 0))%)",
                             groups: groups.map { name, items in
                                 PointGroup(name, points: items.map { Point(x: coordinates[$0, 0], y: coordinates[$0, 1], label: shortTitle(titles[$0])) })
                             }))
    func ends(_ component: Int) -> (low: [String], high: [String]) {
        let sorted = top50.sorted { coordinates[$0, component] < coordinates[$1, component] }
        return (sorted.prefix(3).map { titles[$0] }, sorted.suffix(3).reversed().map { titles[$0] })
    }
    let first = ends(0), second = ends(1)
    book.paragraph("""
        The 50 factors of each movie, turned to the two directions in which the movies differ most (principal components
        of the factor vectors, by an eigen-decomposition of their \(factors.factorCount) × \(factors.factorCount) covariance; the two carry
        \(100 * (pca.explained[0] + pca.explained[1]), digits: 0)% of the variance). Nobody named these axes. Component 1 runs from
        \(first.low.joined(separator: ", ")) to \(first.high.joined(separator: ", ")); component 2 from \(second.low.joined(separator: ", "))
        to \(second.high.joined(separator: ", ")). What do the movies at each end share, and is it a genre, an era, or an audience?
        The colours (each movie's first genre) are there to help you answer; the model never saw them.
        """)
    book.record("pca_explained_variance", Array(pca.explained.prefix(2)))

    // The factor model explained: fold the user in from their ratings (lesson 6); the score is then a sum over them.
    let own = fit.ratings(ofUser: user).map { (item: Int($0.item), value: $0.value) }
    if !own.isEmpty, let folded = try? factors.foldIn(own, lambda: 0.08, weighted: true) {
        let foldedModel = factors.addingUser(factors: folded.factors, bias: folded.bias)
        let you = fit.userCount
        let top = candidates.filter { $0 < fit.itemCount }.max { foldedModel.score(user: you, item: $0) < foldedModel.score(user: you, item: $1) }
        if let top, let shares = try? factors.foldInShares(own, item: top, lambda: 0.08, weighted: true) {
            let score = foldedModel.score(user: you, item: top)
            book.paragraph("""
                The factor model can be read the same way. Fold user \(userID) in from their \(own.count) ratings (lesson 6's fold-in:
                one ridge regression with every movie fixed): the user's vector is then a linear function of those ratings, and
                so is every score. The factor model's favourite for them is \(titles[top]) (score \(score, digits: 2), of which
                μ + b_i gives \(factors.globalMean + factors.itemBias[top], digits: 2)); the ratings that pushed it most:
                """)
            book.table(Table(header: ["because you rated", "rating", "share"], rows: shares.prefix(6).map { s in
                [titles[s.item], rating(s.item), "\(s.share >= 0 ? "+" : "")\(formatFixed(s.share, digits: 3))"]
            }), caption: "Why the factor model recommends \(titles[top]) (the shares of all \(own.count) ratings add up to \(formatFixed(shares.reduce(0) { $0 + $1.share }, digits: 3)))")
            book.record("factor_explanation", JSONValue.object([
                ("movie_id", movieLens.movieIDs[top].json), ("score", score.json), ("base", (factors.globalMean + factors.itemBias[top]).json),
                ("shares", .array(shares.prefix(10).map { .object([("movie_id", movieLens.movieIDs[$0.item].json), ("share", $0.share.json)]) })),
                ("shares_total", shares.reduce(0) { $0 + $1.share }.json),
            ]))
        }
    }

    book.heading("Neighbours by factors and by ratings")
    let byFactors = factors.similarItems(to: anchor, count: 10) { fitCounts[$0] >= minimum }
    let byRatings = (similarities[.pearsonBaseline] ?? chosenSims).mostSimilar(to: anchor, count: 10) { fitCounts[$0] >= minimum }
    let shared = Set(byFactors.map(\.item)).intersection(byRatings.map(\.item))
    book.table(Table(header: ["#", "by factor cosine", "cos", "by baseline Pearson", "sim"], rows: (0..<min(byFactors.count, byRatings.count)).map { i in
        [String(i + 1), titles[byFactors[i].item] + (shared.contains(byFactors[i].item) ? " *" : ""), "\(byFactors[i].similarity, digits: 2)",
         titles[byRatings[i].item] + (shared.contains(byRatings[i].item) ? " *" : ""), "\(byRatings[i].similarity, digits: 2)"]
    }), caption: "Most like \(titles[anchor]) (movies with at least \(minimum) ratings; * in both lists)")
    book.paragraph("""
        The two lists share \(shared.count) of 10 movies. The factor cosine compares what the model learned about each movie
        from all the ratings, so it can call two movies alike that few people rated together; the Pearson similarity only
        knows the people who rated both, and shrinks pairs with few of them.
        """)
    book.record("neighbours_overlap", shared.count)

    book.heading("Exercises")
    book.cellExercises()
    book.exercise("Change the shrinkage: `--shrinkage 10` and `--shrinkage 300`. Which k wins now, and why does the raw cosine not need it?")
    book.exercise("Explain the top 10 of another user (`--user ID`). Are the reasons ones that person would recognise?")
    book.exercise("Run `--folds 5`. How far apart are the folds, and is the difference between the item-item and user-user models larger than that?")
}

