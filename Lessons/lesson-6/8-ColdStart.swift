// 8. Cold start: a user with no ratings gets the best-liked movies; one with a few is folded in, or the model retrained.

import CFCore
import Foundation
import LessonKit
import TextOutput

extension Lesson6 {
    /// The training ratings with the new user's added, as one more user (the last).
    func ratingsWithNewUser() throws -> Ratings {
        let you = training.userCount
        return try Ratings(
            userCount: training.userCount + 1, itemCount: training.itemCount,
            ratings: training.entries + newUser.ratings.map { Rating(user: you, item: $0.item, value: $0.rating) })
    }

    /// `retrained`: the chosen recipe trained on `ratingsWithNewUser()` and its seconds (the final model's section
    /// trains it beside the final model).
    func coldStart(_ final: FactorModel, _ chosen: Recipe, retrained: (model: FactorModel, seconds: Double)) throws {
        book.heading("Cold start")
        let coldBaseline = Baseline.biases(training, ratingScale: scale)
        book.paragraph(
            """
            A brand-new user has no ratings, so no p_u and no b_u: all we can offer is μ + b_i, the movies with the highest
            bias. We fit the biases again on all \(training.count) training ratings (the final model's data), whose penalty of 10 ratings' worth
            shrinks thinly rated movies toward the mean, and also require \(minimumRatings) training ratings (lesson 5's rule): a ranking of
            well-liked movies, not of obscure movies with a few 5-star reviews.
            """)
        let counts = training.itemCounts
        let popular = ranked((0..<training.itemCount).filter { counts[$0] >= minimumRatings }, by: { coldBaseline.itemBias[$0] }).prefix(10)
        book.table(
            Table(
                header: ["#", "movie", "μ + b_i", "training ratings"],
                rows: popular.enumerated().map { rank, item in
                    [String(rank + 1), titles[item], "\(scale.clamp(coldBaseline.globalMean + coldBaseline.itemBias[item]), digits: 2)", String(counts[item])]
                }), caption: "For a user with no ratings")
        let mine = newUser.ratings
        book.paragraph(
            """
            After a handful of ratings (\(mine.count) here, from \(newUser.description)), there are two ways to
            serve the user. Folding in keeps every movie's factors and bias fixed and solves one small ridge regression for
            the new user's p_u and b_u: one (k + 1) × (k + 1) system\(chosen.implicitFeedback ? "; with implicit feedback the sum |N(u)|^-½ Σ y_j over the movies just rated is known at once, and only p_u is solved for" : "").
            Retraining adds the user to the ratings and trains everything again.
            """)
        let (folded, foldSeconds) = try timed {
            try cells.foldInUser(final, ratings: mine.map { (item: $0.item, value: $0.rating) }, lambda: chosen.lambda)  // ✏️ your `foldIn`
        }
        let foldModel = final.addingUser(factors: folded.factors, bias: folded.bias)
        let you = training.userCount, withYou = try ratingsWithNewUser()
        let (retrainModel, retrainSeconds) = retrained
        let topFold = foldModel.recommendations(for: you, count: 10, excluding: withYou, minimumRatings: minimumRatings)
        let topRetrain = retrainModel.recommendations(for: you, count: 10, excluding: withYou, minimumRatings: minimumRatings)
        if topFold.isEmpty {
            book.paragraph(
                """
                Nothing is left to recommend to the new user: they have rated every movie with at least \(minimumRatings) training ratings,
                and a recommender suggests only what is not yet seen. The two models can still be compared on their predictions.
                """)
        } else {
            book.table(
                Table(
                    header: ["#", "fold-in", "predicted", "retrained", "predicted"],
                    rows: (0..<min(topFold.count, topRetrain.count)).map { i in
                        [String(i + 1), titles[topFold[i].item], topFold[i].shown, titles[topRetrain[i].item], topRetrain[i].shown]
                    }), caption: "Top 10 for the new user: folded in, and retrained (movies with at least \(minimumRatings) training ratings)")
        }
        if (topFold + topRetrain).contains(where: { $0.score > scale.upperBound }) {
            book.note(
                """
                a prediction above \(scale.upperBound, digits: 0) stars is shown as \(scale.upperBound, digits: 0) with the model's raw score in \
                parentheses; the lists are ranked by that score, so movies that both show \(scale.upperBound, digits: 0) still come in order.
                """)
        }
        let overlap = Set(topFold.map(\.item)).intersection(topRetrain.map(\.item)).count
        let differences = (0..<training.itemCount).map { foldModel.predict(user: you, item: $0) - retrainModel.predict(user: you, item: $0) }
        let differenceRMSE = (differences.reduce(0) { $0 + $1 * $1 } / Double(differences.count)).squareRoot()
        book.paragraph(
            Self.foldInAgainstRetraining(
                foldSeconds: foldSeconds, k: chosen.k, retrainSeconds: retrainSeconds,
                overlap: topFold.isEmpty ? nil : overlap, movies: training.itemCount,
                differenceRMSE: differenceRMSE))
        book.record(
            "cold_start",
            JSONValue.object([
                ("no_ratings_top_movie_ids", popular.map { movieLens.movieIDs[$0] }.json),
                ("new_user_ratings", mine.count.json), ("minimum_ratings", minimumRatings.json),
                ("fold_in_top", recommendationsJSON(topFold, movieLens: movieLens, counts: training)),
                ("retrained_top", recommendationsJSON(topRetrain, movieLens: movieLens, counts: training)),
                ("top10_overlap", overlap.json), ("prediction_difference_rmse", differenceRMSE.json),
                ("fold_in_seconds", foldSeconds.json), ("retrain_seconds", retrainSeconds.json)
            ]))
    }

    /// How the two ways compare: their times, how many movies their top-10 lists share (nil when there is nothing to
    /// recommend), and the RMSE between their predictions for the new user over all `movies`.
    static func foldInAgainstRetraining(
        foldSeconds: Double, k: Int, retrainSeconds: Double, overlap: Int?, movies: Int,
        differenceRMSE: Double
    ) -> String {
        """
        Fold-in took \(String(format: "%.2g", foldSeconds * 1000)) ms (k = \(k)), retraining \(formatSeconds(retrainSeconds)).\(overlap.map { " The two top-10 lists share \($0) movies," } ?? "")
        \(overlap == nil ? "Over" : "and over") all \(movies) movies their predictions for the new user differ by \(differenceRMSE, digits: 3) stars (RMSE). Fold-in
        is what a live service does at once; retraining, done later in batch, also lets the user's ratings nudge the movies.
        """
    }
}
