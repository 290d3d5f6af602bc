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
    mutating func finish<Model>(
        step: Int, loss: Double?, finite: () -> Bool = { true }, diverged: @autoclosure () -> TrainingError,
        model: @escaping () -> Model, _ callback: TrainingCallback<Model>
    ) throws -> Bool {
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

/// Whether every value is a finite number. (One function per type the trainers pass, not a generic one: a debug build
/// compiles each file alone, and a generic function called from another file would run unspecialized, element by
/// element through the protocol's witness table.)
func allFinite(_ values: UnsafeBufferPointer<Float>) -> Bool {
    var sum: Float = 0
    for v in values { sum += v * 0 }  // NaN or ±∞ anywhere makes the sum NaN
    return !sum.isNaN
}

func allFinite(_ values: UnsafeMutableBufferPointer<Float>) -> Bool { allFinite(UnsafeBufferPointer(values)) }

func allFinite(_ values: [Float]) -> Bool { values.withUnsafeBufferPointer { allFinite($0) } }

func allFinite(_ values: [Double]) -> Bool {
    var sum = 0.0
    for v in values { sum += v * 0 }
    return !sum.isNaN
}
