// Section 9: a small network trained entirely by the learner's three cells (the course's where a cell is not written):
// a hidden layer of 8 ReLU units on the dot product's embeddings of a user and a movie, a linear output, full-batch Adam.

import CFCore
import LessonKit
import TextOutput

extension Lesson10 {
    func aLayerByHand() throws {
        book.heading("A layer by hand")
        guard let dotModel = testedModels[.dotProduct] as? EmbeddingDotBias else { return }
        let examples = Array(fit.entries.prefix(400)), hiddenUnits = 8, steps = 40
        let users = dotModel.userFactors, items = dotModel.itemFactors, k = users.columns
        let written = ["denseForward", "denseBackward", "adamStep"].filter { book.writtenCells.contains($0) }
        book.paragraph(
            """
            The networks above run on the core's Float layers. The same arithmetic fits in three cells, and this section
            trains a small network on nothing else: each of \(examples.count) fit ratings becomes the dot-product model's embeddings of its
            user and movie placed end to end (\(2 * k) numbers), a hidden layer of \(hiddenUnits) ReLU units (`denseForward`), and a
            linear output unit; the gradient of the mean squared error goes back through the hidden layer by `denseBackward`,
            and every parameter takes \(steps) full-batch steps of `adamStep` (learning rate 0.01). \(Self.whoseCells(written))
            """)
        var rng = RandomState(seed: seed &+ 91)
        var w1 = (1 / Double(2 * k).squareRoot()) * rng.randn(hiddenUnits, 2 * k), b1 = [Double](repeating: 0, count: hiddenUnits)
        var w2 = ((1 / Double(hiddenUnits).squareRoot()) * rng.randn(1, hiddenUnits)).row(0), b2 = mean(examples.map(\.value))
        let count = w1.elements.count + hiddenUnits + hiddenUnits + 1
        var m = [Double](repeating: 0, count: count), v = m
        var rmse = [Double]()
        for step in 0...steps {
            var gW1 = Matrix(rows: hiddenUnits, columns: 2 * k), gB1 = [Double](repeating: 0, count: hiddenUnits)
            var gW2 = [Double](repeating: 0, count: hiddenUnits), gB2 = 0.0, squared = 0.0
            for r in examples {
                let x = users.row(r.user) + items.row(r.item)
                let hidden = try cells.denseForward(weights: w1, bias: b1, input: x)
                let e = dot(w2, hidden.output) + b2 - r.value
                squared += e * e
                let g = 2 * e / Double(examples.count)  // ∂(mean squared error)/∂ŷ
                for j in 0..<hiddenUnits { gW2[j] += g * hidden.output[j] }
                gB2 += g
                let back = try cells.denseBackward(weights: w1, input: x, preActivation: hidden.preActivation, outputGradient: w2.map { g * $0 })
                gW1 = gW1 + back.weights
                gB1 = zip(gB1, back.bias).map { $0 + $1 }
            }
            rmse.append((squared / Double(examples.count)).squareRoot())
            guard step < steps else { break }
            let adam = try cells.adamStep(
                parameters: w1.elements + b1 + w2 + [b2], gradient: gW1.elements + gB1 + gW2 + [gB2], firstMoment: m, secondMoment: v,
                step: step + 1, learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
            let p = adam.parameters
            w1 = Matrix(rows: hiddenUnits, columns: 2 * k, elements: Array(p[0..<w1.elements.count]))
            b1 = Array(p[w1.elements.count..<(w1.elements.count + hiddenUnits)])
            w2 = Array(p[(w1.elements.count + hiddenUnits)..<(count - 1)])
            b2 = p[count - 1]
            (m, v) = (adam.firstMoment, adam.secondMoment)
        }
        let shown = Array(stride(from: 0, through: steps, by: 10)).filter { $0 < rmse.count }
        book.table(
            Table(header: ["Adam steps", "RMSE on the \(examples.count) ratings"], rows: shown.map { [String($0), formatFixed(rmse[$0], digits: 4)] }),
            caption: "The small network, trained by the cells")
        book.paragraph(Self.byHandReading(rmse))
        book.record("by_hand_rmse", rmse)
    }

    /// Whose cells trained the small network.
    static func whoseCells(_ written: [String]) -> String {
        switch written.count {
        case 0: "All three cells are the course's until you write yours (Cells.swift)."
        case 3: "All three cells are yours."
        default: "Yours: " + written.map { "`\($0)`" }.joined(separator: ", ") + "; the course's for the rest."
        }
    }

    /// Whether the small network learned: its RMSE at the start and the end, and whether it fell.
    static func byHandReading(_ rmse: [Double]) -> String {
        guard let first = rmse.first, let last = rmse.last else { return "" }
        let f = { (x: Double) in formatFixed(x, digits: 4) }
        if !last.isFinite { return "The RMSE became NaN or infinite: a cell's numbers ran away; `swift run lesson-10 --check` shows which." }
        if last < first * 0.99 {
            return
                "The RMSE falls from \(f(first)) to \(f(last)) in \(rmse.count - 1) steps: the gradients point downhill and the optimizer follows them. (A falling loss does not prove the cells right: `--check` compares each with worked values and its gradients with finite differences.)"
        }
        return
            "The RMSE goes from \(f(first)) to \(f(last)) in \(rmse.count - 1) steps without falling: one of the three cells is wrong, and `swift run lesson-10 --check` says which."
    }
}
