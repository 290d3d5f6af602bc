// Worked solution of lesson 8's exercise. Try it yourself first, in Lessons/lesson-8/Cells.swift.
import CFCore

/// Lesson 8: the blend's weights.
public enum Lesson8Solutions {
    /// Ridge regression on centred columns, so that the intercept ȳ − w · x̄ is not penalized.
    public static func ridgeBlend(_ x: [[Double]], _ y: [Double], lambda: Double) throws -> (weights: [Double], intercept: Double) {
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
