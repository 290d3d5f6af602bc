import CFCore
import Numerics
import Testing

@Suite("Biases, fold-in, similar items, early stopping")
struct ProductionTests {
    @Test("the baseline recovers known zero-mean biases from ratings μ + b_u + b_i (to 1e-3 with a tiny penalty)")
    func baselineRecoversBiases() throws {
        var rng = RandomState(seed: 8)
        var userBias = (0..<30).map { _ in 0.5 * rng.randn() }, itemBias = (0..<20).map { _ in 0.7 * rng.randn() }
        let ub = userBias.reduce(0, +) / 30, ib = itemBias.reduce(0, +) / 20
        userBias = userBias.map { $0 - ub }
        itemBias = itemBias.map { $0 - ib }
        let ratings = try Ratings(matrix: Matrix(rows: 30, columns: 20) { 3.5 + userBias[$0] + itemBias[$1] }) { _, _ in true }
        let model = Baseline.biases(ratings, userLambda: 1e-6, itemLambda: 1e-6, iterations: 200)
        #expect(model.globalMean.isApproximatelyEqual(to: 3.5, relativeTolerance: 1e-12))
        for u in 0..<30 { #expect(abs(model.userBias[u] - userBias[u]) < 1e-3) }
        for i in 0..<20 { #expect(abs(model.itemBias[i] - itemBias[i]) < 1e-3) }
    }

    @Test("a penalty shrinks the bias of a rarely rated item: one 5 out of one rating is not a great movie")
    func shrinkage() throws {
        let ratings = try Ratings(userCount: 3, itemCount: 2, triples: [(0, 0, 5), (1, 0, 5), (2, 0, 5), (0, 1, 5), (1, 1, 1), (2, 1, 2)])
        let model = Baseline.biases(ratings, userLambda: 0, itemLambda: 10, iterations: 1)
        // μ = 23/6; item 0 has three 5s: b = 3(5 − μ)/(10 + 3). No user bias before the first item step.
        #expect(model.itemBias[0].isApproximatelyEqual(to: 3 * (5 - 23.0 / 6) / 13, relativeTolerance: 1e-12))
        #expect(Baseline.itemMean(ratings).itemBias[0].isApproximatelyEqual(to: 5 - 23.0 / 6, relativeTolerance: 1e-12))
    }

    @Test("fold-in equals the direct ridge solution for (p, b) by Cramer's rule (k = 1)")
    func foldIn() throws {
        let model = FactorModel(
            userFactors: Matrix([[0.3]]), itemFactors: Matrix([[1.5], [-0.5], [2]]),
            itemBias: [0.2, -0.1, 0.4], globalMean: 3.5)
        let mine: [(item: Int, value: Double)] = [(0, 5), (1, 2), (2, 4)]
        let λ = 0.3
        // Rows [q_i, 1], targets r − μ − b_i; normal equations [[Σq² + λ, Σq], [Σq, n + λ]] (p, b) = (Σq y, Σy).
        let q = [1.5, -0.5, 2], y = [5 - 3.5 - 0.2, 2 - 3.5 + 0.1, 4 - 3.5 - 0.4]
        let a = q.map { $0 * $0 }.reduce(0, +) + λ, b = q.reduce(0, +), d = 3 + λ
        let r0 = zip(q, y).map(*).reduce(0, +), r1 = y.reduce(0, +)
        let det = a * d - b * b
        let folded = try model.foldIn(mine, lambda: λ)
        #expect(folded.factors[0].isApproximatelyEqual(to: (d * r0 - b * r1) / det, relativeTolerance: 1e-12))
        #expect(folded.bias.isApproximatelyEqual(to: (a * r1 - b * r0) / det, relativeTolerance: 1e-12))
        let bigger = model.addingUser(factors: folded.factors, bias: folded.bias)
        #expect(bigger.userCount == 2 && bigger.userBias[1] == folded.bias)
    }

    @Test("fold-in with SVD++'s implicit factors: the same ridge solution on targets less q_i · o, plus o = |N|^-½ Σ y_j")
    func foldInImplicit() throws {
        var model = FactorModel(
            userFactors: Matrix([[0.3]]), itemFactors: Matrix([[1.5], [-0.5], [2]]),
            itemBias: [0.2, -0.1, 0.4], globalMean: 3.5)
        model.implicitItemFactors = Matrix([[0.4], [-0.2], [0.6]])
        let mine: [(item: Int, value: Double)] = [(0, 5), (1, 2), (2, 4)]
        let λ = 0.3
        let o = (0.4 - 0.2 + 0.6) / 3.0.squareRoot()
        let q = [1.5, -0.5, 2], y = [5 - 3.5 - 0.2 - 1.5 * o, 2 - 3.5 + 0.1 + 0.5 * o, 4 - 3.5 - 0.4 - 2 * o]
        let a = q.map { $0 * $0 }.reduce(0, +) + λ, b = q.reduce(0, +), d = 3 + λ
        let r0 = zip(q, y).map(*).reduce(0, +), r1 = y.reduce(0, +)
        let det = a * d - b * b
        let folded = try model.foldIn(mine, lambda: λ)
        #expect(folded.factors[0].isApproximatelyEqual(to: (d * r0 - b * r1) / det + o, relativeTolerance: 1e-12))
        #expect(folded.bias.isApproximatelyEqual(to: (a * r1 - b * r0) / det, relativeTolerance: 1e-12))
    }

    @Test("similar items: cosine is symmetric, an item is never its own neighbour, best first")
    func similarItems() {
        let model = FactorModel(userFactors: Matrix([[1, 1]]), itemFactors: Matrix([[1, 0], [2, 0.1], [0, 1], [-1, 0], [1, 1]]))
        #expect(model.cosineSimilarity(item: 0, 4) == model.cosineSimilarity(item: 4, 0))
        #expect(model.cosineSimilarity(item: 0, 3).isApproximatelyEqual(to: -1, relativeTolerance: 1e-15))
        let similar = model.similarItems(to: 0, count: 10)
        #expect(similar.map(\.item) == [1, 4, 2, 3])
        #expect(model.similarItems(to: 0, count: 2, include: { $0 != 1 }).map(\.item) == [4, 2])
    }

    @Test("biased ALS never increases its objective and beats unbiased ALS on data with biases")
    func biasedALS() throws {
        var rng = RandomState(seed: 12)
        let truth = Matrix(rows: 25, columns: 15) { u, i in 3 + 0.1 * Double(u % 5) - 0.2 * Double(i % 4) }
        let ratings = try Ratings(matrix: truth + 0.3 * rng.randn(25, 15)) { u, i in (u + 2 * i) % 3 != 0 }
        let start = AlternatingLeastSquares.randomItemFactors(items: 15, factors: 2, rng: &rng)
        let biased = try AlternatingLeastSquares.train(
            ratings,
            .init(
                factors: 2, regularization: 0.1, weightedRegularization: true, iterations: 30,
                tolerance: 0, biases: true), initialItemFactors: start)
        #expect(biased.history.count == 30)
        for (a, b) in zip(biased.history, biased.history.dropFirst()) { #expect(b <= a * (1 + 1e-10)) }
        #expect(biased.model.globalMean.isApproximatelyEqual(to: ratings.mean, relativeTolerance: 1e-15))
        #expect(biased.model.userBias.contains { $0 != 0 })
    }

    @Test("32-bit SGD lands within 1e-3 RMSE of 64-bit SGD; early stopping keeps the best validation epoch")
    func singlePrecisionAndEarlyStopping() throws {
        var rng = RandomState(seed: 21)
        let data = try Ratings(matrix: rng.randn(40, 30).map { 3 + $0 }) { u, i in (u * 3 + i) % 4 != 0 }
        var split = RandomState(seed: 2)
        let (fit, validation) = try data.split(holdingOut: 0.2, rng: &split)
        let u0 = 0.1 * rng.randn(40, 8), v0 = 0.1 * rng.randn(30, 8)
        func run(_ precision: Precision) throws -> Double {
            let result = try StochasticGradientDescent.train(
                fit,
                .init(
                    factors: 8, learningRate: 0.01, regularization: 0.05, iterations: 30,
                    biases: true, precision: precision),
                initialUserFactors: u0, initialItemFactors: v0)
            return result.model.rmse(on: validation)
        }
        #expect(abs(try run(.single) - run(.double)) < 1e-3)
        let stopped = try StochasticGradientDescent.trainWithEarlyStopping(
            fit, validation: validation, .init(factors: 8, learningRate: 0.05, regularization: 0.001, iterations: 200, biases: true),
            patience: 5, initialUserFactors: u0, initialItemFactors: v0)
        #expect(stopped.validationRMSE.count == stopped.bestEpoch + 5 || stopped.validationRMSE.count == 200)
        #expect(stopped.validationRMSE[stopped.bestEpoch - 1] == stopped.validationRMSE.min())
        #expect(stopped.model.rmse(on: validation).isApproximatelyEqual(to: stopped.validationRMSE.min()!, relativeTolerance: 1e-12))
    }

    @Test(
        """
        early stopping measures the validation RMSE on the training state: in 32 bits, with SVD++ and clipping, it is the returned model's own RMSE within 1e-5 (relative) at the best epoch; without the training RMSE, the same epochs and model
        """, arguments: [false, true])
    func earlyStoppingOnTheTrainingState(implicitFeedback: Bool) throws {
        var rng = RandomState(seed: 23)
        let data = try Ratings(matrix: rng.randn(40, 30).map { min(max(3 + 1.5 * $0, 1), 5) }) { u, i in (u * 7 + i) % 3 != 0 }
        var split = RandomState(seed: 4)
        let (fit, validation) = try data.split(holdingOut: 0.2, rng: &split)
        let configuration = StochasticGradientDescent.Configuration(
            factors: 12, learningRate: 0.03, regularization: 0.01, iterations: 60, biases: true, order: .shuffled, seed: 5,
            precision: .single, implicitFeedback: implicitFeedback)
        func stopped(tracking: Bool) throws -> StochasticGradientDescent.EarlyStopped {
            try StochasticGradientDescent.trainWithEarlyStopping(
                fit, validation: validation, configuration, patience: 4, ratingScale: 1...5, tracksTrainingRMSE: tracking)
        }
        let tracked = try stopped(tracking: true), untracked = try stopped(tracking: false)
        #expect(tracked.trainingRMSE.count == tracked.validationRMSE.count && untracked.trainingRMSE.isEmpty)
        #expect(tracked.validationRMSE == untracked.validationRMSE && tracked.bestEpoch == untracked.bestEpoch)
        #expect(tracked.model.userFactors.elements == untracked.model.userFactors.elements)
        let own = untracked.model.rmse(on: validation), measured = untracked.validationRMSE[untracked.bestEpoch - 1]
        #expect(own.isApproximatelyEqual(to: measured, relativeTolerance: 1e-5), "model \(own), measured during training \(measured)")
        #expect(untracked.model.ratingScale == 1...5, "the returned model predicts on the scale it was measured on")
    }
}
