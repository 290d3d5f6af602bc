import CFCore
import Foundation
import LessonKit
import Solutions

/// Lesson 9's cells: what a learner writes in `Lessons/lesson-9/Cells.swift` (its `YourCells`), what the worked
/// solutions and the course's own versions compute, and what the lesson calls.
public protocol Lesson9Cells: Sendable {
    /// The parameters a BPR step touches.
    typealias Parameters = (user: [Double], positive: [Double], negative: [Double], positiveBias: Double, negativeBias: Double)
    /// 9.1: precision@k.
    func precisionAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) throws -> Double
    /// 9.2: NDCG@k.
    func ndcgAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) throws -> Double
    /// 9.3: one BPR step.
    func bprStep(user: [Double], positive: [Double], negative: [Double], positiveBias: Double, negativeBias: Double,
                 learningRate: Double, lambda: Double) throws -> Parameters
}

/// Lesson 9's exercises: their list and the course's own versions of the cells.
public enum Lesson9Exercises {
    /// The cells, in order.
    public static let list = [
        ExerciseInfo("9.1", "precisionAtK", "precision@k of a ranked list", hints: [
            "Count the relevant items among the first k, divide by k.",
            "`ranked.prefix(k).filter { relevant.contains($0) }.count` counts the hits among the first k.",
            "`return Double(hits) / Double(k)`: divide by k even when the list is shorter.",
        ]),
        ExerciseInfo("9.2", "ndcgAtK", "NDCG@k with binary relevance", hints: [
            "DCG over the first k places, the ideal DCG, and their ratio.",
            "DCG: for `(index, item)` in `ranked.prefix(k).enumerated()` where the item is relevant, add `1 / log2(Double(index + 2))`: index 0 is position p = 1, whose gain is 1 / log₂ 2 = 1.",
            "The ideal DCG is the same sum over the first `min(k, relevant.count)` places, all relevant; no relevant item gives 0, otherwise return DCG / ideal.",
        ]),
        ExerciseInfo("9.3", "bprStep", "one BPR step on a (user, chosen, not chosen) triple", hints: [
            "Compute x and d first, then every new value from the old ones.",
            "`let x = dot(user, zip(positive, negative).map { $0 - $1 }) + positiveBias - negativeBias` and `let d = 1 / (1 + exp(x))`.",
            "Build each new vector from the old values only, for instance `user[f] + learningRate * (d * (positive[f] - negative[f]) - lambda * user[f])`; the same for y_i (d · x_u), y_j (−d · x_u) and both biases.",
        ]),
    ]

    /// The course's own versions, from the core (`RankingMetrics`, `BayesianPersonalizedRanking.step`).
    public static let reference: any Lesson9Cells = Reference()
    /// The worked solutions (Sources/Solutions/Lesson9.swift).
    public static let solutions: any Lesson9Cells = Lesson9Solutions()

    struct Reference: Lesson9Cells {
        func precisionAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) -> Double { RankingMetrics.precision(ranked, relevant: relevant, k: k) }
        func ndcgAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) -> Double { RankingMetrics.ndcg(ranked, relevant: relevant, k: k) }
        func bprStep(user: [Double], positive: [Double], negative: [Double], positiveBias: Double, negativeBias: Double,
                     learningRate: Double, lambda: Double) -> Parameters {
            let k = user.count
            var model = FactorModel(userFactors: Matrix(rows: 1, columns: k, elements: user),
                                    itemFactors: Matrix(rows: 2, columns: k, elements: positive + negative), itemBias: [positiveBias, negativeBias])
            BayesianPersonalizedRanking.step(&model, user: 0, positive: 0, negative: 1, learningRate: learningRate, lambda: lambda)
            return (model.userFactors.row(0), model.itemFactors.row(0), model.itemFactors.row(1), model.itemBias[0], model.itemBias[1])
        }
    }

    /// A learner's cells where written, the course's elsewhere.
    struct Completed: Lesson9Cells {
        let yours: any Lesson9Cells, written: Set<String>
        func cell(_ function: String = #function) -> any Lesson9Cells { chosen(yours, reference, written: written, function: function) }

        func precisionAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) throws -> Double { try cell().precisionAtK(ranked, relevant: relevant, k: k) }
        func ndcgAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) throws -> Double { try cell().ndcgAtK(ranked, relevant: relevant, k: k) }
        func bprStep(user: [Double], positive: [Double], negative: [Double], positiveBias: Double, negativeBias: Double,
                     learningRate: Double, lambda: Double) throws -> Parameters {
            try cell().bprStep(user: user, positive: positive, negative: negative, positiveBias: positiveBias, negativeBias: negativeBias,
                               learningRate: learningRate, lambda: lambda)
        }
    }
}

extension Lesson9Solutions: Lesson9Cells {}

extension Lesson9Cells {
    /// These cells, with the course's version in place of each one not in `written`.
    public func completed(_ written: Set<String>) -> any Lesson9Cells { Lesson9Exercises.Completed(yours: self, written: written) }

    /// `bprStep` on the parameters as one value.
    public func bprStep(_ p: Parameters, learningRate: Double, lambda: Double) throws -> Parameters {
        try bprStep(user: p.user, positive: p.positive, negative: p.negative, positiveBias: p.positiveBias, negativeBias: p.negativeBias,
                    learningRate: learningRate, lambda: lambda)
    }

    public typealias ListProblem = (ranked: [Int], relevant: Set<Int>, k: Int)
    public typealias StepProblem = (parameters: Parameters, learningRate: Double, lambda: Double)

    /// The checks of `--check`.
    public func exercises() -> [Exercise] {
        let infos = Lesson9Exercises.list
        let lists: [(label: String, problem: ListProblem)] = [
            ("hits at places 1, 3 and 8 of 10, four relevant, k = 5", ([4, 9, 2, 7, 1, 0, 3, 5, 8, 6], [4, 2, 5, 11], 5)),
            ("the same list, k = 10", ([4, 9, 2, 7, 1, 0, 3, 5, 8, 6], [4, 2, 5, 11], 10)),
            ("k larger than the list (3 items, k = 10)", ([3, 1, 2], [1], 10)),
            ("nothing relevant in the list", ([5, 6, 7], [1, 2], 3)),
            ("one relevant item, last of 20, k = 20", (Array(0..<20), [19], 20)),
            ("six relevant, more than k = 3", ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 2, 4, 6, 8, 9], 3)),
            ("a user with no held-out item (relevant is empty)", ([1, 2, 3], [], 2)),
        ]
        let precision = Grader<ListProblem>(
            problems: lists,
            cell: { [.number("precision@k", try self.precisionAtK($0.ranked, relevant: $0.relevant, k: $0.k))] },
            reference: { [.number("precision@k", try Lesson9Solutions().precisionAtK($0.ranked, relevant: $0.relevant, k: $0.k))] },
            mistakes: [
                Mistake("divided by the number of items in the list's first k (a short list still counts k places)") { p in
                    let shown = p.ranked.prefix(p.k)
                    return [.number("precision@k", shown.isEmpty ? 0 : Double(shown.filter(p.relevant.contains).count) / Double(shown.count))]
                },
                Mistake("divided by the number of relevant items: that is recall@k") { p in
                    [.number("precision@k", RankingMetrics.recall(p.ranked, relevant: p.relevant, k: p.k))]
                },
            ])
        let ndcg = Grader<ListProblem>(
            problems: lists,
            cell: { [.number("NDCG@k", try self.ndcgAtK($0.ranked, relevant: $0.relevant, k: $0.k))] },
            reference: { [.number("NDCG@k", try Lesson9Solutions().ndcgAtK($0.ranked, relevant: $0.relevant, k: $0.k))] },
            mistakes: [
                Mistake("the ideal DCG counts every relevant item: only min(k, |relevant|) of them fit in the first k places") { p in
                    let dcg = p.ranked.prefix(p.k).enumerated().reduce(0.0) { $0 + (p.relevant.contains($1.element) ? 1 / log2(Double($1.offset + 2)) : 0) }
                    let ideal = (0..<p.relevant.count).reduce(0.0) { $0 + 1 / log2(Double($1 + 2)) }
                    return [.number("NDCG@k", ideal > 0 ? dcg / ideal : 0)]
                },
                Mistake("the discount is 1 / log₂(p), which divides by zero at the top: it is 1 / log₂(p + 1) for position p = 1, 2, …") { p in
                    let dcg = p.ranked.prefix(p.k).enumerated().reduce(0.0) { $0 + (p.relevant.contains($1.element) ? 1 / log2(Double($1.offset + 1)) : 0) }
                    let ideal = (0..<min(p.k, p.relevant.count)).reduce(0.0) { $0 + 1 / log2(Double($1 + 1)) }
                    return [.number("NDCG@k", ideal > 0 ? dcg / ideal : 0)]
                },
                Mistake("DCG is not divided by the ideal DCG") { p in
                    [.number("NDCG@k", p.ranked.prefix(p.k).enumerated().reduce(0.0) { $0 + (p.relevant.contains($1.element) ? 1 / log2(Double($1.offset + 2)) : 0) })]
                },
            ])
        func stepProblem(seed: UInt32, k: Int, scale: Double, lr: Double, lambda: Double) -> StepProblem {
            var rng = RandomState(seed: seed)
            let v = { (0..<k).map { _ in scale * rng.randn() } }
            return ((v(), v(), v(), scale * rng.randn(), scale * rng.randn()), lr, lambda)
        }
        let steps: [(label: String, problem: StepProblem)] = [
            ("k = 4, small factors (seed 1), lr 0.05, λ 0.01", stepProblem(seed: 1, k: 4, scale: 0.1, lr: 0.05, lambda: 0.01)),
            ("k = 8, large factors: x far from 0 (seed 2), lr 0.1, λ 0.1", stepProblem(seed: 2, k: 8, scale: 1.5, lr: 0.1, lambda: 0.1)),
            ("k = 3, no penalty (seed 3), lr 0.5", stepProblem(seed: 3, k: 3, scale: 0.5, lr: 0.5, lambda: 0)),
        ]
        let parts = { (p: Parameters) in
            [Part.vector("x_u", p.user), .vector("y_i", p.positive), .vector("y_j", p.negative), .number("b_i", p.positiveBias), .number("b_j", p.negativeBias)]
        }
        let solved = { (p: StepProblem) in
            try Lesson9Solutions().bprStep(p.parameters, learningRate: p.learningRate, lambda: p.lambda)
        }
        let step = Grader<StepProblem>(
            problems: steps,
            cell: { parts(try self.bprStep($0.parameters, learningRate: $0.learningRate, lambda: $0.lambda)) },
            reference: { parts(try solved($0)) },
            mistakes: [
                Mistake("d is σ(x), not σ(−x) = 1 / (1 + eˣ): the step should be large when the pair is ranked wrongly (x < 0)") { p in
                    let x = zip(p.parameters.user, zip(p.parameters.positive, p.parameters.negative))
                        .reduce(p.parameters.positiveBias - p.parameters.negativeBias) { $0 + $1.0 * ($1.1.0 - $1.1.1) }
                    let d = 1 / (1 + exp(-x)), lr = p.learningRate, λ = p.lambda, u = p.parameters.user
                    return parts((u.indices.map { u[$0] + lr * (d * (p.parameters.positive[$0] - p.parameters.negative[$0]) - λ * u[$0]) },
                                  u.indices.map { p.parameters.positive[$0] + lr * (d * u[$0] - λ * p.parameters.positive[$0]) },
                                  u.indices.map { p.parameters.negative[$0] + lr * (-d * u[$0] - λ * p.parameters.negative[$0]) },
                                  p.parameters.positiveBias + lr * (d - λ * p.parameters.positiveBias),
                                  p.parameters.negativeBias + lr * (-d - λ * p.parameters.negativeBias)))
                },
                Mistake("the items were updated with the new x_u: compute every new value from the old ones") { p in
                    let first = try solved(p)
                    let lr = p.learningRate, λ = p.lambda, x = zip(p.parameters.user, zip(p.parameters.positive, p.parameters.negative))
                        .reduce(p.parameters.positiveBias - p.parameters.negativeBias) { $0 + $1.0 * ($1.1.0 - $1.1.1) }
                    let d = 1 / (1 + exp(x)), u = first.user
                    return parts((first.user,
                                  u.indices.map { p.parameters.positive[$0] + lr * (d * u[$0] - λ * p.parameters.positive[$0]) },
                                  u.indices.map { p.parameters.negative[$0] + lr * (-d * u[$0] - λ * p.parameters.negative[$0]) },
                                  first.positiveBias, first.negativeBias))
                },
            ])
        return [Exercise(infos[0], precision), Exercise(infos[1], ndcg), Exercise(infos[2], step)]
    }
}
