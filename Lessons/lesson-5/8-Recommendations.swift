// 8. Recommendations for a MovieLens user: their favourites, and the batch GD model's top 10 of what they have not rated.

import CFCore
import LessonKit
import TextOutput

extension Lesson5 {
    func recommendations(_ gd: Trained, _ normalization: Normalization) {
        book.heading("Recommendations for user \(options.user)")
        let theirs = training.ratings(ofUser: user)
        let favourites = ranked(theirs.indices, by: { theirs[$0].value }).prefix(5).map { theirs[$0] }
        book.paragraph(
            "User \(options.user) rated \(theirs.count) movies in the training ratings; their favourites include "
                + favourites.map { "\(movieLens.titles[$0.item]) (\($0.value, digits: 0))" }.joined(separator: ", ") + ".")
        let recommended = showTop(
            gd.model, for: user, excluding: training, means: normalization.plainMeans,
            caption: "Top 10 for user \(options.user) (batch GD model)")
        book.paragraph(
            """
            Movies the user already rated are left out, and so are movies with fewer than \(minimumRatings) training ratings:
            even shrunk, a mean from a handful of ratings is shaky, and so are the factors learned from them. (The bar is 20
            ratings, lowered only on a catalogue where fewer than a tenth of the movies reach 20, to what its most rated tenth
            has.) A predicted rating is clipped to the scale; when the model's raw score lies beyond it, the score follows in
            parentheses, and the list is ranked by it. Lesson 6 refines the shrinking with biases for users and movies.
            """)
        book.record("minimum_ratings", minimumRatings)
        book.record("recommended_user", options.user)
        book.record("recommended", recommended)
    }

    /// Shows the model's top 10 for `user` among the movies not in `rated` with at least `minimumRatings` ratings there,
    /// with each movie's plain mean rating (`means`), and returns the list for results.json.
    func showTop(_ model: FactorModel, for user: Int, excluding rated: Ratings, means: [Double], caption: String) -> JSONValue {
        let top = model.recommendations(for: user, count: 10, excluding: rated, minimumRatings: minimumRatings)
        guard !top.isEmpty else {
            book.paragraph(
                """
                \(caption): nothing is left to recommend. Every movie with at least \(minimumRatings) training ratings has been
                rated already, and a recommender only suggests what is not yet seen.
                """)
            return .array([])
        }
        book.table(
            Table(
                header: ["#", "movie", "predicted", "mean rating", "training ratings"],
                rows: top.enumerated().map { rank, r in
                    [String(rank + 1), movieLens.titles[r.item], r.shown, "\(means[r.item], digits: 2)", String(rated.ratings(ofItem: r.item).count)]
                }), caption: caption)
        return recommendationsJSON(top, movieLens: movieLens, counts: rated)
    }
}
