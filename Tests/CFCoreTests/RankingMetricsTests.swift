import Foundation
import CFCore
import Numerics
import Testing

@Suite("ranking metrics against hand computation")
struct RankingMetricsTests {
    // A ranked list of 6 items; items 2 and 9 are relevant, found at positions 2 and 5 (1-based). Item 7 is relevant
    // but not in the list at all.
    let ranked = [4, 2, 8, 1, 9, 3]
    let relevant: Set<Int> = [2, 9, 7]

    @Test("precision, recall and hit rate at k = 1, 2 and 5")
    func counts() {
        #expect(RankingMetrics.precision(ranked, relevant: relevant, k: 1) == 0)
        #expect(RankingMetrics.precision(ranked, relevant: relevant, k: 2) == 0.5)
        #expect(RankingMetrics.precision(ranked, relevant: relevant, k: 5) == 0.4)
        #expect(RankingMetrics.recall(ranked, relevant: relevant, k: 5).isApproximatelyEqual(to: 2.0 / 3, relativeTolerance: 1e-15))
        #expect(RankingMetrics.hit(ranked, relevant: relevant, k: 1) == 0 && RankingMetrics.hit(ranked, relevant: relevant, k: 2) == 1)
    }

    @Test("NDCG@5 and average precision@5 by hand")
    func graded() {
        // DCG = 1/log₂3 + 1/log₂6; the ideal list has its 3 relevant items first: 1 + 1/log₂3 + 1/log₂4.
        let dcg = 1 / log2(3.0) + 1 / log2(6.0), ideal = 1 + 1 / log2(3.0) + 0.5
        #expect(RankingMetrics.ndcg(ranked, relevant: relevant, k: 5).isApproximatelyEqual(to: dcg / ideal, relativeTolerance: 1e-15))
        // Hits at positions 2 and 5: (1/2 + 2/5) / min(5, 3).
        #expect(RankingMetrics.averagePrecision(ranked, relevant: relevant, k: 5).isApproximatelyEqual(to: 0.9 / 3, relativeTolerance: 1e-15))
        #expect(RankingMetrics.ndcg([2, 9, 7], relevant: relevant, k: 3).isApproximatelyEqual(to: 1, relativeTolerance: 1e-15))
        #expect(RankingMetrics.ndcg(ranked, relevant: [], k: 5) == 0)
    }

    @Test("AUC counts the correctly ordered (relevant, irrelevant) pairs; coverage and popularity bias by hand")
    func aucCoverageBias() {
        // In [4, 2, 8, 1, 9, 3] the relevant 2 is above 3 of the 4 irrelevant items, and 9 above 1: 4 of 8 pairs.
        #expect(RankingMetrics.auc(ranked, relevant: relevant) == 0.5)
        #expect(RankingMetrics.auc([2, 9, 4, 8], relevant: relevant) == 1 && RankingMetrics.auc([4, 8, 2, 9], relevant: relevant) == 0)
        #expect(RankingMetrics.coverage([[0, 1, 2], [1, 3, 9]], k: 2, catalogue: 10) == 0.3)  // items 0, 1, 3
        // Popularity 10 items: item 0 the most popular; the top tenth is item 0 alone.
        let popularity = [100, 50, 40, 30, 20, 10, 9, 8, 7, 6]
        let bias = RankingMetrics.popularityBias([[0, 5], [1, 0]], k: 2, popularity: popularity)
        #expect(bias.shareOfTopTenth == 0.5 && bias.meanRank == Double(1 + 6 + 2 + 1) / 4)
    }

    @Test("k larger than the list: precision still divides by k, recall and NDCG count what is there; k = 0 and empty lists give 0")
    func shortLists() {
        // [2, 5]: relevant 2 at position 1; k = 10.
        #expect(RankingMetrics.precision([2, 5], relevant: [2, 7], k: 10) == 0.1)
        #expect(RankingMetrics.recall([2, 5], relevant: [2, 7], k: 10) == 0.5)
        // DCG = 1; the ideal list holds both relevant items: 1 + 1/log₂3.
        #expect(RankingMetrics.ndcg([2, 5], relevant: [2, 7], k: 10).isApproximatelyEqual(to: 1 / (1 + 1 / log2(3.0)), relativeTolerance: 1e-15))
        #expect(RankingMetrics.averagePrecision([2, 5], relevant: [2, 7], k: 10) == 0.5)
        #expect(RankingMetrics.precision([2, 5], relevant: [2], k: 0) == 0 && RankingMetrics.hit([], relevant: [2], k: 5) == 0)
        #expect(RankingMetrics.recall([1, 2], relevant: [], k: 2) == 0 && RankingMetrics.averagePrecision([1, 2], relevant: [], k: 2) == 0)
    }

    @Test("ties: popularity ranks equal counts by item index, and a user with no held-out item is left out of the means")
    func ties() throws {
        // Items 1 and 2 tie at 5 interactions; the top tenth of 10 items is item 1 alone (the lower index).
        let bias = RankingMetrics.popularityBias([[2], [1]], k: 1, popularity: [0, 5, 5, 1, 1, 1, 1, 1, 1, 1])
        #expect(bias.shareOfTopTenth == 0.5 && bias.meanRank == 1.5)
        // Users 0 and 2 have held-out items, user 1 none.
        let training = try Ratings(dense: [[1, nil, nil, nil], [nil, 1, nil, nil], [nil, nil, 1, nil]])
        let heldOut = try Ratings(dense: [[nil, 1, nil, nil], [nil, nil, nil, nil], [nil, nil, nil, 1]])
        let evaluation = RankingEvaluation(
            Rankers.popularity(training), training: training, heldOut: heldOut, k: 1, curveLength: 1,
            popularity: training.itemCounts, threads: 1)
        #expect(evaluation.users == [0, 2])
        // All of items 0, 1, 2 tie at one interaction: user 0's list starts with item 1, user 2's with item 0.
        #expect(evaluation.lists.map { $0.first } == [1, 0])
        #expect(evaluation.precision == 0.5 && evaluation.hitRate == 0.5)
    }
}
