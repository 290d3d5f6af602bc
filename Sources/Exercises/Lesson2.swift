import CFCore
import LessonKit
import Solutions

/// Lesson 2's cells: what a learner writes in `Lessons/lesson-2/Cells.swift` (its `YourCells`), what the worked
/// solutions and the course's own versions compute, and what the lesson calls.
public protocol Lesson2Cells: Sendable {
    /// 2.1: one listener's tastes θ_u by ridge regression on the styles of the songs they rated.
    func listenerTastes(_ ratings: Ratings, listener u: Int, songStyles: Matrix, lambda: Double) throws -> [Double]
    /// 2.2: one song's styles x_j by ridge regression on the tastes of the listeners who rated it.
    func songStyles(_ ratings: Ratings, song j: Int, listenerTastes: Matrix, lambda: Double) throws -> [Double]
}

/// Lesson 2's exercises: their list and the course's own versions of the cells.
public enum Lesson2Exercises {
    /// The cells, in order.
    public static let list = [
        ExerciseInfo(
            "2.1", "listenerTastes", "one listener's tastes θ_u by ridge regression on the songs they rated",
            hints: [
                "Build A = XᵀX + λI (k × k, k = songStyles.columns) and b = Xᵀy by adding up one rated song at a time,\nthen return solveSymmetric(A, b).",
                "With `k = songStyles.columns`, start `var a = Matrix(rows: k, columns: k)` and `var b = [Double](repeating: 0, count: k)`, and put λ on a's diagonal: `a[d, d] = lambda`.",
                "For each `rating` in `ratings.ratings(ofUser: u)`: `let x = songStyles.row(rating.item)`; add `x[d] * x[e]` to `a[d, e]` for every d and e, and `rating.value * x[d]` to `b[d]`. Then `return try solveSymmetric(a, b)`."
            ]),
        ExerciseInfo(
            "2.2", "songStyles", "the reverse: one song's styles x_j from the listeners who rated it",
            hints: [
                "The same normal equations as in listenerTastes, built from the listeners who rated song j.",
                "It is listenerTastes with the roles swapped: the rows of the design are `listenerTastes.row(rating.user)` for each `rating` in `ratings.ratings(ofItem: j)`.",
                "A = Σ θ θᵀ + λI and b = Σ r θ over the listeners who rated j; `return try solveSymmetric(a, b)`."
            ])
    ]

    /// The course's own versions: one row of the core's half-step (`AlternatingLeastSquares.fit`).
    public static let reference: any Lesson2Cells = Reference()
    /// The worked solutions (Sources/Solutions/Lesson2.swift).
    public static let solutions: any Lesson2Cells = Lesson2Solutions()

    struct Reference: Lesson2Cells {
        func listenerTastes(_ ratings: Ratings, listener u: Int, songStyles: Matrix, lambda: Double) throws -> [Double] {
            try AlternatingLeastSquares.fit(.users, ratings, fixed: songStyles, lambda: lambda).row(u)
        }
        func songStyles(_ ratings: Ratings, song j: Int, listenerTastes: Matrix, lambda: Double) throws -> [Double] {
            try AlternatingLeastSquares.fit(.items, ratings, fixed: listenerTastes, lambda: lambda).row(j)
        }
    }

    /// A learner's cells where written, the course's elsewhere.
    struct Completed: Lesson2Cells {
        let yours: any Lesson2Cells, written: Set<String>
        func run<T>(_ function: String = #function, _ call: (any Lesson2Cells) throws -> T) throws -> T {
            try attributed(yours, reference, written: written, lesson: 2, function: function, call)
        }

        func listenerTastes(_ ratings: Ratings, listener u: Int, songStyles: Matrix, lambda: Double) throws -> [Double] {
            try run { try $0.listenerTastes(ratings, listener: u, songStyles: songStyles, lambda: lambda) }
        }
        func songStyles(_ ratings: Ratings, song j: Int, listenerTastes: Matrix, lambda: Double) throws -> [Double] {
            try run { try $0.songStyles(ratings, song: j, listenerTastes: listenerTastes, lambda: lambda) }
        }
    }
}

extension Lesson2Solutions: Lesson2Cells {}

extension Lesson2Cells {
    /// These cells, with the course's version in place of each one not in `written`.
    public func completed(_ written: Set<String>) -> any Lesson2Cells { Lesson2Exercises.Completed(yours: self, written: written) }

    /// A problem: ratings, the known factors of the other side, and λ. Every row of the side is graded.
    typealias Problem = (ratings: Ratings, known: Matrix, lambda: Double)

    /// The checks of `--check`: every listener (or song) of random problems and of the lesson's music example.
    public func exercises() -> [Exercise] {
        let infos = Lesson2Exercises.list
        func problems(_ side: Side) -> [(label: String, problem: Problem)] {
            var list: [(label: String, problem: Problem)] = [(5, 7, 2, 0.5, 31), (8, 6, 3, 0.1, 32), (4, 9, 1, 2.0, 33)].map { u, i, k, λ, seed in
                let ratings = Problems.ratings(users: u, items: i, density: 0.5, seed: UInt32(seed))
                let known = Problems.normal(side == .users ? i : u, k, seed: UInt32(seed + 100))
                return (Problems.label(ratings, seed: UInt32(seed), "k = \(k), λ = \(λ)"), (ratings, known, λ))
            }
            let known = side == .users ? MusicExample.songStyles : MusicExample.listenerSurvey
            list.append(("the lesson's ratings with λ = 0", (MusicExample.ratings, known, 0)))
            list.append(("the lesson's ratings with λ = 1", (MusicExample.ratings, known, 1)))
            return list
        }
        /// Every row's answer as one matrix, so that a difference names the row.
        func all(_ side: Side, _ p: Problem, _ one: (Ratings, Int, Matrix, Double) throws -> [Double]) throws -> [Part] {
            let count = side == .users ? p.ratings.userCount : p.ratings.itemCount
            let rows = try (0..<count).map { try one(p.ratings, $0, p.known, p.lambda) }
            let name = side == .users ? "θ (one row per listener)" : "x (one row per song)"
            guard rows.allSatisfy({ $0.count == p.known.columns }) else {
                return [.vector(name + ", row 0", rows.first ?? [])]
            }
            // One row (the worked case): the cell's own answer, a vector.
            return rows.count == 1 ? [.vector(side == .users ? "θ" : "x", rows[0])] : [.matrix(name, Matrix(rows))]
        }
        func mistakes(_ side: Side) -> [Mistake<Problem>] {
            let reference = side == .users ? Lesson2Exercises.reference.listenerTastes : Lesson2Exercises.reference.songStyles
            return [
                Mistake("λ is missing: add λ to every diagonal entry of XᵀX before solving") { p in
                    try all(side, (p.ratings, p.known, 0), reference)
                },
                Mistake("the unrated \(side == .users ? "songs" : "listeners") are counted as ratings of 0: use only the observed ratings") { p in
                    try all(side, (withMissingAsZero(p.ratings), p.known, p.lambda), reference)
                }
            ]
        }
        func show(_ side: Side) -> (Problem) -> String? {
            { p in
                Show.inputs(
                    ("ratings (one row per listener)", Show.ratings(p.ratings)),
                    (side == .users ? "songStyles" : "listenerTastes", Show.matrix(p.known)), ("lambda", Show.number(p.lambda)))
            }
        }
        // The worked cases: one listener who rated two songs, and one song rated by two listeners, with identity styles.
        let identity = Matrix([[1, 0], [0, 1]])
        let oneListener = (try? Ratings(dense: [[5, 1]]))!, oneSong = (try? Ratings(dense: [[5], [1]]))!
        let tastes = Grader<Problem>(
            worked: ("listenerTastes(ratings [[5, 1]], listener: 0, songStyles: [[1, 0], [0, 1]], lambda: 1)", (oneListener, identity, 1)),
            problems: problems(.users), cell: { try all(.users, $0, self.listenerTastes) },
            reference: { try all(.users, $0, Lesson2Exercises.reference.listenerTastes) }, mistakes: mistakes(.users),
            show: show(.users))
        let styles = Grader<Problem>(
            worked: ("songStyles(ratings [[5], [1]], song: 0, listenerTastes: [[1, 0], [0, 1]], lambda: 1)", (oneSong, identity, 1)),
            problems: problems(.items), cell: { try all(.items, $0, self.songStyles) },
            reference: { try all(.items, $0, Lesson2Exercises.reference.songStyles) }, mistakes: mistakes(.items),
            show: show(.items))
        return [Exercise(infos[0], tastes), Exercise(infos[1], styles)]
    }
}
