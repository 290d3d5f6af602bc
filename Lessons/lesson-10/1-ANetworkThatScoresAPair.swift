// Section 1: fast.ai's EmbeddingNN: embeddings placed end to end, dense layers with ReLUs, a sigmoid range; trained by
// minibatch Adam with weight decay, followed on validation and stopped early.

import CFCore
import Figures
import LessonKit
import TextOutput

extension Lesson10 {
    mutating func aNetworkThatScoresAPair() throws {
        book.heading("A network that scores a pair")
        let k = options.factors, hidden = options.hidden.values
        let low = outputRange.lowerBound, high = outputRange.upperBound
        book.paragraph(
            """
            Lesson 1 scored a user and a movie by the dot product of their tastes and traits: how the two combine is fixed,
            and only the vectors are learned. fast.ai's EmbeddingNN learns the combination too. Each user and each movie
            gets an embedding of k = \(k) numbers; the two are placed end to end, 2k = \(2 * k) inputs, and pass through
            \(hidden.count == 1 ? "a dense layer of \(hidden[0]) units" : "dense layers of \(hidden.map(String.init).joined(separator: ", ")) units")
            with a ReLU, max(z, 0), then one more dense layer gives one number z. A sigmoid range turns it into a rating:
            ŷ = \(Self.shortNumber(low)) + \(Self.shortNumber(high - low)) σ(z). The range runs half a star beyond each end of the
            \(Self.shortNumber(scale.lowerBound))–\(Self.shortNumber(scale.upperBound)) scale because σ reaches 0 and 1 only at
            ∓∞: with the range exactly the scale, a 5-star rating would pull z towards infinity and never be predicted.
            """)
        book.paragraph(
            """
            The network learns by minibatch gradient descent with Adam: \(options.batchSize) ratings per step, the gradient of their
            mean squared error by backpropagation through each layer (the exercises write one layer's two passes and one
            Adam step), and a step scaled by each parameter's own running gradient size. \(Self.scheduleSentence(options.schedule.schedule, learningRate: options.learningRate, epochs: options.epochs))
            \(Self.decaySentence(options.decayForm.form)) We train on the fit ratings and measure the validation RMSE after every
            epoch, keeping the best epoch's model and stopping once three epochs have not improved on it.
            """)
        let bar = book.progress("EmbeddingNN", total: options.epochs)
        let run = try followed(.network, decay: firstDecay, progress: bar)
        bar.finish()
        try book.figure(learningCurves(run))
        book.paragraph(Self.curveReading(run, scale: scale, annealed: options.schedule == .oneCycle))
        book.record("network_curve", curveJSON(run))
    }

    /// How the step size moves over a run, in words.
    static func scheduleSentence(_ schedule: LearningRateSchedule, learningRate: Double, epochs: Int) -> String {
        switch schedule {
        case .constant:
            return "The step size is \(learningRate) throughout."
        case let .oneCycle(warmup):
            return
                "The step size follows fast.ai's one cycle over the \(epochs) epochs of a run: it rises from \(shortNumber(learningRate / 25)) to its peak, \(learningRate), over the first \(warmup == 0.25 ? "quarter" : "\(shortNumber(warmup * 100))%") of the steps, then falls along a half cosine to nearly 0, so that the last epochs settle the model rather than shake it."
        }
    }

    /// How weight decay applies, in words.
    static func decaySentence(_ form: WeightDecayForm) -> String {
        switch form {
        case .decoupled:
            return "Weight decay multiplies every parameter by 1 − lr·λ at each step (AdamW's decoupled decay, fast.ai's default), the network's ridge penalty."
        case .l2:
            return
                "Weight decay is the ridge penalty λ/2 ‖θ‖² added to the loss: its gradient λθ joins every parameter's gradient before Adam's running averages (fast.ai's default, AdamW, instead multiplies every parameter by 1 − lr·λ at each step: --decay-form decoupled)."
        case .l2OnBatchRows:
            return
                "Weight decay is the ridge penalty on what each rating uses: a rating adds λ/2 times the squares of its user's and its movie's embeddings to its loss, as lesson 6's SGD did (the dense layers' weights get λθ)."
        }
    }

    /// A number with the digits it needs and no more: 0.5, 5, 5.5.
    static func shortNumber(_ x: Double) -> String { String(format: "%g", x) }

    /// The RMSE on the fit ratings (during each epoch) and on validation (after it), epoch by epoch.
    func learningCurves(_ run: FollowedRun) -> Figure {
        .lines(
            name: "\(run.architecture.key)-epochs", title: "\(run.architecture.name) (λ = \(run.decay)): RMSE per epoch",
            xLabel: "epoch", yLabel: "RMSE (stars)",
            series: [Series("fit ratings, during the epoch", y: run.fitRMSE), Series("validation, after the epoch", y: run.validationRMSE)])
    }

    func curveJSON(_ run: FollowedRun) -> JSONValue {
        .object([
            ("decay", run.decay.json), ("best_epoch", run.bestEpoch.json), ("fit_rmse", run.fitRMSE.json),
            ("validation_rmse", run.validationRMSE.json), ("seconds", run.seconds.json)
        ])
    }

    /// What a learning curve shows: where validation was lowest, whether the fit error kept falling after it (the
    /// network memorising the fit ratings), and whether training stopped early. `annealed`: the step size falls to
    /// nearly 0 by the last epoch (one cycle), so a best last epoch is the schedule's end, not a curve still falling.
    static func curveReading(_ run: FollowedRun, scale: ClosedRange<Double>, annealed: Bool = false) -> String {
        let epochs = run.validationRMSE.count, best = run.bestEpoch
        let fitAtBest = run.fitRMSE[best - 1], fitLast = run.fitRMSE[epochs - 1]
        var text = "The validation RMSE is lowest after epoch \(best), at \(formatFixed(run.bestRMSE, digits: 4))"
        if best < epochs {
            let rise = run.validationRMSE[epochs - 1] - run.bestRMSE
            let more = "; \(epochs - best) more epoch\(epochs - best == 1 ? "" : "s") "
            let fit = "took the fit error from \(formatFixed(fitAtBest, digits: 4)) to \(formatFixed(fitLast, digits: 4))"
            if fitLast >= fitAtBest {
                text += more + "did not lower it, so training stopped"
            } else if run.lastAgainstBest?.verdict == .firstHigher {
                text +=
                    more + fit
                    + " while validation rose by \(formatFixed(rise, digits: 4)), more than the noise (rating by rating): what those epochs learned from the fit ratings did not carry over to new ones"
            } else {
                text +=
                    more + fit
                    + " while validation moved by only \(formatFixed(rise, digits: 4)), within the noise: the later epochs are no better on new ratings, so the earlier model is kept"
            }
        } else if annealed {
            text += ", the last of the schedule, where the step size has fallen to nearly 0: a longer schedule might still help (--epochs)"
        } else {
            text += ", at the last epoch run: more epochs might still help (--epochs)"
        }
        return text + ". The model kept is the one of epoch \(best)."
    }
}
