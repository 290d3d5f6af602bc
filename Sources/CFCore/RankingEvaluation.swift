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
    ///   - usersPerBlock: users scored one after another by a thread (nil: the users split in 8 blocks per thread).
    public init(
        _ score: @Sendable (Int, inout [Double]) -> Void, training: Ratings, heldOut: Ratings, k: Int = 10, curveLength: Int = 50,
        popularity: [Int], sampledNegatives: Int? = nil, seed: UInt32 = 1, threads: Int? = nil, usersPerBlock: Int? = nil
    ) {
        let items = training.itemCount
        let evaluated = (0..<heldOut.userCount).filter { !heldOut.ratings(ofUser: $0).isEmpty }
        var results = [PerUser](repeating: PerUser(), count: evaluated.count)
        let length = max(curveLength, k)
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        // Blocks of users, each scored into one row of `items` scores at a time: the memory is a row per running block,
        // never a users × items table.
        let blockSize = max(1, usersPerBlock ?? (threadCount <= 1 ? max(evaluated.count, 1) : (evaluated.count + threadCount * 8 - 1) / (threadCount * 8)))
        let blocks = (evaluated.count + blockSize - 1) / blockSize
        withoutActuallyEscaping(score) { score in
            let scorer = UncheckedSendable(score)
            results.withUnsafeMutableBufferPointer { buffer in
                let out = SharedSlots(buffer)
                let work: @Sendable (Int) -> Void = { block in
                    var scores = [Double](repeating: 0, count: items)
                    var seen = [Bool](repeating: false, count: items), held = [Bool](repeating: false, count: items)
                    var heap = BoundedHeap<Int>(capacity: length)
                    for index in (block * blockSize)..<min(evaluated.count, (block + 1) * blockSize) {
                        let user = evaluated[index]
                        scorer.value(user, &scores)
                        let own = training.ratings(ofUser: user)
                        for r in own { seen[r.item] = true }
                        let relevantItems = heldOut.ratings(ofUser: user).map(\.item)
                        for item in relevantItems where item < items { held[item] = true }
                        let result = scores.withUnsafeBufferPointer { scores in
                            seen.withUnsafeBufferPointer { seen in
                                held.withUnsafeBufferPointer { held in
                                    RankingEvaluation.evaluate(
                                        user: user, scores: scores, seen: seen, held: held, relevant: Set(relevantItems), ownCount: own.count,
                                        k: k, length: length, sampledNegatives: sampledNegatives, seed: seed, heap: &heap)
                                }
                            }
                        }
                        for item in relevantItems where item < items { held[item] = false }
                        for r in own { seen[r.item] = false }
                        out.base[index] = result
                    }
                }
                if threadCount <= 1 || blocks <= 1 {
                    for block in 0..<blocks { work(block) }
                } else {
                    DispatchQueue.concurrentPerform(iterations: blocks, execute: work)
                }
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
    /// What the evaluation keeps of one user.
    struct PerUser {
        var list: [Int] = [], precision = [Double](), recall = [Double](), ndcg = 0.0, map = 0.0, hit = 0.0, auc = 0.0, sampledHit = 0.0, sampledNDCG = 0.0
    }

    /// One user's list and metrics, from the scores of every item: `seen` marks the user's training items, `held` and
    /// `relevant` the held-out ones (`held` only those in the catalogue). The loops over the catalogue read buffers, not
    /// arrays a closure captures, so that they run without exclusivity checks and hashing.
    static func evaluate(
        user: Int, scores: UnsafeBufferPointer<Double>, seen: UnsafeBufferPointer<Bool>, held: UnsafeBufferPointer<Bool>,
        relevant: Set<Int>, ownCount: Int, k: Int, length: Int, sampledNegatives: Int?, seed: UInt32, heap: inout BoundedHeap<Int>
    ) -> PerUser {
        let items = scores.count
        // i before j: a higher score, ties by index.
        func before(_ i: Int, _ j: Int) -> Bool { scores[i] != scores[j] ? scores[i] > scores[j] : i < j }
        var candidates = [Int](), top = [Int]()
        if sampledNegatives != nil {
            // The sampled protocol draws from the ranked list, so it needs the whole order.
            candidates = (0..<items).filter { !seen[$0] }
            candidates.sort(by: before)
            top = Array(candidates.prefix(length))
        } else {
            // The best `length` only, in a heap whose root is the worst kept so far.
            heap.removeAll()
            for i in 0..<items where !seen[i] { heap.offer(i, by: before) }
            top = heap.elements
            top.sort(by: before)
        }
        var result = PerUser()
        result.list = top
        result.precision = (1...length).map { RankingMetrics.precision(result.list, relevant: relevant, k: $0) }
        result.recall = (1...length).map { RankingMetrics.recall(result.list, relevant: relevant, k: $0) }
        result.ndcg = RankingMetrics.ndcg(result.list, relevant: relevant, k: k)
        result.map = RankingMetrics.averagePrecision(result.list, relevant: relevant, k: k)
        result.hit = RankingMetrics.hit(result.list, relevant: relevant, k: k)
        // AUC: the share of (held-out, other unseen) pairs in the right order, counted without the full list.
        let positives = relevant.filter { $0 < items && !seen[$0] }
        let negatives = items - ownCount - positives.count
        if positives.isEmpty || negatives <= 0 {
            result.auc = 0.5
        } else {
            // For each other unseen item, the held-out items ranked above it: a prefix of them in ranked order.
            let ranked = positives.sorted(by: before)
            var correct = 0
            for i in 0..<items where !seen[i] && !held[i] {
                var low = 0, high = ranked.count
                while low < high {
                    let mid = (low + high) / 2
                    if before(ranked[mid], i) { low = mid + 1 } else { high = mid }
                }
                correct += low
            }
            result.auc = Double(correct) / Double(positives.count * negatives)
        }
        if let sampledNegatives {
            // Each held-out item against the same sampled negatives: items neither seen nor held out.
            var rng = RandomState(seed: seed &+ UInt32(truncatingIfNeeded: user) &* 2_654_435_761)
            let pool = candidates.filter { !held[$0] }
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
            // In a fixed order, so that the sum is the same in every run; a held-out item outside the catalogue has no score
            // and is never found.
            for item in relevant.sorted() where item < items {
                let rank = negatives.filter { scores[$0] > scores[item] || (scores[$0] == scores[item] && $0 < item) }.count
                if rank < k { hits += 1; gains += 1 / log2(Double(rank + 2)) }
            }
            result.sampledHit = hits / Double(relevant.count)
            result.sampledNDCG = gains / Double(relevant.count)
        }
        return result
    }
}
