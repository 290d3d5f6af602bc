// Section 4: every model trained on all training ratings with its k, and tested once; Surprise's KNNBaseline for reference.

import CFCore
import LessonKit
import TextOutput

extension Lesson7 {
    func testedOnce(_ choice: NeighbourChoice) {
        book.heading("Tested once")
        book.paragraph("""
            Every choice is made. Each model now learns from all the training ratings, with the k it chose on validation,
            and is scored once on the test ratings, which no choice has seen.
            """)
        let folds = splits.map { ($0.training, $0.test) }, manyFolds = splits.count > 1
        let testBar = book.progress("final test", total: (NeighbourKind.allCases.count + 1) * folds.count)
        var tested = 0
        func score(_ name: String, _ body: ((Ratings, Ratings)) -> Double) -> [Double] {
            folds.map { fold in defer { tested += 1; testBar.update(tested, detail: name) }; return body(fold) }
        }
        var rows = [[String]](), record = [(String, JSONValue)]()
        let baselineScores = score("baseline") { Metrics.rmse(Baseline.biases($0.0, ratingScale: scale), on: $0.1) }
        rows.append(["baseline μ + b_u + b_i", "", "\(baselineScores[0], digits: 4)", manyFolds ? "\(mean(baselineScores), digits: 4)" : ""])
        record.append(("baseline", baselineScores.json))
        var chosenScores = [Double]()
        for kind in NeighbourKind.allCases {
            let k = choice.k(for: kind)
            let scores = score(kind.name) { testRMSE(kind, k: k, on: $0) }
            let chosen = kind == choice.bestItem.kind
            if chosen { chosenScores = scores }
            rows.append([kind.name + (chosen ? " (chosen)" : ""), String(k), "\(scores[0], digits: 4)", manyFolds ? "\(mean(scores), digits: 4)" : ""])
            record.append((kind.name, JSONValue.object([("k", k.json), ("rmse_per_fold", scores.json)])))
        }
        testBar.finish()
        let header = ["model", "k", split.isOfficialFold ? "test RMSE (\(split.name))" : "test RMSE"] + (manyFolds ? ["mean of u1..u5"] : [])
        book.table(Table(header: header, rows: rows.map { Array($0.prefix(header.count)) }),
                   caption: "Each model trained on all training ratings with the k chosen on validation")
        book.record("test", JSONValue.object(record))
        let chosenTest = chosenScores.first ?? .nan
        if movieLens.isPublished100K && split.isOfficialFold {
            book.paragraph(Self.againstSurprise(chosenU1: chosenTest, chosenMean: manyFolds ? mean(chosenScores) : nil))
        }
        book.record("final_test_rmse", chosenTest)
    }

    /// The test RMSE of `kind` with `k` neighbours, trained on the fold's training ratings (its own baseline and similarities).
    func testRMSE(_ kind: NeighbourKind, k: Int, on fold: (Ratings, Ratings)) -> Double {
        let foldBaseline = Baseline.biases(fold.0, ratingScale: scale)
        if kind.side == .userUser {
            let t = fold.0.transposed, b = foldBaseline.swappingUsersAndItems
            return NeighbourModel(ratings: t, baseline: b, similarities: ItemSimilarities(t, kind: kind.similarity, baseline: b, shrinkage: options.shrinkage),
                                  neighbours: k, ratingScale: scale).rmse(on: fold.1.transposed)
        }
        return NeighbourModel(ratings: fold.0, baseline: foldBaseline,
                              similarities: ItemSimilarities(fold.0, kind: kind.similarity, baseline: foldBaseline, shrinkage: options.shrinkage),
                              neighbours: k, ratingScale: scale).rmse(on: fold.1)
    }

    /// The chosen item-item model against Surprise 1.1.5's KNNBaseline, measured on this machine: on u1, and over the
    /// five folds when they were run (`chosenMean`).
    static func againstSurprise(chosenU1: Double, chosenMean: Double?) -> String {
        let anchorU1 = 0.9359, anchorMean = 0.9204
        // Equal to the four decimals shown is level, never "worse by 0.0000".
        func against(_ ours: Double, _ theirs: Double) -> String {
            let gap = formatFixed(abs(theirs - ours), digits: 4)
            return gap == formatFixed(0, digits: 4) ? "level with it" : ours < theirs ? "better by \(gap)" : "worse by \(gap)"
        }
        let onU1 = against(chosenU1, anchorU1)
        let overFolds = chosenMean.map { chosen in
            ", and \(formatFixed(chosen, digits: 4)) over the five folds (\(against(chosen, anchorMean)))"
        } ?? " (run `--folds 5` for the five-fold mean)"
        return """
            For reference, Surprise 1.1.5's KNNBaseline (item-based, pearson_baseline, k = 40, its default shrinkage of 100)
            reaches \(anchorU1, digits: 4) on u1 and \(anchorMean, digits: 4) averaged over u1..u5, measured on this machine. The lesson's
            chosen item-item model gets \(chosenU1, digits: 4) on u1: \(onU1)\(overFolds).
            Lesson 6's factor models do better still (about 0.91 on u1): neighbours are simple and explainable, not the most accurate.
            """
    }
}
