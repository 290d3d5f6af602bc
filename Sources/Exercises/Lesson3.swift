import CFCore
import LessonKit
import Solutions

/// Lesson 3's cells: what a learner writes in `Lessons/lesson-3/Cells.swift` (its `YourCells`), what the worked
/// solutions and the course's own versions compute, and what the lesson calls.
public protocol Lesson3Cells: Sendable {
    /// 3.1: one ALS half-step, new factors for every row of a side given the other side's factors.
    func halfStep(_ side: Side, _ ratings: Ratings, fixed: Matrix, lambda: Double) throws -> Matrix
    /// 3.2: the objective, squared errors on the observed ratings plus λ times the squared norms of all factors.
    func objective(_ ratings: Ratings, listeners p: Matrix, songs q: Matrix, lambda: Double) throws -> Double
}

/// Lesson 3's exercises: their list and the course's own versions of the cells.
public enum Lesson3Exercises {
    /// The cells, in order.
    public static let list = [
        ExerciseInfo(
            "3.1", "halfStep", "one ALS half-step: every listener given the songs, or every song given the listeners",
            hints: [
                "For every row of `side`: build the k × k system from its own ratings only, solve it, store the row.",
                "With `k = fixed.columns` and `count = side == .users ? ratings.userCount : ratings.itemCount`, start `var result = Matrix(rows: count, columns: k)`: all zeros, so a row with no ratings stays zero if you skip it.",
                "For each row w: its ratings are `ratings.ratings(ofUser: w)` (the other side is `.item`) or `ratings.ratings(ofItem: w)` (the other side is `.user`); skip w when there are none; A = Σ f fᵀ + λI and b = Σ r f with `f = fixed.row(other)`; `result.setRow(w, to: try solveSymmetric(a, b))`."
            ]),
        ExerciseInfo(
            "3.2", "objective", "the ALS objective: squared errors on the observed ratings plus the L2 penalty",
            hints: [
                "Add up the squared error of every observed rating, then add the penalty.",
                "For each `r` in `ratings.entries`: `let e = dot(p.row(r.user), q.row(r.item)) - r.value`, and add `e * e` to a sum.",
                "Then add `lambda * (p.sumOfSquares + q.sumOfSquares)`: the penalty is λ (not λ/2) and covers both P and Q."
            ])
    ]

    /// The course's own versions, from the core.
    public static let reference: any Lesson3Cells = Reference()
    /// The worked solutions (Sources/Solutions/Lesson3.swift).
    public static let solutions: any Lesson3Cells = Lesson3Solutions()

    struct Reference: Lesson3Cells {
        func halfStep(_ side: Side, _ ratings: Ratings, fixed: Matrix, lambda: Double) throws -> Matrix {
            try AlternatingLeastSquares.fit(side, ratings, fixed: fixed, lambda: lambda)
        }
        func objective(_ ratings: Ratings, listeners p: Matrix, songs q: Matrix, lambda: Double) -> Double {
            Metrics.sumOfSquaredErrors(FactorModel(userFactors: p, itemFactors: q), on: ratings) + lambda * (p.sumOfSquares + q.sumOfSquares)
        }
    }

    /// A learner's cells where written, the course's elsewhere.
    struct Completed: Lesson3Cells {
        let yours: any Lesson3Cells, written: Set<String>
        func run<T>(_ function: String = #function, _ call: (any Lesson3Cells) throws -> T) throws -> T {
            try attributed(yours, reference, written: written, lesson: 3, function: function, call)
        }

        func halfStep(_ side: Side, _ ratings: Ratings, fixed: Matrix, lambda: Double) throws -> Matrix {
            try run { try $0.halfStep(side, ratings, fixed: fixed, lambda: lambda) }
        }
        func objective(_ ratings: Ratings, listeners p: Matrix, songs q: Matrix, lambda: Double) throws -> Double {
            try run { try $0.objective(ratings, listeners: p, songs: q, lambda: lambda) }
        }
    }
}

extension Lesson3Solutions: Lesson3Cells {}

extension Lesson3Cells {
    /// These cells, with the course's version in place of each one not in `written`.
    public func completed(_ written: Set<String>) -> any Lesson3Cells { Lesson3Exercises.Completed(yours: self, written: written) }

    typealias StepProblem = (side: Side, ratings: Ratings, fixed: Matrix, lambda: Double)
    typealias ObjectiveProblem = (ratings: Ratings, p: Matrix, q: Matrix, lambda: Double)

    /// The checks of `--check`: both sides of random problems and of the lesson's music example.
    public func exercises() -> [Exercise] {
        let infos = Lesson3Exercises.list
        let random: [(ratings: Ratings, k: Int, lambda: Double, seed: UInt32)] = [(6, 8, 2, 0.5, 41), (9, 5, 3, 0.1, 42), (4, 4, 1, 1.0, 43)].map {
            (Problems.ratings(users: $0.0, items: $0.1, density: 0.5, seed: UInt32($0.4)), $0.2, $0.3, UInt32($0.4))
        }
        var steps = [(label: String, problem: StepProblem)]()
        for side in [Side.users, .items] {
            for p in random {
                let fixed = Problems.normal(side == .users ? p.ratings.itemCount : p.ratings.userCount, p.k, seed: p.seed + 100)
                steps.append((Problems.label(p.ratings, seed: p.seed, "the \(side.rawValue) step, λ = \(p.lambda)"), (side, p.ratings, fixed, p.lambda)))
            }
        }
        steps.append(
            (
                "the lesson's ratings, the listener step from the editor's song styles, λ = 0",
                (.users, MusicExample.ratings, MusicExample.songStyles, 0)
            ))
        steps.append(
            (
                "the lesson's ratings, the song step from the survey, λ = 0.5",
                (.items, MusicExample.ratings, MusicExample.listenerSurvey, 0.5)
            ))
        let small = (try? Ratings(dense: [[4, nil], [2, 2], [nil, nil]]))!
        // A row with no ratings, and λ = 0: its system is all zeros, so only a cell that skips such a row keeps it at zero,
        // as the cell's comment promises.
        let full = Problems.ratings(users: 5, items: 6, density: 0.8, seed: 44)
        for (side, name) in [(Side.users, "listener"), (.items, "song")] {
            let others = full.entries.filter { (side == .users ? $0.user : $0.item) != 2 }
            if let unrated = try? Ratings(userCount: full.userCount, itemCount: full.itemCount, ratings: others) {
                let fixed = Problems.normal(side == .users ? full.itemCount : full.userCount, 2, seed: 144)
                let label = Problems.label(full, seed: 44, "\(name) 2 has no ratings, so its row stays 0; the \(side.rawValue) step, λ = 0")
                steps.append((label, (side, unrated, fixed, 0)))
            }
        }
        /// The course's half-step on the problem, or on other `ratings` or with another `lambda`.
        func course(_ p: StepProblem, _ ratings: Ratings? = nil, lambda: Double? = nil) throws -> Matrix {
            try Lesson3Exercises.reference.halfStep(p.side, ratings ?? p.ratings, fixed: p.fixed, lambda: lambda ?? p.lambda)
        }
        /// The answer as the part it is: P for the listener step, Q for the song step.
        func factors(_ p: StepProblem, _ m: Matrix) -> [Part] { [.matrix(p.side == .users ? "P (one row per listener)" : "Q (one row per song)", m)] }
        let halfStep = Grader<StepProblem>(
            worked: ("halfStep(.users, ratings [[4, ·], [2, 2], [·, ·]], fixed: [[1], [1]], lambda: 1)", (.users, small, Matrix([[1], [1]]), 1)),
            problems: steps,
            cell: { p in factors(p, try self.halfStep(p.side, p.ratings, fixed: p.fixed, lambda: p.lambda)) },
            reference: { p in factors(p, try course(p)) },
            mistakes: [
                Mistake("λ is missing: add λ to every diagonal entry before solving") { p in factors(p, try course(p, lambda: 0)) },
                Mistake("the missing ratings are counted as 0: each row's regression uses only its observed ratings") { p in
                    factors(p, try course(p, withMissingAsZero(p.ratings)))
                },
                Mistake("λ is weighted by the row's number of ratings: this half-step adds plain λ, not λ n, to every diagonal entry") { p in
                    factors(p, try AlternatingLeastSquares.fit(p.side, p.ratings, fixed: p.fixed, lambda: p.lambda, weighted: true))
                },
                Mistake("a row with no ratings was solved too, and with λ = 0 its system is all zeros (0 / 0 is NaN): skip it, its factors stay 0") { p in
                    var result = try course(p)
                    for row in 0..<result.rows where (p.side == .users ? p.ratings.ratings(ofUser: row) : p.ratings.ratings(ofItem: row)).isEmpty {
                        result.setRow(row, to: [Double](repeating: .nan, count: result.columns))
                    }
                    return factors(p, result)
                }
            ],
            show: { p in
                Show.inputs(
                    ("side", "." + p.side.rawValue), ("ratings (one row per listener)", Show.ratings(p.ratings)),
                    ("fixed", Show.matrix(p.fixed)), ("lambda", Show.number(p.lambda)))
            },
            thrownHint: { p in
                let rows = p.side == .users ? p.ratings.userCount : p.ratings.itemCount
                let empty = (0..<rows).contains { (p.side == .users ? p.ratings.ratings(ofUser: $0) : p.ratings.ratings(ofItem: $0)).isEmpty }
                return empty && p.lambda == 0
                    ? "λ = 0 here on purpose, so a penalty is not the fix: a row with no ratings was solved too, and with λ = 0 its system is all zeros; skip it, its factors stay 0"
                    : nil
            })
        var objectives = random.map { p in
            (
                label: Problems.label(p.ratings, seed: p.seed, "λ = \(p.lambda)"),
                problem: (
                    p.ratings, Problems.normal(p.ratings.userCount, p.k, seed: p.seed + 200), Problems.normal(p.ratings.itemCount, p.k, seed: p.seed + 300),
                    p.lambda
                )
                    as ObjectiveProblem
            )
        }
        objectives.append(
            (
                "the lesson's ratings with the survey and the editor's styles, λ = 0.3",
                (MusicExample.ratings, MusicExample.listenerSurvey, MusicExample.songStyles, 0.3)
            ))
        let reference = Lesson3Exercises.reference.objective
        let objective = Grader<ObjectiveProblem>(
            worked: (
                "objective(ratings [[4, ·], [2, 2]], listeners: [[1], [2]], songs: [[3], [1]], lambda: 0.5)",
                ((try? Ratings(dense: [[4, nil], [2, 2]]))!, Matrix([[1], [2]]), Matrix([[3], [1]]), 0.5)
            ),
            problems: objectives,
            cell: { [.number("the objective", try self.objective($0.ratings, listeners: $0.p, songs: $0.q, lambda: $0.lambda))] },
            reference: { [.number("the objective", try reference($0.ratings, $0.p, $0.q, $0.lambda))] },
            mistakes: [
                Mistake("the penalty is missing: add λ (Σ ‖p_u‖² + Σ ‖q_j‖²)") { [.number("the objective", try reference($0.ratings, $0.p, $0.q, 0))] },
                Mistake("the penalty is halved: this objective has λ, not λ/2, in front of the norms") {
                    [.number("the objective", try reference($0.ratings, $0.p, $0.q, $0.lambda / 2))]
                },
                Mistake("the penalty covers only Q, the songs: it is λ (Σ ‖p_u‖² + Σ ‖q_j‖²), the listeners' factors too") {
                    [.number("the objective", try reference($0.ratings, $0.p, $0.q, 0) + $0.lambda * $0.q.sumOfSquares)]
                },
                Mistake("the penalty covers only P, the listeners: it is λ (Σ ‖p_u‖² + Σ ‖q_j‖²), the songs' factors too") {
                    [.number("the objective", try reference($0.ratings, $0.p, $0.q, 0) + $0.lambda * $0.p.sumOfSquares)]
                },
                Mistake("the sum runs over every cell, missing ones as 0: sum over the observed ratings only") {
                    [.number("the objective", try reference(withMissingAsZero($0.ratings), $0.p, $0.q, $0.lambda))]
                }
            ],
            show: { p in
                Show.inputs(
                    ("ratings (one row per listener)", Show.ratings(p.ratings)), ("listeners", Show.matrix(p.p)),
                    ("songs", Show.matrix(p.q)), ("lambda", Show.number(p.lambda)))
            })
        return [Exercise(infos[0], halfStep), Exercise(infos[1], objective)]
    }
}
