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
    func bprStep(
        user: [Double], positive: [Double], negative: [Double], positiveBias: Double, negativeBias: Double,
        learningRate: Double, lambda: Double
    ) throws -> Parameters
}

/// Lesson 9's exercises: their list and the course's own versions of the cells.
public enum Lesson9Exercises {
    /// The cells, in order.
    public static let list = [
        ExerciseInfo(
            "9.1", "precisionAtK", "precision@k of a ranked list",
            hints: [
                "Count the relevant items among the first k, divide by k.",
                "`ranked.prefix(k).filter { relevant.contains($0) }.count` counts the hits among the first k.",
                "`return Double(hits) / Double(k)`: divide by k even when the list is shorter."
            ]),
        ExerciseInfo(
            "9.2", "ndcgAtK", "NDCG@k with binary relevance",
            hints: [
                "DCG over the first k places, the ideal DCG, and their ratio.",
                "DCG: for `(index, item)` in `ranked.prefix(k).enumerated()` where the item is relevant, add `1 / log2(Double(index + 2))`: index 0 is position p = 1, whose gain is 1 / log₂ 2 = 1.",
                "The ideal DCG is the same sum over the first `min(k, relevant.count)` places, all relevant; no relevant item gives 0, otherwise return DCG / ideal."
            ]),
        ExerciseInfo(
            "9.3", "bprStep", "one BPR step on a (user, chosen, not chosen) triple",
            hints: [
                "Compute x and d first, then every new value from the old ones.",
                "`let x = dot(user, zip(positive, negative).map { $0 - $1 }) + positiveBias - negativeBias` and `let d = 1 / (1 + exp(x))`.",
                "Build each new vector from the old values only, for instance `user[f] + learningRate * (d * (positive[f] - negative[f]) - lambda * user[f])`; the same for y_i (d · x_u), y_j (−d · x_u) and both biases."
            ])
    ]

    /// The course's own versions, from the core (`RankingMetrics`, `BayesianPersonalizedRanking.step`).
    public static let reference: any Lesson9Cells = Reference()
    /// The worked solutions (Sources/Solutions/Lesson9.swift).
    public static let solutions: any Lesson9Cells = Lesson9Solutions()

    struct Reference: Lesson9Cells {
        func precisionAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) -> Double { RankingMetrics.precision(ranked, relevant: relevant, k: k) }
        func ndcgAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) -> Double { RankingMetrics.ndcg(ranked, relevant: relevant, k: k) }
        func bprStep(
            user: [Double], positive: [Double], negative: [Double], positiveBias: Double, negativeBias: Double,
            learningRate: Double, lambda: Double
        ) -> Parameters {
            let k = user.count
            var model = FactorModel(
                userFactors: Matrix(rows: 1, columns: k, elements: user),
                itemFactors: Matrix(rows: 2, columns: k, elements: positive + negative), itemBias: [positiveBias, negativeBias])
            BayesianPersonalizedRanking.step(&model, user: 0, positive: 0, negative: 1, learningRate: learningRate, lambda: lambda)
            return (model.userFactors.row(0), model.itemFactors.row(0), model.itemFactors.row(1), model.itemBias[0], model.itemBias[1])
        }
    }

    /// A learner's cells where written, the course's elsewhere.
    struct Completed: Lesson9Cells {
        let yours: any Lesson9Cells, written: Set<String>
        func run<T>(_ function: String = #function, _ call: (any Lesson9Cells) throws -> T) throws -> T {
            try attributed(yours, reference, written: written, lesson: 9, function: function, call)
        }

        func precisionAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) throws -> Double { try run { try $0.precisionAtK(ranked, relevant: relevant, k: k) } }
        func ndcgAtK(_ ranked: [Int], relevant: Set<Int>, k: Int) throws -> Double { try run { try $0.ndcgAtK(ranked, relevant: relevant, k: k) } }
        func bprStep(
            user: [Double], positive: [Double], negative: [Double], positiveBias: Double, negativeBias: Double,
            learningRate: Double, lambda: Double
        ) throws -> Parameters {
            try run {
                try $0.bprStep(
                    user: user, positive: positive, negative: negative, positiveBias: positiveBias, negativeBias: negativeBias,
                    learningRate: learningRate, lambda: lambda)
            }
        }
    }
}

extension Lesson9Solutions: Lesson9Cells {}

extension Lesson9Cells {
    /// These cells, with the course's version in place of each one not in `written`.
    public func completed(_ written: Set<String>) -> any Lesson9Cells { Lesson9Exercises.Completed(yours: self, written: written) }

    /// `bprStep` on the parameters as one value.
    public func bprStep(_ p: Parameters, learningRate: Double, lambda: Double) throws -> Parameters {
        try bprStep(
            user: p.user, positive: p.positive, negative: p.negative, positiveBias: p.positiveBias, negativeBias: p.negativeBias,
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
            ("a user with no held-out item (relevant is empty)", ([1, 2, 3], [], 2))
        ]
        let precision = Grader<ListProblem>(
            worked: ("precisionAtK([3, 1, 2], relevant: [1, 5], k: 2)", ([3, 1, 2], [1, 5], 2)),
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
                }
            ],
            show: { p in
                Show.inputs(
                    ("ranked", "[" + p.ranked.map(String.init).joined(separator: ", ") + "]"),
                    ("relevant", "[" + p.relevant.sorted().map(String.init).joined(separator: ", ") + "]"), ("k", String(p.k)))
            })
        /// DCG@k with the relevant item at index i of the list (0 at the top) gaining 1 / log₂(i + from): from 2 is the
        /// right discount, 1 / log₂(p + 1) for the position p = i + 1.
        func dcg(_ p: ListProblem, from: Double = 2) -> Double {
            p.ranked.prefix(p.k).enumerated().reduce(0.0) { $0 + (p.relevant.contains($1.element) ? 1 / log2(Double($1.offset) + from) : 0) }
        }
        /// The DCG of the best list, its first `places` places relevant (by default min(k, |relevant|)), discounted as `dcg`.
        func idealDCG(_ p: ListProblem, places: Int? = nil, from: Double = 2) -> Double {
            (0..<(places ?? min(p.k, p.relevant.count))).reduce(0.0) { $0 + 1 / log2(Double($1) + from) }
        }
        /// DCG over the ideal DCG, as the part NDCG@k (0 when the ideal is 0).
        func normalized(_ gained: Double, _ ideal: Double) -> [Part] { [.number("NDCG@k", ideal > 0 ? gained / ideal : 0)] }
        let positions = "the position p counts from 1 at the top and gains 1 / log₂(p + 1), so the item at index i gains 1 / log₂(i + 2)"
        let divisionByZero = "the top place divides by log₂ 1 = 0: " + positions
        let ndcg = Grader<ListProblem>(
            worked: ("ndcgAtK([3, 1, 2], relevant: [1], k: 2)", ([3, 1, 2], [1], 2)),
            problems: lists,
            cell: { [.number("NDCG@k", try self.ndcgAtK($0.ranked, relevant: $0.relevant, k: $0.k))] },
            reference: { [.number("NDCG@k", try Lesson9Solutions().ndcgAtK($0.ranked, relevant: $0.relevant, k: $0.k))] },
            mistakes: [
                Mistake("the ideal DCG counts every relevant item: only min(k, |relevant|) of them fit in the first k places") {
                    normalized(dcg($0), idealDCG($0, places: $0.relevant.count))
                },
                Mistake("the ideal DCG runs over all k places: the best list has only min(k, |relevant|) relevant items to put there") {
                    normalized(dcg($0), idealDCG($0, places: $0.k))
                },
                // Positions off by one: 1 / log₂(i + 1) in both DCGs (inf / inf, nan) or in the DCG alone (inf).
                Mistake(divisionByZero) { normalized(dcg($0, from: 1), idealDCG($0, from: 1)) },
                Mistake(divisionByZero) { normalized(dcg($0, from: 1), idealDCG($0)) },
                // Or 1 / log₂(i) in the DCG: 1 / log₂ 0 = −0, a finite wrong value. (In the ideal DCG too, it makes that inf
                // and NDCG 0, which no hint should claim: a cell that returns 0 is wrong for other reasons.)
                Mistake("the top place gains nothing (1 / log₂ 0 is −0): " + positions) { normalized(dcg($0, from: 0), idealDCG($0)) },
                Mistake("DCG is not divided by the ideal DCG") { [.number("NDCG@k", dcg($0))] }
            ],
            show: { p in
                Show.inputs(
                    ("ranked", "[" + p.ranked.map(String.init).joined(separator: ", ") + "]"),
                    ("relevant", "[" + p.relevant.sorted().map(String.init).joined(separator: ", ") + "]"), ("k", String(p.k)))
            })
        func stepProblem(seed: UInt32, k: Int, scale: Double, lr: Double, lambda: Double) -> StepProblem {
            var rng = RandomState(seed: seed)
            let v = { (0..<k).map { _ in scale * rng.randn() } }
            return ((v(), v(), v(), scale * rng.randn(), scale * rng.randn()), lr, lambda)
        }
        let steps: [(label: String, problem: StepProblem)] = [
            ("k = 4, small factors (seed 1), lr 0.05, λ 0.01", stepProblem(seed: 1, k: 4, scale: 0.1, lr: 0.05, lambda: 0.01)),
            ("k = 8, large factors: x far from 0 (seed 2), lr 0.1, λ 0.1", stepProblem(seed: 2, k: 8, scale: 1.5, lr: 0.1, lambda: 0.1)),
            ("k = 3, no penalty (seed 3), lr 0.5", stepProblem(seed: 3, k: 3, scale: 0.5, lr: 0.5, lambda: 0))
        ]
        let parts = { (p: Parameters) in
            [Part.vector("x_u", p.user), .vector("y_i", p.positive), .vector("y_j", p.negative), .number("b_i", p.positiveBias), .number("b_j", p.negativeBias)]
        }
        let solved = { (p: StepProblem) in
            try Lesson9Solutions().bprStep(p.parameters, learningRate: p.learningRate, lambda: p.lambda)
        }
        let step = Grader<StepProblem>(
            worked: (
                "bprStep(user: [1], positive: [1], negative: [0], positiveBias: 0, negativeBias: 0, learningRate: 0.5, lambda: 0)",
                (([1], [1], [0], 0, 0), 0.5, 0)
            ),
            problems: steps,
            cell: { parts(try self.bprStep($0.parameters, learningRate: $0.learningRate, lambda: $0.lambda)) },
            reference: { parts(try solved($0)) },
            mistakes: [
                Mistake("d is σ(x), not σ(−x) = 1 / (1 + eˣ): the step should be large when the pair is ranked wrongly (x < 0)") {
                    parts(plainStep($0, sigmoidOfX: true))
                },
                Mistake("the items were updated with the new x_u: compute every new value from the old ones") { parts(plainStep($0, itemsWithNewUser: true)) },
                Mistake("the biases are missing from x: x = x_u · (y_i − y_j) + b_i − b_j") { parts(plainStep($0, biasesInX: false)) },
                Mistake("the biases are not penalized: they move by lr (d − λ b_i) and lr (−d − λ b_j)") { parts(plainStep($0, penalizedBiases: false)) }
            ],
            show: { p in
                Show.inputs(
                    ("user", Show.vector(p.parameters.user)), ("positive", Show.vector(p.parameters.positive)),
                    ("negative", Show.vector(p.parameters.negative)),
                    ("positiveBias, negativeBias", "\(Show.number(p.parameters.positiveBias)), \(Show.number(p.parameters.negativeBias))"),
                    ("learningRate, lambda", "\(Show.number(p.learningRate)), \(Show.number(p.lambda))"))
            })
        return [Exercise(infos[0], precision), Exercise(infos[1], ndcg), Exercise(infos[2], step)]
    }
}

/// One BPR step as a cell with a slip computes it: x without the biases (`biasesInX` false), d = σ(x) instead of σ(−x)
/// (`sigmoidOfX`), the items moved with the new x_u (`itemsWithNewUser`), or the biases not penalized
/// (`penalizedBiases` false); everything else from the old values.
func plainStep(
    _ p: Lesson9Cells.StepProblem, biasesInX: Bool = true, sigmoidOfX: Bool = false, itemsWithNewUser: Bool = false,
    penalizedBiases: Bool = true
)
    -> Lesson9Cells.Parameters
{
    let (u, yi, yj, bi, bj) = p.parameters, lr = p.learningRate, λ = p.lambda
    let x = zip(u, zip(yi, yj)).reduce(biasesInX ? bi - bj : 0) { $0 + $1.0 * ($1.1.0 - $1.1.1) }
    let d = 1 / (1 + exp(sigmoidOfX ? -x : x))
    let newUser = u.indices.map { u[$0] + lr * (d * (yi[$0] - yj[$0]) - λ * u[$0]) }
    let user = itemsWithNewUser ? newUser : u
    return (
        newUser, u.indices.map { yi[$0] + lr * (d * user[$0] - λ * yi[$0]) }, u.indices.map { yj[$0] + lr * (-d * user[$0] - λ * yj[$0]) },
        bi + lr * (d - (penalizedBiases ? λ * bi : 0)), bj + lr * (-d - (penalizedBiases ? λ * bj : 0))
    )
}
