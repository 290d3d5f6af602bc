// Lesson 5: MovieLens. Cost, gradients, gradient check, batch gradient descent, RMSE and recommendations.
//
// Run it with `swift run lesson-5` (downloads MovieLens 100K once), or point it at a copy:
// `swift run lesson-5 --data path/to/ml-100k`.

import CFCore
import Exercises
import Figures
import Foundation
import LessonKit
import MovieLens
import TextOutput

let options = Options.parseOrExplain()
let yourCells = Lesson5Cells(cost: { try cost($0, features: $1, preferences: $2, lambda: $3) },
                             gradients: { try gradients($0, features: $1, preferences: $2, lambda: $3) },
                             gradientStep: { try gradientStep($0, features: &$1, preferences: &$2, alpha: $3, lambda: $4) })
let chosenCells = options.common.solutions ? Lesson5Cells.solutions : yourCells

Lesson.run(5, options: options.common, exercises: chosenCells.exercises()) { book in
    let cells = chosenCells.completed(book.writtenCells)
    let k = options.k, λ = options.lambda, α = options.alpha

    // MARK: The data
    book.heading("The data")
    let movieLens = try book.loadMovieLens(data: options.movieLensOptions.data)
    let all = movieLens.ratings
    let histogramLabels = stride(from: movieLens.scale.lowerBound, through: movieLens.scale.upperBound,
                                 by: movieLens.format == .latestSmall ? 0.5 : 1).map { $0 }
    let histogram = histogramLabels.map { value in Double(all.entries.filter { $0.value == value }.count) }
    book.table(Table(header: ["data set", "users", "movies", "ratings", "density", "mean rating"], rows: [[
        movieLens.format.rawValue, String(all.userCount), String(all.itemCount), String(all.count),
        "\(100 * all.density, digits: 2)" + "%", "\(all.mean, digits: 3)",
    ]]))
    book.paragraph("""
        Think of it as a \(all.userCount) × \(all.itemCount) matrix Y of users by movies in which only
        \(100 * all.density, digits: 1)% of the cells are filled: most people have seen few movies. The ratings lean
        positive: people mostly rate what they chose to watch.
        """)
    try book.figure(.bars(name: "rating-histogram", title: "How often each rating is given (\(movieLens.format.rawValue))",
                          xLabel: "rating", yLabel: "number of ratings",
                          labels: histogramLabels.map { formatFixed($0, digits: movieLens.format == .latestSmall ? 1 : 0) },
                          values: histogram))
    // Everything the run needs from you is checked before any training: the user, and your ratings file.
    let user = try movieLens.user(id: options.user)
    let newUser = try options.newUserOptions.newUser(in: movieLens)
    let split = try movieLens.split(seed: book.seed)
    let training = split.training, test = split.test
    book.paragraph("""
        We train on \(training.count) ratings and keep \(test.count) aside to test on, using \(split.description). The test
        ratings play no part in training: they measure how well the model predicts ratings it has never seen.
        """)
    book.record("dataset", movieLens.format.rawValue)
    book.record("synthetic", movieLens.isSynthetic)
    book.record("users", all.userCount)
    book.record("movies", all.itemCount)
    book.record("ratings", all.count)
    book.record("training_ratings", training.count)
    book.record("test_ratings", test.count)

    // MARK: The cost function
    book.heading("The cost function")
    book.paragraph("""
        Each movie i gets a feature vector x_i and each user u a preference vector θ_u, both of length k = \(k). The model
        predicts θ_u · x_i, and the cost J adds up the squared errors over the observed ratings only, plus an L2 penalty
        that keeps the vectors small:
        """)
    book.code("J(X, Θ) = ½ Σ over observed (u, i) of (θ_u · x_i − y_ui)²  +  λ/2 (Σ ‖x_i‖² + Σ ‖θ_u‖²)")
    var rng = RandomState(seed: book.seed)
    let x0 = 0.01 * rng.randn(training.itemCount, k), theta0 = 0.01 * rng.randn(training.userCount, k)
    // ✏️ Your `cost` (Cells.swift), once written.
    let costPlain = try cells.cost(training, x0, theta0, 0), costRegularized = try cells.cost(training, x0, theta0, λ)
    book.table(Table(header: ["cost at the start", "value"], rows: [
        ["J without the L2 term", "\(costPlain, digits: 1)"],
        ["J with λ = \(λ)", "\(costRegularized, digits: 1)"],
    ]))
    book.paragraph("""
        Why so large? X and Θ start as 0.01·randn, so every prediction θ_u · x_i is within a hair of 0, while the ratings
        are between \(movieLens.scale.lowerBound, digits: 1) and \(movieLens.scale.upperBound, digits: 0), averaging
        \(training.mean, digits: 2). Half the sum of about \(training.mean * training.mean, digits: 1) per rating over
        \(training.count) ratings is \(costPlain, digits: 0). The L2 term adds almost nothing yet: the vectors are tiny.
        """)
    book.record("initial_cost", costPlain)
    book.record("initial_cost_regularized", costRegularized)

    // MARK: Gradients and the check
    book.heading("Gradients, and checking them")
    book.paragraph("Differentiating J gives, for every movie and every user, a sum over that movie's or that user's ratings only:")
    book.code("""
        ∂J/∂x_i = Σ over users u who rated i of (θ_u · x_i − y_ui) θ_u  +  λ x_i
        ∂J/∂θ_u = Σ over movies i rated by u of (θ_u · x_i − y_ui) x_i  +  λ θ_u
        """)
    book.paragraph("""
        Both come from one pass over the observed ratings: for each rating, compute its error once and add it, weighted,
        to two gradient rows. A mistake in a gradient is silent (training just goes badly), so before trusting it we
        compare it with the slope measured numerically, (J(w + ε) − J(w − ε)) / 2ε, one parameter at a time, on a small
        random problem (4 users, 5 movies, 3 features, λ = 1.5).
        """)
    var checkRNG = RandomState(seed: book.seed &+ 7)
    let small = try Ratings(userCount: 4, itemCount: 5, ratings: (0..<4).flatMap { u in (0..<5).compactMap { i in
        checkRNG.rand() < 0.6 || (u + i) % 4 == 0 ? Rating(user: u, item: i, value: Double(1 + checkRNG.integer(upTo: 4))) : nil
    } })
    // ✏️ Your `gradients` against finite differences of your `cost` (Cells.swift), once written.
    let checkX = checkRNG.randn(5, 3), checkTheta = checkRNG.randn(4, 3)
    let difference = try cells.gradientCheck(small, features: checkX, preferences: checkTheta, lambda: 1.5)
    book.paragraph("""
        Largest relative difference between the analytic and the numerical gradient over all \(5 * 3 + 4 * 3) parameters:
        \(String(format: "%.2e", difference)). Anything below about 1e-9 means the formulas and the code agree; a wrong
        sign or a missing term would show up as a difference near 1.
        """)
    book.record("gradient_check_max_relative_difference", difference)

    // MARK: Mean normalization
    book.heading("Mean normalization")
    let prior = Ratings.meanPrior
    let means = training.itemMeans(prior: prior), plainMeans = training.itemMeans()
    let normalized = training.subtracting(itemOffsets: means)
    book.paragraph("""
        Before training we subtract each movie's mean rating from its ratings, learn X and Θ on what is left, and add the
        mean back when predicting: prediction = mean_i + θ_u · x_i. The factors then only have to explain how a user
        departs from a movie's usual reception. It also gives a sensible answer for a user with no ratings at all: their θ
        is pulled to 0 by the L2 term, so they are predicted each movie's mean rating instead of 0.
        """)
    book.paragraph("""
        One refinement: a movie rated 5 by two people has a plain mean of 5, which says more about luck than about the
        movie, and every user would be predicted 5 for it. So each mean is shrunk toward the mean of all ratings
        (\(training.mean, digits: 2)) by a prior worth \(prior, digits: 0) ratings: mean_i = (sum of its ratings + \(prior, digits: 0) ×
        \(training.mean, digits: 2)) / (its number of ratings + \(prior, digits: 0)). Two 5s give
        \((10 + prior * training.mean) / (2 + prior), digits: 2); with hundreds of ratings the movie keeps its own mean.
        """)
    let baseline = FactorModel(userFactors: Matrix(rows: training.userCount, columns: 1), itemFactors: Matrix(rows: training.itemCount, columns: 1),
                               itemBias: means, ratingScale: movieLens.scale)
    let baselineTest = Metrics.rmse(baseline, on: test)
    let plainBaseline = FactorModel(userFactors: baseline.userFactors, itemFactors: baseline.itemFactors, itemBias: plainMeans,
                                    ratingScale: movieLens.scale)
    let plainTest = Metrics.rmse(plainBaseline, on: test)
    let rare = training.entries.filter { training.ratings(ofItem: Int($0.item)).count < 20 }
    let rareMean = rare.isEmpty ? training.mean : rare.reduce(0) { $0 + $1.value } / Double(rare.count)
    book.paragraph("""
        That mean alone is already a recommender of sorts. Predicting every test rating by the movie's shrunk mean in the training
        ratings gives an RMSE of \(baselineTest, digits: 4) stars: the number to beat. The plain means give \(plainTest, digits: 4)\(plainTest < baselineTest
            ? ": shrinking costs a little accuracy here\(rareMean < training.mean ? ", because the ratings of rarely rated movies (fewer than 20) average \(rareMean, digits: 2), below the global mean \(training.mean, digits: 2) it pulls them to (lesson 6's biases learn that)" : ""). It is done for trust, not for RMSE"
            : ": shrinking also helps the RMSE here").
        """)
    book.record("baseline_movie_mean_rmse_test", baselineTest)
    book.record("baseline_plain_movie_mean_rmse_test", plainTest)

    // MARK: Batch gradient descent
    book.heading("Batch gradient descent")
    book.paragraph("""
        Each iteration computes both gradients over all \(training.count) training ratings and takes one step downhill:
        X −= α ∂J/∂X and Θ −= α ∂J/∂Θ, with α = \(α) and λ = \(λ), \(options.iterations) times.
        """)
    let gdBar = book.progress("batch gradient descent", total: options.iterations)
    let gdStart = Date()
    // ✏️ Each iteration is your `gradientStep`, each cost your `cost` (Cells.swift), once written.
    let gd = try descend(normalized, features: x0, preferences: theta0, alpha: α, lambda: λ, iterations: options.iterations,
                         cells: cells) { iteration, cost in
        gdBar.update(iteration, detail: "J = \(cost, digits: 1)")
    }
    let gdSeconds = Date().timeIntervalSince(gdStart)
    gdBar.finish()
    let gdModel = FactorModel(userFactors: gd.preferences, itemFactors: gd.features, itemBias: means, ratingScale: movieLens.scale)
    let shown = [0, 1, 2, 5, 10, 20, 50, 100, 150, 200, 300, 500, options.iterations].filter { $0 <= options.iterations }
    book.table(Table(header: ["iteration", "J (normalized ratings)"], rows: Array(Set(shown)).sorted().map {
        [String($0), "\(gd.costs[$0], digits: 1)"]
    }), caption: "The cost during batch gradient descent")
    book.paragraph("""
        The cost falls fast at first, then slowly: a plain gradient step is cautious, because one α must suit the movies
        with hundreds of ratings, whose gradients are large. It took \(formatSeconds(gdSeconds)), or
        \(1000 * gdSeconds / Double(options.iterations), digits: 1) ms per iteration.
        """)

    // MARK: SGD
    book.heading("The same model by SGD")
    book.paragraph("""
        Stochastic gradient descent, as in the fast.ai course and lesson 4, updates after every single rating instead of
        after all of them: many small, noisy steps per pass. Same model, same starting point, ratings visited in a fresh
        random order each epoch, learning rate \(options.sgdRate) and regularization \(options.sgdReg) per update. To compare the two,
        we compute the same cost J after every SGD epoch; one GD iteration is also one pass over the ratings.
        """)
    var sgdCosts = [try cells.cost(normalized, x0, theta0, λ)]
    let sgdBar = book.progress("SGD", total: options.epochs)
    let sgdStart = Date()
    let sgd = try StochasticGradientDescent.train(
        normalized, .init(factors: k, learningRate: options.sgdRate, regularization: options.sgdReg, epochs: options.epochs,
                          order: .shuffled(seed: book.seed)),
        initialUserFactors: theta0, initialItemFactors: x0) { report in
        let cost = try cells.cost(normalized, report.model.itemFactors, report.model.userFactors, λ)
        sgdCosts.append(cost)
        sgdBar.update(report.epoch, detail: "J = \(cost, digits: 1)")
        return true
    }
    let sgdSeconds = Date().timeIntervalSince(sgdStart)
    sgdBar.finish()
    let sgdModel = FactorModel(userFactors: sgd.model.userFactors, itemFactors: sgd.model.itemFactors, itemBias: means,
                               ratingScale: movieLens.scale)
    try book.figure(.lines(name: "cost", title: "Cost J per pass over the training ratings: batch GD against SGD",
                           xLabel: "epoch (one pass over the ratings)", yLabel: "J on mean-normalized ratings",
                           series: [Series("batch gradient descent (α = \(α))", x: gd.costs.indices.map(Double.init), y: gd.costs),
                                    Series("SGD (lr = \(options.sgdRate))", x: sgdCosts.indices.map(Double.init), y: sgdCosts)]))
    // Per pass over the ratings, which of the two is lower, over the passes both made.
    let passes = min(options.epochs, options.iterations)
    let sgdLower = (1...passes).filter { sgdCosts[$0] < gd.costs[$0] }.count
    let comparison = sgdLower == passes ? "SGD, with its many steps per pass, is below batch GD after every one of the \(passes) passes both made"
        : sgdLower == 0 ? "Here batch GD is below SGD after every one of the \(passes) passes both made: with these rates its one big step per pass does more than SGD's many small ones"
        : "SGD is below batch GD after \(sgdLower) of the \(passes) passes both made"
    book.paragraph("""
        Both start from factors near 0. With every x_i and θ_u near 0, each gradient is a sum of errors times vectors near 0, so
        it is near 0 too: the starting point sits close to a saddle of J, and it takes a while for the factors to grow
        out of it. \(comparison). SGD's
        penalty is applied per update rather than as J's λ term, so J is not exactly what SGD minimizes, and its J can
        tick up while its own objective still falls. It took
        \(formatSeconds(sgdSeconds)) for \(options.epochs) epochs (\(1000 * sgdSeconds / Double(options.epochs), digits: 1) ms each).
        """)

    // MARK: Evaluation
    book.heading("How good are the predictions?")
    func row(_ name: String, _ model: FactorModel, _ seconds: Double?) -> [String] {
        [name, "\(Metrics.rmse(model, on: training), digits: 4)", "\(Metrics.rmse(model, on: test), digits: 4)",
         "\(Metrics.mae(model, on: test), digits: 4)", seconds.map(formatSeconds) ?? ""]
    }
    book.table(Table(header: ["model", "RMSE train", "RMSE test", "MAE test", "training time"], rows: [
        row("movie mean (baseline)", baseline, nil),
        row("batch GD, \(options.iterations) iterations", gdModel, gdSeconds),
        row("SGD, \(options.epochs) epochs", sgdModel, sgdSeconds),
    ]), caption: "Root mean squared error in stars (predictions clipped to the rating scale)")
    let gdTest = Metrics.rmse(gdModel, on: test), sgdTest = Metrics.rmse(sgdModel, on: test)
    let beaten = [gdTest, sgdTest].filter { $0 < baselineTest }.count
    book.paragraph((beaten == 2
        ? "Both factor models beat the movie mean on ratings they never saw, by \(baselineTest - min(gdTest, sgdTest), digits: 3) stars for the better one."
        : beaten == 1
        ? "Only \(gdTest < sgdTest ? "batch GD" : "SGD") beats the movie mean on ratings it never saw, by \(baselineTest - min(gdTest, sgdTest), digits: 3) stars; the other needs other settings."
        : "Neither factor model beats the movie mean on ratings they never saw with these settings: try another λ or more iterations.")
        + " The gap between train and test RMSE is the price of fitting: a model explains its training ratings better than new ones.")
    var sampleRNG = RandomState(seed: book.seed &+ 3)
    let sample = sampleRNG.permutation(test.count).prefix(3000).map { test.entries[$0] }
    try book.figure(.scatter(name: "predicted-vs-actual", title: "Predicted against actual test ratings (3,000 of them, batch GD)",
                             xLabel: "actual rating", yLabel: "predicted rating",
                             groups: [PointGroup("test ratings", points: sample.map {
                                 Point(x: $0.value + 0.25 * (sampleRNG.rand() - 0.5), y: gdModel.predict(user: Int($0.user), item: Int($0.item)))
                             })], diagonal: true))
    book.note("the actual ratings in the scatter are jittered sideways by up to ±0.12 so that the points do not pile up.")
    book.record("gd_rmse_train", Metrics.rmse(gdModel, on: training))
    book.record("gd_rmse_test", gdTest)
    book.record("gd_seconds", gdSeconds)
    book.record("gd_costs", gd.costs)
    book.record("sgd_rmse_train", Metrics.rmse(sgdModel, on: training))
    book.record("sgd_rmse_test", sgdTest)
    book.record("sgd_seconds", sgdSeconds)
    book.record("sgd_costs", sgdCosts)

    // MARK: Recommendations
    book.heading("Recommendations for user \(options.user)")
    let minimumRatings = training.minimumRatingsToRecommend()
    func showTop(_ model: FactorModel, for user: Int, excluding rated: Ratings, caption: String) -> JSONValue {
        let top = model.recommendations(for: user, count: 10, excluding: rated, minimumRatings: minimumRatings)
        guard !top.isEmpty else {
            book.paragraph("""
                \(caption): nothing is left to recommend. Every movie with at least \(minimumRatings) training ratings has been
                rated already, and a recommender only suggests what is not yet seen.
                """)
            return .array([])
        }
        book.table(Table(header: ["#", "movie", "predicted", "mean rating", "training ratings"], rows: top.enumerated().map { rank, r in
            [String(rank + 1), movieLens.titles[r.item], r.shown, "\(plainMeans[r.item], digits: 2)", String(rated.ratings(ofItem: r.item).count)]
        }), caption: caption)
        return recommendationsJSON(top, movieLens: movieLens, counts: rated)
    }
    let favourites = training.ratings(ofUser: user).sorted { $0.value > $1.value }.prefix(5)
    book.paragraph("User \(options.user) rated \(training.ratings(ofUser: user).count) movies in the training ratings; their favourites include "
        + favourites.map { "\(movieLens.titles[Int($0.item)]) (\($0.value, digits: 0))" }.joined(separator: ", ") + ".")
    let recommended = showTop(gdModel, for: user, excluding: training, caption: "Top 10 for user \(options.user) (batch GD model)")
    book.paragraph("""
        Movies the user already rated are left out, and so are movies with fewer than \(minimumRatings) training ratings:
        even shrunk, a mean from a handful of ratings is shaky, and so are the factors learned from them. (The bar is 20
        ratings, lowered only on a catalogue where fewer than a tenth of the movies reach 20, to what its most rated tenth
        has.) A predicted rating is clipped to the scale; when the model's raw score lies beyond it, the score follows in
        parentheses, and the list is ranked by it. Lesson 6 refines the shrinking with biases for users and movies.
        """)
    book.record("minimum_ratings", minimumRatings)
    book.record("recommended_user", options.user)
    book.record("recommended", recommended)

    // MARK: You
    book.heading("Rate a few movies yourself")
    let mine = newUser.ratings
    book.paragraph("The new user here is \(newUser.description)\(options.newUserOptions.myRatings == nil ? "; pass your own with --my-ratings FILE" : "").")
    // At most 20 rows: a file that rates hundreds of movies is summarized, not printed whole.
    let shownRatings = mine.prefix(20)
    book.table(Table(header: ["movie", "rating"], rows: shownRatings.map {
        [movieLens.titles[$0.item], "\($0.rating, digits: movieLens.step < 1 ? 1 : 0)"]
    }), caption: (options.newUserOptions.myRatings == nil ? "The new user's ratings" : "Your ratings")
        + (mine.count > shownRatings.count ? " (the first \(shownRatings.count) of \(mine.count))" : ""))
    let you = training.userCount
    let withYou = try Ratings(userCount: training.userCount + 1, itemCount: training.itemCount,
                              ratings: training.entries + mine.map { Rating(user: you, item: $0.item, value: $0.rating) })
    let youMeans = withYou.itemMeans(prior: prior)
    // Warm start: the trained factors, plus a small random θ for you; a few dozen iterations settle it.
    let warmIterations = min(options.iterations, 50)
    let youBar = book.progress("retraining with you", total: warmIterations)
    let retrained = try descend(
        withYou.subtracting(itemOffsets: youMeans), features: gd.features,
        preferences: Matrix(rows: withYou.userCount, columns: k, elements: gd.preferences.elements + (0.01 * rng.randn(1, k)).elements),
        alpha: α, lambda: λ, iterations: warmIterations, cells: cells) { i, _ in
        youBar.update(i)
    }
    youBar.finish()
    let youModel = FactorModel(userFactors: retrained.preferences, itemFactors: retrained.features, itemBias: youMeans, ratingScale: movieLens.scale)
    book.paragraph("""
        Your ratings join the training ratings as one more user, and the model is retrained, starting from the factors it
        has already learned (\(warmIterations) more iterations): the movies barely move, your θ finds its place among them.
        """)
    let yours = showTop(youModel, for: you, excluding: withYou, caption: "Top 10 for you")
    book.record("new_user_recommended", yours)

    book.heading("Exercises")
    book.cellExercises()
    book.exercise("Change λ: `swift run lesson-5 --lambda 1`, then `--lambda 30`. Which gives the best test RMSE, and why not the smallest?")
    book.exercise("Change α: try `--alpha 0.006` and `--alpha 0.02`. What happens to the cost curve? When does it diverge?")
    book.exercise("Write your own ratings file (`movie id, rating` per line; \(movieLens.whereMovieIDsAre)) and run with `--my-ratings FILE`.")
    book.exercise("Compare the recommendations for two users with opposite tastes (`--user 1`, `--user 13`). How personal are they?")
}
