// Lesson 8's result-dependent sentences: the drawn noise precision and the average of the samples (part 1), the
// implicit terms (2), the spread of one Gibbs step (3), the blend (4) and the error on rare movies (5).

@testable import CFCore
@testable import lesson_8
import Testing

@Suite("Narrative verdicts: lesson 8")
struct NarrativeVerdictsLesson8 {
    /// A run as `tracedRun` would leave it, built by hand: no kept samples, a final averaged RMSE of `rmse`, α ending
    /// at `lastAlpha`. `onTheDrawnAlpha` reads only `rmse` (the last average) and `lastAlpha`.
    static func run(rmse: Double, lastAlpha: Double) -> TracedRun {
        TracedRun(result: BayesianMatrixFactorization.Result(globalMean: 3.5, samples: []), single: [0.97, 0.95],
                  average: [.nan, rmse], seconds: 1, lastAlpha: lastAlpha)
    }

    // MARK: onTheDrawnAlpha

    @Test("the drawn α was chosen")
    func drawnAlphaChosen() {
        // 1.849 to two decimals: 1.85.
        let text = Lesson8.onTheDrawnAlpha(chosen: true, drawn: Self.run(rmse: 0.9123, lastAlpha: 1.849), bestFixed: 2)
        #expect(text == "Drawn, it ends at 1.85.")
    }

    @Test("a fixed α won, the drawn one ends above it")
    func drawnAlphaAboveBestFixed() {
        // 3.2 > 2.
        let text = Lesson8.onTheDrawnAlpha(chosen: false, drawn: Self.run(rmse: 0.9123, lastAlpha: 3.2), bestFixed: 2)
        #expect(text.hasPrefix("Drawn, α ends at 3.20, above the best fixed value, and predicts worse (0.9123): the residuals it is drawn from"))
        #expect(text.contains("the model ends up trusting every rating too much."))
    }

    @Test("a fixed α won, the drawn one ends at or below it")
    func drawnAlphaNotAboveBestFixed() {
        // 1.5 ≤ 2.
        let text = Lesson8.onTheDrawnAlpha(chosen: false, drawn: Self.run(rmse: 0.9123, lastAlpha: 1.5), bestFixed: 2)
        #expect(text == "Drawn, α ends at 1.50 and predicts worse (0.9123).")
    }

    // MARK: onAveraging

    @Test("the average beats every single sample")
    func averagingHelps() {
        // 0.9010 < 0.9150.
        let text = Lesson8.onAveraging(average: 0.9010, bestSingle: 0.9150)
        #expect(text.hasPrefix(", better than any one of them: each sample is a plausible model"))
    }

    @Test("the average does not beat the best single sample")
    func averagingDoesNotHelp() {
        // 0.9200 ≥ 0.9150: nothing is added.
        #expect(Lesson8.onAveraging(average: 0.9200, bestSingle: 0.9150) == "")
    }

    // MARK: onTheImplicitTerms

    @Test("both implicit terms gain, both sides chosen")
    func implicitTermsBothGain() {
        let text = Lesson8.onTheImplicitTerms(usersGain: 0.0123, bothGain: 0.0021, slowdown: 1.84, chosen: .bothSides)
        #expect(text == "The users' term gains 0.0123 over BPMF, and adding the movies' term gains 0.0021 more; a sweep with both terms takes 1.8 times as long as BPMF's. The intervals below come from Bayesian SVD++, both sides, the best on validation, and the blend gets it as well as BPMF.")
    }

    @Test("neither implicit term helps, plain BPMF kept")
    func implicitTermsNeitherGains() {
        // Negative gains are shown as what is lost: 0.0040 and 0.0015.
        let text = Lesson8.onTheImplicitTerms(usersGain: -0.0040, bothGain: -0.0015, slowdown: 2.26, chosen: .plain)
        #expect(text.contains("The users' term does not help here (0.0040 worse than BPMF)"))
        #expect(text.contains("adding the movies' term does not help (0.0015 worse than the users' term alone)"))
        #expect(text.contains("takes 2.3 times as long as BPMF's. The rest of the lesson uses plain BPMF: the terms do not pay here."))
        #expect(!text.contains("gains"))
        #expect(!text.contains("The intervals below come from"))
    }

    @Test("the users' term gains, the movies' term does not, users' model chosen")
    func implicitTermsUsersOnly() {
        let text = Lesson8.onTheImplicitTerms(usersGain: 0.0050, bothGain: -0.0010, slowdown: 1.5, chosen: .users)
        #expect(text.contains("The users' term gains 0.0050 over BPMF, and adding the movies' term does not help (0.0010 worse than the users' term alone)"))
        #expect(text.contains("The intervals below come from Bayesian SVD++, the best on validation"))
        #expect(!text.contains("both sides"))
        #expect(!text.contains("uses plain BPMF"))
    }

    // MARK: onTheSpread

    @Test("the samples spread wider than one Gibbs step")
    func spreadWider() {
        // 0.45 > 0.30.
        #expect(Lesson8.onTheSpread(samples: 0.45, oneStep: 0.30).hasPrefix(": wider, because the samples also move the movies' factors"))
    }

    @Test("the samples spread no wider than one Gibbs step")
    func spreadNotWider() {
        // 0.25 ≤ 0.30.
        #expect(Lesson8.onTheSpread(samples: 0.25, oneStep: 0.30) == "")
    }

    // MARK: onTheBlend

    @Test("the blend beats the best single model, one fold")
    func blendBetter() {
        // 0.9120 − 0.9050 = 0.0070.
        let text = Lesson8.onTheBlend(blend: 0.9050, bestSingle: 0.9120, fiveFoldMean: nil)
        #expect(text == ", 0.0070 better")
    }

    @Test("the blend is no better than the best single model, five folds")
    func blendNoBetter() {
        // 0.9150 ≥ 0.9120.
        let text = Lesson8.onTheBlend(blend: 0.9150, bestSingle: 0.9120, fiveFoldMean: 0.9080)
        #expect(text == ", no better: here the models make the same mistakes, and 0.9080 averaged over the five folds")
    }

    // MARK: onRareMovies

    @Test("rare movies are predicted worse")
    func rareMoviesWorse() {
        // 1.05 > 0.88.
        let text = Lesson8.onRareMovies(rare: 1.05, popular: 0.88)
        #expect(text.contains("The error is largest where the evidence is thinnest: ratings of movies with under 20 training ratings have RMSE 1.0500 against 0.8800 for movies with 150 or more."))
        #expect(!text.contains("are not predicted worse"))
    }

    @Test("rare movies are not predicted worse")
    func rareMoviesNotWorse() {
        // 0.85 ≤ 0.88.
        let text = Lesson8.onRareMovies(rare: 0.85, popular: 0.88)
        #expect(text == "Here the rarely rated movies (under 20 training ratings, RMSE 0.8500) are not predicted worse than the most rated (0.8800).")
    }
}
