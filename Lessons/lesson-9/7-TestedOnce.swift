// Section 7: every model trained with its chosen settings and tested once, on each protocol's test interactions.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson9 {
    mutating func testedOnce() throws {
        book.heading("Tested once")
        try testEveryModel()
        try showTestResults()
        let rows = splits.map { results[$0.holdOut] ?? [:] }
        let verdicts = zip(splits, rows).map { Self.whoBeatsPopularity(on: $0.holdOut.name, top: top, $1) }
        book.paragraph(verdicts.joined(separator: " ") + Self.whatTheDataAllows(results: rows, synthetic: movieLens.isSynthetic))
        try readTheLists()
    }

    /// Each protocol's table and interval figure, best NDCG first, and every number in results.json.
    func showTestResults() throws {
        for split in splits {
            guard let row = results[split.holdOut] else { continue }
            let order = ranked(Model.allCases.indices, by: { row[Model.allCases[$0]]?.ndcg ?? 0 }).map { Model.allCases[$0] }
            book.table(Table(header: ["model", "NDCG@\(top)", "± (95%)", "precision@\(top)", "recall@\(top)", "MAP@\(top)", "hit rate@\(top)", "AUC",
                                      "coverage", "top-10% share", "mean pop. rank"],
                             rows: order.compactMap { model in
                guard let e = row[model] else { return nil }
                return [model.name, "\(e.ndcg, digits: 4)", "\(e.ndcgInterval, digits: 4)", "\(e.precision, digits: 4)", "\(e.recall, digits: 4)",
                        "\(e.map, digits: 4)", "\(e.hitRate, digits: 3)", "\(e.auc, digits: 3)", "\(100 * e.coverage, digits: 1)%",
                        "\(100 * e.popularShare, digits: 0)%", "\(e.meanPopularityRank, digits: 0)"]
            }), caption: "\(split.holdOut.name): \(split.data.test.count) held-out interactions of \(row[.random]?.users.count ?? 0) users, ranked over the whole catalogue, best NDCG@\(top) first")
            let ndcg = order.map { row[$0]?.ndcg ?? 0 }, interval = order.map { row[$0]?.ndcgInterval ?? 0 }
            try book.figure(.intervals(name: "ndcg-\(split.holdOut.key)", title: "NDCG@\(top) per model, \(split.holdOut.name) (mean over users, 95% interval)",
                                       yLabel: "NDCG@\(top)", labels: order.map(\.name), values: ndcg,
                                       low: zip(ndcg, interval).map { $0 - $1 }, high: zip(ndcg, interval).map { $0 + $1 }))
        }
        book.record("test", JSONValue.object(splits.map { split in
            (split.holdOut.key, JSONValue.object(Model.allCases.compactMap { model in
                results[split.holdOut]?[model].map { (model.name, Self.testJSON($0)) }
            }))
        }))
    }

    /// On one protocol, which model ranks best and whether weighted ALS and BPR beat popularity by more than the 95%
    /// interval of their NDCG, by less, or not at all.
    static func whoBeatsPopularity(on protocolName: String, top: Int, _ row: [Model: RankingEvaluation]) -> String {
        let ndcg = { (model: Model) in row[model]?.ndcg ?? 0 }
        let best = Model.allCases.max { ndcg($0) < ndcg($1) } ?? .popularity
        let popularity = formatFixed(ndcg(.popularity), digits: 4)
        let beating = Model.trained.filter { model in
            guard let x = row[model], let y = row[.popularity] else { return false }
            return x.ndcg - x.ndcgInterval > y.ndcg
        }
        let below = Model.trained.filter { ndcg($0) <= ndcg(.popularity) }
        let close = Model.trained.filter { !beating.contains($0) && !below.contains($0) }
        func verb(_ models: [Model], _ one: String, _ many: String) -> String {
            "\(models.map(\.name).joined(separator: " and ")) \(models.count == 1 ? one : many)"
        }
        let parts = [beating.isEmpty ? nil : verb(beating, "beats", "beat") + " popularity (\(popularity)) by more than the 95% interval",
                     close.isEmpty ? nil : verb(close, "beats", "beat") + " popularity, but by less than the interval",
                     below.isEmpty ? nil : verb(below, "does", "do") + " not beat popularity\(best == .popularity ? "" : " (\(popularity))") at all"]
        return "On \(protocolName), \(best.name) ranks best (NDCG@\(top) \(formatFixed(ndcg(best), digits: 4))); \(parts.compactMap { $0 }.joined(separator: "; "))."
    }

    /// Why popularity wins on synthetic data (when it wins everywhere), and what the intervals mean.
    static func whatTheDataAllows(results: [[Model: RankingEvaluation]], synthetic: Bool) -> String {
        let popularityWins = results.allSatisfy { row in Model.trained.allSatisfy { (row[$0]?.ndcg ?? 0) <= (row[.popularity]?.ndcg ?? 0) } }
        return (popularityWins && synthetic ? """
             That is what this data allows: the synthetic generator picks which movies a person rates by popularity alone,
            and only the stars depend on taste, so there is nothing in who-watched-what for a model to learn beyond popularity.
            """ : "") + """
             The intervals are 1.96 standard errors of the mean over users: one user's NDCG varies a lot from the next
            user's, and a difference smaller than the intervals is not a finding.
            """
    }

    /// The lists of the random protocol read: where the rating model ranks and why, how far each model's lists lean on
    /// popular movies, and the precision–recall and long-tail figures.
    func readTheLists() throws {
        guard let row = results[main.holdOut] else { return }
        let minimum = minimums[main.holdOut] ?? 20
        if let rating = row[.ratingModel], let filtered = row[.ratingModelFiltered], let popularity = row[.popularity],
           let best = Model.trained.compactMap({ row[$0] }).max(by: { $0.ndcg < $1.ndcg }) {
            let counts = main.data.training.itemCounts
            let rare = rating.lists.filter { list in list.prefix(top).contains { counts[$0] < minimum } }.count
            book.paragraph(Self.whereTheRatingModelRanks(rating, filtered: filtered, popularity: popularity, best: best,
                                                         rareLists: rare, minimum: minimum, top: top))
        }
        if let popularity = row[.popularity], let wals = row[.weightedALS], let itemItem = row[.itemItem] {
            book.paragraph(Self.popularityLean(popularity: popularity, wals: wals, itemItem: itemItem))
        }
        try book.figure(.lines(name: "precision-recall", title: "Precision against recall as the list grows from 1 to 50 (\(main.holdOut.name))",
                               xLabel: "recall@n", yLabel: "precision@n",
                               series: Model.allCases.compactMap { model in row[model].map { Series(model.name, x: $0.recallCurve, y: $0.precisionCurve) } }))
        // The long tail: for each model, the share of its top-k slots filled by the n most watched movies, for every n.
        let tail = LongTail(counts: main.data.training.itemCounts)
        try book.figure(.lines(name: "long-tail", title: "Where the recommendations come from in the long tail (\(main.holdOut.name))",
                               xLabel: "n: the n most watched movies (log scale)", yLabel: "share of top-\(top) slots filled by them",
                               series: Model.allCases.filter { $0 != .ratingModelFiltered }.compactMap { model in
            row[model].map { Series(model.name, x: (1...tail.counts.count).map(Double.init), y: tail.slotShares(of: $0.lists, k: top)) }
        }, logX: true))
    }

    /// Where the rating model ranks against popularity and the better trained model, and whether hiding rarely watched
    /// movies (`rareLists` of its lists hold one with fewer than `minimum` interactions) lifts it.
    static func whereTheRatingModelRanks(_ rating: RankingEvaluation, filtered: RankingEvaluation, popularity: RankingEvaluation,
                                         best: RankingEvaluation, rareLists: Int, minimum: Int, top: Int) -> String {
        """
        The rating model ranks \(rating.ndcg < popularity.ndcg ? "below popularity" : rating.ndcg == popularity.ndcg ? "level with popularity" : "above popularity") (NDCG@\(top) \(rating.ndcg, digits: 4) on the random
        protocol, against \(best.ndcg, digits: 4) for the better of weighted ALS and BPR). It was trained to predict how many stars a person gives
        a movie they chose to watch, and nothing in its objective says which movies a person will choose: a movie few
        people watched but those few loved gets a high predicted rating. \(rareLists) of the \(rating.lists.count) users' lists hold a
        movie with fewer than \(minimum) training interactions, and the mean popularity rank of its recommendations is
        \(rating.meanPopularityRank, digits: 0), against \(best.meanPopularityRank, digits: 0) for that model and \(popularity.meanPopularityRank, digits: 0)
        for popularity (the long-tail figure shows how late its curve rises). Hiding those movies, as lessons 5 to 8 do,
        \(filtered.ndcg > rating.ndcg ? "lifts it to \(formatFixed(filtered.ndcg, digits: 4))" : "does not lift it (\(formatFixed(filtered.ndcg, digits: 4)))"), \(Self.whereFilteredLands(filtered.ndcg, was: rating.ndcg, popularity: popularity.ndcg)):
        knowing how much someone will like a movie is not knowing what they will watch. Microsoft's recommenders
        benchmark reports the same gap on MovieLens 100K (NDCG@10 ≈ 0.10 for rating-trained SVD against ≈ 0.44 for BPR,
        under its own protocol).
        """
    }

    /// Where the filtered rating model's NDCG lands against popularity's, said against where the unfiltered one was:
    /// "still" only when it did not cross.
    static func whereFilteredLands(_ filtered: Double, was rating: Double, popularity: Double) -> String {
        if filtered == popularity { return "level with popularity" }
        let below = filtered < popularity
        if below == (rating < popularity) && rating != popularity { return below ? "still below popularity" : "still above popularity" }
        return below ? "which puts it below popularity" : "which puts it above popularity"
    }

    /// How much of the catalogue the lists show, and how much weighted ALS leans on the most watched tenth.
    static func popularityLean(popularity: RankingEvaluation, wals: RankingEvaluation, itemItem: RankingEvaluation) -> String {
        """
        Coverage tells the other half. Popularity shows \(100 * popularity.coverage, digits: 1)% of the catalogue to somebody; weighted ALS
        \(100 * wals.coverage, digits: 1)%, item-item \(100 * itemItem.coverage, digits: 1)%. \(100 * wals.popularShare, digits: 0)% of weighted ALS's
        recommendations are among the most watched tenth of the movies (popularity: \(100 * popularity.popularShare, digits: 0)%)\(wals.popularShare > 0.5
            ? ": the implicit models are accurate partly because they lean on what is popular, and the metrics reward them for it."
            : ", so its lists reach well beyond the most watched movies.")
        """
    }
}
