// Section 1, continued: SVD++'s implicit-feedback term on the users' side, then on both sides; the best on validation is kept.

import CFCore
import LessonKit
import TextOutput

extension Lesson8 {
    func implicitFeedback(_ noise: NoiseChoice) throws -> BayesianChoice {
        book.paragraph(
            """
            Lesson 6's SVD++ also reads which movies a person rated, whatever the stars. The same term fits the
            Bayesian model: a user's factors become u + |N(u)|^-½ Σ y_j over the movies j they rated, and the y's get a prior
            and a Gibbs step of their own (each y_j given everything else is Gaussian too; the y's are drawn one movie at a
            time, because each changes the sums of its raters). The term works the other way round as well: a movie is also
            described by who rated it, v + |R(j)|^-½ Σ z_u over its raters R(j), with a z per user drawn in the same way
            (Rendle's "flipped" SVD++). A movie few people rated has little to pin down its v, but who those people are
            already says something.
            """)
        let implicitBar = book.progress("Gibbs sampling with implicit feedback", total: 2 * options.samples)
        let ahead = runAhead(noise.configuration)
        var runs: [BayesianKind: TracedRun] = [.plain: noise.run]
        // The two runs side by side, each on a thread of its own (a run's samples do not depend on its threads), racing
        // as the α's did: one clearly behind the other at the checkpoint stops there.
        let lesson = self, kinds = [BayesianKind.users, .bothSides]
        let checkpoint = raceCheckpoint(samples: options.samples, burnIn: options.burnIn), race = Race(runs: kinds.count)
        let traced = try eachOnItsOwnThread(Array(kinds.enumerated())) { index, kind in
            let run = try tracedRun(
                kind, fit: lesson.fit, validation: lesson.validation, noise.configuration.onThreads(1), scale: lesson.scale,
                checkpoint: checkpoint, race: checkpoint == nil ? nil : (race, index)
            ) { _, latest in implicitBar.advance(detail: "\(kind.name): \(formatFixed(latest, digits: 4))") }
            if let stopped = run.stoppedAt {
                if kind == .bothSides { ahead?.cancel() }
                implicitBar.advance(by: lesson.options.samples - stopped, detail: "\(kind.name): stopped at sample \(stopped)")
            }
            return run
        }
        for (kind, run) in zip(kinds, traced) { runs[kind] = run }
        implicitBar.finish()
        let chosen = BayesianChoice(noise: noise, runs: runs)
        if chosen.chosen != .bothSides { ahead?.cancel() }
        let choice = BayesianChoice(noise: noise, runs: runs, ahead: chosen.chosen == .bothSides ? ahead : nil)
        let plain = choice.run(.plain), users = choice.run(.users), both = choice.run(.bothSides)
        book.table(
            Table(
                header: ["model", "validation RMSE", "samples drawn", "ms a sample on one core"],
                rows: BayesianKind.allCases.map { kind in
                    let run = choice.run(kind)
                    return [
                        kind.name, "\(run.rmse, digits: 4)", "\(run.samples)",
                        "\(1000 * run.secondsPerSample, digits: 0)"
                    ]
                }), caption: "The Bayesian models on the validation ratings (k = \(options.k), \(noise.noise.label))")
        book.paragraph(
            Self.onTheImplicitRace(checkpoint: checkpoint, stopped: kinds.first { runs[$0]!.stoppedAt != nil })
                + Self.onTheImplicitTerms(
                    users: users.errors(against: plain), both: both.errors(against: users),
                    slowdown: both.secondsPerSample / max(plain.secondsPerSample, 1e-12), chosen: choice.chosen)
                + Self.onTheRunAhead(ranAhead: ahead != nil, won: choice.chosen == .bothSides))
        book.record(
            "bayesian_implicit",
            JSONValue.object([
                ("validation_rmse", users.rmse.json), ("both_sides_validation_rmse", both.rmse.json),
                ("chosen", choice.chosen.name.json),
                ("samples", users.samples.json), ("both_sides_samples", both.samples.json),
                // Where the race compared them (null without a race), and each one's validation RMSE there.
                ("checkpoint", checkpoint.map(\.json) ?? .null),
                ("validation_rmse_at_checkpoint", checkpoint.map { users.average[$0 - 1].json } ?? .null),
                ("both_sides_validation_rmse_at_checkpoint", checkpoint.map { both.average[$0 - 1].json } ?? .null),
                ("seconds_per_sample", users.secondsPerSample.json), ("both_sides_seconds_per_sample", both.secondsPerSample.json)
            ]))
        return choice
    }

    /// The model with both terms on all the training ratings, started now beside the two runs on the fit ratings: it is
    /// the one the next section needs when it wins, as it usually does, and starting it early saves waiting for it
    /// there. Only when its samples take little memory (`samplesAreSmall`); nil otherwise. It is stopped if it loses.
    func runAhead(_ configuration: BayesianMatrixFactorization.Configuration) -> BackgroundWork<BayesianMatrixFactorization.Result>? {
        guard Self.samplesAreSmall(options, training) else { return nil }
        let training = self.training, configuration = configuration.onThreads(1)
        return BackgroundWork(priority: .normal) { work in
            try BayesianKind.bothSides.train(training, configuration) { sweep in if work.isCancelled { sweep.stop() } }
        }
    }

    /// What became of the model with both terms trained ahead on all the training ratings (`ranAhead`), which the next
    /// section uses only if it won on validation.
    static func onTheRunAhead(ranAhead: Bool, won: Bool) -> String {
        guard ranAhead else { return "" }
        let started = " Beside these two runs, \(BayesianKind.bothSides.name) also started on all the training ratings, in case it won"
        return started
            + (won
                ? "; it did, so the next section takes that run as it is instead of starting it then."
                : "; it did not, so that run was stopped and the next section trains the chosen model.")
    }

    /// What the race between the two implicit-feedback runs did (`stopped`: the one that stopped at `checkpoint`, if
    /// any); nothing when there was no race.
    static func onTheImplicitRace(checkpoint: Int?, stopped: BayesianKind?) -> String {
        guard let checkpoint else { return "" }
        switch stopped {
        case nil:
            return "The two runs raced as the α's did; at sample \(checkpoint) neither was behind the other by more than the noise, so both ran to the end. "
        case .users:
            return
                "The two runs raced as the α's did: at sample \(checkpoint) the users' term alone was behind both terms by more than the noise and stopped there, so both comparisons with it are made at that sample. "
        case .bothSides, .plain:
            return
                "The two runs raced as the α's did: at sample \(checkpoint) the model with both terms was behind the users' term alone by more than the noise and stopped there, so the two are compared at that sample. "
        }
    }

    /// What the two implicit terms do on validation, rating by rating against the model without them (`users`: the
    /// users' term against BPMF; `both`: both terms against the users' alone; a difference of mean squared errors),
    /// what a sweep with both costs (`slowdown`, times BPMF's), and which model the rest of the lesson uses.
    static func onTheImplicitTerms(users: Comparison, both: Comparison, slowdown: Double, chosen: BayesianKind) -> String {
        func effect(_ c: Comparison, _ what: String, _ base: String) -> String {
            let size = formatFixed(abs(c.difference), digits: 4)
            return switch c.verdict {
            case .secondHigher: "\(what) lowers the mean squared error by \(size) against \(base), more than the noise"
            case .tie: "\(what) changes it only within the noise (\(c.difference <= 0 ? "−" : "+")\(size) in mean squared error against \(base))"
            case .firstHigher: "\(what) raises the mean squared error by \(size) against \(base), more than the noise"
            }
        }
        let first = effect(users, "The users' term", "BPMF"), second = effect(both, "adding the movies' term", "the users' term alone")
        let rest =
            switch chosen {
            case .plain: "The rest of the lesson uses plain BPMF: a richer model is kept only when it predicts better by more than the noise."
            case .users: "The intervals below come from \(chosen.name), which beats BPMF by more than the noise; the blend gets both it and BPMF."
            case .bothSides:
                "The intervals below come from \(chosen.name), which beats the simpler models by more than the noise; the blend gets both it and BPMF."
            }
        return "\(first), and \(second); a sweep with both terms takes \(formatFixed(slowdown, digits: 1)) times as long as BPMF's. \(rest)"
    }
}

/// The three Bayesian models on the validation ratings, all with the chosen noise precision, and the best of them.
struct BayesianChoice {
    let noise: NoiseChoice
    let runs: [BayesianKind: TracedRun]
    /// The model the lesson keeps: BPMF, unless a richer one predicts the validation ratings better by more than the
    /// noise (rating by rating), each richer one against the one kept so far; never a run that stopped in the race.
    let chosen: BayesianKind
    /// The chosen model on all the training ratings, when it was started ahead (`runAhead`).
    let ahead: BackgroundWork<BayesianMatrixFactorization.Result>?

    init(noise: NoiseChoice, runs: [BayesianKind: TracedRun], ahead: BackgroundWork<BayesianMatrixFactorization.Result>? = nil) {
        self.noise = noise
        self.runs = runs
        self.ahead = ahead
        var kept = BayesianKind.plain
        for kind in [BayesianKind.users, .bothSides] where runs[kind]!.stoppedAt == nil && runs[kind]!.errors(against: runs[kept]!).verdict == .secondHigher {
            kept = kind
        }
        chosen = kept
    }

    /// The run of `kind` on the fit ratings (every kind has one).
    func run(_ kind: BayesianKind) -> TracedRun { runs[kind]! }
    /// The sampler's settings of every Bayesian model.
    var configuration: BayesianMatrixFactorization.Configuration { noise.configuration }
    /// The Bayesian models the blend gets: BPMF, and the chosen one when it is not BPMF.
    var blended: [BayesianKind] { chosen == .plain ? [.plain] : [.plain, chosen] }
}
