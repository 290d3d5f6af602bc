// Lesson 8's Bayesian models: which one, and a run that follows its validation error sample by sample.

import CFCore
import LessonKit

/// The three Bayesian models of the lesson, from plain BPMF to SVD++'s implicit term on both sides.
enum BayesianKind: CaseIterable {
    case plain, users, bothSides

    var name: String {
        switch self {
        case .plain: "Bayesian MF (BPMF)"
        case .users: "Bayesian SVD++"
        case .bothSides: "Bayesian SVD++, both sides"
        }
    }

    func train(
        _ ratings: Ratings, _ configuration: BayesianMatrixFactorization.Configuration,
        onStep: TrainingCallback<FactorModel> = { _ in }
    ) throws -> BayesianMatrixFactorization.Result {
        var configuration = configuration
        configuration.implicitFeedback = self != .plain
        configuration.flipped = self == .bothSides
        return try BayesianMatrixFactorization.train(ratings, configuration, onStep: onStep)
    }
}

/// A run on the fit ratings with the validation RMSE of each sample alone and of the running average after burn-in.
struct TracedRun {
    let result: BayesianMatrixFactorization.Result
    /// RMSE of each sample alone, one per sample.
    let single: [Double]
    /// RMSE of the average of the kept samples so far (NaN during burn-in).
    let average: [Double]
    /// The processor time of the thread it ran on (each run is on one thread): its cost on one core, not counting the
    /// runs beside it.
    let seconds: Double
    /// The noise precision α of the last sweep (the drawn value when α is drawn).
    let lastAlpha: Double

    /// The squared error of the final average's prediction (on the scale) of each validation rating, in order.
    let squaredErrors: [Double]

    /// The same run without its kept samples (its validation errors, trace and time stay), to free their memory.
    func withoutSamples() -> TracedRun {
        var result = result
        result.samples = []
        return TracedRun(result: result, single: single, average: average, seconds: seconds, lastAlpha: lastAlpha, squaredErrors: squaredErrors)
    }

    /// The final average's validation RMSE.
    var rmse: Double { average.last ?? .nan }

    /// This run's validation error against `other`'s, rating by rating (paired): `.firstHigher` means this one's squared
    /// errors are larger, that is, it predicts worse by more than the noise.
    func errors(against other: TracedRun) -> Comparison { .paired(squaredErrors, other.squaredErrors) }
}

/// Trains `kind` on `fit` and follows its validation RMSE; `progress` gets the sample number and the latest RMSE.
/// `configuration` must keep the run on one thread (`onThreads(1)`), whose processor time is the run's `seconds`.
func tracedRun(
    _ kind: BayesianKind, fit: Ratings, validation: Ratings, _ configuration: BayesianMatrixFactorization.Configuration,
    scale: ClosedRange<Double>, progress: (Int, Double) -> Void
) throws -> TracedRun {
    let truth = validation.entries.map(\.value)
    var runningSum = [Double](repeating: 0, count: validation.count), kept = 0
    var single = [Double](), average = [Double]()
    let clock = ThreadClock()
    let result = try kind.train(fit, configuration) { sweep in
        let model = sweep.model, averaged = sweep.step > configuration.burnIn
        let scores = validation.entries.map { model.score(user: $0.user, item: $0.item) }
        single.append(Metrics.rmse(scores.map(scale.clamp), truth))
        if averaged {
            kept += 1
            for index in scores.indices { runningSum[index] += scores[index] }
            average.append(Metrics.rmse(runningSum.map { scale.clamp($0 / Double(kept)) }, truth))
        } else {
            average.append(.nan)
        }
        progress(sweep.step, averaged ? average.last! : single.last!)
    }
    let lastAlpha = result.alphas.last ?? configuration.alpha
    let squaredErrors = zip(runningSum, truth).map { sum, rating in
        let e = scale.clamp(sum / Double(max(kept, 1))) - rating
        return e * e
    }
    return TracedRun(result: result, single: single, average: average, seconds: clock.seconds, lastAlpha: lastAlpha, squaredErrors: squaredErrors)
}

extension BayesianMatrixFactorization.Configuration {
    /// The same settings on `threads` threads (nil: every core); the samples are the same on any number.
    func onThreads(_ threads: Int?) -> Self {
        var configuration = self
        configuration.threads = threads
        return configuration
    }
}
