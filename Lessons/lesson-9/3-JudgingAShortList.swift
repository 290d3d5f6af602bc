// Section 3: the ranking metrics, and the learner's precision and NDCG cells on one user's list.

import CFCore
import LessonKit
import TextOutput

extension Lesson9 {
    func judgingAShortList() throws {
        book.heading("Judging a short list")
        book.paragraph(
            """
            Every model scores the whole catalogue for a user; the movies the user has already seen are removed, and the rest
            is sorted. The top \(top) is what the user would see. With R the user's held-out movies and L the list:
            """)
        book.code(
            """
            precision@\(top) = |top \(top) ∩ R| / \(top)        recall@\(top) = |top \(top) ∩ R| / |R|        hit rate@\(top) = 1 if top \(top) ∩ R is not empty
            NDCG@\(top)  = Σ over places p ≤ \(top) holding a movie of R of 1 / log₂(p + 1), divided by the same sum for the best possible list
            MAP@\(top)   = Σ over places p ≤ \(top) holding a movie of R of precision@p, divided by min(\(top), |R|)
            AUC       = the share of (held-out, other) pairs in which the held-out movie is ranked higher, over the whole list
            """)
        book.paragraph(
            """
            Precision and recall ignore the order within the top \(top); NDCG and MAP reward a hit near the top more than one
            near the bottom; AUC looks at the whole catalogue, including places nobody scrolls to. Each is averaged over the
            users with a held-out movie. Two more say what the lists do to the catalogue: coverage (the share of movies that
            appear in anybody's top \(top)) and popularity bias (the share of recommended movies among the most watched tenth,
            and their mean popularity rank, 1 being the most watched).
            """)
        try metricCells()
    }

    /// ✏️ Your `precisionAtK` and `ndcgAtK` (Cells.swift), on one user's list from the popularity ranker.
    func metricCells() throws {
        let demo = main.data
        let evaluation = RankingEvaluation(
            Rankers.popularity(demo.training), training: demo.trainingRatings, heldOut: demo.test, k: top,
            curveLength: top, popularity: demo.training.itemCounts)
        guard !evaluation.users.isEmpty else { return }
        let heldOut = { (index: Int) in Set(demo.test.ratings(ofUser: evaluation.users[index]).map { $0.item }) }
        let hitCount = { (index: Int) in evaluation.lists[index].prefix(self.top).filter(heldOut(index).contains).count }
        // A user whose list shows what the metrics do: several held-out movies and at least two of them hit, else one hit.
        let index =
            evaluation.users.indices.first { heldOut($0).count >= 3 && hitCount($0) >= 2 }
            ?? evaluation.users.indices.first { hitCount($0) >= 1 } ?? 0
        let demoUser = evaluation.users[index]
        let list = evaluation.lists[index], relevant = heldOut(index)
        let yourPrecision = try cells.precisionAtK(list, relevant: relevant, k: top), yourNDCG = try cells.ndcgAtK(list, relevant: relevant, k: top)
        let corePrecision = RankingMetrics.precision(list, relevant: relevant, k: top), coreNDCG = RankingMetrics.ndcg(list, relevant: relevant, k: top)
        let hits = list.prefix(top).enumerated().filter { relevant.contains($0.element) }.map { $0.offset + 1 }
        let user = movieLens.userIDs[demoUser]
        book.paragraph(
            """
            For example, user \(user) has \(relevant.count) held-out movie\(relevant.count == 1 ? "" : "s"), and \(Self.hitsSaid(hits, top: top)).
            \(whose(.precisionAtK)) gives \(yourPrecision, digits: 3)
            and \(whose(.ndcgAtK, capitalized: false)) \(yourNDCG, digits: 3); the core's metrics give
            \(corePrecision, digits: 3) and \(coreNDCG, digits: 3).
            """)
        // The same cells over every test user of the popularity ranker: the metric table of one model, by your cells.
        let everyone = evaluation.users.indices
        let precisions = try everyone.map { try cells.precisionAtK(evaluation.lists[$0], relevant: heldOut($0), k: top) }
        let ndcgs = try everyone.map { try cells.ndcgAtK(evaluation.lists[$0], relevant: heldOut($0), k: top) }
        let meanPrecision = precisions.reduce(0, +) / Double(precisions.count), meanNDCG = ndcgs.reduce(0, +) / Double(ndcgs.count)
        book.table(
            Table(
                header: ["popularity ranker, \(everyone.count) test users", "precision@\(top)", "NDCG@\(top)"],
                rows: [
                    [
                        book.writtenCells.contains("precisionAtK") || book.writtenCells.contains("ndcgAtK")
                            ? "your cells (Cells.swift)" : "the cells (the course's versions until yours are written)",
                        "\(meanPrecision, digits: 4)", "\(meanNDCG, digits: 4)"
                    ],
                    ["the core (RankingEvaluation)", "\(evaluation.precision, digits: 4)", "\(evaluation.ndcg, digits: 4)"]
                ]), caption: "The mean over every test user of each user's metric")
        book.paragraph(Self.metricCellsReading(precision: (meanPrecision, evaluation.precision), ndcg: (meanNDCG, evaluation.ndcg)))
        book.record(
            "metric_cells",
            JSONValue.object([
                ("user", user.json), ("precision", yourPrecision.json), ("ndcg", yourNDCG.json),
                ("precision_core", corePrecision.json), ("ndcg_core", coreNDCG.json),
                ("mean_precision", meanPrecision.json), ("mean_ndcg", meanNDCG.json)
            ]))
    }

    /// Whether the cells' means over every user agree with the core's (to 10⁻⁹), or which one does not.
    static func metricCellsReading(precision: (cells: Double, core: Double), ndcg: (cells: Double, core: Double)) -> String {
        let off = [("precision", precision), ("NDCG", ndcg)].filter { abs($0.1.cells - $0.1.core) > 1e-9 }.map(\.0)
        guard !off.isEmpty else { return "Averaged over every test user, the cells give the core's numbers to the last digit shown." }
        return "Averaged over every test user, the cells' \(off.joined(separator: " and ")) differ from the core's: "
            + "`swift run lesson-9 --check` grades the cells on small lists and shows where they go wrong."
    }

    /// Where the popularity list hits a user's held-out movies: "the popularity list has them at places 1 and 4 of its
    /// top 10", or that it has none.
    static func hitsSaid(_ places: [Int], top: Int) -> String {
        switch places.count {
        case 0: "the popularity list has none of them in its top \(top)"
        case 1: "the popularity list has one of them, at place \(places[0]) of its top \(top)"
        default:
            "the popularity list has \(places.count) of them, at places \(places.dropLast().map(String.init).joined(separator: ", ")) and \(places.last!) of its top \(top)"
        }
    }
}
