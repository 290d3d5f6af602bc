import CFCore
import LessonKit
import Solutions

/// Lesson 7's cells: what a learner writes in `Lessons/lesson-7/Cells.swift` (its `YourCells`), what the worked
/// solutions and the course's own versions compute, and what the lesson calls.
public protocol Lesson7Cells: Sendable {
    /// One movie's raters and their baseline residuals, sorted by user.
    typealias Residuals = [(user: Int, residual: Double)]
    /// Neighbours of a movie among those the user rated, most similar first.
    typealias Neighbours = [(similarity: Double, residual: Double)]
    /// 7.1: the shrunk Pearson similarity of two movies.
    func shrunkPearson(_ a: [(user: Int, residual: Double)], _ b: [(user: Int, residual: Double)], shrinkage: Double) throws -> Double
    /// 7.2: the neighbour-weighted prediction.
    func neighbourPrediction(baseline: Double, neighbours: [(similarity: Double, residual: Double)], k: Int) throws -> Double
}

/// Lesson 7's exercises: their list and the course's own versions of the cells.
public enum Lesson7Exercises {
    /// The cells, in order.
    public static let list = [
        ExerciseInfo(
            "7.1", "shrunkPearson", "the shrunk Pearson similarity of two movies from their baseline residuals",
            hints: [
                "Walk both lists at once (they are sorted by user), summing over the users in both.",
                "Keep one index per list: when both point at the same user, add x·y, x² and y² and move both on; otherwise move on the one with the smaller user.",
                "With n matches: n = 0 or Σx² · Σy² = 0 gives 0; otherwise `Σxy / (Σx² * Σy²).squareRoot() * n / (n + shrinkage)`."
            ]),
        ExerciseInfo(
            "7.2", "neighbourPrediction", "the neighbour-weighted prediction: baseline plus similarity-weighted residuals",
            hints: [
                "Keep the positive similarities, take the first k, and average the residuals weighted by similarity.",
                "`let chosen = neighbours.filter { $0.similarity > 0 }.prefix(k)`.",
                "With `total` the sum of the chosen similarities: `total > 0 ? baseline + Σ similarity · residual / total : baseline`. Divide by the sum of the similarities, not by k."
            ])
    ]

    /// The course's own versions, from the core (`ItemSimilarities.shrunkCorrelation`, `NeighbourModel`'s formula).
    public static let reference: any Lesson7Cells = Reference()
    /// The worked solutions (Sources/Solutions/Lesson7.swift).
    public static let solutions: any Lesson7Cells = Lesson7Solutions()

    struct Reference: Lesson7Cells {
        func shrunkPearson(_ a: [(user: Int, residual: Double)], _ b: [(user: Int, residual: Double)], shrinkage: Double) -> Double {
            ItemSimilarities.shrunkCorrelation(a, b, shrinkage: shrinkage)
        }
        func neighbourPrediction(baseline: Double, neighbours: [(similarity: Double, residual: Double)], k: Int) -> Double {
            let chosen = neighbours.filter { $0.similarity > 0 }.prefix(k)
            let total = chosen.reduce(0) { $0 + $1.similarity }
            return total > 0 ? baseline + chosen.reduce(0) { $0 + $1.similarity * $1.residual } / total : baseline
        }
    }

    /// A learner's cells where written, the course's elsewhere.
    struct Completed: Lesson7Cells {
        let yours: any Lesson7Cells, written: Set<String>
        func run<T>(_ function: String = #function, _ call: (any Lesson7Cells) throws -> T) throws -> T {
            try attributed(yours, reference, written: written, lesson: 7, function: function, call)
        }

        func shrunkPearson(_ a: [(user: Int, residual: Double)], _ b: [(user: Int, residual: Double)], shrinkage: Double) throws -> Double {
            try run { try $0.shrunkPearson(a, b, shrinkage: shrinkage) }
        }
        func neighbourPrediction(baseline: Double, neighbours: [(similarity: Double, residual: Double)], k: Int) throws -> Double {
            try run { try $0.neighbourPrediction(baseline: baseline, neighbours: neighbours, k: k) }
        }
    }
}

extension Lesson7Solutions: Lesson7Cells {}

extension Lesson7Cells {
    /// These cells, with the course's version in place of each one not in `written`.
    public func completed(_ written: Set<String>) -> any Lesson7Cells { Lesson7Exercises.Completed(yours: self, written: written) }

    public typealias SimilarityProblem = (a: Residuals, b: Residuals, shrinkage: Double)
    public typealias PredictionProblem = (baseline: Double, neighbours: Neighbours, k: Int)

    /// The checks of `--check`.
    public func exercises() -> [Exercise] {
        let infos = Lesson7Exercises.list
        func residuals(_ seed: UInt32, users: Int, density: Double) -> Residuals {
            var rng = RandomState(seed: seed)
            return (0..<users).compactMap { u in rng.rand() < density ? (u, rng.randn()) : nil }
        }
        let similarityProblems: [(label: String, problem: SimilarityProblem)] = [
            (
                "two movies with 30 random raters each (seed 1), shrinkage 100",
                (residuals(1, users: 60, density: 0.5), residuals(2, users: 60, density: 0.5), 100)
            ),
            (
                "the same, shrinkage 0 (the plain correlation of the residuals)",
                (residuals(1, users: 60, density: 0.5), residuals(2, users: 60, density: 0.5), 0)
            ),
            ("movies with few raters in common (seed 3), shrinkage 10", (residuals(3, users: 200, density: 0.1), residuals(4, users: 200, density: 0.1), 10)),
            ("no rater in common", ([(0, 1.0), (2, -0.5)], [(1, 0.3), (3, 2.0)], 100))
        ]
        func list(_ r: Residuals) -> String? {
            r.count <= 12
                ? "[" + r.map { "(user: \($0.user), residual: \(Show.number($0.residual)))" }.joined(separator: ", ") + "]"
                : "\(r.count) raters (too many to show)"
        }
        /// The problem with each movie's residuals centred on their mean over the raters in common (the textbook Pearson),
        /// or over all of that movie's raters: what a cell computes that centres them again.
        func centred(_ p: SimilarityProblem, overCommonRaters: Bool) -> SimilarityProblem {
            let common = Set(p.a.map(\.user)).intersection(p.b.map(\.user))
            func centre(_ list: Residuals) -> Residuals {
                let counted = overCommonRaters ? list.filter { common.contains($0.user) } : list
                let mean = counted.isEmpty ? 0 : counted.reduce(0) { $0 + $1.residual } / Double(counted.count)
                return list.map { ($0.user, $0.residual - mean) }
            }
            return (centre(p.a), centre(p.b), p.shrinkage)
        }
        let sim = { (p: SimilarityProblem) in [Part.number("sim", try Lesson7Solutions().shrunkPearson(p.a, p.b, shrinkage: p.shrinkage))] }
        let centredAgain = "the residuals were centred on their means: the baseline has centred them already, so use them as they are"
        let similarity = Grader<SimilarityProblem>(
            worked: (
                "shrunkPearson([(user: 0, residual: 1), (user: 1, residual: -1), (user: 2, residual: 2)], [(user: 0, residual: 2), (user: 1, residual: -2), (user: 3, residual: 1)], shrinkage: 2)",
                ([(0, 1), (1, -1), (2, 2)], [(0, 2), (1, -2), (3, 1)], 2)
            ),
            problems: similarityProblems,
            cell: { [.number("sim", try self.shrunkPearson($0.a, $0.b, shrinkage: $0.shrinkage))] },
            reference: sim,
            mistakes: [
                Mistake("the shrinkage factor is missing: multiply by n / (n + shrinkage)") { try sim(($0.a, $0.b, 0)) },
                Mistake("the sums of squares run over each movie's own raters, not only the common ones") { p in
                    let common = Set(p.a.map(\.user)).intersection(p.b.map(\.user))
                    let xy = zip(p.a.filter { common.contains($0.user) }, p.b.filter { common.contains($0.user) }).reduce(0) {
                        $0 + $1.0.residual * $1.1.residual
                    }
                    let xx = p.a.reduce(0) { $0 + $1.residual * $1.residual }, yy = p.b.reduce(0) { $0 + $1.residual * $1.residual }
                    let n = Double(common.count)
                    return [.number("sim", xx * yy > 0 && n > 0 ? xy / (xx * yy).squareRoot() * n / (n + p.shrinkage) : 0)]
                },
                Mistake(centredAgain) { try sim(centred($0, overCommonRaters: true)) },
                Mistake(centredAgain) { try sim(centred($0, overCommonRaters: false)) }
            ],
            show: { p in Show.inputs(("a", list(p.a)), ("b", list(p.b)), ("shrinkage", Show.number(p.shrinkage))) })
        let predictionProblems: [(label: String, problem: PredictionProblem)] = [
            ("five neighbours, k = 3", (3.6, [(0.9, 1.0), (0.7, -0.5), (0.4, 0.8), (0.2, -1.0), (0.1, 2.0)], 3)),
            ("negative similarities among them, k = 10", (3.1, [(0.8, 0.5), (0.3, -1.2), (-0.2, 2.0), (-0.6, -1.5)], 10)),
            ("no positive similarity", (2.9, [(-0.1, 1.0), (-0.4, -2.0)], 5)),
            ("no neighbour at all", (4.2, [], 40))
        ]
        /// Σ sim · residual over the first k neighbours with a positive similarity.
        func weightedSum(_ p: PredictionProblem) -> Double {
            p.neighbours.filter { $0.similarity > 0 }.prefix(p.k).reduce(0) { $0 + $1.similarity * $1.residual }
        }
        let prediction = Grader<PredictionProblem>(
            worked: (
                "neighbourPrediction(baseline: 3, neighbours: [(similarity: 0.5, residual: 1), (similarity: -0.2, residual: 2), (similarity: 0.25, residual: -1)], k: 2)",
                (3, [(0.5, 1), (-0.2, 2), (0.25, -1)], 2)
            ),
            problems: predictionProblems,
            cell: { [.number("prediction", try self.neighbourPrediction(baseline: $0.baseline, neighbours: $0.neighbours, k: $0.k))] },
            reference: { [.number("prediction", try Lesson7Solutions().neighbourPrediction(baseline: $0.baseline, neighbours: $0.neighbours, k: $0.k))] },
            mistakes: [
                Mistake("negative similarities were kept: only neighbours with a positive similarity count") { p in
                    let chosen = p.neighbours.prefix(p.k), total = chosen.reduce(0) { $0 + $1.similarity }
                    return [.number("prediction", total != 0 ? p.baseline + chosen.reduce(0) { $0 + $1.similarity * $1.residual } / total : p.baseline)]
                },
                Mistake("the weighted sum is not divided by Σ sim: it is a weighted average") { [.number("prediction", $0.baseline + weightedSum($0))] },
                Mistake("the weighted sum is divided by k, not by Σ sim: each neighbour counts by its similarity, so divide by their sum") {
                    [.number("prediction", $0.baseline + weightedSum($0) / Double($0.k))]
                },
                Mistake("with no positive similarity the sum is 0 / 0: then there is no neighbour to ask, so return the baseline") { p in
                    let chosen = p.neighbours.filter { $0.similarity > 0 }.prefix(p.k)
                    let total = chosen.reduce(0) { $0 + $1.similarity }
                    return [.number("prediction", total > 0 ? p.baseline + weightedSum(p) / total : .nan)]
                },
                Mistake("the baseline is missing: the neighbours correct b_ui, they do not replace it") { p in
                    [.number("prediction", try Lesson7Solutions().neighbourPrediction(baseline: 0, neighbours: p.neighbours, k: p.k))]
                }
            ],
            show: { p in
                Show.inputs(
                    ("baseline", Show.number(p.baseline)),
                    (
                        "neighbours",
                        "[" + p.neighbours.map { "(similarity: \(Show.number($0.similarity)), residual: \(Show.number($0.residual)))" }.joined(separator: ", ")
                            + "]"
                    ),
                    ("k", String(p.k)))
            })
        return [Exercise(infos[0], similarity), Exercise(infos[1], prediction)]
    }
}
