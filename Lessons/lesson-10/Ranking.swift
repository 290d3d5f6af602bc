// Lesson 10's ranking models (section 6): the protocol and the three families, set up from the data alone, so that they
// can start with the lesson.

import CFCore
import LessonKit
import MovieLens
import TextOutput

/// The ranking protocol of section 6 and its three families, each tuned on validation and tested once. Nothing here
/// depends on what the sections before it choose.
struct RankingFamilies: Sendable {
    /// The three families, in the table's order.
    enum Family: Int, CaseIterable, Hashable, Sendable {
        case neuMF, weightedALS, bpr

        /// Its name in the table (NeuMF's is the rating section's: one name for one architecture).
        var name: String {
            switch self {
            case .neuMF: Architecture.neuMF.name
            case .weightedALS: "weighted ALS"
            case .bpr: "BPR"
            }
        }

        /// A rough cost: NeuMF's trainings are the longest, weighted ALS's the shortest.
        var cost: Double {
            switch self {
            case .neuMF: 3
            case .weightedALS: 1
            case .bpr: 2
            }
        }
    }

    let split: RankingSplit
    /// Whether the test holds each user's latest interaction (with timestamps) rather than a random 20%.
    let lastOut: Bool
    let k: Int, hidden: [Int], seed: UInt32
    let popularity: [Int]

    init(_ movieLens: MovieLens, factors: Int, hidden: [Int], seed: UInt32) throws {
        let positives = movieLens.ratings.interactions
        var rng = RandomState(seed: seed &+ 71)
        lastOut = movieLens.times != nil
        split =
            try movieLens.times.map { try RankingSplit.latestPerUser(ratings: movieLens.ratings, positives: positives, times: $0) }
            ?? RankingSplit.randomPerUser(0.2, ratings: movieLens.ratings, positives: positives, rng: &rng)
        (k, self.hidden, self.seed) = (factors, hidden, seed)
        popularity = split.training.itemCounts
    }

    /// `family` tuned on validation and tested once, its trainings and rankings on `threads` threads (nil: every core).
    func rank(_ family: Family, threads: Int?) throws -> Ranked {
        switch family {
        case .neuMF: try neuMFRanked(threads: threads)
        case .weightedALS: try walsRanked(threads: threads)
        case .bpr: try bprRanked(threads: threads)
        }
    }

    private func evaluate(_ score: @escaping @Sendable (Int, inout [Double]) -> Void, seen: Ratings, heldOut: Ratings, threads: Int?)
        -> RankingEvaluation
    {
        RankingEvaluation(score, training: seen, heldOut: heldOut, k: 10, curveLength: 10, popularity: popularity, seed: seed &+ 73, threads: threads)
    }

    private func scores(_ model: some RatingPredictor & Sendable) -> @Sendable (Int, inout [Double]) -> Void {
        { user, scores in for i in scores.indices { scores[i] = model.score(user: user, item: i) } }
    }

    /// NeuMF: one run, its model kept after 2, 3 and 4 epochs, each judged on validation; scored a catalogue at a time.
    private func neuMFRanked(threads: Int?) throws -> Ranked {
        let epochs = [2, 3, 4]
        var validation = [Int: Double](), models = [Int: NeuMF.CatalogueScorer]()
        _ = try NeuMF.train(
            split.fit,
            .init(
                factors: k, hidden: hidden, loss: .logistic(negativesPerPositive: 4), regularization: 0.01,
                learningRate: Lesson10.rankingLearningRate, iterations: epochs.max()!, batchSize: Lesson10.rankingBatchSize, seed: seed &+ 75,
                threads: threads)
        ) { epoch in
            guard epochs.contains(epoch.step) else { return }
            let scorer = NeuMF.CatalogueScorer(epoch.model)
            models[epoch.step] = scorer
            validation[epoch.step] = evaluate({ scorer.scores(user: $0, into: &$1) }, seen: split.fitRatings, heldOut: split.validation, threads: threads).ndcg
        }
        let choice = epochs.min { validation[$0]! > validation[$1]! || (validation[$0]! == validation[$1]! && $0 < $1) }!
        let neuMF = models[choice]!
        return Ranked(
            name: Family.neuMF.name, key: "neumf",
            evaluation: evaluate({ neuMF.scores(user: $0, into: &$1) }, seen: split.trainingRatings, heldOut: split.test, threads: threads),
            settings: "\(choice) epochs")
    }

    /// Weighted ALS: α from lesson 9's grid.
    private func walsRanked(threads: Int?) throws -> Ranked {
        let alphas = [1.0, 5, 20]
        var validation = [Double](), models = [FactorModel]()
        for alpha in alphas {
            models.append(
                try ImplicitAlternatingLeastSquares.train(
                    split.fit,
                    .init(
                        factors: k, regularization: 0.1, alpha: alpha, iterations: 15, threads: threads, precision: .single,
                        solver: .conjugateGradient(steps: 3), computesLoss: false, seed: seed &+ 77)
                ).model)
            validation.append(evaluate(scores(models.last!), seen: split.fitRatings, heldOut: split.validation, threads: threads).ndcg)
        }
        let index = validation.indices.max { validation[$0] < validation[$1] }!
        return Ranked(
            name: Family.weightedALS.name, key: "weighted_als",
            evaluation: evaluate(scores(models[index]), seen: split.trainingRatings, heldOut: split.test, threads: threads),
            settings: "α = \(formatFixed(alphas[index], digits: 0))")
    }

    /// BPR: one run, its model kept after 10, 20 and 50 epochs (BPR's loop runs on one thread).
    private func bprRanked(threads: Int?) throws -> Ranked {
        let epochs = [10, 20, 50]
        var validation = [Int: Double](), models = [Int: FactorModel]()
        _ = try BayesianPersonalizedRanking.train(
            split.fit, .init(factors: k, learningRate: 0.05, regularization: 0.01, iterations: epochs.max()!, seed: seed &+ 79)
        ) { epoch in
            guard epochs.contains(epoch.step) else { return }
            models[epoch.step] = epoch.model
            validation[epoch.step] = evaluate(scores(epoch.model), seen: split.fitRatings, heldOut: split.validation, threads: threads).ndcg
        }
        let choice = epochs.min { validation[$0]! > validation[$1]! || (validation[$0]! == validation[$1]! && $0 < $1) }!
        return Ranked(
            name: Family.bpr.name, key: "bpr",
            evaluation: evaluate(scores(models[choice]!), seen: split.trainingRatings, heldOut: split.test, threads: threads),
            settings: "\(choice) epochs")
    }
}
