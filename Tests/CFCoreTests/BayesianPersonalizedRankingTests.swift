@testable import CFCore
import Foundation
import Numerics
import Testing

@Suite("BPR: Bayesian personalized ranking")
struct BayesianPersonalizedRankingTests {
    @Test("one step moves every parameter by lr times the gradient of ln σ(x_uij) − λ/2 ‖θ‖², checked by finite differences (1e-7)")
    func gradient() {
        var rng = RandomState(seed: 4)
        let start = FactorModel(userFactors: rng.randn(2, 3), itemFactors: rng.randn(4, 3), itemBias: [0.2, -0.1, 0.3, 0.0])
        let lr = 1e-3, λ = 0.05
        // The objective of one triple (u 1, i 2, j 0), as a function of the whole model.
        func objective(_ m: FactorModel) -> Double {
            var x = m.itemBias[2] - m.itemBias[0]
            for f in 0..<3 { x += m.userFactors[1, f] * (m.itemFactors[2, f] - m.itemFactors[0, f]) }
            let norms =
                (0..<3).reduce(0.0) { $0 + pow(m.userFactors[1, $1], 2) + pow(m.itemFactors[2, $1], 2) + pow(m.itemFactors[0, $1], 2) }
                + pow(m.itemBias[2], 2) + pow(m.itemBias[0], 2)
            return -log(1 + exp(-x)) - λ / 2 * norms
        }
        var stepped = start
        BayesianPersonalizedRanking.step(&stepped, user: 1, positive: 2, negative: 0, learningRate: lr, lambda: λ)
        let h = 1e-6
        for f in 0..<3 {
            var plus = start, minus = start
            plus.userFactors[1, f] += h
            minus.userFactors[1, f] -= h
            let numeric = (objective(plus) - objective(minus)) / (2 * h)
            #expect((stepped.userFactors[1, f] - start.userFactors[1, f]).isApproximatelyEqual(to: lr * numeric, absoluteTolerance: 1e-10))
            for item in [2, 0] {
                var p = start, m = start
                p.itemFactors[item, f] += h
                m.itemFactors[item, f] -= h
                let slope = (objective(p) - objective(m)) / (2 * h)
                #expect((stepped.itemFactors[item, f] - start.itemFactors[item, f]).isApproximatelyEqual(to: lr * slope, absoluteTolerance: 1e-10))
            }
        }
        #expect(stepped.itemFactors.row(1) == start.itemFactors.row(1) && stepped.userFactors.row(0) == start.userFactors.row(0))
    }

    @Test("on data with structure it learns to rank: held-out AUC well above the popularity ranking's, the loss falls, and a seed gives the same model")
    func learns() throws {
        // Two groups of users, each interacting with its own half of the items (and a little noise).
        var rng = RandomState(seed: 8)
        var cells = [Rating]()
        for u in 0..<60 {
            for i in 0..<40 where (i < 20) == (u < 30) ? rng.rand() < 0.5 : rng.rand() < 0.03 { cells.append(Rating(user: u, item: i, value: 1)) }
        }
        let all = try Ratings(userCount: 60, itemCount: 40, ratings: cells)
        var splitRNG = RandomState(seed: 2)
        let (training, heldOut) = try all.split(holdingOut: 0.2, rng: &splitRNG)
        let configuration = BayesianPersonalizedRanking.Configuration(factors: 4, learningRate: 0.05, regularization: 0.01, iterations: 30, seed: 3)
        let result = try BayesianPersonalizedRanking.train(training, configuration)
        #expect(result.history.last! < 0.7 * result.history.first!)
        var aucs = [Double](), popularAUCs = [Double]()
        let popularity = (0..<40).map { training.ratings(ofItem: $0).count }
        for u in 0..<60 {
            let seen = Set(training.ratings(ofUser: u).map { $0.item }), relevant = Set(heldOut.ratings(ofUser: u).map { $0.item })
            guard !relevant.isEmpty else { continue }
            let ranked = (0..<40).filter { !seen.contains($0) }.sorted { result.model.score(user: u, item: $0) > result.model.score(user: u, item: $1) }
            aucs.append(RankingMetrics.auc(ranked, relevant: relevant))
            let byPopularity = (0..<40).filter { !seen.contains($0) }.sorted { popularity[$0] != popularity[$1] ? popularity[$0] > popularity[$1] : $0 < $1 }
            popularAUCs.append(RankingMetrics.auc(byPopularity, relevant: relevant))
        }
        // Both halves of the catalogue are about equally popular, so popularity ranks near chance; BPR finds the groups.
        let bpr = aucs.reduce(0, +) / Double(aucs.count), popular = popularAUCs.reduce(0, +) / Double(popularAUCs.count)
        #expect(bpr > 0.75 && bpr > popular + 0.2, "BPR \(bpr), popularity \(popular)")
        #expect(try BayesianPersonalizedRanking.train(training, configuration).model.userFactors.elements == result.model.userFactors.elements)
    }

    @Test("the models the callback sees after earlier epochs are exactly those of shorter runs, the last is the run's own, and a stop ends the run there")
    func earlierModels() throws {
        var rng = RandomState(seed: 5)
        var cells = [Rating]()
        for u in 0..<30 { for i in 0..<25 where rng.rand() < 0.3 || i == u % 25 { cells.append(Rating(user: u, item: i, value: 1)) } }
        let interactions = try Ratings(userCount: 30, itemCount: 25, ratings: cells)
        let long = BayesianPersonalizedRanking.Configuration(factors: 3, learningRate: 0.05, regularization: 0.01, iterations: 12, seed: 9)
        var earlier = [Int: FactorModel]()
        let run = try BayesianPersonalizedRanking.train(interactions, long) { epoch in
            if [3, 7, 12, 40].contains(epoch.step) { earlier[epoch.step] = epoch.model }
        }
        #expect(Set(earlier.keys) == [3, 7, 12], "an epoch past the run's end is not seen")
        #expect(run.history.count == 12)
        for epochs in [3, 7] {
            var short = long
            short.iterations = epochs
            let shorter = try BayesianPersonalizedRanking.train(interactions, short)
            let kept = try #require(earlier[epochs])
            #expect(
                kept.userFactors.elements == shorter.model.userFactors.elements && kept.itemFactors.elements == shorter.model.itemFactors.elements
                    && kept.itemBias == shorter.model.itemBias, "after \(epochs) epochs")
            #expect(kept.userFactors.elements != run.model.userFactors.elements)
        }
        #expect(earlier[12]?.userFactors.elements == run.model.userFactors.elements)
        let stopped = try BayesianPersonalizedRanking.train(interactions, long) { epoch in if epoch.step == 7 { epoch.stop() } }
        #expect(stopped.history.count == 7 && stopped.model.userFactors.elements == earlier[7]?.userFactors.elements)
    }

    @Test("a learning rate far too large is reported as divergence, not a model of NaNs")
    func divergence() throws {
        let interactions = try Ratings(userCount: 3, itemCount: 4, triples: [(0, 0, 1), (0, 1, 1), (1, 2, 1), (2, 3, 1), (2, 0, 1)])
        #expect(throws: TrainingError.self) {
            try BayesianPersonalizedRanking.train(interactions, .init(factors: 2, learningRate: 1e30, regularization: 1e10, iterations: 5, seed: 1))
        }
    }
}
