import CFCore
import Numerics
import Testing

/// A random sparse ratings matrix in which every row and column has at least `minimum` ratings.
func randomRatings(users: Int, items: Int, density: Double, minimum: Int, rng: inout RandomState) throws -> Ratings {
    var cells = Set<[Int]>()
    for u in 0..<users {
        for i in 0..<items where rng.rand() < density { cells.insert([u, i]) }
        for t in 0..<minimum { cells.insert([u, (u + t) % items]) }
    }
    for i in 0..<items { for t in 0..<minimum { cells.insert([(i + t) % users, i]) } }
    return try Ratings(
        userCount: users, itemCount: items,
        triples: cells.sorted { $0.lexicographicallyPrecedes($1) }.map { ($0[0], $0[1], Double(1 + rng.integer(upTo: 4))) })
}

@Suite("Alternating least squares")
struct AlternatingLeastSquaresTests {
    let ratings = try! Ratings(dense: [[5, nil, 3, 1], [4, 2, nil, 1], [nil, 1, 5, 4]])

    @Test("a listener step is, per user, the 2×2 normal equations solved by Cramer's rule")
    func userStepClosedForm() throws {
        let items = Matrix([[1, 0.5], [0.2, 1], [0.9, 0.3], [0.1, 0.8]])
        let users = try AlternatingLeastSquares.fit(.users, ratings, fixed: items, lambda: 0.3)
        for u in 0..<3 {
            var a = 0.3, b = 0.0, d = 0.3, y0 = 0.0, y1 = 0.0
            for r in ratings.ratings(ofUser: u) {
                let x = items.row(r.item)
                a += x[0] * x[0]; b += x[0] * x[1]; d += x[1] * x[1]
                y0 += x[0] * r.value; y1 += x[1] * r.value
            }
            let det = a * d - b * b
            #expect(users[u, 0].isApproximatelyEqual(to: (d * y0 - b * y1) / det, relativeTolerance: 1e-12))
            #expect(users[u, 1].isApproximatelyEqual(to: (a * y1 - b * y0) / det, relativeTolerance: 1e-12))
        }
    }

    @Test("an item step with k = 1 is w = Σ p r / (Σ p² + λ·n) with weighted λ")
    func itemStepClosedForm() throws {
        let users = Matrix([[1.5], [0.5], [2]])
        let items = try AlternatingLeastSquares.fit(.items, ratings, fixed: users, lambda: 0.2, weighted: true)
        for i in 0..<4 {
            let own = ratings.ratings(ofItem: i)
            let numerator = own.reduce(0.0) { $0 + users[Int($1.user), 0] * $1.value }
            let denominator = own.reduce(0.0) { $0 + users[Int($1.user), 0] * users[Int($1.user), 0] } + 0.2 * Double(own.count)
            #expect(items[i, 0].isApproximatelyEqual(to: numerator / denominator, relativeTolerance: 1e-12))
        }
    }

    @Test("without λ a user with fewer ratings than factors is an error that names the user; λ > 0 solves it")
    func underdetermined() throws {
        let sparse = try Ratings(userCount: 2, itemCount: 3, triples: [(0, 0, 4), (0, 1, 2), (0, 2, 5), (1, 2, 3)])
        let items = Matrix([[1, 0], [0, 1], [1, 1]])
        #expect(throws: TrainingError.underdetermined(side: .users, index: 1, ratings: 1, factors: 2)) {
            try AlternatingLeastSquares.fit(.users, sparse, fixed: items, lambda: 0)
        }
        let users = try AlternatingLeastSquares.fit(.users, sparse, fixed: items, lambda: 0.1)
        #expect(users.elements.allSatisfy { $0.isFinite })
        #expect(TrainingError.underdetermined(side: .users, index: 1, ratings: 1, factors: 2).description.contains("λ > 0"))
    }

    @Test("a user with no ratings at all keeps zero factors")
    func noRatings() throws {
        let sparse = try Ratings(userCount: 3, itemCount: 2, triples: [(0, 0, 4), (0, 1, 2), (2, 1, 5)])
        let users = try AlternatingLeastSquares.fit(.users, sparse, fixed: Matrix([[1], [2]]), lambda: 0)
        #expect(users.row(1) == [0])
    }

    @Test(
        "the objective never increases, over many seeds, sizes, k and λ",
        arguments: [(0.0, false), (0.1, false), (0.05, true)])
    func monotone(lambda: Double, weighted: Bool) throws {
        for seed in UInt32(0)..<12 {
            var rng = RandomState(seed: seed)
            let users = 4 + rng.integer(upTo: 30), items = 4 + rng.integer(upTo: 25), k = 1 + rng.integer(upTo: 3)
            let data = try randomRatings(users: users, items: items, density: 0.4, minimum: k, rng: &rng)
            let start = AlternatingLeastSquares.randomItemFactors(items: items, factors: k, rng: &rng)
            let result = try AlternatingLeastSquares.train(
                data, .init(factors: k, regularization: lambda, weightedRegularization: weighted, iterations: 40, tolerance: 0),
                initialItemFactors: start)
            // With tolerance 0 it stops early only when an iteration changes nothing at all.
            #expect(result.history.count <= 40)
            for (iteration, (before, after)) in zip(result.history, result.history.dropFirst()).enumerated() {
                // Each half-step is an exact minimisation; allow only rounding (1e-10 relative).
                #expect(after <= before * (1 + 1e-10), "seed \(seed): \(before) → \(after) at iteration \(iteration + 2)")
            }
            // Half-step by half-step, by hand with the core's `solve` and `penalty`: the objective never rises either.
            var model = FactorModel(userFactors: Matrix(rows: users, columns: k), itemFactors: start), last = Double.infinity
            for _ in 0..<8 {
                for side in [Side.users, .items] {
                    let solved = try AlternatingLeastSquares.solve(side, data, model: model, lambda: lambda, weighted: weighted, biases: false)
                    if side == .users { model.userFactors = solved.factors } else { model.itemFactors = solved.factors }
                    let objective =
                        Metrics.sumOfSquaredErrors(model, on: data)
                        + AlternatingLeastSquares.penalty(data, model, lambda: lambda, weighted: weighted)
                    #expect(objective <= last * (1 + 1e-10), "seed \(seed): \(last) → \(objective) after a \(side.singular) half-step")
                    last = objective
                }
            }
        }
    }

    @Test("recovers a noise-free rank-3 matrix from 60% of its cells (RMSE on hidden cells < 1e-4)")
    func recoversLowRank() throws {
        var rng = RandomState(seed: 5)
        let truth = rng.randn(30, 3) * rng.randn(20, 3).transposed
        var hidden = [(Int, Int)]()
        let observed = try Ratings(matrix: truth) { i, j in
            let keep = rng.rand() < 0.6 || (i + j) % 5 == 0
            if !keep { hidden.append((i, j)) }
            return keep
        }
        let result = try AlternatingLeastSquares.train(
            observed, .init(factors: 3, iterations: 2000, tolerance: 1e-14),
            initialItemFactors: AlternatingLeastSquares.randomItemFactors(items: 20, factors: 3, rng: &rng))
        #expect(try #require(result.history.last) < 1e-12)  // λ = 0: the objective is the sum of squared errors
        let hiddenError = hidden.reduce(0.0) { sum, cell in
            let e = result.model.predict(user: cell.0, item: cell.1) - truth[cell.0, cell.1]
            return sum + e * e
        }
        #expect((hiddenError / Double(hidden.count)).squareRoot() < 1e-4)
    }

    @Test("the parallel path (a large problem) gives each row's own ridge solution")
    func parallelMatchesDirect() throws {
        var rng = RandomState(seed: 9)
        let data = try randomRatings(users: 400, items: 300, density: 0.1, minimum: 8, rng: &rng)
        #expect(data.count * 64 > 200_000, "large enough to run on all cores")
        let items = rng.randn(300, 8)
        let users = try AlternatingLeastSquares.fit(.users, data, fixed: items, lambda: 0.05)
        for u in [0, 137, 399] {
            let own = data.ratings(ofUser: u)
            let direct = try LeastSquares.solve(Matrix(own.map { items.row($0.item) }), own.map(\.value), lambda: 0.05)
            for f in 0..<8 { #expect(users[u, f].isApproximatelyEqual(to: direct[f], relativeTolerance: 1e-9)) }
        }
    }
}
