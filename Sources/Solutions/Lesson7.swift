// Worked solutions of lesson 7's exercises. Try them yourself first, in Lessons/lesson-7/Cells.swift.

/// Lesson 7: a shrunk similarity, and a prediction from neighbours.
public struct Lesson7Solutions: Sendable {
    /// The worked solutions, as a set of cells (`--solutions`).
    public init() {}

    /// Σ x y / √(Σ x² Σ y²) over the users in both lists, times n / (n + shrinkage); 0 without a common rater.
    public func shrunkPearson(
        _ a: [(user: Int, residual: Double)], _ b: [(user: Int, residual: Double)],
        shrinkage: Double
    ) throws -> Double {
        var i = 0, j = 0, n = 0.0, xy = 0.0, xx = 0.0, yy = 0.0
        while i < a.count && j < b.count {
            if a[i].user < b[j].user { i += 1; continue }
            if a[i].user > b[j].user { j += 1; continue }
            let x = a[i].residual, y = b[j].residual
            xy += x * y
            xx += x * x
            yy += y * y
            n += 1
            i += 1
            j += 1
        }
        let norms = (xx * yy).squareRoot()
        guard n > 0, norms > 0 else { return 0 }
        return xy / norms * n / (n + shrinkage)
    }

    /// baseline + Σ sim · residual / Σ sim over the first k neighbours with a positive similarity.
    public func neighbourPrediction(baseline: Double, neighbours: [(similarity: Double, residual: Double)], k: Int) throws -> Double {
        let chosen = neighbours.filter { $0.similarity > 0 }.prefix(k)
        let total = chosen.reduce(0) { $0 + $1.similarity }
        guard total > 0 else { return baseline }
        return baseline + chosen.reduce(0) { $0 + $1.similarity * $1.residual } / total
    }
}
