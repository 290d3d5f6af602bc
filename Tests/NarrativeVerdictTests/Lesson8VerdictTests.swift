// Lesson 8's result-dependent sentences: the drawn noise precision and the average of the samples (part 1), the
// implicit terms (2), the spread of one Gibbs step (3), the blend (4) and the error on rare movies (5).

@testable import CFCore
@testable import lesson_8
import Testing

@Suite("Narrative verdicts: lesson 8")
struct NarrativeVerdictsLesson8 {
    /// A run as `tracedRun` would leave it, built by hand: a final averaged RMSE of `rmse`, α ending at `lastAlpha`,
    /// `samples` drawn, stopped there when `stopped`. `onTheDrawnAlpha` reads only `rmse` (the last average),
    /// `lastAlpha` and where it stopped.
    static func run(
        rmse: Double, lastAlpha: Double = 2, samples: Int = 2, stopped: Bool = false, errors: [Double] = [], atCheckpoint: [Double]? = nil
    ) -> TracedRun {
        TracedRun(
            single: Array(repeating: 0.97, count: samples), average: [.nan] + Array(repeating: rmse, count: samples - 1), seconds: 1,
            lastAlpha: lastAlpha, predictions: [], squaredErrors: errors, checkpointErrors: atCheckpoint, stoppedAt: stopped ? samples : nil)
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

    // MARK: the race

    @Test("the α race: none stopped, one stopped, several stopped (listed in the table's order)")
    func race() {
        let none = Lesson8.onTheRace(checkpoint: 72, samples: 200, stopped: [], wentOn: 5)
        #expect(
            none
                == "Every run went to sample 72, a quarter of the way through the samples kept after the burn-in, and there they were compared with the leader, rating by rating: none was behind it by more than the noise, so all ran on to 200."
        )
        let one = Lesson8.onTheRace(checkpoint: 72, samples: 200, stopped: ["α = 3"], wentOn: 1)
        #expect(one.contains(". α = 3 was behind by more than the noise and stopped there") && one.hasSuffix("its RMSE is that of its average at sample 72."))
        #expect(one.contains("to spend the time on the run still in question, which ran on to 200;"))
        let three = Lesson8.onTheRace(checkpoint: 60, samples: 100, stopped: ["α = 1", "α = 2", "α = 3"], wentOn: 2)
        #expect(three.contains(". α = 1, α = 2 and α = 3 were behind by more than the noise and stopped there"))
        #expect(three.contains("the runs still in question, which ran on to 100; their RMSEs are those of their average at sample 60."))
    }

    @Test("the implicit-feedback race: no race, neither stopped, the users' term stopped, both terms stopped")
    func implicitRace() {
        #expect(Lesson8.onTheImplicitRace(checkpoint: nil, stopped: nil).isEmpty)
        #expect(
            Lesson8.onTheImplicitRace(checkpoint: 115, stopped: nil).contains(
                "at sample 115 neither was behind the other by more than the noise, so both ran to the end."))
        #expect(
            Lesson8.onTheImplicitRace(checkpoint: 115, stopped: .users).contains(
                "at sample 115 the users' term alone was behind both terms by more than the noise and stopped there, so both comparisons with it are made at that sample."
            ))
        #expect(
            Lesson8.onTheImplicitRace(checkpoint: 115, stopped: .bothSides).contains(
                "at sample 115 the model with both terms was behind the users' term alone by more than the noise and stopped there, so the two are compared at that sample."
            ))
    }

    @Test("two runs are compared at the last sample both drew: the end when both finished, else the checkpoint where one stopped")
    func comparedAtTheLastCommonSample() {
        let better = (0..<300).map { Double($0 % 3) }, worse = better.map { $0 + 0.5 }
        // Finished both: the final errors decide; the checkpoint errors (reversed here) are not read.
        let a = Self.run(rmse: 0.9, samples: 10, errors: worse, atCheckpoint: better)
        let b = Self.run(rmse: 0.8, samples: 10, errors: better, atCheckpoint: worse)
        #expect(a.errors(against: b).verdict == .firstHigher)
        // One stopped at the checkpoint (sample 6): both are compared there, on their checkpoint errors.
        let stopped = Self.run(rmse: 0.9, samples: 6, stopped: true, errors: better, atCheckpoint: better)
        #expect(stopped.errors(against: b).verdict == .secondHigher && b.errors(against: stopped).verdict == .firstHigher)
    }

    @Test("the race's checkpoint: a quarter of the way through the kept samples; none when that is no sample past the burn-in")
    func checkpoint() {
        #expect(raceCheckpoint(samples: 200, burnIn: 30) == 72)
        #expect(raceCheckpoint(samples: 10, burnIn: 0) == 2)
        #expect(raceCheckpoint(samples: 12, burnIn: 8) == 9)
        #expect(raceCheckpoint(samples: 11, burnIn: 9) == nil)
        #expect(raceCheckpoint(samples: 10, burnIn: 9) == nil)
    }

    @Test("a richer model that stopped in the race is never the one kept, even when it beats BPMF where it stopped")
    func stoppedModelNotChosen() {
        let good = (0..<300).map { Double($0 % 3) }, bad = good.map { $0 + 0.5 }
        let plain = Self.run(rmse: 0.9, samples: 10, errors: bad, atCheckpoint: bad)
        let users = Self.run(rmse: 0.85, samples: 6, stopped: true, errors: good, atCheckpoint: good)
        let both = Self.run(rmse: 0.95, samples: 10, errors: bad.map { $0 + 0.5 }, atCheckpoint: good)
        let noise = NoiseChoice(trials: [(.fixed(2), plain)]) { _ in BayesianMatrixFactorization.Configuration(factors: 2, iterations: 10, burnIn: 2) }
        #expect(BayesianChoice(noise: noise, runs: [.plain: plain, .users: users, .bothSides: both]).chosen == .plain)
        let finished = Self.run(rmse: 0.85, samples: 10, errors: good, atCheckpoint: good)
        #expect(BayesianChoice(noise: noise, runs: [.plain: plain, .users: finished, .bothSides: both]).chosen == .users)
    }

    @Test("the chosen α is the best of the runs that went to the end, even when a stopped one shows a lower RMSE")
    func choiceSkipsStoppedRuns() {
        let errors = (0..<50).map { Double($0 % 2) }
        let trials: [(noise: NoisePrecision, run: TracedRun)] = [
            (.fixed(1), Self.run(rmse: 0.80, samples: 6, stopped: true, errors: errors, atCheckpoint: errors)),
            (.fixed(2), Self.run(rmse: 0.88, samples: 10, errors: errors, atCheckpoint: errors)),
            (.drawn, Self.run(rmse: 0.87, samples: 10, errors: errors, atCheckpoint: errors))
        ]
        #expect(NoiseChoice.best(trials) == 2)
        #expect(NoiseChoice.best(trials.filter { $0.noise != .drawn }) == 1)
        // None went to the end (not left by a race, whose leader goes on): the lowest of all.
        #expect(NoiseChoice.best([trials[0], (.fixed(3), Self.run(rmse: 0.9, samples: 6, stopped: true))]) == 0)
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
        let stopped = Lesson8.onTheDrawnAlpha(
            chosen: false, drawn: Self.run(rmse: 0.9123, lastAlpha: 1.5, samples: 115, stopped: true), bestFixed: 2, againstChosen: .firstHigher)
        #expect(stopped == "Drawn, α ends at 1.50 and predicts worse by more than the noise (0.9123 at sample 115, where it stopped).")
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
