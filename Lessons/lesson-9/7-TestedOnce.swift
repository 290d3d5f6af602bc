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
            book.table(
                Table(
                    header: [
                        "model", "NDCG@\(top)", "± (95%)", "precision@\(top)", "recall@\(top)", "MAP@\(top)", "hit rate@\(top)", "AUC",
                        "coverage", "top-10% share", "mean pop. rank"
                    ],
                    rows: order.compactMap { model in
                        guard let e = row[model] else { return nil }
                        return [
                            model.name, "\(e.ndcg, digits: 4)", "\(e.ndcgInterval, digits: 4)", "\(e.precision, digits: 4)", "\(e.recall, digits: 4)",
                            "\(e.map, digits: 4)", "\(e.hitRate, digits: 3)", "\(e.auc, digits: 3)", "\(100 * e.coverage, digits: 1)%",
                            "\(100 * e.popularShare, digits: 0)%", "\(e.meanPopularityRank, digits: 0)"
                        ]
                    }),
                caption:
                    "\(split.holdOut.name): \(split.data.test.count) held-out interactions of \(row[.random]?.users.count ?? 0) users, ranked over the whole catalogue, best NDCG@\(top) first"
            )
            let ndcg = order.map { row[$0]?.ndcg ?? 0 }, interval = order.map { row[$0]?.ndcgInterval ?? 0 }
            try book.figure(
                .intervals(
                    name: "ndcg-\(split.holdOut.key)", title: "NDCG@\(top) per model, \(split.holdOut.name) (mean over users, 95% interval)",
                    xLabel: "model", yLabel: "NDCG@\(top)", labels: order.map(\.name), values: ndcg,
                    low: zip(ndcg, interval).map { $0 - $1 }, high: zip(ndcg, interval).map { $0 + $1 }, bounds: 0...1))
        }
        book.record(
            "test",
            JSONValue.object(
                splits.map { split in
                    (
                        split.holdOut.key,
                        JSONValue.object(
                            Model.allCases.compactMap { model in
                                results[split.holdOut]?[model].map { (model.name, Self.testJSON($0)) }
                            })
                    )
                }))
    }

    /// On one protocol, which model ranks best (or which share the top within the noise), and whether each trained
    /// model beats popularity, ties with it or does worse, by the paired comparison of their per-user NDCG.
    static func whoBeatsPopularity(on protocolName: String, top: Int, _ row: [Model: RankingEvaluation]) -> String {
        let present = Model.allCases.filter { row[$0] != nil }
        let ndcg = { (model: Model) in row[model]?.ndcg ?? 0 }
        let best = present.max { ndcg($0) < ndcg($1) } ?? .popularity
        let tied = present.filter { $0 != best && compare(row[best], row[$0]).verdict == .tie }
        let popularity = formatFixed(ndcg(.popularity), digits: 4)
        let trained = Model.trained.filter { row[$0] != nil && row[.popularity] != nil }
        let verdicts = Dictionary(uniqueKeysWithValues: trained.map { ($0, compare(row[$0], row[.popularity]).verdict) })
        let above = trained.filter { verdicts[$0] == .firstHigher }, level = trained.filter { verdicts[$0] == .tie }
        let below = trained.filter { verdicts[$0] == .secondHigher }
        func names(_ models: [Model]) -> String { models.map(\.name).joined(separator: " and ") }
        func verb(_ models: [Model], _ one: String, _ many: String) -> String { "\(names(models)) \(models.count == 1 ? one : many)" }
        let lead =
            tied.isEmpty
            ? "\(best.name) ranks best (NDCG@\(top) \(formatFixed(ndcg(best), digits: 4)))"
            : "\(best.name) has the highest NDCG@\(top) (\(formatFixed(ndcg(best), digits: 4))), but \(names(tied)) \(tied.count == 1 ? "is" : "are") tied with it within the noise (\(tied.map { formatFixed(ndcg($0), digits: 4) }.joined(separator: ", ")))"
        // Popularity's NDCG is given once: in the lead when it ranks best alone, else at its first mention here.
        let popularityShown = best == .popularity && tied.isEmpty ? "popularity" : "popularity (\(popularity))"
        var parts = [String]()
        if !above.isEmpty { parts.append(verb(above, "beats", "beat") + " \(parts.isEmpty ? popularityShown : "popularity") by more than the noise") }
        if !level.isEmpty { parts.append(verb(level, "is", "are") + " tied with \(parts.isEmpty ? popularityShown : "popularity") within the noise") }
        if !below.isEmpty { parts.append(verb(below, "does", "do") + " worse than \(parts.isEmpty ? popularityShown : "popularity"), by more than the noise") }
        return "On \(protocolName), \(lead)\(parts.isEmpty ? "" : "; " + parts.joined(separator: "; "))."
    }

    /// Two models compared user by user on their NDCG (paired); measured apart when their users differ.
    static func compare(_ first: RankingEvaluation?, _ second: RankingEvaluation?) -> Comparison {
        guard let first, let second else { return Comparison(difference: .nan, halfWidth: .nan) }
        if first.users == second.users { return .paired(first.ndcgPerUser, second.ndcgPerUser) }
        return .independent(first.ndcg, halfWidth: first.ndcgInterval, second.ndcg, halfWidth: second.ndcgInterval)
    }

    /// Why popularity wins on synthetic data (when it wins everywhere), and what the intervals mean.
    static func whatTheDataAllows(results: [[Model: RankingEvaluation]], synthetic: Bool) -> String {
        let popularityWins = results.allSatisfy { row in Model.trained.allSatisfy { compare(row[$0], row[.popularity]).verdict != .firstHigher } }
        return
            (popularityWins && synthetic
            ? """
             That is what this data allows: the synthetic generator picks which movies a person rates by popularity alone,
            and only the stars depend on taste, so there is nothing in who-watched-what for a model to learn beyond popularity.
            """ : "") + """
                 The ± column is 1.96 standard errors of the mean over users: one user's NDCG varies a lot from the next user's.
                Two models are compared user by user, on the same users: the 95% interval of their mean difference is narrower
                than either model's own, because a user who is easy for one model is mostly easy for the other. A difference
                inside it is noise, and is called a tie.
                """
    }

    /// The lists of the random protocol read: where the rating model ranks and why, how far each model's lists lean on
    /// popular movies, and the precision–recall and long-tail figures.
    func readTheLists() throws {
        guard let row = results[main.holdOut] else { return }
        let minimum = minimums[main.holdOut] ?? 20
        if let rating = row[.ratingModel], let filtered = row[.ratingModelFiltered], let popularity = row[.popularity],
            let best = Model.trained.compactMap({ row[$0] }).max(by: { $0.ndcg < $1.ndcg })
        {
            let counts = main.data.training.itemCounts
            let rare = rating.lists.filter { list in list.prefix(top).contains { counts[$0] < minimum } }.count
            book.paragraph(
                Self.whereTheRatingModelRanks(
                    rating, filtered: filtered, popularity: popularity, best: best,
                    rareLists: rare, minimum: minimum, top: top, protocolName: main.holdOut.name,
                    published100K: movieLens.isPublished100K))
        }
        if let popularity = row[.popularity], let wals = row[.weightedALS], let itemItem = row[.itemItem] {
            book.paragraph(Self.popularityLean(popularity: popularity, wals: wals, itemItem: itemItem))
        }
        try book.figure(
            .lines(
                name: "precision-recall", title: "Precision against recall as the list grows from 1 to 50 (\(main.holdOut.name))",
                xLabel: "recall@n", yLabel: "precision@n",
                series: Model.allCases.compactMap { model in row[model].map { Series(model.name, x: $0.recallCurve, y: $0.precisionCurve) } }))
        // The long tail: for each model, the share of its top-k slots filled by the n most watched movies, for every n.
        let tail = LongTail(counts: main.data.training.itemCounts)
        try book.figure(
            .lines(
                name: "long-tail", title: "Where the recommendations come from in the long tail (\(main.holdOut.name))",
                xLabel: "n: the n most watched movies (log scale)", yLabel: "share of top-\(top) slots filled by them",
                series: Model.allCases.compactMap { model in
                    row[model].map { Series(model.name, x: (1...tail.counts.count).map(Double.init), y: tail.slotShares(of: $0.lists, k: top)) }
                }, logX: true))
    }

    /// Where the rating model ranks against popularity (user by user, within the noise or beyond it), why, and whether
    /// hiding rarely watched movies (`rareLists` of its lists hold one with fewer than `minimum` interactions) lifts it.
    /// Microsoft's benchmark is quoted only on MovieLens 100K, the data it measured.
    static func whereTheRatingModelRanks(
        _ rating: RankingEvaluation, filtered: RankingEvaluation, popularity: RankingEvaluation,
        best: RankingEvaluation, rareLists: Int, minimum: Int, top: Int,
        protocolName: String = "the random protocol", published100K: Bool = false
    ) -> String {
        let ranks = compare(rating, popularity).verdict, lands = compare(filtered, popularity).verdict
        let rank =
            switch ranks {
            case .secondHigher: "below popularity, by more than the noise"
            case .tie: "level with popularity, within the noise"
            case .firstHigher: "above popularity, by more than the noise"
            }
        let lift =
            switch compare(filtered, rating).verdict {
            case .firstHigher: "lifts it to \(formatFixed(filtered.ndcg, digits: 4))"
            case .tie: "changes it only within the noise (\(formatFixed(filtered.ndcg, digits: 4)))"
            case .secondHigher: "lowers it (\(formatFixed(filtered.ndcg, digits: 4)))"
            }
        return """
            On \(protocolName) the rating model ranks \(rank) (NDCG@\(top) \(formatFixed(rating.ndcg, digits: 4)) against popularity's
            \(formatFixed(popularity.ndcg, digits: 4)); the better of weighted ALS and BPR reaches \(formatFixed(best.ndcg, digits: 4))). It was trained to
            predict how many stars a person gives a movie they chose to watch, and nothing in its objective says which movies a
            person will choose: a movie few people watched but those few loved gets a high predicted rating. \(rareLists) of the
            \(rating.lists.count) users' lists hold a movie with fewer than \(minimum) training interactions, and the mean popularity rank of
            its recommendations is \(formatFixed(rating.meanPopularityRank, digits: 0)), against \(formatFixed(best.meanPopularityRank, digits: 0)) for the better of weighted ALS and BPR and
            \(formatFixed(popularity.meanPopularityRank, digits: 0)) for popularity (the long-tail figure shows how late its curve rises). Hiding those movies, as
            lessons 5 to 8 do, \(lift), \(Self.whereFilteredLands(lands, was: ranks)): knowing how much someone will like a movie
            is not knowing what they will watch.\(published100K ? """
             Microsoft's recommenders benchmark reports a similar gap on MovieLens 100K (NDCG@10 ≈ 0.10 for rating-trained SVD
            against ≈ 0.44 for BPR, under its own protocol).
            """ : "")
            """
    }

    /// Where the filtered rating model lands against popularity, said against where the unfiltered one was (each a
    /// verdict of the model against popularity): "still" only when it did not cross.
    static func whereFilteredLands(_ filtered: Comparison.Verdict, was rating: Comparison.Verdict) -> String {
        switch filtered {
        case .tie: "level with popularity within the noise"
        case .secondHigher: rating == .secondHigher ? "still below popularity" : "which puts it below popularity"
        case .firstHigher: rating == .firstHigher ? "still above popularity" : "which puts it above popularity"
        }
    }

    /// How much of the catalogue the lists show, and how much weighted ALS leans on the most watched tenth.
    static func popularityLean(popularity: RankingEvaluation, wals: RankingEvaluation, itemItem: RankingEvaluation) -> String {
        """
        Coverage tells the other half. Popularity shows \(100 * popularity.coverage, digits: 1)% of the catalogue to somebody; weighted ALS
        \(100 * wals.coverage, digits: 1)%, item-item \(100 * itemItem.coverage, digits: 1)%. \(100 * wals.popularShare, digits: 0)% of weighted ALS's
        recommendations are among the most watched tenth of the movies (popularity: \(100 * popularity.popularShare, digits: 0)%)\(wals.popularShare > 0.5
            ? ": part of the implicit models' accuracy may come from leaning on what is popular, which the metrics reward."
            : ", so its lists reach well beyond the most watched movies.")
        """
    }
}
