// Worked solutions of lesson 3's exercises. Try them yourself first, in Lessons/lesson-3/Cells.swift.
import CFCore

/// Lesson 3: alternating least squares.
public struct Lesson3Solutions: Sendable {
    /// The worked solutions, as a set of cells (`--solutions`).
    public init() {}

    /// One half-step. For `.users`, every user's factors are the ridge regression of their ratings on the `fixed`
    /// factors of the items they rated; for `.items`, every item's on the factors of the users who rated it.
    /// A row with no ratings keeps factors of zero.
    public func halfStep(_ side: Side, _ ratings: Ratings, fixed: Matrix, lambda: Double) throws -> Matrix {
        let count = side == .users ? ratings.userCount : ratings.itemCount
        let k = fixed.columns
        var result = Matrix(rows: count, columns: k)
        for row in 0..<count {
            let own = side == .users ? ratings.ratings(ofUser: row) : ratings.ratings(ofItem: row)
            if own.isEmpty { continue }
            // The normal equations (AᵀA + λI) w = Aᵀy, A holding the other side's factors of this row's ratings.
            var gram = Matrix(rows: k, columns: k), rhs = [Double](repeating: 0, count: k)
            for r in own {
                let other = side == .users ? r.item : r.user
                for p in 0..<k {
                    rhs[p] += fixed[other, p] * r.value
                    for q in 0..<k { gram[p, q] += fixed[other, p] * fixed[other, q] }
                }
            }
            for d in 0..<k { gram[d, d] += lambda }
            result.setRow(row, to: try solveSymmetric(gram, rhs))
        }
        return result
    }

    /// Σ over observed (u, j) of (p_u · q_j − r_uj)²  +  λ (Σ_u ‖p_u‖² + Σ_j ‖q_j‖²)
    public func objective(_ ratings: Ratings, listeners p: Matrix, songs q: Matrix, lambda: Double) throws -> Double {
        var sum = 0.0
        for r in ratings.entries {
            let u = r.user, j = r.item
            var prediction = 0.0
            for f in 0..<p.columns { prediction += p[u, f] * q[j, f] }
            sum += (prediction - r.value) * (prediction - r.value)
        }
        return sum + lambda * (p.sumOfSquares + q.sumOfSquares)
    }
}
