import CFCore
import Foundation
import LessonKit
import Solutions

/// Lesson 10's cells: what a learner writes in `Lessons/lesson-10/Cells.swift` (its `YourCells`), what the worked
/// solutions and the course's own versions compute, and what the lesson calls.
///
/// The ReLU's slope at z = 0 exactly is taken as 0: the mask is 1[z > 0], as the core's `ReLU` and PyTorch take it. It is
/// the same mask as 1[a > 0] (a = max(z, 0) is positive exactly where z is); 1[z ≥ 0] differs from it only at z = 0,
/// which the checks' layers keep away from (every z is at least `Lesson10Exercises.kinkMargin` from 0), so either
/// convention passes.
public protocol Lesson10Cells: Sendable {
    /// A dense layer's values: z = W x + b before the ReLU, a = max(z, 0) after it.
    typealias Activations = (preActivation: [Double], output: [Double])
    /// The gradients of a loss L with respect to a dense layer's weights W, biases b and input x.
    typealias Gradients = (weights: Matrix, bias: [Double], input: [Double])
    /// What one Adam step returns: the parameters θ and the moments m and v.
    typealias AdamState = (parameters: [Double], firstMoment: [Double], secondMoment: [Double])
    /// 10.1: the forward pass of a dense layer with a ReLU.
    func denseForward(weights w: Matrix, bias b: [Double], input x: [Double]) throws -> Activations
    /// 10.2: its backward pass, given ∂L/∂a.
    func denseBackward(weights w: Matrix, input x: [Double], preActivation z: [Double], outputGradient g: [Double]) throws -> Gradients
    /// 10.3: one Adam step.
    func adamStep(
        parameters theta: [Double], gradient g: [Double], firstMoment m: [Double], secondMoment v: [Double], step t: Int,
        learningRate lr: Double, beta1: Double, beta2: Double, epsilon: Double
    ) throws -> AdamState
}

/// Lesson 10's exercises: their list, the course's own versions of the cells, and the gradient check of a dense layer.
public enum Lesson10Exercises {
    /// The cells, in order.
    public static let list = [
        ExerciseInfo(
            "10.1", "denseForward", "the forward pass of a dense layer with a ReLU: z = W x + b, a = max(z, 0)",
            hints: [
                "z = W x + b, then a = max(z, 0) entry by entry.",
                "`let z = zip(w * x, b).map { $0 + $1 }`: `w * x` is the matrix-vector product, one number per row of W, and b adds one bias to each.",
                "`return (preActivation: z, output: z.map { max($0, 0) })`: z as it is, before the ReLU, and a with every negative entry put to 0."
            ]),
        ExerciseInfo(
            "10.2", "denseBackward", "its backward pass: ∂L/∂W, ∂L/∂b and ∂L/∂x from ∂L/∂a",
            hints: [
                "δ = ∂L/∂a where z > 0, 0 elsewhere; then ∂L/∂W = δ xᵀ, ∂L/∂b = δ, ∂L/∂x = Wᵀ δ.",
                "`let delta = zip(g, z).map { $1 > 0 ? $0 : 0 }`: the ReLU passes the gradient of a unit that was on (z > 0) and stops that of a unit that was off.",
                "`Matrix(rows: w.rows, columns: w.columns) { o, i in delta[o] * x[i] }` is ∂L/∂W, out × in like W; ∂L/∂b is `delta` itself and ∂L/∂x is `w.transposed * delta`."
            ]),
        ExerciseInfo(
            "10.3", "adamStep", "one Adam step: the moments, their bias correction, and the step",
            hints: [
                "Update m and v with g, correct both for their start at 0, then step θ.",
                "On copies (`var theta = theta, m = m, v = v`), for each j: `m[j] = beta1 * m[j] + (1 - beta1) * g[j]` and `v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j]`.",
                "Then `let mHat = m[j] / (1 - pow(beta1, Double(t)))`, `let vHat = v[j] / (1 - pow(beta2, Double(t)))` and `theta[j] -= lr * mHat / (sqrt(vHat) + epsilon)`; return `(theta, m, v)`."
            ])
    ]

    /// The course's own versions: plain Double arithmetic on the core's `Matrix` (the core's network layers and its
    /// `Adam` work in Float, on flat arrays of parameters; these are the same formulas in Double).
    public static let reference: any Lesson10Cells = Reference()
    /// The worked solutions (Sources/Solutions/Lesson10.swift).
    public static let solutions: any Lesson10Cells = Lesson10Solutions()

    /// How far from the ReLU's kink (z = 0) every z of the checks' layers is kept, so that the convention at z = 0 does
    /// not matter and the finite differences of the gradient check do not step across it.
    public static let kinkMargin = 0.1

    struct Reference: Lesson10Cells {
        func denseForward(weights w: Matrix, bias b: [Double], input x: [Double]) -> Activations {
            let z = zip(w * x, b).map { $0 + $1 }
            return (z, z.map { max($0, 0) })
        }
        func denseBackward(weights w: Matrix, input x: [Double], preActivation z: [Double], outputGradient g: [Double]) -> Gradients {
            let delta = zip(g, z).map { $1 > 0 ? $0 : 0 }
            return (Matrix(rows: delta.count, columns: x.count) { delta[$0] * x[$1] }, delta, w.transposed * delta)
        }
        func adamStep(
            parameters theta: [Double], gradient g: [Double], firstMoment m: [Double], secondMoment v: [Double], step t: Int,
            learningRate lr: Double, beta1: Double, beta2: Double, epsilon: Double
        ) -> AdamState {
            plainAdam((theta, g, m, v, t, lr, beta1, beta2, epsilon))
        }
    }

    /// A learner's cells where written, the course's elsewhere.
    struct Completed: Lesson10Cells {
        let yours: any Lesson10Cells, written: Set<String>
        func run<T>(_ function: String = #function, _ call: (any Lesson10Cells) throws -> T) throws -> T {
            try attributed(yours, reference, written: written, lesson: 10, function: function, call)
        }

        func denseForward(weights w: Matrix, bias b: [Double], input x: [Double]) throws -> Activations {
            try run { try $0.denseForward(weights: w, bias: b, input: x) }
        }
        func denseBackward(weights w: Matrix, input x: [Double], preActivation z: [Double], outputGradient g: [Double]) throws -> Gradients {
            try run { try $0.denseBackward(weights: w, input: x, preActivation: z, outputGradient: g) }
        }
        func adamStep(
            parameters theta: [Double], gradient g: [Double], firstMoment m: [Double], secondMoment v: [Double], step t: Int,
            learningRate lr: Double, beta1: Double, beta2: Double, epsilon: Double
        ) throws -> AdamState {
            try run {
                try $0.adamStep(
                    parameters: theta, gradient: g, firstMoment: m, secondMoment: v, step: t, learningRate: lr, beta1: beta1, beta2: beta2,
                    epsilon: epsilon)
            }
        }
    }

    /// One parameter of a dense layer (an entry of W, b or x): its gradient from a backward pass (NaN when that
    /// gradient has the wrong shape) and the central finite difference (L(w + ε) − L(w − ε)) / 2ε of the loss
    /// L = Σ_o c_o a_o, whose gradient ∂L/∂a is c.
    public struct GradientPair: Sendable {
        /// "W[1, 2]", "b[0]" or "x[3]".
        public let parameter: String
        public let analytic: Double, numeric: Double
    }

    /// Every parameter's pair of gradients, W's entries first (row by row), then b's, then x's, for the layer W, b at
    /// the input x and the loss L = Σ_o c_o a_o (`outputGradient` is c = ∂L/∂a). L is computed with `forward`;
    /// `backward` is given z from `forward` too. Use it on a small layer.
    public static func gradientPairs(
        weights w: Matrix, bias b: [Double], input x: [Double], outputGradient c: [Double], epsilon: Double = 1e-5,
        forward: (Matrix, [Double], [Double]) throws -> Lesson10Cells.Activations,
        backward: (Matrix, [Double], [Double], [Double]) throws -> Lesson10Cells.Gradients
    ) throws -> [GradientPair] {
        func loss(_ w: Matrix, _ b: [Double], _ x: [Double]) throws -> Double { dot(c, try forward(w, b, x).output) }
        let analytic = try backward(w, x, try forward(w, b, x).preActivation, c)
        func central(_ up: Double, _ down: Double) -> Double { (up - down) / (2 * epsilon) }
        var pairs = [GradientPair]()
        let weightsFit = analytic.weights.rows == w.rows && analytic.weights.columns == w.columns
        for o in 0..<w.rows {
            for i in 0..<w.columns {
                var plus = w, minus = w
                plus[o, i] += epsilon
                minus[o, i] -= epsilon
                pairs.append(
                    GradientPair(
                        parameter: "W[\(o), \(i)]", analytic: weightsFit ? analytic.weights[o, i] : .nan,
                        numeric: central(try loss(plus, b, x), try loss(minus, b, x))))
            }
        }
        for (name, vector, gradient) in [("b", b, analytic.bias), ("x", x, analytic.input)] {
            for index in vector.indices {
                var plus = vector, minus = vector
                plus[index] += epsilon
                minus[index] -= epsilon
                let up = try name == "b" ? loss(w, plus, x) : loss(w, b, plus), down = try name == "b" ? loss(w, minus, x) : loss(w, b, minus)
                pairs.append(
                    GradientPair(
                        parameter: "\(name)[\(index)]", analytic: gradient.count == vector.count ? gradient[index] : .nan,
                        numeric: central(up, down)))
            }
        }
        return pairs
    }

    /// The largest relative difference |a − n| / max(|a| + |n|, 10⁻¹²) between `backward` and the central finite
    /// differences of the loss (`gradientPairs`), over every parameter. Use it on a small layer.
    public static func gradientCheck(
        weights w: Matrix, bias b: [Double], input x: [Double], outputGradient c: [Double], epsilon: Double = 1e-5,
        forward: (Matrix, [Double], [Double]) throws -> Lesson10Cells.Activations,
        backward: (Matrix, [Double], [Double], [Double]) throws -> Lesson10Cells.Gradients
    ) throws -> Double {
        try gradientPairs(weights: w, bias: b, input: x, outputGradient: c, epsilon: epsilon, forward: forward, backward: backward)
            .reduce(0.0) { worst, pair in
                let difference =
                    pair.analytic.isNaN
                    ? Double.infinity : abs(pair.analytic - pair.numeric) / max(abs(pair.analytic) + abs(pair.numeric), 1e-12)
                return max(worst, difference)
            }
    }

    /// Every parameter's gradient from `backward` beside the central finite difference of the loss, as lesson 5's table
    /// shows them: a missing mask, a transposed ∂L/∂W (its entries NaN: the wrong shape) or a sign stands out. `caseName`
    /// says which case it is on ("that case", "the worked case"). Use it on a small layer.
    public static func gradientTable(
        weights w: Matrix, bias b: [Double], input x: [Double], outputGradient c: [Double], epsilon: Double = 1e-5, caseName: String = "that case",
        forward: (Matrix, [Double], [Double]) throws -> Lesson10Cells.Activations,
        backward: (Matrix, [Double], [Double], [Double]) throws -> Lesson10Cells.Gradients
    ) throws -> String {
        let pairs = try gradientPairs(weights: w, bias: b, input: x, outputGradient: c, epsilon: epsilon, forward: forward, backward: backward)
        // + 0 writes −0 (δ[o] = 0 times a negative x[i]) as 0.
        let rows =
            [["parameter", "your gradient", "finite difference", ""]]
            + pairs.map { pair in
                [
                    pair.parameter, Grader<Int>.show(pair.analytic + 0), Grader<Int>.show((pair.numeric * 1e6).rounded() / 1e6 + 0),
                    abs(pair.analytic - pair.numeric) <= 1e-6 * max(1, abs(pair.numeric)) ? "" : "✗"
                ]
            }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        let header = "  your gradients beside the finite differences (L(w + ε) − L(w − ε)) / 2ε of L = Σ_o g_o a_o (g = outputGradient), on \(caseName):"
        return
            ([header]
            + rows.map { row in
                ("    " + zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
                    .replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression)
            })
            .joined(separator: "\n")
    }

    /// A layer of `outputs` units on `inputs` numbers from the seed: W (scaled by `scale`), b, x and c = ∂L/∂a standard
    /// normal, b halved. A bias whose unit's z falls within `kinkMargin` of 0 is moved by `kinkMargin` away from it, so
    /// that every z is at least that far from the kink.
    static func layer(outputs: Int, inputs: Int, seed: UInt32, scale: Double = 1) -> Lesson10Cells.DenseProblem {
        var rng = RandomState(seed: seed)
        let w = scale * rng.randn(outputs, inputs)
        let x = (0..<inputs).map { _ in rng.randn() }
        var b = (0..<outputs).map { _ in 0.5 * rng.randn() }
        let c = (0..<outputs).map { _ in rng.randn() }
        let wx = w * x
        for o in 0..<outputs where abs(wx[o] + b[o]) < kinkMargin { b[o] += wx[o] + b[o] < 0 ? -kinkMargin : kinkMargin }
        return (w, b, x, c)
    }

    /// An Adam problem from the seed: θ standard normal, g and m normal of scale `gradientScale` (m half that), v the
    /// square of such a draw (never negative); m and v are 0 when `fresh` (the first step). Entries listed in `unused`
    /// have g = m = v = 0: a parameter whose gradients have all been 0.
    static func adamProblem(
        seed: UInt32, count: Int, step: Int, learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
        gradientScale: Double = 1, fresh: Bool = false, unused: [Int] = []
    ) -> Lesson10Cells.AdamProblem {
        var rng = RandomState(seed: seed)
        let theta = (0..<count).map { _ in rng.randn() }
        var g = (0..<count).map { _ in gradientScale * rng.randn() }
        var m = (0..<count).map { _ in 0.5 * gradientScale * rng.randn() }
        var v = (0..<count).map { _ in pow(gradientScale * rng.randn(), 2) }
        if fresh {
            m = [Double](repeating: 0, count: count)
            v = m
        }
        for j in unused {
            g[j] = 0
            m[j] = 0
            v[j] = 0
        }
        return (theta, g, m, v, step, learningRate, beta1, beta2, epsilon)
    }
}

extension Lesson10Solutions: Lesson10Cells {}

extension Lesson10Cells {
    /// These cells, with the course's version in place of each one not in `written`.
    public func completed(_ written: Set<String>) -> any Lesson10Cells { Lesson10Exercises.Completed(yours: self, written: written) }

    /// The largest relative difference between the `denseBackward` cell and the finite differences of the loss
    /// L = Σ_o c_o a_o computed with the `denseForward` cell (`Lesson10Exercises.gradientCheck`). Use it on a small layer.
    public func gradientCheck(weights w: Matrix, bias b: [Double], input x: [Double], outputGradient c: [Double], epsilon: Double = 1e-5) throws
        -> Double
    {
        try Lesson10Exercises.gradientCheck(
            weights: w, bias: b, input: x, outputGradient: c, epsilon: epsilon, forward: { try denseForward(weights: $0, bias: $1, input: $2) },
            backward: { try denseBackward(weights: $0, input: $1, preActivation: $2, outputGradient: $3) })
    }

    /// `adamStep` on the arguments as one value.
    public func adamStep(on p: AdamProblem) throws -> AdamState {
        try adamStep(
            parameters: p.parameters, gradient: p.gradient, firstMoment: p.firstMoment, secondMoment: p.secondMoment, step: p.step,
            learningRate: p.learningRate, beta1: p.beta1, beta2: p.beta2, epsilon: p.epsilon)
    }

    /// A dense layer at an input, with the gradient ∂L/∂a of a loss at its output (unused by the forward pass).
    public typealias DenseProblem = (weights: Matrix, bias: [Double], input: [Double], outputGradient: [Double])
    /// The arguments of one Adam step.
    public typealias AdamProblem = (
        parameters: [Double], gradient: [Double], firstMoment: [Double], secondMoment: [Double], step: Int, learningRate: Double,
        beta1: Double, beta2: Double, epsilon: Double
    )

    /// The checks of `--check`.
    public func exercises() -> [Exercise] {
        let infos = Lesson10Exercises.list
        let course = Lesson10Exercises.reference
        // The worked case: two units on three inputs, the first off (z = −0.5), the second on (z = 2, a = 2, so that a
        // gradient multiplied by a instead of the mask is seen on it too).
        let workedLayer: DenseProblem = (Matrix([[1, -1, 2], [1, -2, 0]]), [0.5, 2], [2, 1, -1], [2, -1])
        // Every layer has more inputs than outputs or fewer, so that ∂L/∂W transposed has the wrong shape; each but the
        // single unit has units on and off. None is square: a cell that multiplies by Wᵀ stops with the core's "cannot multiply".
        let layers: [(label: String, problem: DenseProblem)] = [
            ("a random layer of 3 units on 4 inputs (seed 5)", Lesson10Exercises.layer(outputs: 3, inputs: 4, seed: 5)),
            ("a random layer of 5 units on 2 inputs (seed 6)", Lesson10Exercises.layer(outputs: 5, inputs: 2, seed: 6)),
            (
                "one unit on 5 inputs, switched off (z < 0): no gradient flows back to W, b or x (seed 3)",
                Lesson10Exercises.layer(outputs: 1, inputs: 5, seed: 3)
            ),
            ("a random layer of 4 units on 6 inputs, large weights (seed 4)", Lesson10Exercises.layer(outputs: 4, inputs: 6, seed: 4, scale: 3))
        ]
        let activations = { (a: Activations) in [Part.vector("z", a.preActivation), .vector("a", a.output)] }
        let relu = { (z: [Double]) in z.map { max($0, 0) } }
        let showLayer = { (p: DenseProblem) in
            Show.inputs(("weights W", Show.matrix(p.weights)), ("bias b", Show.vector(p.bias)), ("input x", Show.vector(p.input)))
        }
        let forward = Grader<DenseProblem>(
            worked: ("denseForward(weights: [[1, -1, 2], [1, -2, 0]], bias: [0.5, 2], input: [2, 1, -1])", workedLayer),
            problems: layers,
            cell: { activations(try self.denseForward(weights: $0.weights, bias: $0.bias, input: $0.input)) },
            reference: { activations(try course.denseForward(weights: $0.weights, bias: $0.bias, input: $0.input)) },
            mistakes: [
                Mistake("the ReLU is missing: a = max(z, 0), entry by entry") { p in
                    let z = zip(p.weights * p.input, p.bias).map { $0 + $1 }
                    return activations((z, z))
                },
                Mistake("z was returned after the ReLU: z is W x + b as it is, a = max(z, 0) the same with its negative entries put to 0") { p in
                    let a = relu(zip(p.weights * p.input, p.bias).map { $0 + $1 })
                    return activations((a, a))
                },
                Mistake("the bias is missing: z = W x + b") { p in
                    let z = p.weights * p.input
                    return activations((z, relu(z)))
                },
                Mistake("the bias was added after the ReLU: a = max(W x + b, 0), with b inside") { p in
                    let wx = p.weights * p.input
                    return activations((zip(wx, p.bias).map { $0 + $1 }, zip(relu(wx), p.bias).map { $0 + $1 }))
                },
                Mistake("the bias was added after the ReLU: a = max(W x + b, 0), with b inside") { p in
                    let wx = p.weights * p.input
                    return activations((wx, zip(relu(wx), p.bias).map { $0 + $1 }))
                }
            ],
            show: showLayer)

        let gradients = { (g: Gradients) in [Part.matrix("∂L/∂W", g.weights), .vector("∂L/∂b", g.bias), .vector("∂L/∂x", g.input)] }
        let z = { (p: DenseProblem) in zip(p.weights * p.input, p.bias).map { $0 + $1 } }
        let backward = Grader<DenseProblem>(
            worked: (
                "denseBackward(weights: [[1, -1, 2], [1, -2, 0]], input: [2, 1, -1], preActivation: [-0.5, 2], outputGradient: [2, -1])",
                workedLayer
            ),
            problems: layers.map { ($0.label + ", ∂L/∂a random", $0.problem) },
            cell: { p in gradients(try self.denseBackward(weights: p.weights, input: p.input, preActivation: z(p), outputGradient: p.outputGradient)) },
            reference: { p in gradients(try course.denseBackward(weights: p.weights, input: p.input, preActivation: z(p), outputGradient: p.outputGradient)) },
            mistakes: [
                Mistake("the ReLU's mask is missing: δ = ∂L/∂a ⊙ 1[z > 0], since a unit that was off (z ≤ 0) passes no gradient back") {
                    gradients(plainBackward($0, gate: .unmasked))
                },
                Mistake("∂L/∂W is transposed: it is δ xᵀ, out × in like W (row o is δ[o] times x), not x δᵀ") {
                    gradients(plainBackward($0, transposedWeights: true))
                },
                Mistake("∂L/∂b has no mask: it is δ = ∂L/∂a ⊙ 1[z > 0], the same masked gradient as in ∂L/∂W") {
                    gradients(plainBackward($0, biasGate: .unmasked))
                },
                Mistake("∂L/∂x has no mask: it is Wᵀ δ, with δ = ∂L/∂a ⊙ 1[z > 0] as in ∂L/∂W") { gradients(plainBackward($0, inputGate: .unmasked)) },
                Mistake("a ReLU was applied to ∂L/∂b: it is δ itself, negative entries too (the ReLU acts on z, in the forward pass)") {
                    gradients(plainBackward($0, reluOnBias: true))
                },
                Mistake("a ReLU was applied to the gradient: the mask is 1[z > 0], from the forward pass's z, and keeps negative gradients") {
                    gradients(plainBackward($0, gate: .reluOfGradient))
                },
                Mistake("a ReLU was applied to the gradient: the mask is 1[z > 0], from the forward pass's z, and keeps negative gradients") {
                    gradients(plainBackward($0, gate: .maskedReluOfGradient))
                },
                Mistake("∂L/∂a was multiplied by a: the ReLU's slope is 1 where z > 0 and 0 elsewhere, so δ = ∂L/∂a ⊙ 1[z > 0]") {
                    gradients(plainBackward($0, gate: .timesOutput))
                }
            ],
            extra: { p in
                // Finite differences of L = Σ c_o a_o by the course's forward pass: independent of the learner's forward cell.
                let worst = try Lesson10Exercises.gradientCheck(
                    weights: p.weights, bias: p.bias, input: p.input, outputGradient: p.outputGradient, forward: course.denseForward,
                    backward: self.denseBackward)
                guard worst < 1e-6 else {
                    throw CheckFailure("on the gradient check: the gradients differ from L's finite differences by \(worst) (relative)")
                }
                return "finite differences agree (largest relative difference \(String(format: "%.1e", worst)))"
            },
            show: { p in
                showLayer(p).map {
                    $0 + "\n    preActivation z = \(Show.vector(z(p)) ?? "")\n    outputGradient ∂L/∂a = \(Show.vector(p.outputGradient) ?? "")"
                }
            },
            explain: { p in
                // Lesson 5's table: the learner's gradients beside the finite differences, on the case itself when it is small.
                let small = p.weights.elements.count + p.bias.count + p.input.count <= 20
                let q = small ? p : workedLayer
                return try? Lesson10Exercises.gradientTable(
                    weights: q.weights, bias: q.bias, input: q.input, outputGradient: q.outputGradient, caseName: small ? "that case" : "the worked case",
                    forward: course.denseForward, backward: self.denseBackward)
            })

        let state = { (s: AdamState) in [Part.vector("θ", s.parameters), .vector("m", s.firstMoment), .vector("v", s.secondMoment)] }
        let steps: [(label: String, problem: AdamProblem)] = [
            (
                "the first step, from m = v = 0 (seed 1, 6 parameters, lr 0.001)",
                Lesson10Exercises.adamProblem(seed: 1, count: 6, step: 1, learningRate: 0.001, fresh: true)
            ),
            ("step 2, random moments (seed 2, 5 parameters, lr 0.01)", Lesson10Exercises.adamProblem(seed: 2, count: 5, step: 2, learningRate: 0.01)),
            (
                "step 10 with β₁ = 0.8, β₂ = 0.99 (seed 3, 4 parameters, lr 0.05)",
                Lesson10Exercises.adamProblem(seed: 3, count: 4, step: 10, learningRate: 0.05, beta1: 0.8, beta2: 0.99)
            ),
            (
                "step 1000: m's correction nearly gone, v's not (seed 4, 4 parameters, lr 0.01)",
                Lesson10Exercises.adamProblem(seed: 4, count: 4, step: 1000, learningRate: 0.01)
            ),
            (
                "gradients of about 10⁻⁴ with ε = 10⁻³, so that ε counts (seed 5, step 3, lr 0.01)",
                Lesson10Exercises.adamProblem(seed: 5, count: 4, step: 3, learningRate: 0.01, epsilon: 1e-3, gradientScale: 1e-4)
            ),
            (
                "parameters 0 and 3 never had a gradient: g = m = v = 0 there, and ε keeps 0 / 0 away (seed 6, step 5, lr 0.01)",
                Lesson10Exercises.adamProblem(seed: 6, count: 5, step: 5, learningRate: 0.01, unused: [0, 3])
            )
        ]
        let adam = Grader<AdamProblem>(
            worked: (
                "adamStep(parameters: [1, -2], gradient: [0.5, -4], firstMoment: [0, 0], secondMoment: [0, 0], step: 1, learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)",
                ([1, -2], [0.5, -4], [0, 0], [0, 0], 1, 0.1, 0.9, 0.999, 1e-8)
            ),
            problems: steps,
            cell: { state(try self.adamStep(on: $0)) },
            reference: { state(try course.adamStep(on: $0)) },
            mistakes: [
                Mistake("the bias correction is missing: step with m̂ = m / (1 − β₁ᵗ) and v̂ = v / (1 − β₂ᵗ), not m and v") {
                    state(plainAdam($0, correctFirst: false, correctSecond: false))
                },
                Mistake("only m is corrected: v̂ = v / (1 − β₂ᵗ) too") { state(plainAdam($0, correctSecond: false)) },
                Mistake("only v is corrected: m̂ = m / (1 − β₁ᵗ) too") { state(plainAdam($0, correctFirst: false)) },
                Mistake("the correction's power is off by one: at step t (counted from 1) it is 1 − βᵗ") { state(plainAdam($0, power: 1)) },
                Mistake("the correction's power is off by one: at step t (counted from 1) it is 1 − βᵗ") { state(plainAdam($0, power: -1)) },
                Mistake("ε is inside the square root: the step divides by √v̂ + ε, not √(v̂ + ε)") { state(plainAdam($0, epsilonInsideRoot: true)) },
                Mistake("the step used the old moments: update m and v with g first, then step with the new ones") {
                    state(plainAdam($0, oldMoments: true))
                },
                Mistake("β and 1 − β are swapped: m = β₁ m + (1 − β₁) g keeps most of the old average (and v likewise with β₂)") {
                    state(plainAdam($0, swappedBetas: true))
                },
                Mistake("the step goes uphill: θ −= lr · m̂ / (√v̂ + ε)") { state(plainAdam($0, uphill: true)) }
            ],
            show: { p in
                Show.inputs(
                    ("parameters θ", Show.vector(p.parameters)), ("gradient g", Show.vector(p.gradient)), ("firstMoment m", Show.vector(p.firstMoment)),
                    ("secondMoment v", Show.vector(p.secondMoment)),
                    (
                        "step t, learningRate, beta1, beta2, epsilon",
                        "\(p.step), \(Show.number(p.learningRate)), \(Show.number(p.beta1)), \(Show.number(p.beta2)), \(Show.number(p.epsilon))"
                    ))
            })
        return [Exercise(infos[0], forward), Exercise(infos[1], backward), Exercise(infos[2], adam)]
    }
}

/// How a backward pass gates ∂L/∂a into δ: with the ReLU's mask (right), not at all, with a ReLU of the gradient
/// instead of the mask (or after it), or times a = max(z, 0) instead of the mask.
enum Gate { case mask, unmasked, reluOfGradient, maskedReluOfGradient, timesOutput }

/// The backward pass of a dense layer with a ReLU as a cell with a slip computes it: δ gated by `gate` (by `biasGate` for
/// ∂L/∂b and `inputGate` for ∂L/∂x when given), a ReLU on ∂L/∂b (`reluOnBias`), or ∂L/∂W transposed, x δᵀ
/// (`transposedWeights`). z is the course's W x + b.
func plainBackward(
    _ p: Lesson10Cells.DenseProblem, gate: Gate = .mask, biasGate: Gate? = nil, inputGate: Gate? = nil, reluOnBias: Bool = false,
    transposedWeights: Bool = false
) -> Lesson10Cells.Gradients {
    let z = zip(p.weights * p.input, p.bias).map { $0 + $1 }, g = p.outputGradient, x = p.input
    func delta(_ gate: Gate) -> [Double] {
        z.indices.map { o in
            switch gate {
            case .mask: z[o] > 0 ? g[o] : 0
            case .unmasked: g[o]
            case .reluOfGradient: max(g[o], 0)
            case .maskedReluOfGradient: z[o] > 0 ? max(g[o], 0) : 0
            case .timesOutput: g[o] * max(z[o], 0)
            }
        }
    }
    let d = delta(gate)
    let weights =
        transposedWeights ? Matrix(rows: x.count, columns: d.count) { x[$0] * d[$1] } : Matrix(rows: d.count, columns: x.count) { d[$0] * x[$1] }
    let bias = delta(biasGate ?? gate).map { reluOnBias ? max($0, 0) : $0 }
    return (weights, bias, p.weights.transposed * delta(inputGate ?? gate))
}

/// One Adam step as a cell with a slip computes it: without the correction of m or of v (`correctFirst`,
/// `correctSecond` false), with the correction's power t + `power`, ε inside the square root (`epsilonInsideRoot`), the
/// step taken with the moments before their update (`oldMoments`), β and 1 − β swapped (`swappedBetas`), or θ moved up
/// the gradient (`uphill`). With every option left alone, the course's own step.
func plainAdam(
    _ p: Lesson10Cells.AdamProblem, correctFirst: Bool = true, correctSecond: Bool = true, power: Int = 0, epsilonInsideRoot: Bool = false,
    oldMoments: Bool = false, swappedBetas: Bool = false, uphill: Bool = false
) -> Lesson10Cells.AdamState {
    let t = Double(p.step + power)
    let keep1 = swappedBetas ? 1 - p.beta1 : p.beta1, keep2 = swappedBetas ? 1 - p.beta2 : p.beta2
    let m = p.firstMoment.indices.map { keep1 * p.firstMoment[$0] + (1 - keep1) * p.gradient[$0] }
    let v = p.secondMoment.indices.map { keep2 * p.secondMoment[$0] + (1 - keep2) * p.gradient[$0] * p.gradient[$0] }
    let (stepM, stepV) = oldMoments ? (p.firstMoment, p.secondMoment) : (m, v)
    let theta = p.parameters.indices.map { j in
        let mHat = stepM[j] / (correctFirst ? 1 - pow(p.beta1, t) : 1), vHat = stepV[j] / (correctSecond ? 1 - pow(p.beta2, t) : 1)
        let step = p.learningRate * mHat / (epsilonInsideRoot ? (vHat + p.epsilon).squareRoot() : vHat.squareRoot() + p.epsilon)
        return uphill ? p.parameters[j] + step : p.parameters[j] - step
    }
    return (theta, m, v)
}
