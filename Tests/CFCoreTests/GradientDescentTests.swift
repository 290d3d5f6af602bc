import CFCore
import Numerics
import Testing

@Suite("Cost, gradients and batch gradient descent")
struct GradientDescentTests {
    // Two users, two movies, k = 1; observed: (0,0)=3, (0,1)=1, (1,1)=2.
    let ratings = try! Ratings(userCount: 2, itemCount: 2, triples: [(0, 0, 3), (0, 1, 1), (1, 1, 2)])
    let x = Matrix([[1], [2]])  // movie features
    let theta = Matrix([[0.5], [1]])  // user preferences

    @Test("J and its gradients against a hand computation")
    func handComputed() {
        // Predictions: θ0·x0 = 0.5, θ0·x1 = 1, θ1·x1 = 2. Errors (prediction − y): −2.5, 0, 0.
        // J = ½(6.25) + λ/2 (1 + 4 + 0.25 + 1) with λ = 2 → 3.125 + 6.25 = 9.375.
        #expect(CollaborativeCost.cost(ratings, users: theta, items: x, lambda: 0) == 3.125)
        #expect(CollaborativeCost.cost(ratings, users: theta, items: x, lambda: 2) == 9.375)
        // ∂J/∂x0 = −2.5·0.5 + 2·1 = 0.75; ∂J/∂x1 = 0 + 2·2 = 4; ∂J/∂θ0 = −2.5·1 + 2·0.5 = −1.5; ∂J/∂θ1 = 0 + 2·1 = 2.
        let g = CollaborativeCost.gradients(ratings, users: theta, items: x, lambda: 2)
        #expect(g.items.elements == [0.75, 4])
        #expect(g.users.elements == [-1.5, 2])
    }

    @Test("the gradient check on random problems is tiny (< 1e-9), and catches a wrong gradient")
    func gradientCheck() throws {
        for seed in UInt32(0)..<5 {
            var rng = RandomState(seed: seed)
            let data = try Ratings(matrix: rng.rand(5, 6)) { i, j in (i * 7 + j * 3) % 4 != 0 }
            let items = rng.randn(6, 3), users = rng.randn(5, 3)
            let check = CollaborativeCost.gradientCheck(data, users: users, items: items, lambda: 1.5)
            #expect(check < 1e-9, "seed \(seed): \(check)")
        }
    }

    @Test("batch gradient descent lowers the cost at every step with a small rate, and reports divergence")
    func descent() throws {
        var rng = RandomState(seed: 4)
        let data = try Ratings(matrix: 5 * rng.rand(12, 10)) { i, j in (i + 2 * j) % 3 != 0 }
        let items = 0.1 * rng.randn(10, 3), users = 0.1 * rng.randn(12, 3)
        let result = try BatchGradientDescent.train(
            data, .init(learningRate: 0.01, regularization: 0.5, iterations: 100),
            initialUserFactors: users, initialItemFactors: items)
        #expect(result.history.count == 101)
        #expect(zip(result.history, result.history.dropFirst()).allSatisfy { $1 < $0 })
        #expect(result.history.last! < 0.5 * result.history.first!)
        let wildItems = rng.randn(10, 3), wildUsers = rng.randn(12, 3)
        #expect(throws: TrainingError.diverged(method: "gradient descent", stepName: "iteration", step: 4, learningRate: 5)) {
            try BatchGradientDescent.train(
                data, .init(learningRate: 5, regularization: 0, iterations: 100),
                initialUserFactors: wildUsers, initialItemFactors: wildItems)
        }
    }

    @Test("batch gradient descent gives the same factors, to the bit, on 1, 2 and 3 threads (a pass big enough to be cut in two)")
    func sameOnAnyThreads() throws {
        var rng = RandomState(seed: 6)
        let data = try Ratings(matrix: 5 * rng.rand(300, 200)) { i, j in (i * 7 + j * 3) % 5 == 0 }
        #expect(data.count * 10 > 100_000)
        let items = 0.1 * rng.randn(200, 10), users = 0.1 * rng.randn(300, 10)
        let runs = try [1, 2, 3].map { threads in
            try BatchGradientDescent.train(
                data, .init(learningRate: 0.0005, regularization: 1, iterations: 5, threads: threads),
                initialUserFactors: users, initialItemFactors: items)
        }
        for run in runs.dropFirst() {
            #expect(run.model.itemFactors.elements == runs[0].model.itemFactors.elements)
            #expect(run.model.userFactors.elements == runs[0].model.userFactors.elements)
            #expect(run.history == runs[0].history)
        }
    }

    @Test("mean normalization: item means, and subtracting them")
    func meanNormalization() throws {
        let data = try Ratings(userCount: 3, itemCount: 3, triples: [(0, 0, 4), (1, 0, 2), (2, 1, 5)])
        #expect(data.itemMeans() == [3, 5, 11.0 / 3])
        #expect(data.subtracting(itemOffsets: [3, 5, 0]).entries.map(\.value) == [1, -1, 0])
    }
}
