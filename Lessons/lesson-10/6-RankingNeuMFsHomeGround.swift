// Section 6: ranking on lesson 9's protocol, with the full catalogue: NeuMF trained on interactions with sampled
// negatives, against weighted ALS and BPR, each tuned on validation.

import CFCore
import Figures
import LessonKit
import TextOutput

/// A ranking model on the test: its name and each tested user's NDCG@10 and hit.
struct Ranked {
    let name: String, key: String
    let evaluation: RankingEvaluation
    let settings: String
}

extension Lesson10 {
    func rankingNeuMFsHomeGround() throws -> [Ranked] {
        book.heading("Ranking: NeuMF's home ground")
        let positives = movieLens.ratings.interactions
        var rng = RandomState(seed: seed &+ 71)
        let lastOut = movieLens.times != nil
        let split =
            try movieLens.times.map { try RankingSplit.latestPerUser(ratings: movieLens.ratings, positives: positives, times: $0) }
            ?? RankingSplit.randomPerUser(0.2, ratings: movieLens.ratings, positives: positives, rng: &rng)
        book.paragraph(
            """
            He et al. built NeuMF for implicit feedback: who watched what, not the stars. Every rating counts as an
            interaction; \(lastOut ? "each user's most recent one is held out for the test, and the one before it for validation (lesson 9's leave-last-out)" : "this data set has no timestamps, so a random 20% of each user's interactions is held out for the test, and 20% of the rest for validation (lesson 9's random protocol)").
            NeuMF learns to tell an interaction from a movie drawn at random among those the user has not watched (4 such
            negatives per interaction, drawn afresh each epoch), with the logistic loss, \(Self.rankingBatchSize) examples per Adam step at
            a step size of \(Self.rankingLearningRate); its score is z, before any sigmoid.
            Every model ranks the whole catalogue for each user, seen movies left out, and is judged by NDCG@10 and the hit
            rate at 10 (lesson 9). Each model's setting is chosen on validation: NeuMF's epochs, weighted ALS's confidence α,
            BPR's epochs. The chosen model is then tested as it is: none is trained again with the validation interactions
            (one per user, about 1% of them), which still count as seen and are left out of the test's rankings.
            """)
        let k = options.factors, hidden = options.hidden.values, popularity = split.training.itemCounts
        func evaluate(_ score: @escaping @Sendable (Int, inout [Double]) -> Void, seen: Ratings, heldOut: Ratings) -> RankingEvaluation {
            RankingEvaluation(score, training: seen, heldOut: heldOut, k: 10, curveLength: 10, popularity: popularity, seed: seed &+ 73)
        }
        func scores(_ model: some RatingPredictor & Sendable) -> @Sendable (Int, inout [Double]) -> Void {
            { user, scores in for i in scores.indices { scores[i] = model.score(user: user, item: i) } }
        }
        // The three families are independent: each chooses its setting on validation and is then tested once, two at a
        // time on the two cores (NeuMF, the costliest, first). A model's numbers do not depend on what runs beside it.
        let bar = book.progress("ranking", total: 3)
        // NeuMF: one run, its model kept after 2, 3 and 4 epochs, each judged on validation; scored a catalogue at a time.
        func neuMFRanked() throws -> Ranked {
            let neuMFEpochs = [2, 3, 4]
            var neuMFValidation = [Int: Double](), neuMFModels = [Int: NeuMF.CatalogueScorer]()
            _ = try NeuMF.train(
                split.fit,
                .init(
                    factors: k, hidden: hidden, loss: .logistic(negativesPerPositive: 4), regularization: 0.01,
                    learningRate: Self.rankingLearningRate, iterations: neuMFEpochs.max()!, batchSize: Self.rankingBatchSize, seed: seed &+ 75)
            ) { epoch in
                guard neuMFEpochs.contains(epoch.step) else { return }
                let scorer = NeuMF.CatalogueScorer(epoch.model)
                neuMFModels[epoch.step] = scorer
                neuMFValidation[epoch.step] = evaluate({ scorer.scores(user: $0, into: &$1) }, seen: split.fitRatings, heldOut: split.validation).ndcg
            }
            let choice = neuMFEpochs.min { neuMFValidation[$0]! > neuMFValidation[$1]! || (neuMFValidation[$0]! == neuMFValidation[$1]! && $0 < $1) }!
            let neuMF = neuMFModels[choice]!
            return Ranked(
                name: "NeuMF", key: "neumf", evaluation: evaluate({ neuMF.scores(user: $0, into: &$1) }, seen: split.trainingRatings, heldOut: split.test),
                settings: "\(choice) epochs")
        }
        // Weighted ALS: α from lesson 9's grid.
        func walsRanked() throws -> Ranked {
            let alphas = [1.0, 5, 20]
            var walsValidation = [Double](), walsModels = [FactorModel]()
            for alpha in alphas {
                walsModels.append(
                    try ImplicitAlternatingLeastSquares.train(
                        split.fit,
                        .init(
                            factors: k, regularization: 0.1, alpha: alpha, iterations: 15, precision: .single,
                            solver: .conjugateGradient(steps: 3), computesLoss: false, seed: seed &+ 77)
                    ).model)
                walsValidation.append(evaluate(scores(walsModels.last!), seen: split.fitRatings, heldOut: split.validation).ndcg)
            }
            let index = walsValidation.indices.max { walsValidation[$0] < walsValidation[$1] }!
            return Ranked(
                name: "weighted ALS", key: "weighted_als", evaluation: evaluate(scores(walsModels[index]), seen: split.trainingRatings, heldOut: split.test),
                settings: "α = \(formatFixed(alphas[index], digits: 0))")
        }
        // BPR: one run, its model kept after 10, 20 and 50 epochs.
        func bprRanked() throws -> Ranked {
            let bprEpochs = [10, 20, 50]
            var bprValidation = [Int: Double](), bprModels = [Int: FactorModel]()
            _ = try BayesianPersonalizedRanking.train(
                split.fit, .init(factors: k, learningRate: 0.05, regularization: 0.01, iterations: bprEpochs.max()!, seed: seed &+ 79)
            ) { epoch in
                guard bprEpochs.contains(epoch.step) else { return }
                bprModels[epoch.step] = epoch.model
                bprValidation[epoch.step] = evaluate(scores(epoch.model), seen: split.fitRatings, heldOut: split.validation).ndcg
            }
            let choice = bprEpochs.min { bprValidation[$0]! > bprValidation[$1]! || (bprValidation[$0]! == bprValidation[$1]! && $0 < $1) }!
            return Ranked(
                name: "BPR", key: "bpr", evaluation: evaluate(scores(bprModels[choice]!), seen: split.trainingRatings, heldOut: split.test),
                settings: "\(choice) epochs")
        }
        let families: [(name: String, cost: Double, rank: () throws -> Ranked)] = [
            ("NeuMF", 3, neuMFRanked), ("weighted ALS", 1, walsRanked), ("BPR", 2, bprRanked)
        ]
        let ranked = try concurrentMap(
            families, cost: { $0.cost }, done: { finished, family, _ in bar.update(finished, detail: "\(family.name): tested once") }
        ) { try $0.rank() }
        bar.finish()
        book.table(
            Table(
                header: ["model", "chosen on validation", "NDCG@10", "hit rate @10"],
                rows: ranked.map {
                    [
                        $0.name, $0.settings,
                        formatFixed($0.evaluation.ndcg, digits: 4) + " ± " + formatFixed(MeanInterval.halfWidth($0.evaluation.ndcgPerUser), digits: 4),
                        formatFixed($0.evaluation.hitRate, digits: 4) + " ± " + formatFixed(MeanInterval.halfWidth($0.evaluation.hitPerUser), digits: 4)
                    ]
                }),
            caption: "Ranking the whole catalogue for the \(ranked[0].evaluation.users.count) users with a test interaction (95% intervals)")
        book.paragraph(Self.rankingReading(ranked))
        book.record(
            "ranking",
            JSONValue.object(
                ranked.map {
                    (
                        $0.key,
                        .object([
                            ("ndcg", $0.evaluation.ndcg.json), ("hit_rate", $0.evaluation.hitRate.json),
                            ("settings", $0.settings.json)
                        ])
                    )
                }))
        return ranked
    }

    /// NeuMF's minibatches and step size for ranking: five examples per interaction make an epoch five times the
    /// ratings', and on validation (NDCG@10, seed 42) 2,048 examples at 0.01 beat 512 at 0.005 at every epoch (0.060
    /// against 0.054 after 4).
    static let rankingBatchSize = 2048, rankingLearningRate = 0.01

    /// NeuMF against whichever of weighted ALS and BPR has the higher NDCG@10, user by user (paired): ahead, behind or tied within the noise.
    static func rankingReading(_ ranked: [Ranked]) -> String {
        let neuMF = ranked[0], others = ranked.dropFirst()
        let best = others.max { $0.evaluation.ndcg < $1.evaluation.ndcg }!
        let comparison = Comparison.paired(neuMF.evaluation.ndcgPerUser, best.evaluation.ndcgPerUser)
        let gap = formatFixed(abs(comparison.difference), digits: 4), noise = formatFixed(comparison.halfWidth, digits: 4)
        switch comparison.verdict {
        case .firstHigher:
            return "NeuMF ranks better than \(best.name), the factor model with the higher NDCG@10: NDCG@10 higher by \(gap) (± \(noise), user by user)."
        case .secondHigher:
            return "\(best.name) ranks better than NeuMF: NDCG@10 higher by \(gap) (± \(noise), user by user), even on the task NeuMF was designed for."
        case .tie:
            return
                "NeuMF and \(best.name), the factor model with the higher NDCG@10, are tied within the noise: NDCG@10 differs by \(gap) (± \(noise), user by user)."
        }
    }
}
