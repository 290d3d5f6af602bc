@testable import CFCore
import Numerics
import Testing

@Suite("neighbourhoods: similarities, predictions, explanations; principal components")
struct NeighbourhoodTests {
    // Users 0-2, items 0-3. Item 3 is rated only by user 2, who did not rate item 0: no common rater.
    let ratings = try! Ratings(dense: [[5, 3, nil, nil], [4, 1, 2, nil], [nil, 4, 5, 2]])

    @Test("cosine, Pearson and shrunk baseline Pearson against hand computation; a pair with no common rater is 0")
    func handComputed() {
        let cosine = ItemSimilarities(ratings, kind: .cosine, threads: 1)
        // Items 0 and 1, common raters 0 and 1: (5·3 + 4·1) / √((25 + 16)(9 + 1)) = 19 / √410.
        #expect(cosine(0, 1).isApproximatelyEqual(to: 19 / 410.0.squareRoot(), relativeTolerance: 1e-6))
        #expect(cosine(1, 0) == cosine(0, 1) && cosine.common(0, 1) == 2)
        #expect(cosine(0, 3) == 0 && cosine.common(0, 3) == 0)
        let pearson = ItemSimilarities(ratings, kind: .pearson, threads: 1)
        // Centred on the items' means 4.5 and 8/3: x = (0.5, −0.5), y = (1/3, −5/3); 1 / √(0.5 · 26/9) = 3 / √13.
        #expect(pearson(0, 1).isApproximatelyEqual(to: 3 / 13.0.squareRoot(), relativeTolerance: 1e-6))
        // A zero baseline of 3: residuals x = (2, 1), y = (0, −2); −2 / √20, shrunk by n / (n + 2) = 2 / 4.
        let three = FactorModel(userFactors: Matrix(rows: 3, columns: 0), itemFactors: Matrix(rows: 4, columns: 0), globalMean: 3)
        let shrunk = ItemSimilarities(ratings, kind: .pearsonBaseline, baseline: three, shrinkage: 2, threads: 1)
        #expect(shrunk(0, 1).isApproximatelyEqual(to: -2 / 20.0.squareRoot() * 0.5, relativeTolerance: 1e-6))
        #expect(shrunk(0, 3) == 0)
    }

    @Test("the similarity table is the same on one and two threads, and symmetric")
    func threads() throws {
        let data = try unevenRatings(seed: 8)
        let baseline = Baseline.biases(data)
        let one = ItemSimilarities(data, kind: .pearsonBaseline, baseline: baseline, threads: 1)
        let two = ItemSimilarities(data, kind: .pearsonBaseline, baseline: baseline, threads: 2)
        #expect(one.values == two.values && one.commonRaters == two.commonRaters && one.neighbourItems == two.neighbourItems)
        for i in 0..<data.itemCount { for j in 0..<data.itemCount { #expect(one(i, j) == one(j, i)) } }
    }

    @Test("predictions equal a brute-force evaluation of the formula, and the explanation's shares add up to prediction − baseline")
    func predictions() throws {
        let data = try unevenRatings(seed: 12)
        let baseline = Baseline.biases(data)
        let sims = ItemSimilarities(data, kind: .pearsonBaseline, baseline: baseline, shrinkage: 20)
        let model = NeighbourModel(ratings: data, baseline: baseline, similarities: sims, neighbours: 7)
        for u in Swift.stride(from: 0, to: data.userCount, by: 7) {
            for i in Swift.stride(from: 0, to: data.itemCount, by: 5) {
                // Brute force: every item the user rated, its similarity, the 7 best positive ones.
                var all = [(sim: Double, residual: Double, item: Int)]()
                for r in data.ratings(ofUser: u) where r.item != i {
                    all.append((sims(i, r.item), r.value - baseline.score(user: u, item: r.item), r.item))
                }
                let best = all.filter { $0.sim > 0 }.sorted { $0.sim != $1.sim ? $0.sim > $1.sim : $0.item < $1.item }.prefix(7)
                let total = best.reduce(0) { $0 + $1.sim }
                let expected = baseline.score(user: u, item: i) + (total > 0 ? best.reduce(0) { $0 + $1.sim * $1.residual } / total : 0)
                #expect(model.score(user: u, item: i).isApproximatelyEqual(to: expected, absoluteTolerance: 1e-12))
                let shares = model.contributions(user: u, item: i).reduce(0) { $0 + $1.share }
                #expect(shares.isApproximatelyEqual(to: model.score(user: u, item: i) - baseline.score(user: u, item: i), absoluteTolerance: 1e-12))
            }
        }
    }

    @Test("principal components: a 2-D line (closed form) and numpy's eigh on a random 12 × 4 matrix")
    func principalComponents() {
        // Points on y = 2x: all the variance, 5 · var(x) = 5 · 10/3, along (1, 2)/√5; none across.
        let line = PrincipalComponents(Matrix([[1, 2], [-1, -2], [2, 4], [-2, -4]]))
        #expect(line.variances[0].isApproximatelyEqual(to: 50.0 / 3, relativeTolerance: 1e-12))
        #expect(abs(line.variances[1]) < 1e-12)
        #expect(line.directions[0, 0].isApproximatelyEqual(to: 1 / 5.0.squareRoot(), relativeTolerance: 1e-12))
        #expect(line.directions[0, 1].isApproximatelyEqual(to: 2 / 5.0.squareRoot(), relativeTolerance: 1e-12))
        // numpy: np.linalg.eigh(np.cov(X, rowvar=False)) for X = RandomState(3).randn(12, 4), signs as ours.
        var rng = RandomState(seed: 3)
        let x = rng.randn(12, 4)
        let pca = PrincipalComponents(x)
        let numpy = [1.655448313431854, 1.1602912304856219, 0.6687683448782352, 0.4362583342116134]
        for (a, b) in zip(pca.variances, numpy) { #expect(a.isApproximatelyEqual(to: b, relativeTolerance: 1e-10)) }
        let projected = pca.project(x)
        let expected = [[-2.1135457025235316, 1.2757062194585964], [-0.2540107982099598, 0.02216051021522469]]
        for r in 0..<2 { for c in 0..<2 { #expect(projected[r, c].isApproximatelyEqual(to: expected[r][c], relativeTolerance: 1e-9)) } }
    }

    @Test("user-user neighbourhoods are item-item ones of the transposed ratings")
    func transposed() {
        let t = ratings.transposed
        #expect(t.userCount == 4 && t.itemCount == 3 && t.count == ratings.count)
        #expect(t.value(user: 3, item: 2) == 2 && t.transposed.entries == ratings.entries)
    }
}

@Suite("explaining a factor model")
struct FactorExplanationTests {
    @Test("a folded-in user's score is μ + b_i plus one share per rated movie (the shares add up, to 1e-10)")
    func sharesAddUp() throws {
        var rng = RandomState(seed: 21)
        let model = FactorModel(
            userFactors: Matrix(rows: 1, columns: 4), itemFactors: rng.randn(9, 4),
            itemBias: (0..<9).map { _ in 0.3 * rng.randn() }, globalMean: 3.4)
        let ratings: [(item: Int, value: Double)] = [(0, 5), (2, 1), (3, 4), (5, 3), (7, 2), (8, 5)]
        for weighted in [false, true] {
            let folded = try model.foldIn(ratings, lambda: 0.3, weighted: weighted)
            let scored = model.addingUser(factors: folded.factors, bias: folded.bias)
            for item in [1, 4, 6] {
                let shares = try model.foldInShares(ratings, item: item, lambda: 0.3, weighted: weighted)
                let total = shares.reduce(0) { $0 + $1.share }
                #expect(total.isApproximatelyEqual(to: scored.score(user: 1, item: item) - 3.4 - model.itemBias[item], absoluteTolerance: 1e-10))
                #expect(shares.count == ratings.count)
            }
        }
    }
}
