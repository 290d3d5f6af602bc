/// Why a least-squares problem has no unique answer.
public enum LeastSquaresError: Error, Equatable, CustomStringConvertible {
    /// The columns of the design matrix are linearly dependent (for example fewer equations than
    /// unknowns), so without a penalty infinitely many weight vectors fit equally well.
    case rankDeficient(equations: Int, unknowns: Int)

    public var description: String {
        switch self {
        case let .rankDeficient(equations, unknowns) where equations < unknowns:
            return "\(equations) equation\(equations == 1 ? "" : "s") cannot determine \(unknowns) unknowns: "
                + "the least-squares solution is not unique; add an L2 penalty (λ > 0)"
        case let .rankDeficient(equations, unknowns):
            return "the \(equations) equations in \(unknowns) unknowns are linearly dependent: "
                + "the least-squares solution is not unique; add an L2 penalty (λ > 0)"
        }
    }
}

/// Linear least squares without intercept, optionally with an L2 (ridge) penalty.
///
/// It minimises ‖A w − y‖² + λ‖w‖² by solving the normal equations (AᵀA + λI) w = Aᵀy with a
/// Cholesky factorization. This is the regression of content-based filtering and each half-step
/// of alternating least squares.
public enum LeastSquares {
    /// The weights `w` that minimise ‖design · w − targets‖² + λ‖w‖².
    ///
    /// - Throws: `LeastSquaresError.rankDeficient` when λ = 0 and the columns of `design` are
    ///   linearly dependent, as they are whenever there are fewer rows than columns.
    public static func solve(_ design: Matrix, _ targets: [Double], lambda: Double = 0) throws -> [Double] {
        require(design.rows == targets.count, "\(design.rows) rows but \(targets.count) targets")
        require(lambda >= 0, "the penalty λ cannot be negative")
        let k = design.columns
        var gram = [Double](repeating: 0, count: k * k)
        var rhs = [Double](repeating: 0, count: k)
        for r in 0..<design.rows {
            let row = design.elements[(r * k)..<((r + 1) * k)]
            accumulate(row: row, target: targets[r], gram: &gram, rhs: &rhs)
        }
        for d in 0..<k { gram[d * k + d] += lambda }
        guard solveInPlace(gram: &gram, rhs: &rhs, size: k) else {
            throw LeastSquaresError.rankDeficient(equations: design.rows, unknowns: k)
        }
        return rhs
    }

    /// Adds one equation `row · w ≈ target` to the normal equations: gram += rowᵀrow, rhs += target·row.
    @inlinable
    public static func accumulate<C: Collection<Double>>(row: C, target: Double, gram: inout [Double], rhs: inout [Double])
    where C.Index == Int {
        let k = row.count, base = row.startIndex
        for a in 0..<k {
            let xa = row[base + a]
            rhs[a] += target * xa
            for b in 0..<k { gram[a * k + b] += xa * row[base + b] }
        }
    }

    /// Solves the symmetric system `gram · w = rhs` in place by Cholesky factorization.
    ///
    /// On success `rhs` holds `w` and `gram` holds the Cholesky factor; returns `false` (leaving
    /// both undefined) when `gram` is not positive definite to working precision.
    @discardableResult
    public static func solveInPlace(gram: inout [Double], rhs: inout [Double], size k: Int) -> Bool {
        gram.withUnsafeMutableBufferPointer { g in
            rhs.withUnsafeMutableBufferPointer { b in
                choleskySolve(g.baseAddress!, b.baseAddress!, size: k)
            }
        }
    }

    /// The lower-triangular Cholesky factor L of a symmetric positive definite matrix (A = L Lᵀ), or nil when A is
    /// not positive definite to working precision.
    public static func choleskyFactor(_ a: Matrix) -> Matrix? {
        var factor = a, rhs = [Double](repeating: 0, count: a.rows)
        let done = factor.elements.withUnsafeMutableBufferPointer { f in
            rhs.withUnsafeMutableBufferPointer { choleskySolve(f.baseAddress!, $0.baseAddress!, size: a.rows) }
        }
        guard done else { return nil }
        for i in 0..<a.rows { for j in (i + 1)..<max(a.rows, i + 1) { factor[i, j] = 0 } }
        return factor
    }

    /// Cholesky solve on raw buffers (a `k × k` row-major matrix and a vector of `k`), allocating nothing.
    ///
    /// With `noise` z, the result is P⁻¹b + L⁻ᵀz instead (z is added between the two triangular solves): a draw from
    /// N(P⁻¹b, P⁻¹) when z ~ N(0, I), as Bayesian matrix factorization needs.
    public static func choleskySolve(
        _ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, size k: Int,
        noise: UnsafePointer<Double>? = nil
    ) -> Bool {
        guard choleskyFactorInPlace(a, size: k) else { return false }
        choleskySubstitute(a, b, size: k, noise: noise)
        return true
    }

    /// The first half of `choleskySolve`: factors A = L Lᵀ in place, reading A's lower triangle (with the diagonal) and
    /// overwriting it with L; the upper triangle is neither read nor changed. Returns `false` when a pivot is not
    /// positive to working precision.
    static func choleskyFactorInPlace(_ a: UnsafeMutablePointer<Double>, size k: Int) -> Bool {
        var largestDiagonal = 0.0
        for d in 0..<k { largestDiagonal = max(largestDiagonal, abs(a[d * k + d])) }
        // A pivot this small relative to the matrix means a (numerically) dependent column.
        let tolerance = max(largestDiagonal, .leastNormalMagnitude) * 1e-12
        for j in 0..<k {
            var pivot = a[j * k + j]
            for p in 0..<j { pivot -= a[j * k + p] * a[j * k + p] }
            guard pivot > tolerance, pivot.isFinite else { return false }
            let ljj = pivot.squareRoot()
            a[j * k + j] = ljj
            // Column j below the diagonal, four rows at a time: their sums are independent chains, interleaved so that
            // they run side by side; each is summed in the order of p, as one row at a time would be.
            let rowJ = a + j * k
            var i = j + 1
            while i + 4 <= k {
                let r0 = a + i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k
                var s0 = r0[j], s1 = r1[j], s2 = r2[j], s3 = r3[j]
                for p in 0..<j {
                    let x = rowJ[p]
                    s0 -= r0[p] * x
                    s1 -= r1[p] * x
                    s2 -= r2[p] * x
                    s3 -= r3[p] * x
                }
                (r0[j], r1[j], r2[j], r3[j]) = (s0 / ljj, s1 / ljj, s2 / ljj, s3 / ljj)
                i += 4
            }
            while i < k {
                let row = a + i * k
                var sum = row[j]
                for p in 0..<j { sum -= row[p] * rowJ[p] }
                row[j] = sum / ljj
                i += 1
            }
        }
        return true
    }

    /// The second half of `choleskySolve`, given the factor L (lower triangle of `l`): forward substitution L z = b,
    /// `noise` added, then back substitution Lᵀ w = z; `b` becomes w.
    static func choleskySubstitute(_ l: UnsafePointer<Double>, _ b: UnsafeMutablePointer<Double>, size k: Int, noise: UnsafePointer<Double>?) {
        for i in 0..<k {
            var sum = b[i]
            for p in 0..<i { sum -= l[i * k + p] * b[p] }
            b[i] = sum / l[i * k + i]
        }
        if let noise { for i in 0..<k { b[i] += noise[i] } }
        for i in stride(from: k - 1, through: 0, by: -1) {
            var sum = b[i]
            for p in (i + 1)..<max(k, i + 1) { sum -= l[p * k + i] * b[p] }
            b[i] = sum / l[i * k + i]
        }
    }
}

/// Solves the linear system `a · w = b` for a symmetric positive-definite `a` (such as XᵀX + λI) by Cholesky
/// factorization, and returns `w`. This is the one solver a lesson's cells call: they build the normal equations
/// themselves and hand them over.
///
/// - Throws: `LeastSquaresError.rankDeficient` when `a` is singular (or not positive definite) to working precision.
public func solveSymmetric(_ a: Matrix, _ b: [Double]) throws -> [Double] {
    require(a.rows == a.columns, "cannot solve with a \(a.rows)×\(a.columns) matrix: it must be square")
    require(a.rows == b.count, "a \(a.rows)×\(a.columns) system needs a right-hand side of \(a.rows), not \(b.count)")
    var gram = a.elements, rhs = b
    guard a.rows == 0 || LeastSquares.solveInPlace(gram: &gram, rhs: &rhs, size: a.rows) else {
        throw LeastSquaresError.rankDeficient(equations: a.rows, unknowns: a.rows)
    }
    return rhs
}

/// The inverse of a symmetric positive-definite `a` (a covariance from a precision, or the reverse), one column at a
/// time by `solveSymmetric`, made exactly symmetric.
///
/// - Throws: `LeastSquaresError.rankDeficient` when `a` is singular (or not positive definite) to working precision.
public func inverseSymmetric(_ a: Matrix) throws -> Matrix {
    let k = a.rows
    var inverse = Matrix(rows: k, columns: k)
    for c in 0..<k {
        let column = try solveSymmetric(a, (0..<k).map { $0 == c ? 1 : 0 })
        for r in 0..<k { inverse[r, c] = column[r] }
    }
    return Matrix(rows: k, columns: k) { 0.5 * (inverse[$0, $1] + inverse[$1, $0]) }
}
