import Dispatch
import Foundation

/// A ranking model judged the course's way: for every user with a held-out item, the whole catalogue is scored,
/// the user's training items are removed, and the rest is sorted (ties by item index); the metrics of
/// `RankingMetrics` are averaged over those users. Optionally also the sampled protocol many papers use: each
/// held-out item ranked among `sampledNegatives` random items the user never interacted with.
public struct RankingEvaluation: Sendable {
    /// The cut-off of the headline metrics.
    public let k: Int
    /// Users evaluated (those with at least one held-out item).
    public let users: [Int]
    /// Mean precision@k, recall@k, NDCG@k, MAP@k, hit rate@k and AUC over the users.
    public let precision: Double, recall: Double, ndcg: Double, map: Double, hitRate: Double, auc: Double
    /// NDCG@k of each user, in the order of `users`: its spread is the metric's uncertainty.
    public let ndcgPerUser: [Double]
    /// Hit rate@k of each user (0 or 1), in the order of `users`.
    public let hitPerUser: [Double]
    /// The sampled protocol's hit rate@k and NDCG@k of each user, in the order of `users` (empty when not asked for).
    public let sampledHitPerUser: [Double], sampledNDCGPerUser: [Double]
    /// Mean precision@n and recall@n for n = 1...`curveLength` (index n − 1): the precision–recall curve.
    public let precisionCurve: [Double], recallCurve: [Double]
    /// Share of the catalogue that appears in some user's top k.
    public let coverage: Double
    /// Share of recommended items among the 10% most popular, and their mean popularity rank (1 = most popular).
    public let popularShare: Double, meanPopularityRank: Double
    /// Each evaluated user's top `curveLength`, in the order of `users`.
    public let lists: [[Int]]
    /// Sampled protocol: mean hit rate@k and NDCG@k of the held-out items each ranked among the sampled negatives (nil
    /// when not asked for).
    public let sampledHitRate: Double?, sampledNDCG: Double?

    /// Ranks every item for each user with a held-out item and measures the lists.
    ///
    /// - Parameters:
    ///   - score: fills a user's scores of every item (higher is better).
    ///   - training: the interactions the model saw; they are removed from each user's list.
    ///   - heldOut: the interactions to find.
    ///   - popularity: each item's interactions, for the popularity-bias measures.
    ///   - sampledNegatives: with a number, also the sampled protocol, negatives drawn from `seed`.
    public init(
        _ score: @Sendable (Int, inout [Double]) -> Void, training: Ratings, heldOut: Ratings, k: Int = 10, curveLength: Int = 50,
        popularity: [Int], sampledNegatives: Int? = nil, seed: UInt32 = 1, threads: Int? = nil
    ) {
        let items = training.itemCount
        let evaluated = (0..<heldOut.userCount).filter { !heldOut.ratings(ofUser: $0).isEmpty }
        struct PerUser {
            var list: [Int] = [], precision = [Double](), recall = [Double](), ndcg = 0.0, map = 0.0, hit = 0.0, auc = 0.0, sampledHit = 0.0, sampledNDCG = 0.0
        }
        var results = [PerUser](repeating: PerUser(), count: evaluated.count)
        let length = max(curveLength, k)
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let chunks = threadCount <= 1 ? 1 : threadCount * 8
        withoutActuallyEscaping(score) { score in
            let scorer = UncheckedSendable(score)
            results.withUnsafeMutableBufferPointer { buffer in
                let out = SharedSlots(buffer)
                let work: @Sendable (Int) -> Void = { chunk in
                    var scores = [Double](repeating: 0, count: items)
                    var seen = [Bool](repeating: false, count: items)
                    for index in (evaluated.count * chunk / chunks)..<(evaluated.count * (chunk + 1) / chunks) {
                        let user = evaluated[index]
                        scorer.value(user, &scores)
                        let own = training.ratings(ofUser: user)
                        for r in own { seen[r.item] = true }
                        let relevant = Set(heldOut.ratings(ofUser: user).map { $0.item })
                        var candidates = (0..<items).filter { !seen[$0] }
                        candidates.sort { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
                        var result = PerUser()
                        result.list = Array(candidates.prefix(length))
                        result.precision = (1...length).map { RankingMetrics.precision(result.list, relevant: relevant, k: $0) }
                        result.recall = (1...length).map { RankingMetrics.recall(result.list, relevant: relevant, k: $0) }
                        result.ndcg = RankingMetrics.ndcg(result.list, relevant: relevant, k: k)
                        result.map = RankingMetrics.averagePrecision(result.list, relevant: relevant, k: k)
                        result.hit = RankingMetrics.hit(result.list, relevant: relevant, k: k)
                        result.auc = RankingMetrics.auc(candidates, relevant: relevant)
                        if let sampledNegatives {
                            // Each held-out item against the same sampled negatives: items neither seen nor held out.
                            var rng = RandomState(seed: seed &+ UInt32(truncatingIfNeeded: user) &* 2_654_435_761)
                            let pool = candidates.filter { !relevant.contains($0) }
                            var negatives = [Int]()
                            if pool.count <= sampledNegatives {
                                negatives = pool
                            } else {
                                var taken = Set<Int>()
                                while negatives.count < sampledNegatives {
                                    let pick = pool[rng.integer(upTo: pool.count - 1)]
                                    if taken.insert(pick).inserted { negatives.append(pick) }
                                }
                            }
                            var hits = 0.0, gains = 0.0
                            for item in relevant {
                                let rank = negatives.filter { scores[$0] > scores[item] || (scores[$0] == scores[item] && $0 < item) }.count
                                if rank < k { hits += 1; gains += 1 / log2(Double(rank + 2)) }
                            }
                            result.sampledHit = hits / Double(relevant.count)
                            result.sampledNDCG = gains / Double(relevant.count)
                        }
                        for r in own { seen[r.item] = false }
                        out.base[index] = result
                    }
                }
                if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
            }
        }
        // Averages over the evaluated users (NaN, not 0, when there are none: no users is no evidence).
        self.k = k
        users = evaluated
        precision = mean(results.map { $0.precision[k - 1] })
        recall = mean(results.map { $0.recall[k - 1] })
        ndcgPerUser = results.map(\.ndcg)
        ndcg = mean(ndcgPerUser)
        map = mean(results.map(\.map))
        hitPerUser = results.map(\.hit)
        hitRate = mean(hitPerUser)
        auc = mean(results.map(\.auc))
        precisionCurve = (0..<length).map { n in mean(results.map { $0.precision[n] }) }
        recallCurve = (0..<length).map { n in mean(results.map { $0.recall[n] }) }
        lists = results.map(\.list)
        coverage = RankingMetrics.coverage(lists, k: k, catalogue: items)
        (popularShare, meanPopularityRank) = RankingMetrics.popularityBias(lists, k: k, popularity: popularity)
        sampledHitPerUser = sampledNegatives == nil ? [] : results.map(\.sampledHit)
        sampledNDCGPerUser = sampledNegatives == nil ? [] : results.map(\.sampledNDCG)
        sampledHitRate = sampledNegatives == nil ? nil : mean(sampledHitPerUser)
        sampledNDCG = sampledNegatives == nil ? nil : mean(sampledNDCGPerUser)
    }
}
