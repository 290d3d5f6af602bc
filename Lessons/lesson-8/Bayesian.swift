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

/// A run on the fit ratings with the validation RMSE of each sample alone and of the running average after burn-in. It
/// keeps no samples: what the lesson needs of it is its predictions for the validation ratings, made as it goes.
struct TracedRun {
    /// RMSE of each sample alone, one per sample drawn.
    let single: [Double]
    /// RMSE of the average of the kept samples so far (NaN during burn-in).
    let average: [Double]
    /// The processor time of the thread it ran on (each run is on one thread): its cost on one core, not counting the
    /// runs beside it.
    let seconds: Double
    /// The noise precision α of the last sweep (the drawn value when α is drawn).
    let lastAlpha: Double
    /// The final average's prediction of each validation rating, in order, before the scale clips it.
    let predictions: [Double]
    /// The squared error of the final average's prediction (on the scale) of each validation rating, in order.
    let squaredErrors: [Double]
    /// The same at the race's checkpoint (nil if the run had none).
    let checkpointErrors: [Double]?
    /// The sample at which it stopped, behind the leader at the race's checkpoint (nil: it ran to the end).
    let stoppedAt: Int?

    /// The final average's validation RMSE.
    var rmse: Double { average.last ?? .nan }
    /// The samples it drew.
    var samples: Int { single.count }
    /// Its processor time per sample drawn.
    var secondsPerSample: Double { seconds / Double(max(samples, 1)) }

    /// This run's validation error against `other`'s, rating by rating (paired), at the last sample both drew: the
    /// end when both ran the same number of samples, else the checkpoint where one of them stopped. `.firstHigher` means
    /// this one's squared errors are larger, that is, it predicts worse by more than the noise.
    func errors(against other: TracedRun) -> Comparison {
        samples == other.samples
            ? .paired(squaredErrors, other.squaredErrors)
            : .paired(checkpointErrors ?? squaredErrors, other.checkpointErrors ?? other.squaredErrors)
    }
}

/// The sample at which runs race (`Race`): a quarter of the way through the samples kept after the burn-in (nil when
/// there is no sample between the burn-in and the end to stop at). By then a run's average has settled enough for a
/// clear loser to show (the paired comparison's noise is mostly the validation ratings' own, which more samples do not
/// shrink), and a run stopped there saves three quarters of its kept samples.
func raceCheckpoint(samples: Int, burnIn: Int) -> Int? {
    let checkpoint = burnIn + (samples - burnIn) / 4
    return checkpoint > burnIn && checkpoint < samples ? checkpoint : nil
}

/// Trains `kind` on `fit` and follows its validation RMSE; `progress` gets the sample number and the latest RMSE. At
/// `checkpoint` it records its squared errors and, in a race, hands them in as run `racer` and stops if it is behind.
/// `configuration` must keep the run on one thread (`onThreads(1)`), whose processor time is the run's `seconds`.
func tracedRun(
    _ kind: BayesianKind, fit: Ratings, validation: Ratings, _ configuration: BayesianMatrixFactorization.Configuration,
    scale: ClosedRange<Double>, checkpoint: Int?, race: (race: Race, racer: Int)? = nil, progress: (Int, Double) -> Void
) throws -> TracedRun {
    let truth = validation.entries.map(\.value)
    var runningSum = [Double](repeating: 0, count: validation.count), kept = 0
    var single = [Double](), average = [Double](), checkpointErrors: [Double]?, stoppedAt: Int?
    func squaredErrors() -> [Double] {
        zip(runningSum, truth).map { sum, rating in
            let e = scale.clamp(sum / Double(max(kept, 1))) - rating
            return e * e
        }
    }
    var watched = configuration
    watched.keepsSamples = false
    // However the run ends, the others in the race no longer wait for it (this does nothing once it has arrived).
    defer { if let race { race.race.withdraw(race.racer) } }
    let clock = ThreadClock()
    let result = try kind.train(fit, watched) { sweep in
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
        if sweep.step == checkpoint {
            let errors = squaredErrors()
            checkpointErrors = errors
            if let race, !race.race.arrive(race.racer, squaredErrors: errors) {
                stoppedAt = sweep.step
                sweep.stop()
            }
        }
        progress(sweep.step, averaged ? average.last! : single.last!)
    }
    return TracedRun(
        single: single, average: average, seconds: clock.seconds, lastAlpha: result.alphas.last ?? configuration.alpha,
        predictions: runningSum.map { $0 / Double(max(kept, 1)) }, squaredErrors: squaredErrors(), checkpointErrors: checkpointErrors,
        stoppedAt: stoppedAt)
}

extension BayesianMatrixFactorization.Configuration {
    /// The same settings on `threads` threads (nil: every core); the samples are the same on any number.
    func onThreads(_ threads: Int?) -> Self {
        var configuration = self
        configuration.threads = threads
        return configuration
    }
}
