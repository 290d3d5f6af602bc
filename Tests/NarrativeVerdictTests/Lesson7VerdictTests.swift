// Lesson 7's result-dependent sentences: the verdict on the number of neighbours (section 3) and the comparison with
// Surprise's KNNBaseline (section 4).

@testable import lesson_7
import CFCore
import Testing

@Suite("Narrative verdicts: lesson 7")
struct NarrativeVerdictsLesson7 {
    static let itemCosine = NeighbourKind(side: .itemItem, similarity: .cosine)
    static let itemPearson = NeighbourKind(side: .itemItem, similarity: .pearson)
    static let itemBaseline = NeighbourKind(side: .itemItem, similarity: .pearsonBaseline)
    static let userBaseline = NeighbourKind(side: .userUser, similarity: .pearsonBaseline)

    // MARK: verdict

    @Test("a user-user winner, the best item-item model named, cosine the weakest")
    func verdictUserUserWinner() {
        // Cosine's best 0.9600 > the best item-item RMSE 0.9300.
        let text = Lesson7.verdict(best: .init(kind: Self.userBaseline, k: 60, rmse: 0.9250),
                                   bestItem: .init(kind: Self.itemBaseline, k: 40, rmse: 0.9300),
                                   baselineRMSE: 0.9500, cosineIsWeakest: true)
        #expect(text.contains("The best on validation is user-user, pearson-baseline with k = 60 (RMSE 0.9250, against 0.9500"))
        #expect(text.contains("; the best item-item model is item-item, pearson-baseline with k = 40 (0.9300)."))
        #expect(text.contains("The raw cosine is the weakest item-item measure here, as the argument above expects."))
        #expect(!text.contains("is not the weakest"))
    }

    @Test("an item-item winner, cosine itself the best: not the weakest")
    func verdictCosineBest() {
        // best = bestItem, and cosine's best 0.9400 is that model's RMSE: not greater.
        let winner = NeighbourChoice.Candidate(kind: Self.itemCosine, k: 20, rmse: 0.9400)
        let text = Lesson7.verdict(best: winner, bestItem: winner, baselineRMSE: 0.9500, cosineIsWeakest: false)
        #expect(text.contains("The best on validation is item-item, cosine with k = 20 (RMSE 0.9400, against 0.9500"))
        #expect(text.contains("Here the raw cosine is not the weakest measure, whatever the argument above expects: look at the table."))
        #expect(!text.contains("the best item-item model is"))
        #expect(!text.contains("The raw cosine is the weakest"))
    }

    @Test("the choice the lesson makes, cosine between Pearson and baseline Pearson")
    func verdictCosineInTheMiddle() {
        // The lesson calls verdict with NeighbourChoice's best and bestItem and the minimum of the item-item cosine
        // row. Item-item bests: pearson-baseline 0.930, cosine 0.945, pearson 0.955: cosine is the middle measure,
        // Pearson the weakest. (Before the fix, cosine was compared with the best alone and called the weakest.)
        let rmse: [NeighbourKind: [Double]] = [
            Self.itemCosine: [0.950, 0.945], Self.itemPearson: [0.960, 0.955], Self.itemBaseline: [0.935, 0.930],
            NeighbourKind(side: .userUser, similarity: .cosine): [0.980, 0.975],
            NeighbourKind(side: .userUser, similarity: .pearson): [0.985, 0.980], Self.userBaseline: [0.970, 0.965],
        ]
        let choice = NeighbourChoice(ks: [20, 40], rmse: rmse)
        #expect(choice.best.kind == Self.itemBaseline && choice.best.k == 40)
        #expect(!choice.cosineIsTheWeakestItemItemMeasure)
        let text = Lesson7.verdict(best: choice.best, bestItem: choice.bestItem, baselineRMSE: 0.9500,
                                   cosineIsWeakest: choice.cosineIsTheWeakestItemItemMeasure)
        #expect(!text.contains("The raw cosine is the weakest item-item measure here"))
        #expect(text.contains("Here the raw cosine is not the weakest measure"))
        // With Pearson at 0.940 instead, cosine (0.945) is the weakest of the three.
        var weaker = rmse
        weaker[Self.itemPearson] = [0.945, 0.940]
        #expect(NeighbourChoice(ks: [20, 40], rmse: weaker).cosineIsTheWeakestItemItemMeasure)
    }

    // MARK: againstSurprise

    @Test("better than Surprise on u1, no five-fold mean")
    func surpriseBetterOnU1() {
        // 0.9359 − 0.93 = 0.0059.
        let text = Lesson7.againstSurprise(chosenU1: 0.93, chosenMean: nil)
        #expect(text.contains("chosen item-item model gets 0.9300 on u1: better by 0.0059 (run `--folds 5` for the five-fold mean)."))
        #expect(!text.contains("worse by"))
        #expect(!text.contains("over the five folds ("))
    }

    @Test("worse than Surprise on u1")
    func surpriseWorseOnU1() {
        // 0.95 − 0.9359 = 0.0141.
        let text = Lesson7.againstSurprise(chosenU1: 0.95, chosenMean: nil)
        #expect(text.contains("gets 0.9500 on u1: worse by 0.0141"))
        #expect(!text.contains("better by"))
    }

    @Test("better than Surprise over the five folds")
    func surpriseBetterOverFolds() {
        // u1: 0.95 − 0.9359 = 0.0141 worse; mean: 0.9204 − 0.91 = 0.0104 better.
        let text = Lesson7.againstSurprise(chosenU1: 0.95, chosenMean: 0.91)
        #expect(text.contains("on u1: worse by 0.0141, and 0.9100 over the five folds (better by 0.0104)."))
        #expect(!text.contains("(worse by"))
        #expect(!text.contains("run `--folds 5`"))
    }

    @Test("worse than Surprise over the five folds")
    func surpriseWorseOverFolds() {
        // u1: 0.9359 − 0.93 = 0.0059 better; mean: 0.93 − 0.9204 = 0.0096 worse.
        let text = Lesson7.againstSurprise(chosenU1: 0.93, chosenMean: 0.93)
        #expect(text.contains("on u1: better by 0.0059, and 0.9300 over the five folds (worse by 0.0096)."))
        #expect(!text.contains("(better by"))
    }

    @Test("level with Surprise on u1")
    func surpriseTieOnU1() {
        // 0.9359 is Surprise's own u1 RMSE (before the fix: "worse by 0.0000"); 0.92042 is level with 0.9204 to four decimals.
        let text = Lesson7.againstSurprise(chosenU1: 0.9359, chosenMean: 0.92042)
        #expect(!text.contains("worse by") && !text.contains("better by"))
        #expect(text.contains("on u1: level with it, and 0.9204 over the five folds (level with it)."))
    }
}
