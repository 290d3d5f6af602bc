// Section 5: every setting chosen by its validation NDCG, on each protocol's own validation split.

import CFCore
import LessonKit
import TextOutput

extension Lesson9 {
    mutating func settingsChosenOnValidation() throws {
        book.heading("Settings chosen on validation")
        book.paragraph(
            """
            Each model's setting is chosen by its NDCG@\(top) on each protocol's validation interactions, carved from the training
            ones; the test interactions wait for the next section.
            """)
        let (choices, rows, grids) = try chooseSettings()
        chosen = choices
        book.table(
            Table(header: ["protocol", "model", "validation NDCG@\(top) of each setting (✓ chosen)"], rows: rows),
            caption: "Weighted ALS: k = \(k), λ = 0.1, \(options.iterations) iterations; BPR: k = \(k), learning rate 0.05, λ = 0.01")
        book.paragraph(
            """
            The rating model is not tuned for ranking: it is lesson 6's recipe (k = \(k), λ = 0.08), stopped when its validation
            RMSE stops falling: after \(splits.map { "\(chosen[$0.holdOut]?.ratingEpochs ?? 0) epochs on \($0.holdOut.name)" }.joined(separator: " and ")).
            \(Self.gridEdges(bprEpochs: splits.map { ($0.holdOut.name, chosen[$0.holdOut]?.epochs ?? 0) }, grid: options.epochs.values))
            """)
        book.record("validation", JSONValue.object(grids))
    }

    /// Runs the grids of every protocol under one progress bar: each protocol's choices, the table's rows, and each
    /// protocol's trials for results.json.
    func chooseSettings() throws -> (chosen: [HoldOut: Chosen], rows: [[String]], grids: [(String, JSONValue)]) {
        let alphas = options.alphas.values, epochGrid = options.epochs.values.sorted(), neighbourGrid = options.neighbours.values.sorted()
        let progress = book.progressSteps("choosing settings", total: splits.count * (alphas.count + epochGrid.count + neighbourGrid.count + 1))
        var chosen = [HoldOut: Chosen](), rows = [[String]](), grids = [(String, JSONValue)]()
        for split in splits {
            let s = split.data, key = split.holdOut.key
            func validationNDCG(_ scorer: Scorer) -> Double {
                evaluate(scorer, seen: s.fitRatings, interactions: s.fit, heldOut: s.validation).ndcg
            }
            let alphaLabel = { (alpha: Double) in "α \(formatFixed(alpha, digits: alpha < 1 ? 1 : 0))" }
            let alpha = try GridSearch(alphas, progress: progress, detail: { "\(key): weighted ALS \(alphaLabel($0))" }) { alpha in
                validationNDCG(Rankers.factors(try wals(s.fit, alpha: alpha).model))
            }
            rows.append([split.holdOut.name, "weighted ALS", alpha.summary(alphaLabel)])
            // One run of the most epochs, keeping the model after each number of the grid: the same models as one run each.
            let models = try bprModels(s.fit, epochs: Set(epochGrid))
            let epochs = GridSearch(epochGrid, progress: progress, detail: { "\(key): BPR \($0) epochs" }) { epochs in
                validationNDCG(Rankers.factors(models[epochs]!))
            }
            rows.append([split.holdOut.name, "BPR", epochs.summary { "\($0) epochs" }])
            let similarities = itemItem(s.fit)
            let neighbours = GridSearch(neighbourGrid, progress: progress, detail: { "\(key): item-item n \($0)" }) { n in
                validationNDCG(Rankers.itemNeighbours(s.fit, similarities: similarities, neighbours: n))
            }
            rows.append([split.holdOut.name, "item-item", neighbours.summary { "n \($0)" }])
            // The rating model is chosen as lesson 6 chooses it: by its RMSE on the validation ratings (early stopping).
            let rating = try ratingModel(s.fitRatings, validation: s.validationRatings, epochs: 150)
            progress.step("\(key): rating model")
            chosen[split.holdOut] = Chosen(alpha: alpha.best, epochs: epochs.best, neighbours: neighbours.best, ratingEpochs: rating.epochs)
            grids.append(
                (
                    key,
                    JSONValue.object([
                        ("wals_alpha", alpha.json { formatFixed($0, digits: 1) }),
                        ("bpr_epochs", epochs.json { String($0) }),
                        ("item_item_neighbours", neighbours.json { String($0) }),
                        (
                            "chosen",
                            JSONValue.object([
                                ("wals_alpha", alpha.best.json), ("bpr_epochs", epochs.best.json),
                                ("item_item_neighbours", neighbours.best.json), ("rating_model_epochs", rating.epochs.json)
                            ])
                        )
                    ])
                ))
        }
        progress.finish()
        return (chosen, rows, grids)
    }

    /// A word when BPR's best number of epochs is the largest the grid tried: more might be better still.
    static func gridEdges(bprEpochs: [(protocolName: String, epochs: Int)], grid: [Int]) -> String {
        guard Set(grid).count > 1, let largest = grid.max() else { return "" }
        let atEdge = bprEpochs.filter { $0.epochs == largest }.map(\.protocolName)
        guard !atEdge.isEmpty else { return "" }
        return """
            BPR's best number of epochs is the largest tried, \(largest), on \(atEdge.joined(separator: " and ")): its validation NDCG \
            was still rising at the end of the grid, so more epochs might help (`--epochs` widens it, at the cost of time).
            """
    }
}
