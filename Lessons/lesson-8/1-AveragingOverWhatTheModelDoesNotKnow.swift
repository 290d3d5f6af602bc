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
        // Every run at once, each on a thread of its own (the two cores shared among them; a run's samples do not depend
        // on its threads), so that they all meet at the race's checkpoint.
        let checkpoint = raceCheckpoint(samples: options.samples, burnIn: options.burnIn)
        let race = Race(runs: noises.count), lesson = self
        let runs = try eachOnItsOwnThread(Array(noises.enumerated())) { index, noise in
            let run = try tracedRun(
                .plain, fit: lesson.fit, validation: lesson.validation, lesson.configuration(noise).onThreads(1), scale: lesson.scale,
                checkpoint: checkpoint, race: checkpoint == nil ? nil : (race, index)
            ) { _, latest in bar.advance(detail: "\(noise.label): validation RMSE \(formatFixed(latest, digits: 4))") }
            if let stopped = run.stoppedAt { bar.advance(by: lesson.options.samples - stopped, detail: "\(noise.label): stopped at sample \(stopped)") }
            return run
        }
        bar.finish()
        let trials = Array(zip(noises, runs)).map { (noise: $0, run: $1) }
        let choice = NoiseChoice(trials: trials, configuration: configuration)
        let run = choice.run, drawn = choice.drawnRun
        book.table(
            Table(
                header: ["noise precision", "validation RMSE", "samples drawn", "seconds on one core"],
                rows: trials.map { t in
                    [
                        t.noise.label + (t.noise == .drawn ? " (ends at \(formatFixed(drawn.lastAlpha, digits: 2)))" : ""), "\(t.run.rmse, digits: 4)",
                        "\(t.run.samples)", "\(t.run.seconds, digits: 1)"
                    ]
                }), caption: "BPMF with k = \(options.k) and up to \(options.samples) samples (\(options.burnIn) burned in), on the validation ratings")
        if let checkpoint {
            book.paragraph(
                Self.onTheRace(
                    checkpoint: checkpoint, samples: options.samples, stopped: trials.filter { $0.run.stoppedAt != nil }.map(\.noise.label),
                    wentOn: trials.filter { $0.run.stoppedAt == nil }.count))
        }
        book.paragraph(
            """
            \(Self.onTheChoice(choice.noise, rmse: run.rmse, tied: choice.tiedWithChosen)) \(Self.onTheDrawnAlpha(chosen: choice.noise == .drawn, drawn: drawn,
                bestFixed: choice.bestFixedAlpha, againstChosen: drawn.errors(against: run).verdict))
            Everything below uses \(choice.noise.label).
            """)
        let shown = (1...run.samples).filter { $0 > options.burnIn }
        try book.figure(
            .lines(
                name: "bpmf-trace", title: "Validation RMSE per Gibbs sample (k = \(options.k), \(choice.noise.label))", xLabel: "sample",
                yLabel: "validation RMSE",
                series: [
                    Series("one sample alone", x: (1...run.samples).map(Double.init), y: run.single),
                    Series("average of the samples after burn-in", x: shown.map(Double.init), y: shown.map { run.average[$0 - 1] })
                ]))
        let bestSingle = run.single.min() ?? .nan
        book.paragraph(
            """
            \(run.samples) samples took \(formatSeconds(run.seconds)) of one core's time (\(1000 * run.secondsPerSample, digits: 0) ms each
            at k = \(options.k)). One sample alone predicts the validation ratings with
            RMSE \(run.single.last ?? .nan, digits: 4) at the end (the best single sample: \(bestSingle, digits: 4)); the average of the \(run.samples - options.burnIn) samples after
            the burn-in of \(options.burnIn) reaches \(run.rmse, digits: 4)\(Self.onAveraging(average: run.rmse, bestSingle: bestSingle)).
            \(Self.onSingleSamples(run.single))
            """)
        book.record(
            "bpmf",
            JSONValue.object([
                ("k", options.k.json), ("samples", options.samples.json), ("burn_in", options.burnIn.json),
                ("alpha", choice.noise.fixedValue.map(\.json) ?? JSONValue.string("drawn")),
                ("alpha_validation_rmse", JSONValue.object(trials.map { ($0.noise.label, $0.run.rmse.json) })),
                ("alpha_samples", JSONValue.object(trials.map { ($0.noise.label, $0.run.samples.json) })),
                ("drawn_alpha_last", drawn.lastAlpha.json),
                ("seconds_per_sample", run.secondsPerSample.json),
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

    /// What the race did (`stopped`: the runs that stopped at `checkpoint`, in the table's order; `wentOn`: how many
    /// ran to the end).
    static func onTheRace(checkpoint: Int, samples: Int, stopped: [String], wentOn: Int) -> String {
        let met =
            "Every run went to sample \(checkpoint), a quarter of the way through the samples kept after the burn-in, and there they were compared with the leader, rating by rating"
        guard !stopped.isEmpty else { return met + ": none was behind it by more than the noise, so all ran on to \(samples)." }
        let list = stopped.count == 1 ? stopped[0] : stopped.dropLast().joined(separator: ", ") + " and " + stopped.last!
        let rest = wentOn == 1 ? "the run still in question, which ran on" : "the runs still in question, which ran on"
        return met
            + ". \(list) \(stopped.count == 1 ? "was" : "were") behind by more than the noise and stopped there, to spend the time on \(rest) to \(samples); \(stopped.count == 1 ? "its RMSE is that of its" : "their RMSEs are those of their") average at sample \(checkpoint)."
    }

    /// What the drawn α did: where it ends and, when a fixed α was chosen, how drawing it compares (`againstChosen`:
    /// the drawn run's squared errors against the chosen run's). The reason it may trust the ratings too much is
    /// offered as a possibility, and only when it ends above the best fixed value and predicts worse.
    static func onTheDrawnAlpha(chosen: Bool, drawn: TracedRun, bestFixed: Double, againstChosen: Comparison.Verdict) -> String {
        if chosen { return "Drawn, it ends at \(formatFixed(drawn.lastAlpha, digits: 2))." }
        let rmse = formatFixed(drawn.rmse, digits: 4) + (drawn.stoppedAt.map { " at sample \($0), where it stopped" } ?? "")
        let ends = "Drawn, α ends at \(formatFixed(drawn.lastAlpha, digits: 2))"
        switch againstChosen {
        case .firstHigher where drawn.lastAlpha > bestFixed:
            return """
                \(ends), above the best fixed value, and predicts worse by more than the noise (\(rmse)). A \
                possible reason: the residuals it is drawn from are the training ratings', which the factors fit better than \
                ratings they have not seen, so it may trust every rating too much.
                """
        case .firstHigher:
            return "\(ends) and predicts worse by more than the noise (\(rmse))."
        case .tie:
            return "\(ends) (validation RMSE \(rmse))."  // the tie is said with the choice
        case .secondHigher:
            return "\(ends) and predicts better (\(rmse))."
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
struct NoiseChoice {
    let trials: [(noise: NoisePrecision, run: TracedRun)]
    /// The best on validation among the runs that went to the end (the first on a tie), and its sampler's settings.
    let noise: NoisePrecision, run: TracedRun
    let configuration: BayesianMatrixFactorization.Configuration

    init(trials: [(noise: NoisePrecision, run: TracedRun)], configuration: (NoisePrecision) -> BayesianMatrixFactorization.Configuration) {
        self.trials = trials
        (noise, run) = trials[Self.best(trials)]
        self.configuration = configuration(noise)
    }

    /// The place of the lowest validation RMSE among the runs that went to the end, the first on a tie (among all the
    /// runs if none did, which a race never leaves: its leader goes on).
    static func best(_ trials: [(noise: NoisePrecision, run: TracedRun)]) -> Int {
        let finished = trials.indices.filter { trials[$0].run.stoppedAt == nil }
        let candidates = finished.isEmpty ? Array(trials.indices) : finished
        return candidates[candidates.map { trials[$0].run.rmse }.indicesRanked(descending: false).first ?? 0]
    }

    /// The other noise precisions whose validation errors are within the noise of the chosen one's (paired; for a run
    /// that stopped in the race, at the sample where it stopped).
    var tiedWithChosen: [NoisePrecision] {
        trials.filter { $0.noise != noise && $0.run.errors(against: run).verdict == .tie }.map(\.noise)
    }

    /// The run with α drawn.
    var drawnRun: TracedRun { trials.first { $0.noise == .drawn }!.run }
    /// The α of the best fixed value on validation (among those that went to the end, if any did).
    var bestFixedAlpha: Double {
        let fixed = trials.filter { $0.noise != .drawn }
        return fixed[Self.best(fixed)].noise.fixedValue ?? .nan
    }
    /// The α the chosen model samples with: its fixed value, or where the drawn α ends.
    var alpha: Double { noise == .drawn ? run.lastAlpha : configuration.alpha }
}
