import CFCore
import Numerics
import Testing

@Suite("Least squares")
struct LeastSquaresTests {
    // A = [[1,2],[3,4],[5,7]], y = [1,2,4]: AᵀA = [[35,49],[49,69]], Aᵀy = [27,38], det = 14,
    // so by Cramer's rule w = [1/14, 1/2]; with λ = 0.5, det = 66.25 and w = [58/265, 104/265].
    let design = Matrix([[1, 2], [3, 4], [5, 7]])
    let targets = [1.0, 2, 4]

    @Test("without a penalty: the closed-form solution, to 1e-12 relative")
    func ordinary() throws {
        let w = try LeastSquares.solve(design, targets)
        #expect(w[0].isApproximatelyEqual(to: 1.0 / 14, relativeTolerance: 1e-12))
        #expect(w[1].isApproximatelyEqual(to: 0.5, relativeTolerance: 1e-12))
    }

    @Test("with λ = 0.5: the closed-form ridge solution, to 1e-12 relative")
    func ridge() throws {
        let w = try LeastSquares.solve(design, targets, lambda: 0.5)
        #expect(w[0].isApproximatelyEqual(to: 58.0 / 265, relativeTolerance: 1e-12))
        #expect(w[1].isApproximatelyEqual(to: 104.0 / 265, relativeTolerance: 1e-12))
    }

    @Test("one unknown: w = Σxy / (Σx² + λ)")
    func oneUnknown() throws {
        let x = [0.5, 1.5, -2.0], y = [1.0, 2.0, -3.0]
        let sxy = zip(x, y).map(*).reduce(0, +), sxx = x.map { $0 * $0 }.reduce(0, +)
        let w = try LeastSquares.solve(Matrix(x.map { [$0] }), y, lambda: 0.3)
        #expect(w[0].isApproximatelyEqual(to: sxy / (sxx + 0.3), relativeTolerance: 1e-12))
    }

    @Test("fewer equations than unknowns is an error without λ and solvable with it")
    func underdetermined() throws {
        let oneRating = Matrix([[0.9, 0.1]])
        #expect(throws: LeastSquaresError.rankDeficient(equations: 1, unknowns: 2)) {
            try LeastSquares.solve(oneRating, [5])
        }
        // With λ the answer is the minimum-norm-like ridge solution: w = x·y / (x·x + λ) along x.
        let w = try LeastSquares.solve(oneRating, [5], lambda: 1)
        let scale = 5 / (0.81 + 0.01 + 1)
        #expect(w[0].isApproximatelyEqual(to: 0.9 * scale, relativeTolerance: 1e-12))
        #expect(w[1].isApproximatelyEqual(to: 0.1 * scale, relativeTolerance: 1e-12))
    }

    @Test("linearly dependent columns are an error without λ, with a message that suggests λ")
    func dependentColumns() {
        let twice = Matrix([[1, 2], [2, 4], [3, 6]])
        #expect(throws: LeastSquaresError.rankDeficient(equations: 3, unknowns: 2)) {
            try LeastSquares.solve(twice, [1, 2, 3])
        }
        #expect(LeastSquaresError.rankDeficient(equations: 3, unknowns: 2).description.contains("λ > 0"))
    }

    @Test("the residual is orthogonal to every column (the normal equations hold)")
    func orthogonalResidual() throws {
        var rng = RandomState(seed: 1)
        let a = rng.randn(12, 4), y = (0..<12).map { _ in rng.randn() }
        let w = try LeastSquares.solve(a, y)
        let residual = zip(a * w, y).map { $0 - $1 }
        for c in 0..<4 { #expect(abs(dot(a.column(c), residual)) < 1e-12) }
    }
}
