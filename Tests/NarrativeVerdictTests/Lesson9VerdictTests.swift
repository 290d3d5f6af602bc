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

@Suite("Narrative verdicts: lesson 9")
struct NarrativeVerdictsLesson9 {
    /// An evaluation in which user u's list starts with `firsts[u]`, user u held out `firsts[u]` when `hit[u]` (else
    /// another movie), over `catalogue` movies whose interaction counts are `popularity` (by default catalogue − i for
    /// movie i, so movie i has popularity rank i + 1). Judged at k = 1.
    static func evaluation(firsts: [Int], hit: [Bool], catalogue: Int, popularity: [Int]? = nil) throws -> RankingEvaluation {
        let users = firsts.count
        // One training interaction, of a user who is not evaluated: Ratings cannot be empty.
        let training = try Ratings(userCount: users + 1, itemCount: catalogue, ratings: [Rating(user: users, item: 0, value: 1)])
        let heldOut = try Ratings(userCount: users + 1, itemCount: catalogue, ratings: firsts.indices.map { u in
            Rating(user: u, item: hit[u] ? firsts[u] : (firsts[u] + 1) % catalogue, value: 1)
        })
        let counts = popularity ?? (0..<catalogue).map { catalogue - $0 }
        return RankingEvaluation({ user, scores in
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

    @Test("a top tenth holding more than 30% of the interactions is very uneven; 30% or less is fairly even", arguments: [
        (0.52, "very uneven", "52%"), (0.31, "very uneven", "31%"), (0.30, "fairly even", "30%"), (0.12, "fairly even", "12%"),
    ])
    func unevenness(share: Double, words: String, percent: String) {
        let text = Lesson9.unevenness(topTenthShare: share)
        #expect(text.hasPrefix("Interactions are \(words): the most watched tenth of the movies holds \(percent) of them."), "\(text)")
        #expect(["very uneven", "fairly even"].filter(text.contains).count == 1)
    }

    // MARK: whoBeatsPopularity

    @Test("weighted ALS beats popularity clearly, BPR only within the interval")
    func beatsClearlyAndWithinInterval() throws {
        // Popularity 4/20 = 0.20. Weighted ALS 16/20 = 0.80, interval 1.96 × √(0.8 × 0.2 / 19) ≈ 0.180: 0.80 − 0.18 =
        // 0.62 > 0.20. BPR 6/20 = 0.30, interval 1.96 × √(0.3 × 0.7 / 19) ≈ 0.206: 0.30 − 0.21 = 0.09 ≤ 0.20, but 0.30 > 0.20.
        let row: [Model: RankingEvaluation] = [.popularity: try Self.evaluation(hits: 4), .weightedALS: try Self.evaluation(hits: 16),
                                               .bpr: try Self.evaluation(hits: 6)]
        let text = Lesson9.whoBeatsPopularity(on: "the random protocol", top: 10, row)
        #expect(text == "On the random protocol, weighted ALS ranks best (NDCG@10 0.8000); weighted ALS beats popularity (0.2000) by more than the 95% interval; BPR beats popularity, but by less than the interval.")
    }

    @Test("both trained models beat popularity clearly")
    func bothBeatClearly() throws {
        // Popularity 2/20 = 0.10. BPR 14/20 = 0.70 − 1.96 × √(0.7 × 0.3 / 19) ≈ 0.70 − 0.206 = 0.49 > 0.10; weighted
        // ALS 16/20 = 0.80 − 0.18 = 0.62 > 0.10.
        let row: [Model: RankingEvaluation] = [.popularity: try Self.evaluation(hits: 2), .weightedALS: try Self.evaluation(hits: 16),
                                               .bpr: try Self.evaluation(hits: 14)]
        let text = Lesson9.whoBeatsPopularity(on: "leave last out", top: 10, row)
        #expect(text == "On leave last out, weighted ALS ranks best (NDCG@10 0.8000); weighted ALS and BPR beat popularity (0.1000) by more than the 95% interval.")
    }

    @Test("both trained models within the interval")
    func bothWithinInterval() throws {
        // Popularity 8/20 = 0.40. Weighted ALS 10/20 = 0.50, interval 1.96 × √(0.25 / 19) ≈ 0.225: 0.275 ≤ 0.40;
        // BPR 9/20 = 0.45, interval ≈ 0.224: 0.226 ≤ 0.40. Both above 0.40.
        let row: [Model: RankingEvaluation] = [.popularity: try Self.evaluation(hits: 8), .weightedALS: try Self.evaluation(hits: 10),
                                               .bpr: try Self.evaluation(hits: 9)]
        let text = Lesson9.whoBeatsPopularity(on: "the random protocol", top: 10, row)
        #expect(text.hasSuffix("; weighted ALS and BPR beat popularity, but by less than the interval."))
        #expect(!text.contains("by more than the 95% interval"))
        #expect(!text.contains("at all"))
    }

    @Test("popularity ranks best and neither trained model beats it")
    func popularityBest() throws {
        // Popularity 10/20 = 0.50 is the largest; weighted ALS 0.30 and BPR 0.20 are below it.
        let row: [Model: RankingEvaluation] = [.popularity: try Self.evaluation(hits: 10), .weightedALS: try Self.evaluation(hits: 6),
                                               .bpr: try Self.evaluation(hits: 4)]
        let text = Lesson9.whoBeatsPopularity(on: "the random protocol", top: 10, row)
        // Popularity's NDCG is given once, with "ranks best", and not repeated in the last clause.
        #expect(text == "On the random protocol, popularity ranks best (NDCG@10 0.5000); weighted ALS and BPR do not beat popularity at all.")
    }

    @Test("one trained model below popularity while another model ranks best")
    func oneBelowAnotherBest() throws {
        // Popularity 0.20; item-item 0.60 ranks best; weighted ALS 5/20 = 0.25, interval 1.96 × √(0.25 × 0.75 / 19) ≈ 0.195:
        // 0.25 − 0.195 = 0.055 ≤ 0.20 but 0.25 > 0.20, so within it; BPR 0.15 ≤ 0.20.
        let row: [Model: RankingEvaluation] = [.popularity: try Self.evaluation(hits: 4), .itemItem: try Self.evaluation(hits: 12),
                                               .weightedALS: try Self.evaluation(hits: 5), .bpr: try Self.evaluation(hits: 3)]
        let text = Lesson9.whoBeatsPopularity(on: "the random protocol", top: 10, row)
        #expect(text == "On the random protocol, item-item ranks best (NDCG@10 0.6000); weighted ALS beats popularity, but by less than the interval; BPR does not beat popularity (0.2000) at all.")
    }

    // MARK: whatTheDataAllows

    @Test("popularity wins everywhere on synthetic data: the reason is given")
    func dataAllowsSyntheticPopularityWins() throws {
        let row: [Model: RankingEvaluation] = [.popularity: try Self.evaluation(hits: 10), .weightedALS: try Self.evaluation(hits: 6),
                                               .bpr: try Self.evaluation(hits: 10)]
        let text = Lesson9.whatTheDataAllows(results: [row, row], synthetic: true)
        #expect(text.contains("That is what this data allows: the synthetic generator picks which movies a person rates by popularity alone"))
        #expect(text.contains("a difference smaller than the intervals is not a finding."))
    }

    @Test("popularity wins everywhere on real data: no synthetic reason")
    func dataAllowsRealPopularityWins() throws {
        let row: [Model: RankingEvaluation] = [.popularity: try Self.evaluation(hits: 10), .weightedALS: try Self.evaluation(hits: 6),
                                               .bpr: try Self.evaluation(hits: 4)]
        let text = Lesson9.whatTheDataAllows(results: [row], synthetic: false)
        #expect(!text.contains("synthetic generator"))
        #expect(text.contains("The intervals are 1.96 standard errors of the mean over users"))
    }

    @Test("a trained model beats popularity on one protocol of synthetic data: no synthetic reason")
    func dataAllowsSyntheticPopularityLosesOnce() throws {
        let wins: [Model: RankingEvaluation] = [.popularity: try Self.evaluation(hits: 10), .weightedALS: try Self.evaluation(hits: 6),
                                                .bpr: try Self.evaluation(hits: 4)]
        // Here BPR 11/20 = 0.55 > 0.50.
        let loses: [Model: RankingEvaluation] = [.popularity: try Self.evaluation(hits: 10), .weightedALS: try Self.evaluation(hits: 6),
                                                 .bpr: try Self.evaluation(hits: 11)]
        let text = Lesson9.whatTheDataAllows(results: [wins, loses], synthetic: true)
        #expect(!text.contains("synthetic generator"))
        #expect(text.contains("The intervals are 1.96 standard errors of the mean over users"))
    }

    // MARK: whereTheRatingModelRanks

    @Test("rating model below popularity, lifted by the filter but still below")
    func ratingModelBelowLiftedStillBelow() throws {
        // Rating 1/20 = 0.05 < popularity 0.20; filtered 0.10 > 0.05 but < 0.20; the better trained model 0.30.
        let text = Lesson9.whereTheRatingModelRanks(try Self.evaluation(hits: 1), filtered: try Self.evaluation(hits: 2),
                                                    popularity: try Self.evaluation(hits: 4), best: try Self.evaluation(hits: 6),
                                                    rareLists: 3, minimum: 20, top: 10)
        #expect(text.contains("The rating model ranks below popularity (NDCG@10 0.0500 on the random"))
        #expect(text.contains("against 0.3000 for the better of weighted ALS and BPR"))
        #expect(text.contains("3 of the 20 users' lists hold a"))
        #expect(text.contains("lifts it to 0.1000, still below popularity:"))
        #expect(!text.contains("ranks above popularity"))
        #expect(!text.contains("does not lift it"))
    }

    @Test("rating model below popularity, lifted above it by the filter")
    func ratingModelBelowLiftedAbove() throws {
        // Rating 0.05 < popularity 0.20; filtered 0.25 > both.
        let text = Lesson9.whereTheRatingModelRanks(try Self.evaluation(hits: 1), filtered: try Self.evaluation(hits: 5),
                                                    popularity: try Self.evaluation(hits: 4), best: try Self.evaluation(hits: 6),
                                                    rareLists: 3, minimum: 20, top: 10)
        #expect(text.contains("The rating model ranks below popularity"))
        #expect(text.contains("lifts it to 0.2500, which puts it above popularity:"))
        #expect(!text.contains("still below popularity"))
        #expect(!text.contains("does not lift it"))
    }

    @Test("rating model above popularity, not lifted by the filter, still above")
    func ratingModelAboveNotLifted() throws {
        // Rating 0.30 > popularity 0.20; filtered 0.25 < 0.30 but > 0.20.
        let text = Lesson9.whereTheRatingModelRanks(try Self.evaluation(hits: 6), filtered: try Self.evaluation(hits: 5),
                                                    popularity: try Self.evaluation(hits: 4), best: try Self.evaluation(hits: 8),
                                                    rareLists: 0, minimum: 20, top: 10)
        #expect(text.contains("The rating model ranks above popularity (NDCG@10 0.3000 on the random"))
        #expect(text.contains("does not lift it (0.2500), still above popularity:"))
        #expect(!text.contains("ranks below popularity"))
        #expect(!text.contains("lifts it to"))
        #expect(!text.contains("still below"))
    }

    @Test("the mean popularity ranks of the three lists")
    func ratingModelPopularityRanks() throws {
        // Ten movies, movie i of popularity rank i + 1. Rating model firsts 5, 6, 7, 9: mean rank (6 + 7 + 8 + 10) / 4 =
        // 7.75, written "8". Best model firsts 1, 1, 1, 2: (2 + 2 + 2 + 3) / 4 = 2.25 → "2". Popularity firsts 0: rank 1.
        let hits = [true, false, false, false]
        let rating = try Self.evaluation(firsts: [5, 6, 7, 9], hit: hits, catalogue: 10)
        let best = try Self.evaluation(firsts: [1, 1, 1, 2], hit: [true, true, true, false], catalogue: 10)
        let popularity = try Self.evaluation(firsts: [0, 0, 0, 0], hit: [true, true, false, false], catalogue: 10)
        let text = Lesson9.whereTheRatingModelRanks(rating, filtered: rating, popularity: popularity, best: best,
                                                    rareLists: 2, minimum: 20, top: 10)
        #expect(text.contains("2 of the 4 users' lists hold a"))
        #expect(text.contains("8, against 2 for that model and 1"))
    }

    @Test("rating model above popularity, the filter drops it below")
    func ratingModelAboveFilteredBelow() throws {
        // Rating 0.30 > popularity 0.20 ("ranks above popularity"); filtered 0.10 < 0.20. The clause on the filter then
        // reads "still below popularity", though the model it filters was above.
        let text = Lesson9.whereTheRatingModelRanks(try Self.evaluation(hits: 6), filtered: try Self.evaluation(hits: 2),
                                                    popularity: try Self.evaluation(hits: 4), best: try Self.evaluation(hits: 8),
                                                    rareLists: 0, minimum: 20, top: 10)
        #expect(text.contains("The rating model ranks above popularity"))
        #expect(text.contains("does not lift it (0.1000)"))
        // Before the fix: "still below popularity", though it was above.
        #expect(!text.contains("still below popularity"))
        #expect(text.contains("does not lift it (0.1000), which puts it below popularity:"))
    }

    @Test("rating model level with popularity")
    func ratingModelTiesPopularity() throws {
        // Rating 0.20 = popularity 0.20: `rating < popularity` is false, so it "ranks above popularity".
        let text = Lesson9.whereTheRatingModelRanks(try Self.evaluation(hits: 4), filtered: try Self.evaluation(hits: 4),
                                                    popularity: try Self.evaluation(hits: 4), best: try Self.evaluation(hits: 8),
                                                    rareLists: 0, minimum: 20, top: 10)
        // Before the fix: "ranks above popularity".
        #expect(!text.contains("ranks above popularity") && !text.contains("ranks below popularity"))
        #expect(text.contains("The rating model ranks level with popularity") && text.contains("level with popularity:"))
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
        #expect(text.contains("(popularity: 100%): the implicit models are accurate partly because they lean on what is popular"))
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
        #expect(!text.contains("lean on what is popular"))
    }

    // MARK: whetherSamplingSwaps

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
        let text = Lesson9.whetherSamplingSwaps(byNDCG: [], byHitRate: ["random and BPR", "item-item and weighted ALS"], inflation: 7.3,
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
        #expect(!text.contains("follows the movies this person watched"))
    }

    @Test("a new user's list of their own")
    func personalList() {
        // 6 < 7.
        let text = Lesson9.howPersonal(shared: 6, of: 10)
        #expect(text.hasPrefix("The rest of the folded-in list follows the movies this person watched"))
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
