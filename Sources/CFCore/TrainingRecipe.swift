import Foundation

// Two settings of the neural trainers' recipe (EmbeddingNetwork, EmbeddingDotBias, NeuMF): how `regularization` pulls
// the parameters toward 0, and how the step size moves over a run.

/// How a neural trainer applies its weight decay λ (`regularization`) at each minibatch step.
public enum WeightDecayForm: Sendable, Equatable {
    /// Decoupled weight decay (AdamW; PyTorch's `AdamW`, fast.ai's default optimizer): every parameter is multiplied
    /// by 1 − lr λ before the Adam step, embedding rows the minibatch did not use included. λ of 0.01 to 1.
    case decoupled
    /// An L2 penalty λ/2 ‖θ‖² on every parameter: λ θ is added to every gradient before Adam's moments (PyTorch's
    /// `Adam` with `weight_decay`), so Adam divides the pull by √v̂ with the rest. The same pull on every embedding row
    /// at every step, used or not. λ of about 10⁻⁵ to 10⁻³.
    case l2
    /// An L2 penalty on what each example uses: every example of the minibatch adds λ/2 ‖r‖² to its loss for each
    /// embedding row r it looks up, so the mean loss of the minibatch pulls a row by λ r times the number of the
    /// minibatch's examples that used it, divided by the minibatch's size, and a row no example used not at all
    /// (the regularization of per-rating SGD, and of fast.ai's collaborative filtering when its embeddings are
    /// sparse). Dense parameters (not embedding rows) get λ θ, as with `.l2`. λ of about 0.01 to 1.
    case l2OnBatchRows
}

/// How the step size of a neural trainer moves over a run of `iterations` epochs, given its `learningRate`, the peak.
///
/// The schedule is a function of the step s (0 for the first minibatch) and the steps of the whole run, T = epochs ×
/// minibatches per epoch; a run stopped early has followed the first part of the schedule of its full length.
public enum LearningRateSchedule: Sendable, Equatable {
    /// The same step size at every step.
    case constant
    /// fast.ai's one cycle (`fit_one_cycle`, after Smith 2018), on the step size only: over the first `warmup` fraction
    /// of the steps it rises from lr/25 to lr along half a cosine, then falls along another half cosine to lr/10⁵ at
    /// the last step. With p = s / T and cos(a → b, x) = b + (a − b)(1 + cos πx)/2:
    ///
    ///     p < warmup:  cos(lr/25 → lr, p / warmup)
    ///     otherwise:   cos(lr → lr/10⁵, (p − warmup) / (1 − warmup))
    ///
    /// (fast.ai also moves Adam's β₁ between 0.95 and 0.85; this keeps it fixed.) fast.ai's default warmup is 0.25.
    case oneCycle(warmup: Double)

    /// The step size of step `step` (from 0) of a run of `steps`, with peak `learningRate`.
    public func learningRate(_ learningRate: Double, step: Int, of steps: Int) -> Double {
        switch self {
        case .constant:
            return learningRate
        case let .oneCycle(warmup):
            func anneal(_ start: Double, _ end: Double, _ x: Double) -> Double { end + (start - end) * (1 + cos(Double.pi * x)) / 2 }
            let p = Double(step) / Double(max(steps, 1))
            if p < warmup { return anneal(learningRate / 25, learningRate, p / warmup) }
            return anneal(learningRate, learningRate / 1e5, min((p - warmup) / max(1 - warmup, 1e-12), 1))
        }
    }

    /// Whether the settings are usable: a warmup fraction within 0..<1.
    var isValid: Bool {
        switch self {
        case .constant: true
        case let .oneCycle(warmup): warmup >= 0 && warmup < 1
        }
    }
}
