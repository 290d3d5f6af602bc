// Worked solutions of lesson 1's exercises. Try them yourself first, in Lessons/lesson-1/Cells.swift.
import CFCore

/// Lesson 1: scores as dot products.
public struct Lesson1Solutions: Sendable {
    /// The worked solutions, as a set of cells (`--solutions`).
    public init() {}

    /// score = Σ_d tastes[d] · factors[d]
    public func score(tastes: [Double], factors: [Double]) throws -> Double {
        var sum = 0.0
        for d in 0..<tastes.count {
            sum += tastes[d] * factors[d]
        }
        return sum
    }

    /// S[u, m] = U[u] · M[m]: one dot product per user and movie, which is the matrix product U Mᵀ.
    public func scoreMatrix(users: Matrix, movies: Matrix) throws -> Matrix {
        var scores = Matrix(rows: users.rows, columns: movies.rows)
        for u in 0..<users.rows {
            for m in 0..<movies.rows {
                scores[u, m] = try score(tastes: users.row(u), factors: movies.row(m))
            }
        }
        return scores
    }
}
