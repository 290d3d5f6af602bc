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
        let biased = FactorModel(userFactors: users, itemFactors: items, userBias: [0.1, -0.2],
                                 itemBias: [0, 0.3, -0.5], globalMean: 3)
        #expect(biased.predict(user: 0, item: 1).isApproximatelyEqual(to: 3 + 0.1 + 0.3 + 1, relativeTolerance: 1e-15))
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
        #expect(Metrics.mse(model, on: ratings).isApproximatelyEqual(to: 1.25 / 3, relativeTolerance: 1e-15))
        #expect(Metrics.rmse(model, on: ratings).isApproximatelyEqual(to: (1.25 / 3).squareRoot(), relativeTolerance: 1e-15))
        #expect(Metrics.mae(model, on: ratings).isApproximatelyEqual(to: 0.5, relativeTolerance: 1e-15))
    }
}
