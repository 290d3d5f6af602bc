@testable import CFCore
import Numerics
import Testing

/// Ratings of a low-rank model with noise, with very uneven numbers of ratings per user and per item (a few
/// rows with fewer ratings than unknowns, so both the primal and the dual ALS systems are exercised).
func unevenRatings(users: Int = 120, items: Int = 90, seed: UInt32 = 5) throws -> Ratings {
    var rng = RandomState(seed: seed)
    let truthU = rng.randn(users, 3), truthV = rng.randn(items, 3)
    var cells = [Rating]()
    for u in 0..<users {
        let activity = 0.05 + 0.6 * Double(u % 7) / 6  // from 5% to 65% of the items
        for i in 0..<items where rng.rand() < activity * (i % 5 == 0 ? 0.3 : 1) || (u + i) % 31 == 0 {
            var dot = 0.0
            for f in 0..<3 { dot += truthU[u, f] * truthV[i, f] }
            cells.append(Rating(user: u, item: i, value: min(5, max(1, 3 + dot + 0.3 * rng.randn()))))
        }
    }
    return try Ratings(userCount: users, itemCount: items, ratings: cells)
}

@Suite("the fast kernels against the plain ones they replace")
struct FastKernelTests {
    @Test(
        "single-precision Cholesky solves SPD systems like the double one, at sizes that are and are not multiples of 8",
        arguments: [1, 3, 8, 13, 16, 21])
    func cholesky(n: Int) {
        var rng = RandomState(seed: UInt32(n))
        let stride = (n + 7) / 8 * 8
        let m = rng.randn(n + 3, n)
        var a = [Float](repeating: 0, count: stride * stride), b = [Float](repeating: 0, count: stride)
        var ad = [Double](repeating: 0, count: n * n), bd = [Double](repeating: 0, count: n)
        for i in 0..<n {
            bd[i] = rng.randn()
            b[i] = Float(bd[i])
            for j in 0..<n {
                var sum = i == j ? 0.5 : 0
                for r in 0..<(n + 3) { sum += m[r, i] * m[r, j] }
                ad[i * n + j] = sum
                if j >= i { a[i * stride + j] = Float(sum) }  // the kernel reads the upper triangle only
            }
        }
        #expect(LeastSquares.solveInPlace(gram: &ad, rhs: &bd, size: n))
        let solved = a.withUnsafeMutableBufferPointer { ap in
            b.withUnsafeMutableBufferPointer { bp in NormalEquations.choleskySolve(ap.baseAddress!, bp.baseAddress!, n: n, stride: stride) }
        }
        #expect(solved)
        let scale = bd.map(abs).max() ?? 1
        for i in 0..<n {
            // Float against Double on a system of condition number up to a few hundred: 1e-4 of the largest entry.
            #expect(abs(Double(b[i]) - bd[i]) <= 1e-4 * scale, "w[\(i)]: \(b[i]) against \(bd[i])")
        }
    }

    @Test(
        "single-precision ALS follows double-precision ALS: predictions within 2e-4, k = 3, 8, 13, biased or not, 1 and 2 threads",
        arguments: [(3, false), (8, true), (13, true), (13, false)])
    func alsPrecision(k: Int, biases: Bool) throws {
        let ratings = try unevenRatings()
        var rng = RandomState(seed: 9)
        let start = 0.1 * rng.rand(ratings.itemCount, k)
        func run(_ precision: Precision, threads: Int) throws -> AlternatingLeastSquares.Result {
            try AlternatingLeastSquares.train(
                ratings,
                .init(
                    factors: k, regularization: 0.1, weightedRegularization: true, iterations: 6, tolerance: 0,
                    biases: biases, precision: precision, threads: threads),
                initialItemFactors: start)
        }
        let exact = try run(.double, threads: 1), one = try run(.single, threads: 1), two = try run(.single, threads: 2)
        var largest = 0.0
        for u in 0..<ratings.userCount {
            for i in 0..<ratings.itemCount {
                largest = max(largest, abs(one.model.score(user: u, item: i) - exact.model.score(user: u, item: i)))
                // Each row is solved on its own, so the number of threads cannot change a factor.
                #expect(one.model.score(user: u, item: i) == two.model.score(user: u, item: i))
            }
        }
        #expect(largest < 2e-4, "largest prediction difference \(largest)")
        #expect(one.history.count == exact.history.count)
        for (a, b) in zip(one.history, exact.history) {
            #expect(a.isApproximatelyEqual(to: b, relativeTolerance: 1e-4))
        }
    }

    @Test("single-precision ALS never raises its objective (beyond Float rounding, 1e-6 relative)")
    func alsMonotone() throws {
        let ratings = try unevenRatings(seed: 11)
        var rng = RandomState(seed: 2)
        let result = try AlternatingLeastSquares.train(
            ratings,
            .init(
                factors: 13, regularization: 0.05, weightedRegularization: true, iterations: 15,
                tolerance: 0, biases: true, precision: .single),
            initialItemFactors: rng.rand(ratings.itemCount, 13))
        #expect(result.history.count == 15)
        for (before, after) in zip(result.history, result.history.dropFirst()) {
            #expect(after <= before * (1 + 1e-6), "\(before) → \(after)")
        }
        #expect(result.history.last! < 0.5 * result.history.first!)
    }

    @Test("the dual system (fewer ratings than unknowns) gives the primal's solution: the push-through identity")
    func dualMatchesPrimal() throws {
        // One user with 4 ratings and k = 12: the user side is solved by the 4 × 4 dual system.
        let ratings = try Ratings(userCount: 1, itemCount: 6, ratings: (0..<4).map { Rating(user: 0, item: $0, value: Double($0) + 1.5) })
        var rng = RandomState(seed: 4)
        let items = rng.randn(6, 12)
        // The user step alone, by the closed form (QᵀQ + λI)⁻¹ Qᵀ r in double precision.
        let user = try AlternatingLeastSquares.fit(.users, ratings, fixed: items, lambda: 0.3)
        let packedItems = PackedFactors(items, bias: nil, biased: false)
        var packedUsers = PackedFactors(Matrix(rows: 1, columns: 12), bias: nil, biased: false)
        try NormalEquations.solve(.users, ratings, own: &packedUsers, fixed: packedItems, mean: 0, lambda: 0.3, weighted: false, threads: 1)
        for f in 0..<12 {
            #expect(abs(packedUsers.matrix[0, f] - user[0, f]) <= 1e-5 * max(1, abs(user[0, f])), "factor \(f)")
        }
    }

    @Test("block-parallel SGD: the same numbers on 1 and 2 threads and on every run, every rating visited once per epoch, as good as one sequence")
    func sgdTwoThreads() throws {
        let ratings = try unevenRatings(users: 200, items: 150, seed: 3)
        var rng = RandomState(seed: 1)
        let users = 0.1 * rng.randn(ratings.userCount, 10), items = 0.1 * rng.randn(ratings.itemCount, 10)
        func run(blocks: Int, threads: Int, order: StochasticGradientDescent.Order = .shuffled) throws -> StochasticGradientDescent.Result {
            try StochasticGradientDescent.train(
                ratings,
                .init(
                    factors: 10, learningRate: 0.01, regularization: 0.05, iterations: 15, biases: true,
                    order: order, seed: 8, precision: .single, blocks: blocks, threads: threads),
                initialUserFactors: users, initialItemFactors: items)
        }
        let first = try run(blocks: 4, threads: 2), second = try run(blocks: 4, threads: 2), oneThread = try run(blocks: 4, threads: 1)
        let sequence = try run(blocks: 1, threads: 2)
        #expect(first.history == second.history)
        #expect(first.model.userFactors.elements == second.model.userFactors.elements)
        // Which thread runs which block never changes a number.
        #expect(first.history == oneThread.history)
        #expect(first.model.itemFactors.elements == oneThread.model.itemFactors.elements)
        #expect(first.history.last!.isApproximatelyEqual(to: sequence.history.last!, relativeTolerance: 0.05))
        let schedule = StochasticGradientDescent.BlockSchedule(ratings, blocks: 4)
        #expect(schedule.ratings.count == ratings.count)
        #expect(Set(schedule.ratings.map { $0.user &* 100_000 &+ $0.item }).count == ratings.count)
        // The blocks of one round share no user and no item.
        for round in 0..<4 {
            var usersSeen = Set<Int>(), itemsSeen = Set<Int>()
            for g in 0..<4 {
                let block = g * 4 + (g + round) % 4
                let slice = schedule.ratings[schedule.offsets[block]..<schedule.offsets[block + 1]]
                let u = Set(slice.map(\.user)), i = Set(slice.map(\.item))
                #expect(usersSeen.isDisjoint(with: u) && itemsSeen.isDisjoint(with: i))
                usersSeen.formUnion(u)
                itemsSeen.formUnion(i)
            }
        }
    }

    /// k = 3 takes the pass's scalar loop, 7 and 12 a vector head with a loop over the rest, and 10 (lesson 5's) the
    /// loop-free head of 8 and pair.
    @Test(
        "the fused batch-GD pass gives the plain gradients and cost to 1e-12, on 1 and 2 threads, for every shape of row",
        arguments: [1, 2], [3, 7, 10, 12])
    func batchGradientDescent(threads: Int, k: Int) throws {
        let ratings = try unevenRatings(seed: 6)
        var rng = RandomState(seed: 3)
        let x0 = 0.1 * rng.randn(ratings.itemCount, k), t0 = 0.1 * rng.randn(ratings.userCount, k)
        let configuration = BatchGradientDescent.Configuration(learningRate: 0.01, regularization: 0.7, iterations: 5, threads: threads)
        let fast = try BatchGradientDescent.train(ratings, configuration, initialUserFactors: t0, initialItemFactors: x0)
        // The same five steps from the plain definitions of J and its gradients.
        var x = x0, t = t0, costs = [CollaborativeCost.cost(ratings, users: t, items: x, lambda: 0.7)]
        for _ in 0..<5 {
            let g = CollaborativeCost.gradients(ratings, users: t, items: x, lambda: 0.7)
            x = x - 0.01 * g.items
            t = t - 0.01 * g.users
            costs.append(CollaborativeCost.cost(ratings, users: t, items: x, lambda: 0.7))
        }
        for (a, b) in zip(fast.history, costs) { #expect(a.isApproximatelyEqual(to: b, relativeTolerance: 1e-12)) }
        for (a, b) in zip(fast.model.itemFactors.elements, x.elements) { #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-12)) }
        for (a, b) in zip(fast.model.userFactors.elements, t.elements) { #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-12)) }
    }
}
