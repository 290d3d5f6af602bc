// Section 1: Bayesian matrix factorization by Gibbs sampling, with its noise precision α chosen on the validation ratings.

import CFCore
import Figures
import Foundation
import LessonKit
import TextOutput

extension Lesson8 {
    func averagingOverWhatTheModelDoesNotKnow() throws -> NoiseChoice {
        book.heading("Averaging over what the model does not know")
        book.paragraph(
            """
            Every model so far picked one set of factors: the best under its objective. Bayesian matrix factorization
            (Salakhutdinov and Mnih, 2008) keeps many. It treats the factors, and the mean and precision of their prior, as
            unknowns with a distribution given the ratings, and draws from that distribution by Gibbs sampling: given the
            movies' factors, each user's factors have a Gaussian distribution whose precision is lesson 3's k × k system plus the
            prior's, so a draw is one ALS solve plus noise; then the same for the movies; then new prior hyperparameters from
            their Normal-Wishart posterior. A prediction is the average of u_i · v_j over the samples after a burn-in. There
            is no learning rate and no λ to tune: the prior's strength is itself drawn from the data. What it costs is time:
            every sample is a full sweep.
            """)
        book.paragraph(
            """
            One number is left: α, the precision of a rating's noise (one over its variance around the prediction), which says
            how far to trust each rating against the prior. The paper fixes α = 2. We try \(options.alphas.values.map { formatFixed($0, digits: 2) }.joined(separator: ", ")),
            and α drawn at every sweep from its own posterior given the residuals, and keep the best on the validation ratings.
            """)
        let noises = options.alphas.values.map(NoisePrecision.fixed) + [.drawn]
        let bar = book.progress("Gibbs sampling (k = \(options.k)), one run per α", total: options.samples * noises.count)
        // The runs are independent: side by side, one core each (as many at a time as there are cores) (a run's samples do not depend on its threads). Only the
        // best so far keeps its samples: on a large catalogue each run's take gigabytes, and the others are needed only
        // for their validation errors.
        let best = BestRun(), lesson = self
        var trials = try concurrentMap(Array(noises.enumerated())) { index, noise in
            let run = try tracedRun(.plain, fit: lesson.fit, validation: lesson.validation, lesson.configuration(noise).onThreads(1), scale: lesson.scale) {
                _, latest in bar.advance(detail: "\(noise.label): validation RMSE \(formatFixed(latest, digits: 4))")
            }
            return (noise: noise, run: best.offer(run, at: index))
        }
        if let kept = best.run { trials[best.index].run = kept }
        bar.finish()
        let choice = NoiseChoice(trials: trials, configuration: configuration)
        let run = choice.run, drawn = choice.drawnRun
        book.table(
            Table(
                header: ["noise precision", "validation RMSE", "seconds on one core"],
                rows: trials.map { t in
                    [
                        t.noise.label + (t.noise == .drawn ? " (ends at \(formatFixed(drawn.lastAlpha, digits: 2)))" : ""), "\(t.run.rmse, digits: 4)",
                        "\(t.run.seconds, digits: 1)"
                    ]
                }), caption: "BPMF with k = \(options.k) and \(options.samples) samples (\(options.burnIn) burned in), on the validation ratings")
        book.paragraph(
            """
            \(Self.onTheChoice(choice.noise, rmse: run.rmse, tied: choice.tiedWithChosen)) \(Self.onTheDrawnAlpha(chosen: choice.noise == .drawn, drawn: drawn,
                bestFixed: choice.bestFixedAlpha, againstChosen: drawn.errors(against: run).verdict))
            Everything below uses \(choice.noise.label).
            """)
        let shown = (1...options.samples).filter { $0 > options.burnIn }
        try book.figure(
            .lines(
                name: "bpmf-trace", title: "Validation RMSE per Gibbs sample (k = \(options.k), \(choice.noise.label))", xLabel: "sample",
                yLabel: "validation RMSE",
                series: [
                    Series("one sample alone", x: (1...options.samples).map(Double.init), y: run.single),
                    Series("average of the samples after burn-in", x: shown.map(Double.init), y: shown.map { run.average[$0 - 1] })
                ]))
        let bestSingle = run.single.min() ?? .nan
        book.paragraph(
            """
            \(options.samples) samples took \(formatSeconds(run.seconds)) of one core's time (\(1000 * run.seconds / Double(options.samples), digits: 0) ms each
            at k = \(options.k)). One sample alone predicts the validation ratings with
            RMSE \(run.single.last ?? .nan, digits: 4) at the end (the best single sample: \(bestSingle, digits: 4)); the average of the \(options.samples - options.burnIn) samples after
            the burn-in of \(options.burnIn) reaches \(run.rmse, digits: 4)\(Self.onAveraging(average: run.rmse, bestSingle: bestSingle)).
            \(Self.onSingleSamples(run.single))
            """)
        book.record(
            "bpmf",
            JSONValue.object([
                ("k", options.k.json), ("samples", options.samples.json), ("burn_in", options.burnIn.json),
                ("alpha", choice.noise.fixedValue.map(\.json) ?? JSONValue.string("drawn")),
                ("alpha_validation_rmse", JSONValue.object(trials.map { ($0.noise.label, $0.run.rmse.json) })),
                ("drawn_alpha_last", drawn.lastAlpha.json),
                ("seconds_per_sample", (run.seconds / Double(options.samples)).json),
                ("validation_rmse_single", run.single.json),
                ("validation_rmse_average", run.average.map { $0.isNaN ? 0 : $0 }.json),
                ("validation_rmse", run.rmse.json)
            ]))
        return choice
    }

    /// Which α has the lowest validation RMSE, and which others are within the noise of it (paired over the ratings).
    static func onTheChoice(_ chosen: NoisePrecision, rmse: Double, tied: [NoisePrecision]) -> String {
        let lowest = "The lowest validation RMSE belongs to \(chosen.label) (\(formatFixed(rmse, digits: 4)))"
        guard !tied.isEmpty else { return lowest + ", lower than every other by more than the noise." }
        return lowest
            + "; \(tied.map(\.label).joined(separator: ", ")) \(tied.count == 1 ? "is" : "are") within the noise of it (compared rating by rating), so the choice among them is close to a toss-up."
    }

    /// What the drawn α did: where it ends and, when a fixed α was chosen, how drawing it compares (`againstChosen`:
    /// the drawn run's squared errors against the chosen run's). The reason it may trust the ratings too much is
    /// offered as a possibility, and only when it ends above the best fixed value and predicts worse.
    static func onTheDrawnAlpha(chosen: Bool, drawn: TracedRun, bestFixed: Double, againstChosen: Comparison.Verdict) -> String {
        if chosen { return "Drawn, it ends at \(formatFixed(drawn.lastAlpha, digits: 2))." }
        let ends = "Drawn, α ends at \(formatFixed(drawn.lastAlpha, digits: 2))"
        switch againstChosen {
        case .firstHigher where drawn.lastAlpha > bestFixed:
            return """
                \(ends), above the best fixed value, and predicts worse by more than the noise (\(formatFixed(drawn.rmse, digits: 4))). A \
                possible reason: the residuals it is drawn from are the training ratings', which the factors fit better than \
                ratings they have not seen, so it may trust every rating too much.
                """
        case .firstHigher:
            return "\(ends) and predicts worse by more than the noise (\(formatFixed(drawn.rmse, digits: 4)))."
        case .tie:
            return "\(ends) (validation RMSE \(formatFixed(drawn.rmse, digits: 4)))."  // the tie is said with the choice
        case .secondHigher:
            return "\(ends) and predicts better (\(formatFixed(drawn.rmse, digits: 4)))."
        }
    }

    /// The end of the sentence on the average of the samples: why it beats every single sample, when it does.
    static func onAveraging(average: Double, bestSingle: Double) -> String {
        average < bestSingle
            ? ", better than any one of them: each sample is a draw of plausible factors with noise of its own, and averaging their predictions cancels much of that noise"
            : ""
    }

    /// How a single sample's error moves over the run (the same trace as "the best single sample"): when the last is
    /// clearly above the best, why single samples can get worse while their average improves.
    static func onSingleSamples(_ single: [Double]) -> String {
        guard let best = single.min(), let last = single.last, last > best + 0.005 else { return "" }
        return """
            A single sample gets worse as the sampler runs (from \(formatFixed(best, digits: 4)) at best to \(formatFixed(last, digits: 4)) at the end): it \
            may start near one tight fit and then wander through the whole spread of factors the ratings allow, each draw with \
            its own noise. Averaging over that spread is what lets the average do better than any single draw.
            """
    }
}

/// The noise precision α of a BPMF run: a fixed value, or drawn at every sweep from its posterior given the residuals.
enum NoisePrecision: Equatable {
    case fixed(Double), drawn

    var label: String {
        switch self {
        case .fixed(let alpha): "α = \(formatPlain(alpha))"
        case .drawn: "α drawn"
        }
    }

    var fixedValue: Double? { if case .fixed(let alpha) = self { alpha } else { nil } }
}

/// BPMF on the validation ratings with each noise precision, and the best of them, which every later model uses.
/// The run with the lowest validation RMSE among runs that finish in any order (the first in their order on a tie, as
/// `NoiseChoice` chooses), kept whole; `offer` gives back every run without its samples.
final class BestRun: @unchecked Sendable {
    private let lock = NSLock()
    /// The place of the kept run in the runs' order (-1 before any).
    private(set) var index = -1
    /// The kept run, with its samples.
    private(set) var run: TracedRun?

    func offer(_ candidate: TracedRun, at place: Int) -> TracedRun {
        lock.withLock {
            let better: Bool =
                if let kept = run {
                    candidate.rmse < kept.rmse || (candidate.rmse == kept.rmse && place < index) || (kept.rmse.isNaN && !candidate.rmse.isNaN)
                } else { true }
            if better { (run, index) = (candidate, place) }
            return candidate.withoutSamples()
        }
    }
}

struct NoiseChoice {
    let trials: [(noise: NoisePrecision, run: TracedRun)]
    /// The best on validation (the first on a tie), and its sampler's settings.
    let noise: NoisePrecision, run: TracedRun
    let configuration: BayesianMatrixFactorization.Configuration

    init(trials: [(noise: NoisePrecision, run: TracedRun)], configuration: (NoisePrecision) -> BayesianMatrixFactorization.Configuration) {
        self.trials = trials
        (noise, run) = trials[trials.map(\.run.rmse).indicesRanked(descending: false).first ?? 0]
        self.configuration = configuration(noise)
    }

    /// The other noise precisions whose validation errors are within the noise of the chosen one's (paired).
    var tiedWithChosen: [NoisePrecision] {
        trials.filter { $0.noise != noise && $0.run.errors(against: run).verdict == .tie }.map(\.noise)
    }

    /// The run with α drawn.
    var drawnRun: TracedRun { trials.first { $0.noise == .drawn }!.run }
    /// The α of the best fixed value on validation.
    var bestFixedAlpha: Double {
        let fixed = trials.filter { $0.noise != .drawn }
        return fixed[fixed.map(\.run.rmse).indicesRanked(descending: false).first ?? 0].noise.fixedValue ?? .nan
    }
    /// The α the chosen model samples with: its fixed value, or where the drawn α ends.
    var alpha: Double { noise == .drawn ? run.lastAlpha : configuration.alpha }
}
