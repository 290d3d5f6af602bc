// Section 5: every chosen model trained again on all the training ratings and tested once, against lesson 6's model.

import CFCore
import Figures
import LessonKit
import TextOutput

/// A model on the test: its name, and its squared error on every test rating (all folds, in order).
struct Tested {
    let name: String, key: String
    let squaredErrors: [Double]
    let seconds: Double

    var rmse: Double { mean(squaredErrors).squareRoot() }
    /// The half-width of the RMSE's 95% interval, from the mean squared error's (√ moves it by 1 / (2 RMSE)).
    var halfWidth: Double { MeanInterval.halfWidth(squaredErrors) / (2 * max(rmse, 1e-12)) }
}

extension Lesson10 {
    mutating func testedOnce(_ chosen: [Architecture: FollowedRun]) throws -> [Tested] {
        book.heading("Tested once")
        let folds = splits.count
        book.paragraph(
            """
            Each model is trained again on all \(formatGrouped(training.count)) training ratings (fit and validation), with its chosen decay, on the
            same \(options.epochs)-epoch schedule stopped at its chosen epoch, and tested once on \(folds == 1 ? "the \(formatGrouped(test.count)) test ratings" : "the test ratings of each of the \(folds) folds").
            Beside them, lesson 6's model: biased matrix factorization by plain SGD (k = 50, learning rate 0.005, λ = 0.08),
            its epochs chosen on the same validation ratings.
            """)
        let bar = book.progress("tested", total: folds * (Architecture.allCases.count + 1) + 1)
        var errors = [String: [Double]](), seconds = [String: Double]()
        // Every training is independent but lesson 6's model, which needs its epochs: side by side, one per core and
        // each on one thread (the numbers do not depend on it), the costliest first; the results are taken in order.
        enum Job { case lessonSixEpochs, network(fold: Int, Architecture), lessonSix(fold: Int, epochs: Int) }
        struct Done { let model: (any RatingPredictor)?, epochs: Int, seconds: Double }
        let lesson = self
        var finished = 0
        func run(_ jobs: [Job]) throws -> [Done] {
            try concurrentMap(
                jobs,
                cost: { job in
                    switch job {
                    case .lessonSixEpochs: 2
                    case .network(_, let architecture): architecture.relativeCost
                    case .lessonSix: 0.5
                    }
                },
                done: { _, job, _ in
                    finished += 1
                    let detail: String =
                        switch job {
                        case .lessonSixEpochs: "lesson 6's epochs"
                        case .network(_, let architecture): architecture.name
                        case .lessonSix: "lesson 6's model"
                        }
                    bar.update(finished, detail: detail)
                }
            ) { job -> Done in
                switch job {
                case .lessonSixEpochs:
                    return Done(model: nil, epochs: try lesson.lessonSixEpochs(), seconds: 0)
                case .network(let f, let architecture):
                    let choice = chosen[architecture]!
                    let run = try lesson.trained(
                        architecture, on: lesson.splits[f].training, decay: choice.decay, stopAfter: choice.bestEpoch, validation: nil,
                        seedOffset: UInt32(f), threads: 1)
                    return Done(model: run.model, epochs: 0, seconds: run.seconds)
                case .lessonSix(let f, let epochs):
                    let (model, seconds) = try timed { try lesson.lessonSixModel(lesson.splits[f].training, epochs: epochs) }
                    return Done(model: model, epochs: 0, seconds: seconds)
                }
            }
        }
        let networkJobs = splits.indices.flatMap { f in Architecture.allCases.map { Job.network(fold: f, $0) } }
        let first = try run([.lessonSixEpochs] + networkJobs)
        let sgdEpochs = first[0].epochs
        for (job, done) in zip(networkJobs, first.dropFirst()) {
            guard case .network(let f, let architecture) = job, let model = done.model else { continue }
            errors[architecture.key, default: []] += model.squaredErrors(on: splits[f].test)
            if f == 0 { testedModels[architecture] = model }
            seconds[architecture.key, default: 0] += done.seconds
        }
        for (f, done) in try run(splits.indices.map { Job.lessonSix(fold: $0, epochs: sgdEpochs) }).enumerated() {
            errors["lesson_6", default: []] += done.model!.squaredErrors(on: splits[f].test)
            seconds["lesson_6", default: 0] += done.seconds
        }
        bar.finish()
        let tested =
            Architecture.allCases.map { Tested(name: $0.name, key: $0.key, squaredErrors: errors[$0.key]!, seconds: seconds[$0.key]!) }
            + [Tested(name: "lesson 6's biased SGD MF", key: "lesson_6", squaredErrors: errors["lesson_6"]!, seconds: seconds["lesson_6"]!)]
        book.table(
            Table(
                header: ["model", "test RMSE", "95% interval", "training s"],
                rows: tested.map {
                    [$0.name, formatFixed($0.rmse, digits: 4), "± " + formatFixed($0.halfWidth, digits: 4), formatFixed($0.seconds, digits: 1)]
                }),
            caption: "Test RMSE on \(folds == 1 ? "the test ratings" : "the \(folds) folds' test ratings together"), predictions on the scale")
        book.paragraph(Self.testedReading(tested))
        book.record(
            "tested",
            JSONValue.object(
                tested.map {
                    (
                        $0.key,
                        .object([
                            ("rmse", $0.rmse.json), ("half_width", $0.halfWidth.json),
                            ("training_seconds", $0.seconds.json)
                        ])
                    )
                }))
        return tested
    }

    /// Lesson 6's biased SGD model: its epochs chosen on validation (stopped 8 epochs after the best, at most 100).
    func lessonSixEpochs() throws -> Int {
        try StochasticGradientDescent.trainWithEarlyStopping(
            fit, validation: validation, lessonSixConfiguration(epochs: 100), patience: 8,
            ratingScale: scale
        ).bestEpoch
    }

    func lessonSixConfiguration(epochs: Int) -> StochasticGradientDescent.Configuration {
        .init(
            factors: 50, learningRate: 0.005, regularization: 0.08, iterations: epochs, biases: true, order: .shuffled, seed: seed &+ 43,
            precision: .single, computesLoss: false, biasRegularization: 0.01)
    }

    func lessonSixModel(_ ratings: Ratings, epochs: Int) throws -> FactorModel {
        var model = try StochasticGradientDescent.train(ratings, lessonSixConfiguration(epochs: epochs)).model
        model.ratingScale = scale
        return model
    }

    /// The verdicts of the test, each paired rating by rating: the dot product against each network, and the best of
    /// the three against lesson 6's model. "Lower" only when the difference of squared errors is outside its 95%
    /// interval; otherwise a tie.
    static func testedReading(_ tested: [Tested]) -> String {
        func compare(_ a: Tested, _ b: Tested) -> String {
            switch Comparison.paired(a.squaredErrors, b.squaredErrors).verdict {
            case .secondHigher:
                "\(a.name) predicts better than \(b.name) (\(formatFixed(a.rmse, digits: 4)) against \(formatFixed(b.rmse, digits: 4)), beyond the noise)"
            case .firstHigher:
                "\(b.name) predicts better than \(a.name) (\(formatFixed(b.rmse, digits: 4)) against \(formatFixed(a.rmse, digits: 4)), beyond the noise)"
            case .tie: "\(a.name) and \(b.name) are tied within the noise (\(formatFixed(a.rmse, digits: 4)) and \(formatFixed(b.rmse, digits: 4)))"
            }
        }
        let dot = tested[0], network = tested[1], neuMF = tested[2], lessonSix = tested[3]
        let best = tested.prefix(3).min { $0.rmse < $1.rmse }!
        var text = "Rating by rating: " + compare(dot, network) + "; " + compare(dot, neuMF) + "; and " + compare(best, lessonSix) + "."
        text +=
            " (Each verdict compares the two models' squared errors on the same test ratings, which is much surer than setting the table's intervals side by side: each of those holds one model's spread alone.)"
        let networks = [network, neuMF]
        let beaten = networks.filter { Comparison.paired(dot.squaredErrors, $0.squaredErrors).verdict == .secondHigher }
        let better = networks.filter { Comparison.paired($0.squaredErrors, dot.squaredErrors).verdict == .secondHigher }
        if !better.isEmpty {
            text += " Here a learned combiner beats the dot product: on this data and with these settings, Rendle et al.'s finding does not hold."
        } else if beaten.count == 2 {
            text += " With the same tricks, the fixed dot product beats both learned combiners: Rendle et al.'s finding, reproduced on this data."
        } else if beaten.count == 1 {
            let tied = networks.first { $0.name != beaten[0].name }!
            text += " The dot product beats \(beaten[0].name) and is tied with \(tied.name): no learned combiner does better than the fixed one here."
        } else {
            text += " The combiners do not separate on this test: with the same tricks, a network adds nothing measurable over the dot product."
        }
        return text
    }
}
