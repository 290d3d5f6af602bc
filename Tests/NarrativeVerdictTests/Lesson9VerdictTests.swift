// Lesson 9's result-dependent sentences: what counts as an interaction (section 1), who beats popularity and where the
// rating model ranks (7), whether sampled metrics reorder the models (8) and how personal a new user's list is (9).
//
// RankingEvaluation has only the initializer that ranks a catalogue, so the evaluations here are built by ranking a
// tiny one with a scorer that puts a chosen movie first for each user, judged at k = 1: a user's NDCG is 1 when that
// movie is the held-out one and 0 otherwise, coverage is the share of movies that come first for somebody, and the
// popularity measures follow from the counts given.

import CFCore
@testable import lesson_9
import Testing

/// A sentence function's text with its line breaks and runs of spaces folded, as the notebook prints it.
func folded(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

@Suite("Narrative verdicts: lesson 9")
struct NarrativeVerdictsLesson9 {
    /// An evaluation in which user u's list starts with `firsts[u]`, user u held out `firsts[u]` when `hit[u]` (else
    /// another movie), over `catalogue` movies whose interaction counts are `popularity` (by default catalogue − i for
    /// movie i, so movie i has popularity rank i + 1). Judged at k = 1.
    static func evaluation(firsts: [Int], hit: [Bool], catalogue: Int, popularity: [Int]? = nil) throws -> RankingEvaluation {
        let users = firsts.count
        // One training interaction, of a user who is not evaluated: Ratings cannot be empty.
        let training = try Ratings(userCount: users + 1, itemCount: catalogue, ratings: [Rating(user: users, item: 0, value: 1)])
        let heldOut = try Ratings(
            userCount: users + 1, itemCount: catalogue,
            ratings: firsts.indices.map { u in
                Rating(user: u, item: hit[u] ? firsts[u] : (firsts[u] + 1) % catalogue, value: 1)
            })
        let counts = popularity ?? (0..<catalogue).map { catalogue - $0 }
        return RankingEvaluation(
            { user, scores in
                for i in scores.indices { scores[i] = i == firsts[user] ? 1 : 0 }
            }, training: training, heldOut: heldOut, k: 1, curveLength: 1, popularity: counts, threads: 1)
    }

    /// An evaluation of `users` users whose NDCG@1 is `hits` / `users`: the first `hits` users find their movie.
    static func evaluation(hits: Int, of users: Int = 20) throws -> RankingEvaluation {
        try evaluation(firsts: Array(repeating: 0, count: users), hit: (0..<users).map { $0 < hits }, catalogue: 2)
    }

    @Test("the hand-built evaluations have the numbers the tests below assume")
    func evaluationsAreAsBuilt() throws {
        let e = try Self.evaluation(hits: 4)
        #expect(e.users.count == 20)
        #expect(e.ndcg == 0.2)
        // p = 0.2 over 20 users: 1.96 × √(p(1 − p) / 19) = 1.96 × √(0.16 / 19) ≈ 0.1799.
        #expect(abs(e.ndcgInterval - 0.1799) < 1e-4)
        let lean = try Self.evaluation(firsts: [0, 0, 0, 0, 0, 0, 1, 2, 3, 4], hit: Array(repeating: true, count: 10), catalogue: 10)
        #expect(lean.coverage == 0.5)
        #expect(lean.popularShare == 0.6)
        // Ranks 1 × 6, then 2, 3, 4, 5: (6 + 14) / 10 = 2.
        #expect(lean.meanPopularityRank == 2)
    }

    // MARK: reading

    @Test("with a threshold only good ratings are interactions")
    func readingWithThreshold() {
        let text = Lesson9.reading(4)
        #expect(text.hasPrefix("only a rating of 4 stars or more counts as an interaction"))
        #expect(!text.contains("every rating is an interaction"))
    }

    @Test("without a threshold every rating is an interaction")
    func readingWithoutThreshold() {
        let text = Lesson9.reading(nil)
        #expect(text.hasPrefix("every rating is an interaction, whatever its stars"))
        #expect(!text.contains("or more counts"))
    }

    // MARK: unevenness

    @Test(
        "a top tenth holding more than 30% of the interactions is very uneven; 30% or less is fairly even",
        arguments: [
            (0.52, "very uneven", "52%"), (0.31, "very uneven", "31%"), (0.30, "fairly even", "30%"), (0.12, "fairly even", "12%")
        ])
    func unevenness(share: Double, words: String, percent: String) {
        let text = Lesson9.unevenness(topTenthShare: share)
        #expect(text.hasPrefix("Interactions are \(words): the most watched tenth of the movies holds \(percent) of them."), "\(text)")
        #expect(["very uneven", "fairly even"].filter(text.contains).count == 1)
    }

    // MARK: whoBeatsPopularity

    // The models here hit for the first h of 20 users, so two of them differ on |h₁ − h₂| users: the paired mean
    // difference is p = |h₁ − h₂| / 20 and its half-width 1.96 √(p(1 − p) / 19): 0.1349 for p = 0.1, 0.0980 for 0.05,
    // 0.1799 for 0.2, 0.2145 for 0.35, 0.2203 for 0.6. A difference of one or two users is a tie; four or more is not.

    @Test("weighted ALS beats popularity by more than the noise, BPR ties with it")
    func beatsAndTies() throws {
        // Weighted ALS − popularity: 12 users, 0.6 > 0.2203. BPR − popularity: 2 users, 0.1 < 0.1349. ALS − BPR: 0.5.
        let row: [Model: RankingEvaluation] = [
            .popularity: try Self.evaluation(hits: 4), .weightedALS: try Self.evaluation(hits: 16),
            .bpr: try Self.evaluation(hits: 6)
        ]
        let text = Lesson9.whoBeatsPopularity(on: "the random protocol", top: 10, row)
        #expect(
            text
                == "On the random protocol, weighted ALS ranks best (NDCG@10 0.8000); weighted ALS beats popularity (0.2000) by more than the noise; BPR is tied with popularity within the noise."
        )
    }

    @Test("the top is shared when the runner-up is within the noise; both beat popularity")
    func sharedTop() throws {
        // Weighted ALS − BPR: 2 users, 0.1 < 0.1349: tied at the top. Both beat popularity by 12 and 14 users.
        let row: [Model: RankingEvaluation] = [
            .popularity: try Self.evaluation(hits: 2), .weightedALS: try Self.evaluation(hits: 16),
            .bpr: try Self.evaluation(hits: 14)
        ]
        let text = Lesson9.whoBeatsPopularity(on: "leave last out", top: 10, row)
        #expect(
            text
                == "On leave last out, weighted ALS has the highest NDCG@10 (0.8000), but BPR is tied with it within the noise (0.7000); weighted ALS and BPR beat popularity (0.1000) by more than the noise."
        )
        #expect(!text.contains("ranks best"))
    }

    @Test("everything within the noise: the top is shared with popularity, and both trained models tie with it")
    func allTied() throws {
        let row: [Model: RankingEvaluation] = [
            .popularity: try Self.evaluation(hits: 8), .weightedALS: try Self.evaluation(hits: 10),
            .bpr: try Self.evaluation(hits: 9)
        ]
        let text = Lesson9.whoBeatsPopularity(on: "the random protocol", top: 10, row)
        #expect(
            text
                == "On the random protocol, weighted ALS has the highest NDCG@10 (0.5000), but popularity and BPR are tied with it within the noise (0.4000, 0.4500); weighted ALS and BPR are tied with popularity (0.4000) within the noise."
        )
        #expect(!text.contains("by more than the noise"))
    }

    @Test("popularity ranks best and both trained models do worse by more than the noise")
    func popularityBest() throws {
        // Popularity − weighted ALS: 4 users, 0.2 > 0.1799; − BPR: 6 users.
        let row: [Model: RankingEvaluation] = [
            .popularity: try Self.evaluation(hits: 10), .weightedALS: try Self.evaluation(hits: 6),
            .bpr: try Self.evaluation(hits: 4)
        ]
        let text = Lesson9.whoBeatsPopularity(on: "the random protocol", top: 10, row)
        // Popularity's NDCG is given once, with "ranks best", and not repeated in the last clause.
        #expect(
            text == "On the random protocol, popularity ranks best (NDCG@10 0.5000); weighted ALS and BPR do worse than popularity, by more than the noise.")
    }

    @Test("another model ranks best; the trained ones tie with popularity, one a user above it and one a user below")
    func tiesAboveAndBelow() throws {
        let row: [Model: RankingEvaluation] = [
            .popularity: try Self.evaluation(hits: 4), .itemItem: try Self.evaluation(hits: 12),
            .weightedALS: try Self.evaluation(hits: 5), .bpr: try Self.evaluation(hits: 3)
        ]
        let text = Lesson9.whoBeatsPopularity(on: "the random protocol", top: 10, row)
        #expect(
            text == "On the random protocol, item-item ranks best (NDCG@10 0.6000); weighted ALS and BPR are tied with popularity (0.2000) within the noise.")
    }

    @Test("a model below popularity by more than the noise, another above it")
    func aboveAndBelow() throws {
        let row: [Model: RankingEvaluation] = [
            .popularity: try Self.evaluation(hits: 10), .weightedALS: try Self.evaluation(hits: 18),
            .bpr: try Self.evaluation(hits: 2)
        ]
        let text = Lesson9.whoBeatsPopularity(on: "the random protocol", top: 10, row)
        #expect(
            text
                == "On the random protocol, weighted ALS ranks best (NDCG@10 0.9000); weighted ALS beats popularity (0.5000) by more than the noise; BPR does worse than popularity, by more than the noise."
        )
    }

    // MARK: whatTheDataAllows

    @Test("popularity wins everywhere on synthetic data: the reason is given")
    func dataAllowsSyntheticPopularityWins() throws {
        let row: [Model: RankingEvaluation] = [
            .popularity: try Self.evaluation(hits: 10), .weightedALS: try Self.evaluation(hits: 6),
            .bpr: try Self.evaluation(hits: 10)
        ]
        let text = folded(Lesson9.whatTheDataAllows(results: [row, row], synthetic: true))
        #expect(text.contains("That is what this data allows: the synthetic generator picks which movies a person rates by popularity alone"))
        #expect(text.contains("A difference inside it is noise, and is called a tie."))
    }

    @Test("popularity wins everywhere on real data: no synthetic reason")
    func dataAllowsRealPopularityWins() throws {
        let row: [Model: RankingEvaluation] = [
            .popularity: try Self.evaluation(hits: 10), .weightedALS: try Self.evaluation(hits: 6),
            .bpr: try Self.evaluation(hits: 4)
        ]
        let text = folded(Lesson9.whatTheDataAllows(results: [row], synthetic: false))
        #expect(!text.contains("synthetic generator"))
        #expect(text.contains("The ± column is 1.96 standard errors of the mean over users"))
    }

    @Test("a trained model beats popularity on one protocol of synthetic data: no synthetic reason")
    func dataAllowsSyntheticPopularityLosesOnce() throws {
        let wins: [Model: RankingEvaluation] = [
            .popularity: try Self.evaluation(hits: 10), .weightedALS: try Self.evaluation(hits: 6),
            .bpr: try Self.evaluation(hits: 4)
        ]
        // Here BPR 16/20 beats popularity's 10/20 by 6 users, more than the noise.
        let loses: [Model: RankingEvaluation] = [
            .popularity: try Self.evaluation(hits: 10), .weightedALS: try Self.evaluation(hits: 6),
            .bpr: try Self.evaluation(hits: 16)
        ]
        let text = folded(Lesson9.whatTheDataAllows(results: [wins, loses], synthetic: true))
        #expect(!text.contains("synthetic generator"))
        #expect(text.contains("The ± column is 1.96 standard errors of the mean over users"))
    }

    // MARK: whereTheRatingModelRanks

    @Test("rating model below popularity, lifted by the filter but still below")
    func ratingModelBelowLiftedStillBelow() throws {
        // Rating 1 hit of 20 against popularity's 12: 11 users, below. Filtered 6: 5 users above the rating model (0.25 >
        // 0.1947), lifted; 6 users under popularity (0.3 > 0.206), still below.
        let text = folded(
            Lesson9.whereTheRatingModelRanks(
                try Self.evaluation(hits: 1), filtered: try Self.evaluation(hits: 6),
                popularity: try Self.evaluation(hits: 12), best: try Self.evaluation(hits: 16),
                rareLists: 3, minimum: 20, top: 10))
        #expect(
            text.contains(
                "On the random protocol the rating model ranks below popularity, by more than the noise (NDCG@10 0.0500 against popularity's 0.6000; the better of weighted ALS and BPR reaches 0.8000)."
            ), "\(text)")
        #expect(text.contains("3 of the 20 users' lists hold a"))
        #expect(text.contains("lifts it to 0.3000, still below popularity:"))
        #expect(!text.contains("ranks above popularity") && !text.contains("ranks level"))
        #expect(!text.contains("Microsoft"))
    }

    @Test("rating model below popularity, lifted above it by the filter; on MovieLens 100K the benchmark is quoted")
    func ratingModelBelowLiftedAbove() throws {
        // Rating 1 against popularity 8: 7 users (0.35 > 0.2145), below. Filtered 16: 8 users above popularity, above.
        let text = folded(
            Lesson9.whereTheRatingModelRanks(
                try Self.evaluation(hits: 1), filtered: try Self.evaluation(hits: 16),
                popularity: try Self.evaluation(hits: 8), best: try Self.evaluation(hits: 18),
                rareLists: 3, minimum: 20, top: 10, published100K: true))
        #expect(text.contains("the rating model ranks below popularity, by more than the noise"))
        #expect(text.contains("lifts it to 0.8000, which puts it above popularity:"))
        #expect(!text.contains("still below popularity"))
        #expect(text.contains("Microsoft's recommenders benchmark reports a similar gap on MovieLens 100K"))
    }

    @Test("rating model above popularity, the filter changes it only within the noise, still above")
    func ratingModelAboveNotLifted() throws {
        // Rating 14 against popularity 4: 10 users, above. Filtered 13: one user below the rating model, a tie; 9 above popularity.
        let text = folded(
            Lesson9.whereTheRatingModelRanks(
                try Self.evaluation(hits: 14), filtered: try Self.evaluation(hits: 13),
                popularity: try Self.evaluation(hits: 4), best: try Self.evaluation(hits: 16),
                rareLists: 0, minimum: 20, top: 10))
        #expect(text.contains("the rating model ranks above popularity, by more than the noise (NDCG@10 0.7000"))
        #expect(text.contains("changes it only within the noise (0.6500), still above popularity:"))
        #expect(!text.contains("lifts it to") && !text.contains("still below"))
    }

    @Test("the mean popularity ranks of the three lists")
    func ratingModelPopularityRanks() throws {
        // Ten movies, movie i of popularity rank i + 1. Rating model firsts 5, 6, 7, 9: mean rank (6 + 7 + 8 + 10) / 4 =
        // 7.75, written "8". Best model firsts 1, 1, 1, 2: (2 + 2 + 2 + 3) / 4 = 2.25 → "2". Popularity firsts 0: rank 1.
        let hits = [true, false, false, false]
        let rating = try Self.evaluation(firsts: [5, 6, 7, 9], hit: hits, catalogue: 10)
        let best = try Self.evaluation(firsts: [1, 1, 1, 2], hit: [true, true, true, false], catalogue: 10)
        let popularity = try Self.evaluation(firsts: [0, 0, 0, 0], hit: [true, true, false, false], catalogue: 10)
        let text = folded(
            Lesson9.whereTheRatingModelRanks(
                rating, filtered: rating, popularity: popularity, best: best,
                rareLists: 2, minimum: 20, top: 10))
        #expect(text.contains("2 of the 4 users' lists hold a"))
        #expect(text.contains("8, against 2 for the better of weighted ALS and BPR and 1 for popularity"))
    }

    @Test("rating model above popularity, the filter drops it below")
    func ratingModelAboveFilteredBelow() throws {
        // Rating 14 against popularity 8: 6 users (0.3 > 0.206), above. Filtered 2: 12 below the rating model, lowered; 6
        // under popularity, below, which it was not before: not "still".
        let text = folded(
            Lesson9.whereTheRatingModelRanks(
                try Self.evaluation(hits: 14), filtered: try Self.evaluation(hits: 2),
                popularity: try Self.evaluation(hits: 8), best: try Self.evaluation(hits: 16),
                rareLists: 0, minimum: 20, top: 10))
        #expect(text.contains("the rating model ranks above popularity, by more than the noise"))
        #expect(text.contains("lowers it (0.1000), which puts it below popularity:"))
        #expect(!text.contains("still below popularity"))
    }

    @Test("rating model within the noise of popularity: level, not above or below")
    func ratingModelTiesPopularity() throws {
        // Rating 5 against popularity 4: one user, a tie; the same for the filtered model.
        let text = folded(
            Lesson9.whereTheRatingModelRanks(
                try Self.evaluation(hits: 5), filtered: try Self.evaluation(hits: 5),
                popularity: try Self.evaluation(hits: 4), best: try Self.evaluation(hits: 8),
                rareLists: 0, minimum: 20, top: 10))
        #expect(!text.contains("ranks above popularity") && !text.contains("ranks below popularity"))
        #expect(text.contains("the rating model ranks level with popularity, within the noise"))
        #expect(text.contains("changes it only within the noise (0.2500), level with popularity within the noise:"))
    }

    // MARK: hitsSaid and gridEdges

    @Test("where the popularity list hits a user's movies, said for none, one and several")
    func hitsSaid() {
        #expect(Lesson9.hitsSaid([], top: 10) == "the popularity list has none of them in its top 10")
        #expect(Lesson9.hitsSaid([3], top: 10) == "the popularity list has one of them, at place 3 of its top 10")
        #expect(Lesson9.hitsSaid([1, 4, 9], top: 10) == "the popularity list has 3 of them, at places 1, 4 and 9 of its top 10")
    }

    @Test("BPR's epochs at the end of the grid earn a sentence; inside it, or a grid of one value, none")
    func gridEdges() {
        let edge = Lesson9.gridEdges(bprEpochs: [("the random protocol", 200), ("leave last out", 100)], grid: [20, 50, 100, 200])
        #expect(edge.hasPrefix("BPR's best number of epochs is the largest tried, 200, on the random protocol:"), "\(edge)")
        #expect(Lesson9.gridEdges(bprEpochs: [("the random protocol", 100)], grid: [20, 50, 100, 200]).isEmpty)
        #expect(Lesson9.gridEdges(bprEpochs: [("the random protocol", 50)], grid: [50]).isEmpty)
    }

    // MARK: popularityLean

    @Test("weighted ALS leans on popular movies")
    func leansOnPopular() throws {
        // Ten movies, the top tenth is movie 0 alone. Popularity: all 10 lists start with movie 0 (coverage 1/10,
        // share 100%). Weighted ALS: 6 of 10 start with movie 0, the rest with 1–4 (coverage 5/10, share 60% > 50%).
        // Item-item: movies 5, 6, 7 (coverage 3/10, share 0%).
        let all = Array(repeating: true, count: 10)
        let popularity = try Self.evaluation(firsts: Array(repeating: 0, count: 10), hit: all, catalogue: 10)
        let wals = try Self.evaluation(firsts: [0, 0, 0, 0, 0, 0, 1, 2, 3, 4], hit: all, catalogue: 10)
        let itemItem = try Self.evaluation(firsts: [5, 6, 7, 5, 6, 7, 5, 6, 7, 5], hit: all, catalogue: 10)
        let text = Lesson9.popularityLean(popularity: popularity, wals: wals, itemItem: itemItem)
        #expect(text.contains("Popularity shows 10.0% of the catalogue to somebody; weighted ALS"))
        #expect(text.contains("50.0%, item-item 30.0%. 60% of weighted ALS's"))
        #expect(text.contains("(popularity: 100%): part of the implicit models' accuracy may come from leaning on what is popular"))
        #expect(!text.contains("reach well beyond"))
    }

    @Test("weighted ALS reaches beyond the popular movies")
    func reachesBeyondPopular() throws {
        // Weighted ALS: 4 of 10 lists start with movie 0, the rest with 1–6 (coverage 7/10, share 40% ≤ 50%).
        let all = Array(repeating: true, count: 10)
        let popularity = try Self.evaluation(firsts: Array(repeating: 0, count: 10), hit: all, catalogue: 10)
        let wals = try Self.evaluation(firsts: [0, 0, 0, 0, 1, 2, 3, 4, 5, 6], hit: all, catalogue: 10)
        let itemItem = try Self.evaluation(firsts: [5, 6, 7, 5, 6, 7, 5, 6, 7, 5], hit: all, catalogue: 10)
        let text = Lesson9.popularityLean(popularity: popularity, wals: wals, itemItem: itemItem)
        #expect(text.contains("70.0%, item-item 30.0%. 40% of weighted ALS's"))
        #expect(text.contains("(popularity: 100%), so its lists reach well beyond the most watched movies."))
        #expect(!text.contains("leaning on what is popular"))
    }

    // MARK: whetherSamplingSwaps

    @Test("a pair trades places only when both orders are beyond the noise, user by user")
    func swapsBeyondNoise() throws {
        // The "sampled" metric here is 1 − NDCG, which reverses every order: 16 hits against 4 is a swap; 6 against 5 is not.
        let far: [Model: RankingEvaluation] = [.weightedALS: try Self.evaluation(hits: 16), .bpr: try Self.evaluation(hits: 4)]
        #expect(Lesson9.swappedPairs(far, { $0.ndcgPerUser }, { $0.ndcgPerUser.map { 1 - $0 } }) == ["weighted ALS and BPR"])
        let near: [Model: RankingEvaluation] = [.weightedALS: try Self.evaluation(hits: 6), .bpr: try Self.evaluation(hits: 5)]
        #expect(Lesson9.swappedPairs(near, { $0.ndcgPerUser }, { $0.ndcgPerUser.map { 1 - $0 } }).isEmpty)
        // The same order both ways is no swap.
        #expect(Lesson9.swappedPairs(far, { $0.ndcgPerUser }, { $0.ndcgPerUser }).isEmpty)
    }

    @Test("no pair swapped but a tie split: neither 'the same order' nor 'the order changes'")
    func samplingSplitsATie() {
        let text = Lesson9.whetherSamplingSwaps(byNDCG: [], byHitRate: [], placesMove: true, inflation: 7.3, catalogue: 1682)
        #expect(text.hasPrefix("No two models trade places by more than the noise (user by user); the place columns move only between models within the noise"))
        #expect(!text.contains("in the same order") && !text.contains("The order changes"))
    }

    @Test("sampling swaps no pair")
    func samplingSwapsNothing() {
        let text = Lesson9.whetherSamplingSwaps(byNDCG: [], byHitRate: [], inflation: 7.3, catalogue: 1682)
        #expect(text.hasPrefix("Here the sampled metrics put the models in the same order as the full ranking, by NDCG and by hit rate"))
        #expect(text.contains("popularity's hit rate is 7.3 times its full-ranking value"))
        #expect(text.contains("one sort of 1682 scores per user"))
        #expect(!text.contains("The order changes"))
    }

    @Test("sampling swaps one pair by NDCG")
    func samplingSwapsOneByNDCG() {
        let text = Lesson9.whetherSamplingSwaps(byNDCG: ["popularity and BPR"], byHitRate: [], inflation: 7.3, catalogue: 1682)
        #expect(text.hasPrefix("The order changes: by NDCG, popularity and BPR trade places."))
        #expect(!text.contains("these pairs"))
        #expect(!text.contains("by hit rate,"))
        #expect(!text.contains("same order"))
    }

    @Test("sampling swaps two pairs by hit rate")
    func samplingSwapsTwoByHitRate() {
        let text = Lesson9.whetherSamplingSwaps(
            byNDCG: [], byHitRate: ["random and BPR", "item-item and weighted ALS"], inflation: 7.3,
            catalogue: 1682)
        #expect(text.hasPrefix("The order changes: by hit rate, these pairs: random and BPR, item-item and weighted ALS trade places."))
        #expect(!text.contains("by NDCG,"))
    }

    @Test("sampling swaps pairs by both metrics")
    func samplingSwapsBoth() {
        let text = Lesson9.whetherSamplingSwaps(byNDCG: ["popularity and BPR"], byHitRate: ["random and BPR"], inflation: 7.3, catalogue: 1682)
        #expect(text.hasPrefix("The order changes: by NDCG, popularity and BPR trade places; by hit rate, random and BPR trade places."))
    }

    // MARK: howPersonal and naming

    @Test("a new user's list nearly the popularity list")
    func nearlyPopularity() {
        // 7 ≥ 10 × 7 / 10 = 7.
        let text = Lesson9.howPersonal(shared: 7, of: 10)
        #expect(text.hasPrefix("They are nearly the same"))
        #expect(!text.contains("come from this person's factors"))
    }

    @Test("a new user's list of their own")
    func personalList() {
        // 6 < 7.
        let text = Lesson9.howPersonal(shared: 6, of: 10)
        #expect(text.hasPrefix("The others come from this person's factors, which the fold-in computed from the movies they watched"))
        #expect(!text.contains("nearly the same"))
    }

    @Test("a one-movie list sharing nothing with popularity")
    func personalOneMovie() {
        // With --top 1: 1 × 7 / 10 = 0 in integer arithmetic, so 0 shared of 1 passes `shared >= 0`.
        let text = Lesson9.howPersonal(shared: 0, of: 1)
        // Before the fix the 70% threshold was rounded down to 0, so 0 of 1 was "nearly the same".
        #expect(!text.contains("nearly the same"))
        #expect(Lesson9.howPersonal(shared: 7, of: 10).contains("nearly the same") && !Lesson9.howPersonal(shared: 1, of: 2).contains("nearly the same"))
    }

    @Test("a few watched movies are all named")
    func namingFew() {
        #expect(Lesson9.naming(["A", "B", "C"]) == "A, B, C")
    }

    @Test("many watched movies: the first five and a count")
    func namingMany() {
        let text = Lesson9.naming((1...10).map { "M\($0)" })
        #expect(text == "M1, M2, M3, M4, M5 and 5 other movies")
    }
}

@Suite("lesson 9: the metric cells averaged over every user")
struct Lesson9MetricCellsReadingTests {
    @Test("the core's numbers when both means agree; otherwise the metric that differs is named and --check suggested")
    func everyBranch() {
        let same = Lesson9.metricCellsReading(precision: (0.25, 0.25 + 1e-12), ndcg: (0.3, 0.3))
        #expect(same.contains("give the core's numbers") && !same.contains("differ"))
        let ndcg = Lesson9.metricCellsReading(precision: (0.25, 0.25), ndcg: (0.31, 0.3))
        #expect(ndcg.contains("the cells' NDCG differ") && !ndcg.contains("precision and") && ndcg.contains("--check"))
        let both = Lesson9.metricCellsReading(precision: (0.2, 0.25), ndcg: (0.31, 0.3))
        #expect(both.contains("precision and NDCG differ"))
    }
}
