// Worked solutions of lesson 10's exercises. Try them yourself first, in Lessons/lesson-10/Cells.swift.
import CFCore
import Foundation

/// Lesson 10: one dense layer with a ReLU, forward and backward, and one step of Adam.
public struct Lesson10Solutions: Sendable {
    /// The worked solutions, as a set of cells (`--solutions`).
    public init() {}

    /// z = W x + b, and a = max(z, 0) entry by entry.
    public func denseForward(weights w: Matrix, bias b: [Double], input x: [Double]) throws -> (preActivation: [Double], output: [Double]) {
        var z = b
        for o in 0..<w.rows {
            for i in 0..<w.columns { z[o] += w[o, i] * x[i] }
        }
        return (z, z.map { max($0, 0) })
    }

    /// δ = ∂L/∂a ⊙ 1[z > 0], then ∂L/∂W = δ xᵀ (out × in, like W), ∂L/∂b = δ and ∂L/∂x = Wᵀ δ.
    public func denseBackward(weights w: Matrix, input x: [Double], preActivation z: [Double], outputGradient g: [Double]) throws
        -> (weights: Matrix, bias: [Double], input: [Double])
    {
        var delta = [Double](repeating: 0, count: z.count)
        for o in z.indices where z[o] > 0 { delta[o] = g[o] }  // the ReLU's slope: 1 where z > 0, 0 elsewhere (z = 0 too)
        var gw = Matrix(rows: w.rows, columns: w.columns)
        var gx = [Double](repeating: 0, count: x.count)
        for o in 0..<w.rows {
            for i in 0..<w.columns {
                gw[o, i] = delta[o] * x[i]
                gx[i] += w[o, i] * delta[o]
            }
        }
        return (gw, delta, gx)
    }

    /// m and v updated with g, both corrected for their start at 0, then θ −= lr · m̂ / (√v̂ + ε).
    public func adamStep(
        parameters theta: [Double], gradient g: [Double], firstMoment m: [Double], secondMoment v: [Double], step t: Int,
        learningRate lr: Double, beta1: Double, beta2: Double, epsilon: Double
    ) throws -> (parameters: [Double], firstMoment: [Double], secondMoment: [Double]) {
        var theta = theta, m = m, v = v
        let correction1 = 1 - pow(beta1, Double(t)), correction2 = 1 - pow(beta2, Double(t))
        for j in theta.indices {
            m[j] = beta1 * m[j] + (1 - beta1) * g[j]
            v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j]
            let mHat = m[j] / correction1, vHat = v[j] / correction2
            theta[j] -= lr * mHat / (sqrt(vHat) + epsilon)
        }
        return (theta, m, v)
    }
}
