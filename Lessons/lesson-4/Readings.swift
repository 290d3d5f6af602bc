// Lesson 4's sentences that depend on the numbers: each is computed from them, so it is true for every seed.

import Foundation
import LessonKit
import TextOutput

/// What the k comparison shows, read from each k's final training MSE and hidden-cell RMSE (diverged runs are absent).
func kComparisonReading(_ finals: [Int: (training: Double, hidden: Double)]) -> String {
    guard let atRank = finals[3] else {
        return "The true rank is 3; add k = 3 to the list (--k 1,2,3,5,8) to see what happens below, at and above it."
    }
    var sentences = [String]()
    let below = finals.keys.filter { $0 < 3 }.sorted(), above = finals.keys.filter { $0 > 3 }.sorted()
    if !below.isEmpty {
        let worse = below.filter { finals[$0]!.training > atRank.training }
        sentences.append(
            worse.count == below.count
                ? "With k below the true rank 3 (\(below.map { "k = \($0)" }.joined(separator: ", "))) the model fits even the observed cells worse than at k = 3: too few factors cannot explain them."
                : "Below the true rank 3, \(below.filter { !worse.contains($0) }.map { "k = \($0)" }.joined(separator: ", ")) still fits the observed cells as well as k = 3 here: SGD at k = 3 has not converged."
        )
    }
    if !above.isEmpty {
        let lower = above.filter { finals[$0]!.training < atRank.training }
        let hiddenBetter = above.filter { finals[$0]!.hidden < 0.9 * atRank.hidden }
        let trainingPart =
            lower.count == above.count
            ? "above it the training error keeps falling (\(above.map { "k = \($0)" }.joined(separator: ", ")))"
            : "above it the training error does not always fall further"
        let hiddenPart =
            hiddenBetter.isEmpty
            ? "the hidden cells gain little or get worse (RMSE \(above.map { "\(finals[$0]!.hidden, digits: 3)" }.joined(separator: ", ")) against \(atRank.hidden, digits: 3) at k = 3): more capacity is not more knowledge"
            : "the hidden cells improve by more than 10% for \(hiddenBetter.map { "k = \($0)" }.joined(separator: ", ")): with these settings k = 3 has not finished learning"
        sentences.append(trainingPart.prefix(1).uppercased() + trainingPart.dropFirst() + ", and " + hiddenPart + ".")
    }
    return sentences.isEmpty ? "Only k = 3 ran; add other values to compare." : sentences.joined(separator: " ")
}

/// Whether the validation column and the hidden-cell column rank the values of reg alike.
func rankingAgreement(grid: [Double], validation: [Double], hidden: [Double], validationCells: Int) -> String {
    func order(_ values: [Double]) -> [Int] { values.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 } }
    let byValidation = order(validation), byHidden = order(hidden)
    if byValidation == byHidden { return "Here the two columns rank all \(grid.count) values of reg in the same order." }
    if byValidation[0] == byHidden[0] {
        return "Here both columns pick reg = \(grid[byValidation[0]]), though they order some of the other values differently."
    }
    return """
        Here they disagree: validation picks reg = \(grid[byValidation[0]]), the hidden cells would pick \(grid[byHidden[0]]) \
        (hidden RMSE \(hidden[byValidation[0]], digits: 4) against \(hidden[byHidden[0]], digits: 4)). With only \(validationCells) \
        validation cells the estimate is noisy; that is the price of not peeking.
        """
}

/// What the position of the best reg in the grid says: at its top, at its bottom, or inside.
func whereTheMinimumLies(best: Int, of count: Int) -> String {
    if best == count - 1 {
        return """
            The largest value tried wins: with these settings the factors overfit the few training cells unless they are
            held back hard. A wider grid (larger reg) would be the next thing to try.
            """
    }
    if best == 0 {
        return """
            The smallest value tried wins: this matrix has no noise, so there is nothing to overfit, and every bit of
            shrinkage only pulls the factors away from the truth. On real ratings, which are noisy, too little
            regularization lets the factors chase the noise and the curve has its minimum inside the grid (lesson 6).
            """
    }
    return """
        Too little regularization and the factors chase the training cells; too much and they are pulled toward zero
        and underfit. The minimum in between is the value to keep.
        """
}

/// How well the hidden cells were filled in: the hidden RMSE against the observed one and against the spread of R
/// (a guess of the mean would score about the spread), and whether k factors can explain a rank-3 matrix.
func fillingIn(hidden: Double, observed: Double, spread: Double, k: Int) -> String {
    let guess =
        hidden < 0.5 * spread
        ? "Still, that is far better than a guess"
        : hidden < spread
            ? "That is better than a guess, though not by much"
            : "That is no better than a guess"
    let rank =
        k >= 3
        ? "The true matrix has rank 3, so \(k) factors per row and column are enough to explain it, if the observed cells pin them down."
        : "The true matrix has rank 3, so \(k) factor\(k == 1 ? "" : "s") per row and column cannot explain all of it."
    return """
        The hidden cells are predicted about \(hidden / max(observed, 1e-12), digits: 1) times less
        accurately than the observed ones. \(guess):
        the values of R have a standard deviation of about \(spread, digits: 2)\(hidden < spread ? "" : ", so with these settings the blanks are not filled in usefully"). \(rank)
        """
}

/// What the biases do to the hidden cells (`cells` observed cells to fit them from).
func whatTheBiasesDo(biasedHidden: Double, plainHidden: Double, cells: Int) -> String {
    biasedHidden > plainHidden
        ? "Here the biases even make the hidden cells worse: \(20 + 15 + 1) more parameters fitted from the same \(cells) cells, with no structure to find. On MovieLens (lesson 6) they are among the most useful parameters of all."
        : biasedHidden == plainHidden
            ? "Here the biases neither help nor hurt on the hidden cells."
            : "Here the biases help a little on the hidden cells."
}

/// Why some values of k diverged (nil when none did). The reason given for the growth, too few factors, is said only
/// when every diverged k is below the true rank 3.
func divergenceReading(_ diverged: [(k: Int, epoch: Int)], learningRate: Double) -> String? {
    guard !diverged.isEmpty else { return nil }
    let which = diverged.map { "k = \($0.k) (at epoch \($0.epoch))" }.joined(separator: " and ")
    let why = diverged.allSatisfy { $0.k < 3 } ? " (perhaps because fewer factors than the true rank 3 must each grow larger to fit the ratings)" : ""
    return """
        SGD diverged for \(which): the loss grew until it overflowed. Each update grows with the factors it multiplies,
        and at lr = \(learningRate) a run whose factors grow large enough overshoots, over and over\(why). A numpy loop with
        the same seed and settings makes the same updates, so it diverges at the same epoch. A smaller --learning-rate
        tames it.
        """
}

/// The first epoch whose MSE differs beyond rounding (relative 10⁻⁹), or where one list ends before the other; nil when none.
func firstDifference(_ a: [Double], _ b: [Double]) -> Int? {
    let differs = zip(a, b).map { abs($0.0 - $0.1) > 1e-9 * max(1, abs($0.1)) }
    if let first = differs.firstIndex(of: true) { return first }
    return a.count == b.count ? nil : min(a.count, b.count)
}

/// Whose numbers these are: the numpy notebook's only when the run uses its seed (42) and its settings and the epochs
/// give the course's own losses; a learner's `sgdEpoch` that gives other losses is told so, with both first epochs.
/// `course` is nil when the epochs were the course's own.
func notebookReading(seed: UInt32, notebookSettings: Bool, yours: [Double], course: [Double]?) -> String {
    if let course, let difference = firstDifference(yours, course) {
        let theirs = difference < course.count ? "\(course[difference], digits: 10)" : "no value"
        let mine = difference < yours.count ? "\(yours[difference], digits: 10)" : "no value"
        return "Your `sgdEpoch` gives other numbers than the course's: after epoch \(difference + 1) the MSE is \(mine) where the course's "
            + "epochs give \(theirs). `swift run lesson-4 --check` shows where your cell differs."
    }
    guard notebookSettings else {
        return "With the notebook's settings (`swift run lesson-4` with no options) these would be the numpy notebook's own numbers; this run changes them."
    }
    return seed == 42
        ? "These are the numpy notebook's own numbers: same seed, same draws, same order of updates."
        : "With the notebook's seed, `--seed 42`, these are the numpy notebook's own numbers; this run draws with seed \(seed), as the notebook would if reseeded."
}
