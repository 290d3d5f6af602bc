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
        // The two runs side by side, one core each (a run's samples do not depend on its threads).
        let lesson = self, kinds = [BayesianKind.users, .bothSides]
        let traced = try concurrentMap(kinds) { kind in
            try tracedRun(kind, fit: lesson.fit, validation: lesson.validation, noise.configuration.onThreads(1), scale: lesson.scale) { _, latest in
                implicitBar.advance(detail: "\(kind.name): \(formatFixed(latest, digits: 4))")
            }
        }
        for (kind, run) in zip(kinds, traced) { runs[kind] = run }
        implicitBar.finish()
        // The models the blend does not get keep their validation errors but not their samples (gigabytes on a large catalogue).
        let chosen = BayesianChoice(noise: noise, runs: runs)
        for kind in BayesianKind.allCases where !chosen.blended.contains(kind) { runs[kind] = runs[kind]!.withoutSamples() }
        if chosen.chosen != .bothSides { ahead?.cancel() }
        let choice = BayesianChoice(noise: noise, runs: runs, ahead: chosen.chosen == .bothSides ? ahead : nil)
        let plain = choice.run(.plain), users = choice.run(.users), both = choice.run(.bothSides)
        book.table(
            Table(
                header: ["model", "validation RMSE", "ms a sample on one core"],
                rows: BayesianKind.allCases.map { kind in
                    [kind.name, "\(choice.run(kind).rmse, digits: 4)", "\(1000 * choice.run(kind).seconds / Double(options.samples), digits: 0)"]
                }), caption: "The Bayesian models on the validation ratings (k = \(options.k), \(noise.noise.label))")
        book.paragraph(
            Self.onTheImplicitTerms(
                users: users.errors(against: plain), both: both.errors(against: users),
                slowdown: both.seconds / max(plain.seconds, 1e-9), chosen: choice.chosen)
                + Self.onTheRunAhead(ranAhead: ahead != nil, won: choice.chosen == .bothSides))
        book.record(
            "bayesian_implicit",
            JSONValue.object([
                ("validation_rmse", users.rmse.json), ("both_sides_validation_rmse", both.rmse.json),
                ("chosen", choice.chosen.name.json),
                ("seconds_per_sample", (users.seconds / Double(options.samples)).json),
                ("both_sides_seconds_per_sample", (both.seconds / Double(options.samples)).json)
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
    /// noise (rating by rating), each richer one against the one kept so far.
    let chosen: BayesianKind
    /// The chosen model on all the training ratings, when it was started ahead (`runAhead`).
    let ahead: BackgroundWork<BayesianMatrixFactorization.Result>?

    init(noise: NoiseChoice, runs: [BayesianKind: TracedRun], ahead: BackgroundWork<BayesianMatrixFactorization.Result>? = nil) {
        self.noise = noise
        self.runs = runs
        self.ahead = ahead
        var kept = BayesianKind.plain
        for kind in [BayesianKind.users, .bothSides] where runs[kind]!.errors(against: runs[kept]!).verdict == .secondHigher { kept = kind }
        chosen = kept
    }

    /// The run of `kind` on the fit ratings (every kind has one).
    func run(_ kind: BayesianKind) -> TracedRun { runs[kind]! }
    /// The sampler's settings of every Bayesian model.
    var configuration: BayesianMatrixFactorization.Configuration { noise.configuration }
    /// The Bayesian models the blend gets: BPMF, and the chosen one when it is not BPMF.
    var blended: [BayesianKind] { chosen == .plain ? [.plain] : [.plain, chosen] }
}
