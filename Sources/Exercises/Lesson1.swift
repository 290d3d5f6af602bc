import CFCore
import LessonKit
import Solutions

/// Lesson 1's cells: what a learner writes in `Lessons/lesson-1/Cells.swift` (its `YourCells`), what the worked
/// solutions and the course's own versions compute, and what the lesson calls.
public protocol Lesson1Cells: Sendable {
    /// 1.1: the score of one user for one movie, the dot product of their vectors.
    func score(tastes: [Double], factors: [Double]) throws -> Double
    /// 1.2: every score at once, S = U Mᵀ (users × movies).
    func scoreMatrix(users: Matrix, movies: Matrix) throws -> Matrix
}

/// Lesson 1's exercises: their list and the course's own versions of the cells.
public enum Lesson1Exercises {
    /// The cells, in order.
    public static let list = [
        ExerciseInfo(
            "1.1", "score", "the score of one user for one movie: the dot product of their vectors",
            hints: [
                "Multiply the two vectors entry by entry and add up the products; return the sum.",
                "Start from `var sum = 0.0` and loop over `tastes.indices`: each turn adds `tastes[d] * factors[d]`.",
                "`var sum = 0.0; for d in tastes.indices { sum += tastes[d] * factors[d] }; return sum`."
            ]),
        ExerciseInfo(
            "1.2", "scoreMatrix", "every score at once: S = U Mᵀ",
            hints: [
                "One score per user and movie: S[u, m] = score(tastes: users.row(u), factors: movies.row(m)).",
                "Make the result with `var s = Matrix(rows: users.rows, columns: movies.rows)`: one row per user, one column per movie.",
                "Two loops, u over `0..<users.rows` and m over `0..<movies.rows`: `s[u, m] = try score(tastes: users.row(u), factors: movies.row(m))`. (Or, in one line, `users * movies.transposed`.)"
            ])
    ]

    /// The course's own versions, from the core.
    public static let reference: any Lesson1Cells = Reference()
    /// The worked solutions (Sources/Solutions/Lesson1.swift).
    public static let solutions: any Lesson1Cells = Lesson1Solutions()

    struct Reference: Lesson1Cells {
        func score(tastes: [Double], factors: [Double]) -> Double { dot(tastes, factors) }
        func scoreMatrix(users: Matrix, movies: Matrix) -> Matrix { users * movies.transposed }
    }

    /// A learner's cells where written, the course's elsewhere.
    struct Completed: Lesson1Cells {
        let yours: any Lesson1Cells, written: Set<String>
        func run<T>(_ function: String = #function, _ call: (any Lesson1Cells) throws -> T) throws -> T {
            try attributed(yours, reference, written: written, lesson: 1, function: function, call)
        }

        func score(tastes: [Double], factors: [Double]) throws -> Double { try run { try $0.score(tastes: tastes, factors: factors) } }
        func scoreMatrix(users: Matrix, movies: Matrix) throws -> Matrix { try run { try $0.scoreMatrix(users: users, movies: movies) } }
    }
}

extension Lesson1Solutions: Lesson1Cells {}

extension Lesson1Cells {
    /// These cells, with the course's version in place of each one not in `written`.
    public func completed(_ written: Set<String>) -> any Lesson1Cells { Lesson1Exercises.Completed(yours: self, written: written) }

    /// The checks of `--check`, on random problems and on the lesson's own users and movies.
    public func exercises(users: Matrix, movies: Matrix) -> [Exercise] {
        let infos = Lesson1Exercises.list
        typealias Pair = (a: [Double], b: [Double])
        var pairs: [(label: String, problem: Pair)] = [(3, 11), (5, 12), (1, 13), (8, 14)].map { length, seed in
            let m = Problems.normal(2, length, seed: UInt32(seed))
            return ("two random vectors of \(length) (seed \(seed))", (m.row(0), m.row(1)))
        }
        pairs.append(("the lesson's first user and first movie", (users.row(0), movies.row(0))))
        let score = Grader<Pair>(
            worked: ("score(tastes: [1, 2], factors: [3, 4])", ([1, 2], [3, 4])),
            problems: pairs,
            cell: { [.number("the score", try self.score(tastes: $0.a, factors: $0.b))] },
            reference: { [.number("the score", dot($0.a, $0.b))] },
            mistakes: [
                Mistake("the products are not added up: keep a running sum of tastes[d] · factors[d] over every d") { p in
                    [.number("the score", (p.a.last ?? 0) * (p.b.last ?? 0))]
                },
                Mistake("the numbers are added, not multiplied: the score is the sum of the products tastes[d] · factors[d]") {
                    [.number("the score", zip($0.a, $0.b).reduce(0) { $0 + $1.0 + $1.1 })]
                }
            ],
            show: { Show.inputs(("tastes", Show.vector($0.a)), ("factors", Show.vector($0.b))) })
        typealias Factors = (users: Matrix, movies: Matrix)
        var matrices: [(label: String, problem: Factors)] = [(4, 6, 3, 21), (1, 5, 2, 22), (7, 2, 4, 23)].map { u, m, k, seed in
            (
                "random \(u) users and \(m) movies with k = \(k) (seed \(seed))",
                (Problems.normal(u, k, seed: UInt32(seed)), Problems.normal(m, k, seed: UInt32(seed + 100)))
            )
        }
        matrices.append(("the lesson's users and movies", (users, movies)))
        let scoreMatrix = Grader<Factors>(
            worked: ("scoreMatrix(users: [[1, 2]], movies: [[3, 4], [5, 6]])", (Matrix([[1, 2]]), Matrix([[3, 4], [5, 6]]))),
            problems: matrices,
            cell: { [.matrix("S", try self.scoreMatrix(users: $0.users, movies: $0.movies))] },
            reference: { [.matrix("S", $0.users * $0.movies.transposed)] },
            mistakes: [
                Mistake("this is M Uᵀ, movies × users: S has one row per user and one column per movie") {
                    [.matrix("S", $0.movies * $0.users.transposed)]
                }
            ],
            show: { Show.inputs(("users", Show.matrix($0.users)), ("movies", Show.matrix($0.movies))) })
        return [Exercise(infos[0], score), Exercise(infos[1], scoreMatrix)]
    }
}
