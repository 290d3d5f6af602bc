// Section 3: the number of neighbours k, chosen on the validation ratings for every neighbour model.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson7 {
    func howManyNeighbours(_ similarities: SimilarityTables) throws -> NeighbourChoice {
        book.heading("How many neighbours?")
        book.paragraph(
            """
            With k too small a prediction leans on a handful of ratings; with k too large the weak neighbours dilute the
            good ones. We try k ∈ {\(ks.map(String.init).joined(separator: ", "))} with each similarity on the validation ratings, item by
            item (the neighbours of the movie) and user by user (the neighbours of the user, the same three measures
            between users).
            """)
        let fitByItem = fit.transposed, swappedBaseline = baseline.swappingUsersAndItems, validationByItem = validation.transposed
        var rmse = [NeighbourKind: [Double]](), errors = [NeighbourKind: [Double]]()
        let bar = book.progress("neighbours on validation", total: NeighbourKind.allCases.count * ks.count)
        var done = 0, sampledMovies = 0, userTable: ItemSimilarities?
        for kind in NeighbourKind.allCases {
            // User by user is item by item on the transposed ratings, with the users' neighbours by the same measure.
            let byUser = kind.side == .userUser
            let ratings = byUser ? fitByItem : fit, start = byUser ? swappedBaseline : baseline
            let table =
                byUser
                ? ItemSimilarities(
                    fitByItem, kind: kind.similarity, baseline: swappedBaseline, shrinkage: options.shrinkage, ratingsPerUser: options.ratingsCap)
                : similarities[kind.similarity]
            if byUser { sampledMovies = table.sampledUsers; userTable = table }
            let detail = byUser ? "user-user \(kind.similarity.rawValue)" : kind.similarity.rawValue
            let row = ks.map { k -> Double in
                defer { done += 1; bar.update(done, detail: "\(detail), k = \(k)") }
                return NeighbourModel(ratings: ratings, baseline: start, similarities: table, neighbours: k, ratingScale: scale)
                    .rmse(on: byUser ? validationByItem : validation)
            }
            rmse[kind] = row
            // The squared error on every validation rating at the best k, with the same table, for comparisons that know
            // the noise (in the order of `validation`, whichever side the model works on).
            let best = NeighbourModel(
                ratings: ratings, baseline: start, similarities: table,
                neighbours: (row.indicesRanked(descending: false).first).map { ks[$0] } ?? ks[0], ratingScale: scale)
            errors[kind] = Metrics.squaredErrors(validation) { byUser ? best.predict(user: $1, item: $0) : best.predict(user: $0, item: $1) }
        }
        bar.finish()
        if let userTable, let reading = Self.userUserReading(users: fit.userCount, kept: userTable.kept, sampledMovies: sampledMovies, cap: options.ratingsCap)
        {
            book.paragraph(reading)
        }
        let choice = NeighbourChoice(ks: ks, rmse: rmse, errors: errors)
        let curves =
            NeighbourKind.allCases.map { Series($0.name, x: ks.map(Double.init), y: choice.rmse[$0] ?? []) }
            + [Series("baseline μ + b_u + b_i", x: ks.map(Double.init), y: ks.map { _ in baselineRMSE })]
        try book.figure(
            .lines(
                name: "rmse-vs-k", title: "Validation RMSE against the number of neighbours k", xLabel: "k (neighbours, log scale)",
                yLabel: "validation RMSE", series: curves, logX: true))
        book.table(
            Table(
                header: ["model"] + ks.map { "k = \($0)" },
                rows: NeighbourKind.allCases.map { kind in
                    [kind.name] + (choice.rmse[kind] ?? []).map { "\($0, digits: 4)" }
                }), caption: "Validation RMSE (baseline alone: \(formatFixed(baselineRMSE, digits: 4)))")
        book.paragraph(
            Self.verdict(
                best: choice.best, bestItem: choice.bestItem, baselineRMSE: baselineRMSE,
                tiedWithBest: choice.tiedWithBest.map(\.name), cosineIsWeakest: choice.cosineIsTheWeakestItemItemMeasure))
        book.record("validation_rmse", JSONValue.object(NeighbourKind.allCases.map { ($0.name, (choice.rmse[$0] ?? []).json) }))
        book.record(
            "chosen",
            JSONValue.object([
                ("model", choice.best.kind.name.json), ("k", choice.best.k.json),
                ("item_item_model", choice.bestItem.kind.name.json), ("item_item_k", choice.bestItem.k.json)
            ]))
        return choice
    }

    /// What the user-user tables give up at scale, if anything: only each user's best neighbours when there are more
    /// users than `ItemSimilarities.exactUpTo`, and a sample of the raters of the movies with more than `cap` (nil when
    /// every user keeps every neighbour and no movie was sampled).
    static func userUserReading(users: Int, kept: Int, sampledMovies: Int, cap: Int?) -> String? {
        var parts = [String]()
        if kept < users - 1 { parts.append("each of the \(users) users keeps only their \(kept) most similar users") }
        if sampledMovies > 0, let cap {
            parts.append("the \(sampledMovies) movies with more than \(cap) raters count a fixed sample of \(cap) of them (`--ratings-per-user 0` counts all)")
        }
        guard !parts.isEmpty else { return nil }
        return "User by user, to bound the memory and the work, " + parts.joined(separator: ", and ") + "."
    }

    /// What the validation says: the best model (and the models within the noise of it, compared rating by rating),
    /// the best item-item model when that is another, and whether the raw cosine is the weakest item-item measure, worse
    /// than each of the other two by more than the noise, as the argument of section 2 expects.
    static func verdict(
        best: NeighbourChoice.Candidate, bestItem: NeighbourChoice.Candidate, baselineRMSE: Double,
        tiedWithBest: [String] = [], cosineIsWeakest: Bool
    ) -> String {
        let tied =
            tiedWithBest.isEmpty
            ? ""
            : "; \(tiedWithBest.joined(separator: ", ")) \(tiedWithBest.count == 1 ? "is" : "are") within the noise of it (compared rating by rating at \(tiedWithBest.count == 1 ? "its" : "their") best k)"
        return """
            The lowest validation RMSE is \(best.kind.name)'s, with k = \(best.k) (\(formatFixed(best.rmse, digits: 4)), against \(formatFixed(baselineRMSE, digits: 4))
            for the baseline alone)\(tied)\(best.kind == bestItem.kind ? "" : "; the best item-item model is \(bestItem.kind.name) with k = \(bestItem.k) (\(formatFixed(bestItem.rmse, digits: 4)))").
            \(cosineIsWeakest ? "The raw cosine is the weakest item-item measure here, worse than both others by more than the noise, as the argument above expects."
                : "Here the raw cosine is not clearly the weakest item-item measure, whatever the argument above expects: at their best k it is not worse than both others by more than the noise (see the table).")
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

    /// Each model's squared errors on the validation ratings at its best k (empty when not measured).
    let errors: [NeighbourKind: [Double]]

    init(ks: [Int], rmse: [NeighbourKind: [Double]], errors: [NeighbourKind: [Double]] = [:]) {
        self.ks = ks
        self.rmse = rmse
        self.errors = errors
        let all = NeighbourKind.allCases.flatMap { kind in
            (rmse[kind] ?? []).enumerated().map { Candidate(kind: kind, k: ks[$0.offset], rmse: $0.element) }
        }
        let order = ranked(all.indices, by: { all[$0].rmse }, descending: false).map { all[$0] }
        best = order[0]
        bestItem = order.first { $0.kind.side == .itemItem } ?? order[0]
    }

    /// `first`'s validation errors against `second`'s, rating by rating (`.firstHigher`: `first` is worse by more
    /// than the noise); without measured errors, the two best RMSEs compared as they are.
    func compare(_ first: NeighbourKind, _ second: NeighbourKind) -> Comparison.Verdict {
        if let a = errors[first], let b = errors[second], a.count == b.count, !a.isEmpty { return Comparison.paired(a, b).verdict }
        let x = rmse[first]?.min() ?? .infinity, y = rmse[second]?.min() ?? .infinity
        return x > y ? .firstHigher : x < y ? .secondHigher : .tie
    }

    /// The other models whose validation errors are within the noise of the best one's.
    var tiedWithBest: [NeighbourKind] {
        NeighbourKind.allCases.filter { $0 != best.kind && rmse[$0] != nil && compare($0, best.kind) == .tie }
    }

    /// Whether the raw cosine is worse than every other item-item measure by more than the noise (each at its best k).
    var cosineIsTheWeakestItemItemMeasure: Bool {
        let cosine = NeighbourKind(side: .itemItem, similarity: .cosine)
        guard rmse[cosine] != nil else { return false }
        return Similarity.allCases.filter { $0 != .cosine }.allSatisfy { compare(cosine, NeighbourKind(side: .itemItem, similarity: $0)) == .firstHigher }
    }

    /// The k with the lowest validation RMSE for `kind` (the smallest such k on a tie).
    func k(for kind: NeighbourKind) -> Int {
        (rmse[kind]?.indicesRanked(descending: false).first).map { ks[$0] } ?? 40
    }
}
