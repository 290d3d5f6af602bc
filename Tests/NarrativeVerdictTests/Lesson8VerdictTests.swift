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
        TracedRun(
            result: BayesianMatrixFactorization.Result(globalMean: 3.5, samples: [], alphas: []), single: [0.97, 0.95],
            average: [.nan, rmse], seconds: 1, lastAlpha: lastAlpha, squaredErrors: [])
    }

    // MARK: onTheChoice

    @Test("the lowest α alone, or with others within the noise")
    func choice() {
        #expect(
            Lesson8.onTheChoice(.fixed(1.5), rmse: 0.88221, tied: [])
                == "The lowest validation RMSE belongs to α = 1.5 (0.8822), lower than every other by more than the noise.")
        let tied = Lesson8.onTheChoice(.drawn, rmse: 0.88221, tied: [.fixed(1.5), .fixed(2)])
        #expect(
            tied
                == "The lowest validation RMSE belongs to α drawn (0.8822); α = 1.5, α = 2 are within the noise of it (compared rating by rating), so the choice among them is close to a toss-up."
        )
    }

    // MARK: onTheDrawnAlpha

    @Test("the drawn α was chosen")
    func drawnAlphaChosen() {
        // 1.849 to two decimals: 1.85.
        let text = Lesson8.onTheDrawnAlpha(chosen: true, drawn: Self.run(rmse: 0.9123, lastAlpha: 1.849), bestFixed: 2, againstChosen: .tie)
        #expect(text == "Drawn, it ends at 1.85.")
    }

    @Test("a fixed α won, the drawn one ends above it and predicts worse beyond the noise: the reason is offered as a possibility")
    func drawnAlphaAboveBestFixed() {
        let text = Lesson8.onTheDrawnAlpha(chosen: false, drawn: Self.run(rmse: 0.9123, lastAlpha: 3.2), bestFixed: 2, againstChosen: .firstHigher)
        #expect(text.hasPrefix("Drawn, α ends at 3.20, above the best fixed value, and predicts worse by more than the noise (0.9123). A possible reason:"))
        #expect(text.contains("so it may trust every rating too much."))
    }

    @Test("worse below the best fixed value, a tie, and better: no reason told")
    func drawnAlphaOtherwise() {
        let worse = Lesson8.onTheDrawnAlpha(chosen: false, drawn: Self.run(rmse: 0.9123, lastAlpha: 1.5), bestFixed: 2, againstChosen: .firstHigher)
        #expect(worse == "Drawn, α ends at 1.50 and predicts worse by more than the noise (0.9123).")
        let tie = Lesson8.onTheDrawnAlpha(chosen: false, drawn: Self.run(rmse: 0.8853, lastAlpha: 1.78), bestFixed: 1.5, againstChosen: .tie)
        #expect(tie == "Drawn, α ends at 1.78 (validation RMSE 0.8853).")
        #expect(!tie.contains("worse") && !tie.contains("trust"))
        let better = Lesson8.onTheDrawnAlpha(chosen: false, drawn: Self.run(rmse: 0.88, lastAlpha: 1.78), bestFixed: 1.5, againstChosen: .secondHigher)
        #expect(better == "Drawn, α ends at 1.78 and predicts better (0.8800).")
    }

    // MARK: onAveraging and onSingleSamples

    @Test("the average beats every single sample")
    func averagingHelps() {
        // 0.9010 < 0.9150.
        let text = Lesson8.onAveraging(average: 0.9010, bestSingle: 0.9150)
        #expect(text.hasPrefix(", better than any one of them: each sample is a draw of plausible factors with noise of its own"))
    }

    @Test("the average does not beat the best single sample")
    func averagingDoesNotHelp() {
        // 0.9200 ≥ 0.9150: nothing is added.
        #expect(Lesson8.onAveraging(average: 0.9200, bestSingle: 0.9150) == "")
    }

    @Test("single samples that get worse over the run are explained; steady ones are not")
    func singleSamples() {
        let worse = Lesson8.onSingleSamples([1.2, 1.0, 0.95, 0.97, 0.99])
        #expect(worse.hasPrefix("A single sample gets worse as the sampler runs (from 0.9500 at best to 0.9900 at the end)"), "\(worse)")
        #expect(Lesson8.onSingleSamples([1.2, 1.0, 0.95, 0.952, 0.953]) == "")
    }

    // MARK: onTheImplicitTerms

    @Test("both implicit terms lower the error beyond the noise, both sides chosen")
    func implicitTermsBothGain() {
        // The comparisons are the richer model's mean squared error minus the simpler one's: negative is a gain.
        let text = Lesson8.onTheImplicitTerms(
            users: Comparison(difference: -0.0123, halfWidth: 0.004),
            both: Comparison(difference: -0.0061, halfWidth: 0.003), slowdown: 1.84, chosen: .bothSides)
        #expect(
            text
                == "The users' term lowers the mean squared error by 0.0123 against BPMF, more than the noise, and adding the movies' term lowers the mean squared error by 0.0061 against the users' term alone, more than the noise; a sweep with both terms takes 1.8 times as long as BPMF's. The intervals below come from Bayesian SVD++, both sides, which beats the simpler models by more than the noise; the blend gets both it and BPMF."
        )
    }

    @Test("the model with both terms trained ahead on all the training ratings: taken when it won, stopped when it lost, unsaid when not run")
    func runAhead() {
        #expect(
            Lesson8.onTheRunAhead(ranAhead: true, won: true)
                == " Beside these two runs, Bayesian SVD++, both sides also started on all the training ratings, in case it won; it did, so the next section takes that run as it is instead of starting it then."
        )
        #expect(
            Lesson8.onTheRunAhead(ranAhead: true, won: false)
                == " Beside these two runs, Bayesian SVD++, both sides also started on all the training ratings, in case it won; it did not, so that run was stopped and the next section trains the chosen model."
        )
        #expect(Lesson8.onTheRunAhead(ranAhead: false, won: true).isEmpty)
        #expect(Lesson8.onTheRunAhead(ranAhead: false, won: false).isEmpty)
    }

    @Test("neither implicit term helps beyond the noise, plain BPMF kept")
    func implicitTermsNeitherGains() {
        let text = Lesson8.onTheImplicitTerms(
            users: Comparison(difference: 0.0040, halfWidth: 0.002),
            both: Comparison(difference: -0.0003, halfWidth: 0.002), slowdown: 2.6, chosen: .plain)
        #expect(text.contains("The users' term raises the mean squared error by 0.0040 against BPMF, more than the noise"))
        #expect(text.contains("adding the movies' term changes it only within the noise (−0.0003 in mean squared error against the users' term alone)"))
        #expect(
            text.contains(
                "takes 2.6 times as long as BPMF's. The rest of the lesson uses plain BPMF: a richer model is kept only when it predicts better by more than the noise."
            ))
        #expect(!text.contains("lowers") && !text.contains("The intervals below come from"))
    }

    @Test("the users' term gains, the movies' term ties, users' model chosen")
    func implicitTermsUsersOnly() {
        let text = Lesson8.onTheImplicitTerms(
            users: Comparison(difference: -0.0050, halfWidth: 0.002),
            both: Comparison(difference: 0.0010, halfWidth: 0.002), slowdown: 1.5, chosen: .users)
        #expect(
            text.contains(
                "The users' term lowers the mean squared error by 0.0050 against BPMF, more than the noise, and adding the movies' term changes it only within the noise (+0.0010"
            ))
        #expect(text.contains("The intervals below come from Bayesian SVD++, which beats BPMF by more than the noise"))
        #expect(!text.contains("both sides") && !text.contains("uses plain BPMF"))
    }

    // MARK: onTheCut

    @Test("intervals cut by the top of the scale are counted; none cut, nothing said")
    func cut() {
        #expect(Lesson8.onTheCut(0, of: 10, top: 5) == "")
        #expect(
            Lesson8.onTheCut(10, of: 10, top: 5).hasPrefix(
                "Every one of the 10 intervals runs past the top of the scale: some samples predict more than 5 stars, shown as 5.00;"))
        #expect(Lesson8.onTheCut(3, of: 10, top: 5).hasPrefix("3 of the 10 intervals run past the top of the scale"))
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

    @Test("the blend beats the best single model by more than the noise, one fold")
    func blendBetter() {
        #expect(
            Lesson8.onTheBlend(blend: 0.9050, bestSingle: 0.9120, fiveFoldMean: nil, verdict: .secondHigher)
                == ", 0.0070 better, by more than the noise (compared rating by rating)")
    }

    @Test("the blend within the noise of the best single model, five folds; and worse")
    func blendNoBetter() {
        #expect(
            Lesson8.onTheBlend(blend: 0.9110, bestSingle: 0.9120, fiveFoldMean: 0.9080, verdict: .tie)
                == ", within the noise of it (0.0010 lower, compared rating by rating), and 0.9080 averaged over the five folds")
        #expect(
            Lesson8.onTheBlend(blend: 0.9150, bestSingle: 0.9120, fiveFoldMean: nil, verdict: .firstHigher).hasPrefix(", 0.0030 worse, by more than the noise"))
    }

    // MARK: onRareMovies

    @Test("rare movies predicted worse beyond the noise, within it, and better")
    func rareMovies() {
        let worse = Lesson8.onRareMovies(rare: 1.05, popular: 0.88, verdict: .firstHigher)
        #expect(
            worse.contains(
                "ratings of movies with under 20 training ratings have RMSE 1.0500 against 0.8800 for movies with 150 or more, a gap beyond the noise: a handful of ratings says little about a movie, to any of these models."
            ))
        let tie = Lesson8.onRareMovies(rare: 0.95, popular: 0.88, verdict: .tie)
        #expect(
            tie.hasPrefix(
                "Here the rarely rated movies (under 20 training ratings, RMSE 0.9500) and the most rated (0.8800) are predicted equally well within the noise")
        )
        #expect(!tie.contains("largest where the evidence is thinnest"))
        #expect(
            Lesson8.onRareMovies(rare: 0.85, popular: 0.88, verdict: .secondHigher).contains(
                "are predicted better than the most rated (0.8800), beyond the noise."))
    }
}
