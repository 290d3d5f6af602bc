// Section 5: the user's top 10 by the chosen item-item model, each with the ratings that pushed it, and `neighbourPrediction`.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson7 {
    func whyWasThisRecommended(_ choice: NeighbourChoice) throws {
        book.heading("Why was this recommended?")
        book.paragraph("""
            The item-item model explains itself: a prediction is the baseline plus shares from the user's own ratings of the
            neighbouring movies, and the shares add up exactly to the difference. For user \(userID) (\(seen.count) training ratings), the top
            10 among movies with at least \(minimum) training ratings, each with the three ratings that pushed it most:
            """)
        let itemKind = choice.bestItem.kind.similarity, k = choice.bestItem.k
        let finalBaseline = Baseline.biases(training, ratingScale: scale)
        let finalSims = ItemSimilarities(training, kind: itemKind, baseline: finalBaseline, shrinkage: options.shrinkage)
        let explainer = NeighbourModel(ratings: training, baseline: finalBaseline, similarities: finalSims, neighbours: k, ratingScale: scale)
        let top = ranked(candidates, by: { explainer.score(user: user, item: $0) }).prefix(10)
        let explained = top.map { item in (item: item, score: explainer.score(user: user, item: item), parts: explainer.contributions(user: user, item: item)) }
        book.table(Table(header: ["#", "movie", "predicted", "baseline", "because you rated"], rows: explained.enumerated().map { rank, e in
            let because = e.parts.prefix(3).map { "\(titles[$0.item]) \(rating($0.item)) (\(signed($0.share, digits: 2)))" }
            return [String(rank + 1), titles[e.item], "\(scale.clamp(e.score), digits: 2)",
                    "\(finalBaseline.predict(user: user, item: e.item), digits: 2)", because.joined(separator: "; ")]
        }), caption: "Top 10 for user \(userID), explained (item-item, \(itemKind.rawValue), k = \(k))")
        if let first = explained.first {
            let parts = Array(first.parts.prefix(10))
            try book.figure(.bars(name: "explanation", title: "Why \(titles[first.item]) for user \(userID): each rating's share of the prediction",
                                  xLabel: "the user's rating of", yLabel: "share of the prediction (stars)",
                                  labels: parts.map { "\(titles[$0.item]) (\(rating($0.item)))" }, values: parts.map(\.share)))
            // ✏️ Your `neighbourPrediction` (Cells.swift), rebuilding this prediction from its neighbours.
            let base = finalBaseline.score(user: user, item: first.item)
            let neighbours = first.parts.map { (similarity: $0.similarity, residual: $0.residual) }.sorted { $0.similarity > $1.similarity }
            let rebuilt = try cells.neighbourPrediction(baseline: base, neighbours: neighbours, k: k)
            book.paragraph("""
                \(titles[first.item]): baseline \(base, digits: 3), plus \(first.parts.reduce(0) { $0 + $1.share }, digits: 3) from \(first.parts.count)
                neighbours, predicts \(first.score, digits: 3). \(book.writtenCells.contains("neighbourPrediction") ? "Your `neighbourPrediction`" : "The course's `neighbourPrediction`")
                rebuilds it from the same neighbours as \(rebuilt, digits: 3).
                """)
            book.record("explanation", JSONValue.object([
                ("movie_id", movieLens.movieIDs[first.item].json), ("baseline", base.json), ("predicted", scale.clamp(first.score).json),
                ("score", first.score.json), ("rebuilt_by_cell", rebuilt.json), ("shares", sharesJSON(first.parts.map { ($0.item, $0.share) })),
            ]))
        }
        book.record("recommended", JSONValue.array(explained.map { e in
            .object([("movie_id", movieLens.movieIDs[e.item].json), ("title", titles[e.item].json), ("predicted", scale.clamp(e.score).json),
                     ("score", e.score.json), ("ratings", training.ratings(ofItem: e.item).count.json),
                     ("because", sharesJSON(e.parts.prefix(3).map { ($0.item, $0.share) }))])
        }))
        book.record("minimum_ratings", minimum)
    }

    /// Each movie's share of a prediction, for results.json: the movie's MovieLens id and its share.
    func sharesJSON(_ shares: [(item: Int, share: Double)]) -> JSONValue {
        .array(shares.map { .object([("movie_id", movieLens.movieIDs[$0.item].json), ("share", $0.share.json)]) })
    }
}
