// Section 7: Rendle, Krichene, Zhang and Anderson's experiment (RecSys 2020): targets made by dot products of random
// embeddings, fitted by a dot-product model and by the network, as the dimension and the number of pairs grow.

import CFCore
import Figures
import LessonKit
import TextOutput

/// One fit of the experiment: the model, the dimension d, the training pairs, and the test error relative to the
/// targets' spread (0: exact; 1: no better than predicting their mean).
struct DotFit {
    let model: String, dimension: Int, pairs: Int, relativeError: Double
}

extension Lesson10 {
    func canANetworkLearnADotProduct() throws {
        book.heading("Can a network learn a dot product?")
        let users = 400, items = 400, testPairs = 8_000
        book.paragraph(
            """
            If a network can learn any function of two embeddings, it can learn their dot product, and the dot product is
            one of its possible answers: so why would the network lose? Rendle et al. tested the premise. Here, \(users) users
            and \(items) movies get random embeddings of d numbers, and every pair's target is their dot product, scaled to a
            spread of 1: data a dot product of dimension d explains exactly. Both models are trained on some of the pairs,
            with the same sigmoid range (−6 to 6), Adam and minibatches, for \(Self.experimentEpochs) epochs, and judged on \(formatGrouped(testPairs)) other pairs by
            their RMSE divided by the targets' spread: 0 is exact, 1 is no better than always predicting the mean.
            """)
        let dimensions = [2, 8, 32], pairCounts = [10_000, 40_000, 120_000], baseline = 40_000
        let bar = book.progress("dot products", total: 2 * (dimensions.count + pairCounts.count - 1))
        // Every fit is independent: side by side, one per core, each on one thread (its numbers do not depend on it).
        let points = (dimensions.map { (dimension: $0, pairs: baseline) } + pairCounts.filter { $0 != baseline }.map { (dimension: 8, pairs: $0) })
            .flatMap { point in ["dot product", "EmbeddingNN"].map { (model: $0, dimension: point.dimension, pairs: point.pairs) } }
        let lesson = self
        let fits = try concurrentMap(
            points, cost: { Double($0.pairs) * ($0.model == "dot product" ? 1 : 2) },
            done: { done, point, _ in bar.update(done, detail: "\(point.model), d = \(point.dimension), \(point.pairs) pairs") }
        ) { point in
            try lesson.dotProductFit(
                model: point.model, users: users, items: items, dimension: point.dimension, pairs: point.pairs, testPairs: testPairs)
        }
        bar.finish()
        func series(_ model: String, _ keep: (DotFit) -> Bool, x: (DotFit) -> Double) -> Series {
            let chosen = fits.filter { $0.model == model && keep($0) }.sorted { x($0) < x($1) }
            return Series(model, x: chosen.map(x), y: chosen.map(\.relativeError))
        }
        try book.figure(
            .lines(
                name: "dot-product-by-dimension", title: "Learning a dot product of dimension d from \(formatGrouped(baseline)) pairs",
                xLabel: "dimension d of the true embeddings", yLabel: "test RMSE / spread of the targets",
                series: ["dot product", "EmbeddingNN"].map { m in series(m, { $0.pairs == baseline }, x: { Double($0.dimension) }) }, logX: true))
        try book.figure(
            .lines(
                name: "dot-product-by-pairs", title: "Learning a dot product of dimension 8 from more and more pairs",
                xLabel: "training pairs", yLabel: "test RMSE / spread of the targets",
                series: ["dot product", "EmbeddingNN"].map { m in series(m, { $0.dimension == 8 }, x: { Double($0.pairs) }) }, logX: true))
        book.paragraph(Self.dotProductReading(fits, baseline: baseline))
        book.record(
            "dot_product_experiment",
            JSONValue.array(
                fits.map {
                    .object([("model", $0.model.json), ("d", $0.dimension.json), ("pairs", $0.pairs.json), ("relative_error", $0.relativeError.json)])
                }))
    }

    /// The epochs of every fit of the experiment, at a constant step size.
    static let experimentEpochs = 8

    /// Makes the experiment's data for dimension d and fits `model` (the dot product with k = d, or the network with
    /// k = d and the lesson's hidden layers) to `pairs` of it.
    func dotProductFit(model: String, users: Int, items: Int, dimension d: Int, pairs: Int, testPairs: Int) throws -> DotFit {
        var rng = RandomState(seed: seed &+ 81 &+ UInt32(d))
        let p = rng.randn(users, d), q = rng.randn(items, d)
        var cells = Array(0..<(users * items))
        rng.shuffle(&cells)
        let scaleBy = 1 / Double(d).squareRoot()  // the dot of two N(0, 1) vectors of d numbers has spread √d
        func rating(_ cell: Int) -> Rating {
            let u = cell / items, i = cell % items
            return Rating(user: u, item: i, value: scaleBy * dot(p.row(u), q.row(i)))
        }
        let train = try Ratings(userCount: users, itemCount: items, ratings: cells.prefix(pairs).map(rating))
        let test = try Ratings(userCount: users, itemCount: items, ratings: cells[pairs..<(pairs + testPairs)].map(rating))
        let spread = (test.entries.reduce(0) { $0 + $1.value * $1.value } / Double(test.count)).squareRoot()
        let predictor: any RatingPredictor
        if model == "dot product" {
            predictor = try EmbeddingDotBias.train(
                train,
                .init(
                    factors: d, outputRange: -6...6, regularization: 0, learningRate: 0.01, iterations: Self.experimentEpochs, batchSize: 256,
                    seed: seed &+ 83, threads: 1)
            ).model
        } else {
            predictor = try EmbeddingNetwork.train(
                train,
                .init(
                    factors: d, hidden: options.hidden.values, outputRange: -6...6, regularization: 0, learningRate: 0.01,
                    iterations: Self.experimentEpochs, batchSize: 256, seed: seed &+ 83, threads: 1)
            ).model
        }
        return DotFit(model: model, dimension: d, pairs: pairs, relativeError: predictor.rmse(on: test) / spread)
    }

    /// What the experiment shows, from its numbers: each model's error at the smallest and largest d, and at the fewest
    /// and most pairs; which is lower everywhere, and whether the network's error grows with d.
    static func dotProductReading(_ fits: [DotFit], baseline: Int) -> String {
        func error(_ model: String, d: Int, n: Int) -> Double? { fits.first { $0.model == model && $0.dimension == d && $0.pairs == n }?.relativeError }
        let dims = Set(fits.filter { $0.pairs == baseline }.map(\.dimension)).sorted()
        let counts = Set(fits.filter { $0.dimension == 8 }.map(\.pairs)).sorted()
        guard let dLow = dims.first, let dHigh = dims.last, let nLow = counts.first, let nHigh = counts.last,
            let dotLow = error("dot product", d: dLow, n: baseline), let dotHigh = error("dot product", d: dHigh, n: baseline),
            let netLow = error("EmbeddingNN", d: dLow, n: baseline), let netHigh = error("EmbeddingNN", d: dHigh, n: baseline),
            let netFew = error("EmbeddingNN", d: 8, n: nLow), let netMany = error("EmbeddingNN", d: 8, n: nHigh),
            let dotFew = error("dot product", d: 8, n: nLow), let dotMany = error("dot product", d: 8, n: nHigh)
        else { return "The experiment has too few runs to read." }
        let f = { (x: Double) in formatFixed(x, digits: 2) }
        let dotAlwaysLower = fits.filter { $0.model == "dot product" }.allSatisfy { dot in
            (error("EmbeddingNN", d: dot.dimension, n: dot.pairs) ?? .infinity) > dot.relativeError
        }
        let g = { (n: Int) in formatGrouped(n) }
        var text = "From \(g(baseline)) pairs, the dot product's relative error is \(f(dotLow)) at d = \(dLow) and \(f(dotHigh)) at d = \(dHigh); "
        text += "the network's is \(f(netLow)) and \(f(netHigh)). "
        text += netHigh > netLow + 0.05 ? "The network finds a dot product harder to learn the more numbers it sums. " : ""
        text +=
            "At d = 8, from \(g(nLow)) to \(g(nHigh)) pairs, the dot product goes from \(f(dotFew)) to \(f(dotMany)) and the network from \(f(netFew)) to \(f(netMany))"
        let caughtUp = netMany - dotMany < 0.05
        // An error of 1 is that of always predicting the targets' mean: a model at 1 or above has learned nothing yet.
        let beforeLearning = dotFew >= 1 && netFew >= 1 ? " (from \(g(nLow)) pairs neither does better than always predicting the mean, an error of 1)" : ""
        text += beforeLearning
        if caughtUp {
            text +=
                ": with \(g(nHigh)) pairs the network comes within \(formatFixed(max(netMany - dotMany, 0), digits: 3)) of the dot product, so given enough data it does learn this one. "
        } else {
            text += netMany < netFew - 0.05 ? ": more data helps the network, but it stays behind. " : ": more data barely helps the network. "
        }
        // A model whose error is lowest before the most pairs, by more than 0.02: said, not smoothed over by the two ends.
        for model in ["dot product", "EmbeddingNN"] {
            let curve = counts.compactMap { n in error(model, d: 8, n: n).map { (n: n, error: $0) } }
            guard let lowest = curve.min(by: { $0.error < $1.error }), let last = curve.last, last.error > lowest.error + 0.02 else { continue }
            text +=
                "The \(model == "dot product" ? "dot product's" : "network's") error is lowest at \(g(lowest.n)) pairs (\(f(lowest.error))), not at "
                + "\(g(last.n)) (\(f(last.error))): each point is one run of the same \(experimentEpochs) epochs at the same step size, so more pairs also mean more steps of that size, and the curve need not fall all the way. "
        }
        if dotAlwaysLower {
            text +=
                caughtUp
                ? "The dot product's error is the lower one in every run here, though one run of each cannot call a small gap: the network can represent a dot product, and with enough data gradient descent nearly finds it."
                : "In every run the dot product is closer: the network can represent a dot product in principle, but gradient descent does not find it from this much data, as Rendle et al. found."
        } else {
            text +=
                "The dot product is not closer in every run of this experiment: where the two are near each other, one run of each does not tell them apart."
        }
        return text
    }
}
