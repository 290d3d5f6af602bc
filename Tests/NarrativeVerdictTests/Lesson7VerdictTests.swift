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
        let text = folded(
            Lesson7.verdict(
                best: .init(kind: Self.userBaseline, k: 60, rmse: 0.9250),
                bestItem: .init(kind: Self.itemBaseline, k: 40, rmse: 0.9300),
                baselineRMSE: 0.9500, cosineIsWeakest: true))
        #expect(
            text.contains(
                "The lowest validation RMSE is user-user, pearson-baseline's, with k = 60 (0.9250, against 0.9500 for the baseline alone); the best item-item model is item-item, pearson-baseline with k = 40 (0.9300)."
            ), "\(text)")
        #expect(text.contains("The raw cosine is the weakest item-item measure here, worse than both others by more than the noise"))
        #expect(!text.contains("not clearly the weakest") && !text.contains("within the noise of it"))
    }

    @Test("an item-item winner with a model within the noise of it; cosine not clearly the weakest")
    func verdictCosineBest() {
        let winner = NeighbourChoice.Candidate(kind: Self.itemCosine, k: 20, rmse: 0.9400)
        let text = folded(
            Lesson7.verdict(
                best: winner, bestItem: winner, baselineRMSE: 0.9500, tiedWithBest: ["item-item, pearson"],
                cosineIsWeakest: false))
        #expect(
            text.contains(
                "The lowest validation RMSE is item-item, cosine's, with k = 20 (0.9400, against 0.9500 for the baseline alone); item-item, pearson is within the noise of it"
            ))
        #expect(text.contains("Here the raw cosine is not clearly the weakest item-item measure"))
        #expect(!text.contains("the best item-item model is") && !text.contains("The raw cosine is the weakest"))
    }

    @Test("with errors measured rating by rating, a small RMSE gap is a tie and cosine is not the weakest; a consistent one is")
    func verdictPaired() {
        let rmse: [NeighbourKind: [Double]] = [Self.itemCosine: [0.950, 0.945], Self.itemPearson: [0.960, 0.944], Self.itemBaseline: [0.935, 0.930]]
        // Cosine's errors differ from Pearson's by +0.01 or −0.01 in turn: a mean of 0, a tie; baseline Pearson is 0.05
        // lower on every rating.
        let pearson = (0..<40).map { _ in 0.9 }, cosine = (0..<40).map { 0.9 + ($0 % 2 == 0 ? 0.01 : -0.01) }
        let baseline = (0..<40).map { _ in 0.85 }
        let tie = NeighbourChoice(ks: [20, 40], rmse: rmse, errors: [Self.itemCosine: cosine, Self.itemPearson: pearson, Self.itemBaseline: baseline])
        #expect(!tie.cosineIsTheWeakestItemItemMeasure)
        #expect(tie.best.kind == Self.itemBaseline && tie.tiedWithBest.isEmpty)
        // Cosine 0.02 above Pearson on every rating: worse than both by more than the noise.
        let worse = NeighbourChoice(
            ks: [20, 40], rmse: rmse,
            errors: [
                Self.itemCosine: pearson.map { $0 + 0.02 }, Self.itemPearson: pearson,
                Self.itemBaseline: baseline
            ])
        #expect(worse.cosineIsTheWeakestItemItemMeasure)
        // Pearson within the noise of the best: named as tied with it.
        let close = NeighbourChoice(
            ks: [20, 40], rmse: rmse,
            errors: [
                Self.itemCosine: cosine, Self.itemPearson: baseline.enumerated().map { $0.element + ($0.offset % 2 == 0 ? 0.01 : -0.01) },
                Self.itemBaseline: baseline
            ])
        #expect(close.tiedWithBest == [Self.itemPearson])
    }

    @Test("without measured errors, the best RMSEs decide: cosine between Pearson and baseline Pearson is not the weakest")
    func verdictCosineInTheMiddle() {
        let rmse: [NeighbourKind: [Double]] = [
            Self.itemCosine: [0.950, 0.945], Self.itemPearson: [0.960, 0.955], Self.itemBaseline: [0.935, 0.930],
            NeighbourKind(side: .userUser, similarity: .cosine): [0.980, 0.975],
            NeighbourKind(side: .userUser, similarity: .pearson): [0.985, 0.980], Self.userBaseline: [0.970, 0.965]
        ]
        let choice = NeighbourChoice(ks: [20, 40], rmse: rmse)
        #expect(choice.best.kind == Self.itemBaseline && choice.best.k == 40)
        #expect(!choice.cosineIsTheWeakestItemItemMeasure)
        var weaker = rmse
        weaker[Self.itemPearson] = [0.945, 0.940]
        #expect(NeighbourChoice(ks: [20, 40], rmse: weaker).cosineIsTheWeakestItemItemMeasure)
    }

    // MARK: factorReading

    @Test("the factor explanation: the user's ratings against the movie, a little beside its bias, or as much")
    func factorReading() {
        let against = Lesson7.factorReading(score: 4.6, base: 4.69, bias: 1.16, shares: -0.09, ratings: 117)
        #expect(against.contains("The user's ratings argue against it"))
        // 0.06 is under a quarter of the bias 1.16: a little.
        let little = Lesson7.factorReading(score: 4.75, base: 4.69, bias: 1.16, shares: 0.06, ratings: 117)
        #expect(
            little.hasPrefix(
                "μ + b_i, what any user starts from for this movie, gives 4.69 (the movie's bias b_i is +1.16), and the user's 117 ratings add +0.06."))
        #expect(little.hasSuffix("Most of what lifts it above the global mean is the movie's bias; the user's ratings add a little to it."))
        // 0.30 is more than a quarter of the bias 1.07: not "a little".
        let much = Lesson7.factorReading(score: 4.89, base: 4.59, bias: 1.07, shares: 0.30, ratings: 90)
        #expect(much.hasSuffix("The user's ratings add a good part of the lift above the global mean, beside the movie's bias."))
        let theirs = Lesson7.factorReading(score: 4.5, base: 3.7, bias: 0.2, shares: 0.8, ratings: 90)
        #expect(theirs.hasSuffix("The user's ratings lift it more than the movie's bias does: the recommendation is theirs."))
    }

    // MARK: againstTheBaseline

    @Test("the test table read against the baseline: better, within the noise, worse; an empty group is not said")
    func testAgainstBaseline() {
        let all = Lesson7.againstTheBaseline(
            [
                ("item-item, pearson-baseline", .secondHigher), ("item-item, cosine", .tie),
                ("user-user, cosine", .firstHigher), ("user-user, pearson", .firstHigher)
            ], on: "u1")
        #expect(
            all
                == "Compared with the baseline rating by rating on u1: item-item, pearson-baseline beats the baseline by more than the noise; item-item, cosine is within the noise of it; user-user, cosine and user-user, pearson do worse than the baseline alone, by more than the noise."
        )
        let three = Lesson7.againstTheBaseline([("a", .secondHigher), ("b", .secondHigher), ("c", .tie)], on: "the test ratings")
        #expect(
            three
                == "Compared with the baseline rating by rating on the test ratings: a and b beat the baseline by more than the noise; c is within the noise of it."
        )
        #expect(
            Lesson7.againstTheBaseline([("a", .secondHigher), ("b", .secondHigher)], on: "u1")
                == "Compared with the baseline rating by rating on u1, every model here beats it by more than the noise.")
        #expect(
            Lesson7.againstTheBaseline([("a", .firstHigher)], on: "u1")
                == "Compared with the baseline rating by rating on u1, every model here does worse than it, by more than the noise.")
    }

    // MARK: againstSurprise

    @Test("better than Surprise on u1, no five-fold mean")
    func surpriseBetterOnU1() {
        // 0.9359 − 0.93 = 0.0059.
        let text = Lesson7.againstSurprise(chosenU1: 0.93, chosenMean: nil)
        #expect(text.contains("chosen item-item model gets 0.9300 on u1: better by 0.0059; run `--folds 5` for the five-fold mean."))
        #expect(!text.contains("worse by"))
        #expect(!text.contains("over the five folds ("))
    }

    @Test("within our own interval of Surprise on u1: level, not better")
    func surpriseWithinNoise() {
        let text = Lesson7.againstSurprise(chosenU1: 0.9340, halfWidth: 0.0040, chosenMean: nil)
        #expect(text.contains("gets 0.9340 on u1: level with it within the noise (0.0019 lower, inside the ±0.0040 interval of our own RMSE)"), "\(text)")
        #expect(!text.contains("better by"))
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

@Suite("lesson 7: the plain-Swift shrunkPearson against the fast table")
struct Lesson7ShrunkPearsonReadingTests {
    @Test("agreeing within 32-bit rounding, or differing and pointed at --check; yours or the course's named")
    func everyBranch() {
        let agree = Lesson7.shrunkPearsonReading(yours: true, largestGap: 3e-8)
        #expect(agree.hasPrefix("Your `shrunkPearson`") && agree.contains("agrees with the fast table to 3.0e-08") && !agree.contains("--check"))
        let course = Lesson7.shrunkPearsonReading(yours: false, largestGap: 3e-8)
        #expect(course.contains("the course's version until you write it") && course.contains("agrees"))
        let differs = Lesson7.shrunkPearsonReading(yours: true, largestGap: 0.2)
        #expect(differs.contains("differs from the fast table by up to 2.0e-01") && differs.contains("--check") && !differs.contains("agrees"))
    }

    // MARK: what the similarity tables keep

    @Test("storage: every neighbour kept on a small catalogue; only the best on a large one; heavy raters sampled or not")
    func storageReading() {
        let whole = Lesson7.storageReading(
            movies: 1682, kept: 1681, stored: 1682 * 949, bytes: 19_200_000, sampledUsers: 0, cap: 1000, ratingsLeftOut: 0, ratings: 72_000)
        #expect(whole.contains("keeps every movie it shares a rater with (949 on average)") && whole.contains("18.3 MB per measure"))
        #expect(whole.contains("dense 1682 × 1682 table would take 21.6 MB") && !whole.contains("sample"))
        let cut = Lesson7.storageReading(
            movies: 59_047, kept: 300, stored: 59_047 * 290, bytes: 205_000_000, sampledUsers: 120, cap: 1000, ratingsLeftOut: 260_000,
            ratings: 20_000_000)
        #expect(cut.contains("keeps only its 300 most similar movies (290 on average)") && cut.contains("would take 26.0 GB"))
        #expect(cut.contains("fewer than k") && cut.contains("the 120 raters with more than 1000 ratings") && cut.contains("1.3%"))
        #expect(cut.contains("--ratings-per-user 0"))
        let unsampled = Lesson7.storageReading(
            movies: 59_047, kept: 300, stored: 59_047 * 290, bytes: 205_000_000, sampledUsers: 0, cap: nil, ratingsLeftOut: 0, ratings: 20_000_000)
        #expect(!unsampled.contains("sample") && unsampled.contains("300 most similar"))
    }

    @Test("user by user: nothing said when every user keeps every neighbour and no movie is sampled; each cut said when made")
    func userUserReading() {
        #expect(Lesson7.userUserReading(users: 943, kept: 942, sampledMovies: 0, cap: 1000) == nil)
        let both = Lesson7.userUserReading(users: 162_541, kept: 300, sampledMovies: 2000, cap: 1000) ?? ""
        #expect(both.contains("each of the 162541 users keeps only their 300 most similar users") && both.contains("the 2000 movies with more than 1000"))
        let sampledOnly = Lesson7.userUserReading(users: 943, kept: 942, sampledMovies: 3, cap: 100) ?? ""
        #expect(!sampledOnly.contains("keeps only") && sampledOnly.contains("the 3 movies with more than 100 raters"))
    }
}
