import CFCore
import Numerics
import Testing

/// The ranking plumbing lessons share (splits, intervals of a mean over users, the long tail), against values worked
/// out by hand. Tolerances: 1e-12 absolute for results of a square root, exact for sums and counts.
@Suite("ranking plumbing against hand computation")
struct RankingPlumbingTests {
    @Test("the 95% interval of a mean: 1.96 √(s² / n), with the sample variance; 0 for one value, NaN for none")
    func meanInterval() {
        // Mean 0.5; squared deviations 0.09 + 0.01 + 0.01 + 0.09 = 0.2; s² = 0.2 / 3; 1.96 √(0.2 / 12) = 0.2530349119522179.
        #expect(MeanInterval.halfWidth([0.2, 0.4, 0.6, 0.8]).isApproximatelyEqual(to: 0.2530349119522179, absoluteTolerance: 1e-12))
        // With z = 1 it is the standard error itself: √(1 / 60).
        #expect(MeanInterval.halfWidth([0.2, 0.4, 0.6, 0.8], z: 1).isApproximatelyEqual(to: 0.12909944487358055, absoluteTolerance: 1e-12))
        #expect(MeanInterval.halfWidth([0.7]) == 0)
        #expect(MeanInterval.halfWidth([]).isNaN)
    }

    @Test("the paired interval is the interval of the per-user differences, and the spread both share cancels out")
    func pairedInterval() {
        // Differences 0.1, 0.3, −0.1: mean 0.1, s² = (0 + 0.04 + 0.04) / 2 = 0.04, 1.96 √(0.04 / 3) = 0.22632130552233332.
        let first = [0.5, 0.7, 0.2], second = [0.4, 0.4, 0.3]
        #expect(MeanInterval.pairedHalfWidth(first, second).isApproximatelyEqual(to: 0.22632130552233332, absoluteTolerance: 1e-12))
        let (mean, halfWidth) = MeanInterval.pairedDifference(first, second)
        #expect(mean.isApproximatelyEqual(to: 0.1, absoluteTolerance: 1e-12))
        #expect(halfWidth == MeanInterval.pairedHalfWidth(first, second))
        // A model that is 0.25 better for every user, whatever the user: no doubt left about the difference, although
        // each model's own interval is wide.
        let easyAndHard = [0.0, 0.5, 1.0], better = easyAndHard.map { $0 + 0.25 }
        #expect(MeanInterval.pairedHalfWidth(better, easyAndHard).isApproximatelyEqual(to: 0, absoluteTolerance: 1e-12))
        #expect(MeanInterval.halfWidth(easyAndHard) > 0.5)
    }

    @Test("a comparison is a tie unless the interval of the difference excludes 0: paired, or the half-widths combined")
    func comparison() {
        // Paired: differences 0.1, 0.3, −0.1, mean 0.1 within ±0.2263: a tie; the other way round, still a tie.
        #expect(Comparison.paired([0.5, 0.7, 0.2], [0.4, 0.4, 0.3]).verdict == .tie)
        // Differences 0.2, 0.3, 0.25: mean 0.25, s² = 0.0025, 1.96 √(0.0025 / 3) = 0.0565803: first higher, and the
        // reverse says second higher.
        let a = [0.6, 0.7, 0.45], b = [0.4, 0.4, 0.2]
        #expect(Comparison.paired(a, b).halfWidth.isApproximatelyEqual(to: 0.05658032638058333, absoluteTolerance: 1e-12))
        #expect(Comparison.paired(a, b).verdict == .firstHigher && Comparison.paired(b, a).verdict == .secondHigher)
        // Independent: 0.30 ± 0.03 against 0.25 ± 0.04, combined ±0.05: a difference of exactly 0.05 is still a tie; 0.06 is not.
        let edge = Comparison.independent(0.30, halfWidth: 0.03, 0.25, halfWidth: 0.04)
        #expect(
            edge.halfWidth.isApproximatelyEqual(to: 0.05, absoluteTolerance: 1e-15) && edge.difference.isApproximatelyEqual(to: 0.05, absoluteTolerance: 1e-15))
        #expect(Comparison(difference: 0.05, halfWidth: 0.05).verdict == .tie)
        #expect(Comparison.independent(0.31, halfWidth: 0.03, 0.25, halfWidth: 0.04).verdict == .firstHigher)
        // One side's half-width alone (0.03) would call 0.30 − 0.25 a win: the combined one does not.
        #expect(Comparison.independent(0.30, halfWidth: 0.03, 0.25, halfWidth: 0.04).verdict == .tie)
        // NaN is never a finding.
        #expect(Comparison(difference: .nan, halfWidth: 0.1).verdict == .tie && Comparison(difference: 1, halfWidth: .nan).verdict == .tie)
    }

    @Test("the long tail: popularity order and ranks, the head's share of interactions, and the slots lists give it")
    func longTail() {
        // Items 1 and 3 tie at 10 (the smaller index first), then 4 (5), 0 (3), 2 (0); 28 interactions in all.
        let tail = LongTail(counts: [3, 10, 0, 10, 5])
        #expect(tail.order == [1, 3, 4, 0, 2])
        #expect(tail.rank == [4, 1, 5, 2, 3])
        #expect(tail.topTenthCount == 1)
        #expect(tail.topTenthShare == 10.0 / 28)
        #expect(tail.share(ofMostPopular: 3) == 25.0 / 28)
        // The first two places of [3, 0, 1] and [2, 1, 4] hold items of ranks 2, 4, 5 and 1: a quarter of the slots for
        // each, so the shares for n = 1…5 are 1/4, 2/4, 2/4, 3/4, 4/4.
        #expect(tail.slotShares(of: [[3, 0, 1], [2, 1, 4]], k: 2) == [0.25, 0.5, 0.5, 0.75, 1])
        #expect(tail.slotShares(of: [], k: 2) == [0, 0, 0, 0, 0])
        #expect(LongTail(counts: [0, 0]).topTenthShare == 0)
    }

    /// User 0 rated movies 0, 1 and 2 with 5, 3 and 4 stars at times 10, 30 and 20; user 1 rated movie 1 with 2 stars
    /// (time 5) and movie 3 with 5 stars (time 7). With 3 stars or more counting, user 1 has a single interaction.
    static let ratings = try! Ratings(userCount: 2, itemCount: 4, triples: [(0, 0, 5), (0, 1, 3), (0, 2, 4), (1, 1, 2), (1, 3, 5)])
    static let times = try! Ratings(userCount: 2, itemCount: 4, triples: [(0, 0, 10), (0, 1, 30), (0, 2, 20), (1, 1, 5), (1, 3, 7)])

    @Test("leave-last-out, twice: the latest interaction is the test, the latest before it the validation")
    func latestSplit() throws {
        let split = try RankingSplit.latestPerUser(ratings: Self.ratings, positives: Self.ratings.keeping(atLeast: 3), times: Self.times)
        // Test: user 0's movie 1 (time 30), with its 3 stars; user 1's only interaction stays in training.
        #expect(split.test.dense == [[nil, 3, nil, nil], [nil, nil, nil, nil]])
        #expect(split.training.dense == [[1, nil, 1, nil], [nil, nil, nil, 1]])
        // Validation: user 0's movie 2 (time 20), the latest of what is left.
        #expect(split.validation.dense == [[nil, nil, 4, nil], [nil, nil, nil, nil]])
        #expect(split.fit.dense == [[1, nil, nil, nil], [nil, nil, nil, 1]])
        // The rating sets keep user 1's 2-star rating of movie 1, which is no interaction but was seen.
        #expect(split.trainingRatings.dense == [[5, nil, 4, nil], [nil, 2, nil, 5]])
        #expect(split.fitRatings.dense == [[5, nil, nil, nil], [nil, 2, nil, 5]])
        #expect(split.validationRatings.dense == [[nil, nil, 4, nil], [nil, nil, nil, nil]])
        #expect(split.testedUserCount == 1)
    }

    @Test("a split runs its rule on the interactions first and on the training part second, and draws in that order")
    func ruleOrder() throws {
        var calls = [Int]()
        // The rule holds out user 0's lowest-numbered movie: movie 0 for the test, then movie 1 for validation.
        let split = try RankingSplit(ratings: Self.ratings, positives: Self.ratings) { part -> (training: Ratings, heldOut: Ratings) in
            calls.append(part.count)
            let held = try Ratings(userCount: part.userCount, itemCount: part.itemCount, ratings: [part.ratings(ofUser: 0).first!])
            return (part.removing(held), held)
        }
        #expect(calls == [5, 4])
        #expect(split.test.dense == [[5, nil, nil, nil], [nil, nil, nil, nil]])
        #expect(split.validation.dense == [[nil, 3, nil, nil], [nil, nil, nil, nil]])
        #expect(split.fit.dense == [[nil, nil, 1, nil], [nil, 1, nil, 1]])
        #expect(split.trainingRatings.count == 4 && split.fitRatings.count == 3)
        // The random protocol with the same generator state gives the same parts: the rule draws test first.
        let full = try Ratings(dense: [[5, 4, 3, 2, 1, 5], [1, 2, 3, 4, 5, 1]])
        var a = RandomState(seed: 3), b = RandomState(seed: 3)
        let random = try RankingSplit.randomPerUser(0.5, ratings: full, positives: full, rng: &a)
        let (training, test) = try full.holdingOutPerUser(0.5, rng: &b)
        let (fit, validation) = try training.holdingOutPerUser(0.5, rng: &b)
        #expect(random.test.dense == test.dense && random.validation.dense == validation.dense)
        #expect(random.fit.dense == fit.interactions.dense && random.training.dense == training.interactions.dense)
        #expect(random.test.count == 6 && random.validation.count == 4 && random.fit.count == 2)
    }
}
