// Section 3: the number of neighbours k, chosen on the validation ratings for every neighbour model.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson7 {
    func howManyNeighbours(_ similarities: SimilarityTables) throws -> NeighbourChoice {
        book.heading("How many neighbours?")
        book.paragraph("""
            With k too small a prediction leans on a handful of ratings; with k too large the weak neighbours dilute the
            good ones. We try k ∈ {\(ks.map(String.init).joined(separator: ", "))} with each similarity on the validation ratings, item by
            item (the neighbours of the movie) and user by user (the neighbours of the user, the same three measures
            between users).
            """)
        let fitByItem = fit.transposed, swappedBaseline = baseline.swappingUsersAndItems, validationByItem = validation.transposed
        var rmse = [NeighbourKind: [Double]]()
        let bar = book.progress("neighbours on validation", total: NeighbourKind.allCases.count * ks.count)
        var done = 0
        for kind in NeighbourKind.allCases {
            // User by user is item by item on the transposed ratings, with the users' neighbours by the same measure.
            let byUser = kind.side == .userUser
            let ratings = byUser ? fitByItem : fit, start = byUser ? swappedBaseline : baseline
            let table = byUser ? ItemSimilarities(fitByItem, kind: kind.similarity, baseline: swappedBaseline, shrinkage: options.shrinkage)
                : similarities[kind.similarity]
            let detail = byUser ? "user-user \(kind.similarity.rawValue)" : kind.similarity.rawValue
            rmse[kind] = ks.map { k -> Double in
                defer { done += 1; bar.update(done, detail: "\(detail), k = \(k)") }
                return NeighbourModel(ratings: ratings, baseline: start, similarities: table, neighbours: k, ratingScale: scale)
                    .rmse(on: byUser ? validationByItem : validation)
            }
        }
        bar.finish()
        let choice = NeighbourChoice(ks: ks, rmse: rmse)
        let curves = NeighbourKind.allCases.map { Series($0.name, x: ks.map(Double.init), y: choice.rmse[$0] ?? []) }
            + [Series("baseline μ + b_u + b_i", x: ks.map(Double.init), y: ks.map { _ in baselineRMSE })]
        try book.figure(.lines(name: "rmse-vs-k", title: "Validation RMSE against the number of neighbours k", xLabel: "k (neighbours)",
                               yLabel: "validation RMSE", series: curves, logX: true))
        book.table(Table(header: ["model"] + ks.map { "k = \($0)" }, rows: NeighbourKind.allCases.map { kind in
            [kind.name] + (choice.rmse[kind] ?? []).map { "\($0, digits: 4)" }
        }), caption: "Validation RMSE (baseline alone: \(formatFixed(baselineRMSE, digits: 4)))")
        book.paragraph(Self.verdict(best: choice.best, bestItem: choice.bestItem, baselineRMSE: baselineRMSE,
                                    cosineIsWeakest: choice.cosineIsTheWeakestItemItemMeasure))
        book.record("validation_rmse", JSONValue.object(NeighbourKind.allCases.map { ($0.name, (choice.rmse[$0] ?? []).json) }))
        book.record("chosen", JSONValue.object([("model", choice.best.kind.name.json), ("k", choice.best.k.json),
                                                ("item_item_model", choice.bestItem.kind.name.json), ("item_item_k", choice.bestItem.k.json)]))
        return choice
    }

    /// What the validation says: the best model, the best item-item model when that is another, and whether the raw
    /// cosine is the weakest item-item measure (its best RMSE the highest of the three), as the argument of section 2 expects.
    static func verdict(best: NeighbourChoice.Candidate, bestItem: NeighbourChoice.Candidate, baselineRMSE: Double, cosineIsWeakest: Bool) -> String {
        """
        The best on validation is \(best.kind.name) with k = \(best.k) (RMSE \(best.rmse, digits: 4), against \(baselineRMSE, digits: 4)
        for the baseline alone)\(best.kind == bestItem.kind ? "" : "; the best item-item model is \(bestItem.kind.name) with k = \(bestItem.k) (\(formatFixed(bestItem.rmse, digits: 4)))").
        \(cosineIsWeakest ? "The raw cosine is the weakest item-item measure here, as the argument above expects."
            : "Here the raw cosine is not the weakest measure, whatever the argument above expects: look at the table.")
        """
    }
}

/// A neighbour model: whose neighbours make the prediction (the movie's or the user's), and by which measure.
struct NeighbourKind: Hashable, CaseIterable {
    enum Side { case itemItem, userUser }
    let side: Side
    let similarity: Similarity

    /// Item-item by each measure, then user-user by each.
    static let allCases = [Side.itemItem, .userUser].flatMap { side in Similarity.allCases.map { NeighbourKind(side: side, similarity: $0) } }

    /// The name the tables, the figure and results.json show: "item-item, cosine".
    var name: String { (side == .itemItem ? "item-item, " : "user-user, ") + similarity.rawValue }
}

/// The validation RMSE of every neighbour model at every k, and the models it picks.
struct NeighbourChoice {
    struct Candidate {
        let kind: NeighbourKind
        let k: Int
        let rmse: Double
    }

    let ks: [Int]
    let rmse: [NeighbourKind: [Double]]
    /// The best model and k on validation, and the best item-item one (the one that explains itself).
    let best: Candidate, bestItem: Candidate

    init(ks: [Int], rmse: [NeighbourKind: [Double]]) {
        self.ks = ks
        self.rmse = rmse
        let all = NeighbourKind.allCases.flatMap { kind in
            (rmse[kind] ?? []).enumerated().map { Candidate(kind: kind, k: ks[$0.offset], rmse: $0.element) }
        }
        let order = ranked(all.indices, by: { all[$0].rmse }, descending: false).map { all[$0] }
        best = order[0]
        bestItem = order.first { $0.kind.side == .itemItem } ?? order[0]
    }

    /// Whether the raw cosine's best validation RMSE is above every other item-item measure's best (a tie is not weakest).
    var cosineIsTheWeakestItemItemMeasure: Bool {
        let bests = Similarity.allCases.map { ($0, rmse[NeighbourKind(side: .itemItem, similarity: $0)]?.min() ?? .infinity) }
        guard let cosine = bests.first(where: { $0.0 == .cosine })?.1 else { return false }
        return bests.allSatisfy { $0.0 == .cosine || $0.1 < cosine }
    }

    /// The k with the lowest validation RMSE for `kind` (the smallest such k on a tie).
    func k(for kind: NeighbourKind) -> Int {
        (rmse[kind]?.indicesRanked(descending: false).first).map { ks[$0] } ?? 40
    }
}
