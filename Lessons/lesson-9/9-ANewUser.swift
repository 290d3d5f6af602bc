// Section 9: a new user's handful of interactions folded into weighted ALS, against the popularity list.

import CFCore
import LessonKit
import TextOutput

extension Lesson9 {
    func aNewUser() throws {
        book.heading("A new user from a handful of interactions")
        let watched = newUser.ratings.filter { r in threshold.map { r.rating >= $0 } ?? true }.map(\.item)
        guard !watched.isEmpty else {
            book.paragraph(
                """
                \(newUser.description.prefix(1).uppercased() + newUser.description.dropFirst()) hold\(options.newUserOptions.myRatings == nil ? "s" : "") no rating of
                \(formatFixed(threshold ?? 0, digits: 0)) or more, so with `--positive-only` this user has no interaction to fold in: a new user with
                nothing to go on gets the popularity list.
                """)
            return
        }
        guard let model = walsModels[main.holdOut] else { return }
        let x = try ImplicitAlternatingLeastSquares.foldIn(
            watched.map { ($0, 1.0) }, itemFactors: model.itemFactors,
            .init(factors: k, regularization: 0.1, alpha: mainChoice.alpha))
        let minimum = main.data.training.minimumRatingsToRecommend()
        let counts = main.data.training.itemCounts
        let candidates = (0..<positives.itemCount).filter { !watched.contains($0) && counts[$0] >= minimum }
        let byModel = ranked(candidates, by: { dot(x, model.itemFactors.row($0)) }).prefix(top)
        let byPopularity = ranked(candidates, by: { counts[$0] }).prefix(top)
        let titles = movieLens.titles
        book.paragraph(
            """
            A person who just arrived has a handful of interactions and no factors. Folding them in is one k × k solve with every
            movie's factors fixed: the same system as a row of weighted ALS, (YᵀY + Yᵀ(C − I)Y + λI) x = Yᵀ C p. Take \(newUser.description),
            who watched \(Self.naming(watched.map { titles[$0] }))\(threshold == nil ? " (implicit feedback does not know which of them they liked)" : "").
            """)
        let ids = { (items: ArraySlice<Int>) in items.map { movieLens.movieIDs[$0] } }
        guard !candidates.isEmpty else {
            book.paragraph(
                """
                Nothing is left to recommend: this person has already watched every movie with at least \(minimum) training
                interactions, and a recommender suggests only what is not yet seen.
                """)
            book.record("new_user", JSONValue.object([("watched", ids(watched[...]).json), ("recommended", [Int]().json), ("popular", [Int]().json)]))
            return
        }
        book.table(
            Table(
                header: ["#", "weighted ALS, folded in", "watched by", "popularity", "watched by"],
                rows: zip(byModel, byPopularity).enumerated().map { i, pair in
                    [String(i + 1), titles[pair.0], String(counts[pair.0]), titles[pair.1], String(counts[pair.1])]
                }), caption: "Top \(top) for the new user (movies with at least \(minimum) training interactions)")
        let shared = Set(byModel).intersection(byPopularity).count
        book.paragraph("The two lists share \(shared) of \(byModel.count) movies. " + Self.howPersonal(shared: shared, of: byModel.count))
        book.record(
            "new_user",
            JSONValue.object([
                ("watched", ids(watched[...]).json), ("recommended", ids(byModel).json),
                ("popular", ids(byPopularity).json), ("shared", shared.json)
            ]))
    }

    /// The titles of the movies a person watched: all of them when they are few, else the first five and a count (a
    /// person who watched hundreds of movies is not read a list of them).
    static func naming(_ titles: [String]) -> String {
        titles.count <= 8 ? titles.joined(separator: ", ") : titles.prefix(5).joined(separator: ", ") + " and \(titles.count - 5) other movies"
    }

    /// Whether the folded-in list is nearly the popularity list (`shared` of its `count` movies in both).
    static func howPersonal(shared: Int, of count: Int) -> String {
        10 * shared >= 7 * count  // 70% of the list, not rounded down (0 of 1 is not "nearly the same")
            ? "They are nearly the same: for this person, a handful of interactions moves the list only a little away from what is popular."
            : "The others come from this person's factors, which the fold-in computed from the movies they watched; the popularity list is the same for everybody who has not seen those movies."
    }
}
