// Section 4: every model trained on all training ratings with its k, and tested once; Surprise's KNNBaseline for reference.

import CFCore
import LessonKit
import TextOutput

extension Lesson7 {
    func testedOnce(_ choice: NeighbourChoice) {
        book.heading("Tested once")
        book.paragraph(
            """
            Every choice is made. Each model now learns from all the training ratings, with the k it chose on validation,
            and is scored once on the test ratings, which no choice has seen.
            """)
        let folds = splits.map { ($0.training, $0.test) }, manyFolds = splits.count > 1
        let testBar = book.progress("final test", total: (NeighbourKind.allCases.count + 1) * folds.count)
        var tested = 0
        // Each model's squared error on every test rating of the first fold, kept to compare it with the baseline's.
        var firstFoldErrors = [String: [Double]]()
        func score(_ name: String, _ body: ((Ratings, Ratings)) -> [Double]) -> [Double] {
            folds.enumerated().map { index, fold in
                defer { tested += 1; testBar.update(tested, detail: name) }
                let errors = body(fold)
                if index == 0 { firstFoldErrors[name] = errors }
                return (errors.reduce(0, +) / Double(max(errors.count, 1))).squareRoot()
            }
        }
        var rows = [[String]](), record = [(String, JSONValue)]()
        let baselineScores = score("baseline") { fold in
            let model = Baseline.biases(fold.0, ratingScale: scale)
            return Metrics.squaredErrors(fold.1) { model.predict(user: $0, item: $1) }
        }
        rows.append(["baseline μ + b_u + b_i", "", "\(baselineScores[0], digits: 4)", manyFolds ? "\(mean(baselineScores), digits: 4)" : ""])
        record.append(("baseline", baselineScores.json))
        var chosenScores = [Double]()
        for kind in NeighbourKind.allCases {
            let k = choice.k(for: kind)
            let scores = score(kind.name) { testErrors(kind, k: k, on: $0) }
            let chosen = kind == choice.bestItem.kind
            if chosen { chosenScores = scores }
            rows.append([kind.name + (chosen ? " (chosen)" : ""), String(k), "\(scores[0], digits: 4)", manyFolds ? "\(mean(scores), digits: 4)" : ""])
            record.append((kind.name, JSONValue.object([("k", k.json), ("rmse_per_fold", scores.json)])))
        }
        testBar.finish()
        let header = ["model", "k", split.isOfficialFold ? "test RMSE (\(split.name))" : "test RMSE"] + (manyFolds ? ["mean of u1..u5"] : [])
        book.table(
            Table(header: header, rows: rows.map { Array($0.prefix(header.count)) }),
            caption: "Each model trained on all training ratings with the k chosen on validation")
        book.record("test", JSONValue.object(record))
        let baselineErrors = firstFoldErrors["baseline"] ?? []
        let verdicts = NeighbourKind.allCases.map { kind in
            (kind.name, Comparison.paired(firstFoldErrors[kind.name] ?? [], baselineErrors).verdict)
        }
        book.paragraph(Self.againstTheBaseline(verdicts, on: split.isOfficialFold ? split.name : "the test ratings"))
        let chosenTest = chosenScores.first ?? .nan
        if movieLens.isPublished100K && split.isOfficialFold {
            // The interval of the mean squared error, carried to the RMSE: d√m = dm / (2√m).
            let chosenErrors = firstFoldErrors[choice.bestItem.kind.name] ?? []
            let halfWidth = MeanInterval.halfWidth(chosenErrors) / (2 * max(chosenTest, 1e-9))
            book.paragraph(Self.againstSurprise(chosenU1: chosenTest, halfWidth: halfWidth, chosenMean: manyFolds ? mean(chosenScores) : nil))
        }
        book.record("final_test_rmse", chosenTest)
    }

    /// The squared error of `kind` with `k` neighbours on every test rating of `fold`, in the order of its entries, trained
    /// on the fold's training ratings (its own baseline and similarities).
    func testErrors(_ kind: NeighbourKind, k: Int, on fold: (Ratings, Ratings)) -> [Double] {
        let foldBaseline = Baseline.biases(fold.0, ratingScale: scale)
        if kind.side == .userUser {
            let t = fold.0.transposed, b = foldBaseline.swappingUsersAndItems
            let model = NeighbourModel(
                ratings: t, baseline: b,
                similarities: ItemSimilarities(t, kind: kind.similarity, baseline: b, shrinkage: options.shrinkage, ratingsPerUser: options.ratingsCap),
                neighbours: k, ratingScale: scale)
            return Metrics.squaredErrors(fold.1) { model.predict(user: $1, item: $0) }
        }
        let model = NeighbourModel(
            ratings: fold.0, baseline: foldBaseline,
            similarities: ItemSimilarities(
                fold.0, kind: kind.similarity, baseline: foldBaseline, shrinkage: options.shrinkage, ratingsPerUser: options.ratingsCap),
            neighbours: k, ratingScale: scale)
        return Metrics.squaredErrors(fold.1) { model.predict(user: $0, item: $1) }
    }

    /// Which models beat the baseline on the test ratings, which are within the noise of it and which do worse, each
    /// compared with it rating by rating (`verdicts`: the model's squared errors against the baseline's).
    static func againstTheBaseline(_ verdicts: [(name: String, verdict: Comparison.Verdict)], on testName: String) -> String {
        func group(_ v: Comparison.Verdict) -> [String] { verdicts.filter { $0.verdict == v }.map(\.name) }
        let better = group(.secondHigher), level = group(.tie), worse = group(.firstHigher)
        func list(_ names: [String]) -> String {
            names.count <= 2 ? names.joined(separator: " and ") : names.dropLast().joined(separator: "; ") + "; and " + names.last!
        }
        if better.count == verdicts.count {
            return "Compared with the baseline rating by rating on \(testName), every model here beats it by more than the noise."
        }
        if worse.count == verdicts.count {
            return "Compared with the baseline rating by rating on \(testName), every model here does worse than it, by more than the noise."
        }
        var parts = [String]()
        if !better.isEmpty { parts.append("\(list(better)) \(better.count == 1 ? "beats" : "beat") the baseline by more than the noise") }
        if !level.isEmpty { parts.append("\(list(level)) \(level.count == 1 ? "is" : "are") within the noise of it") }
        if !worse.isEmpty { parts.append("\(list(worse)) \(worse.count == 1 ? "does" : "do") worse than the baseline alone, by more than the noise") }
        return "Compared with the baseline rating by rating on \(testName): " + parts.joined(separator: "; ") + "."
    }

    /// The chosen item-item model against Surprise 1.1.5's KNNBaseline, measured on this machine: on u1, and over the
    /// five folds when they were run (`chosenMean`).
    /// `halfWidth`: the half-width of the 95% interval of the chosen model's u1 RMSE (its squared errors' interval,
    /// carried over to the square root); a gap inside it is level. The five-fold mean is compared as it is.
    static func againstSurprise(chosenU1: Double, halfWidth: Double = 0, chosenMean: Double?) -> String {
        let anchorU1 = 0.9359, anchorMean = 0.9204
        // Within the interval, or equal to the four decimals shown, is level, never "worse by 0.0000".
        func against(_ ours: Double, _ theirs: Double, within: Double) -> String {
            let gap = formatFixed(abs(theirs - ours), digits: 4)
            if gap == formatFixed(0, digits: 4) { return "level with it" }
            if abs(theirs - ours) <= within {
                return
                    "level with it within the noise (\(gap) \(ours < theirs ? "lower" : "higher"), inside the ±\(formatFixed(within, digits: 4)) interval of our own RMSE)"
            }
            return ours < theirs ? "better by \(gap)" : "worse by \(gap)"
        }
        let onU1 = against(chosenU1, anchorU1, within: halfWidth)
        let overFolds =
            chosenMean.map { chosen in
                ", and \(formatFixed(chosen, digits: 4)) over the five folds (\(against(chosen, anchorMean, within: 0)))"
            } ?? "; run `--folds 5` for the five-fold mean"
        return """
            For reference, Surprise 1.1.5's KNNBaseline (item-based, pearson_baseline, k = 40, its default shrinkage of 100)
            reaches \(anchorU1, digits: 4) on u1 and \(anchorMean, digits: 4) averaged over u1..u5, measured on this machine. The lesson's
            chosen item-item model gets \(chosenU1, digits: 4) on u1: \(onU1)\(overFolds).
            Lesson 6's factor models do better still (about 0.91 on u1): neighbours are simple and explainable, not the most accurate.
            """
    }
}
