@testable import CFCore
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

    @Test(
        """
        the Cholesky factor, four rows at a time: L Lᵀ gives back A (1e-12 of its largest entry), and L is equal to the bit         to the textbook loop's, one row at a time; sizes 1 to 13 and 20 cover the four-row blocks and every remainder
        """, arguments: [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 20])
    func choleskyFactor(size n: Int) {
        var rng = RandomState(seed: UInt32(n))
        let b = rng.randn(n + 3, n)
        var a = b.transposed * b
        for d in 0..<n { a[d, d] += 1 }
        var factor = a.elements
        let done = factor.withUnsafeMutableBufferPointer { LeastSquares.choleskyFactorInPlace($0.baseAddress!, size: n) }
        #expect(done)
        var textbook = a.elements
        for j in 0..<n {
            var pivot = textbook[j * n + j]
            for p in 0..<j { pivot -= textbook[j * n + p] * textbook[j * n + p] }
            textbook[j * n + j] = pivot.squareRoot()
            for i in (j + 1)..<max(n, j + 1) {
                var sum = textbook[i * n + j]
                for p in 0..<j { sum -= textbook[i * n + p] * textbook[j * n + p] }
                textbook[i * n + j] = sum / textbook[j * n + j]
            }
        }
        let largest = a.elements.map(abs).max() ?? 1
        for i in 0..<n {
            for j in 0...i {
                #expect(factor[i * n + j] == textbook[i * n + j])
                var product = 0.0
                for p in 0...j { product += factor[i * n + p] * factor[j * n + p] }
                #expect(product.isApproximatelyEqual(to: a[i, j], absoluteTolerance: 1e-12 * largest))
            }
        }
    }
}
