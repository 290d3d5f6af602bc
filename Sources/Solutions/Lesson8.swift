// Worked solutions of lesson 8's exercises. Try it yourself first, in Lessons/lesson-8/Cells.swift.
import CFCore

/// Lesson 8: one user's Gaussian in BPMF, and the blend's weights.
public struct Lesson8Solutions: Sendable {
    /// The worked solutions, as a set of cells (`--solutions`).
    public init() {}

    /// The precision P = Λ + α Σ v vᵀ, the covariance P⁻¹ one column at a time, and the mean P⁻¹ (α Σ r v + Λ μ).
    public func userConditional(movies: Matrix, residuals: [Double], alpha: Double, mu: [Double], lambda: Matrix) throws
        -> (mean: [Double], covariance: Matrix)
    {
        let k = lambda.rows
        var precision = lambda
        var pull = [Double](repeating: 0, count: k)
        for a in 0..<k { for b in 0..<k { pull[a] += lambda[a, b] * mu[b] } }
        for (j, r) in residuals.enumerated() {
            let v = movies.row(j)
            for a in 0..<k {
                pull[a] += alpha * r * v[a]
                for b in 0..<k { precision[a, b] += alpha * v[a] * v[b] }
            }
        }
        var covariance = Matrix(rows: k, columns: k)
        for c in 0..<k {
            let column = try solveSymmetric(precision, (0..<k).map { $0 == c ? 1 : 0 })
            for r in 0..<k { covariance[r, c] = column[r] }
        }
        let mean = (0..<k).map { a in (0..<k).reduce(0) { $0 + covariance[a, $1] * pull[$1] } }
        return (mean, covariance)
    }

    /// Ridge regression on centred columns, so that the intercept ȳ − w · x̄ is not penalized.
    public func ridgeBlend(_ x: [[Double]], _ y: [Double], lambda: Double) throws -> (weights: [Double], intercept: Double) {
        let n = Double(x.count), p = x.first?.count ?? 0
        let means = (0..<p).map { c in x.reduce(0) { $0 + $1[c] } / n }, yMean = y.reduce(0, +) / n
        var gram = Matrix(rows: p, columns: p), rhs = [Double](repeating: 0, count: p)
        for (row, target) in zip(x, y) {
            for a in 0..<p {
                rhs[a] += (row[a] - means[a]) * (target - yMean)
                for b in 0..<p { gram[a, b] += (row[a] - means[a]) * (row[b] - means[b]) }
            }
        }
        for d in 0..<p { gram[d, d] += lambda * n }
        let w = try solveSymmetric(gram, rhs)
        return (w, yMean - zip(w, means).reduce(0) { $0 + $1.0 * $1.1 })
    }
}
