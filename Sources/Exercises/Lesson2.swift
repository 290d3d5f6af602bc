import CFCore
import LessonKit
import Solutions

/// Lesson 2's cells: the functions a learner writes in `Lessons/lesson-2/Cells.swift`.
/// Its closures capture nothing mutable, so a set of cells can be shared freely.
public struct Lesson2Cells: @unchecked Sendable {
    /// 2.1: one listener's tastes θ_u by ridge regression on the styles of the songs they rated.
    public var listenerTastes: (_ ratings: Ratings, _ listener: Int, _ songStyles: Matrix, _ lambda: Double) throws -> [Double]
    /// 2.2: one song's styles x_j by ridge regression on the tastes of the listeners who rated it.
    public var songStyles: (_ ratings: Ratings, _ song: Int, _ listenerTastes: Matrix, _ lambda: Double) throws -> [Double]

    /// A set of cells.
    public init(listenerTastes: @escaping (Ratings, Int, Matrix, Double) throws -> [Double],
                songStyles: @escaping (Ratings, Int, Matrix, Double) throws -> [Double]) {
        self.listenerTastes = listenerTastes
        self.songStyles = songStyles
    }

    /// The course's own versions: one row of the core's half-step (`AlternatingLeastSquares.fit`).
    public static let reference = Lesson2Cells(
        listenerTastes: { ratings, u, styles, λ in try AlternatingLeastSquares.fit(.users, ratings, fixed: styles, lambda: λ).row(u) },
        songStyles: { ratings, j, tastes, λ in try AlternatingLeastSquares.fit(.items, ratings, fixed: tastes, lambda: λ).row(j) })

    /// The worked solutions.
    public static let solutions = Lesson2Cells(
        listenerTastes: { try Lesson2Solutions.listenerTastes($0, listener: $1, songStyles: $2, lambda: $3) },
        songStyles: { try Lesson2Solutions.songStyles($0, song: $1, listenerTastes: $2, lambda: $3) })

    /// These cells, with the course's version in place of each one not in `written`.
    public func completed(_ written: Set<String>) -> Lesson2Cells {
        let r = Lesson2Cells.reference
        return Lesson2Cells(listenerTastes: written.contains("listenerTastes") ? listenerTastes : r.listenerTastes,
                            songStyles: written.contains("songStyles") ? songStyles : r.songStyles)
    }

    /// A problem: ratings, the known factors of the other side, and λ. Every row of the side is graded.
    typealias Problem = (ratings: Ratings, known: Matrix, lambda: Double)

    /// The checks of `--check`: every listener (or song) of random problems and of the lesson's music example.
    public func exercises() -> [Exercise] {
        let infos = Course.lesson(2)?.exercises ?? []
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
            return [.matrix(name, Matrix(rows))]
        }
        func mistakes(_ side: Side) -> [Mistake<Problem>] {
            let reference = side == .users ? Lesson2Cells.reference.listenerTastes : Lesson2Cells.reference.songStyles
            return [
                Mistake("λ is missing: add λ to every diagonal entry of XᵀX before solving") { p in
                    try all(side, (p.ratings, p.known, 0), reference)
                },
                Mistake("the unrated \(side == .users ? "songs" : "listeners") are counted as ratings of 0: use only the observed ratings") { p in
                    try all(side, (withMissingAsZero(p.ratings), p.known, p.lambda), reference)
                },
            ]
        }
        let tastes = Grader<Problem>(problems: problems(.users), cell: { try all(.users, $0, self.listenerTastes) },
                                     reference: { try all(.users, $0, Lesson2Cells.reference.listenerTastes) }, mistakes: mistakes(.users))
        let styles = Grader<Problem>(problems: problems(.items), cell: { try all(.items, $0, self.songStyles) },
                                     reference: { try all(.items, $0, Lesson2Cells.reference.songStyles) }, mistakes: mistakes(.items))
        return [Exercise(infos[0], tastes), Exercise(infos[1], styles)]
    }
}
