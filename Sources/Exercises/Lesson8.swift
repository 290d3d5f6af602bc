import CFCore
import LessonKit
import Solutions

/// Lesson 8's cell: the function a learner writes in `Lessons/lesson-8/Cells.swift`.
public struct Lesson8Cells: @unchecked Sendable {
    /// Weights and intercept of a linear blend.
    public typealias Fitted = (weights: [Double], intercept: Double)
    /// 8.1: ridge regression with an unpenalized intercept.
    public var ridgeBlend: (_ x: [[Double]], _ y: [Double], _ lambda: Double) throws -> Fitted

    /// A set of cells.
    public init(ridgeBlend: @escaping ([[Double]], [Double], Double) throws -> Fitted) { self.ridgeBlend = ridgeBlend }

    /// The course's own version, from the core: `LeastSquares.solve` on the centred columns.
    public static let reference = Lesson8Cells(ridgeBlend: { x, y, λ in
        let n = Double(x.count), p = x.first?.count ?? 0
        let means = (0..<p).map { c in x.reduce(0) { $0 + $1[c] } / n }, yMean = y.reduce(0, +) / n
        let design = Matrix(rows: x.count, columns: p) { r, c in x[r][c] - means[c] }
        let w = try LeastSquares.solve(design, y.map { $0 - yMean }, lambda: λ * n)
        return (w, yMean - zip(w, means).reduce(0) { $0 + $1.0 * $1.1 })
    })

    /// The worked solution.
    public static let solutions = Lesson8Cells(ridgeBlend: { try Lesson8Solutions.ridgeBlend($0, $1, lambda: $2) })

    /// These cells, with the course's version in place of one not in `written`.
    public func completed(_ written: Set<String>) -> Lesson8Cells {
        written.contains("ridgeBlend") ? self : Lesson8Cells.reference
    }

    public typealias Problem = (x: [[Double]], y: [Double], lambda: Double)

    /// The checks of `--check`: random blends with an intercept, correlated inputs, and λ from tiny to large.
    public func exercises() -> [Exercise] {
        let infos = Course.lesson(8)?.exercises ?? []
        func problem(_ rows: Int, _ columns: Int, seed: UInt32, lambda: Double) -> Problem {
            var rng = RandomState(seed: seed)
            let truth = (0..<columns).map { _ in rng.randn() }
            let x = (0..<rows).map { _ in (0..<columns).map { _ in 3 + rng.randn() } }
            let y = x.map { row in 1.5 + zip(row, truth).reduce(0) { $0 + $1.0 * $1.1 } + 0.1 * rng.randn() }
            return (x, y, lambda)
        }
        let problems: [(label: String, problem: Problem)] = [
            ("30 rows, 3 inputs, λ = 0.001 (seed 1)", problem(30, 3, seed: 1, lambda: 0.001)),
            ("50 rows, 8 inputs, λ = 0.1 (seed 2)", problem(50, 8, seed: 2, lambda: 0.1)),
            ("12 rows, 5 inputs, λ = 10 (seed 3): the weights shrink toward 0", problem(12, 5, seed: 3, lambda: 10)),
        ]
        let parts = { (f: Fitted) in [Part.vector("weights", f.weights), .number("intercept", f.intercept)] }
        let grader = Grader<Problem>(
            problems: problems,
            cell: { parts(try self.ridgeBlend($0.x, $0.y, $0.lambda)) },
            reference: { parts(try Lesson8Solutions.ridgeBlend($0.x, $0.y, lambda: $0.lambda)) },
            mistakes: [
                Mistake("the penalty is λ, not λ n: the lesson's λ is per rating, so multiply it by the number of rows") { p in
                    parts(try Lesson8Solutions.ridgeBlend(p.x, p.y, lambda: p.lambda / Double(p.x.count)))
                },
                Mistake("the intercept was penalized (no centring): centre the columns and y, then compute the intercept") { p in
                    let design = Matrix(rows: p.x.count, columns: (p.x.first?.count ?? 0) + 1) { r, c in c < p.x[r].count ? p.x[r][c] : 1 }
                    let w = try LeastSquares.solve(design, p.y, lambda: p.lambda * Double(p.x.count))
                    return parts((Array(w.dropLast()), w.last ?? 0))
                },
            ])
        return [Exercise(infos[0], grader)]
    }
}
