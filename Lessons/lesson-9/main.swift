// Lesson 9: beyond stars. MovieLens read as implicit feedback (who watched what), ranking models judged by the short
// list they show: two evaluation protocols, the ranking metrics, popularity, item-item neighbours, weighted ALS,
// BPR and a rating model, sampled against full ranking, and a new user's list from a few interactions.
//
// Run it with `swift run -c release lesson-9` (`make lesson-9` does).

import CFCore
import Exercises
import Figures
import Foundation
import LessonKit
import MovieLens
import TextOutput

let options = Options.parseOrExplain()
let yourCells = Lesson9Cells(
    precisionAtK: { try precisionAtK($0, relevant: $1, k: $2) },
    ndcgAtK: { try ndcgAtK($0, relevant: $1, k: $2) },
    bprStep: { p, lr, λ in
        try bprStep(user: p.user, positive: p.positive, negative: p.negative, positiveBias: p.positiveBias, negativeBias: p.negativeBias,
                    learningRate: lr, lambda: λ)
    })
let chosenCells = options.common.solutions ? Lesson9Cells.solutions : yourCells

Lesson.run(9, options: options.common, exercises: chosenCells.exercises()) { book in
    let cells = chosenCells.completed(book.writtenCells)
    let seed = book.seed, top = options.top, k = options.factors, iterations = options.iterations
    let movieLens = try book.loadMovieLens(data: options.movieLensOptions.data)
    let titles = movieLens.titles, ratings = movieLens.ratings
    book.record("dataset", movieLens.format.rawValue)
    book.record("synthetic", movieLens.isSynthetic)
    // The new user's file is read before any training, so a mistake in it costs nothing.
    let newUser = try options.newUserOptions.newUser(in: movieLens)
    let threshold = options.positiveOnly ? min(4, movieLens.scale.upperBound) : nil
    let positives = threshold.map { ratings.keeping(atLeast: $0) } ?? ratings

    // MARK: The data
    book.heading("Who watched what")
    let reading = threshold.map { "only a rating of \(formatFixed($0, digits: 0)) stars or more counts as an interaction (a movie the person chose and liked); lower ratings only mark movies already seen" }
        ?? "every rating is an interaction, whatever its stars: the person chose to watch the movie"
    book.paragraph("""
        Most recommenders never see a star. They see what people clicked, played or bought, and they are judged by the
        short list they show, not by how close a predicted rating comes. This lesson reads \(movieLens.format.rawValue) that
        way: \(reading). That gives
        \(positives.count) interactions between \(positives.userCount) users and \(positives.itemCount) movies, \(100 * positives.density, digits: 1)% of
        all pairs. A missing pair is not a dislike: the person may never have heard of the movie. There are no negatives
        in the data, only positives and the unknown, and a model must be trained and judged on that.
        """)
    let popularityAll = positives.itemCounts
    let orderAll = popularityAll.indices.sorted { popularityAll[$0] != popularityAll[$1] ? popularityAll[$0] > popularityAll[$1] : $0 < $1 }
    let topTenthShare = Double(orderAll.prefix(max(1, positives.itemCount / 10)).reduce(0) { $0 + popularityAll[$1] }) / Double(positives.count)
    book.paragraph("""
        Interactions are \(topTenthShare > 0.3 ? "very uneven" : "fairly even"): the most watched tenth of the movies holds \(100 * topTenthShare, digits: 0)% of them. A
        list of the most popular movies is the recommender every model must beat, and it is harder to beat than it looks.
        """)
    book.record("interactions", positives.count)
    book.record("positive_only", options.positiveOnly)
    book.record("top_tenth_share", topTenthShare)

    // MARK: Protocols
    book.heading("Two ways to hold out")
    struct Split {
        let name: String, key: String
        /// Interactions (value 1): what the models learn from (fit) or are finally trained on (training), and what they must
        /// find (validation, test: with the ratings).
        let fit: Ratings, validation: Ratings, training: Ratings, test: Ratings
        /// All ratings outside the held-out cells: what each user has already seen, and what the rating model learns from.
        let fitRatings: Ratings, trainingRatings: Ratings
    }
    func makeSplit(name: String, key: String, _ hold: (Ratings) throws -> (training: Ratings, heldOut: Ratings)) throws -> Split {
        let (training, test) = try hold(positives)
        let (fit, validation) = try hold(training)
        let trainingRatings = ratings.removing(test)
        return Split(name: name, key: key, fit: fit.interactions, validation: validation, training: training.interactions, test: test,
                     fitRatings: trainingRatings.removing(validation), trainingRatings: trainingRatings)
    }
    var holdoutRNG = RandomState(seed: seed &+ 21)
    var splits = [try makeSplit(name: "random 20% per user", key: "random") { try $0.holdingOutPerUser(0.2, rng: &holdoutRNG) }]
    if let times = movieLens.times {
        splits.append(try makeSplit(name: "leave last out", key: "last") { try $0.holdingOutLatest(times: times) })
    }
    book.paragraph("""
        The random protocol holds out 20% of each user's interactions, chosen at random: can the model find the rest of
        what a person watched? It is usually the easier one, because the held-out movies are mixed through the person's whole
        history. Leave-last-out holds out each user's most recent interaction by its timestamp: can the model guess what
        the person watched next? That is closer to a deployed recommender, which only ever knows the past. Each protocol
        carves a validation split from its training interactions the same way (random 20% again, or the last interaction
        before the held-out one), and every setting below is chosen on it; the test interactions are used once.
        \(movieLens.times == nil ? "This data set has no timestamps, so only the random protocol runs." : "")
        """)
    book.table(Table(header: ["protocol", "fit", "validation", "training", "test", "users tested"], rows: splits.map { s in
        [s.name, String(s.fit.count), String(s.validation.count), String(s.training.count), String(s.test.count),
         String((0..<s.test.userCount).filter { !s.test.ratings(ofUser: $0).isEmpty }.count)]
    }), caption: "Interactions in each part (training = fit + validation)")
    book.record("splits", JSONValue.object(splits.map { s in
        (s.key, JSONValue.object([("fit", s.fit.count.json), ("validation", s.validation.count.json), ("training", s.training.count.json), ("test", s.test.count.json)]))
    }))

    // MARK: Metrics
    book.heading("Judging a short list")
    book.paragraph("""
        Every model scores the whole catalogue for a user; the movies the user has already seen are removed, and the rest
        is sorted. The top \(top) is what the user would see. With R the user's held-out movies and L the list:
        """)
    book.code("""
        precision@\(top) = |top \(top) ∩ R| / \(top)        recall@\(top) = |top \(top) ∩ R| / |R|        hit rate@\(top) = 1 if top \(top) ∩ R is not empty
        NDCG@\(top)  = Σ over places p ≤ \(top) holding a movie of R of 1 / log₂(p + 1), divided by the same sum for the best possible list
        MAP@\(top)   = Σ over places p ≤ \(top) holding a movie of R of precision@p, divided by min(\(top), |R|)
        AUC       = the share of (held-out, other) pairs in which the held-out movie is ranked higher, over the whole list
        """)
    book.paragraph("""
        Precision and recall ignore the order within the top \(top); NDCG and MAP reward a hit near the top more than one
        near the bottom; AUC looks at the whole catalogue, including places nobody scrolls to. Each is averaged over the
        users with a held-out movie. Two more say what the lists do to the catalogue: coverage (the share of movies that
        appear in anybody's top \(top)) and popularity bias (the share of recommended movies among the most watched tenth,
        and their mean popularity rank, 1 being the most watched).
        """)

    // ✏️ Your `precisionAtK` and `ndcgAtK` (Cells.swift), on one user's list from the popularity ranker.
    let demo = splits[0]
    let demoUser = (0..<demo.test.userCount).first { demo.test.ratings(ofUser: $0).count >= 3 } ?? 0
    let demoEvaluation = RankingEvaluation(Rankers.popularity(demo.training), training: demo.trainingRatings, heldOut: demo.test, k: top,
                                           curveLength: top, popularity: demo.training.itemCounts)
    if let index = demoEvaluation.users.firstIndex(of: demoUser) {
        let list = demoEvaluation.lists[index], relevant = Set(demo.test.ratings(ofUser: demoUser).map { Int($0.item) })
        let yourPrecision = try cells.precisionAtK(list, relevant, top), yourNDCG = try cells.ndcgAtK(list, relevant, top)
        let hits = list.prefix(top).enumerated().filter { relevant.contains($0.element) }.map { $0.offset + 1 }
        book.paragraph("""
            For example, user \(movieLens.userIDs[demoUser]) has \(relevant.count) held-out movies, and the popularity list hits them at
            place\(hits.count == 1 ? "" : "s") \(hits.isEmpty ? "none" : hits.map(String.init).joined(separator: ", ")) of its top \(top).
            \(book.writtenCells.contains("precisionAtK") ? "Your `precisionAtK`" : "The course's `precisionAtK`") gives \(yourPrecision, digits: 3)
            and \(book.writtenCells.contains("ndcgAtK") ? "your `ndcgAtK`" : "the course's `ndcgAtK`") \(yourNDCG, digits: 3); the core's metrics give
            \(RankingMetrics.precision(list, relevant: relevant, k: top), digits: 3) and \(RankingMetrics.ndcg(list, relevant: relevant, k: top), digits: 3).
            """)
        book.record("metric_cells", JSONValue.object([("user", movieLens.userIDs[demoUser].json), ("precision", yourPrecision.json), ("ndcg", yourNDCG.json),
                                                      ("precision_core", RankingMetrics.precision(list, relevant: relevant, k: top).json),
                                                      ("ndcg_core", RankingMetrics.ndcg(list, relevant: relevant, k: top).json)]))
    }

    // MARK: Models
    book.heading("The models")
    book.paragraph("""
        Six rankers, from the trivial to the trained. **Random** scores every movie by a coin: the floor. **Popularity**
        shows everyone the most watched movies they have not seen. **Item-item** (lesson 7's neighbours, on interactions)
        scores a movie by the sum of its cosine similarities to the movies the user watched, each of those keeping only its
        n most similar movies. **Weighted ALS** (Hu, Koren and Volinsky, 2008) fits x_u · y_i to 1 for every watched pair
        and to 0 for every other pair, trusting the watched ones with confidence c = 1 + α. **BPR** (Rendle and others,
        2009) fits the order instead: for a watched movie i and an unwatched j, x_u · y_i + b_i should exceed x_u · y_j + b_j.
        The **rating model** is lesson 6's biased factor model, trained on the stars, ranking by predicted rating; it is
        shown twice, as it is and with the rule of lessons 5 to 8 that hides movies with too few interactions.
        """)
    book.code("""
        weighted ALS:  minimise Σ over all pairs (u, i) of c_ui (p_ui − x_u · y_i)² + λ (Σ ‖x_u‖² + Σ ‖y_i‖²),   p = 1 if watched, else 0
        BPR:           maximise Σ over sampled (u, i watched, j not) of ln σ(x_u · (y_i − y_j) + b_i − b_j) − λ ‖θ‖²
        """)
    book.paragraph("""
        Weighted ALS sums over all \(positives.userCount * positives.itemCount) pairs, yet a user's k × k system
        (YᵀY + Yᵀ(C_u − I)Y + λI) x_u = Yᵀ C_u p_u needs YᵀY once for everybody and then only the user's own movies. It can be
        solved exactly (Cholesky) or improved by three conjugate-gradient steps from the previous iteration's factors, as the
        `implicit` library does; both are timed below, and this run uses \(options.exactALS ? "the exact solve (`--exact-als`)" : "conjugate gradients (`--exact-als` switches to the exact solve)").
        """)

    // Scorers: each model trained on some interactions (and ratings), ready to rank.
    typealias Scorer = @Sendable (Int, inout [Double]) -> Void
    func startFactors(_ rows: Int, _ salt: UInt32) -> Matrix { var rng = RandomState(seed: seed &+ salt); return 0.01 * rng.randn(rows, k) }
    let defaultSolver: ImplicitAlternatingLeastSquares.Solver = options.exactALS ? .cholesky : .conjugateGradient(steps: 3)
    func wals(_ interactions: Ratings, alpha: Double, solver: ImplicitAlternatingLeastSquares.Solver? = nil,
              loss: Bool = false) throws -> ImplicitAlternatingLeastSquares.Result {
        try ImplicitAlternatingLeastSquares.trainFast(interactions, .init(factors: k, lambda: 0.1, alpha: alpha, iterations: iterations),
                                                      solver: solver ?? defaultSolver, initialItemFactors: startFactors(interactions.itemCount, 31),
                                                      initialUserFactors: startFactors(interactions.userCount, 37), computeLoss: loss)
    }
    func bpr(_ interactions: Ratings, epochs: Int) -> BayesianPersonalizedRanking.Result {
        BayesianPersonalizedRanking.train(interactions, .init(factors: k, learningRate: 0.05, lambda: 0.01, epochs: epochs, seed: seed &+ 41))
    }
    func itemItem(_ interactions: Ratings) -> ItemSimilarities { ItemSimilarities.interactionCosine(interactions) }
    func ratingModel(_ fit: Ratings, validation: Ratings?, epochs: Int) throws -> (model: FactorModel, epochs: Int) {
        var rng = RandomState(seed: seed &+ 43)
        let start = (0.01 * rng.randn(fit.userCount, k), 0.01 * rng.randn(fit.itemCount, k))
        let configuration = StochasticGradientDescent.Configuration(
            factors: k, learningRate: 0.005, regularization: 0.08, epochs: epochs, biases: true, order: .shuffled(seed: seed),
            precision: .single, exactLoss: false, biasRegularization: 0.01)
        if let validation {
            let run = try StochasticGradientDescent.trainWithEarlyStopping(fit, validation: validation, configuration, patience: 8,
                                                                           initialUserFactors: start.0, initialItemFactors: start.1, ratingScale: movieLens.scale)
            return (run.model, run.bestEpoch)
        }
        return (try StochasticGradientDescent.train(fit, configuration, initialUserFactors: start.0, initialItemFactors: start.1).model, epochs)
    }
    func evaluate(_ scorer: Scorer, seen: Ratings, interactions: Ratings, heldOut: Ratings, sampled: Bool = false) -> RankingEvaluation {
        RankingEvaluation(scorer, training: seen, heldOut: heldOut, k: top, curveLength: 50, popularity: interactions.itemCounts,
                          sampledNegatives: sampled ? 100 : nil, seed: seed &+ 51)
    }

    // MARK: Validation
    book.heading("Settings chosen on validation")
    let alphas = options.alphas.values, epochGrid = options.epochs.values.sorted(), neighbourGrid = options.neighbours.values.sorted()
    struct Chosen { var alpha = 1.0, epochs = 1, neighbours = 1, ratingEpochs = 1 }
    var chosen = [String: Chosen](), grids = [(String, JSONValue)]()
    let validationBar = book.progress("choosing settings", total: splits.count * (alphas.count + epochGrid.count + neighbourGrid.count + 1))
    var validated = 0
    func tick(_ detail: String) { validated += 1; validationBar.update(validated, detail: detail) }
    var validationRows = [[String]]()
    for split in splits {
        var choice = Chosen()
        func best<T>(_ grid: [T], _ name: String, _ label: (T) -> String, _ ndcg: (T) throws -> Double) rethrows -> (T, [Double]) {
            let scores = try grid.map { value -> Double in defer { tick("\(split.key): \(name) \(label(value))") }; return try ndcg(value) }
            let index = scores.indices.max { scores[$0] < scores[$1] } ?? 0
            validationRows.append([split.name, name] + [grid.indices.map { "\(label(grid[$0])): \(formatFixed(scores[$0], digits: 4))\($0 == index ? " ✓" : "")" }.joined(separator: "   ")])
            return (grid[index], scores)
        }
        let (alpha, alphaScores) = try best(alphas, "weighted ALS", { "α \(formatFixed($0, digits: $0 < 1 ? 1 : 0))" }) { alpha in
            evaluate(Rankers.factors(try wals(split.fit, alpha: alpha).model), seen: split.fitRatings, interactions: split.fit, heldOut: split.validation).ndcg
        }
        let (epochs, epochScores) = best(epochGrid, "BPR", { "\($0) epochs" }) { epochs in
            evaluate(Rankers.factors(bpr(split.fit, epochs: epochs).model), seen: split.fitRatings, interactions: split.fit, heldOut: split.validation).ndcg
        }
        let similarities = itemItem(split.fit)
        let (neighbours, neighbourScores) = best(neighbourGrid, "item-item", { "n \($0)" }) { n in
            evaluate(Rankers.itemNeighbours(split.fit, similarities: similarities, neighbours: n), seen: split.fitRatings,
                     interactions: split.fit, heldOut: split.validation).ndcg
        }
        // The rating model is chosen as lesson 6 chooses it: by its RMSE on the validation ratings (early stopping).
        let validationRatings = split.trainingRatings.removing(split.fitRatings)
        let rating = try ratingModel(split.fitRatings, validation: validationRatings, epochs: 150)
        tick("\(split.key): rating model")
        choice = Chosen(alpha: alpha, epochs: epochs, neighbours: neighbours, ratingEpochs: rating.epochs)
        chosen[split.key] = choice
        grids.append((split.key, JSONValue.object([
            ("wals_alpha", JSONValue.object(zip(alphas, alphaScores).map { (formatFixed($0, digits: 1), $1.json) })),
            ("bpr_epochs", JSONValue.object(zip(epochGrid, epochScores).map { (String($0), $1.json) })),
            ("item_item_neighbours", JSONValue.object(zip(neighbourGrid, neighbourScores).map { (String($0), $1.json) })),
            ("chosen", JSONValue.object([("wals_alpha", alpha.json), ("bpr_epochs", epochs.json), ("item_item_neighbours", neighbours.json),
                                         ("rating_model_epochs", rating.epochs.json)])),
        ])))
    }
    validationBar.finish()
    book.table(Table(header: ["protocol", "model", "validation NDCG@\(top) of each setting (✓ chosen)"], rows: validationRows),
               caption: "Weighted ALS: k = \(k), λ = 0.1, \(options.iterations) iterations; BPR: k = \(k), learning rate 0.05, λ = 0.01")
    book.paragraph("""
        The rating model is not tuned for ranking: it is lesson 6's recipe (k = \(k), λ = 0.08), stopped when its validation
        RMSE stops falling (after \(splits.map { "\(chosen[$0.key]?.ratingEpochs ?? 0) epochs (\($0.name))" }.joined(separator: " and "))).
        """)
    book.record("validation", JSONValue.object(grids))

    // MARK: Training curves and speed
    book.heading("How weighted ALS and BPR learn")
    let main = splits[0], mainChoice = chosen[main.key] ?? Chosen()
    var timings = [(String, Double)]()
    let (cgRun, _) = try timed { try wals(main.training, alpha: mainChoice.alpha, solver: .conjugateGradient(steps: 3), loss: true) }
    let (exactRun, _) = try timed { try wals(main.training, alpha: mainChoice.alpha, solver: .cholesky, loss: true) }
    let (cgFast, cgFastSeconds) = try timed { try wals(main.training, alpha: mainChoice.alpha, solver: .conjugateGradient(steps: 3)) }
    let (exactFast, exactFastSeconds) = try timed { try wals(main.training, alpha: mainChoice.alpha, solver: .cholesky) }
    let mainWALS = options.exactALS ? exactFast : cgFast
    let afterItems = { (losses: [Double]) in stride(from: 1, to: losses.count, by: 2).map { losses[$0] } }
    try book.figure(.lines(name: "wals-loss", title: "Weighted ALS: the objective after each iteration (α = \(formatFixed(mainChoice.alpha, digits: 0)), k = \(k))",
                           xLabel: "iteration", yLabel: "objective (all pairs, confidence-weighted)",
                           series: [Series("3 conjugate-gradient steps per row", y: afterItems(cgRun.losses)),
                                    Series("exact solve (Cholesky)", y: afterItems(exactRun.losses))]))
    let cgLast = cgRun.losses.last ?? .nan, exactLast = exactRun.losses.last ?? .nan
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let perIteration = { (seconds: Double) in 1000 * seconds / Double(options.iterations) }
    book.paragraph("""
        On the random protocol's \(main.training.count) training interactions, on \(cores) core\(cores == 1 ? "" : "s"): an iteration takes
        \(perIteration(cgFastSeconds), digits: 1) ms with three conjugate-gradient steps per row and \(perIteration(exactFastSeconds), digits: 1) ms with the exact
        solve (without computing the objective, which the figure's runs did). After \(options.iterations) iterations the approximate
        objective is \(100 * (cgLast - exactLast) / exactLast, digits: 2)% \(cgLast >= exactLast ? "above" : "below") the exact one: each CG step
        lowers the row's own quadratic, so the objective still falls every half-step, and the rows start from where the
        previous iteration left them.
        """)
    timings.append(("wals_cg_ms_per_iteration", perIteration(cgFastSeconds)))
    timings.append(("wals_cholesky_ms_per_iteration", perIteration(exactFastSeconds)))
    book.record("wals_losses", JSONValue.object([("conjugate_gradient", cgRun.losses.json), ("cholesky", exactRun.losses.json)]))

    let (bprRun, bprSeconds) = timed { bpr(main.training, epochs: mainChoice.epochs) }
    try book.figure(.lines(name: "bpr-loss", title: "BPR: mean −ln σ(x_uij) over each epoch's sampled triples", xLabel: "epoch",
                           yLabel: "mean loss per triple", series: [Series("BPR, k = \(k)", y: bprRun.losses)]))
    let triplesPerSecond = Double(main.training.count * mainChoice.epochs) / bprSeconds
    // ✏️ Your `bprStep` (Cells.swift): the first steps of a run, side by side with the core's `step`.
    var yours = FactorModel(userFactors: startFactors(3, 61), itemFactors: startFactors(6, 67), itemBias: [0.1, -0.2, 0.05, 0, 0.3, -0.1])
    var core = yours, largestGap = 0.0
    var stepRNG = RandomState(seed: seed &+ 71)
    for _ in 0..<20 {
        let u = stepRNG.integer(upTo: 2), i = stepRNG.integer(upTo: 5), j = (i + 1 + stepRNG.integer(upTo: 4)) % 6
        let next = try cells.bprStep((yours.userFactors.row(u), yours.itemFactors.row(i), yours.itemFactors.row(j), yours.itemBias[i], yours.itemBias[j]), 0.5, 0.01)
        yours.userFactors.setRow(u, to: next.user)
        yours.itemFactors.setRow(i, to: next.positive)
        yours.itemFactors.setRow(j, to: next.negative)
        yours.itemBias[i] = next.positiveBias
        yours.itemBias[j] = next.negativeBias
        BayesianPersonalizedRanking.step(&core, user: u, positive: i, negative: j, learningRate: 0.5, lambda: 0.01)
    }
    for (a, b) in zip(yours.userFactors.elements + yours.itemFactors.elements + yours.itemBias, core.userFactors.elements + core.itemFactors.elements + core.itemBias) {
        largestGap = max(largestGap, abs(a - b))
    }
    let bprFirst = bprRun.losses.first ?? .nan, bprLast = bprRun.losses.last ?? .nan
    book.paragraph("""
        BPR's loss falls from \(bprFirst, digits: 3) (ln 2 = 0.693 is a coin) to \(bprLast, digits: 3) over \(mainChoice.epochs) epochs of
        \(main.training.count) sampled triples each: \(triplesPerSecond / 1e6, digits: 1) million triples a second on one core.
        \(book.writtenCells.contains("bprStep") ? "Your `bprStep`" : "The course's `bprStep`") took 20 steps on a small model alongside the core's;
        they differ by at most \(String(format: "%.1e", largestGap)).
        """)
    timings.append(("bpr_triples_per_second", triplesPerSecond))
    book.record("bpr_losses", bprRun.losses)
    book.record("bpr_step_cell_difference", largestGap)
    book.record("speed", JSONValue.object(timings.map { ($0.0, $0.1.json) }))

    // MARK: The test
    book.heading("Tested once")
    let names = ["random", "popularity", "item-item", "weighted ALS", "BPR", "rating model", "rating model (filtered)"]
    var minimums = [String: Int]()
    var results = [String: [String: RankingEvaluation]]()
    var wallsByKey = [String: FactorModel]()
    let testBar = book.progress("final test", total: splits.count * names.count)
    var tested = 0
    for split in splits {
        let choice = chosen[split.key] ?? Chosen()
        var row = [String: RankingEvaluation]()
        let sampled = split.key == "last"
        func run(_ name: String, _ scorer: Scorer) {
            row[name] = evaluate(scorer, seen: split.trainingRatings, interactions: split.training, heldOut: split.test, sampled: sampled)
            tested += 1
            testBar.update(tested, detail: "\(split.key): \(name)")
        }
        run("random", Rankers.random(seed: seed &+ 81))
        run("popularity", Rankers.popularity(split.training))
        run("item-item", Rankers.itemNeighbours(split.training, similarities: itemItem(split.training), neighbours: choice.neighbours))
        let walsModel = split.key == main.key ? mainWALS.model : try wals(split.training, alpha: choice.alpha).model
        wallsByKey[split.key] = walsModel
        run("weighted ALS", Rankers.factors(walsModel))
        run("BPR", Rankers.factors(split.key == main.key ? bprRun.model : bpr(split.training, epochs: choice.epochs).model))
        let rated = try ratingModel(split.trainingRatings, validation: nil, epochs: choice.ratingEpochs).model
        run("rating model", Rankers.factors(rated))
        // The same model with the rule of lessons 5 to 8: movies with too few interactions are never recommended.
        let minimum = split.training.minimumRatingsToRecommend(), counts = split.training.itemCounts
        minimums[split.key] = minimum
        run("rating model (filtered)", { user, scores in
            for i in scores.indices { scores[i] = counts[i] >= minimum ? rated.score(user: user, item: i) : -.infinity }
        })
        results[split.key] = row
    }
    testBar.finish()
    func ndcgInterval(_ e: RankingEvaluation) -> Double {
        let n = Double(e.ndcgPerUser.count), mean = e.ndcg
        let variance = e.ndcgPerUser.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(n - 1, 1)
        return 1.96 * (variance / n).squareRoot()
    }
    for split in splits {
        guard let row = results[split.key] else { continue }
        let order = names.sorted { (row[$0]?.ndcg ?? 0) > (row[$1]?.ndcg ?? 0) }
        book.table(Table(header: ["model", "NDCG@\(top)", "± (95%)", "precision@\(top)", "recall@\(top)", "MAP@\(top)", "hit rate@\(top)", "AUC",
                                  "coverage", "top-10% share", "mean pop. rank"],
                         rows: order.compactMap { name in
            guard let e = row[name] else { return nil }
            return [name, "\(e.ndcg, digits: 4)", "\(ndcgInterval(e), digits: 4)", "\(e.precision, digits: 4)", "\(e.recall, digits: 4)", "\(e.map, digits: 4)",
                    "\(e.hitRate, digits: 3)", "\(e.auc, digits: 3)", "\(100 * e.coverage, digits: 1)%", "\(100 * e.popularShare, digits: 0)%",
                    "\(e.meanPopularityRank, digits: 0)"]
        }), caption: "\(split.name): \(split.test.count) held-out interactions of \(row["random"]?.users.count ?? 0) users, ranked over the whole catalogue, best NDCG@\(top) first")
        try book.figure(.intervals(name: "ndcg-\(split.key)", title: "NDCG@\(top) per model, \(split.name) (mean over users, 95% interval)",
                                   yLabel: "NDCG@\(top)", labels: order, values: order.map { row[$0]?.ndcg ?? 0 },
                                   low: order.map { (row[$0]?.ndcg ?? 0) - (row[$0].map(ndcgInterval) ?? 0) },
                                   high: order.map { (row[$0]?.ndcg ?? 0) + (row[$0].map(ndcgInterval) ?? 0) }))
    }
    book.record("test", JSONValue.object(splits.map { split in
        (split.key, JSONValue.object(names.compactMap { name in
            guard let e = results[split.key]?[name] else { return nil }
            var fields: [(String, JSONValue)] = [
                ("ndcg", e.ndcg.json), ("ndcg_interval_95", ndcgInterval(e).json), ("precision", e.precision.json), ("recall", e.recall.json),
                ("map", e.map.json), ("hit_rate", e.hitRate.json), ("auc", e.auc.json), ("coverage", e.coverage.json),
                ("popular_share", e.popularShare.json), ("mean_popularity_rank", e.meanPopularityRank.json), ("users", e.users.count.json),
                ("precision_curve", e.precisionCurve.json), ("recall_curve", e.recallCurve.json),
            ]
            if let hit = e.sampledHitRate, let ndcg = e.sampledNDCG { fields += [("sampled_hit_rate", hit.json), ("sampled_ndcg", ndcg.json)] }
            return (name, JSONValue.object(fields))
        }))
    }))

    // What the tables show, read from them.
    func beats(_ a: String, _ b: String, on key: String) -> Bool {
        guard let x = results[key]?[a], let y = results[key]?[b] else { return false }
        return x.ndcg - ndcgInterval(x) > y.ndcg
    }
    let trained = ["weighted ALS", "BPR"]
    let verdicts = splits.map { split -> String in
        let row = results[split.key] ?? [:]
        let best = names.max { (row[$0]?.ndcg ?? 0) < (row[$1]?.ndcg ?? 0) } ?? ""
        let beating = trained.filter { beats($0, "popularity", on: split.key) }
        let below = trained.filter { (row[$0]?.ndcg ?? 0) <= (row["popularity"]?.ndcg ?? 0) }
        let close = trained.filter { !beating.contains($0) && !below.contains($0) }
        func verb(_ models: [String], _ one: String, _ many: String) -> String { "\(models.joined(separator: " and ")) \(models.count == 1 ? one : many)" }
        let parts = [beating.isEmpty ? nil : verb(beating, "beats", "beat") + " popularity (\(formatFixed(row["popularity"]?.ndcg ?? 0, digits: 4))) by more than the 95% interval",
                     close.isEmpty ? nil : verb(close, "beats", "beat") + " popularity, but by less than the interval",
                     below.isEmpty ? nil : verb(below, "does", "do") + " not beat popularity\(best == "popularity" ? "" : " (\(formatFixed(row["popularity"]?.ndcg ?? 0, digits: 4)))") at all"].compactMap { $0 }
        return """
            On \(split.name), \(best) ranks best (NDCG@\(top) \(formatFixed(row[best]?.ndcg ?? 0, digits: 4))); \(parts.joined(separator: "; ")).
            """
    }
    let popularityWins = splits.allSatisfy { split in trained.allSatisfy { (results[split.key]?[$0]?.ndcg ?? 0) <= (results[split.key]?["popularity"]?.ndcg ?? 0) } }
    book.paragraph(verdicts.joined(separator: " ") + (popularityWins && movieLens.isSynthetic ? """
         That is what this data allows: the synthetic generator picks which movies a person rates by popularity alone,
        and only the stars depend on taste, so there is nothing in who-watched-what for a model to learn beyond popularity.
        """ : "") + """
         The intervals are 1.96 standard errors of the mean over users: one user's NDCG varies a lot from the next
        user's, and a difference smaller than the intervals is not a finding.
        """)
    if let row = results[main.key], let rating = row["rating model"], let filtered = row["rating model (filtered)"], let pop = row["popularity"],
       let best = trained.compactMap({ row[$0] }).max(by: { $0.ndcg < $1.ndcg }) {
        let rare = rating.lists.filter { list in list.prefix(top).contains { main.training.itemCounts[$0] < (minimums[main.key] ?? 20) } }.count
        book.paragraph("""
            The rating model ranks \(rating.ndcg < pop.ndcg ? "below popularity" : "above popularity") (NDCG@\(top) \(rating.ndcg, digits: 4) on the random
            protocol, against \(best.ndcg, digits: 4) for the better of weighted ALS and BPR). It was trained to predict how many stars a person gives
            a movie they chose to watch, and nothing in its objective says which movies a person will choose: a movie few
            people watched but those few loved gets a high predicted rating. \(rare) of the \(rating.lists.count) users' lists hold a
            movie with fewer than \(minimums[main.key] ?? 20) training interactions, and the mean popularity rank of its recommendations is
            \(rating.meanPopularityRank, digits: 0), against \(best.meanPopularityRank, digits: 0) for that model and \(pop.meanPopularityRank, digits: 0)
            for popularity (the long-tail figure shows how late its curve rises). Hiding those movies, as lessons 5 to 8 do,
            \(filtered.ndcg > rating.ndcg ? "lifts it to \(formatFixed(filtered.ndcg, digits: 4))" : "does not lift it (\(formatFixed(filtered.ndcg, digits: 4)))"), \(filtered.ndcg < pop.ndcg ? "still below popularity" : "above popularity"):
            knowing how much someone will like a movie is not knowing what they will watch. Microsoft's recommenders
            benchmark reports the same gap on MovieLens 100K (NDCG@10 ≈ 0.10 for rating-trained SVD against ≈ 0.44 for BPR,
            under its own protocol).
            """)
    }
    if let row = results[main.key], let pop = row["popularity"], let walsResult = row["weighted ALS"], let item = row["item-item"] {
        book.paragraph("""
            Coverage tells the other half. Popularity shows \(100 * pop.coverage, digits: 1)% of the catalogue to somebody; weighted ALS
            \(100 * walsResult.coverage, digits: 1)%, item-item \(100 * item.coverage, digits: 1)%. \(100 * walsResult.popularShare, digits: 0)% of weighted ALS's
            recommendations are among the most watched tenth of the movies (popularity: \(100 * pop.popularShare, digits: 0)%)\(walsResult.popularShare > 0.5
                ? ": the implicit models are accurate partly because they lean on what is popular, and the metrics reward them for it."
                : ", so its lists reach well beyond the most watched movies.")
            """)
    }

    // Precision–recall curve and long tail, random protocol.
    if let row = results[main.key] {
        try book.figure(.lines(name: "precision-recall", title: "Precision against recall as the list grows from 1 to 50 (\(main.name))",
                               xLabel: "recall@n", yLabel: "precision@n",
                               series: names.compactMap { name in row[name].map { Series(name, x: $0.recallCurve, y: $0.precisionCurve) } }))
        let counts = main.training.itemCounts
        let order = counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        var rankOf = [Int](repeating: 0, count: counts.count)
        for (position, item) in order.enumerated() { rankOf[item] = position + 1 }
        // The long tail: for each model, the share of its top-k slots filled by the n most watched movies, for every n.
        try book.figure(.lines(name: "long-tail", title: "Where the recommendations come from in the long tail (\(main.name))",
                               xLabel: "n: the n most watched movies (log scale)", yLabel: "share of top-\(top) slots filled by them",
                               series: ["random", "popularity", "item-item", "weighted ALS", "BPR", "rating model"].compactMap { name in
            guard let e = row[name] else { return nil }
            var slots = [Int](repeating: 0, count: counts.count + 1), total = 0
            for list in e.lists { for item in list.prefix(top) { slots[rankOf[item]] += 1; total += 1 } }
            var running = 0
            let shares = (1...counts.count).map { n -> Double in running += slots[n]; return Double(running) / Double(max(total, 1)) }
            return Series(name, x: (1...counts.count).map(Double.init), y: shares)
        }, logX: true))
    }

    // MARK: Sampled metrics
    if let row = results["last"], row.values.allSatisfy({ $0.sampledHitRate != nil }) {
        book.heading("Why the course ranks the whole catalogue")
        // Orders of the models by a metric, ties in the order of `names`.
        func order(_ metric: (RankingEvaluation) -> Double) -> [String] {
            names.indices.sorted { a, b in
                let x = row[names[a]].map(metric) ?? 0, y = row[names[b]].map(metric) ?? 0
                return x != y ? x > y : a < b
            }.map { names[$0] }
        }
        let byFull = order(\.ndcg), bySampled = order { $0.sampledNDCG ?? 0 }
        let byFullHit = order(\.hitRate), bySampledHit = order { $0.sampledHitRate ?? 0 }
        book.paragraph("""
            Many papers do not rank the whole catalogue: they rank each held-out movie among 100 randomly drawn movies the user
            never watched, and report hit rate and NDCG on that list of 101. It is cheaper, and it can change which model
            wins (Krichene and Rendle, 2020). Random negatives are mostly obscure movies, which every sensible model already ranks
            low, so the sampled metrics mostly measure whether a model can tell a real choice from an obscure movie.
            """)
        func places(_ name: String, _ full: [String], _ sampled: [String]) -> String {
            "\((full.firstIndex(of: name) ?? 0) + 1) → \((sampled.firstIndex(of: name) ?? 0) + 1)"
        }
        book.table(Table(header: ["model", "full HR@\(top)", "sampled HR@\(top)", "place by HR", "full NDCG@\(top)", "sampled NDCG@\(top)", "place by NDCG"],
                         rows: byFull.compactMap { name in
            guard let e = row[name] else { return nil }
            return [name, "\(e.hitRate, digits: 4)", "\(e.sampledHitRate ?? 0, digits: 4)", places(name, byFullHit, bySampledHit),
                    "\(e.ndcg, digits: 4)", "\(e.sampledNDCG ?? 0, digits: 4)", places(name, byFull, bySampled)]
        }), caption: "Leave last out: the same models and held-out movies, ranked over the whole catalogue or among 100 sampled negatives (place: full → sampled)")
        // Pairs of models that the two protocols order strictly in opposite ways (ties are not a change).
        func swapped(_ full: (RankingEvaluation) -> Double, _ sampled: (RankingEvaluation) -> Double) -> [String] {
            var pairs = [String]()
            for (i, a) in names.enumerated() {
                for b in names[(i + 1)...] {
                    guard let x = row[a], let y = row[b] else { continue }
                    if (full(x) - full(y)) * (sampled(x) - sampled(y)) < 0 { pairs.append("\(a) and \(b)") }
                }
            }
            return pairs
        }
        let moved = swapped(\.ndcg) { $0.sampledNDCG ?? 0 }, movedHit = swapped(\.hitRate) { $0.sampledHitRate ?? 0 }
        let changes = [moved.isEmpty ? nil : "by NDCG, \(moved.count == 1 ? "" : "these pairs: ")\(moved.joined(separator: ", ")) trade places",
                       movedHit.isEmpty ? nil : "by hit rate, \(movedHit.count == 1 ? "" : "these pairs: ")\(movedHit.joined(separator: ", ")) trade places"].compactMap { $0 }
        let inflation = (row["popularity"]?.sampledHitRate ?? 0) / max(row["popularity"]?.hitRate ?? 0, 1e-9)
        book.paragraph("""
            \(changes.isEmpty ? "Here the sampled metrics put the models in the same order as the full ranking, by NDCG and by hit rate, but Krichene and Rendle show data where they do not." : "The order changes: \(changes.joined(separator: "; ")).")
            The sampled numbers are also far larger (popularity's hit rate is \(inflation, digits: 1) times its full-ranking value), and
            they cannot be compared with anybody else's, because they depend on how the negatives were drawn. The full ranking
            costs one sort of \(positives.itemCount) scores per user; the course pays it.
            """)
        book.record("sampled_order_changes", JSONValue.object([("ndcg", moved.json), ("hit_rate", movedHit.json)]))
    }

    // MARK: A new user
    book.heading("A new user from a handful of interactions")
    let watched = newUser.ratings.filter { r in threshold.map { r.rating >= $0 } ?? true }.map(\.item)
    if let walsModel = wallsByKey[main.key], !watched.isEmpty {
        let alpha = mainChoice.alpha
        let x = try ImplicitAlternatingLeastSquares.foldIn(watched.map { ($0, 1.0) }, itemFactors: walsModel.itemFactors,
                                                           .init(factors: k, lambda: 0.1, alpha: alpha))
        let minimum = main.training.minimumRatingsToRecommend()
        let counts = main.training.itemCounts
        let candidates = (0..<positives.itemCount).filter { !watched.contains($0) && counts[$0] >= minimum }
        let score = { (item: Int) in dot(x, walsModel.itemFactors.row(item)) }
        let byModel = candidates.sorted { score($0) != score($1) ? score($0) > score($1) : $0 < $1 }.prefix(top)
        let byPopularity = candidates.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }.prefix(top)
        // Named in full only when they are few: a person who watched hundreds of movies is not read a list of them.
        let watchedNames = watched.count <= 8 ? watched.map { titles[$0] }.joined(separator: ", ")
            : watched.prefix(5).map { titles[$0] }.joined(separator: ", ") + " and \(watched.count - 5) other movies"
        book.paragraph("""
            A person who just arrived has a handful of interactions and no factors. Folding them in is one k × k solve with every
            movie's factors fixed: the same system as a row of weighted ALS, (YᵀY + Yᵀ(C − I)Y + λI) x = Yᵀ C p. Take \(newUser.description),
            who watched \(watchedNames)\(threshold == nil ? " (implicit feedback does not know which of them they liked)" : "").
            """)
        if candidates.isEmpty {
            book.paragraph("""
                Nothing is left to recommend: this person has already watched every movie with at least \(minimum) training
                interactions, and a recommender suggests only what is not yet seen.
                """)
            book.record("new_user", JSONValue.object([("watched", watched.map { movieLens.movieIDs[$0] }.json),
                                                      ("recommended", [Int]().json), ("popular", [Int]().json)]))
        } else {
            book.table(Table(header: ["#", "weighted ALS, folded in", "watched by", "popularity", "watched by"], rows: (0..<min(byModel.count, byPopularity.count)).map { i in
                let a = byModel[byModel.startIndex + i], b = byPopularity[byPopularity.startIndex + i]
                return [String(i + 1), titles[a], String(counts[a]), titles[b], String(counts[b])]
            }), caption: "Top \(top) for the new user (movies with at least \(minimum) training interactions)")
            let shared = Set(byModel).intersection(byPopularity).count
            book.paragraph("""
                The two lists share \(shared) of \(byModel.count) movies. \(shared >= byModel.count * 7 / 10
                    ? "They are nearly the same: on this data a handful of interactions says little more than what is popular."
                    : "The rest of the folded-in list follows the movies this person watched; the popularity list is the same for everybody who has not seen those movies.")
                """)
            book.record("new_user", JSONValue.object([("watched", watched.map { movieLens.movieIDs[$0] }.json),
                                                      ("recommended", byModel.map { movieLens.movieIDs[$0] }.json),
                                                      ("popular", byPopularity.map { movieLens.movieIDs[$0] }.json), ("shared", shared.json)]))
        }
    } else if watched.isEmpty {
        book.paragraph("""
            \(newUser.description.prefix(1).uppercased() + newUser.description.dropFirst()) hold\(options.newUserOptions.myRatings == nil ? "s" : "") no rating of
            \(formatFixed(threshold ?? 0, digits: 0)) or more, so with `--positive-only` this user has no interaction to fold in: a new user with
            nothing to go on gets the popularity list.
            """)
    }

    book.heading("Exercises")
    book.cellExercises()
    book.exercise("Run `--positive-only`. Which models gain when only liked movies count, and does the rating model close the gap?")
    book.exercise("Try `--alphas 0.5,100` and `--factors 100`. When does confidence hurt, and why might a large α make weighted ALS closer to popularity?")
    book.exercise("Look at the long-tail figure: which model recommends from deepest in the tail, and is its NDCG lower for it?")
}
