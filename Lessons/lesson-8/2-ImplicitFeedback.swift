// Section 1, continued: SVD++'s implicit-feedback term on the users' side, then on both sides; the best on validation is kept.

import CFCore
import LessonKit
import TextOutput

extension Lesson8 {
    func implicitFeedback(_ noise: NoiseChoice) throws -> BayesianChoice {
        book.paragraph("""
            Lesson 6's SVD++ also reads which movies a person rated, whatever the stars. The same term fits the
            Bayesian model: a user's factors become u + |N(u)|^-½ Σ y_j over the movies j they rated, and the y's get a prior
            and a Gibbs step of their own (each y_j given everything else is Gaussian too; the y's are drawn one movie at a
            time, because each changes the sums of its raters). The term works the other way round as well: a movie is also
            described by who rated it, v + |R(j)|^-½ Σ z_u over its raters R(j), with a z per user drawn in the same way
            (Rendle's "flipped" SVD++). A movie few people rated has little to pin down its v, but who those people are
            already says something.
            """)
        let implicitBar = book.progress("Gibbs sampling with implicit feedback", total: 2 * options.samples)
        var runs: [BayesianKind: TracedRun] = [.plain: noise.run]
        for (index, kind) in [BayesianKind.users, .bothSides].enumerated() {
            runs[kind] = try tracedRun(kind, fit: fit, validation: validation, noise.configuration, scale: scale) { sample, latest in
                implicitBar.update(index * options.samples + sample, detail: "\(kind.name): \(formatFixed(latest, digits: 4))")
            }
        }
        implicitBar.finish()
        let choice = BayesianChoice(noise: noise, runs: runs)
        let plain = choice.run(.plain), users = choice.run(.users), both = choice.run(.bothSides)
        book.table(Table(header: ["model", "validation RMSE", "ms a sample"], rows: BayesianKind.allCases.map { kind in
            [kind.name, "\(choice.run(kind).rmse, digits: 4)", "\(1000 * choice.run(kind).seconds / Double(options.samples), digits: 0)"]
        }), caption: "The Bayesian models on the validation ratings (k = \(options.k), \(noise.noise.label))")
        book.paragraph(Self.onTheImplicitTerms(usersGain: plain.rmse - users.rmse, bothGain: users.rmse - both.rmse,
                                               slowdown: both.seconds / max(plain.seconds, 1e-9), chosen: choice.chosen))
        book.record("bayesian_implicit", JSONValue.object([
            ("validation_rmse", users.rmse.json), ("both_sides_validation_rmse", both.rmse.json),
            ("chosen", choice.chosen.name.json),
            ("seconds_per_sample", (users.seconds / Double(options.samples)).json),
            ("both_sides_seconds_per_sample", (both.seconds / Double(options.samples)).json)]))
        return choice
    }

    /// What the two implicit terms gain on validation (negative: what they lose), what a sweep with both costs
    /// (`slowdown`, times BPMF's), and which model the rest of the lesson uses.
    static func onTheImplicitTerms(usersGain: Double, bothGain: Double, slowdown: Double, chosen: BayesianKind) -> String {
        let users = usersGain > 0 ? "The users' term gains \(formatFixed(usersGain, digits: 4)) over BPMF"
            : "The users' term does not help here (\(formatFixed(-usersGain, digits: 4)) worse than BPMF)"
        let both = bothGain > 0 ? "adding the movies' term gains \(formatFixed(bothGain, digits: 4)) more"
            : "adding the movies' term does not help (\(formatFixed(-bothGain, digits: 4)) worse than the users' term alone)"
        let rest = chosen == .plain ? "The rest of the lesson uses plain BPMF: the terms do not pay here."
            : "The intervals below come from \(chosen.name), the best on validation, and the blend gets it as well as BPMF."
        return "\(users), and \(both); a sweep with both terms takes \(formatFixed(slowdown, digits: 1)) times as long as BPMF's. \(rest)"
    }
}

/// The three Bayesian models on the validation ratings, all with the chosen noise precision, and the best of them.
struct BayesianChoice {
    let noise: NoiseChoice
    let runs: [BayesianKind: TracedRun]
    /// The best on validation (the first of `BayesianKind.allCases` on a tie).
    let chosen: BayesianKind

    init(noise: NoiseChoice, runs: [BayesianKind: TracedRun]) {
        self.noise = noise
        self.runs = runs
        chosen = BayesianKind.allCases[BayesianKind.allCases.map { runs[$0]!.rmse }.indicesRanked(descending: false)[0]]
    }

    /// The run of `kind` on the fit ratings (every kind has one).
    func run(_ kind: BayesianKind) -> TracedRun { runs[kind]! }
    /// The sampler's settings of every Bayesian model.
    var configuration: BayesianMatrixFactorization.Configuration { noise.configuration }
    /// The Bayesian models the blend gets: BPMF, and the chosen one when it is not BPMF.
    var blended: [BayesianKind] { chosen == .plain ? [.plain] : [.plain, chosen] }
}
