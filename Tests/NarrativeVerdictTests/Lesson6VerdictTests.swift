// Lesson 6's result-dependent sentences: the update check (section 3), the learning curves (4), implicit feedback (6),
// fold-in against retraining (8) and the side-by-side comparison (10).

@testable import lesson_6
import Testing

@Suite("Narrative verdicts: lesson 6")
struct NarrativeVerdictsLesson6 {
    // MARK: biasesReading

    @Test("biases no better than the movie mean beyond the noise")
    func biasesNoBetter() {
        let text = Lesson6.biasesReading(biases: 1.019, movieMean: 1.02, batchGD: 0.96, plainSGD: 0.95, againstMovieMean: .tie, againstLesson5: .firstHigher)
        #expect(text == "The three biases alone (1.0190) do no better than the movie mean (1.0200) here, beyond the noise.")
    }

    @Test("biases beat the movie mean and lesson 5's models")
    func biasesBeatEverything() {
        let text = Lesson6.biasesReading(
            biases: 0.94, movieMean: 1.02, batchGD: 0.96, plainSGD: 0.95, againstMovieMean: .secondHigher, againstLesson5: .secondHigher)
        #expect(
            text.contains(
                "The three biases alone (0.9400) beat the movie mean (1.0200) and even lesson 5's factor models (0.9600 and 0.9500), by more than the noise"))
        #expect(!text.contains("do no better") && !text.contains("of the way"))
    }

    @Test("biases go most of the way to lesson 5's models")
    func biasesMostOfTheWay() {
        // Best of lesson 5: 0.93. Share = (1.02 − 0.96) / (1.02 − 0.93) = 0.06 / 0.09 ≈ 0.67 ≥ 0.5: "most".
        let text = Lesson6.biasesReading(
            biases: 0.96, movieMean: 1.02, batchGD: 0.93, plainSGD: 0.94, againstMovieMean: .secondHigher, againstLesson5: .firstHigher)
        #expect(
            text.contains("The three biases alone (0.9600) go most of the way from the movie mean (1.0200) to lesson 5's factor models (0.9300 and 0.9400)"))
        #expect(!text.contains("%") && !text.contains("even lesson 5's") && !text.contains("do no better"))
    }

    @Test("biases go part of the way, as a percentage")
    func biasesPartOfTheWay() {
        // Best of lesson 5: 0.92. Share = (1.02 − 1.00) / (1.02 − 0.92) = 0.02 / 0.10 = 0.20: "20%".
        let text = Lesson6.biasesReading(
            biases: 1.00, movieMean: 1.02, batchGD: 0.92, plainSGD: 0.94, againstMovieMean: .secondHigher, againstLesson5: .firstHigher)
        #expect(text.contains("The three biases alone (1.0000) go 20% of the way from the movie mean (1.0200)"))
        #expect(!text.contains("most of the way") && !text.contains("even lesson 5's"))
    }

    @Test("biases within the noise of lesson 5's best model, even a little below it")
    func biasesTieLesson5() {
        let text = Lesson6.biasesReading(biases: 0.949, movieMean: 1.02, batchGD: 0.95, plainSGD: 0.97, againstMovieMean: .secondHigher, againstLesson5: .tie)
        #expect(!text.contains("even lesson 5's factor models"))
        #expect(text.contains("beat the movie mean (1.0200) and are within the noise of lesson 5's best factor model (0.9500 and 0.9700)"))
    }

    // MARK: standingApart

    @Test("a setting far above the rest, stopped early, is named; a grid without one says nothing")
    func standingApart() {
        func tried(_ k: Int, _ lambda: Double, _ rmse: Double, _ epoch: Int) -> TriedSetting {
            TriedSetting(k: k, lambda: lambda, rate: 0.005, epoch: epoch, rmse: rmse, curve: [])
        }
        let grid = [
            tried(50, 0.06, 0.9121, 72), tried(50, 0.08, 0.9105, 94), tried(50, 0.1, 0.9401, 24),
            tried(300, 0.06, 0.9100, 80), tried(300, 0.08, 0.9090, 90), tried(300, 0.1, 0.9095, 99)
        ]
        let text = Lesson6.standingApart(grid, patience: 8)
        #expect(text.contains("k = 50, λ = 0.1, learning rate 0.005 (0.9401 after epoch 24) stands apart from the others (0.9090 to 0.9121)"), "\(text)")
        #expect(text.contains("early stopping ended it 8 epochs later"))
        #expect(Lesson6.standingApart(Array(grid.prefix(2)) + Array(grid.suffix(3)), patience: 8).isEmpty)
    }

    // MARK: mostAccurateReading

    @Test("the winner has factors on top of biases")
    func winnerWithFactorsOnBiases() {
        let text = Lesson6.mostAccurateReading("biased SGD MF (chosen)", hasFactorsOnBiases: true)
        #expect(text == "Factors on top of biases do best: the most accurate method here is biased SGD MF (chosen).")
    }

    @Test("the winner has no factors on top of biases, and another is within the noise of it")
    func winnerWithoutFactorsOnBiases() {
        #expect(Lesson6.mostAccurateReading("ALS", hasFactorsOnBiases: false) == "The most accurate method here is ALS.")
        let tied = Lesson6.mostAccurateReading("SVD++", tied: ["biased SGD MF (chosen)"], hasFactorsOnBiases: true)
        #expect(
            tied
                == "Factors on top of biases do best: the most accurate method here is SVD++, but biased SGD MF (chosen) is within the noise of it (compared rating by rating)."
        )
    }

    // MARK: finalModelReading

    @Test("final model on one fold")
    func finalModelOneFold() {
        let text = Lesson6.finalModelReading("biased SGD MF", testRMSEPerFold: [0.9123], on: "u1")
        #expect(text.hasSuffix("has a test RMSE of 0.9123 on u1."))
        #expect(!text.contains("averaged over the five folds"))
        #expect(!text.contains("hardest"))
    }

    @Test("final model on five folds, u1 the hardest")
    func finalModelFiveFoldsU1Hardest() {
        // 0.93 is the largest; mean = (0.93 + 0.91 + 0.92 + 0.90 + 0.915) / 5 = 4.575 / 5 = 0.9150.
        let text = Lesson6.finalModelReading("biased SGD MF", testRMSEPerFold: [0.93, 0.91, 0.92, 0.90, 0.915], on: "u1")
        #expect(text.hasSuffix("has a test RMSE of 0.9300 on u1 and 0.9150 averaged over the five folds (u1 is the hardest of the five)."))
    }

    @Test("final model on five folds, u1 not the hardest")
    func finalModelFiveFoldsU1NotHardest() {
        // 0.94 (u5) is the largest; mean = (0.91 + 0.93 + 0.92 + 0.90 + 0.94) / 5 = 4.60 / 5 = 0.9200.
        let text = Lesson6.finalModelReading("biased SGD MF", testRMSEPerFold: [0.91, 0.93, 0.92, 0.90, 0.94], on: "u1")
        #expect(text.hasSuffix("has a test RMSE of 0.9100 on u1 and 0.9200 averaged over the five folds."))
        #expect(!text.contains("hardest"))
    }

    // MARK: targetReading

    @Test("u1 reaches the course's target")
    func targetReached() {
        let text = Lesson6.targetReading(u1: 0.91)
        #expect(text.contains("This course aimed for 0.915 on u1 and reaches it."))
        #expect(!text.contains("comes within"))
    }

    @Test("u1 misses the course's target")
    func targetMissed() {
        // 0.9273 − 0.915 = 0.0123.
        let text = Lesson6.targetReading(u1: 0.9273)
        #expect(text.contains("This course aimed for 0.915 on u1 and comes within 0.0123 of it."))
        #expect(!text.contains("reaches it"))
    }

    // MARK: agreement

    @Test("the update and the kernel agree")
    func updateAgrees() {
        // Identical RMSEs: the difference 0 is shown as its floor, 1e-16.
        let text = Lesson6.agreement(update: 0.9412, kernel: 0.9412)
        #expect(text.hasPrefix("The two agree to 1e-16: the same arithmetic"))
        #expect(!text.contains("differ"))
    }

    @Test("the update and the kernel differ")
    func updateDiffers() {
        // |0.95 − 0.93| = 0.02.
        let text = Lesson6.agreement(update: 0.95, kernel: 0.93)
        #expect(text.hasPrefix("The two differ by 0.02: `swift run lesson-6 --check` shows where the update goes wrong."))
        #expect(!text.contains("agree"))
    }

    // MARK: memorizing

    @Test("the validation curve turns up: memorizing")
    func memorizingSeen() {
        // Lowest 0.94 at epoch 3 of 5; it ends at 0.96, 0.96 − 0.94 = 0.020 > 0.001.
        let text = Lesson6.memorizing(lambda: 0.01, validation: [0.99, 0.95, 0.94, 0.95, 0.96])
        #expect(
            text.contains(
                "Here, with λ = 0.01, the validation RMSE is lowest after epoch 3 and then rises by 0.020 while the training RMSE goes on falling: memorizing.")
        )
        #expect(!text.contains("has not turned up"))
    }

    @Test("the validation curve is still falling at the last epoch")
    func memorizingNotYetStillFalling() {
        // Lowest at the last of 3 epochs.
        let text = Lesson6.memorizing(lambda: 0.01, validation: [0.99, 0.97, 0.96])
        #expect(text.contains("Here, with λ = 0.01, the validation RMSE has not turned up within 3 epochs"))
        #expect(!text.contains("memorizing."))
        #expect(!text.contains("rises by"))
    }

    @Test("a rise of under 0.001 does not count as memorizing")
    func memorizingNotYetTinyRise() {
        // Lowest 0.95 at epoch 2 of 3, but 0.9504 − 0.95 = 0.0004 ≤ 0.001.
        let text = Lesson6.memorizing(lambda: 0.1, validation: [0.99, 0.95, 0.9504])
        #expect(text.contains("Here, with λ = 0.1, the validation RMSE has not turned up within 3 epochs"))
        #expect(!text.contains("rises by"))
    }

    // MARK: implicitReading

    @Test("implicit feedback helps on validation")
    func implicitHelps() {
        // 0.9350 < 0.9400.
        let text = Lesson6.implicitReading(plain: (rmse: 0.9400, epoch: 20), implicit: (rmse: 0.9350, epoch: 12), seconds: 1.5)
        #expect(text.contains("Implicit feedback lowers the validation RMSE from 0.9400 to 0.9350"))
        #expect(text.contains("after 12 epochs instead of 20 (1.50 s for this run): the final model uses it."))
        #expect(!text.contains("does not help"))
        #expect(!text.contains("plain biased matrix factorization"))
    }

    @Test("implicit feedback does not help on validation")
    func implicitDoesNotHelp() {
        // 0.9450 > 0.9400.
        let text = Lesson6.implicitReading(plain: (rmse: 0.9400, epoch: 20), implicit: (rmse: 0.9450, epoch: 12), seconds: 1.5)
        #expect(text.contains("Here implicit feedback does not help on validation (0.9450 against 0.9400)"))
        #expect(text.contains("final model is plain biased matrix factorization"))
        #expect(!text.contains("lowers the validation RMSE"))
        #expect(!text.contains("the final model uses it"))
    }

    // MARK: foldInAgainstRetraining

    @Test("fold-in against retraining with top-10 lists to compare")
    func foldInWithOverlap() {
        // 0.0042 s = 4.2 ms; 12.34 s is written "12.3 s".
        let text = Lesson6.foldInAgainstRetraining(
            foldSeconds: 0.0042, k: 50, retrainSeconds: 12.34, overlap: 7, movies: 1682,
            differenceRMSE: 0.1234)
        #expect(text.contains("Fold-in took 4.2 ms (k = 50), retraining 12.3 s. The two top-10 lists share 7 movies,"))
        #expect(text.contains("and over all 1682 movies their predictions for the new user differ by 0.123 stars (RMSE)."))
        #expect(!text.contains("Over all"))
    }

    @Test("fold-in against retraining with nothing to recommend")
    func foldInWithoutOverlap() {
        let text = Lesson6.foldInAgainstRetraining(
            foldSeconds: 0.0042, k: 50, retrainSeconds: 3.25, overlap: nil, movies: 1682,
            differenceRMSE: 0.1234)
        #expect(text.contains("Fold-in took 4.2 ms (k = 50), retraining 3.25 s."))
        #expect(text.contains("Over all 1682 movies their predictions for the new user differ by 0.123 stars (RMSE)."))
        #expect(!text.contains("top-10 lists share"))
        #expect(!text.contains("and over all"))
    }
}
