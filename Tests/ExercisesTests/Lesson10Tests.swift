// Lesson 10's checks: a dense layer with a ReLU, forward and backward, and one Adam step. Each known mistake is written
// as a wrong cell, in a line or a few, beside the worked solutions of the others.
import CFCore
import Exercises
import Foundation
import LessonKit
import Solutions
import TestSupport
import Testing

@Suite("exercises: lesson 10's checks")
struct Lesson10Tests {
    static let s = Lesson10Closures.solutions
    /// max(z, 0), entry by entry.
    static func relu(_ z: [Double]) -> [Double] { z.map { max($0, 0) } }

    /// Checks one wrong cell: graded wrong, with the first difference and the hint that names the mistake.
    func expectWrong(_ exercise: Exercise, hint: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let outcome = ExerciseChecker.checkHere(exercise)
        #expect(outcome.status == .wrong, "\(exercise.info.id) was not graded wrong: \(outcome.message)", sourceLocation: sourceLocation)
        #expect(
            outcome.message.contains("should be") && outcome.message.contains("Hint: " + hint), "\(exercise.info.id): \(outcome.message)",
            sourceLocation: sourceLocation)
    }

    /// Cells whose forward pass is `forward`, the worked solutions otherwise.
    func forward(_ forward: @escaping Lesson10Closures.Forward) -> Lesson10Closures {
        Lesson10Closures(denseForward: forward, denseBackward: Self.s.denseBackward, adamStep: Self.s.adamStep)
    }

    /// Cells whose backward pass gates ∂L/∂a into δ with `gate(g, z)`, and builds the gradients from it with `gradients`
    /// (by default the right ones: δ xᵀ, δ, Wᵀ δ), the worked solutions otherwise.
    func backward(
        gate: @escaping @Sendable (Double, Double) -> Double = { g, z in z > 0 ? g : 0 },
        gradients: @escaping @Sendable (Matrix, [Double], [Double], [Double], [Double]) -> Lesson10Cells.Gradients = { w, x, _, _, delta in
            (Matrix(rows: delta.count, columns: x.count) { delta[$0] * x[$1] }, delta, w.transposed * delta)
        }
    ) -> Lesson10Closures {
        Lesson10Closures(
            denseForward: Self.s.denseForward,
            denseBackward: { w, x, z, g in gradients(w, x, z, g, zip(g, z).map(gate)) },
            adamStep: Self.s.adamStep)
    }

    /// Cells whose Adam step is `step`, the worked solutions otherwise.
    func adam(_ step: @escaping Lesson10Closures.Step) -> Lesson10Closures {
        Lesson10Closures(denseForward: Self.s.denseForward, denseBackward: Self.s.denseBackward, adamStep: step)
    }

    @Test("the worked cases of the cells' comments, redone by hand")
    func workedByHand() throws {
        let w = Matrix([[1, -1, 2], [1, -2, 0]]), b = [0.5, 2.0], x = [2.0, 1, -1]
        // z = (2 − 1 − 2 + 0.5, 2 − 2 + 0 + 2): the first unit off, the second on.
        let forward = try Self.s.denseForward(weights: w, bias: b, input: x)
        #expect(forward.preActivation == [-0.5, 2] && forward.output == [0, 2])
        // δ = (2, −1) ⊙ (0, 1) = (0, −1); ∂L/∂W = δ xᵀ; ∂L/∂x = Wᵀ δ = −(row 1 of W).
        let gradients = try Self.s.denseBackward(weights: w, input: x, preActivation: [-0.5, 2], outputGradient: [2, -1])
        #expect(gradients.weights == Matrix([[0, 0, 0], [-2, -1, 1]]) && gradients.bias == [0, -1] && gradients.input == [-1, 2, 0])
        // From m = v = 0: m = 0.1 g, v = 0.001 g², so m̂ = g, v̂ = g², and each parameter moves by lr = 0.1 against its gradient.
        let step = try Self.s.adamStep(([1, -2], [0.5, -4], [0, 0], [0, 0], 1, 0.1, 0.9, 0.999, 1e-8))
        for (given, expected) in zip(step.parameters + step.firstMoment + step.secondMoment, [0.9, -1.9, 0.05, -0.4, 0.00025, 0.016]) {
            #expect(abs(given - expected) < 1e-8, "\(step)")
        }
        // The comments say so (LoopTests.shippedCells compares them with the checks' worked cases).
        let text = try String(contentsOf: packageRoot.appendingPathComponent(Course.cellsFile(10)), encoding: .utf8)
        #expect(CellSource.workedCase(of: "adamStep", in: text)?.hasSuffix("gives θ = [0.9, -1.9], m = [0.05, -0.4], v = [0.00025, 0.016]") == true)
    }

    @Test("lesson 10 is registered: its three exercises, each with three hints, the first its placeholder's ✏️ line")
    func registered() throws {
        #expect(CourseExercises.list(10).map(\.id) == ["10.1", "10.2", "10.3"])
        #expect(CourseExercises.list(10).map(\.function) == ["denseForward", "denseBackward", "adamStep"])
        let text = try String(contentsOf: packageRoot.appendingPathComponent(Course.cellsFile(10)), encoding: .utf8)
        for info in CourseExercises.list(10) {
            #expect(info.hints.count == 3, "\(info.id)")
            #expect(text.contains("// ✏️ " + info.hints[0]), "\(info.id): the placeholder's line is hints[0]")
        }
    }

    @Test("10.1's hints: the ReLU missing, z after the ReLU, the bias missing or added after the ReLU")
    func forwardMistakes() {
        let noReLU = forward { w, b, x in
            let z = zip(w * x, b).map { $0 + $1 }
            return (z, z)
        }
        expectWrong(noReLU.exercises()[0], hint: "the ReLU is missing")
        let zAfterReLU = forward { w, b, x in
            let a = Self.relu(zip(w * x, b).map { $0 + $1 })
            return (a, a)
        }
        expectWrong(zAfterReLU.exercises()[0], hint: "z was returned after the ReLU")
        expectWrong(forward { w, _, x in (w * x, Self.relu(w * x)) }.exercises()[0], hint: "the bias is missing")
        let biasAfter = forward { w, b, x in (zip(w * x, b).map { $0 + $1 }, zip(Self.relu(w * x), b).map { $0 + $1 }) }
        expectWrong(biasAfter.exercises()[0], hint: "the bias was added after the ReLU")
    }

    @Test("10.2's hints: no mask, ∂L/∂W transposed, ∂L/∂b or ∂L/∂x unmasked, a ReLU on the gradient or on ∂L/∂b, δ times a")
    func backwardMistakes() {
        expectWrong(backward(gate: { g, _ in g }).exercises()[1], hint: "the ReLU's mask is missing")
        // x δᵀ: in × out, which the checks' layers (none square) tell from δ xᵀ by its shape.
        let transposed = backward(gradients: { w, x, _, _, delta in
            (Matrix(rows: x.count, columns: delta.count) { x[$0] * delta[$1] }, delta, w.transposed * delta)
        })
        expectWrong(transposed.exercises()[1], hint: "∂L/∂W is transposed")
        let transposedMessage = ExerciseChecker.checkHere(transposed.exercises()[1]).message
        #expect(transposedMessage.contains("∂L/∂W should be 2 × 3, but it is 3 × 2"), "\(transposedMessage)")
        expectWrong(
            backward(gradients: { w, x, _, g, delta in (Matrix(rows: delta.count, columns: x.count) { delta[$0] * x[$1] }, g, w.transposed * delta) })
                .exercises()[1],
            hint: "∂L/∂b has no mask")
        expectWrong(
            backward(gradients: { w, x, _, g, delta in (Matrix(rows: delta.count, columns: x.count) { delta[$0] * x[$1] }, delta, w.transposed * g) })
                .exercises()[1],
            hint: "∂L/∂x has no mask")
        let reluOnBias = backward(gradients: { w, x, _, _, delta in
            (Matrix(rows: delta.count, columns: x.count) { delta[$0] * x[$1] }, delta.map { max($0, 0) }, w.transposed * delta)
        })
        expectWrong(reluOnBias.exercises()[1], hint: "a ReLU was applied to ∂L/∂b")
        expectWrong(backward(gate: { g, _ in max(g, 0) }).exercises()[1], hint: "a ReLU was applied to the gradient")
        expectWrong(backward(gate: { g, z in z > 0 ? max(g, 0) : 0 }).exercises()[1], hint: "a ReLU was applied to the gradient")
        expectWrong(backward(gate: { g, z in g * max(z, 0) }).exercises()[1], hint: "∂L/∂a was multiplied by a")
    }

    @Test("10.2 at the kink: the mask 1[z ≥ 0] and the mask 1[a > 0] both pass, since the checks keep z away from 0")
    func kinkConvention() {
        for cells in [backward(gate: { g, z in z >= 0 ? g : 0 }), backward(gate: { g, z in max(z, 0) > 0 ? g : 0 })] {
            let outcome = ExerciseChecker.checkHere(cells.exercises()[1])
            #expect(outcome.status == .right, "\(outcome.message)")
        }
        #expect(Lesson10Exercises.kinkMargin > 1e-3, "far enough from 0 for the finite differences' ε of 1e-5")
    }

    @Test("a wrong 10.2 shows its gradients beside the finite differences of L, the wrong ones marked")
    func gradientTable() throws {
        let noMask = backward(gate: { g, _ in g })
        let message = ExerciseChecker.checkHere(noMask.exercises()[1]).message
        #expect(message.contains("your gradients beside the finite differences"), "\(message)")
        let rows = message.split(separator: "\n").filter { $0.contains("W[") || $0.contains("b[") || $0.contains("x[") }
        // In the worked case unit 0 is off: its row of W and its bias are wrong without the mask; unit 1's are right.
        #expect(rows.contains { $0.contains("W[0, 0]") && $0.hasSuffix("✗") } && rows.contains { $0.contains("W[1, 0]") && !$0.hasSuffix("✗") }, "\(rows)")
        #expect(rows.contains { $0.contains("b[0]") && $0.hasSuffix("✗") } && rows.contains { $0.contains("b[1]") && !$0.hasSuffix("✗") }, "\(rows)")
        // The right gradients on the worked case: every one agrees, and they are the numbers worked by hand.
        let r = Lesson10Exercises.reference
        let table = try Lesson10Exercises.gradientTable(
            weights: Matrix([[1, -1, 2], [1, -2, 0]]), bias: [0.5, 2], input: [2, 1, -1], outputGradient: [2, -1], forward: r.denseForward,
            backward: r.denseBackward)
        let cells = table.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(
            cells.contains(["W[1,", "0]", "-2.0", "-2.0"]) && cells.contains(["b[1]", "-1.0", "-1.0"]) && cells.contains(["x[1]", "2.0", "2.0"]), "\(table)")
        #expect(!table.contains("✗"), "\(table)")
    }

    @Test("the gradient check of 10.2 passes the worked solution and catches a gradient without its mask")
    func gradientCheck() throws {
        var rng = RandomState(seed: 10)
        let w = rng.randn(4, 7), x = (0..<7).map { _ in rng.randn() }, b = (0..<4).map { _ in rng.randn() }, c = (0..<4).map { _ in rng.randn() }
        let z = zip(w * x, b).map { $0 + $1 }
        try #require(z.contains { $0 > 0.01 } && z.contains { $0 < -0.01 } && z.allSatisfy { abs($0) > 1e-3 }, "units on and off, none at the kink")
        #expect(try Self.s.gradientCheck(weights: w, bias: b, input: x, outputGradient: c) < 1e-8)
        #expect(try backward(gate: { g, _ in g }).gradientCheck(weights: w, bias: b, input: x, outputGradient: c) > 1e-3)
    }

    @Test("10.3's hints: no bias correction, half of it, its power off by one, ε inside the root, old moments, β swapped, uphill")
    func adamMistakes() {
        @Sendable func solved(
            _ p: Lesson10Cells.AdamProblem, correctFirst: Bool = true, correctSecond: Bool = true, power: Int = 0,
            epsilonInsideRoot: Bool = false, oldMoments: Bool = false, swappedBetas: Bool = false, sign: Double = 1
        ) -> Lesson10Cells.AdamState {
            var theta = p.parameters, m = p.firstMoment, v = p.secondMoment
            let b1 = swappedBetas ? 1 - p.beta1 : p.beta1, b2 = swappedBetas ? 1 - p.beta2 : p.beta2, t = Double(p.step + power)
            for j in theta.indices {
                let oldM = m[j], oldV = v[j]
                m[j] = b1 * m[j] + (1 - b1) * p.gradient[j]
                v[j] = b2 * v[j] + (1 - b2) * p.gradient[j] * p.gradient[j]
                let mHat = (oldMoments ? oldM : m[j]) / (correctFirst ? 1 - pow(p.beta1, t) : 1)
                let vHat = (oldMoments ? oldV : v[j]) / (correctSecond ? 1 - pow(p.beta2, t) : 1)
                theta[j] -= sign * p.learningRate * mHat / (epsilonInsideRoot ? sqrt(vHat + p.epsilon) : sqrt(vHat) + p.epsilon)
            }
            return (theta, m, v)
        }
        expectWrong(adam { solved($0, correctFirst: false, correctSecond: false) }.exercises()[2], hint: "the bias correction is missing")
        expectWrong(adam { solved($0, correctSecond: false) }.exercises()[2], hint: "only m is corrected")
        expectWrong(adam { solved($0, correctFirst: false) }.exercises()[2], hint: "only v is corrected")
        expectWrong(adam { solved($0, power: 1) }.exercises()[2], hint: "the correction's power is off by one")
        expectWrong(adam { solved($0, power: -1) }.exercises()[2], hint: "the correction's power is off by one")
        expectWrong(adam { solved($0, epsilonInsideRoot: true) }.exercises()[2], hint: "ε is inside the square root")
        expectWrong(adam { solved($0, oldMoments: true) }.exercises()[2], hint: "the step used the old moments")
        expectWrong(adam { solved($0, swappedBetas: true) }.exercises()[2], hint: "β and 1 − β are swapped")
        expectWrong(adam { solved($0, sign: -1) }.exercises()[2], hint: "the step goes uphill")
        // Without the correction the first step is about 3 lr (0.1 g / 0.032 |g|), not lr: the worked case shows it.
        let message = ExerciseChecker.checkHere(adam { solved($0, correctFirst: false, correctSecond: false) }.exercises()[2]).message
        #expect(message.hasPrefix("on adamStep(parameters: [1, -2]") && message.contains("entry 0 of θ should be 0.9"), "\(message)")
    }

    @Test("an error of a learner's lesson-10 cell names the cell and its file; cells not written are the course's")
    func completed() throws {
        struct Shapes: Error, CustomStringConvertible { var description: String { "W is 2 × 3 but x has 2 numbers" } }
        let failing = forward { _, _, _ in throw Shapes() }
        let error = #expect(throws: CellError.self) {
            _ = try failing.completed(["denseForward"]).denseForward(weights: Matrix([[1, 2, 3], [4, 5, 6]]), bias: [0, 0], input: [1, 2])
        }
        #expect(error?.description.hasPrefix("your denseForward in Lessons/lesson-10/Cells.swift failed: W is 2 × 3") == true, "\(String(describing: error))")
        let course = try failing.completed([]).denseForward(weights: Matrix([[1, -1]]), bias: [0.5], input: [1, 2])
        #expect(course.preActivation == [-0.5] && course.output == [0])
    }
}
