// 9. Rate a few movies yourself: your ratings join the training ratings, and a warm-started model recommends to you.

import CFCore
import LessonKit
import TextOutput

extension Lesson5 {
    mutating func rateAFewMoviesYourself(_ gd: Trained, _ normalization: Normalization) throws {
        book.heading("Rate a few movies yourself")
        let mine = newUser.ratings, ownFile = options.newUserOptions.myRatings != nil
        book.paragraph("The new user here is \(newUser.description)\(ownFile ? "" : "; pass your own with --my-ratings FILE").")
        // At most 20 rows: a file that rates hundreds of movies is summarized, not printed whole.
        let shownRatings = mine.prefix(20)
        book.table(
            Table(
                header: ["movie", "rating"],
                rows: shownRatings.map {
                    [movieLens.titles[$0.item], "\($0.rating, digits: movieLens.step < 1 ? 1 : 0)"]
                }),
            caption: (ownFile ? "Your ratings" : "The new user's ratings")
                + (mine.count > shownRatings.count ? " (the first \(shownRatings.count) of \(mine.count))" : ""))
        let you = training.userCount
        let withYou = try Ratings(
            userCount: training.userCount + 1, itemCount: training.itemCount,
            ratings: training.entries + mine.map { Rating(user: you, item: $0.item, value: $0.rating) })
        let youMeans = withYou.itemMeans(prior: Ratings.meanPrior)
        // Warm start: the trained factors, plus a small random θ for you; a few dozen iterations settle it.
        let warmIterations = min(options.iterations, 50)
        let yourTheta = 0.01 * rng.randn(1, k)
        let bar = book.progress("retraining with you", total: warmIterations)
        let retrained = try descend(
            withYou.subtracting(itemOffsets: youMeans), features: gd.model.itemFactors,
            preferences: Matrix(rows: withYou.userCount, columns: k, elements: gd.model.userFactors.elements + yourTheta.elements),
            alpha: alpha, lambda: lambda, iterations: warmIterations, cells: cells
        ) { iteration, _ in
            bar.update(iteration)
        }
        bar.finish()
        let model = FactorModel(userFactors: retrained.preferences, itemFactors: retrained.features, itemBias: youMeans, ratingScale: scale)
        book.paragraph(
            """
            Your ratings join the training ratings as one more user, and the model is retrained, starting from the factors it
            has already learned (\(warmIterations) more iterations): the movies barely move, your θ finds its place among them.
            """)
        let yours = showTop(model, for: you, excluding: withYou, means: normalization.plainMeans, caption: "Top 10 for you")
        book.record("new_user_recommended", yours)
    }
}
