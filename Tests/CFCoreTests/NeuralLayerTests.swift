@testable import CFCore
import Foundation
import Numerics
import Testing

/// ∂f/∂x_j for every j by central differences in Float: (f(x + h e_j) − f(x − h e_j)) divided by the step actually
/// taken (x_j ± h rounded to Float), with f summed in Double.
func centralDifferences(_ x: [Float], h: Float, _ f: ([Float]) -> Double) -> [Double] {
    x.indices.map { j in
        var up = x, down = x
        up[j] += h
        down[j] -= h
        return (f(up) - f(down)) / Double(up[j] - down[j])
    }
}

/// `count` normal draws times `scale`, as Floats.
func normals(_ count: Int, scale: Double = 1, rng: inout RandomState) -> [Float] {
    (0..<count).map { _ in Float(scale * rng.randn()) }
}

/// c · y in Double: a scalar "loss" whose gradient with respect to y is c.
func weighted(_ y: [Float], by c: [Float]) -> Double {
    zip(y, c).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}

// Every check takes the loss L = c · y for fixed random weights c, so that ∂L/∂y = c is what the backward pass is given,
// and compares its results with central differences of L in Float. Dense, embedding, product and ReLU are linear in each
// number away from ReLU's kink, so the differences are exact but for rounding: about 1e-7 × |L| / h ≈ 1e-5 at h = 0.05;
// the tolerance, 1e-3, is a hundred times that and a thousand times smaller than the gradients checked (order 1).

@Suite("Neural layers: each backward pass against central differences")
struct NeuralLayerTests {
    @Test(
        "dense layer (11 → 4, SIMD body and scalar tail): forward is W x + b; ∂L/∂W, ∂L/∂b and ∂L/∂x match central differences to 1e-3, parameters outside the layer get 0, and a row whose output gradient is 0 gets 0"
    )
    func dense() {
        var rng = RandomState(seed: 11)
        let layer = Dense(inputs: 11, outputs: 4, offset: 3)
        let parameters = normals(layer.end + 2, rng: &rng), x = normals(11, rng: &rng)
        var c = normals(4, rng: &rng)
        c[1] = 0
        let y = layer.forward(x, parameters: parameters)
        for o in 0..<4 {
            var expected = Double(parameters[layer.biasOffset + o])
            for j in 0..<11 { expected += Double(parameters[3 + o * 11 + j]) * Double(x[j]) }
            #expect(Double(y[o]).isApproximatelyEqual(to: expected, absoluteTolerance: 1e-5))
        }
        let (parameterGradient, inputGradient) = layer.backward(input: x, outputGradient: c, parameters: parameters)
        let numericParameters = centralDifferences(parameters, h: 0.05) { weighted(layer.forward(x, parameters: $0), by: c) }
        let numericInput = centralDifferences(x, h: 0.05) { weighted(layer.forward($0, parameters: parameters), by: c) }
        for j in parameters.indices {
            #expect(Double(parameterGradient[j]).isApproximatelyEqual(to: numericParameters[j], absoluteTolerance: 1e-3), "parameter \(j)")
        }
        for j in x.indices { #expect(Double(inputGradient[j]).isApproximatelyEqual(to: numericInput[j], absoluteTolerance: 1e-3), "input \(j)") }
        #expect(parameterGradient[0..<3].allSatisfy { $0 == 0 } && parameterGradient[layer.end...].allSatisfy { $0 == 0 })
        #expect(parameterGradient[(3 + 11)..<(3 + 22)].allSatisfy { $0 == 0 } && parameterGradient[layer.biasOffset + 1] == 0)
        // Not vacuous: the other rows' gradients are of order 1.
        #expect(parameterGradient[3..<(3 + 11)].map { abs($0) }.max()! > 0.1)
    }

    @Test(
        "dense layer (75 → 6: blocks of 32 and 8 columns and a scalar tail): ∂L/∂W, ∂L/∂b and ∂L/∂x of two examples added into one gradient equal, to the bit, the formulas summed row by row in Float"
    )
    func denseBlocksSumRowByRow() {
        var rng = RandomState(seed: 15)
        let layer = Dense(inputs: 75, outputs: 6, offset: 2)
        let parameters = normals(layer.end + 1, rng: &rng)
        let examples = (0..<2).map { example in
            var g = normals(6, rng: &rng)
            g[example + 1] = 0  // a ReLU above that was off
            return (x: normals(75, rng: &rng), g: g)
        }
        var gradients = [Float](repeating: 0, count: parameters.count), inputGradients = [[Float]]()
        var expected = gradients, expectedInputGradients = [[Float]]()
        for (x, g) in examples {
            var inputGradient = [Float](repeating: .nan, count: 75)
            parameters.withUnsafeBufferPointer { p in
                gradients.withUnsafeMutableBufferPointer { gradients in
                    layer.backward(
                        input: x, outputGradient: g, inputGradient: &inputGradient, parameters: p.baseAddress!, gradients: gradients.baseAddress!)
                }
            }
            inputGradients.append(inputGradient)
            // The formulas, one number at a time: row o of ∂L/∂W += g[o] x, ∂L/∂b[o] += g[o], ∂L/∂x = Σ_o g[o] (row o of W)
            // summed from o = 0 up (a row with g[o] = 0 adds an exact 0 wherever it is summed).
            var reference = [Float](repeating: 0, count: 75)
            for o in 0..<6 {
                for j in 0..<75 {
                    expected[2 + o * 75 + j] += g[o] * x[j]
                    reference[j] += g[o] * parameters[2 + o * 75 + j]
                }
                expected[layer.biasOffset + o] += g[o]
            }
            expectedInputGradients.append(reference)
        }
        #expect(gradients.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(inputGradients.map { $0.map(\.bitPattern) } == expectedInputGradients.map { $0.map(\.bitPattern) })
        // Not vacuous: both examples gave every column of ∂L/∂x a number of order 1.
        #expect(inputGradients.allSatisfy { $0.allSatisfy { $0.isFinite } && $0.map { abs($0) }.max()! > 0.5 })
    }

    @Test(
        "dense forward with x's length a multiple of 8 (8, 40, 64, 72 inputs; 8, 13, 17 outputs): the outputs taken 8 at a time equal, to the bit, b[o] plus the row's own dot product"
    )
    func denseForwardEightAtATime() {
        var rng = RandomState(seed: 16)
        for inputs in [8, 40, 64, 72] {
            for outputs in [8, 13, 17] {
                let layer = Dense(inputs: inputs, outputs: outputs, offset: 1)
                let parameters = normals(layer.end, rng: &rng), x = normals(inputs, rng: &rng)
                let y = layer.forward(x, parameters: parameters)
                let expected = parameters.withUnsafeBufferPointer { p in
                    (0..<outputs).map { o in p[layer.biasOffset + o] + Vector.dot(p.baseAddress! + 1 + o * inputs, x, count: inputs) }
                }
                #expect(y.map(\.bitPattern) == expected.map(\.bitPattern), "\(inputs) → \(outputs)")
                // Not vacuous: a different order of the sums changes some bits (the sums in Double, rounded once).
                let roundedOnce = (0..<outputs).map { o -> Float in
                    var sum = Double(parameters[layer.biasOffset + o])
                    for j in 0..<inputs { sum += Double(parameters[1 + o * inputs + j]) * Double(x[j]) }
                    return Float(sum)
                }
                #expect(inputs < 40 || roundedOnce.map(\.bitPattern) != expected.map(\.bitPattern))
            }
        }
    }

    @Test("embedding: forward is the row; backward adds ∂L/∂y to that row only (twice: twice), matching central differences to 1e-3")
    func embedding() {
        var rng = RandomState(seed: 12)
        let table = Embedding(side: .items, rows: 5, width: 3, offset: 2)
        let parameters = normals(table.end + 4, rng: &rng), c = normals(3, rng: &rng)
        #expect(table.forward(3, parameters: parameters) == Array(parameters[11..<14]))
        let gradient = table.backward(3, outputGradient: c, parameterCount: parameters.count)
        let numeric = centralDifferences(parameters, h: 0.05) { weighted(table.forward(3, parameters: $0), by: c) }
        for j in parameters.indices { #expect(Double(gradient[j]).isApproximatelyEqual(to: numeric[j], absoluteTolerance: 1e-3), "parameter \(j)") }
        #expect(Array(gradient[11..<14]) == c && gradient.enumerated().allSatisfy { (11..<14).contains($0.offset) || $0.element == 0 })
        var twice = gradient
        twice.withUnsafeMutableBufferPointer { table.backward(3, outputGradient: c, gradients: $0.baseAddress!) }
        #expect(Array(twice[11..<14]) == c.map { 2 * $0 })
    }

    @Test(
        "ReLU: forward max(x, 0); backward passes ∂L/∂y where y > 0 and 0 elsewhere, matching central differences to 1e-3 (inputs at least 0.2 from the kink)")
    func relu() {
        var rng = RandomState(seed: 13)
        let x = normals(12, rng: &rng).map { $0 >= 0 ? $0 + 0.2 : $0 - 0.2 }, c = normals(12, rng: &rng)
        let y = ReLU.forward(x)
        #expect(y == x.map { max($0, 0) } && y.contains(0) && y.contains { $0 > 0 })
        let gradient = ReLU.backward(output: y, outputGradient: c)
        let numeric = centralDifferences(x, h: 0.05) { weighted(ReLU.forward($0), by: c) }
        for j in x.indices { #expect(Double(gradient[j]).isApproximatelyEqual(to: numeric[j], absoluteTolerance: 1e-3), "input \(j)") }
    }

    @Test("element-wise product: ∂L/∂a = c ⊙ b and ∂L/∂b = c ⊙ a match central differences to 1e-3")
    func product() {
        var rng = RandomState(seed: 14)
        let a = normals(10, rng: &rng), b = normals(10, rng: &rng), c = normals(10, rng: &rng)
        let (ga, gb) = ElementwiseProduct.backward(a, b, outputGradient: c)
        let numericA = centralDifferences(a, h: 0.05) { weighted(ElementwiseProduct.forward($0, b), by: c) }
        let numericB = centralDifferences(b, h: 0.05) { weighted(ElementwiseProduct.forward(a, $0), by: c) }
        for j in 0..<10 {
            #expect(Double(ga[j]).isApproximatelyEqual(to: numericA[j], absoluteTolerance: 1e-3))
            #expect(Double(gb[j]).isApproximatelyEqual(to: numericB[j], absoluteTolerance: 1e-3))
        }
    }

    @Test(
        "sigmoid range: forward stays in (low, high) and reaches 5 of 0.5...5.5 at z = ln 9; its derivative (y − low)(high − y)/(high − low) matches central differences to 1e-4"
    )
    func sigmoidRange() {
        let range = SigmoidRange(0.5...5.5)
        #expect(Double(range.forward(0)).isApproximatelyEqual(to: 3, absoluteTolerance: 1e-6))
        #expect(Double(range.forward(Float(log(9.0)))).isApproximatelyEqual(to: 5, absoluteTolerance: 1e-5))
        #expect(Double(range.forward(-Float(log(9.0)))).isApproximatelyEqual(to: 1, absoluteTolerance: 1e-5))
        #expect(range.forward(-200) == 0.5 && range.forward(200) == 5.5 && range.forward(-10) > 0.5 && range.forward(10) < 5.5)
        // Smooth: the error of a central difference is h²/6 · |y‴| ≲ 1e-4 · 0.6 / 6, plus rounding ≈ 3e-7 · 3 / 0.02.
        for z: Float in [-3, -1.2, -0.3, 0, 0.4, 1.7, 3] {
            let y = range.forward(z), slope = range.backward(output: y, outputGradient: 1)
            let numeric = centralDifferences([z], h: 0.01) { Double(range.forward($0[0])) }[0]
            #expect(Double(slope).isApproximatelyEqual(to: numeric, absoluteTolerance: 1e-4), "z = \(z)")
            #expect(Double(range.backward(output: y, outputGradient: -2.5)).isApproximatelyEqual(to: -2.5 * Double(slope), relativeTolerance: 1e-6))
        }
    }

    @Test(
        "multilayer perceptron (10 → 9 → 4, ReLU after each): ∂L/∂parameters and ∂L/∂x match central differences to 1e-3 (every pre-activation at least 0.1 from the kink)"
    )
    func perceptron() {
        var rng = RandomState(seed: 3)
        let stack = MultilayerPerceptron(inputs: 10, hidden: [9, 4], offset: 5)
        #expect(stack.layers.map(\.offset) == [5, 5 + 99] && stack.end == 5 + 99 + 40 && stack.outputs == 4)
        let parameters = normals(stack.end + 3, scale: 0.5, rng: &rng), x = normals(10, rng: &rng), c = normals(4, rng: &rng)
        func forward(_ x: [Float], _ parameters: [Float]) -> [Float] {
            var y = [Float](repeating: 0, count: 4), scratch = [Float](repeating: 0, count: stack.scratchCount)
            y.withUnsafeMutableBufferPointer { y in
                scratch.withUnsafeMutableBufferPointer { stack.forward(x, into: y.baseAddress!, parameters: parameters, scratch: $0.baseAddress!) }
            }
            return y
        }
        // The pre-activations, layer by layer through the array API: none near 0, so no step of 0.01 crosses a kink.
        let z1 = stack.layers[0].forward(x, parameters: parameters), z2 = stack.layers[1].forward(ReLU.forward(z1), parameters: parameters)
        #expect((z1 + z2).allSatisfy { abs($0) > 0.1 } && z1.contains { $0 < 0 } && z2.contains { $0 > 0 }, "z1 \(z1), z2 \(z2)")
        #expect(forward(x, parameters) == ReLU.forward(z2))
        var gradient = [Float](repeating: 0, count: parameters.count), inputGradient = [Float](repeating: 0, count: 10)
        var y = forward(x, parameters), scratch = [Float](repeating: 0, count: stack.scratchCount)
        y.withUnsafeMutableBufferPointer { y in
            scratch.withUnsafeMutableBufferPointer { s in
                stack.forward(x, into: y.baseAddress!, parameters: parameters, scratch: s.baseAddress!)
                gradient.withUnsafeMutableBufferPointer { g in
                    inputGradient.withUnsafeMutableBufferPointer { gx in
                        stack.backward(
                            input: x, output: y.baseAddress!, outputGradient: c, inputGradient: gx.baseAddress!, parameters: parameters,
                            gradients: g.baseAddress!, scratch: s.baseAddress!)
                    }
                }
            }
        }
        let numeric = centralDifferences(parameters, h: 0.01) { weighted(forward(x, $0), by: c) }
        let numericInput = centralDifferences(x, h: 0.01) { weighted(forward($0, parameters), by: c) }
        for j in parameters.indices { #expect(Double(gradient[j]).isApproximatelyEqual(to: numeric[j], absoluteTolerance: 1e-3), "parameter \(j)") }
        for j in x.indices { #expect(Double(inputGradient[j]).isApproximatelyEqual(to: numericInput[j], absoluteTolerance: 1e-3), "input \(j)") }
        #expect(gradient[5...].contains { abs($0) > 0.1 } && inputGradient.contains { abs($0) > 0.1 })
    }
}

@Suite("Adam")
struct AdamTests {
    @Test("the first two steps by hand (θ = 1, g = 0.5 then −0.2, lr 0.1): the bias correction makes the first step lr, where without it θ would be 0.6838")
    func twoSteps() {
        var adam = Adam(parameterCount: 1, learningRate: 0.1)
        var θ: [Float] = [1]
        adam.step(&θ, gradients: [0.5])
        // m = 0.1 · 0.5 = 0.05, v = 0.001 · 0.25 = 0.00025; m̂ = 0.05 / (1 − 0.9) = 0.5, v̂ = 0.00025 / (1 − 0.999) = 0.25;
        // θ = 1 − 0.1 · 0.5 / (√0.25 + 1e-8) = 0.9 (without the correction: 1 − 0.1 · 0.05 / √0.00025 = 0.68377).
        #expect(Double(adam.mean[0]).isApproximatelyEqual(to: 0.05, relativeTolerance: 1e-6))
        #expect(Double(adam.meanSquare[0]).isApproximatelyEqual(to: 0.00025, relativeTolerance: 1e-6))
        #expect(Double(θ[0]).isApproximatelyEqual(to: 0.9, relativeTolerance: 1e-6))
        adam.step(&θ, gradients: [-0.2])
        // m = 0.9 · 0.05 + 0.1 · (−0.2) = 0.025, v = 0.999 · 0.00025 + 0.001 · 0.04 = 0.00028975;
        // m̂ = 0.025 / 0.19 = 0.13157895, v̂ = 0.00028975 / 0.001999 = 0.14494747, √v̂ = 0.38071968;
        // θ = 0.9 − 0.1 · 0.13157895 / 0.38071968 = 0.9 − 0.03456058 = 0.86543942.
        #expect(Double(adam.mean[0]).isApproximatelyEqual(to: 0.025, relativeTolerance: 1e-6))
        #expect(Double(adam.meanSquare[0]).isApproximatelyEqual(to: 0.00028975, relativeTolerance: 1e-6))
        #expect(Double(θ[0]).isApproximatelyEqual(to: 0.86543942, relativeTolerance: 1e-6))
        #expect(adam.steps == 2)
    }

    @Test("every parameter's first step is lr · sign(g), whatever the gradient's scale (10⁻³ or 10³), and a zero gradient does not move it")
    func scaleFree() {
        var adam = Adam(parameterCount: 4, learningRate: 0.01)
        var θ: [Float] = [1, 1, 1, 1]
        adam.step(&θ, gradients: [0.001, -1000, 3, 0])
        #expect(Double(θ[0]).isApproximatelyEqual(to: 0.99, relativeTolerance: 1e-5))
        #expect(Double(θ[1]).isApproximatelyEqual(to: 1.01, relativeTolerance: 1e-6))
        #expect(Double(θ[2]).isApproximatelyEqual(to: 0.99, relativeTolerance: 1e-6))
        #expect(θ[3] == 1)
    }

    @Test(
        "weight decay by hand (θ = 2, lr 0.1, λ 0.1): decoupled multiplies by 1 − lr λ = 0.99 besides the step (2 → 1.98 − 0.1 = 1.88, and 1.98 with no gradient); L2 adds λθ = 0.2 to the gradient, which Adam normalizes away (2 → 1.9 either way)"
    )
    func weightDecay() {
        var decoupled = Adam(parameterCount: 2, learningRate: 0.1, weightDecay: 0.1, decay: .decoupled)
        var l2 = Adam(parameterCount: 2, learningRate: 0.1, weightDecay: 0.1, decay: .l2)
        var θ1: [Float] = [2, 2], θ2: [Float] = [2, 2]
        decoupled.step(&θ1, gradients: [0.5, 0])
        l2.step(&θ2, gradients: [0.5, 0])
        #expect(Double(θ1[0]).isApproximatelyEqual(to: 1.88, relativeTolerance: 1e-6))  // 2 · 0.99 − 0.1 · 0.5 / 0.5
        #expect(Double(θ1[1]).isApproximatelyEqual(to: 1.98, relativeTolerance: 1e-6))  // 2 · 0.99 − 0
        #expect(Double(θ2[0]).isApproximatelyEqual(to: 1.9, relativeTolerance: 1e-6))  // 2 − 0.1 · 0.7 / 0.7
        #expect(Double(θ2[1]).isApproximatelyEqual(to: 1.9, relativeTolerance: 1e-6))  // 2 − 0.1 · 0.2 / 0.2
        // L2's penalty went into the moments: m = 0.1 · (0.5 + 0.2).
        #expect(Double(l2.mean[0]).isApproximatelyEqual(to: 0.07, relativeTolerance: 1e-6))
        #expect(Double(decoupled.mean[0]).isApproximatelyEqual(to: 0.05, relativeTolerance: 1e-6))
    }

    @Test("a step on two threads, each on its own range, gives the same bits as on one (the ranges split a SIMD vector: the scalar and SIMD formulas agree)")
    func threads() {
        var rng = RandomState(seed: 21)
        let start = normals(40_003, rng: &rng)  // two ranges of 20,001 and 20,002
        var one = Adam(parameterCount: start.count, learningRate: 0.01, weightDecay: 0.1), two = one
        var θ1 = start, θ2 = start
        for _ in 0..<3 {
            let g = normals(start.count, rng: &rng)
            one.step(&θ1, gradients: g)
            θ2.withUnsafeMutableBufferPointer { p in g.withUnsafeBufferPointer { two.step(p.baseAddress!, gradients: $0.baseAddress!, threads: 2) } }
        }
        #expect(θ1 == θ2 && one.mean == two.mean && one.meanSquare == two.meanSquare && θ1 != start)
    }
}
