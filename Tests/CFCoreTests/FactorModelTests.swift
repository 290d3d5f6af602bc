import CFCore
import Numerics
import Testing

@Suite("FactorModel and metrics")
struct FactorModelTests {
    // Two users, three items, k = 2.
    let users = Matrix([[1, 0], [0.5, 2]])
    let items = Matrix([[3, 1], [1, 1], [0, 2]])

    @Test("predict is the dot product, plus biases and the global mean when given")
    func predict() {
        let plain = FactorModel(userFactors: users, itemFactors: items)
        #expect(plain.predict(user: 1, item: 0) == 0.5 * 3 + 2 * 1)
        #expect(plain.predictedMatrix().rowArrays == [[3, 1, 0], [3.5, 2.5, 4]])
        let biased = FactorModel(
            userFactors: users, itemFactors: items, userBias: [0.1, -0.2],
            itemBias: [0, 0.3, -0.5], globalMean: 3)
        #expect(biased.predict(user: 0, item: 1).isApproximatelyEqual(to: 3 + 0.1 + 0.3 + 1, relativeTolerance: 1e-15))
    }

    @Test(
        "scores of the whole catalogue, eight items at a time, equal score(user:item:) to the bit: for k of 1, 7, 8 and 50 and catalogues that do not fill the last eight",
        arguments: [1, 7, 8, 50], [5, 8, 21])
    func wholeCatalogue(k: Int, items: Int) {
        var rng = RandomState(seed: UInt32(k * 100 + items))
        let model = FactorModel(
            userFactors: rng.randn(3, k), itemFactors: rng.randn(items, k), userBias: [0.3, -0.1, 0.7],
            itemBias: (0..<items).map { _ in rng.rand() - 0.5 }, globalMean: 3.1)
        var scores = [Double](repeating: .nan, count: items)
        for user in 0..<3 {
            model.scores(user: user, into: &scores)
            // Exact: the same products added in the same order, only side by side.
            #expect(scores == (0..<items).map { model.score(user: user, item: $0) })
        }
    }

    @Test("predictions are clipped to the rating scale; ranking still uses the raw score")
    func clipping() throws {
        let model = FactorModel(userFactors: users, itemFactors: items, ratingScale: 1...3)
        #expect(model.predict(user: 1, item: 2) == 3)
        #expect(model.predict(user: 0, item: 2) == 1)
        let rated = try Ratings(userCount: 2, itemCount: 3, triples: [(0, 0, 3)])
        // User 1 scores 3.5, 2.5, 4: item 2 comes first although items 0 and 2 both clip to 3.
        #expect(model.recommendations(for: 1, count: 3, excluding: rated).map(\.item) == [2, 0, 1])
    }

    @Test("recommendations leave out rated items and, if asked, rarely rated ones")
    func recommendations() throws {
        let model = FactorModel(userFactors: users, itemFactors: items)
        let rated = try Ratings(userCount: 2, itemCount: 3, triples: [(1, 2, 5), (0, 0, 4), (0, 1, 2)])
        let top = model.recommendations(for: 1, count: 5, excluding: rated)
        #expect(top == [Recommendation(item: 0, predictedRating: 3.5), Recommendation(item: 1, predictedRating: 2.5)])
        #expect(model.recommendations(for: 0, count: 5, excluding: rated).map(\.item) == [2])
        // Item 0 and 1 have one rating each, item 2 one: with a minimum of 2 nothing qualifies.
        #expect(model.recommendations(for: 1, count: 5, excluding: rated, minimumRatings: 2).isEmpty)
    }

    @Test("MSE, RMSE and MAE against hand-computed values")
    func metrics() throws {
        let model = FactorModel(userFactors: users, itemFactors: items)
        // Predictions 3, 2.5, 4 against ratings 4, 2, 4: errors -1, 0.5, 0.
        let ratings = try Ratings(userCount: 2, itemCount: 3, triples: [(0, 0, 4), (1, 1, 2), (1, 2, 4)])
        #expect(Metrics.sumOfSquaredErrors(ratings) { model.predict(user: $0, item: $1) } == 1.25)
        #expect(model.mse(on: ratings).isApproximatelyEqual(to: 1.25 / 3, relativeTolerance: 1e-15))
        #expect(model.rmse(on: ratings).isApproximatelyEqual(to: (1.25 / 3).squareRoot(), relativeTolerance: 1e-15))
        #expect(model.mae(on: ratings).isApproximatelyEqual(to: 0.5, relativeTolerance: 1e-15))
        // The same errors given as two lists.
        #expect(Metrics.rmse([3, 2.5, 4], [4, 2, 4]).isApproximatelyEqual(to: (1.25 / 3).squareRoot(), relativeTolerance: 1e-15))
    }
}

@Suite("trust: shrunk means, the minimum of ratings, ranking by the raw score")
struct TrustTests {
    @Test("a shrunk mean is (Σ r + prior · μ) / (n + prior), by hand; prior 0 is the plain mean")
    func shrunkMeans() throws {
        // Item 0: 5, 5 (n = 2); item 1: 1, 2, 3; item 2: none. μ = 16 / 5 = 3.2.
        let ratings = try Ratings(dense: [[5, 1, nil], [5, 2, nil], [nil, 3, nil]])
        let shrunk = ratings.itemMeans(prior: 10)
        #expect(shrunk[0].isApproximatelyEqual(to: (10 + 10 * 3.2) / 12, relativeTolerance: 1e-15))
        #expect(shrunk[1].isApproximatelyEqual(to: (6 + 10 * 3.2) / 13, relativeTolerance: 1e-15))
        #expect(shrunk[2].isApproximatelyEqual(to: 3.2, relativeTolerance: 1e-15))
        #expect(ratings.itemMeans() == [5, 2, 3.2])
    }

    @Test("the minimum of ratings is 20 unless fewer than a tenth of the movies reach it; it does not collapse on a long tail")
    func minimum() throws {
        // 10 movies with 30 ratings and 90 with 2 (the median movie has 2): the most rated tenth has 30, so 20 stands.
        var cells = [(user: Int, item: Int, value: Double)]()
        for item in 0..<10 { for user in 0..<30 { cells.append((user, item, 4)) } }
        for item in 10..<100 { for user in 0..<2 { cells.append((user + item % 20, item, 5)) } }
        #expect(try Ratings(userCount: 40, itemCount: 100, triples: cells).minimumRatingsToRecommend() == 20)
        // A small catalogue where no movie has 20: the count of its most rated tenth.
        let small = try Ratings(
            userCount: 8, itemCount: 10, triples: (0..<10).flatMap { item in (0..<(item < 2 ? 8 : 3)).map { (user: $0, item: item, value: 3.0) } })
        #expect(small.minimumRatingsToRecommend() == 8)
    }

    @Test("recommendations clipped to the top of the scale keep the order of their raw scores, and show them")
    func clippedOrder() throws {
        let model = FactorModel(
            userFactors: Matrix([[1]]), itemFactors: Matrix([[1.2], [2.5], [0.7], [1.9]]),
            globalMean: 4, ratingScale: 1...5)
        let rated = try Ratings(userCount: 2, itemCount: 4, ratings: [Rating(user: 1, item: 0, value: 3)])  // user 0 has rated nothing
        let top = model.recommendations(for: 0, count: 4, excluding: rated)
        #expect(top.map(\.item) == [1, 3, 0, 2])
        #expect(top.map(\.predictedRating) == [5, 5, 5, 4.7])
        #expect(top.map(\.shown) == ["5.00 (6.50)", "5.00 (5.90)", "5.00 (5.20)", "4.70"])
    }
}
