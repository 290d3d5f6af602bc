// Lesson 4's result-dependent sentences (Lessons/lesson-4/Readings.swift), each branch driven by numbers made up here.
// For every case the words of the branch taken must be there and the words of the other branches must not.

@testable import lesson_4
import Testing

@Suite("Narrative verdicts: lesson 4")
struct NarrativeVerdictsLesson4 {
    // MARK: divergenceReading

    @Test("no divergence, no paragraph; too few factors is given as the reason only when every diverged k is below 3")
    func divergence() throws {
        #expect(divergenceReading([], learningRate: 0.05) == nil)
        let below = try #require(divergenceReading([(k: 1, epoch: 40), (k: 2, epoch: 90)], learningRate: 0.05))
        #expect(below.contains("SGD diverged for k = 1 (at epoch 40) and k = 2 (at epoch 90)"))
        #expect(below.contains("fewer factors than the true rank 3"))
        let above = try #require(divergenceReading([(k: 2, epoch: 7), (k: 8, epoch: 3)], learningRate: 0.5))
        #expect(above.contains("k = 8 (at epoch 3)") && above.contains("at lr = 0.5"))
        #expect(!above.contains("fewer factors"))
    }

    // MARK: kComparisonReading

    @Test("k comparison without k = 3 asks for it")
    func kComparisonWithoutTheTrueRank() {
        let text = kComparisonReading([1: (training: 0.5, hidden: 0.8), 5: (training: 0.01, hidden: 0.3)])
        #expect(text.hasPrefix("The true rank is 3; add k = 3 to the list"))
        #expect(!text.contains("Only k = 3 ran"))
        #expect(!text.contains("below the true rank"))
        #expect(!text.contains("Above it"))
    }

    @Test("k comparison with only k = 3 has nothing to compare")
    func kComparisonOnlyTheTrueRank() {
        let text = kComparisonReading([3: (training: 0.01, hidden: 0.3)])
        #expect(text == "Only k = 3 ran; add other values to compare.")
    }

    @Test("every k below 3 fits the observed cells worse")
    func kBelowAllWorse() {
        // k = 1: 0.50 > 0.01 and k = 2: 0.30 > 0.01, so both are worse than k = 3 on the training cells.
        let text = kComparisonReading([1: (training: 0.50, hidden: 0.80), 2: (training: 0.30, hidden: 0.60), 3: (training: 0.01, hidden: 0.30)])
        #expect(text.contains("With k below the true rank 3 (k = 1, k = 2) the model fits even the observed cells worse than at k = 3"))
        #expect(!text.contains("still fits the observed cells"))
        #expect(!text.contains("has not converged"))
        // Nothing above 3 ran: no sentence about it.
        #expect(!text.contains("bove it"))
    }

    @Test("a k below 3 that fits as well as k = 3 says SGD has not converged")
    func kBelowNotAllWorse() {
        // k = 1: 0.50 > 0.01 (worse); k = 2: 0.005 < 0.01 (not worse), so only k = 2 is named.
        let text = kComparisonReading([1: (training: 0.50, hidden: 0.80), 2: (training: 0.005, hidden: 0.40), 3: (training: 0.01, hidden: 0.30)])
        #expect(text.contains("Below the true rank 3, k = 2 still fits the observed cells as well as k = 3 here: SGD at k = 3 has not converged."))
        #expect(!text.contains("k = 1 still fits"))
        #expect(!text.contains("With k below the true rank 3"))
    }

    @Test("above 3 the training error keeps falling and the hidden cells gain little")
    func kAboveFallingNoGain() {
        // Training 0.005 and 0.002 are both below 0.01; hidden 0.310 and 0.320 are not below 0.9 × 0.300 = 0.270.
        let text = kComparisonReading([3: (training: 0.01, hidden: 0.300), 5: (training: 0.005, hidden: 0.310), 8: (training: 0.002, hidden: 0.320)])
        #expect(text.contains("Above it the training error keeps falling (k = 5, k = 8), and the hidden cells gain little or get worse"))
        #expect(text.contains("(RMSE 0.310, 0.320 against 0.300 at k = 3): more capacity is not more knowledge."))
        #expect(!text.contains("does not always fall further"))
        #expect(!text.contains("improve by more than 10%"))
    }

    @Test("above 3 the training error does not always fall and one k improves the hidden cells by over 10%")
    func kAboveNotFallingWithGain() {
        // Training at k = 5 is 0.02 > 0.01, so not every k above falls. Hidden: 0.260 < 0.270 = 0.9 × 0.300 (k = 5
        // counts), 0.280 ≥ 0.270 (k = 8 does not).
        let text = kComparisonReading([3: (training: 0.01, hidden: 0.300), 5: (training: 0.02, hidden: 0.260), 8: (training: 0.005, hidden: 0.280)])
        #expect(
            text.contains(
                "Above it the training error does not always fall further, and the hidden cells improve by more than 10% for k = 5: with these settings k = 3 has not finished learning."
            ))
        #expect(!text.contains("for k = 5, k = 8"))
        #expect(!text.contains("keeps falling"))
        #expect(!text.contains("gain little"))
    }

    @Test("below and above 3 together give two sentences")
    func kBelowAndAbove() {
        let text = kComparisonReading([2: (training: 0.30, hidden: 0.60), 3: (training: 0.01, hidden: 0.300), 5: (training: 0.005, hidden: 0.310)])
        #expect(
            text.contains(
                "With k below the true rank 3 (k = 2) the model fits even the observed cells worse than at k = 3: too few factors cannot explain them. Above it the training error keeps falling (k = 5)"
            ))
    }

    // MARK: rankingAgreement

    @Test("validation and hidden cells rank every reg alike")
    func rankingSameOrder() {
        // Both columns sort to indices [1, 0, 2].
        let text = rankingAgreement(grid: [0.01, 0.1, 1], validation: [0.50, 0.40, 0.60], hidden: [0.45, 0.35, 0.55], validationCells: 50)
        #expect(text == "Here the two columns rank all 3 values of reg in the same order.")
    }

    @Test("the two columns pick the same reg but order the rest differently")
    func rankingSameWinner() {
        // Validation sorts to [1, 0, 2], hidden to [1, 2, 0]: the same first, different after it.
        let text = rankingAgreement(grid: [0.01, 0.1, 1], validation: [0.50, 0.40, 0.60], hidden: [0.60, 0.35, 0.55], validationCells: 50)
        #expect(text.contains("Here both columns pick reg = 0.1, though they order some of the other values differently."))
        #expect(!text.contains("same order"))
        #expect(!text.contains("disagree"))
    }

    @Test("the two columns pick different values of reg")
    func rankingDisagree() {
        // Validation picks index 1 (0.40), the hidden cells index 0 (0.30); hidden RMSE at the validation pick is 0.35.
        let text = rankingAgreement(grid: [0.01, 0.1, 1], validation: [0.50, 0.40, 0.60], hidden: [0.30, 0.35, 0.55], validationCells: 50)
        #expect(text.contains("Here they disagree: validation picks reg = 0.1, the hidden cells would pick 0.01 (hidden RMSE 0.3500 against 0.3000)."))
        #expect(text.contains("With only 50 validation cells the estimate is noisy"))
        #expect(!text.contains("both columns pick"))
        #expect(!text.contains("same order"))
    }

    // MARK: whereTheMinimumLies

    @Test("best reg at the top of the grid")
    func minimumAtTheTop() {
        let text = whereTheMinimumLies(best: 8, of: 9)
        #expect(text.hasPrefix("The largest value tried wins"))
        #expect(!text.contains("The smallest value tried wins"))
        #expect(!text.contains("The minimum in between"))
    }

    @Test("best reg at the bottom of the grid")
    func minimumAtTheBottom() {
        let text = whereTheMinimumLies(best: 0, of: 9)
        #expect(text.hasPrefix("The smallest value tried wins"))
        #expect(!text.contains("The largest value tried wins"))
        #expect(!text.contains("The minimum in between"))
    }

    @Test("best reg inside the grid")
    func minimumInside() {
        let text = whereTheMinimumLies(best: 4, of: 9)
        #expect(text.contains("The minimum in between is the value to keep."))
        #expect(!text.contains("The largest value tried wins"))
        #expect(!text.contains("The smallest value tried wins"))
    }

    // MARK: fillingIn, whatTheBiasesDo

    @Test("filling in: far better than a guess, better but not by much, no better; enough factors or not")
    func fillingInBranches() {
        // spread 1.0: hidden 0.3 < 0.5 (far better), 0.8 < 1.0 (not by much), 1.2 ≥ 1.0 (no better). 0.3 / 0.1 = 3.0 times.
        let far = fillingIn(hidden: 0.3, observed: 0.1, spread: 1.0, k: 3)
        #expect(
            far.contains("about 3.0 times less") && far.contains("Still, that is far better than a guess")
                && far.contains("3 factors per row and column are enough") && !far.contains("not filled in usefully"))
        let near = fillingIn(hidden: 0.8, observed: 0.1, spread: 1.0, k: 2)
        #expect(
            near.contains("That is better than a guess, though not by much") && !near.contains("far better")
                && near.contains("2 factors per row and column cannot explain all of it"))
        let none = fillingIn(hidden: 1.2, observed: 0.1, spread: 1.0, k: 1)
        #expect(
            none.contains("That is no better than a guess") && none.contains("so with these settings the blanks are not filled in usefully")
                && none.contains("1 factor per row and column cannot"))
    }

    @Test("biases: worse, the same, or a little better on the hidden cells")
    func biasesBranches() {
        #expect(
            whatTheBiasesDo(biasedHidden: 0.30, plainHidden: 0.20, cells: 171).contains(
                "even make the hidden cells worse: 36 more parameters fitted from the same 171 cells"))
        #expect(whatTheBiasesDo(biasedHidden: 0.20, plainHidden: 0.20, cells: 171) == "Here the biases neither help nor hurt on the hidden cells.")
        #expect(whatTheBiasesDo(biasedHidden: 0.10, plainHidden: 0.20, cells: 171) == "Here the biases help a little on the hidden cells.")
    }
}

@Suite("lesson 4: whose numbers the losses are")
struct Lesson4NotebookReadingTests {
    @Test("the notebook's numbers only on its seed and settings and with the course's epochs; a learner's other losses are named")
    func everyBranch() {
        let course = [1.9731534485, 0.5, 0.0005330870]
        #expect(notebookReading(seed: 42, notebookSettings: true, yours: course, course: nil).hasPrefix("These are the numpy notebook's own numbers"))
        #expect(
            notebookReading(seed: 42, notebookSettings: true, yours: course, course: course).hasPrefix("These are the numpy notebook's own numbers"),
            "a learner's cell that reproduces the course's epochs")
        #expect(notebookReading(seed: 7, notebookSettings: true, yours: course, course: nil).contains("this run draws with seed 7"))
        #expect(notebookReading(seed: 42, notebookSettings: false, yours: course, course: nil).contains("this run changes them"))
        let wrong = notebookReading(seed: 42, notebookSettings: true, yours: [1.9748449850, 0.6, 0.001], course: course)
        #expect(
            wrong.hasPrefix(
                "Your `sgdEpoch` gives other numbers than the course's: after epoch 1 the MSE is 1.9748449850 where the course's epochs give 1.9731534485"),
            "\(wrong)")
        #expect(!wrong.contains("notebook's own numbers"))
        // Rounding is no difference; a list that stops early is.
        #expect(notebookReading(seed: 42, notebookSettings: true, yours: course.map { $0 * (1 + 1e-12) }, course: course).hasPrefix("These are"))
        #expect(notebookReading(seed: 42, notebookSettings: true, yours: Array(course.prefix(2)), course: course).contains("after epoch 3 the MSE is no value"))
    }
}
