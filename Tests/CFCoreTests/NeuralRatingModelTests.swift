@testable import CFCore
import Foundation
import Numerics
import Testing

/// Ratings of `users` × `items` from a hidden rule: each user has one of three tastes and each item one of four kinds,
/// and the rating is the table's value for the pair plus noise of standard deviation `noise`, rounded to a half star;
/// a cell is observed with probability `density`.
func tasteTable(users: Int, items: Int, density: Double, noise: Double, seed: UInt32) throws -> Ratings {
    let table: [[Double]] = [[5, 4, 2, 1], [1, 2, 5, 4], [3, 5, 1, 4]]
    var rng = RandomState(seed: seed)
    var cells = [Rating]()
    for u in 0..<users {
        for i in 0..<items where rng.rand() < density {
            let value = table[u % 3][i % 4] + noise * rng.randn()
            cells.append(Rating(user: u, item: i, value: min(max((value * 2).rounded() / 2, 1), 5)))
        }
    }
    return try Ratings(userCount: users, itemCount: items, ratings: cells)
}

/// Two groups of users, each interacting with its own half of the items (and a little of the other half).
func twoGroups(seed: UInt32) throws -> Ratings {
    var rng = RandomState(seed: seed)
    var cells = [Rating]()
    for u in 0..<60 {
        for i in 0..<40 where (i < 20) == (u < 30) ? rng.rand() < 0.5 : rng.rand() < 0.03 { cells.append(Rating(user: u, item: i, value: 1)) }
    }
    return try Ratings(userCount: 60, itemCount: 40, ratings: cells)
}

/// The mean AUC over users with held-out interactions, ranking the items they did not interact with in training.
func meanAUC(_ model: some RatingPredictor, training: Ratings, heldOut: Ratings) -> Double {
    var aucs = [Double]()
    for u in 0..<training.userCount {
        let seen = Set(training.ratings(ofUser: u).map(\.item)), relevant = Set(heldOut.ratings(ofUser: u).map(\.item))
        guard !relevant.isEmpty else { continue }
        let ranked = (0..<training.itemCount).filter { !seen.contains($0) }.sorted { model.score(user: u, item: $0) > model.score(user: u, item: $1) }
        aucs.append(RankingMetrics.auc(ranked, relevant: relevant))
    }
    return aucs.reduce(0, +) / Double(aucs.count)
}

@Suite("Neural rating models: gradients")
struct NeuralGradientTests {
    /// Seven examples on 3 users and 4 items, with users and items repeated (so rows collect several gradients) and
    /// one of the 8 slices empty.
    let pairs = [(0, 1), (2, 3), (0, 3), (1, 1), (2, 0), (0, 1), (1, 2)]

    /// Compares the gradient of the mean loss that training computes (slices, rows added into their tables) with
    /// central differences of the mean loss, for every parameter, at parameters drawn normal (standard deviation 0.5),
    /// and checks that two threads give the same bits.
    ///
    /// Tolerance: the loss is smooth but at the ReLUs' kinks. A step of h = 0.01 moves a pre-activation by less than
    /// 0.03 here, so the check first makes sure that every pre-activation of the examples is at least 0.05 from 0
    /// (`tower` and `input` give them; a seed where one is closer is a bad seed, not a wrong gradient: a crossed kink
    /// shows as an error of order 0.1). The central difference's own error is h²/6 · |L‴| plus rounding
    /// ≈ 1e-7 · |L| / h, both below 1e-4 here (at most 4e-5 seen); the tolerance is 2e-4 absolute (gradients are up to about 1).
    func check<Network: PairNetwork>(
        _ network: Network, head: OutputHead, targets: [Float], seed: UInt32,
        tower: MultilayerPerceptron? = nil, input: (Int, Int, [Float]) -> [Float] = { _, _, _ in [] }
    ) {
        var rng = RandomState(seed: seed)
        let parameters = normals(network.parameterCount, scale: 0.5, rng: &rng)
        let examples = zip(pairs, targets).map { PairExample(user: $0.0.0, item: $0.0.1, target: $0.1) }
        if let tower {
            var margin = Float.infinity
            for example in examples {
                var x = input(Int(example.user), Int(example.item), parameters)
                for layer in tower.layers {
                    let z = layer.forward(x, parameters: parameters)
                    margin = min(margin, z.map { abs($0) }.min()!)
                    x = ReLU.forward(z)
                }
            }
            #expect(margin > 0.05, "a pre-activation \(margin) from a kink: take another seed")
        }
        func meanLoss(_ p: [Float]) -> Double {
            examples.reduce(0.0) { $0 + Double(head.loss(network.output(user: Int($1.user), item: Int($1.item), parameters: p), target: $1.target).loss) }
                / Double(examples.count)
        }
        let (loss, gradient) = MinibatchAdam.lossAndGradient(network, parameters: parameters, examples: examples, head: head)
        #expect(loss.isApproximatelyEqual(to: meanLoss(parameters), relativeTolerance: 1e-6))
        let numeric = centralDifferences(parameters, h: 0.01, meanLoss)
        for j in parameters.indices {
            #expect(Double(gradient[j]).isApproximatelyEqual(to: numeric[j], absoluteTolerance: 2e-4), "parameter \(j) of \(parameters.count)")
        }
        #expect(gradient.map { abs($0) }.max()! > 0.05, "a gradient this small would make the check vacuous")
        let (twoThreadsLoss, twoThreads) = MinibatchAdam.lossAndGradient(network, parameters: parameters, examples: examples, head: head, threads: 2)
        #expect(twoThreads == gradient && twoThreadsLoss == loss)
    }

    let ratings: [Float] = [5, 1, 3.5, 4, 2, 4.5, 3]

    @Test(
        "EmbeddingNetwork (k 3, hidden [5, 4]): the gradient of the minibatch's mean squared error through the sigmoid range matches central differences (2e-4)"
    )
    func embeddingNetwork() {
        let network = EmbeddingNetwork.Network(users: 3, items: 4, factors: 3, hidden: [5, 4], range: 0.5...5.5)
        check(network, head: .squaredError(SigmoidRange(0.5...5.5)), targets: ratings, seed: 6, tower: network.tower) { u, i, p in
            network.users.forward(u, parameters: p) + network.items.forward(i, parameters: p)
        }
    }

    @Test("EmbeddingDotBias (k 3): the gradient matches central differences (2e-4)")
    func dotBias() {
        check(
            EmbeddingDotBias.Network(users: 3, items: 4, factors: 3, range: 0.5...5.5), head: .squaredError(SigmoidRange(0.5...5.5)),
            targets: ratings, seed: 2)
    }

    @Test("NeuMF (k 3, hidden [4]): the gradient matches central differences (2e-4), with the squared error and with the logistic loss")
    func neuMF() {
        let network = NeuMF.Network(users: 3, items: 4, factors: 3, hidden: [4])
        let input = { (u: Int, i: Int, p: [Float]) in network.mlpUsers.forward(u, parameters: p) + network.mlpItems.forward(i, parameters: p) }
        check(network, head: .squaredError(SigmoidRange(0.5...5.5)), targets: ratings, seed: 1, tower: network.tower, input: input)
        check(network, head: .logistic, targets: [1, 0, 1, 1, 0, 0, 1], seed: 9, tower: network.tower, input: input)
    }

    @Test("the logistic loss is ln(1 + eᶻ) − y z without overflow, with derivative σ(z) − y")
    func logisticLoss() {
        let head = OutputHead.logistic
        #expect(Double(head.loss(0, target: 1).loss).isApproximatelyEqual(to: log(2), relativeTolerance: 1e-6))
        #expect(Double(head.loss(2, target: 0).loss).isApproximatelyEqual(to: log(1 + exp(2)), relativeTolerance: 1e-6))
        #expect(Double(head.loss(-3, target: 1).gradient).isApproximatelyEqual(to: 1 / (1 + exp(3)) - 1, relativeTolerance: 1e-6))
        #expect(head.loss(200, target: 0).loss == 200 && head.loss(-200, target: 0).loss == 0 && head.loss(200, target: 1).loss == 0)
    }
}

@Suite("Neural rating models: training")
struct NeuralTrainingTests {
    @Test(
        "a seed gives the same parameters and history, bit for bit, on 1 and 2 threads (and 3) and run twice, for every model and both NeuMF losses; another seed does not"
    )
    func determinism() throws {
        let ratings = try tasteTable(users: 50, items: 40, density: 0.5, noise: 0.5, seed: 5)
        let interactions = try twoGroups(seed: 6)
        // 101 per minibatch: slices of 12 and 13 examples.
        for threads in [2, 3] {
            func network(_ t: Int?, seed: UInt32 = 7) throws -> (EmbeddingNetwork.Result) {
                try EmbeddingNetwork.train(ratings, .init(factors: 6, hidden: [8, 5], iterations: 3, batchSize: 101, seed: seed, threads: t))
            }
            let one = try network(1), many = try network(threads), again = try network(threads), other = try network(threads, seed: 8)
            #expect(one.model.parameters == many.model.parameters && one.history == many.history && again.model.parameters == many.model.parameters)
            #expect(other.model.parameters != one.model.parameters)

            func dot(_ t: Int?) throws -> EmbeddingDotBias.Result {
                try EmbeddingDotBias.train(ratings, .init(factors: 5, iterations: 3, batchSize: 101, seed: 7, threads: t))
            }
            let dotOne = try dot(1), dotMany = try dot(threads)
            #expect(dotOne.model.parameters == dotMany.model.parameters && dotOne.history == dotMany.history)
            #expect(try dot(threads).model.parameters == dotMany.model.parameters)

            for (data, loss) in [(ratings, NeuMF.Loss.squaredError(0.5...5.5)), (interactions, .logistic(negativesPerPositive: 3))] {
                func neuMF(_ t: Int?) throws -> NeuMF.Result {
                    try NeuMF.train(data, .init(factors: 4, hidden: [6], loss: loss, iterations: 3, batchSize: 101, seed: 7, threads: t))
                }
                let a = try neuMF(1), b = try neuMF(threads), c = try neuMF(threads)
                #expect(a.model.parameters == b.model.parameters && a.history == b.history && c.model.parameters == b.model.parameters, "\(loss)")
            }
        }
    }

    @Test(
        "on ratings from a hidden rule (noise 0.3, half stars), every rating model's loss falls below a tenth of its first epoch's, and its held-out RMSE is below 0.3 times the item means' (1.53)"
    )
    func learns() throws {
        let all = try tasteTable(users: 90, items: 60, density: 0.5, noise: 0.3, seed: 9)
        var rng = RandomState(seed: 1)
        let (training, test) = try all.split(holdingOut: 0.2, rng: &rng)
        let baseline = Baseline.itemMean(training).rmse(on: test)
        let network = try EmbeddingNetwork.train(
            training, .init(factors: 8, hidden: [16], regularization: 0.05, learningRate: 0.01, iterations: 30, batchSize: 64))
        let dot = try EmbeddingDotBias.train(training, .init(factors: 8, regularization: 0.05, learningRate: 0.01, iterations: 30, batchSize: 64))
        let neuMF = try NeuMF.train(training, .init(factors: 8, hidden: [16], regularization: 0.05, learningRate: 0.01, iterations: 30, batchSize: 64))
        for (name, history, rmse) in [
            ("EmbeddingNetwork", network.history, network.model.rmse(on: test)),
            ("EmbeddingDotBias", dot.history, dot.model.rmse(on: test)),
            ("NeuMF", neuMF.history, neuMF.model.rmse(on: test))
        ] {
            #expect(history.count == 30)
            #expect(history.last! < history.first! / 10, "\(name): \(history.first!) → \(history.last!)")
            #expect(rmse < 0.3 * baseline, "\(name): RMSE \(rmse) against the item means' \(baseline)")
        }
    }

    @Test(
        "the dot product through a sigmoid range learns data made by one (z = p·q + b_u + b_i, ŷ = 0.5 + 5σ(z)): held-out RMSE below 0.1 of ratings with standard deviation above 1"
    )
    func dotProductData() throws {
        var rng = RandomState(seed: 12)
        let users = 60, items = 50, k = 3
        let p = rng.randn(users, k), q = rng.randn(items, k)
        let bu = (0..<users).map { _ in 0.5 * rng.randn() }, bi = (0..<items).map { _ in 0.5 * rng.randn() }
        var cells = [Rating]()
        for u in 0..<users {
            for i in 0..<items where rng.rand() < 0.6 {
                var z = bu[u] + bi[i]
                for f in 0..<k { z += p[u, f] * q[i, f] }
                cells.append(Rating(user: u, item: i, value: 0.5 + 5 / (1 + exp(-z))))
            }
        }
        let all = try Ratings(userCount: users, itemCount: items, ratings: cells)
        let (training, test) = try all.split(holdingOut: 0.15, rng: &rng)
        let values = test.entries.map(\.value), mean = values.reduce(0, +) / Double(values.count)
        let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        let result = try EmbeddingDotBias.train(training, .init(factors: k, regularization: 0, learningRate: 0.02, iterations: 150, batchSize: 64))
        let rmse = result.model.rmse(on: test)
        #expect(deviation > 1 && rmse < 0.1, "RMSE \(rmse), standard deviation \(deviation)")
    }

    @Test(
        "NeuMF with the logistic loss and sampled negatives learns to rank two groups of users: its loss falls and held-out AUC is above 0.75 (BPR's test reaches 0.77 on these data)"
    )
    func implicit() throws {
        let all = try twoGroups(seed: 8)
        var rng = RandomState(seed: 2)
        let (training, heldOut) = try all.split(holdingOut: 0.2, rng: &rng)
        let result = try NeuMF.train(
            training,
            .init(
                factors: 8, hidden: [16], loss: .logistic(negativesPerPositive: 4), regularization: 0.05, learningRate: 0.003,
                iterations: 30, batchSize: 64))
        #expect(result.history.last! < 0.7 * result.history.first!)
        #expect(result.model.ratingScale == nil)
        let auc = meanAUC(result.model, training: training, heldOut: heldOut)
        #expect(auc > 0.75, "AUC \(auc)")
    }

    @Test("negatives: each interaction is followed by n items its user never interacted with, drawn afresh each epoch")
    func negatives() throws {
        let interactions = try twoGroups(seed: 3)
        let sampler = NegativeSampler(interactions, negativesPerPositive: 3)
        var rng = RandomState(seed: 1), first = [PairExample](), second = [PairExample]()
        sampler.sample(&rng, into: &first)
        sampler.sample(&rng, into: &second)
        #expect(first.count == 4 * interactions.count && second.count == first.count && first != second)
        for (index, example) in first.enumerated() {
            let owned = interactions.value(user: Int(example.user), item: Int(example.item)) != nil
            if index % 4 == 0 {
                #expect(example.target == 1 && owned)
            } else {
                #expect(example.target == 0 && !owned && example.user == first[index - index % 4].user)
            }
        }
    }

    @Test("progress.stop() after epoch 3 of 10 ends training there: three losses, and the model is the one the callback saw")
    func earlyStopping() throws {
        let ratings = try tasteTable(users: 30, items: 20, density: 0.5, noise: 0.3, seed: 4)
        var seen: EmbeddingNetwork?, steps = [Int]()
        let result = try EmbeddingNetwork.train(ratings, .init(factors: 4, hidden: [6], iterations: 10, batchSize: 32)) { progress in
            steps.append(progress.step)
            #expect(progress.steps == 10 && progress.loss != nil)
            if progress.step == 3 {
                seen = progress.model
                progress.stop()
            }
        }
        #expect(steps == [1, 2, 3] && result.history.count == 3)
        #expect(seen?.parameters == result.model.parameters)
        let full = try EmbeddingNetwork.train(ratings, .init(factors: 4, hidden: [6], iterations: 3, batchSize: 32))
        #expect(full.model.parameters == result.model.parameters && full.history == result.history)
    }

    @Test("a huge learning rate (1e30) ends in TrainingError.diverged for every model, naming the method, the epoch and the rate")
    func diverges() throws {
        let ratings = try tasteTable(users: 30, items: 20, density: 0.5, noise: 0.3, seed: 4)
        func expectDiverged(_ method: String, _ train: () throws -> Void) {
            do {
                try train()
                Issue.record("\(method) did not diverge")
            } catch let TrainingError.diverged(name, stepName, step, rate, _) {
                #expect(name == method && stepName == "epoch" && (1...5).contains(step) && rate == 1e30)
            } catch {
                Issue.record("\(method): unexpected \(error)")
            }
        }
        expectDiverged("EmbeddingNetwork (Adam)") {
            _ = try EmbeddingNetwork.train(ratings, .init(factors: 4, hidden: [6], learningRate: 1e30, iterations: 5, batchSize: 32))
        }
        expectDiverged("EmbeddingDotBias (Adam)") {
            _ = try EmbeddingDotBias.train(ratings, .init(factors: 4, learningRate: 1e30, iterations: 5, batchSize: 32))
        }
        expectDiverged("NeuMF (Adam)") {
            _ = try NeuMF.train(ratings, .init(factors: 4, hidden: [6], learningRate: 1e30, iterations: 5, batchSize: 32))
        }
        // The same settings at an ordinary rate train without error.
        #expect(try EmbeddingDotBias.train(ratings, .init(factors: 4, learningRate: 0.01, iterations: 5, batchSize: 32)).history.count == 5)
    }

    @Test(
        "the models' API: shapes of the embeddings, scores inside the sigmoid range, clipping to the rating scale when set, NeuMF's logistic score is the logit"
    )
    func api() throws {
        let ratings = try tasteTable(users: 30, items: 20, density: 0.5, noise: 0.3, seed: 4)
        var network = try EmbeddingNetwork.train(ratings, .init(factors: 4, hidden: [6, 3], iterations: 2, batchSize: 32)).model
        #expect(network.userCount == 30 && network.itemCount == 20 && network.factors == 4 && network.hidden == [6, 3])
        #expect(network.userEmbeddings.rows == 30 && network.itemEmbeddings.columns == 4)
        #expect(network.parameters.count == (8 * 6 + 6) + (6 * 3 + 3) + (3 + 1) + 30 * 4 + 20 * 4)
        let scores = (0..<30).flatMap { u in (0..<20).map { network.score(user: u, item: $0) } }
        #expect(scores.allSatisfy { $0 > 0.5 && $0 < 5.5 })
        network.ratingScale = 2...3
        #expect((0..<20).allSatisfy { (2...3).contains(network.predict(user: 0, item: $0)) })
        let dot = try EmbeddingDotBias.train(ratings, .init(factors: 4, iterations: 2, batchSize: 32)).model
        #expect(dot.userFactors.rows == 30 && dot.itemFactors.rows == 20 && dot.userBias.count == 30 && dot.itemBias.count == 20)
        var z = Double(dot.userBias[1] + dot.itemBias[2])
        for f in 0..<4 { z += dot.userFactors[1, f] * dot.itemFactors[2, f] }
        #expect(dot.score(user: 1, item: 2).isApproximatelyEqual(to: 0.5 + 5 / (1 + exp(-z)), absoluteTolerance: 1e-5))
        let implicit = try NeuMF.train(
            ratings.interactions, .init(factors: 4, hidden: [], loss: .logistic(negativesPerPositive: 1), iterations: 2, batchSize: 32)
        ).model
        let logit = implicit.network.output(user: 3, item: 4, parameters: implicit.parameters)
        #expect(implicit.score(user: 3, item: 4) == Double(logit) && implicit.hidden == [])
    }
}
