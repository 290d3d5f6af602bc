// Section 8: sampled metrics (each held-out movie among 100 random ones) against the full ranking, on leave-last-out.

import CFCore
import LessonKit
import TextOutput

extension Lesson9 {
    /// Shown only when leave-last-out ran, with the sampled protocol measured for every model.
    func whyRankTheWholeCatalogue() {
        guard let row = results[.last], row.values.allSatisfy({ $0.sampledHitRate != nil }) else { return }
        book.heading("Why the course ranks the whole catalogue")
        book.paragraph(
            """
            Many papers do not rank the whole catalogue: they rank each held-out movie among 100 randomly drawn movies the user
            never watched, and report hit rate and NDCG on that list of 101. It is cheaper, and it can change which model
            wins (Krichene and Rendle, 2020). Random negatives are mostly obscure movies, which every sensible model already ranks
            low, so the sampled metrics mostly measure whether a model can tell a real choice from an obscure movie.
            """)
        let full = { (e: RankingEvaluation) in e.ndcg }, sampled = { (e: RankingEvaluation) in e.sampledNDCG ?? 0 }
        let fullHit = { (e: RankingEvaluation) in e.hitRate }, sampledHit = { (e: RankingEvaluation) in e.sampledHitRate ?? 0 }
        let byFull = Self.order(row, full)
        func places(_ model: Model, _ first: @escaping (RankingEvaluation) -> Double, _ second: @escaping (RankingEvaluation) -> Double) -> String {
            "\(Self.place(model, row, first)) → \(Self.place(model, row, second))"
        }
        book.table(
            Table(
                header: ["model", "full HR@\(top)", "sampled HR@\(top)", "place by HR", "full NDCG@\(top)", "sampled NDCG@\(top)", "place by NDCG"],
                rows: byFull.compactMap { model in
                    guard let e = row[model] else { return nil }
                    return [
                        model.name, "\(e.hitRate, digits: 4)", "\(e.sampledHitRate ?? 0, digits: 4)", places(model, fullHit, sampledHit),
                        "\(e.ndcg, digits: 4)", "\(e.sampledNDCG ?? 0, digits: 4)", places(model, full, sampled)
                    ]
                }),
            caption:
                "Leave last out: the same models and held-out movies, ranked over the whole catalogue or among 100 sampled negatives (place: full → sampled; models with equal values share a place)"
        )
        // A pair trades places only when both orders are beyond the noise, user by user.
        let moved = Self.swappedPairs(row, { $0.ndcgPerUser }, { $0.sampledNDCGPerUser })
        let movedHit = Self.swappedPairs(row, { $0.hitPerUser }, { $0.sampledHitPerUser })
        let inflation = (row[.popularity]?.sampledHitRate ?? 0) / max(row[.popularity]?.hitRate ?? 0, 1e-9)
        let placesMove = row.keys.contains { model in
            Self.place(model, row, full) != Self.place(model, row, sampled) || Self.place(model, row, fullHit) != Self.place(model, row, sampledHit)
        }
        book.paragraph(
            Self.whetherSamplingSwaps(
                byNDCG: moved, byHitRate: movedHit, placesMove: placesMove, inflation: inflation,
                catalogue: positives.itemCount))
        book.record("sampled_order_changes", JSONValue.object([("ndcg", moved.json), ("hit_rate", movedHit.json)]))
    }

    /// The models by `metric`, best first, ties in the order of `Model.allCases` (a missing model scores 0).
    static func order(_ row: [Model: RankingEvaluation], _ metric: (RankingEvaluation) -> Double) -> [Model] {
        let models = Model.allCases
        return ranked(models.indices, by: { row[models[$0]].map(metric) ?? 0 }).map { models[$0] }
    }

    /// A model's place by `metric`: one more than the number of models strictly ahead of it, so tied models share a place.
    static func place(_ model: Model, _ row: [Model: RankingEvaluation], _ metric: (RankingEvaluation) -> Double) -> Int {
        guard let own = row[model].map(metric) else { return 0 }
        return 1 + row.values.filter { metric($0) > own }.count
    }

    /// The pairs of models ("a and b") that the two metrics order in opposite ways, each order beyond the noise (a
    /// paired comparison over the users of each metric's per-user values); a tie either way is not a change.
    static func swappedPairs(
        _ row: [Model: RankingEvaluation], _ full: (RankingEvaluation) -> [Double],
        _ sampled: (RankingEvaluation) -> [Double]
    ) -> [String] {
        var pairs = [String]()
        for (i, a) in Model.allCases.enumerated() {
            for b in Model.allCases[(i + 1)...] {
                guard let x = row[a], let y = row[b], x.users == y.users else { continue }
                let before = Comparison.paired(full(x), full(y)).verdict, after = Comparison.paired(sampled(x), sampled(y)).verdict
                if before != .tie && after != .tie && before != after { pairs.append("\(a.name) and \(b.name)") }
            }
        }
        return pairs
    }

    /// Whether sampling swaps any pairs, by NDCG and by hit rate (or, with no pair swapped, whether it only splits or
    /// forms ties: `placesMove`), and how much it inflates popularity's hit rate.
    static func whetherSamplingSwaps(
        byNDCG moved: [String], byHitRate movedHit: [String], placesMove: Bool = false, inflation: Double,
        catalogue: Int
    ) -> String {
        func trade(_ metric: String, _ pairs: [String]) -> String? {
            pairs.isEmpty ? nil : "by \(metric), \(pairs.count == 1 ? "" : "these pairs: ")\(pairs.joined(separator: ", ")) trade places"
        }
        let changes = [trade("NDCG", moved), trade("hit rate", movedHit)].compactMap { $0 }
        return """
            \(!changes.isEmpty ? "The order changes: \(changes.joined(separator: "; "))."
                : placesMove ? "No two models trade places by more than the noise (user by user); the place columns move only between models within the noise of each other. Krichene and Rendle show data where whole orders flip."
                : "Here the sampled metrics put the models in the same order as the full ranking, by NDCG and by hit rate, but Krichene and Rendle show data where they do not.")
            The sampled numbers are also far larger (popularity's hit rate is \(inflation, digits: 1) times its full-ranking value), and
            they cannot be compared with anybody else's, because they depend on how the negatives were drawn. The full ranking
            costs one sort of \(catalogue) scores per user; the course pays it.
            """
    }
}
