// Section 5: the user's top 10 by the chosen item-item model, each with the ratings that pushed it, and `neighbourPrediction`.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson7 {
    func whyWasThisRecommended(_ choice: NeighbourChoice) throws {
        book.heading("Why was this recommended?")
        book.paragraph(
            """
            The item-item model explains itself: a prediction is the baseline plus one share from each of the user's ratings
            of the neighbouring movies, and the shares add up exactly to the difference. A share is positive when the user
            rated that neighbour above its baseline, and pushes the prediction up; negative, and it pulls it down. For user
            \(userID) (\(seen.count) training ratings), the top 10 among movies with at least \(minimum) training ratings, with what
            the baseline gives, what the user's ratings add, and the ratings that pushed each one up and down the most:
            """)
        let itemKind = choice.bestItem.kind.similarity, k = choice.bestItem.k
        let finalBaseline = Baseline.biases(training, ratingScale: scale)
        let finalSims = ItemSimilarities(training, kind: itemKind, baseline: finalBaseline, shrinkage: options.shrinkage, ratingsPerUser: options.ratingsCap)
        let explainer = NeighbourModel(ratings: training, baseline: finalBaseline, similarities: finalSims, neighbours: k, ratingScale: scale)
        let top = explainer.recommendations(for: user, count: 10, excluding: training, minimumRatings: minimum).map(\.item)
        let explained = top.map { item in (item: item, score: explainer.score(user: user, item: item), parts: explainer.contributions(user: user, item: item)) }
        func reasons(_ parts: [NeighbourModel.Contribution], up: Bool) -> String {
            let chosen = parts.filter { up ? $0.share > 0 : $0.share < 0 }.prefix(2)
            return chosen.isEmpty
                ? "–" : chosen.map { "\(shortTitle(titles[$0.item])) \(rating($0.item))★ \(signed($0.share, digits: 2))" }.joined(separator: "; ")
        }
        let totals = explained.map { e in e.parts.reduce(0) { $0 + $1.share } }
        // ✏️ Once written, your `neighbourPrediction` (Cells.swift) makes every prediction of the list from its neighbours.
        let yours = book.writtenCells.contains("neighbourPrediction")
        let predicted = try explained.map { e in
            yours
                ? try cells.neighbourPrediction(
                    baseline: finalBaseline.score(user: user, item: e.item),
                    neighbours: e.parts.map { ($0.similarity, $0.residual) }.sorted { $0.0 > $1.0 }, k: k)
                : e.score
        }
        book.table(
            Table(
                header: ["#", "movie", "predicted", "baseline", "ratings add", "pushed up most by", "pulled down most by"],
                rows: explained.enumerated().map { rank, e in
                    [
                        String(rank + 1), titles[e.item], "\(scale.clamp(predicted[rank]), digits: 2)",
                        "\(finalBaseline.score(user: user, item: e.item), digits: 2)",
                        signed(totals[rank], digits: 2), reasons(e.parts, up: true), reasons(e.parts, up: false)
                    ]
                }),
            caption:
                "Top 10 for user \(userID), explained (item-item, \(itemKind.rawValue), k = \(k)); predicted = baseline + what the user's ratings add, on the scale"
                + (yours ? "; each prediction made by your neighbourPrediction" : ""))
        book.paragraph(Self.whoCarriesTheList(totals: totals, titles: explained.map { titles[$0.item] }))
        if let first = explained.first {
            let parts = Array(first.parts.prefix(10))
            try book.figure(
                .bars(
                    name: "explanation",
                    title:
                        "Why \(readableTitle(titles[first.item])) for user \(userID): the \(parts.count == 1 ? "rating" : "\(parts.count) ratings") that moved it most from its baseline",
                    xLabel: "the user's rated movie (their rating)", yLabel: "contribution (stars; up > 0, down < 0)",
                    labels: parts.map { "\(shortTitle(titles[$0.item], length: 30)) (\(rating($0.item)))" }, values: parts.map(\.share)))
            // ✏️ Your `neighbourPrediction` (Cells.swift), rebuilding this prediction from its neighbours.
            let base = finalBaseline.score(user: user, item: first.item)
            let neighbours = first.parts.map { (similarity: $0.similarity, residual: $0.residual) }.sorted { $0.similarity > $1.similarity }
            let rebuilt = try cells.neighbourPrediction(baseline: base, neighbours: neighbours, k: k)
            book.paragraph(
                """
                \(titles[first.item]): baseline \(base, digits: 3), plus \(first.parts.reduce(0) { $0 + $1.share }, digits: 3) from \(first.parts.count)
                neighbours, predicts \(first.score, digits: 3). \(book.writtenCells.contains("neighbourPrediction") ? "Your `neighbourPrediction`" : "The course's `neighbourPrediction`")
                rebuilds it from the same neighbours as \(rebuilt, digits: 3).
                """)
            book.record(
                "explanation",
                JSONValue.object([
                    ("movie_id", movieLens.movieIDs[first.item].json), ("baseline", base.json), ("predicted", scale.clamp(first.score).json),
                    ("score", first.score.json), ("rebuilt_by_cell", rebuilt.json), ("shares", sharesJSON(first.parts.map { ($0.item, $0.share) }))
                ]))
        }
        book.record(
            "recommended",
            JSONValue.array(
                explained.map { e in
                    .object([
                        ("movie_id", movieLens.movieIDs[e.item].json), ("title", titles[e.item].json), ("predicted", scale.clamp(e.score).json),
                        ("score", e.score.json), ("ratings", training.ratings(ofItem: e.item).count.json),
                        ("because", sharesJSON(e.parts.prefix(3).map { ($0.item, $0.share) }))
                    ])
                }))
        book.record("minimum_ratings", minimum)
    }

    /// Who carries the top 10: the user's own ratings (`totals`, what they add to each baseline) or the baseline.
    static func whoCarriesTheList(totals: [Double], titles: [String]) -> String {
        let against = totals.indices.filter { totals[$0] < 0 }
        if against.isEmpty {
            return "For every movie of the list the user's own ratings add to the baseline: the neighbours argue for it."
        }
        let names = against.map { titles[$0] }
        let list = names.count <= 3 ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
        let which = against.count == totals.count ? "every movie of the list" : "\(against.count) of the \(totals.count) movies (\(list))"
        return """
            For \(which), the user's own ratings pull the prediction below the baseline: \(against.count == 1 ? "it is" : "they are")
            recommended because the baseline is high (a well-liked movie, a generous user), although the neighbours argue
            against \(against.count == 1 ? "it" : "them").
            """
    }

    /// Each movie's share of a prediction, for results.json: the movie's MovieLens id and its share.
    func sharesJSON(_ shares: [(item: Int, share: Double)]) -> JSONValue {
        .array(shares.map { .object([("movie_id", movieLens.movieIDs[$0.item].json), ("share", $0.share.json)]) })
    }
}
