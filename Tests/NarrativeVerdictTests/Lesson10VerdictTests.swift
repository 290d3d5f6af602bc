// Lesson 10's result-dependent sentences, each branch driven by crafted numbers: the learning curves (sections 1-3), the
// decay chosen (4), the test's verdicts (5), the ranking verdict (6), the dot-product experiment (7), serving (8) and
// the small network trained by the cells (9).

import CFCore
@testable import lesson_10
import Testing

@Suite("Narrative verdicts: lesson 10")
struct NarrativeVerdictsLesson10 {
    /// A followed run; `lastAgainstBest` is the paired comparison of the last epoch's validation errors with the best's
    /// (by default a rise well outside its interval).
    static func run(
        _ validation: [Double], fit: [Double], best: Int, lastAgainstBest: Comparison = Comparison(difference: 0.05, halfWidth: 0.01)
    ) -> FollowedRun {
        FollowedRun(
            architecture: .network, decay: 0.1, model: FactorModel(userFactors: Matrix([[1]]), itemFactors: Matrix([[1]])),
            bestEpoch: best, fitRMSE: fit, validationRMSE: validation, seconds: 1, lastAgainstBest: lastAgainstBest)
    }

    @Test("a learning curve: overfitting after the best epoch (only beyond the noise), no gain after it, or the best at the last epoch")
    func curves() {
        let scale = 1.0...5.0
        let overfit = folded(Lesson10.curveReading(Self.run([0.95, 0.92, 0.93, 0.94, 0.96], fit: [1.0, 0.9, 0.85, 0.8, 0.75], best: 2), scale: scale))
        #expect(overfit.hasPrefix("The validation RMSE is lowest after epoch 2, at 0.9200; 3 more epochs took the fit error from 0.9000 to 0.7500"))
        #expect(overfit.contains("validation rose by 0.0400, more than the noise") && overfit.hasSuffix("The model kept is the one of epoch 2."))
        #expect(overfit.contains("what those epochs learned from the fit ratings did not carry over to new ones"))
        // The same fall of the fit error with a rise of validation inside its interval: no verdict of overfitting.
        let within = folded(
            Lesson10.curveReading(
                Self.run(
                    [0.95, 0.92, 0.9201, 0.9202], fit: [1.0, 0.9, 0.85, 0.8], best: 2,
                    lastAgainstBest: Comparison(difference: 0.0004, halfWidth: 0.001)), scale: scale))
        #expect(within.contains("2 more epochs took the fit error from 0.9000 to 0.8000 while validation moved by only 0.0002, within the noise"))
        #expect(!within.contains("did not carry over") && within.hasSuffix("The model kept is the one of epoch 2."))
        let flat = folded(Lesson10.curveReading(Self.run([0.95, 0.92, 0.93], fit: [1.0, 0.9, 0.95], best: 2), scale: scale))
        #expect(flat.contains("1 more epoch did not lower it, so training stopped"))
        let last = folded(Lesson10.curveReading(Self.run([0.95, 0.93, 0.92], fit: [1.0, 0.9, 0.85], best: 3), scale: scale))
        #expect(last.contains("at the last epoch run: more epochs might still help (--epochs)"))
        let annealed = folded(
            Lesson10.curveReading(Self.run([0.95, 0.93, 0.92], fit: [1.0, 0.9, 0.85], best: 3), scale: scale, annealed: true))
        #expect(annealed.contains("after epoch 3, at 0.9200, the last of the schedule, where the step size has fallen to nearly 0"))
        #expect(!annealed.contains("more epochs might still help"))
        // With one cycle, an early best still reads as overfitting.
        let early = folded(
            Lesson10.curveReading(Self.run([0.95, 0.92, 0.93, 0.94, 0.96], fit: [1.0, 0.9, 0.85, 0.8, 0.75], best: 2), scale: scale, annealed: true))
        #expect(early.contains("3 more epochs took the fit error from 0.9000 to 0.7500"))
    }

    @Test("the recipe in words: each schedule and each form of weight decay, with the numbers of the settings")
    func recipe() {
        let cycle = Lesson10.scheduleSentence(.oneCycle(warmup: 0.25), learningRate: 0.005, epochs: 12)
        #expect(cycle.contains("over the 12 epochs of a run: it rises from 0.0002 to its peak, 0.005, over the first quarter of the steps"))
        #expect(Lesson10.scheduleSentence(.oneCycle(warmup: 0.1), learningRate: 0.005, epochs: 12).contains("over the first 10% of the steps"))
        #expect(Lesson10.scheduleSentence(.constant, learningRate: 0.003, epochs: 12) == "The step size is 0.003 throughout.")
        #expect(Lesson10.decaySentence(.l2).contains("its gradient λθ joins every parameter's gradient before Adam's running averages"))
        #expect(Lesson10.decaySentence(.decoupled).contains("multiplies every parameter by 1 − lr·λ at each step (AdamW"))
        #expect(Lesson10.decaySentence(.l2OnBatchRows).contains("a rating adds λ/2 times the squares of its user's and its movie's embeddings"))
    }

    @Test("the first comparison names the lower validation RMSE, or the same one within 0.0005")
    func firstComparison() {
        #expect(
            Lesson10.firstComparison(dot: 0.90, network: 0.92, decay: 0.1).contains(
                "the dot product's best validation RMSE, 0.9000, is below the network's, 0.9200"))
        #expect(
            Lesson10.firstComparison(dot: 0.93, network: 0.92, decay: 0.1).contains(
                "the network's best validation RMSE, 0.9200, is below the dot product's, 0.9300"))
        #expect(Lesson10.firstComparison(dot: 0.9200, network: 0.9202, decay: 0.1).contains("the two reach the same validation RMSE"))
    }

    @Test("the chosen decays, with a warning only for a choice at the end of the grid")
    func decays() {
        let inside = Lesson10.decayReading([.dotProduct: (0.1, false), .network: (0.1, false), .neuMF: (0.1, false)], grid: [0.01, 0.1, 1])
        #expect(inside == "Chosen: dot product λ = 0.1, EmbeddingNN λ = 0.1, NeuMF λ = 0.1.")
        let edge = Lesson10.decayReading([.dotProduct: (1, true), .network: (0.1, false), .neuMF: (0.01, true)], grid: [0.01, 0.1, 1])
        #expect(edge.hasSuffix("dot product and NeuMF chose a decay at the end of the grid, so a better one may lie beyond it (--decays)."))
    }

    /// Squared errors of `count` ratings: `base` everywhere, plus `shift` (the test compares pairs of these).
    static func tested(_ name: String, _ errors: [Double]) -> Tested { Tested(name: name, key: name, squaredErrors: errors, seconds: 1) }

    @Test("the test's verdicts: the dot product beats both networks, a network beats it, or they tie; each pair worded by its paired interval")
    func testVerdicts() {
        let noise = (0..<400).map { Double($0 % 7) / 7 }
        let base = noise.map { 0.8 + $0 }
        let worse = noise.map { 0.9 + $0 }, better = noise.map { 0.7 + $0 }
        let dotWins = folded(
            Lesson10.testedReading([
                Self.tested("dot product", base), Self.tested("EmbeddingNN", worse),
                Self.tested("NeuMF", worse), Self.tested("lesson 6", base)
            ]))
        #expect(dotWins.contains("dot product predicts better than EmbeddingNN"))
        #expect(dotWins.contains("dot product and lesson 6 are tied within the noise"))
        #expect(dotWins.contains("the fixed dot product beats both learned combiners: Rendle et al.'s finding, reproduced on this data."))
        #expect(dotWins.contains("compares the two models' squared errors on the same test ratings"))
        let networkWins = folded(
            Lesson10.testedReading([
                Self.tested("dot product", base), Self.tested("EmbeddingNN", better),
                Self.tested("NeuMF", base), Self.tested("lesson 6", worse)
            ]))
        #expect(networkWins.contains("EmbeddingNN predicts better than dot product"))
        #expect(networkWins.contains("EmbeddingNN predicts better than lesson 6"))
        #expect(networkWins.contains("Rendle et al.'s finding does not hold"))
        let oneBeaten = folded(
            Lesson10.testedReading([
                Self.tested("dot product", base), Self.tested("EmbeddingNN", worse), Self.tested("NeuMF", base), Self.tested("lesson 6", base)
            ]))
        #expect(oneBeaten.hasSuffix("The dot product beats EmbeddingNN and is tied with NeuMF: no learned combiner does better than the fixed one here."))
        // Differences that swing both ways from rating to rating: a tie, not a verdict on noise.
        let swinging = base.enumerated().map { $0.offset % 2 == 0 ? $0.element + 0.5 : $0.element - 0.5 }
        let tie = folded(
            Lesson10.testedReading([
                Self.tested("dot product", base), Self.tested("EmbeddingNN", swinging),
                Self.tested("NeuMF", swinging), Self.tested("lesson 6", base)
            ]))
        #expect(tie.contains("dot product and EmbeddingNN are tied within the noise"))
        #expect(tie.hasSuffix("a network adds nothing measurable over the dot product."))
    }

    @Test("the ranking verdict: NeuMF ahead, behind or tied with the better factor model, user by user")
    func ranking() throws {
        func ranked(_ name: String, hits: Int) throws -> Ranked {
            Ranked(name: name, key: name, evaluation: try NarrativeVerdictsLesson9.evaluation(hits: hits, of: 40), settings: "")
        }
        let ahead = Lesson10.rankingReading([try ranked("NeuMF", hits: 30), try ranked("weighted ALS", hits: 8), try ranked("BPR", hits: 5)])
        #expect(ahead.hasPrefix("NeuMF ranks better than weighted ALS, the factor model with the higher NDCG@10"))
        let behind = Lesson10.rankingReading([try ranked("NeuMF", hits: 5), try ranked("weighted ALS", hits: 8), try ranked("BPR", hits: 30)])
        #expect(behind.hasPrefix("BPR ranks better than NeuMF") && behind.contains("even on the task NeuMF was designed for"))
        let tie = Lesson10.rankingReading([try ranked("NeuMF", hits: 10), try ranked("weighted ALS", hits: 11), try ranked("BPR", hits: 9)])
        #expect(tie.hasPrefix("NeuMF and weighted ALS, the factor model with the higher NDCG@10, are tied within the noise"))
    }

    @Test("the dot-product experiment: read from its numbers, with the network's trouble growing with d only when it does")
    func dotProductExperiment() {
        func fits(dot: [Double], net: [Double], dotPairs: [Double], netPairs: [Double]) -> [DotFit] {
            zip([2, 8, 32], zip(dot, net)).flatMap { d, e in
                [
                    DotFit(model: "dot product", dimension: d, pairs: 40_000, relativeError: e.0),
                    DotFit(model: "EmbeddingNN", dimension: d, pairs: 40_000, relativeError: e.1)
                ]
            }
                + zip([10_000, 120_000], zip(dotPairs, netPairs)).flatMap { n, e in
                    [
                        DotFit(model: "dot product", dimension: 8, pairs: n, relativeError: e.0),
                        DotFit(model: "EmbeddingNN", dimension: 8, pairs: n, relativeError: e.1)
                    ]
                }
        }
        let rendle = folded(
            Lesson10.dotProductReading(
                fits(dot: [0.05, 0.1, 0.3], net: [0.1, 0.5, 0.9], dotPairs: [0.6, 0.05], netPairs: [0.9, 0.4]),
                baseline: 40_000))
        #expect(rendle.contains("the dot product's relative error is 0.05 at d = 2 and 0.30 at d = 32; the network's is 0.10 and 0.90."))
        #expect(rendle.contains("The network finds a dot product harder to learn the more numbers it sums."))
        #expect(rendle.contains("more data helps the network, but it stays behind"))
        let catchUp = folded(
            Lesson10.dotProductReading(fits(dot: [0.05, 0.1, 0.3], net: [0.1, 0.4, 0.9], dotPairs: [1.0, 0.14], netPairs: [1.02, 0.16]), baseline: 40_000))
        #expect(catchUp.contains("with 120,000 pairs the network comes within 0.020 of the dot product, so given enough data it does learn this one"))
        #expect(
            catchUp.hasSuffix(
                "The dot product's error is the lower one in every run here, though one run of each cannot call a small gap: the network can represent a dot product, and with enough data gradient descent nearly finds it."
            ))
        // The fewest pairs: both at 1 or above is no learning yet, said once; one of them below 1 is not.
        #expect(catchUp.contains("the network from 1.02 to 0.16 (from 10,000 pairs neither does better than always predicting the mean, an error of 1): with"))
        #expect(!rendle.contains("neither does better"))
        #expect(!catchUp.contains("does not find it"), "catching up and not finding it cannot both be said")
        // Lowest at 40,000 pairs (0.10 at d = 8), 0.14 at 120,000: said; the network's falls steadily: not said.
        #expect(catchUp.contains("The dot product's error is lowest at 40,000 pairs (0.10), not at 120,000 (0.14): each point is one run of the same 8 epochs"))
        #expect(!catchUp.contains("The network's error is lowest"))
        #expect(!rendle.contains("error is lowest at"), "0.60, 0.10, 0.05 falls: nothing to say")
        #expect(rendle.hasSuffix("as Rendle et al. found."))
        let mixed = folded(
            Lesson10.dotProductReading(
                fits(dot: [0.2, 0.2, 0.2], net: [0.1, 0.12, 0.13], dotPairs: [0.5, 0.1], netPairs: [0.5, 0.48]),
                baseline: 40_000))
        #expect(!mixed.contains("harder to learn the more numbers"))
        #expect(mixed.contains("more data barely helps the network"))
        #expect(
            mixed.hasSuffix(
                "The dot product is not closer in every run of this experiment: where the two are near each other, one run of each does not tell them apart."))
        #expect(Lesson10.dotProductReading([], baseline: 40_000) == "The experiment has too few runs to read.")
    }

    @Test("serving: multiplications per pair worked by hand, and the time ratios")
    func serving() {
        // k = 32, one hidden layer of 64: the tower is 64 × 64 = 4096 weights, the output 64 more; NeuMF adds GMF's 32 and its 32 output weights.
        #expect(Lesson10.multipliesPerPair(.dotProduct, k: 32, hidden: [64]) == 32)
        #expect(Lesson10.multipliesPerPair(.network, k: 32, hidden: [64]) == 4160)
        #expect(Lesson10.multipliesPerPair(.neuMF, k: 32, hidden: [64]) == 4224)
        #expect(Lesson10.multipliesPerPair(.network, k: 10, hidden: [16, 8]) == 20 * 16 + 16 * 8 + 8)
        #expect(
            Lesson10.servingReading([.dotProduct: 100, .network: 700, .neuMF: 650])
                == "Scoring the whole catalogue, EmbeddingNN takes 7.0 times as long and NeuMF takes 6.5 times as long as the dot product.")
        // From the whole microseconds the table shows (45, 568, 604), not the unrounded ones: 12.6 and 13.4, not 12.8 and 13.6.
        #expect(
            Lesson10.servingReading([.dotProduct: 44.53, .network: 568.48, .neuMF: 603.64])
                == "Scoring the whole catalogue, EmbeddingNN takes 12.6 times as long and NeuMF takes 13.4 times as long as the dot product.")
        #expect(Lesson10.servingReading([.dotProduct: 0.3, .network: 700]) == "", "a dot product shown as 0 µs gives no ratio")
        #expect(Lesson10.servingReading([.network: 700]) == "")
    }

    @Test("the small network by hand: falling, not falling, or not finite; and whose cells trained it")
    func byHand() {
        #expect(Lesson10.byHandReading([1.2, 1.0, 0.9]).hasPrefix("The RMSE falls from 1.2000 to 0.9000 in 2 steps"))
        #expect(Lesson10.byHandReading([1.2, 1.3, 1.25]).contains("without falling: one of the three cells is wrong"))
        #expect(Lesson10.byHandReading([1.2, .nan]).hasPrefix("The RMSE became NaN or infinite"))
        #expect(Lesson10.whoseCells([]).hasPrefix("All three cells are the course's"))
        #expect(Lesson10.whoseCells(["denseForward", "denseBackward", "adamStep"]) == "All three cells are yours.")
        #expect(Lesson10.whoseCells(["adamStep"]) == "Yours: `adamStep`; the course's for the rest.")
    }
}
