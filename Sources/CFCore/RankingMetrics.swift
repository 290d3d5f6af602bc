import Foundation

/// Measures of a ranked list of recommendations against the items a user actually chose (held out).
///
/// Every function takes one user's list, best first, and the set of that user's relevant (held-out) items. The
/// course's protocol ranks the whole catalogue with the user's training items removed, and averages over users.
public enum RankingMetrics {
    /// precision@k = |top k ∩ relevant| / k.
    public static func precision(_ ranked: [Int], relevant: Set<Int>, k: Int) -> Double {
        guard k > 0 else { return 0 }
        return Double(ranked.prefix(k).filter(relevant.contains).count) / Double(k)
    }

    /// recall@k = |top k ∩ relevant| / |relevant| (0 when nothing is relevant).
    public static func recall(_ ranked: [Int], relevant: Set<Int>, k: Int) -> Double {
        guard !relevant.isEmpty else { return 0 }
        return Double(ranked.prefix(k).filter(relevant.contains).count) / Double(relevant.count)
    }

    /// hit rate@k: 1 if any of the top k is relevant, else 0.
    public static func hit(_ ranked: [Int], relevant: Set<Int>, k: Int) -> Double {
        ranked.prefix(k).contains(where: relevant.contains) ? 1 : 0
    }

    /// NDCG@k with binary relevance: DCG = Σ_{positions p ≤ k with a relevant item} 1 / log₂(p + 1), divided by the DCG
    /// of the ideal list (all relevant items first). 0 when nothing is relevant.
    public static func ndcg(_ ranked: [Int], relevant: Set<Int>, k: Int) -> Double {
        guard !relevant.isEmpty else { return 0 }
        var dcg = 0.0
        for (index, item) in ranked.prefix(k).enumerated() where relevant.contains(item) { dcg += 1 / log2(Double(index + 2)) }
        let ideal = (0..<min(k, relevant.count)).reduce(0.0) { $0 + 1 / log2(Double($1 + 2)) }
        return ideal > 0 ? dcg / ideal : 0
    }

    /// MAP@k's per-user term, average precision: Σ over the positions p ≤ k holding a relevant item of precision@p,
    /// divided by min(k, |relevant|).
    public static func averagePrecision(_ ranked: [Int], relevant: Set<Int>, k: Int) -> Double {
        guard !relevant.isEmpty, k > 0 else { return 0 }
        var hits = 0, sum = 0.0
        for (index, item) in ranked.prefix(k).enumerated() where relevant.contains(item) {
            hits += 1
            sum += Double(hits) / Double(index + 1)
        }
        return sum / Double(min(k, relevant.count))
    }

    /// AUC: the probability that a relevant item is ranked above an irrelevant one, over the pairs from `ranked`
    /// (the whole list of candidates). 0.5 is a random ranking.
    public static func auc(_ ranked: [Int], relevant: Set<Int>) -> Double {
        let positives = ranked.filter(relevant.contains).count, negatives = ranked.count - positives
        guard positives > 0, negatives > 0 else { return 0.5 }
        var irrelevantBelow = negatives, correct = 0
        for item in ranked {
            if relevant.contains(item) { correct += irrelevantBelow } else { irrelevantBelow -= 1 }
        }
        return Double(correct) / Double(positives * negatives)
    }

    /// Catalogue coverage: the share of the `catalogue` items that appear in at least one user's top k.
    public static func coverage(_ lists: [[Int]], k: Int, catalogue: Int) -> Double {
        guard catalogue > 0 else { return 0 }
        var seen = Set<Int>()
        for list in lists { seen.formUnion(list.prefix(k)) }
        return Double(seen.count) / Double(catalogue)
    }

    /// Popularity bias of top-k lists, given each item's number of interactions: the share of recommended items among
    /// the 10% most popular, and the mean popularity rank of the recommended items (1 = the most popular).
    public static func popularityBias(_ lists: [[Int]], k: Int, popularity: [Int]) -> (shareOfTopTenth: Double, meanRank: Double) {
        let order = popularity.indices.sorted { popularity[$0] != popularity[$1] ? popularity[$0] > popularity[$1] : $0 < $1 }
        var rank = [Int](repeating: 0, count: popularity.count)
        for (position, item) in order.enumerated() { rank[item] = position + 1 }
        let cutoff = max(1, popularity.count / 10)
        var inTop = 0, total = 0, rankSum = 0
        for list in lists {
            for item in list.prefix(k) {
                total += 1
                rankSum += rank[item]
                if rank[item] <= cutoff { inTop += 1 }
            }
        }
        guard total > 0 else { return (0, 0) }
        return (Double(inTop) / Double(total), Double(rankSum) / Double(total))
    }
}
