import CFCore
import LessonKit
import Solutions

/// Lesson 4's cell: what a learner writes in `Lessons/lesson-4/Cells.swift` (its `YourCells`), what the worked
/// solution and the course's own version compute, and what the lesson calls.
public protocol Lesson4Cells: Sendable {
    /// 4.1: one epoch of the notebook's SGD over the observed cells, in row-major order, updating U and V in place.
    func sgdEpoch(_ observed: Ratings, u: inout Matrix, v: inout Matrix, learningRate lr: Double, reg: Double) throws
}

/// Lesson 4's exercise: its listing and the course's own version of the cell.
public enum Lesson4Exercises {
    /// The cells, in order.
    public static let list = [
        ExerciseInfo(
            "4.1", "sgdEpoch", "one SGD epoch of the notebook: the error, the U row, then the V row with the new U row",
            hints: [
                "One pass over observed.entries: the error of the current guess, then the U row, then the V row.",
                "`for r in observed.entries`: with `i = r.user` and `j = r.item`, compute `err = r.value - Σ_f u[i, f] * v[j, f]` once, before changing anything.",
                "First U's row: `u[i, f] += lr * (err * v[j, f] - reg * u[i, f])` for every f; then V's row, with the new U row and the same err: `v[j, f] += lr * (err * u[i, f] - reg * v[j, f])`."
            ])
    ]

    /// The course's own version: one epoch of the core's SGD (fixed order, 64-bit), from the current factors.
    /// An epoch whose loss overflows leaves factors of NaN, as a plain loop would: the caller sees the divergence.
    public static let reference: any Lesson4Cells = Reference()
    /// The worked solution (Sources/Solutions/Lesson4.swift).
    public static let solutions: any Lesson4Cells = Lesson4Solutions()

    struct Reference: Lesson4Cells {
        func sgdEpoch(_ observed: Ratings, u: inout Matrix, v: inout Matrix, learningRate lr: Double, reg: Double) throws {
            do {
                let model = try StochasticGradientDescent.train(
                    observed, .init(factors: u.columns, learningRate: lr, regularization: reg, iterations: 1),
                    initialUserFactors: u, initialItemFactors: v
                ).model
                u = model.userFactors
                v = model.itemFactors
            } catch is TrainingError {
                u = Matrix(rows: u.rows, columns: u.columns, repeating: .nan)
                v = Matrix(rows: v.rows, columns: v.columns, repeating: .nan)
            }
        }
    }

    /// A learner's cell when written, the course's otherwise.
    struct Completed: Lesson4Cells {
        let yours: any Lesson4Cells, written: Set<String>
        func run<T>(_ function: String = #function, _ call: (any Lesson4Cells) throws -> T) throws -> T {
            try attributed(yours, reference, written: written, lesson: 4, function: function, call)
        }

        func sgdEpoch(_ observed: Ratings, u: inout Matrix, v: inout Matrix, learningRate lr: Double, reg: Double) throws {
            try run { try $0.sgdEpoch(observed, u: &u, v: &v, learningRate: lr, reg: reg) }
        }
    }
}

extension Lesson4Solutions: Lesson4Cells {}

extension Lesson4Cells {
    /// This cell, or the course's version in its place when it is not in `written`.
    public func completed(_ written: Set<String>) -> any Lesson4Cells { Lesson4Exercises.Completed(yours: self, written: written) }

    /// A problem: the observed cells, starting factors, learning rate, reg, and how many epochs to run.
    public typealias Problem = (observed: Ratings, u: Matrix, v: Matrix, learningRate: Double, reg: Double, epochs: Int)

    /// The checks of `--check`: a few epochs on random problems, and the notebook's whole run (`notebook`, the
    /// lesson's own set-up, 200 epochs), all compared after the last epoch.
    public func exercises(notebook: Problem) -> [Exercise] {
        let infos = Lesson4Exercises.list
        var problems: [(label: String, problem: Problem)] = [(5, 6, 2, 51), (8, 4, 3, 52), (3, 7, 1, 53)].map { users, items, k, seed in
            let ratings = Problems.ratings(users: users, items: items, density: 0.5, seed: UInt32(seed))
            return (
                Problems.label(ratings, seed: UInt32(seed), "k = \(k), 3 epochs"),
                (
                    ratings, Problems.normal(users, k, seed: UInt32(seed + 100), scale: 0.5), Problems.normal(items, k, seed: UInt32(seed + 200), scale: 0.5),
                    0.05, 0.02, 3
                )
            )
        }
        problems.append(("the notebook's matrix (k = \(notebook.u.columns), \(notebook.epochs) epochs)", notebook))
        func run(_ p: Problem, _ epoch: (Ratings, inout Matrix, inout Matrix, Double, Double) throws -> Void) throws -> [Part] {
            var u = p.u, v = p.v
            for _ in 0..<p.epochs { try epoch(p.observed, &u, &v, p.learningRate, p.reg) }
            return [.matrix("U", u), .matrix("V", v)]
        }
        let grader = Grader<Problem>(
            worked: (
                "sgdEpoch(ratings [[3]], u: [[1]], v: [[1]], learningRate: 0.1, reg: 0)",
                ((try? Ratings(dense: [[3]]))!, Matrix([[1]]), Matrix([[1]]), 0.1, 0, 1)
            ),
            problems: problems,
            cell: { try run($0, self.sgdEpoch) },
            reference: { try run($0, Lesson4Exercises.reference.sgdEpoch) },
            mistakes: [
                Mistake("V[j] was updated with the old U[i] row: update U[i] first, then use the new U[i] in V[j]'s update") {
                    try run($0) { ratings, u, v, lr, reg in plainEpoch(ratings, &u, &v, lr, reg, newURow: false) }
                },
                Mistake("the error was computed again after U[i] moved: compute err once, before either update, and use it in both") {
                    try run($0) { ratings, u, v, lr, reg in plainEpoch(ratings, &u, &v, lr, reg, errorAgain: true) }
                },
                Mistake("the sign of the error is flipped: err = R[i, j] − U[i] · V[j], the rating minus the prediction") {
                    try run($0) { ratings, u, v, lr, reg in plainEpoch(ratings, &u, &v, lr, reg, flipped: true) }
                },
                Mistake("the regularization is missing: each update also subtracts lr · reg times the row it updates") {
                    try run($0) { ratings, u, v, lr, _ in plainEpoch(ratings, &u, &v, lr, 0) }
                },
                Mistake("the loop visits every cell, hidden ones as 0: visit only the observed cells, observed.entries") {
                    try run($0) { ratings, u, v, lr, reg in plainEpoch(withMissingAsZero(ratings), &u, &v, lr, reg) }
                }
            ],
            extra: { p in
                // The notebook's losses, from the cell's own factors: what the lesson prints.
                guard p.epochs == notebook.epochs, p.observed.count == notebook.observed.count else { return nil }
                var u = p.u, v = p.v
                try self.sgdEpoch(p.observed, u: &u, v: &v, learningRate: p.learningRate, reg: p.reg)
                let first = Metrics.mse(p.observed) { i, j in dot(u.row(i), v.row(j)) }
                return "the notebook's first-epoch MSE is \(first)"
            },
            show: { p in
                Show.inputs(
                    ("observed", Show.ratings(p.observed)), ("u", Show.matrix(p.u)), ("v", Show.matrix(p.v)),
                    ("learningRate", Show.number(p.learningRate)), ("reg", Show.number(p.reg)), ("epochs", String(p.epochs)))
            })
        return [Exercise(infos[0], grader)]
    }
}

/// A plain epoch with switches for the common mistakes: V[j] updated with the old U[i] (`newURow` false), the error
/// flipped, or computed again with the new U[i] before V[j]'s update (`errorAgain`).
func plainEpoch(
    _ observed: Ratings, _ u: inout Matrix, _ v: inout Matrix, _ lr: Double, _ reg: Double,
    newURow: Bool = true, flipped: Bool = false, errorAgain: Bool = false
) {
    let k = u.columns
    func error(_ i: Int, _ j: Int, _ rating: Double) -> Double {
        let prediction = dot(u.row(i), v.row(j))
        return flipped ? prediction - rating : rating - prediction
    }
    for cell in observed.entries {
        let i = cell.user, j = cell.item
        var err = error(i, j, cell.value)
        let oldU = u.row(i)
        for f in 0..<k { u[i, f] += lr * (err * v[j, f] - reg * u[i, f]) }
        if errorAgain { err = error(i, j, cell.value) }
        for f in 0..<k { v[j, f] += lr * (err * (newURow ? u[i, f] : oldU[f]) - reg * v[j, f]) }
    }
}
