// Section 6: a biased factor model read: the movies' biases, a map of the movies, and the fold-in as an explanation.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson7 {
    func whatTheFactorsMean() throws -> FactorModel {
        book.heading("What the factors mean")
        let run = try trainFactorModel(), factors = run.model
        book.paragraph(
            """
            Back to factors: a biased factor model as in lesson 6 (k = 50, λ = 0.08, learning rate 0.005, stopped after
            \(run.bestEpoch) epochs on validation, RMSE \(run.validationRMSE[run.bestEpoch - 1], digits: 4)). Its numbers can be read.
            """)
        let rated = (0..<fit.itemCount).filter { fitCounts[$0] >= minimum }
        let byBias = rated.sorted { factors.itemBias[$0] < factors.itemBias[$1] }
        book.table(
            Table(
                header: ["lowest b_i", "b_i", "ratings", "highest b_i", "b_i", "ratings"],
                rows: (0..<min(6, byBias.count / 2)).map { i in
                    let low = byBias[i], high = byBias[byBias.count - 1 - i]
                    return [
                        titles[low], "\(factors.itemBias[low], digits: 2)", String(fitCounts[low]), titles[high], "\(factors.itemBias[high], digits: 2)",
                        String(fitCounts[high])
                    ]
                }), caption: "Movie biases of the factor model (movies with at least \(minimum) ratings)")
        book.paragraph(
            """
            A movie's bias is what is left after the tastes are accounted for: a low one means that even the people whose
            tastes it fits rate it below what they give other movies they should like; a high one, the reverse.
            """)
        try mapOfTheMovies(factors)
        explainByFoldIn(factors)
        return factors
    }

    /// Lesson 6's biased SGD model on the fit ratings (k = 50), stopped early on the validation ratings.
    func trainFactorModel() throws -> StochasticGradientDescent.EarlyStopped {
        var rng = RandomState(seed: book.seed)
        let start = (0.01 * rng.randn(fit.userCount, 50), 0.01 * rng.randn(fit.itemCount, 50))
        return try StochasticGradientDescent.trainWithEarlyStopping(
            fit, validation: validation,
            .init(
                factors: 50, learningRate: 0.005, regularization: 0.08, iterations: 150, biases: true, order: .shuffled, seed: book.seed,
                precision: .single, computesLoss: false, biasRegularization: 0.01),
            patience: 8, initialUserFactors: start.0, initialItemFactors: start.1, ratingScale: scale)
    }

    /// The 50 most rated movies on the first two principal components of their factors, coloured by genre.
    func mapOfTheMovies(_ factors: FactorModel) throws {
        let top50 = movieLens.moviesByPopularity.filter { $0 < fit.itemCount }.prefix(50)
        let pca = PrincipalComponents(factors.itemFactors)
        let coordinates = pca.project(factors.itemFactors, count: 2)
        func genre(_ item: Int) -> String { movieLens.genres[item].first { $0 != "unknown" } ?? "no genre listed" }
        let groups = Dictionary(grouping: Array(top50), by: genre)
            .sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
        try book.figure(
            .scatter(
                name: "movie-map", title: "The 50 most rated movies on the first two principal components of their factors",
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
        book.paragraph(
            """
            Here the 50 factors of each movie are turned to the two directions in which the movies differ most (principal components
            of the factor vectors, by an eigen-decomposition of their \(factors.factorCount) × \(factors.factorCount) covariance; the two carry
            \(100 * (pca.explained[0] + pca.explained[1]), digits: 0)% of the variance). Nobody named these axes. Component 1 runs from
            \(first.low.joined(separator: ", ")) to \(first.high.joined(separator: ", ")); component 2 from \(second.low.joined(separator: ", "))
            to \(second.high.joined(separator: ", ")). What do the movies at each end share, and is it a genre, an era, or an audience?
            The colours (each movie's first genre) are there to help you answer; the model never saw them.
            """)
        book.record("pca_explained_variance", Array(pca.explained.prefix(2)))
    }

    /// The factor model explained: fold the user in from their ratings (lesson 6); the score is then a sum over them.
    func explainByFoldIn(_ factors: FactorModel) {
        let own = fit.ratings(ofUser: user).map { (item: $0.item, value: $0.value) }
        guard !own.isEmpty, let folded = try? factors.foldIn(own, lambda: 0.08, weighted: true) else { return }
        let foldedModel = factors.addingUser(factors: folded.factors, bias: folded.bias)
        let you = fit.userCount
        let top = ranked(candidates.filter { $0 < fit.itemCount }, by: { foldedModel.score(user: you, item: $0) }).first
        guard let top, let shares = try? factors.foldInShares(own, item: top, lambda: 0.08, weighted: true) else { return }
        let score = foldedModel.score(user: you, item: top), total = shares.reduce(0) { $0 + $1.share }
        let base = factors.globalMean + factors.itemBias[top]
        let up = shares.filter { $0.share > 0 }.prefix(5), down = shares.filter { $0.share < 0 }.prefix(5)
        book.paragraph(
            """
            The factor model can be read the same way. Fold user \(userID) in from their \(own.count) ratings in the fit split, the
            ratings this model learned from (lesson 6's fold-in: one ridge regression with every movie fixed): the user's vector
            and bias are then linear functions of those ratings, and so is every score. The factor model's favourite for them is
            \(titles[top]), with a score of \(score, digits: 2): \(Self.factorReading(score: score, base: base, bias: factors.itemBias[top], shares: total, ratings: own.count))
            """)
        book.table(
            Table(
                header: ["pushed it up", "rating", "share", "pulled it down", "rating", "share"],
                rows: (0..<max(up.count, down.count)).map { i in
                    let a = i < up.count ? [titles[up[i].item], rating(up[i].item), signed(up[i].share, digits: 3)] : ["", "", ""]
                    let b = i < down.count ? [titles[down[i].item], rating(down[i].item), signed(down[i].share, digits: 3)] : ["", "", ""]
                    return a + b
                }),
            caption:
                "Why the factor model recommends \(titles[top]): the ratings with the largest shares each way (all \(own.count) add up to \(formatFixed(total, digits: 3)))"
        )
        book.record(
            "factor_explanation",
            JSONValue.object([
                ("movie_id", movieLens.movieIDs[top].json), ("score", score.json), ("base", base.json),
                ("shares", sharesJSON(shares.prefix(10).map { ($0.item, $0.share) })), ("shares_total", total.json)
            ]))
    }

    /// How a folded-in score splits between the movie (μ + b_i, `base`, of which `bias` is b_i) and the user's `ratings`
    /// (their shares add up to `shares`), and which of the two lifts it above the global mean: the user's part is "a
    /// little" under a quarter of the bias.
    static func factorReading(score: Double, base: Double, bias: Double, shares: Double, ratings: Int) -> String {
        let split =
            "μ + b_i, what any user starts from for this movie, gives \(formatFixed(base, digits: 2)) (the movie's bias b_i is \(signed(bias, digits: 2))), and the user's \(ratings) ratings add \(signed(shares, digits: 2))."
        if shares < 0 {
            return split + " The user's ratings argue against it: the model recommends it on the movie's bias alone, which almost everyone's ratings lifted."
        }
        if bias > 0 && shares < 0.25 * bias {
            return split + " Most of what lifts it above the global mean is the movie's bias; the user's ratings add a little to it."
        }
        if shares > bias {
            return split + " The user's ratings lift it more than the movie's bias does: the recommendation is theirs."
        }
        return split + " The user's ratings add a good part of the lift above the global mean, beside the movie's bias."
    }
}
