// The models of lesson 9, each trained on some interactions (and ratings) and ready to rank, and how a ranking is
// judged: the plumbing every section after "The models" shares.

import CFCore
import LessonKit
import TextOutput

/// Fills a user's score of every movie (higher ranks first).
typealias Scorer = @Sendable (Int, inout [Double]) -> Void

extension Lesson9 {
    /// Small random factors, `rows` × k, from the lesson's seed and a salt of their own.
    func startFactors(_ rows: Int, _ salt: UInt32) -> Matrix {
        var rng = RandomState(seed: seed &+ salt)
        return 0.01 * rng.randn(rows, k)
    }

    /// Weighted ALS (k factors, λ = 0.1, `--iterations`), by `solver` or else the one the options choose.
    func wals(
        _ interactions: Ratings, alpha: Double, solver: ImplicitAlternatingLeastSquares.Solver? = nil,
        loss: Bool = false
    ) throws -> ImplicitAlternatingLeastSquares.Result {
        let chosenSolver: ImplicitAlternatingLeastSquares.Solver = options.exactALS ? .cholesky : .conjugateGradient(steps: 3)
        return try ImplicitAlternatingLeastSquares.train(
            interactions,
            .init(
                factors: k, regularization: 0.1, alpha: alpha, iterations: options.iterations, precision: .single,
                solver: solver ?? chosenSolver, computesLoss: loss),
            initialItemFactors: startFactors(interactions.itemCount, 31), initialUserFactors: startFactors(interactions.userCount, 37))
    }

    /// BPR (k factors, learning rate 0.05, λ = 0.01) for `epochs` epochs.
    func bpr(_ interactions: Ratings, epochs: Int) throws -> BayesianPersonalizedRanking.Result {
        try BayesianPersonalizedRanking.train(
            interactions,
            .init(
                factors: k, learningRate: 0.05, regularization: 0.01, iterations: epochs,
                seed: seed &+ 41))
    }

    /// BPR for the largest of `epochs`, keeping the model after each of them: the very models that runs of those
    /// lengths return, so a grid over the number of epochs needs one run.
    func bprModels(_ interactions: Ratings, epochs: Set<Int>) throws -> [Int: FactorModel] {
        var models = [Int: FactorModel]()
        _ = try BayesianPersonalizedRanking.train(
            interactions,
            .init(
                factors: k, learningRate: 0.05, regularization: 0.01,
                iterations: epochs.max() ?? 1, seed: seed &+ 41)
        ) { epoch in
            if epochs.contains(epoch.step) { models[epoch.step] = epoch.model }
        }
        return models
    }

    /// Item-item cosine similarities on interactions.
    func itemItem(_ interactions: Ratings) -> ItemSimilarities {
        ItemSimilarities.interactionCosine(interactions, keep: options.neighbours.values.max() ?? ItemSimilarities.defaultKeep)
    }

    /// Lesson 6's biased factor model on the stars: stopped early on `validation` when there is one (and then at most
    /// `epochs` epochs), else trained for exactly `epochs`.
    func ratingModel(_ fit: Ratings, validation: Ratings?, epochs: Int) throws -> (model: FactorModel, epochs: Int) {
        var rng = RandomState(seed: seed &+ 43)
        let start = (0.01 * rng.randn(fit.userCount, k), 0.01 * rng.randn(fit.itemCount, k))
        let configuration = StochasticGradientDescent.Configuration(
            factors: k, learningRate: 0.005, regularization: 0.08, iterations: epochs, biases: true, order: .shuffled, seed: seed,
            precision: .single, computesLoss: false, biasRegularization: 0.01)
        if let validation {
            let run = try StochasticGradientDescent.trainWithEarlyStopping(
                fit, validation: validation, configuration, patience: 8,
                initialUserFactors: start.0, initialItemFactors: start.1,
                ratingScale: movieLens.scale, tracksTrainingRMSE: false)
            return (run.model, run.bestEpoch)
        }
        return (try StochasticGradientDescent.train(fit, configuration, initialUserFactors: start.0, initialItemFactors: start.1).model, epochs)
    }

    /// The rating model with the rule of lessons 5 to 8: movies with fewer than `minimum` interactions are never recommended.
    static func filtered(_ model: FactorModel, counts: [Int], minimum: Int) -> Scorer {
        { user, scores in
            for i in scores.indices { scores[i] = counts[i] >= minimum ? model.score(user: user, item: i) : -.infinity }
        }
    }

    /// `scorer` judged the course's way: the top `--top` of every user with a held-out movie, over the whole catalogue
    /// without the movies they have `seen`; popularity bias measured on `interactions`; with `sampled`, also against 100
    /// sampled negatives.
    func evaluate(_ scorer: Scorer, seen: Ratings, interactions: Ratings, heldOut: Ratings, sampled: Bool = false) -> RankingEvaluation {
        RankingEvaluation(
            scorer, training: seen, heldOut: heldOut, k: top, curveLength: 50, popularity: interactions.itemCounts,
            sampledNegatives: sampled ? 100 : nil, seed: seed &+ 51)
    }

    /// Trains every model on each protocol's training part with the settings chosen for it, and judges it on the test.
    mutating func testEveryModel() throws {
        let progress = book.progressSteps("final test", total: splits.count * Model.allCases.count)
        for split in splits {
            let s = split.data, choice = chosen[split.holdOut] ?? Chosen()
            let isMain = split.holdOut == main.holdOut
            var row = [Model: RankingEvaluation]()
            func run(_ model: Model, _ scorer: Scorer) {
                row[model] = evaluate(scorer, seen: s.trainingRatings, interactions: s.training, heldOut: s.test, sampled: split.holdOut == .last)
                progress.step("\(split.holdOut.key): \(model.name)")
            }
            run(.random, Rankers.random(seed: seed &+ 81))
            run(.popularity, Rankers.popularity(s.training))
            run(.itemItem, Rankers.itemNeighbours(s.training, similarities: itemItem(s.training), neighbours: choice.neighbours))
            // The random protocol's weighted ALS and BPR were trained in "How weighted ALS and BPR learn".
            let walsModel = try (isMain ? mainWALS : nil) ?? wals(s.training, alpha: choice.alpha).model
            walsModels[split.holdOut] = walsModel
            run(.weightedALS, Rankers.factors(walsModel))
            run(.bpr, Rankers.factors(try (isMain ? mainBPR : nil) ?? bpr(s.training, epochs: choice.epochs).model))
            let rated = try ratingModel(s.trainingRatings, validation: nil, epochs: choice.ratingEpochs).model
            run(.ratingModel, Rankers.factors(rated))
            // The same model with the rule of lessons 5 to 8: movies with too few interactions are never recommended.
            let minimum = s.training.minimumRatingsToRecommend()
            minimums[split.holdOut] = minimum
            run(.ratingModelFiltered, Self.filtered(rated, counts: s.training.itemCounts, minimum: minimum))
            results[split.holdOut] = row
        }
        progress.finish()
    }

    /// One model's test numbers for results.json.
    static func testJSON(_ e: RankingEvaluation) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("ndcg", e.ndcg.json), ("ndcg_interval_95", e.ndcgInterval.json), ("precision", e.precision.json), ("recall", e.recall.json),
            ("map", e.map.json), ("hit_rate", e.hitRate.json), ("auc", e.auc.json), ("coverage", e.coverage.json),
            ("popular_share", e.popularShare.json), ("mean_popularity_rank", e.meanPopularityRank.json), ("users", e.users.count.json),
            ("precision_curve", e.precisionCurve.json), ("recall_curve", e.recallCurve.json)
        ]
        if let hit = e.sampledHitRate, let ndcg = e.sampledNDCG { fields += [("sampled_hit_rate", hit.json), ("sampled_ndcg", ndcg.json)] }
        return JSONValue.object(fields)
    }
}

extension RankingEvaluation {
    /// The half-width of the 95% interval of NDCG@k, from its spread over the users.
    var ndcgInterval: Double { MeanInterval.halfWidth(ndcgPerUser) }
}
