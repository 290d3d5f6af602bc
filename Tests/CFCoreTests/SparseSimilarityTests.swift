@testable import CFCore
import Numerics
import Testing

/// A plain dense computation of a similarity table, pair by pair: over the users who rated both items, in increasing
/// user order, the 32-bit sums Σ x y, Σ x², Σ y² (so the same numbers as the sparse rows, bit for bit), and each
/// pair's number of common raters.
private func denseTable(_ ratings: Ratings, x: (Rating) -> Float, measure: (Float, Float, Float, Int32, Int, Int) -> Float) -> (
    values: [[Float]], common: [[Int32]]
) {
    let items = ratings.itemCount
    var values = [[Float]](repeating: [Float](repeating: 0, count: items), count: items)
    var common = [[Int32]](repeating: [Int32](repeating: 0, count: items), count: items)
    for i in 0..<items {
        let a = Array(ratings.ratings(ofItem: i))
        for j in 0..<items where j != i {
            let b = Array(ratings.ratings(ofItem: j))
            var p = 0, q = 0, xy: Float = 0, xx: Float = 0, yy: Float = 0, n: Int32 = 0
            while p < a.count && q < b.count {
                if a[p].user != b[q].user {
                    if a[p].user < b[q].user { p += 1 } else { q += 1 }
                    continue
                }
                let xi = x(a[p]), xj = x(b[q])
                xy += xi * xj
                xx += xi * xi
                yy += xj * xj
                n += 1
                p += 1
                q += 1
            }
            common[i][j] = n
            values[i][j] = n > 0 ? measure(xy, xx, yy, n, i, j) : 0
        }
    }
    return (values, common)
}

/// Item j's place in row i of the dense table: similarity first, then index.
private func ranked(_ table: (values: [[Float]], common: [[Int32]]), _ i: Int) -> [(item: Int, similarity: Float)] {
    (0..<table.values.count).filter { $0 != i && table.common[i][$0] > 0 }.map { ($0, table.values[i][$0]) }
        .sorted { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.item < $1.item }
}

@Suite("similarities kept as each item's top neighbours: against a dense brute force, memory, predictions")
struct SparseSimilarityTests {
    @Test("every measure: the kept rows are the dense table's best N, same values and order, for N = 3, 20 and all", arguments: [3, 20, 1000])
    func rowsAgainstDense(keep: Int) throws {
        let data = try unevenRatings(users: 60, items: 45, seed: 21)
        let baseline = Baseline.biases(data), means = data.itemMeans()
        let kinds: [(Similarity, (Rating) -> Float)] = [
            (.cosine, { Float($0.value) }), (.pearson, { Float($0.value - means[$0.item]) }),
            (.pearsonBaseline, { Float($0.value - baseline.score(user: $0.user, item: $0.item)) })
        ]
        for (kind, x) in kinds {
            let dense = denseTable(data, x: x) { xy, xx, yy, n, _, _ in
                let norms = (xx * yy).squareRoot()
                var sim: Float = norms > 0 ? xy / norms : 0
                if kind == .pearsonBaseline { sim *= Float(n) / (Float(n) + 20) }
                return sim
            }
            for threads in [1, 2] {
                let sparse = ItemSimilarities(data, kind: kind, baseline: baseline, shrinkage: 20, keep: keep, exactUpTo: 0, threads: threads)
                #expect(sparse.kept == min(keep, 44))
                for i in 0..<data.itemCount {
                    let expected = Array(ranked(dense, i).prefix(keep))
                    let got = sparse.mostSimilar(to: i, count: keep)
                    // Exact equality: the same 32-bit sums in the same order.
                    #expect(got.map(\.item) == expected.map(\.item))
                    #expect(got.map(\.similarity) == expected.map { Double($0.similarity) })
                    for (j, _) in expected { #expect(sparse.common(i, j) == Int(dense.common[i][j])) }
                }
            }
        }
        let n = data.itemCounts.map(Float.init)
        let counts = denseTable(data, x: { _ in 1 }) { _, _, _, c, i, j in Float(c) / (n[i] * n[j]).squareRoot() }
        let interactions = ItemSimilarities.interactionCosine(data, keep: keep, exactUpTo: 0, threads: 2)
        for i in 0..<data.itemCount {
            let expected = Array(ranked(counts, i).prefix(keep))
            let got = interactions.mostSimilar(to: i, count: keep)
            #expect(got.map(\.item) == expected.map(\.item) && got.map(\.similarity) == expected.map { Double($0.similarity) })
        }
    }

    @Test("storage grows with items × kept, not items²: 2,000 items keeping 10 take at most (items + 1) × 8 + items × 10 × 12 bytes")
    func storage() throws {
        var rng = RandomState(seed: 3)
        var cells = [Rating](), taken = Set<Int>()
        for u in 0..<300 {
            for _ in 0..<40 {
                let i = rng.integer(upTo: 1999)
                if taken.insert(u * 2000 + i).inserted { cells.append(Rating(user: u, item: i, value: 1 + Double(rng.integer(upTo: 4)))) }
            }
        }
        let data = try Ratings(userCount: 300, itemCount: 2000, ratings: cells)
        let sims = ItemSimilarities(data, kind: .cosine, keep: 10, exactUpTo: 0, threads: 2)
        #expect(sims.storageBytes <= 2001 * 8 + 2000 * 10 * 12)
        #expect(sims.storageBytes < 2000 * 2000 * 8 / 20)
        #expect((0..<2000).allSatisfy { sims.rowStarts[$0 + 1] - sims.rowStarts[$0] <= 10 })
    }

    @Test("predictions with every neighbour kept equal the dense formula exactly; with k ≤ N kept, where the user's k best are kept, too")
    func predictions() throws {
        let data = try unevenRatings(users: 70, items: 50, seed: 33)
        let baseline = Baseline.biases(data)
        let dense = denseTable(data, x: { Float($0.value - baseline.score(user: $0.user, item: $0.item)) }) { xy, xx, yy, n, _, _ in
            let norms = (xx * yy).squareRoot()
            var sim: Float = norms > 0 ? xy / norms : 0
            sim *= Float(n) / (Float(n) + 100)
            return sim
        }
        let full = ItemSimilarities(data, kind: .pearsonBaseline, baseline: baseline)
        #expect(full.kept == 49)
        for k in [1, 5, 30] {
            let model = NeighbourModel(ratings: data, baseline: baseline, similarities: full, neighbours: k)
            for u in Swift.stride(from: 0, to: data.userCount, by: 3) {
                for i in Swift.stride(from: 0, to: data.itemCount, by: 4) {
                    var all = [(sim: Double, residual: Double, item: Int)]()
                    for r in data.ratings(ofUser: u) where r.item != i {
                        all.append((Double(dense.values[i][r.item]), r.value - baseline.score(user: u, item: r.item), r.item))
                    }
                    let best = all.filter { $0.sim > 0 }.sorted { $0.sim != $1.sim ? $0.sim > $1.sim : $0.item < $1.item }.prefix(k)
                    let total = best.reduce(0) { $0 + $1.sim }
                    // The same terms summed in the same order as the model: equal to 1e-12 (the shares are divided first).
                    let expected = baseline.score(user: u, item: i) + (total > 0 ? best.reduce(0) { $0 + $1.sim * $1.residual / total } : 0)
                    #expect(model.score(user: u, item: i).isApproximatelyEqual(to: expected, absoluteTolerance: 1e-12))
                }
            }
        }
    }

    @Test("a cap on ratings per user above every user's count changes nothing; below it, the rows are the table of the sampled ratings")
    func sampling() throws {
        let data = try unevenRatings(users: 60, items: 45, seed: 4)
        let most = (0..<data.userCount).map { data.ratings(ofUser: $0).count }.max() ?? 0
        let all = ItemSimilarities(data, kind: .cosine, threads: 1)
        let capped = ItemSimilarities(data, kind: .cosine, ratingsPerUser: most, threads: 1)
        #expect(all.values == capped.values && all.neighbourItems == capped.neighbourItems && capped.sampledUsers == 0)
        let cap = 10
        let sampled = ItemSimilarities(data, kind: .cosine, ratingsPerUser: cap, threads: 2)
        let heavy = (0..<data.userCount).filter { data.ratings(ofUser: $0).count > cap }
        #expect(sampled.sampledUsers == heavy.count)
        #expect(sampled.ratingsLeftOut == heavy.reduce(0) { $0 + data.ratings(ofUser: $1).count - cap })
        // Every pair's common raters can only fall, and no user adds more than cap − 1 pairs to an item's row.
        for i in 0..<data.itemCount {
            for p in sampled.rowStarts[i]..<sampled.rowStarts[i + 1] {
                #expect(Int(sampled.commonRaters[p]) <= all.common(i, Int(sampled.neighbourItems[p])))
            }
        }
    }
}
