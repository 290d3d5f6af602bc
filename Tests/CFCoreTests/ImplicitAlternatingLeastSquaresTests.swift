@testable import CFCore
import Numerics
import Testing

@Suite("weighted ALS for implicit feedback")
struct ImplicitAlternatingLeastSquaresTests {
    @Test("a user's solve equals the dense formula (Yᵀ C_u Y + λI)⁻¹ Yᵀ C_u p_u over every item, to 1e-10")
    func denseFormula() throws {
        let interactions = try Ratings(dense: [[2, nil, 1, nil, nil], [nil, 3, nil, nil, 1], [1, 1, nil, 4, nil]])
        var rng = RandomState(seed: 2)
        let items = rng.randn(5, 3)
        let configuration = ImplicitAlternatingLeastSquares.Configuration(factors: 3, regularization: 0.5, alpha: 2)
        let users = try ImplicitAlternatingLeastSquares.halfStep(.users, interactions, fixed: items, configuration)
        for u in 0..<3 {
            // Dense: every item, confidence 1 + α r where rated (else 1), preference 1 where rated (else 0).
            var a = Matrix(rows: 3, columns: 3), b = [Double](repeating: 0, count: 3)
            for i in 0..<5 {
                let r = interactions.value(user: u, item: i)
                let c = 1 + 2 * (r ?? 0), p = r == nil ? 0.0 : 1
                for f in 0..<3 {
                    b[f] += c * p * items[i, f]
                    for g in 0..<3 { a[f, g] += c * items[i, f] * items[i, g] }
                }
            }
            for f in 0..<3 { a[f, f] += 0.5 }
            let expected = try solveSymmetric(a, b)
            for f in 0..<3 { #expect(users[u, f].isApproximatelyEqual(to: expected[f], absoluteTolerance: 1e-10)) }
        }
    }

    @Test("the objective never rises, the fast loss equals the sum over every pair, and 1 and 2 threads agree")
    func monotone() throws {
        let data = try unevenRatings(users: 60, items: 40, seed: 19)
        var rng = RandomState(seed: 6)
        let start = 0.1 * rng.randn(data.itemCount, 6)
        let one = try ImplicitAlternatingLeastSquares.train(
            data, .init(factors: 6, regularization: 0.1, alpha: 1, iterations: 6, threads: 1), initialItemFactors: start)
        let two = try ImplicitAlternatingLeastSquares.train(
            data, .init(factors: 6, regularization: 0.1, alpha: 1, iterations: 6, threads: 2), initialItemFactors: start)
        #expect(one.model.userFactors.elements == two.model.userFactors.elements)
        for (before, after) in zip(one.history, one.history.dropFirst()) { #expect(after <= before * (1 + 1e-12)) }
        // The loss by brute force over all 60 × 40 pairs.
        var brute = 0.0
        for u in 0..<60 {
            for i in 0..<40 {
                let r = data.value(user: u, item: i), s = one.model.score(user: u, item: i)
                let c = 1 + (r ?? 0), p = r == nil ? 0.0 : 1
                brute += c * (p - s) * (p - s)
            }
        }
        brute += 0.1 * (one.model.userFactors.sumOfSquares + one.model.itemFactors.sumOfSquares)
        #expect(one.history.last!.isApproximatelyEqual(to: brute, relativeTolerance: 1e-10))
    }

    @Test("the fast Float half-step by Cholesky equals the Double half-step (relative 1e-4), and k conjugate-gradient steps solve the same system")
    func fastAgreesWithExact() throws {
        let data = try unevenRatings(users: 50, items: 30, seed: 23)
        var rng = RandomState(seed: 9)
        let items = 0.3 * rng.randn(30, 6), start = 0.3 * rng.randn(50, 6)
        let configuration = ImplicitAlternatingLeastSquares.Configuration(factors: 6, regularization: 0.2, alpha: 3)
        let exact = try ImplicitAlternatingLeastSquares.halfStep(.users, data, fixed: items, configuration)
        let fixed = PackedFactors(items, bias: nil, biased: false)
        for solver in [ImplicitAlternatingLeastSquares.Solver.cholesky, .conjugateGradient(steps: 12)] {
            var own = PackedFactors(start, bias: nil, biased: false), withSolver = configuration
            withSolver.precision = .single
            withSolver.solver = solver
            try ImplicitAlternatingLeastSquares.halfStepFast(.users, data, own: &own, fixed: fixed, withSolver, threads: 2, iteration: 0)
            let fast = own.matrix
            let scale = exact.elements.map(abs).max()!
            for index in exact.elements.indices {
                #expect(fast.elements[index].isApproximatelyEqual(to: exact.elements[index], absoluteTolerance: 1e-4 * scale), "\(solver) at \(index)")
            }
        }
    }

    @Test("with 3 conjugate-gradient steps per row the objective still never rises (Float: relative 1e-5), and it approaches the exact solver's")
    func conjugateGradientMonotone() throws {
        let data = try unevenRatings(users: 80, items: 50, seed: 31)
        var rng = RandomState(seed: 5)
        let start = 0.01 * rng.randn(50, 8), users = 0.01 * rng.randn(80, 8)
        var configuration = ImplicitAlternatingLeastSquares.Configuration(
            factors: 8, regularization: 0.1, alpha: 5, iterations: 10, threads: 2,
            precision: .single, solver: .conjugateGradient(steps: 3))
        let cg = try ImplicitAlternatingLeastSquares.train(data, configuration, initialItemFactors: start, initialUserFactors: users)
        configuration.solver = .cholesky
        let exact = try ImplicitAlternatingLeastSquares.train(data, configuration, initialItemFactors: start)
        #expect(cg.history.count == 10 && exact.history.count == 10)
        for (before, after) in zip(cg.history, cg.history.dropFirst()) { #expect(after <= before * (1 + 1e-5)) }
        #expect(cg.history.last!.isApproximatelyEqual(to: exact.history.last!, relativeTolerance: 0.02), "CG \(cg.history.last!), exact \(exact.history.last!)")
        #expect(cg.history.last! < 0.5 * cg.history.first!)
    }
}
