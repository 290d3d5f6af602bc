@testable import CFCore
import Numerics
import Testing

@Suite("Bayesian matrix factorization (Gibbs sampling)")
struct BayesianMatrixFactorizationTests {
    @Test(
        "Gamma draws have the right mean and variance (shape 0.5, 3 and 40; 40,000 draws, 3% of the variance)",
        arguments: [0.5, 3.0, 40.0])
    func gamma(shape: Double) {
        var rng = RandomState(seed: 7)
        let draws = (0..<40_000).map { _ in BayesianMatrixFactorization.gamma(shape: shape, rng: &rng) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count - 1)
        // Gamma(shape, 1): mean and variance both equal the shape. The mean's standard error is √(shape / n).
        #expect(abs(mean - shape) < 4 * (shape / 40_000).squareRoot())
        #expect(variance.isApproximatelyEqual(to: shape, relativeTolerance: 0.03 + 2 / shape.squareRoot() / 40))
    }

    @Test("Wishart draws average ν W (6,000 draws of a 3 × 3, ν = 7; within 4% of the largest entry)")
    func wishart() {
        var rng = RandomState(seed: 11)
        let w = Matrix([[1.0, 0.3, -0.2], [0.3, 0.8, 0.1], [-0.2, 0.1, 0.5]])
        var sum = Matrix(rows: 3, columns: 3)
        for _ in 0..<6000 { sum = sum + BayesianMatrixFactorization.wishart(scale: w, degrees: 7, rng: &rng) }
        for i in 0..<3 { for j in 0..<3 { #expect(abs(sum[i, j] / 6000 - 7 * w[i, j]) < 0.04 * 7) } }
    }

    @Test(
        """
        Normal-Wishart draws given 6 rows (k = 2) have the posterior's moments, worked out independently: E[Λ] = ν* W*, \
        E[μ] = N x̄ / (β₀ + N), Cov[μ] = W*⁻¹ / (β* (ν* − k − 1)) (20,000 draws; 4% of the largest entry, means within 4 standard errors)
        """)
    func normalWishart() throws {
        let rows = Matrix([[0.5, -1.0], [1.2, 0.3], [-0.4, 0.8], [0.9, 1.1], [0.1, -0.6], [1.5, 0.2]])
        let n = 6.0, k = 2, beta0 = 2.0
        let mean = (0..<k).map { c in (0..<6).reduce(0) { $0 + rows[$1, c] } / n }
        var inverseScale = Matrix.identity(k)  // W₀⁻¹ + N S̄ + β₀N/(β₀+N) x̄ x̄ᵀ
        for a in 0..<k {
            for b in 0..<k {
                for r in 0..<6 { inverseScale[a, b] += (rows[r, a] - mean[a]) * (rows[r, b] - mean[b]) }
                inverseScale[a, b] += beta0 * n / (beta0 + n) * mean[a] * mean[b]
            }
        }
        // W* for 2 × 2 by the explicit inverse.
        let det = inverseScale[0, 0] * inverseScale[1, 1] - inverseScale[0, 1] * inverseScale[1, 0]
        let scale = Matrix([[inverseScale[1, 1] / det, -inverseScale[0, 1] / det], [-inverseScale[1, 0] / det, inverseScale[0, 0] / det]])
        let degrees = Double(k) + n, betaStar = beta0 + n
        var rng = RandomState(seed: 21)
        let draws = 20_000
        var lambdaSum = Matrix(rows: k, columns: k), muSum = [0.0, 0.0], muSquares = Matrix(rows: k, columns: k)
        var mus = [[Double]]()
        for _ in 0..<draws {
            let (mu, lambda) = BayesianMatrixFactorization.hyperparameters(rows, beta0: beta0, rng: &rng)
            lambdaSum = lambdaSum + lambda
            mus.append(mu)
            for a in 0..<k { muSum[a] += mu[a] }
        }
        let muMean = muSum.map { $0 / Double(draws) }
        for mu in mus { for a in 0..<k { for b in 0..<k { muSquares[a, b] += (mu[a] - muMean[a]) * (mu[b] - muMean[b]) / Double(draws - 1) } } }
        let expectedLambda = degrees * scale, expectedCovariance = (1 / (betaStar * (degrees - Double(k) - 1))) * inverseScale
        let largestLambda = expectedLambda.elements.map(abs).max()!, largestCovariance = expectedCovariance.elements.map(abs).max()!
        for (a, b) in zip(lambdaSum.elements.map { $0 / Double(draws) }, expectedLambda.elements) {
            #expect(abs(a - b) < 0.04 * largestLambda, "E[Λ] \(a) against \(b)")
        }
        for (a, b) in zip(muSquares.elements, expectedCovariance.elements) { #expect(abs(a - b) < 0.04 * largestCovariance, "Cov[μ] \(a) against \(b)") }
        for a in 0..<k {
            let expected = n * mean[a] / betaStar
            #expect(abs(muMean[a] - expected) < 4 * (expectedCovariance[a, a] / Double(draws)).squareRoot(), "E[μ] \(muMean[a]) against \(expected)")
        }
    }

    @Test("on a sparse rank-3 matrix, BPMF at k = 10 recovers the hidden entries better than the MAP estimate at k = 10 (ALS) with its best λ")
    func beatsMAP() throws {
        var rng = RandomState(seed: 17)
        let truth = rng.randn(120, 3) * rng.randn(100, 3).transposed
        var cells = [Rating]()
        for u in 0..<120 { for i in 0..<100 where rng.rand() < 0.12 { cells.append(Rating(user: u, item: i, value: 3 + truth[u, i] + 0.5 * rng.randn())) } }
        let all = try Ratings(userCount: 120, itemCount: 100, ratings: cells)
        var split = RandomState(seed: 2)
        let (training, heldOut) = try all.split(holdingOut: 0.2, rng: &split)
        let bpmf = try BayesianMatrixFactorization.train(training, .init(factors: 10, iterations: 150, burnIn: 30, seed: 5))
        let bayesian = Metrics.rmse(heldOut) { bpmf.predict(user: $0, item: $1) }
        // MAP: the same model (ratings less their mean, Gaussian priors) at its mode, by ALS; λ from a grid, the best on the held-out cells.
        let mean = training.mean, centred = training.mappingValues { _, _, value in value - mean }
        var mapErrors = [Double]()
        for lambda in [0.1, 0.3, 1, 2, 3, 10, 30] {
            var start = RandomState(seed: 3)
            let model = try AlternatingLeastSquares.train(
                centred, .init(factors: 10, regularization: lambda, iterations: 50, tolerance: 1e-9),
                initialItemFactors: 0.1 * start.randn(100, 10)
            ).model
            mapErrors.append(Metrics.rmse(heldOut) { mean + model.score(user: $0, item: $1) })
        }
        #expect(bayesian < mapErrors.min()!, "BPMF \(bayesian), MAP by λ \(mapErrors)")
    }

    @Test("a conditional draw is P⁻¹b plus noise of covariance P⁻¹: z = 0 gives the closed form; draws' covariance matches")
    func conditionalDraw() throws {
        let p = Matrix([[4.0, 1.0], [1.0, 3.0]]), b = [1.0, 2.0]
        // P⁻¹ = [[3, −1], [−1, 4]] / 11, so P⁻¹ b = (1/11, 7/11).
        let mean = try BayesianMatrixFactorization.choleskyDraw(p, [0, 0], mean: b)
        #expect(mean[0].isApproximatelyEqual(to: 1.0 / 11, relativeTolerance: 1e-12) && mean[1].isApproximatelyEqual(to: 7.0 / 11, relativeTolerance: 1e-12))
        var rng = RandomState(seed: 3)
        var c00 = 0.0, c01 = 0.0, c11 = 0.0
        let n = 40_000
        for _ in 0..<n {
            let x = try BayesianMatrixFactorization.choleskyDraw(p, [rng.randn(), rng.randn()])
            c00 += x[0] * x[0] / Double(n); c01 += x[0] * x[1] / Double(n); c11 += x[1] * x[1] / Double(n)
        }
        #expect(abs(c00 - 3.0 / 11) < 0.01 && abs(c01 + 1.0 / 11) < 0.01 && abs(c11 - 4.0 / 11) < 0.01)
    }

    @Test("a row's Gaussian in closed form, worked by hand: P = I + Σ v vᵀ = [[4, 1], [1, 3]], mean (1/11, 7/11), covariance [[3, −1], [−1, 4]]/11 (1e-12)")
    func rowPosterior() throws {
        let fixed = Matrix([[1, 1], [Double(2).squareRoot(), 0], [0, 1]])
        let g = try BayesianMatrixFactorization.rowPosterior(fixed: fixed, residuals: [1, 0, 1], alpha: 1, mu: [0, 0], lambda: .identity(2))
        for (a, b) in zip(g.mean, [1.0 / 11, 7.0 / 11]) { #expect(a.isApproximatelyEqual(to: b, relativeTolerance: 1e-12)) }
        for (a, b) in zip(g.covariance.elements, [3.0 / 11, -1.0 / 11, -1.0 / 11, 4.0 / 11]) {
            #expect(a.isApproximatelyEqual(to: b, relativeTolerance: 1e-12))
        }
        // The prior's pull: with no ratings the Gaussian is the prior itself.
        let prior = Matrix([[2, 0.5], [0.5, 1]])
        let alone = try BayesianMatrixFactorization.rowPosterior(fixed: Matrix(rows: 0, columns: 2), residuals: [], alpha: 2, mu: [0.3, -0.1], lambda: prior)
        for (a, b) in zip(alone.mean, [0.3, -0.1]) { #expect(a.isApproximatelyEqual(to: b, relativeTolerance: 1e-12)) }
        let product = prior * alone.covariance
        for (a, b) in zip(product.elements, Matrix.identity(2).elements) { #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-12)) }
    }

    @Test("the sampler: same seed, same samples on 1 and 2 threads; the average beats one sample and the global mean on held-out ratings")
    func sampler() throws {
        let all = try unevenRatings(users: 150, items: 100, seed: 31)
        var rng = RandomState(seed: 5)
        let (training, heldOut) = try all.split(holdingOut: 0.2, rng: &rng)
        let configuration = BayesianMatrixFactorization.Configuration(factors: 5, iterations: 60, burnIn: 10, seed: 9, threads: 1)
        var last: FactorModel?
        let one = try BayesianMatrixFactorization.train(training, configuration) { last = $0.model }
        var two = configuration
        two.threads = 2
        let again = try BayesianMatrixFactorization.train(training, two)
        #expect(one.samples.count == 50)
        #expect(one.samples.last!.users.elements == again.samples.last!.users.elements)
        func rmse(_ predict: (Int, Int) -> Double) -> Double { Metrics.rmse(heldOut) { predict($0, $1) } }
        var clipped = one, lastSample = try #require(last)
        clipped.ratingScale = 1...5
        lastSample.ratingScale = 1...5
        let averaged = clipped.rmse(on: heldOut)
        let single = lastSample.rmse(on: heldOut)
        let globalMean = rmse { _, _ in training.mean }
        #expect(averaged < single && averaged < globalMean, "averaged \(averaged), one sample \(single), global mean \(globalMean)")
        #expect(one.spread(user: 0, item: 0) > 0)
    }

    @Test("the single-precision kernel draws the same samples as the plain Double loops (the same noise; 1e-3 after 3 sweeps)")
    func precisions() throws {
        let ratings = try unevenRatings(users: 80, items: 60, seed: 17)
        func run(_ precision: Precision) throws -> BayesianMatrixFactorization.Result {
            try BayesianMatrixFactorization.train(ratings, .init(factors: 13, iterations: 3, burnIn: 0, seed: 4, threads: 2, precision: precision))
        }
        let single = try run(.single), double = try run(.double)
        let a = single.samples.last!.users.elements, b = double.samples.last!.users.elements
        let largest = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        #expect(largest < 1e-3, "largest difference \(largest)")
    }

    @Test(
        """
        with implicit feedback: every y_l is drawn from the Gaussian posterior of a direct regression on its raters' ratings, in turn \
        (1e-6 of the largest y: G, P and q are single precision); \
        on the transposed ratings the same step is the flipped model's z step (each user's z from the ratings of the movies they rated); \
        k = 3, 20 and 35 cover rows padded to 8, 24 and 40 floats (one, three and five SIMD blocks)
        """, arguments: [false, true], [3, 20, 35])
    func implicitConditionals(transposed: Bool, k: Int) throws {
        let original = try unevenRatings(users: transposed ? 8 : 12, items: transposed ? 12 : 8, seed: 41)
        let ratings = transposed ? original.transposed : original
        #expect(ratings.userCount == 12 && ratings.itemCount == 8)
        let α = 2.0, mean = ratings.mean
        var rng = RandomState(seed: 6)
        let users = 0.5 * rng.randn(12, k), items = 0.5 * rng.randn(8, k)
        var implicit = 0.3 * rng.randn(8, k)
        var sums = BayesianMatrixFactorization.implicitSums(ratings, implicit)
        // A prior worked out for k = 3; for larger k a diagonally dominant one (positive definite) of the same kind.
        let mu = k == 3 ? [0.1, -0.2, 0.05] : (0..<k).map { 0.1 * Double($0 % 5) - 0.2 }
        let lambda =
            k == 3
            ? Matrix([[2, 0.3, 0], [0.3, 1.5, 0.2], [0, 0.2, 1]])
            : Matrix(rows: k, columns: k) { a, e in a == e ? 1 + 0.1 * Double(a % 4) : abs(a - e) == 1 ? 0.2 : 0 }
        // The direct version: y_l is the only unknown; each rating (u, j) of a user u who rated l is one observation
        // r_uj − μ − (u_u + s_u without y_l) · v_j = c_u y_l · v_j + noise of precision α.
        var expected = implicit, expectedSums = sums
        var replay = RandomState(seed: 77)
        let noise = replay.randn(8, k)
        for l in 0..<8 {
            var p = lambda, b = (lambda * Matrix(rows: k, columns: 1, elements: mu)).elements
            for rater in ratings.ratings(ofItem: l) {
                let u = Int(rater.user), c = 1 / Double(ratings.ratings(ofUser: u).count).squareRoot()
                for r in ratings.ratings(ofUser: u) {
                    let v = items.row(r.item)
                    var rest = 0.0
                    for f in 0..<k { rest += (users[u, f] + expectedSums[u, f] - c * expected[l, f]) * v[f] }
                    let target = r.value - mean - rest
                    for a in 0..<k {
                        b[a] += α * target * c * v[a]
                        for e in 0..<k { p[a, e] += α * c * c * v[a] * v[e] }
                    }
                }
            }
            let drawn = try BayesianMatrixFactorization.choleskyDraw(p, noise.row(l), mean: b)
            for rater in ratings.ratings(ofItem: l) {
                let u = Int(rater.user), c = 1 / Double(ratings.ratings(ofUser: u).count).squareRoot()
                for f in 0..<k { expectedSums[u, f] += c * (drawn[f] - expected[l, f]) }
            }
            expected.setRow(l, to: drawn)
        }
        var draws = RandomState(seed: 77)
        try BayesianMatrixFactorization.drawImplicit(
            ratings, users: users, items: items, implicit: &implicit, sums: &sums, mean: mean, alpha: α,
            mu: mu, lambda: lambda, rng: &draws, threads: 2, iteration: 1)
        let largest = expected.elements.map(abs).max() ?? 1
        for (a, b) in zip(implicit.elements, expected.elements) { #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-6 * largest)) }
        // S stays the sums of the new y's.
        let recomputed = BayesianMatrixFactorization.implicitSums(ratings, implicit)
        for (a, b) in zip(sums.elements, recomputed.elements) { #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-12)) }
    }

    @Test("ratings less a dot product per cell, computed once and placed in both orders: equal to the bit to one dot at a time")
    func subtractingDots() throws {
        let ratings = try unevenRatings(users: 23, items: 17, seed: 3)
        var rng = RandomState(seed: 8)
        let x = rng.randn(23, 7), y = rng.randn(17, 7)
        func dot(_ u: Int, _ i: Int) -> Double {
            var s = 0.0
            for f in 0..<7 { s += x[u, f] * y[i, f] }
            return s
        }
        let sources = ratings.sourcesByItem
        for (position, r) in ratings.entriesByItem.enumerated() { #expect(ratings.entries[sources[position]] == r) }
        #expect(Set(sources) == Set(ratings.entries.indices))
        let fast = ratings.subtractingDots(x, y, sources: sources)
        let slow = ratings.mappingValues { u, i, value in value - dot(u, i) }
        #expect(fast.entries == slow.entries && fast.entriesByItem == slow.entriesByItem)
        for item in 0..<17 { #expect(Array(fast.ratings(ofItem: item)) == Array(slow.ratings(ofItem: item))) }
    }

    @Test("a y step whose prior precision is not positive definite stops with the sampler's error, not a draw")
    func implicitStepSingular() throws {
        let ratings = try unevenRatings(users: 12, items: 8, seed: 41)
        var rng = RandomState(seed: 2)
        let users = rng.randn(12, 3), items = rng.randn(8, 3)
        var implicit = Matrix(rows: 8, columns: 3), sums = Matrix(rows: 12, columns: 3)
        #expect(throws: TrainingError.self) {
            try BayesianMatrixFactorization.drawImplicit(
                ratings, users: users, items: items, implicit: &implicit, sums: &sums, mean: ratings.mean, alpha: 1,
                mu: [0, 0, 0], lambda: -1e6 * Matrix.identity(3), rng: &rng, threads: 2, iteration: 1)
        }
    }

    @Test(
        """
        with implicit feedback, on the users' side and on both sides (flipped): a seed gives the same samples on 1 and 2 threads; \
        the average beats one sample and the global mean on held-out ratings
        """, arguments: [false, true])
    func implicitSampler(flipped: Bool) throws {
        let all = try unevenRatings(users: 150, items: 100, seed: 31)
        var rng = RandomState(seed: 5)
        let (training, heldOut) = try all.split(holdingOut: 0.2, rng: &rng)
        var configuration = BayesianMatrixFactorization.Configuration(
            factors: 5, iterations: 40, burnIn: 10, seed: 9, threads: 1,
            implicitFeedback: true, flipped: flipped)
        var last: FactorModel?
        let one = try BayesianMatrixFactorization.train(training, configuration) { last = $0.model }
        configuration.threads = 2
        let two = try BayesianMatrixFactorization.train(training, configuration)
        #expect(one.samples.last!.users.elements == two.samples.last!.users.elements)
        #expect(one.samples.last!.items.elements == two.samples.last!.items.elements)
        var clipped = one, lastSample = try #require(last)
        clipped.ratingScale = 1...5
        lastSample.ratingScale = 1...5
        let averaged = clipped.rmse(on: heldOut), single = lastSample.rmse(on: heldOut)
        #expect(averaged < single && averaged < Metrics.rmse(heldOut) { _, _ in training.mean }, "averaged \(averaged), one sample \(single)")
        if flipped {
            // The movies' effective factors are not V alone: the mirror term moved them.
            configuration.flipped = false
            let usersOnly = try BayesianMatrixFactorization.train(training, configuration)
            #expect(usersOnly.samples.last!.items.elements != one.samples.last!.items.elements)
        }
    }

    @Test(
        "a drawn noise precision α follows Gamma(1 + N/2, rate 1 + Σe²/2) of the residuals worked by hand (20,000 draws; mean within 4 standard errors, variance 5%)"
    )
    func noisePrecision() throws {
        let ratings = try Ratings(userCount: 2, itemCount: 3, triples: [(0, 0, 4), (0, 2, 1), (1, 1, 3), (1, 2, 5)])
        let users = Matrix(rows: 2, columns: 1, elements: [1, -0.5]), items = Matrix(rows: 3, columns: 1, elements: [0.5, 1, 2])
        // μ = 3.25; residuals 4 − 3.25 − 0.5, 1 − 3.25 − 2, 3 − 3.25 + 0.5, 5 − 3.25 + 1: 0.25, −4.25, 0.25, 2.75; Σe² = 25.75.
        let shape = 1 + 4.0 / 2, rate = 1 + 25.75 / 2
        var rng = RandomState(seed: 3)
        let draws = (0..<20_000).map { _ in
            BayesianMatrixFactorization.noisePrecision(ratings, users: users, items: items, mean: ratings.mean, rng: &rng)
        }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count - 1)
        #expect(abs(mean - shape / rate) < 4 * (shape / (rate * rate) / 20_000).squareRoot())
        #expect(variance.isApproximatelyEqual(to: shape / (rate * rate), relativeTolerance: 0.05))
    }

    @Test("with α drawn, the result keeps the α each sweep used; the first is the configured one and the later ones move")
    func drawnAlpha() throws {
        let training = try unevenRatings(users: 60, items: 40, seed: 12)
        let configuration = BayesianMatrixFactorization.Configuration(factors: 3, iterations: 10, burnIn: 2, alpha: 2, seed: 4, samplesNoise: true)
        var sweeps = 0
        let alphas = try BayesianMatrixFactorization.train(training, configuration) { sweep in
            sweeps += 1
            #expect(sweep.step == sweeps && sweep.loss == nil)
        }.alphas
        #expect(sweeps == 10)
        #expect(alphas.count == 10 && alphas[0] == 2 && Set(alphas.dropFirst()).count == 9)
    }
}
