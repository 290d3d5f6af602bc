@testable import CFCore
import Foundation
import Numerics
import Testing

@Suite("ranking the catalogue in blocks of users")
struct ChunkedRankingTests {
    /// 90 users, 60 items, scores with ties (rounded to a tenth) so that the order by index matters.
    func data() throws -> (training: Ratings, heldOut: Ratings, score: @Sendable (Int, inout [Double]) -> Void) {
        var rng = RandomState(seed: 41)
        var train = [Rating](), held = [Rating]()
        for u in 0..<90 {
            for i in 0..<60 {
                let draw = rng.rand()
                if draw < 0.2 {
                    train.append(Rating(user: u, item: i, value: 1))
                } else if draw < 0.26 || (u % 11 == 0 && draw < 0.6) {
                    held.append(Rating(user: u, item: i, value: 1))
                }
            }
        }
        let training = try Ratings(userCount: 90, itemCount: 60, ratings: train)
        let heldOut = try Ratings(userCount: 90, itemCount: 60, ratings: held)
        let score: @Sendable (Int, inout [Double]) -> Void = { user, scores in
            var g = RandomState(seed: 7 &+ UInt32(user))
            for i in scores.indices { scores[i] = (g.rand() * 10).rounded() / 10 }
        }
        return (training, heldOut, score)
    }

    @Test("blocks of 1, 7 and all users, on 1 and 2 threads, give the same lists and metrics (exactly)")
    func blocksAgree() throws {
        let (training, heldOut, score) = try data()
        func run(_ block: Int?, _ threads: Int, sampled: Int? = nil) -> RankingEvaluation {
            RankingEvaluation(
                score, training: training, heldOut: heldOut, k: 5, curveLength: 12, popularity: training.itemCounts, sampledNegatives: sampled,
                threads: threads, usersPerBlock: block)
        }
        for sampled in [nil, 15] as [Int?] {
            let reference = run(90, 1, sampled: sampled)
            for (block, threads) in [(1, 2), (7, 2), (7, 1), (nil, 2), (nil, 1)] as [(Int?, Int)] {
                let e = run(block, threads, sampled: sampled)
                #expect(e.lists == reference.lists && e.ndcgPerUser == reference.ndcgPerUser && e.hitPerUser == reference.hitPerUser)
                #expect(e.auc == reference.auc && e.map == reference.map && e.precisionCurve == reference.precisionCurve)
                #expect(e.sampledHitPerUser == reference.sampledHitPerUser && e.sampledNDCGPerUser == reference.sampledNDCGPerUser)
            }
        }
    }

    @Test("the kept top of the list and the counted AUC equal a full sort of the unseen items (exactly) and RankingMetrics.auc on it (1e-12)")
    func againstFullSort() throws {
        let (training, heldOut, score) = try data()
        let e = RankingEvaluation(score, training: training, heldOut: heldOut, k: 5, curveLength: 12, popularity: training.itemCounts, threads: 2)
        var aucs = [Double]()
        for (index, user) in e.users.enumerated() {
            var scores = [Double](repeating: 0, count: 60)
            score(user, &scores)
            let seen = Set(training.ratings(ofUser: user).map(\.item)), relevant = Set(heldOut.ratings(ofUser: user).map(\.item))
            let ranked = (0..<60).filter { !seen.contains($0) }.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
            #expect(e.lists[index] == Array(ranked.prefix(12)))
            aucs.append(RankingMetrics.auc(ranked, relevant: relevant))
        }
        // The mean over users may be summed in another order: 1e-12.
        #expect(e.auc.isApproximatelyEqual(to: aucs.reduce(0, +) / Double(aucs.count), absoluteTolerance: 1e-12))
    }
}

@Suite("a bounded heap keeps the best k")
struct BoundedHeapTests {
    @Test("the kept set is the k best of a sort, whatever the order offered (ties broken by index); k = 0 keeps none, k ≥ n keeps all")
    func keepsTheBest() {
        var rng = RandomState(seed: 8)
        let values = (0..<200).map { _ in (rng.rand() * 20).rounded() }  // many ties
        func better(_ a: Int, _ b: Int) -> Bool { values[a] != values[b] ? values[a] > values[b] : a < b }
        let sorted = values.indices.sorted(by: better)
        for k in [0, 1, 7, 50, 200, 300] {
            for order in [Array(values.indices), Array(values.indices.reversed()), rng.permutation(values.count)] {
                var heap = BoundedHeap<Int>(capacity: k)
                for i in order { heap.offer(i, by: better) }
                #expect(heap.elements.sorted(by: better) == Array(sorted.prefix(k)), "k = \(k)")
            }
        }
    }
}
