@testable import CFCore
import Foundation
import Numerics
import Testing

@Suite("implicit feedback: protocols, rankers and the ranking evaluation")
struct ImplicitFeedbackTests {
    @Test("the random per-user holdout takes round(20%) of each user (at least 1, never all) and loses nothing")
    func perUserHoldout() throws {
        let data = try unevenRatings(users: 40, items: 30, seed: 3)
        var rng = RandomState(seed: 5)
        let (training, heldOut) = try data.holdingOutPerUser(0.2, rng: &rng)
        #expect(training.count + heldOut.count == data.count)
        for u in 0..<40 {
            let n = data.ratings(ofUser: u).count, held = heldOut.ratings(ofUser: u).count
            let expected = n < 2 ? 0 : min(max(Int((Double(n) * 0.2).rounded()), 1), n - 1)
            #expect(held == expected, "user \(u): \(n) interactions, \(held) held out")
            for r in heldOut.ratings(ofUser: u) { #expect(training.value(user: u, item: r.item) == nil) }
        }
        var again = RandomState(seed: 5)
        #expect(try data.holdingOutPerUser(0.2, rng: &again).heldOut.entries == heldOut.entries)
    }

    @Test("leave-last-out holds out each user's latest interaction, ties going to the highest item; a single interaction stays")
    func leaveLastOut() throws {
        let data = try Ratings(dense: [[5, 3, 4, nil], [nil, 2, nil, 1], [nil, nil, 4, nil]])
        let times = try Ratings(dense: [[10, 30, 20, nil], [nil, 7, nil, 7], [nil, nil, 1, nil]])
        let (training, heldOut) = try data.holdingOutLatest(times: times)
        #expect(heldOut.entries.map { [$0.user, $0.item] } == [[0, 1], [1, 3]])
        #expect(heldOut.entries.map(\.value) == [3, 1])
        #expect(training.count == 4 && training.value(user: 2, item: 2) == 4)
    }

    @Test("interaction cosine = |U_i ∩ U_j| / √(|U_i| |U_j|), by hand, whatever the rating values")
    func interactionCosine() throws {
        // Item 0: users 0, 1, 2; item 1: users 1, 2; item 2: user 3.
        let data = try Ratings(dense: [[5, nil, nil], [1, 4, nil], [3, 2, nil], [nil, nil, 5]])
        let sims = ItemSimilarities.interactionCosine(data, threads: 1)
        #expect(sims(0, 1).isApproximatelyEqual(to: 2 / (3.0 * 2).squareRoot(), relativeTolerance: 1e-6))
        #expect(sims(1, 0) == sims(0, 1) && sims(0, 2) == 0 && sims(0, 0) == 0)
    }

    @Test("item-based top-N: a movie's score is the sum of its similarities to the user's movies, each keeping its n best neighbours")
    func itemNeighbours() throws {
        // Four items; user 0 has items 0 and 1.
        let data = try Ratings(dense: [[1, 1, nil, nil], [1, nil, 1, nil], [nil, 1, 1, 1], [1, nil, nil, 1], [nil, 1, nil, 1]])
        let sims = ItemSimilarities.interactionCosine(data, threads: 1)
        let scorer = Rankers.itemNeighbours(data, similarities: sims, neighbours: 1)
        var scores = [Double](repeating: -1, count: 4)
        scorer(0, &scores)
        // Each item keeps only its single most similar item: compute that by hand from the table.
        var expected = [Double](repeating: 0, count: 4)
        for owned in [0, 1] {
            let best = sims.mostSimilar(to: owned, count: 1)[0]
            expected[best.item] += best.similarity
        }
        for i in 0..<4 { #expect(scores[i].isApproximatelyEqual(to: expected[i], absoluteTolerance: 1e-12)) }
    }

    @Test("a new user folded in equals that user's row of the Double half-step on the same items (1e-10)")
    func foldIn() throws {
        let data = try unevenRatings(users: 20, items: 15, seed: 12).interactions
        var rng = RandomState(seed: 4)
        let items = 0.3 * rng.randn(15, 4)
        let configuration = ImplicitAlternatingLeastSquares.Configuration(factors: 4, regularization: 0.3, alpha: 7)
        let users = try ImplicitAlternatingLeastSquares.halfStep(.users, data, fixed: items, configuration)
        for u in [0, 7, 19] {
            let folded = try ImplicitAlternatingLeastSquares.foldIn(data.ratings(ofUser: u).map { ($0.item, 1.0) }, itemFactors: items, configuration)
            for f in 0..<4 { #expect(folded[f].isApproximatelyEqual(to: users[u, f], absoluteTolerance: 1e-10)) }
        }
    }

    /// Users × 51 items; every user's training is item 0 and one held-out item drawn uniformly from 1...50.
    func uniformHeldOut(users: Int) throws -> (training: Ratings, heldOut: Ratings) {
        var rng = RandomState(seed: 17)
        let held = (0..<users).map { Rating(user: $0, item: 1 + rng.integer(upTo: 49), value: 1) }
        return (
            try Ratings(userCount: users, itemCount: 51, ratings: (0..<users).map { Rating(user: $0, item: 0, value: 1) }),
            try Ratings(userCount: users, itemCount: 51, ratings: held)
        )
    }

    @Test("the random ranker's metrics match their expected values: hit@10 = 10/50, precision@10 = 1/50, AUC = 1/2 (4 standard errors)")
    func randomRanker() throws {
        let (training, heldOut) = try uniformHeldOut(users: 4000)
        let e = RankingEvaluation(
            Rankers.random(seed: 3), training: training, heldOut: heldOut, k: 10, curveLength: 10,
            popularity: training.itemCounts, threads: 2)
        let users = 4000.0
        #expect(abs(e.hitRate - 0.2) < 4 * (0.2 * 0.8 / users).squareRoot())
        #expect(abs(e.precision - 0.02) < 4 * (0.2 * 0.8 / users).squareRoot() / 10)
        #expect(abs(e.auc - 0.5) < 4 * (1.0 / 12 / users).squareRoot())
        // With one relevant item, NDCG@10 = Σ_{p ≤ 10} (1/50) / log₂(p + 1).
        let expectedNDCG = (1...10).reduce(0.0) { $0 + 1 / 50 / log2(Double($1 + 1)) }
        #expect(abs(e.ndcg - expectedNDCG) < 4 * (0.2 / users).squareRoot())
        #expect(e.coverage > 0.95, "every item but the training one shows up somewhere")
    }

    @Test("popularity by hand: one list for everyone, its precision, recall, NDCG, MAP, coverage and popularity share exactly")
    func popularityRanker() throws {
        // Items by training popularity: 0 (3 users), 1 (2), 2 (1), 3 and 4 (0).
        let training = try Ratings(dense: [[1, 1, nil, nil, nil], [1, 1, nil, nil, nil], [1, nil, 1, nil, nil], [nil, nil, nil, nil, nil]])
        let heldOut = try Ratings(dense: [[nil, nil, 1, nil, nil], [nil, nil, nil, 1, nil], [nil, 1, nil, nil, nil], [1, nil, nil, nil, 1]])
        let e = RankingEvaluation(
            Rankers.popularity(training), training: training, heldOut: heldOut, k: 2, curveLength: 2,
            popularity: training.itemCounts, threads: 1)
        // Lists (seen removed): user 0 [2, 3]; user 1 [2, 3]; user 2 [1, 3]; user 3 [0, 1].
        #expect(e.lists == [[2, 3], [2, 3], [1, 3], [0, 1]])
        #expect(e.precision.isApproximatelyEqual(to: (0.5 + 0.5 + 0.5 + 0.5) / 4, relativeTolerance: 1e-12))
        #expect(e.recall.isApproximatelyEqual(to: (1 + 1 + 1 + 0.5) / 4, relativeTolerance: 1e-12))
        let second = 1 / log2(3.0)
        #expect(e.ndcg.isApproximatelyEqual(to: (1 + second + 1 + 1 / (1 + second)) / 4, relativeTolerance: 1e-12))
        #expect(e.map.isApproximatelyEqual(to: (1 + 0.5 + 1 + 0.5) / 4, relativeTolerance: 1e-12))
        #expect(e.coverage.isApproximatelyEqual(to: 4.0 / 5, relativeTolerance: 1e-12))
        #expect(e.hitRate == 1)
    }

    @Test("sampled metrics: a model that puts every held-out item first scores 1 both ways; ties are broken the same way in both")
    func sampled() throws {
        let (training, heldOut) = try uniformHeldOut(users: 50)
        let oracle: @Sendable (Int, inout [Double]) -> Void = { user, scores in
            for i in scores.indices { scores[i] = heldOut.value(user: user, item: i) == nil ? 0 : 1 }
        }
        let e = RankingEvaluation(oracle, training: training, heldOut: heldOut, k: 10, popularity: training.itemCounts, sampledNegatives: 20)
        #expect(e.hitRate == 1 && e.ndcg == 1 && e.sampledHitRate == 1 && e.sampledNDCG == 1)
        // The random ranker among 20 sampled negatives: hit@10 close to 10/21.
        let (t, h) = try uniformHeldOut(users: 3000)
        let r = RankingEvaluation(Rankers.random(seed: 9), training: t, heldOut: h, k: 10, popularity: t.itemCounts, sampledNegatives: 20)
        #expect(abs((r.sampledHitRate ?? 0) - 10.0 / 21) < 4 * (0.25 / 3000).squareRoot())
    }
}
