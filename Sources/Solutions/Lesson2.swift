// Worked solutions of lesson 2's exercises. Try them yourself first, in Lessons/lesson-2/Cells.swift.
import CFCore

/// Lesson 2: one ridge regression per listener, and per song.
public struct Lesson2Solutions: Sendable {
    /// The worked solutions, as a set of cells (`--solutions`).
    public init() {}

    /// θ_u = (XᵀX + λI)⁻¹ Xᵀy, where X holds the styles of the songs listener u rated (one row each) and y their ratings.
    public func listenerTastes(_ ratings: Ratings, listener u: Int, songStyles: Matrix, lambda: Double) throws -> [Double] {
        let rated = ratings.ratings(ofUser: u)
        let x = Matrix(rated.map { songStyles.row($0.item) })
        let y = rated.map(\.value)
        return try ridge(x, y, lambda: lambda, unknowns: songStyles.columns)
    }

    /// x_j = (ΘᵀΘ + λI)⁻¹ Θᵀy, where Θ holds the tastes of the listeners who rated song j and y their ratings of it.
    public func songStyles(_ ratings: Ratings, song j: Int, listenerTastes: Matrix, lambda: Double) throws -> [Double] {
        let raters = ratings.ratings(ofItem: j)
        let theta = Matrix(raters.map { listenerTastes.row($0.user) })
        let y = raters.map(\.value)
        return try ridge(theta, y, lambda: lambda, unknowns: listenerTastes.columns)
    }

    /// Solves the normal equations (AᵀA + λI) w = Aᵀy.
    func ridge(_ a: Matrix, _ y: [Double], lambda: Double, unknowns k: Int) throws -> [Double] {
        // With no rows at all, Matrix([]) has no columns: build the k × k system directly.
        var gram = Matrix(rows: k, columns: k), rhs = [Double](repeating: 0, count: k)
        for row in 0..<a.rows {
            for p in 0..<k {
                rhs[p] += a[row, p] * y[row]
                for q in 0..<k { gram[p, q] += a[row, p] * a[row, q] }
            }
        }
        for d in 0..<k { gram[d, d] += lambda }
        return try solveSymmetric(gram, rhs)
    }
}
