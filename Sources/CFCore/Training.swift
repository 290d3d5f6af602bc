import Dispatch
import Foundation

// One vocabulary for every trainer (the table is in CFCore.docc/Trainers.md).
//
// Every trainer takes its settings in a `Configuration` with the same names for the same ideas (`factors`,
// `regularization`, `iterations`, `learningRate`, `threads`, `seed`, `precision`), calls one callback after every
// step with a `TrainingProgress`, keeps the loss after every step in its result's `history`, and throws one error
// type, `TrainingError`.

/// What a trainer reports after each step (`Model` is what it trains: a `FactorModel` for the factor trainers): an iteration (ALS, batch gradient descent, weighted ALS), an epoch (SGD,
/// BPR) or a sweep of the Gibbs sampler (Bayesian MF).
///
/// The callback receives it `inout`, so that it can end training early with `stop()`; the model is assembled only
/// when the callback asks for it.
public struct TrainingProgress<Model> {
    /// The step just finished, from 1.
    public let step: Int
    /// The steps the configuration asks for.
    public let steps: Int
    /// Seconds since training began.
    public let elapsed: Double
    /// What the trainer minimizes, after this step (as its `history` records it); nil where it is not computed.
    public let loss: Double?
    private let source: ModelSource<Model>
    /// Whether the callback asked to stop after this step.
    public private(set) var stopRequested = false

    /// A report of `step` of `steps`; `model` assembles the model as it stands.
    public init(step: Int, steps: Int, elapsed: Double, loss: Double?, model: @escaping () -> Model) {
        self.step = step
        self.steps = steps
        self.elapsed = elapsed
        self.loss = loss
        source = ModelSource(model)
    }

    /// The model after this step (assembled on each call: ask once and keep it). It can be asked for only during the
    /// callback: afterwards training has moved on.
    public var model: Model {
        guard let assemble = source.assemble else {
            fatalError("TrainingProgress.model was asked for after the callback returned; keep the model itself instead")
        }
        return assemble()
    }

    /// Ends the model's availability when the callback returns.
    func close() { source.assemble = nil }

    /// Ends training after this step: the trainer returns what it has, as if this had been its last step.
    public mutating func stop() { stopRequested = true }
}

/// Where a progress report gets its model from, until the callback returns.
final class ModelSource<Model> {
    var assemble: (() -> Model)?
    init(_ assemble: @escaping () -> Model) { self.assemble = assemble }
}

/// The callback every trainer calls after each step (`onStep:`). It may throw, which ends training with that error.
public typealias TrainingCallback<Model> = (inout TrainingProgress<Model>) throws -> Void

/// Why training failed.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss (or, where no loss is computed, the factors) became NaN or infinite at `step` (an epoch, an iteration
    /// or a sweep, as `stepName` says), with the learning rate (where there is one) and the L2 penalty in force.
    case diverged(method: String, stepName: String, step: Int, learningRate: Double? = nil, regularization: Double = 0)
    /// A user or item has too few ratings, or linearly dependent ones, to determine its k factors without a penalty.
    case underdetermined(side: Side, index: Int, ratings: Int, factors: Int)
    /// A system that must be positive definite was not: a row of `side` (`index` when known) at `step`.
    case singular(method: String, side: Side, index: Int?, step: Int)

    public var description: String {
        switch self {
        case let .diverged(method, stepName, step, rate, penalty):
            let start = "\(method) diverged at \(stepName) \(step): the loss became NaN or infinite"
            guard let rate else { return start + "; check the data for values that are not numbers, or try a larger penalty λ" }
            let withRate = start + " with learning rate \(Self.plain(rate))"
            // Each step shrinks a factor by (1 − rate·λ): past 1 the penalty itself overshoots. With an ordinary learning rate
            // (at most 1) that is the penalty's doing; a larger rate is the likelier cause, and is named instead.
            if rate * penalty >= 1 && rate <= 1 {
                return withRate + " and penalty λ = \(Self.plain(penalty)): each step multiplies the factors by 1 − rate·λ = "
                    + "\(Self.plain(1 - rate * penalty)), which must stay between −1 and 1; try a smaller λ (below \(Self.plain(Self.roundedDown(1 / rate))))"
            }
            return withRate + "; try a smaller learning rate (e.g. \(Self.plain(Self.roundedDown(rate / 10))))"
        case let .underdetermined(side, index, ratings, factors):
            let why = ratings < factors
                ? "has \(ratings) rating\(ratings == 1 ? "" : "s") for \(factors) factors"
                : "has ratings that cannot separate its \(factors) factors"
            return "\(side.singular) \(index) \(why), so its least-squares problem has no unique solution; use λ > 0 (e.g. 0.1) or fewer factors"
        case let .singular(method, side, index, step):
            let row = index.map { "\(side.singular) \($0)" } ?? "a \(side.singular)"
            return "\(method) stopped at step \(step): the system of \(row) is not positive definite; use λ > 0 (e.g. 0.1) or fewer factors"
        }
    }

    /// `x` rounded down to one significant digit: 0.00030000000000000003 → 0.0003, 166.7 → 100.
    static func roundedDown(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x }
        let scale = pow(10, (log10(x)).rounded(.down))
        return (x / scale * (1 + 1e-12)).rounded(.down) * scale
    }

    /// A number as a person writes it: 0.003, 100, 1e+09.
    static func plain(_ x: Double) -> String {
        let magnitude = abs(x)
        if magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e6) { return String(format: "%.3g", x) }
        return String(format: "%.6g", x)
    }
}

/// What every trainer does after a step: time it, check it, record its loss, call back.
struct StepReporter {
    let steps: Int
    private let start = DispatchTime.now().uptimeNanoseconds
    /// The loss after every step so far (only the steps that computed one).
    private(set) var history = [Double]()

    init(steps: Int) {
        self.steps = steps
    }

    /// Records `step` with its loss (nil when not computed), throws `diverged` when the loss, or else `finite()`, says
    /// the numbers are no longer finite, and calls `callback`. Returns whether the callback asked to stop.
    mutating func finish<Model>(step: Int, loss: Double?, finite: () -> Bool = { true }, diverged: @autoclosure () -> TrainingError,
                                model: @escaping () -> Model, _ callback: TrainingCallback<Model>) throws -> Bool {
        if let loss {
            guard loss.isFinite else { throw diverged() }
            history.append(loss)
        } else if !finite() {
            throw diverged()
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var progress = TrainingProgress(step: step, steps: steps, elapsed: elapsed, loss: loss, model: model)
        defer { progress.close() }
        try callback(&progress)
        return progress.stopRequested
    }
}

/// Whether every value is a finite number.
func allFinite<C: Collection>(_ values: C) -> Bool where C.Element: BinaryFloatingPoint {
    var sum = C.Element.zero
    for v in values { sum += v * 0 }   // NaN or ±∞ anywhere makes the sum NaN
    return !sum.isNaN
}
