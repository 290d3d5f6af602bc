import CFCore
import Numerics
import Testing

@Suite("Stochastic gradient descent")
struct StochasticGradientDescentTests {
    /// The numpy scripts' problem, drawn in their order: a rank-3 matrix U Vᵀ, the cells where a uniform draw falls
    /// below 0.6 observed, and starting factors 0.1·randn.
    func numpyProblem(seed: UInt32, users: Int, items: Int) throws -> (Ratings, Matrix, Matrix) {
        var rng = RandomState(seed: seed)
        let truth = rng.randn(users, 3) * rng.randn(items, 3).transposed
        let draws = rng.rand(users, items)
        let observed = try Ratings(matrix: truth) { draws[$0, $1] < 0.6 }
        return (observed, 0.1 * rng.randn(users, 3), 0.1 * rng.randn(items, 3))
    }

    let one = try! Ratings(userCount: 1, itemCount: 1, triples: [(0, 0, 3)])

    @Test("one update by hand: err = 3 − 0.5·2 = 2; u = 0.5 + 0.1(2·2 − 0.1·0.5); v uses the new u")
    func oneStep() throws {
        let result = try StochasticGradientDescent.train(
            one, .init(factors: 1, learningRate: 0.1, regularization: 0.1, iterations: 1),
            initialUserFactors: Matrix([[0.5]]), initialItemFactors: Matrix([[2]]))
        let u = 0.5 + 0.1 * (2 * 2 - 0.1 * 0.5)  // 0.895
        let v = 2 + 0.1 * (2 * u - 0.1 * 2)      // 2.159
        #expect(result.model.userFactors[0, 0].isApproximatelyEqual(to: u, relativeTolerance: 1e-15))
        #expect(result.model.itemFactors[0, 0].isApproximatelyEqual(to: v, relativeTolerance: 1e-15))
        #expect(result.history[0].isApproximatelyEqual(to: (3 - u * v) * (3 - u * v), relativeTolerance: 1e-12))
    }

    @Test("one biased update by hand: μ is the mean rating, then biases and factors step on the same error")
    func oneBiasedStep() throws {
        let two = try Ratings(userCount: 1, itemCount: 2, triples: [(0, 0, 4), (0, 1, 2)])
        let result = try StochasticGradientDescent.train(
            two, .init(factors: 1, learningRate: 0.1, regularization: 0, iterations: 1, biases: true),
            initialUserFactors: Matrix([[1]]), initialItemFactors: Matrix([[0], [0]]))
        // Rating (0,0)=4: prediction μ = 3, err = 1: b_u = 0.1, b_0 = 0.1, p = 1, q_0 = 0.1·1·1 = 0.1.
        // Rating (0,1)=2: prediction 3 + 0.1 + 0 + 0 = 3.1, err = −1.1: b_u = −0.01, b_1 = −0.11, p = 1, q_1 = −0.11.
        let model = result.model
        #expect(model.globalMean == 3)
        #expect(model.userBias[0].isApproximatelyEqual(to: -0.01, absoluteTolerance: 1e-15))
        #expect(model.itemBias[0].isApproximatelyEqual(to: 0.1, relativeTolerance: 1e-15))
        #expect(model.itemBias[1].isApproximatelyEqual(to: -0.11, relativeTolerance: 1e-14))
        #expect(model.itemFactors[1, 0].isApproximatelyEqual(to: -0.11, relativeTolerance: 1e-14))
    }

    @Test("the numpy notebook: 20×15 rank-3 matrix, seed 42, 200 epochs, to 1e-9 relative")
    func notebook() throws {
        let (observed, u0, v0) = try numpyProblem(seed: 42, users: 20, items: 15)
        let result = try StochasticGradientDescent.train(
            observed, .init(factors: 3, learningRate: 0.05, regularization: 0.01, iterations: 200),
            initialUserFactors: u0, initialItemFactors: v0)
        // python3 + numpy 2.4, the notebook's own loop.
        #expect(observed.count == 171)
        #expect(result.history[0].isApproximatelyEqual(to: 1.9731534485206352, relativeTolerance: 1e-9))
        #expect(result.history[9].isApproximatelyEqual(to: 0.2094299215906094, relativeTolerance: 1e-9))
        #expect(result.history[199].isApproximatelyEqual(to: 0.0005330870259347341, relativeTolerance: 1e-9))
        #expect(result.model.userFactors[0, 0].isApproximatelyEqual(to: -0.6818063777066288, relativeTolerance: 1e-9))
        #expect(result.model.itemFactors[14, 2].isApproximatelyEqual(to: -0.033852402603496916, relativeTolerance: 1e-9))
    }

    @Test("implicit feedback (SVD++): 7×6 matrix, 25 ratings, k = 3, 40 epochs, fixed and shuffled, against a numpy port to 1e-10 relative",
          arguments: [false, true])
    func implicitFeedback(shuffled: Bool) throws {
        let (observed, u0, v0) = try numpyProblem(seed: 5, users: 7, items: 6)
        let result = try StochasticGradientDescent.train(
            observed, .init(factors: 3, learningRate: 0.05, regularization: 0.02, iterations: 40, biases: true,
                            order: shuffled ? .shuffled : .fixed, seed: 11, biasRegularization: 0.01, implicitFeedback: true),
            initialUserFactors: u0, initialItemFactors: v0)
        // python3 + numpy 2.4: the update rules of `implicitSweep`'s documentation written out loop by loop, users and
        // each user's ratings shuffled with np.random.shuffle after np.random.seed(11). The user factors are the
        // effective ones, p_u + |N(u)|^-½ Σ y_j.
        let expected: (mse: [Double], z00: Double, z62: Double, q51: Double, bu3: Double, bi2: Double, y40: Double) = shuffled
            ? ([0.6511048003553173, 0.49476133723131815, 0.01510853728876329], 0.5663267437655352, -0.45078547772091054,
               0.786846786311863, 0.04075714086783302, 0.11329177552969148, -0.018534036368810586)
            : ([0.6439965555173188, 0.49345676706899916, 0.015345110700790554], 0.6325328470814224, -0.4428542198122325,
               0.7655042719467082, 0.03221508641577673, 0.10461220734963222, -0.04157489216599392)
        #expect(observed.count == 25)
        for (epoch, mse) in zip([0, 9, 39], expected.mse) {
            #expect(result.history[epoch].isApproximatelyEqual(to: mse, relativeTolerance: 1e-10))
        }
        let model = result.model
        #expect(model.userFactors[0, 0].isApproximatelyEqual(to: expected.z00, relativeTolerance: 1e-10))
        #expect(model.userFactors[6, 2].isApproximatelyEqual(to: expected.z62, relativeTolerance: 1e-10))
        #expect(model.itemFactors[5, 1].isApproximatelyEqual(to: expected.q51, relativeTolerance: 1e-10))
        #expect(model.userBias[3].isApproximatelyEqual(to: expected.bu3, relativeTolerance: 1e-10))
        #expect(model.itemBias[2].isApproximatelyEqual(to: expected.bi2, relativeTolerance: 1e-10))
        let y = try #require(model.implicitItemFactors)
        #expect(y[4, 0].isApproximatelyEqual(to: expected.y40, relativeTolerance: 1e-10))
    }

    @Test("implicit feedback in single precision follows double precision to 1e-4, and diverges with its own name")
    func implicitFeedbackPrecisionAndDivergence() throws {
        var rng = RandomState(seed: 6)
        let data = try Ratings(matrix: rng.randn(12, 10)) { i, j in (i * 3 + j) % 4 != 0 }
        let u0 = 0.1 * rng.randn(12, 9), v0 = 0.1 * rng.randn(10, 9)
        func run(_ precision: Precision, rate: Double = 0.05) throws -> StochasticGradientDescent.Result {
            try StochasticGradientDescent.train(data, .init(factors: 9, learningRate: rate, regularization: 0.01, iterations: 100, biases: true,
                                                            order: .shuffled, seed: 3, precision: precision, implicitFeedback: true),
                                                initialUserFactors: u0, initialItemFactors: v0)
        }
        let double = try run(.double), single = try run(.single)
        #expect(double.history.last! < double.history.first! / 2)
        for (a, b) in zip(double.history, single.history) { #expect(b.isApproximatelyEqual(to: a, relativeTolerance: 1e-4)) }
        #expect(throws: TrainingError.diverged(method: "SGD (SVD++)", stepName: "epoch", step: 1, learningRate: 100, regularization: 0.01)) {
            try run(.double, rate: 100)
        }
    }

    @Test("a huge learning rate is reported as divergence at the epoch it happens")
    func divergence() throws {
        var rng = RandomState(seed: 1)
        let data = try Ratings(matrix: rng.randn(6, 5)) { _, _ in true }
        #expect(throws: TrainingError.diverged(method: "SGD", stepName: "epoch", step: 1, learningRate: 50)) {
            try StochasticGradientDescent.train(data, .init(factors: 2, learningRate: 50, regularization: 0, iterations: 10),
                                                initialUserFactors: rng.randn(6, 2), initialItemFactors: rng.randn(5, 2))
        }
        #expect(TrainingError.diverged(method: "SGD", stepName: "epoch", step: 3, learningRate: 50).description.contains("smaller learning rate"))
    }

    @Test("a divergence message blames the penalty when rate·λ overshoots at an ordinary rate, and suggests round numbers (issue 22, item 13)")
    func divergenceWords() {
        func words(_ rate: Double, _ penalty: Double) -> String {
            TrainingError.diverged(method: "SGD", stepName: "epoch", step: 1, learningRate: rate, regularization: penalty).description
        }
        // Before: "try a smaller learning rate (e.g. 0.00030000000000000003)" for a penalty of a billion.
        #expect(words(0.003, 1e9).hasSuffix("with learning rate 0.003 and penalty λ = 1e+09: each step multiplies the factors by 1 − rate·λ = -3e+06, which must stay between −1 and 1; try a smaller λ (below 300)"))
        #expect(words(0.05, 30).hasSuffix("try a smaller λ (below 20)"))
        #expect(words(0.003, 10).hasSuffix("with learning rate 0.003; try a smaller learning rate (e.g. 0.0003)"))
        #expect(words(50, 10).hasSuffix("with learning rate 50; try a smaller learning rate (e.g. 5)"), "a huge rate is the likelier cause")
        #expect(words(0.07, 0).hasSuffix("(e.g. 0.007)") && words(0.02, 0.05).hasSuffix("(e.g. 0.002)"))
    }

    @Test("shuffled order is reproducible from its seed and differs from row order; early stop works")
    func orderAndEarlyStop() throws {
        var rng = RandomState(seed: 2)
        let data = try Ratings(matrix: rng.randn(8, 6)) { i, j in (i + j) % 3 != 0 }
        let u0 = 0.1 * rng.randn(8, 2), v0 = 0.1 * rng.randn(6, 2)
        func run(_ order: StochasticGradientDescent.Order, seed: UInt32 = 7) throws -> [Double] {
            try StochasticGradientDescent.train(data, .init(factors: 2, learningRate: 0.05, regularization: 0.01, iterations: 30, order: order,
                                                            seed: seed),
                                                initialUserFactors: u0, initialItemFactors: v0).history
        }
        let a = try run(.shuffled), b = try run(.shuffled), other = try run(.shuffled, seed: 8), fixed = try run(.fixed)
        #expect(a == b)
        #expect(a != other)
        #expect(a != fixed)
        #expect(a.last! < a.first! && fixed.last! < fixed.first!)
        var seen = 0
        let stopped = try StochasticGradientDescent.train(
            data, .init(factors: 2, learningRate: 0.05, regularization: 0.01, iterations: 30),
            initialUserFactors: u0, initialItemFactors: v0) { epoch in
            seen = epoch.step
            // The exact training MSE of the model as it stands (the core sums in 8 lanes: 1e-12 relative).
            #expect(epoch.steps == 30 && epoch.elapsed >= 0)
            let loss = try #require(epoch.loss)
            #expect(loss.isApproximatelyEqual(to: epoch.model.mse(on: data), relativeTolerance: 1e-12))
            if epoch.step == 4 { epoch.stop() }
        }
        #expect(stopped.history.count == 4 && seen == 4)
        // The model the callback saw at the stop is the model returned.
        #expect(stopped.model.mse(on: data).isApproximatelyEqual(to: stopped.history.last!, relativeTolerance: 1e-12))
    }

    @Test("split: seeded, disjoint, complete")
    func split() throws {
        var rng = RandomState(seed: 3)
        let data = try Ratings(matrix: rng.randn(10, 10)) { i, j in (i * j) % 4 != 1 }
        var a = RandomState(seed: 11), b = RandomState(seed: 11)
        let (train, held) = try data.split(holdingOut: 0.2, rng: &a)
        let again = try data.split(holdingOut: 0.2, rng: &b)
        #expect(train.count + held.count == data.count)
        #expect(held.count == Int((Double(data.count) * 0.2).rounded()))
        #expect(again.heldOut.entries == held.entries)
        let heldCells = Set(held.entries.map { [$0.user, $0.item] })
        #expect(train.entries.allSatisfy { !heldCells.contains([$0.user, $0.item]) })
    }
}
