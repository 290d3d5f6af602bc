import CFCore
import LessonKit
import Solutions

/// Lesson 1's cells: the functions a learner writes in `Lessons/lesson-1/Cells.swift`.
/// Its closures capture nothing mutable, so a set of cells can be shared freely.
public struct Lesson1Cells: @unchecked Sendable {
    /// 1.1: the score of one user for one movie, the dot product of their vectors.
    public var score: (_ tastes: [Double], _ factors: [Double]) throws -> Double
    /// 1.2: every score at once, S = U Mᵀ (users × movies).
    public var scoreMatrix: (_ users: Matrix, _ movies: Matrix) throws -> Matrix

    /// A set of cells.
    public init(score: @escaping ([Double], [Double]) throws -> Double, scoreMatrix: @escaping (Matrix, Matrix) throws -> Matrix) {
        self.score = score
        self.scoreMatrix = scoreMatrix
    }

    /// The course's own versions, from the core.
    public static let reference = Lesson1Cells(score: { dot($0, $1) }, scoreMatrix: { $0 * $1.transposed })

    /// The worked solutions.
    public static let solutions = Lesson1Cells(score: Lesson1Solutions.score, scoreMatrix: Lesson1Solutions.scoreMatrix)

    /// These cells, with the course's version in place of each one not in `written`.
    public func completed(_ written: Set<String>) -> Lesson1Cells {
        let r = Lesson1Cells.reference
        return Lesson1Cells(score: written.contains("score") ? score : r.score,
                            scoreMatrix: written.contains("scoreMatrix") ? scoreMatrix : r.scoreMatrix)
    }

    /// The checks of `--check`, on random problems and on the lesson's own users and movies.
    public func exercises(users: Matrix, movies: Matrix) -> [Exercise] {
        let infos = Course.lesson(1)?.exercises ?? []
        typealias Pair = (a: [Double], b: [Double])
        var pairs: [(label: String, problem: Pair)] = [(3, 11), (5, 12), (1, 13), (8, 14)].map { length, seed in
            let m = Problems.normal(2, length, seed: UInt32(seed))
            return ("two random vectors of \(length) (seed \(seed))", (m.row(0), m.row(1)))
        }
        pairs.append(("the lesson's first user and first movie", (users.row(0), movies.row(0))))
        let score = Grader<Pair>(
            problems: pairs,
            cell: { [.number("the score", try self.score($0.a, $0.b))] },
            reference: { [.number("the score", dot($0.a, $0.b))] },
            mistakes: [
                Mistake("the products are not added up: keep a running sum of tastes[d] · factors[d] over every d") { p in
                    [.number("the score", (p.a.last ?? 0) * (p.b.last ?? 0))]
                },
                Mistake("the numbers are added, not multiplied: the score is the sum of the products tastes[d] · factors[d]") {
                    [.number("the score", zip($0.a, $0.b).reduce(0) { $0 + $1.0 + $1.1 })]
                },
            ])
        typealias Factors = (users: Matrix, movies: Matrix)
        var matrices: [(label: String, problem: Factors)] = [(4, 6, 3, 21), (1, 5, 2, 22), (7, 2, 4, 23)].map { u, m, k, seed in
            ("random \(u) users and \(m) movies with k = \(k) (seed \(seed))",
             (Problems.normal(u, k, seed: UInt32(seed)), Problems.normal(m, k, seed: UInt32(seed + 100))))
        }
        matrices.append(("the lesson's users and movies", (users, movies)))
        let scoreMatrix = Grader<Factors>(
            problems: matrices,
            cell: { [.matrix("S", try self.scoreMatrix($0.users, $0.movies))] },
            reference: { [.matrix("S", $0.users * $0.movies.transposed)] },
            mistakes: [
                Mistake("this is M Uᵀ, movies × users: S has one row per user and one column per movie") {
                    [.matrix("S", $0.movies * $0.users.transposed)]
                },
            ])
        return [Exercise(infos[0], score), Exercise(infos[1], scoreMatrix)]
    }
}
