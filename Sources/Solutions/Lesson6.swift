// Worked solutions of lesson 6's exercises. Try them yourself first, in Lessons/lesson-6/Cells.swift.
import CFCore

/// Lesson 6: biased matrix factorization, one rating at a time, and a new user folded in.
public struct Lesson6Solutions: Sendable {
    /// The worked solutions, as a set of cells (`--solutions`).
    public init() {}

    /// With e = r − (μ + b_u + b_i + p_u · q_i), computed once before anything moves:
    ///
    ///     b_u += lr (e − biasλ b_u)          b_i += lr (e − biasλ b_i)
    ///     p_u += lr (e q_i − λ p_u)          then q_i += lr (e p_u − λ q_i) with the new p_u
    public func sgdUpdate(
        _ model: inout FactorModel, user u: Int, item i: Int, rating r: Double,
        learningRate lr: Double, lambda: Double, biasLambda: Double
    ) throws {
        let e = r - model.score(user: u, item: i)
        model.userBias[u] += lr * (e - biasLambda * model.userBias[u])
        model.itemBias[i] += lr * (e - biasLambda * model.itemBias[i])
        for f in 0..<model.factorCount {
            model.userFactors[u, f] += lr * (e * model.itemFactors[i, f] - lambda * model.userFactors[u, f])
            model.itemFactors[i, f] += lr * (e * model.userFactors[u, f] - lambda * model.itemFactors[i, f])
        }
    }

    /// The new user's factors p and bias b, with every item fixed: the ridge regression that minimises
    ///
    ///     Σ over the rated items i of (r_i − μ − b_i − q_i · p − b)²  +  λ n (‖p‖² + b²)
    ///
    /// with n the number of ratings. Each rating is one equation whose unknowns are (p, b), with design row (q_i, 1).
    public func foldIn(_ model: FactorModel, ratings: [(item: Int, value: Double)], lambda: Double) throws
        -> (factors: [Double], bias: Double)
    {
        let k = model.factorCount, n = k + 1
        var gram = Matrix(rows: n, columns: n), rhs = [Double](repeating: 0, count: n)
        for rating in ratings {
            let row = model.itemFactors.row(rating.item) + [1]
            let target = rating.value - model.globalMean - model.itemBias[rating.item]
            for a in 0..<n {
                rhs[a] += row[a] * target
                for b in 0..<n { gram[a, b] += row[a] * row[b] }
            }
        }
        for d in 0..<n { gram[d, d] += lambda * Double(ratings.count) }
        let solution = try solveSymmetric(gram, rhs)
        return (Array(solution.prefix(k)), solution[k])
    }
}
