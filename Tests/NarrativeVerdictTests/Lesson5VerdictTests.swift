// Lesson 5's result-dependent sentences: the movie-mean baseline (section 4), which cost is lower pass by pass
// (section 6) and whether the factor models beat the baseline (section 7).

import Foundation
@testable import lesson_5
import TextOutput
import Testing

@Suite("Narrative verdicts: lesson 5")
struct NarrativeVerdictsLesson5 {
    // MARK: baselineReading

    @Test("plain means better, rare movies below the mean: shrinking costs, and why")
    func shrinkingCostsWithReason() {
        // plain 1.0150 < shrunk 1.0230, and rareMean 3.10 < mean 3.53.
        let text = Lesson5.baselineReading(shrunk: 1.0230, plain: 1.0150, rareMean: 3.10, mean: 3.53, shrinking: .firstHigher)
        #expect(
            text.contains(
                "gives an RMSE of 1.0230 stars: the number to beat. The plain means give 1.0150: shrinking costs a little accuracy here, more than the noise"))
        #expect(text.contains("because the ratings of rarely rated movies (fewer than 20) average 3.10, below the global mean 3.53 it pulls them to"))
        #expect(text.contains("It is done for trust, not for RMSE"))
        #expect(!text.contains("shrinking also helps"))
    }

    @Test("plain means better, rare movies not below the mean: shrinking costs, no reason given")
    func shrinkingCostsWithoutReason() {
        // plain 1.0150 < shrunk 1.0230, but rareMean 3.60 ≥ mean 3.53.
        let text = Lesson5.baselineReading(shrunk: 1.0230, plain: 1.0150, rareMean: 3.60, mean: 3.53, shrinking: .firstHigher)
        #expect(text.contains("The plain means give 1.0150: shrinking costs a little accuracy here, more than the noise. It is done for trust, not for RMSE"))
        #expect(!text.contains("rarely rated movies"))
        #expect(!text.contains("shrinking also helps"))
    }

    @Test("shrunk means better: shrinking also helps")
    func shrinkingHelps() {
        // plain 1.0300 > shrunk 1.0230.
        let text = Lesson5.baselineReading(shrunk: 1.0230, plain: 1.0300, rareMean: 3.10, mean: 3.53, shrinking: .secondHigher)
        #expect(text.contains("The plain means give 1.0300: shrinking also helps the RMSE here, by more than the noise."))
        #expect(!text.contains("costs a little accuracy"))
        #expect(!text.contains("rarely rated movies"))
    }

    @Test("a difference within the noise: shrinking neither helps nor costs")
    func shrinkingTie() {
        let text = Lesson5.baselineReading(shrunk: 1.0230, plain: 1.0226, rareMean: 3.10, mean: 3.53, shrinking: .tie)
        #expect(!text.contains("shrinking also helps the RMSE") && !text.contains("costs a little accuracy"))
        #expect(text.contains("The plain means give 1.0226: shrinking neither costs nor gains RMSE here beyond the noise; it is done for trust."))
    }

    // MARK: learningRateSentence

    @Test("α scaled to the number of ratings above 100,000: exactly 0.003 on MovieLens 100K and on less, smaller on more")
    func learningRateScaled() {
        #expect(Lesson5.scaledAlpha(ratings: 100_000) == 0.003 && Lesson5.scaledAlpha(ratings: 960) == 0.003)
        #expect(Lesson5.scaledAlpha(ratings: 1_000_000) == 0.0003)
        let hundredK = Lesson5.learningRateSentence(alpha: 0.003, given: false, ratings: 100_000)
        #expect(
            hundredK == "α = 0.003 for up to 100,000 ratings (here 100,000); on more it shrinks in proportion, 0.003 × 100,000 / N, "
                + "since J sums one squared error per rating, so its gradients grow with the number of ratings.")
        let large = Lesson5.learningRateSentence(alpha: Lesson5.scaledAlpha(ratings: 25_000_095), given: false, ratings: 25_000_095)
        #expect(large.hasPrefix("α = 0.003 × 100,000 / 25,000,095 ratings = 0.000012: the step shrinks in proportion"))
        #expect(large.hasSuffix("(on 100,000 or fewer it is 0.003)."))
    }

    @Test("α given with --alpha: said so, with the default it replaces")
    func learningRateGiven() {
        let text = Lesson5.learningRateSentence(alpha: 0.01, given: true, ratings: 1_000_209)
        #expect(
            text == "α = 0.01 was given with --alpha; by default it is 0.003 for up to 100,000 ratings and 0.003 × 100,000 / N above, "
                + "0.0003 for these 1,000,209.")
        #expect(formatSignificant(0.0012) == "0.0012" && formatSignificant(0.00299939) == "0.003" && formatSignificant(1) == "1")
    }

    // MARK: lowerOfTheTwo

    @Test("SGD below batch GD after every pass")
    func sgdAlwaysLower() {
        let text = Lesson5.lowerOfTheTwo(sgdLower: 5, passes: 5)
        #expect(text == "SGD, with its many steps per pass, is below batch GD after every one of the 5 passes both made")
    }

    @Test("batch GD below SGD after every pass")
    func gdAlwaysLower() {
        let text = Lesson5.lowerOfTheTwo(sgdLower: 0, passes: 5)
        #expect(text.hasPrefix("Here batch GD is below SGD after every one of the 5 passes both made"))
        #expect(!text.contains("SGD is below batch GD"))
        #expect(!text.contains("SGD, with its many steps"))
    }

    @Test("SGD below batch GD after some of the passes")
    func sgdSometimesLower() {
        let text = Lesson5.lowerOfTheTwo(sgdLower: 3, passes: 5)
        #expect(text == "SGD is below batch GD after 3 of the 5 passes both made")
    }

    // MARK: againstTheBaseline

    @Test("both factor models beat the movie mean beyond the noise")
    func bothBeatTheBaseline() {
        let text = Lesson5.againstTheBaseline(baseline: 1.02, gd: 0.98, sgd: 0.97, gdVerdict: .secondHigher, sgdVerdict: .secondHigher)
        #expect(text == "Both factor models beat the movie mean on ratings they never saw, by more than the noise: by 0.050 stars for the better one.")
    }

    @Test("only batch GD beats the movie mean; SGD within the noise of it")
    func onlyBatchGDBeatsTheBaseline() {
        let text = Lesson5.againstTheBaseline(baseline: 1.02, gd: 1.00, sgd: 1.01, gdVerdict: .secondHigher, sgdVerdict: .tie)
        #expect(
            text
                == "Only batch GD beats the movie mean on ratings it never saw by more than the noise, by 0.020 stars; the other is within the noise of it, and needs other settings."
        )
    }

    @Test("only SGD beats the movie mean; batch GD does worse")
    func onlySGDBeatsTheBaseline() {
        let text = Lesson5.againstTheBaseline(baseline: 1.02, gd: 1.05, sgd: 0.99, gdVerdict: .firstHigher, sgdVerdict: .secondHigher)
        #expect(
            text
                == "Only SGD beats the movie mean on ratings it never saw by more than the noise, by 0.030 stars; the other does worse than it, and needs other settings."
        )
    }

    @Test("neither factor model beats the movie mean beyond the noise, even when one is a little lower")
    func neitherBeatsTheBaseline() {
        let text = Lesson5.againstTheBaseline(baseline: 1.02, gd: 1.019, sgd: 1.04, gdVerdict: .tie, sgdVerdict: .firstHigher)
        #expect(text.hasPrefix("Neither factor model beats the movie mean by more than the noise"))
        #expect(!text.contains("Only") && !text.contains("Both"))
    }
}

@Suite("Narrative verdicts: lesson 5's cost curve")
struct NarrativeVerdictsLesson5CostShape {
    @Test("a slow start, then a fast fall, then a slow end: the flat stretch and the fast stretch are named")
    func slowFastSlow() {
        // 0..10 nearly flat (−0.1 each), then −10 a step to iteration 20, then −0.1 a step to 40.
        let costs: [Double] = (0...40).map { i in
            let x = Double(i)
            if i <= 10 { return 200 - 0.1 * x }
            if i <= 20 { return 199 - 10 * (x - 10) }
            return 99 - 0.1 * (x - 20)
        }
        let text = Lesson5.costShape(costs)
        // The whole fall is 103; 10% (10.3) is done at iteration 11, 90% (92.7) at iteration 20; the first 10 fell 0.5%.
        #expect(text.hasPrefix("J falls slowly at first (down 0.50% over the first 10 iterations;"), "\(text)")
        #expect(text.contains("then fast (80% of its fall comes between iterations 11 and 20), then slowly."), "\(text)")
        #expect(!text.contains("fastest at the start"))
    }

    @Test("a fast start: said so, with where 90% of the fall is done")
    func fastFirst() {
        let costs: [Double] = (0...100).map { 100 * exp(-Double($0) / 5) + 1 }
        let text = Lesson5.costShape(costs)
        #expect(text.hasPrefix("J falls fastest at the start: 90% of its fall is done by iteration 12, then slowly."), "\(text)")
        #expect(!text.contains("slowly at first"))
    }

    @Test("still falling at the end, and a cost that does not fall")
    func stillFallingAndFlat() {
        let line: [Double] = (0...100).map { 100 - Double($0) * Double($0) / 200 }
        let text = Lesson5.costShape(line)
        #expect(text.hasSuffix("and it is still falling at the end."), "\(text)")
        #expect(Lesson5.costShape([5, 5, 6]).hasPrefix("J does not fall over these iterations (5.0 at the start, 6.0 at the end)."))
    }
}
