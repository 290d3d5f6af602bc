/// Principal components of the rows of a matrix: the directions in which the rows spread most.
///
/// The rows are centred on their mean, their k × k covariance C = XᵀX / (n − 1) is diagonalized by Jacobi rotations
/// (exact for a symmetric matrix, and k is small: a factor model's k), and each row is projected on the leading
/// eigenvectors. The sign of each component is fixed so that its largest entry is positive, so the same data give
/// the same map on every machine.
public struct PrincipalComponents: Sendable {
    /// The eigenvalues of the covariance, largest first (the variance along each component).
    public let variances: [Double]
    /// The unit eigenvectors, one per row, in the order of `variances`.
    public let directions: Matrix
    /// The mean row that was subtracted.
    public let mean: [Double]

    /// The principal components of the rows of `data` (at least two rows).
    public init(_ data: Matrix) {
        let n = data.rows, k = data.columns
        require(n >= 2, "principal components need at least two rows")
        var mean = [Double](repeating: 0, count: k)
        for r in 0..<n { for c in 0..<k { mean[c] += data[r, c] / Double(n) } }
        var cov = Matrix(rows: k, columns: k)
        for r in 0..<n {
            for a in 0..<k {
                let da = data[r, a] - mean[a]
                for b in a..<k { cov[a, b] += da * (data[r, b] - mean[b]) / Double(n - 1) }
            }
        }
        for a in 0..<k { for b in 0..<a { cov[a, b] = cov[b, a] } }
        let (values, vectors) = PrincipalComponents.symmetricEigen(cov)
        let order = values.indices.sorted { values[$0] > values[$1] }
        var directions = Matrix(rows: k, columns: k)
        for (row, index) in order.enumerated() {
            var v = (0..<k).map { vectors[$0, index] }
            if let largest = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[largest] < 0 { v = v.map { -$0 } }
            for c in 0..<k { directions[row, c] = v[c] }
        }
        variances = order.map { values[$0] }
        self.directions = directions
        self.mean = mean
    }

    /// Each row of `data` as its coordinates on the first `count` components.
    public func project(_ data: Matrix, count: Int = 2) -> Matrix {
        Matrix(rows: data.rows, columns: count) { r, c in
            (0..<data.columns).reduce(0) { $0 + (data[r, $1] - mean[$1]) * directions[c, $1] }
        }
    }

    /// The share of the total variance on each component.
    public var explained: [Double] {
        let total = variances.reduce(0, +)
        return variances.map { total > 0 ? $0 / total : 0 }
    }

    /// Eigenvalues and eigenvectors (as columns) of a symmetric matrix, by cyclic Jacobi rotations.
    static func symmetricEigen(_ matrix: Matrix) -> (values: [Double], vectors: Matrix) {
        let k = matrix.rows
        var a = matrix, v = Matrix.identity(k)
        for _ in 0..<100 {
            var off = 0.0
            for p in 0..<k { for q in (p + 1)..<max(k, p + 1) { off += a[p, q] * a[p, q] } }
            if off < 1e-22 * max(1, (0..<k).reduce(0) { $0 + a[$1, $1] * a[$1, $1] }) { break }
            for p in 0..<k {
                for q in (p + 1)..<max(k, p + 1) where a[p, q] != 0 {
                    // The rotation that zeroes a[p, q] (Golub & Van Loan, the symmetric Schur decomposition).
                    let theta = (a[q, q] - a[p, p]) / (2 * a[p, q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for r in 0..<k {
                        let arp = a[r, p], arq = a[r, q]
                        a[r, p] = c * arp - s * arq
                        a[r, q] = s * arp + c * arq
                    }
                    for r in 0..<k {
                        let apr = a[p, r], aqr = a[q, r]
                        a[p, r] = c * apr - s * aqr
                        a[q, r] = s * apr + c * aqr
                    }
                    for r in 0..<k {
                        let vrp = v[r, p], vrq = v[r, q]
                        v[r, p] = c * vrp - s * vrq
                        v[r, q] = s * vrp + c * vrq
                    }
                }
            }
        }
        return ((0..<k).map { a[$0, $0] }, v)
    }
}
