import CFCore
import LessonKit
import Solutions

/// Lesson 3's cells: the functions a learner writes in `Lessons/lesson-3/Cells.swift`.
/// Its closures capture nothing mutable, so a set of cells can be shared freely.
public struct Lesson3Cells: @unchecked Sendable {
    /// 3.1: one ALS half-step, new factors for every row of a side given the other side's factors.
    public var halfStep: (_ side: Side, _ ratings: Ratings, _ fixed: Matrix, _ lambda: Double) throws -> Matrix
    /// 3.2: the objective, squared errors on the observed ratings plus λ times the squared norms of all factors.
    public var objective: (_ ratings: Ratings, _ listeners: Matrix, _ songs: Matrix, _ lambda: Double) throws -> Double

    /// A set of cells.
    public init(halfStep: @escaping (Side, Ratings, Matrix, Double) throws -> Matrix,
                objective: @escaping (Ratings, Matrix, Matrix, Double) throws -> Double) {
        self.halfStep = halfStep
        self.objective = objective
    }

    /// The course's own versions, from the core.
    public static let reference = Lesson3Cells(
        halfStep: { side, ratings, fixed, λ in try AlternatingLeastSquares.fit(side, ratings, fixed: fixed, lambda: λ) },
        objective: { ratings, p, q, λ in
            Metrics.sumOfSquaredErrors(FactorModel(userFactors: p, itemFactors: q), on: ratings) + λ * (p.sumOfSquares + q.sumOfSquares)
        })

    /// The worked solutions.
    public static let solutions = Lesson3Cells(
        halfStep: { try Lesson3Solutions.halfStep($0, $1, fixed: $2, lambda: $3) },
        objective: { try Lesson3Solutions.objective($0, listeners: $1, songs: $2, lambda: $3) })

    /// These cells, with the course's version in place of each one not in `written`.
    public func completed(_ written: Set<String>) -> Lesson3Cells {
        let r = Lesson3Cells.reference
        return Lesson3Cells(halfStep: written.contains("halfStep") ? halfStep : r.halfStep,
                            objective: written.contains("objective") ? objective : r.objective)
    }

    typealias StepProblem = (side: Side, ratings: Ratings, fixed: Matrix, lambda: Double)
    typealias ObjectiveProblem = (ratings: Ratings, p: Matrix, q: Matrix, lambda: Double)

    /// The checks of `--check`: both sides of random problems and of the lesson's music example.
    public func exercises() -> [Exercise] {
        let infos = Course.lesson(3)?.exercises ?? []
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
        steps.append(("the lesson's ratings, the listener step from the editor's song styles, λ = 0",
                      (.users, MusicExample.ratings, MusicExample.songStyles, 0)))
        steps.append(("the lesson's ratings, the song step from the survey, λ = 0.5",
                      (.items, MusicExample.ratings, MusicExample.listenerSurvey, 0.5)))
        let halfStep = Grader<StepProblem>(
            problems: steps,
            cell: { p in [.matrix(p.side == .users ? "P (one row per listener)" : "Q (one row per song)", try self.halfStep(p.side, p.ratings, p.fixed, p.lambda))] },
            reference: { p in [.matrix(p.side == .users ? "P (one row per listener)" : "Q (one row per song)",
                                       try Lesson3Cells.reference.halfStep(p.side, p.ratings, p.fixed, p.lambda))] },
            mistakes: [
                Mistake("λ is missing: add λ to every diagonal entry before solving") { p in
                    [.matrix(p.side == .users ? "P (one row per listener)" : "Q (one row per song)",
                             try Lesson3Cells.reference.halfStep(p.side, p.ratings, p.fixed, 0))]
                },
                Mistake("the missing ratings are counted as 0: each row's regression uses only its observed ratings") { p in
                    [.matrix(p.side == .users ? "P (one row per listener)" : "Q (one row per song)",
                             try Lesson3Cells.reference.halfStep(p.side, withMissingAsZero(p.ratings), p.fixed, p.lambda))]
                },
            ])
        var objectives = random.map { p in
            (label: Problems.label(p.ratings, seed: p.seed, "λ = \(p.lambda)"),
             problem: (p.ratings, Problems.normal(p.ratings.userCount, p.k, seed: p.seed + 200), Problems.normal(p.ratings.itemCount, p.k, seed: p.seed + 300), p.lambda)
                as ObjectiveProblem)
        }
        objectives.append(("the lesson's ratings with the survey and the editor's styles, λ = 0.3",
                           (MusicExample.ratings, MusicExample.listenerSurvey, MusicExample.songStyles, 0.3)))
        let reference = Lesson3Cells.reference.objective
        let objective = Grader<ObjectiveProblem>(
            problems: objectives,
            cell: { [.number("the objective", try self.objective($0.ratings, $0.p, $0.q, $0.lambda))] },
            reference: { [.number("the objective", try reference($0.ratings, $0.p, $0.q, $0.lambda))] },
            mistakes: [
                Mistake("the penalty is missing: add λ (Σ ‖p_u‖² + Σ ‖q_j‖²)") { [.number("the objective", try reference($0.ratings, $0.p, $0.q, 0))] },
                Mistake("the penalty is halved: this objective has λ, not λ/2, in front of the norms") {
                    [.number("the objective", try reference($0.ratings, $0.p, $0.q, $0.lambda / 2))]
                },
                Mistake("the sum runs over every cell, missing ones as 0: sum over the observed ratings only") {
                    [.number("the objective", try reference(withMissingAsZero($0.ratings), $0.p, $0.q, $0.lambda))]
                },
            ])
        return [Exercise(infos[0], halfStep), Exercise(infos[1], objective)]
    }
}
