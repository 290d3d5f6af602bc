@testable import CFCore
import Foundation
import Numerics
import Testing

@Suite("Neural training recipe: weight decay forms and learning-rate schedules")
struct TrainingRecipeTests {
    /// Seven examples on 4 users and 4 items: user 0 three times, user 3 never (its rows must get no penalty).
    let pairs = [(0, 1), (2, 3), (0, 3), (1, 1), (2, 0), (0, 1), (1, 2)]
    let ratings: [Float] = [5, 1, 3.5, 4, 2, 4.5, 3]

    var examples: [PairExample] { zip(pairs, ratings).map { PairExample(user: $0.0.0, item: $0.0.1, target: $0.1) } }

    @Test(
        "L2 form: one epoch of one minibatch equals the gradient plus λθ fed to an Adam without decay, and its first step by hand (θ − lr · sign(g + λθ)); tolerance 1e-6 relative (the minibatch sums its rows in shuffled order)"
    )
    func l2IsPenaltyInTheGradient() throws {
        let network = EmbeddingDotBias.Network(users: 4, items: 4, factors: 3, range: 0.5...5.5)
        var rng = RandomState(seed: 3)
        let start = normals(network.parameterCount, scale: 0.5, rng: &rng)
        let head = OutputHead.squaredError(SigmoidRange(0.5...5.5)), lambda = 0.05, lr = 0.01
        // By hand: the gradient of the mean loss, plus λθ, then a plain Adam step.
        var (_, gradient) = MinibatchAdam.lossAndGradient(network, parameters: start, examples: examples, head: head)
        for j in gradient.indices { gradient[j] += Float(lambda) * start[j] }
        var adam = Adam(parameterCount: start.count, learningRate: lr)
        var byHand = start
        adam.step(&byHand, gradients: gradient)
        // Adam's first step is lr · ĝ / |ĝ|: every parameter moves by lr against the sign of g + λθ (or not at all).
        for j in start.indices where gradient[j] != 0 {
            #expect(Double(byHand[j]).isApproximatelyEqual(to: Double(start[j]) - lr * Double(gradient[j].sign == .minus ? -1 : 1), relativeTolerance: 1e-5))
        }
        // The trainer, with the whole set as one minibatch.
        var trained = start, all = examples, shuffle = RandomState(seed: 4)
        _ = try MinibatchAdam.train(
            network, parameters: &trained, examples: &all, head: head,
            settings: MinibatchSettings(
                learningRate: lr, regularization: lambda, iterations: 1, batchSize: 7, threads: 1, method: "test", decayForm: .l2),
            rng: &shuffle, assemble: { $0 }, onStep: { _ in })
        for j in start.indices {
            #expect(Double(trained[j]).isApproximatelyEqual(to: Double(byHand[j]), relativeTolerance: 1e-6), "parameter \(j)")
        }
        // The unused user 3's factor moved too: the L2 form pulls every row.
        let row3 = network.users.offset + 3 * 3
        #expect(trained[row3] != start[row3])
    }

    @Test(
        "L2 on the batch's rows: the gradient gains λ r · (uses of r) / n for each embedding row r, nothing for a row no example used, and λθ for dense parameters; tolerance 1e-6 absolute"
    )
    func batchRowsPenalty() {
        let network = NeuMF.Network(users: 4, items: 4, factors: 3, hidden: [4])
        var rng = RandomState(seed: 5)
        let parameters = normals(network.parameterCount, scale: 0.5, rng: &rng)
        let head = OutputHead.squaredError(SigmoidRange(0.5...5.5)), lambda: Float = 0.3
        let plain = MinibatchAdam.lossAndGradient(network, parameters: parameters, examples: examples, head: head)
        let penalized = MinibatchAdam.lossAndGradient(network, parameters: parameters, examples: examples, head: head, penalty: lambda)
        #expect(plain.loss == penalized.loss, "the loss reported is the data's alone")
        var expected = plain.gradient
        for j in 0..<network.denseCount { expected[j] += lambda * parameters[j] }
        let n = Float(pairs.count)
        for (u, i) in pairs {
            for table in network.tables {
                let start = table.offset + (table.side == .users ? u : i) * table.width
                for f in 0..<table.width { expected[start + f] += lambda / n * parameters[start + f] }
            }
        }
        for j in parameters.indices {
            #expect(Double(penalized.gradient[j]).isApproximatelyEqual(to: Double(expected[j]), absoluteTolerance: 1e-6), "parameter \(j)")
        }
        let unused = network.gmfUsers.offset + 3 * network.gmfUsers.width
        #expect(penalized.gradient[unused] == 0 && plain.gradient[unused] == 0)
        // User 0 appears 3 times in 7: its GMF row gains 3λ/7 · r.
        let user0 = network.gmfUsers.offset
        #expect(
            Double(penalized.gradient[user0] - plain.gradient[user0]).isApproximatelyEqual(
                to: Double(3 * lambda / 7 * parameters[user0]), absoluteTolerance: 1e-6))
    }

    @Test(
        "L2 on the batch's rows in training: a user no rating mentions keeps its initial factors exactly, where the other two forms move them"
    )
    func unusedRowsStay() throws {
        let ratings = try Ratings(
            userCount: 3, itemCount: 3,
            ratings: [Rating(user: 0, item: 0, value: 4), Rating(user: 1, item: 1, value: 2), Rating(user: 0, item: 2, value: 5)])
        func user2(_ form: WeightDecayForm) throws -> [Double] {
            let start = try EmbeddingDotBias.train(ratings, .init(factors: 2, regularization: 0.1, iterations: 0, batchSize: 2, seed: 3))
            let trained = try EmbeddingDotBias.train(
                ratings, .init(factors: 2, regularization: 0.1, iterations: 3, batchSize: 2, seed: 3, decayForm: form))
            return [start.model.userFactors.row(2), trained.model.userFactors.row(2)].flatMap { $0 }
        }
        let rows = try user2(.l2OnBatchRows)
        #expect(Array(rows[0..<2]) == Array(rows[2..<4]))
        for form in [WeightDecayForm.decoupled, .l2] {
            let moved = try user2(form)
            #expect(Array(moved[0..<2]) != Array(moved[2..<4]), "\(form)")
        }
    }

    @Test(
        "one cycle (warmup 0.25, lr 0.01, 200 steps) against its closed form: lr/25 at step 0, 0.0037167 at step 20 (0.01 − 0.0096 (1 + cos 0.4π)/2), lr at step 50, the midpoint (lr + lr/10⁵)/2 at step 125, lr/10⁵ at step 200; tolerance 1e-12 relative"
    )
    func oneCycle() {
        let schedule = LearningRateSchedule.oneCycle(warmup: 0.25), lr = 0.01
        func at(_ s: Int) -> Double { schedule.learningRate(lr, step: s, of: 200) }
        #expect(at(0).isApproximatelyEqual(to: 0.0004, relativeTolerance: 1e-12))
        #expect(at(20).isApproximatelyEqual(to: 0.01 - 0.0096 * (1 + cos(0.4 * Double.pi)) / 2, relativeTolerance: 1e-12))
        #expect(at(20).isApproximatelyEqual(to: 0.0037167, relativeTolerance: 1e-4))
        #expect(at(50).isApproximatelyEqual(to: 0.01, relativeTolerance: 1e-12))
        #expect(at(125).isApproximatelyEqual(to: 0.005_000_05, relativeTolerance: 1e-12))
        #expect(at(200).isApproximatelyEqual(to: 1e-7, relativeTolerance: 1e-12))
        // Rising, then falling.
        let all = (0...200).map(at)
        #expect(zip(all[0...50], all[1...50]).allSatisfy { $0 < $1 } && zip(all[50..<200], all[51...200]).allSatisfy { $0 > $1 })
        #expect(LearningRateSchedule.constant.learningRate(lr, step: 137, of: 200) == lr)
    }

    @Test(
        "the trainer follows the schedule: a one-cycle run differs from a constant one, and a one-cycle run of 0 warmup and 1 epoch of one minibatch is the constant run (its only step is at the peak)"
    )
    func trainerUsesSchedule() throws {
        let ratings = try tasteTable(users: 20, items: 15, density: 0.5, noise: 0.3, seed: 2)
        func run(_ schedule: LearningRateSchedule, epochs: Int, batch: Int) throws -> [Float] {
            try EmbeddingDotBias.train(
                ratings, .init(factors: 3, iterations: epochs, batchSize: batch, seed: 1, threads: 1, schedule: schedule)
            ).model.parameters
        }
        #expect(try run(.oneCycle(warmup: 0.25), epochs: 3, batch: 32) != run(.constant, epochs: 3, batch: 32))
        #expect(try run(.oneCycle(warmup: 0), epochs: 1, batch: 1000) == run(.constant, epochs: 1, batch: 1000))
    }
}

@Suite("NeuMF catalogue scorer")
struct NeuMFCatalogueScorerTests {
    @Test(
        "every item's score equals score(user:item:) for hidden [6], [6, 5] and none, with the logistic loss and the squared error; tolerance 1e-5 absolute (the first layer's sums are split in two)"
    )
    func matchesScore() throws {
        let ratings = try tasteTable(users: 12, items: 9, density: 0.6, noise: 0.3, seed: 4)
        for hidden in [[6], [6, 5], []] {
            for loss in [NeuMF.Loss.logistic(negativesPerPositive: 2), .squaredError(0.5...5.5)] {
                let model = try NeuMF.train(ratings, .init(factors: 4, hidden: hidden, loss: loss, iterations: 2, batchSize: 16, seed: 3)).model
                let scorer = NeuMF.CatalogueScorer(model)
                for user in [0, 5, 11] {
                    var scores = [Double](repeating: .nan, count: 9)
                    scorer.scores(user: user, into: &scores)
                    for item in 0..<9 {
                        #expect(
                            scores[item].isApproximatelyEqual(to: model.score(user: user, item: item), absoluteTolerance: 1e-5),
                            "hidden \(hidden), \(loss), user \(user), item \(item)")
                    }
                }
            }
        }
    }
}
