// ✏️ Lesson 10's exercises: write the body of each function below, where it says ✏️.
//
// Until a function is written, the lesson uses the course's own version and says so. Once it is, the lesson runs
// on yours: section 9 ("A layer by hand") trains a small network with nothing but these three cells, `denseForward`
// and `denseBackward` for its hidden layer and `adamStep` for every parameter. Check your work with
//
//     swift run lesson-10 --check
//
// or keep `swift run course watch` running in a terminal: it checks your cells each time you save, shows the
// next exercise with its worked case, gives hints in steps (h), and `swift run course reset 10.1` undoes a cell.
//
// Stuck? `swift run lesson-10 --solutions` runs the worked solutions, in Sources/Solutions/Lesson10.swift.

// A cell's toolbox (module CFCore, and Foundation for sqrt, exp, log and log2):
//
//     for r in ratings.entries { r.user, r.item, r.value }    every observed rating; user and item are Ints
//     ratings.ratings(ofUser: u), ratings.ratings(ofItem: i)   one user's, one item's ratings
//     ratings.userCount, ratings.itemCount                     the matrix's size
//     var m = Matrix(rows: 2, columns: 3)                      zeros; m[i, j] reads and writes one entry
//     m.row(i), m.setRow(i, to: values), m.rows, m.columns     rows as [Double]
//     a * b, a + b, a - b, 2 * a, a.transposed, a * vector     matrix arithmetic
//     Matrix.identity(k), m.sumOfSquares                       I, and Σ of every entry squared
//     dot(x, y)                                                the dot product of two [Double]
//     try solveSymmetric(a, b)                                 solves a w = b (a symmetric positive definite)
//
// and for this lesson's cells:
//
//     Matrix(rows: 2, columns: 3) { i, j in … }                the matrix whose entry (i, j) the closure gives
//     zip(a, b).map { $0 + $1 }, v.map { max($0, 0) }          entry by entry: a + b, and the ReLU of v
//     pow(beta, Double(t)), sqrt(x)                            βᵗ and √x (Foundation)
//
// `throw NotDoneYet()` marks a cell not written yet: the lesson then uses the course's own version.

import CFCore
import Exercises
import Foundation
import LessonKit

/// Your cells. The lesson calls them through `Lesson10Cells` (Sources/Exercises/Lesson10.swift), which fixes each one's
/// signature: write the bodies, and leave the names and parameters as they are.
struct YourCells: Lesson10Cells {
    /// Exercise 10.1: the forward pass of one dense layer with a ReLU. W has one row per unit (out × in), b one bias
    /// per unit, and x is the layer's input (in numbers):
    ///
    ///     z = W x + b          the pre-activation: out numbers
    ///     a = max(z, 0)        the output, entry by entry (the ReLU)
    ///
    /// Return both: the backward pass needs z.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     denseForward(weights: [[1, -1, 2], [1, -2, 0]], bias: [0.5, 2], input: [2, 1, -1]) gives z = [-0.5, 2], a = [0, 2]
    func denseForward(weights w: Matrix, bias b: [Double], input x: [Double]) throws -> (preActivation: [Double], output: [Double]) {
        // ✏️ z = W x + b, then a = max(z, 0) entry by entry.
        throw NotDoneYet()
    }

    /// Exercise 10.2: the backward pass of the same layer. Given g = ∂L/∂a, the gradient of a loss L with respect to
    /// the layer's output, and z from the forward pass, the chain rule gives
    ///
    ///     δ = g ⊙ 1[z > 0]      the ReLU passes the gradient of a unit that was on, and stops that of a unit that was off
    ///     ∂L/∂W = δ xᵀ          out × in, like W: entry (o, i) is δ[o] x[i]
    ///     ∂L/∂b = δ
    ///     ∂L/∂x = Wᵀ δ          in numbers: what the layer below receives as its own ∂L/∂a
    ///
    /// At z = 0 exactly the ReLU has no slope; the course takes it as 0 (the mask 1[z > 0], as the core and PyTorch
    /// do), and the checks keep every z away from 0, so 1[z ≥ 0] passes too. `--check` also compares your gradients
    /// with finite differences of L = Σ_o g_o a_o, the loss whose ∂L/∂a is g.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     denseBackward(weights: [[1, -1, 2], [1, -2, 0]], input: [2, 1, -1], preActivation: [-0.5, 2], outputGradient: [2, -1]) gives ∂L/∂W = [[0, 0, 0], [-2, -1, 1]], ∂L/∂b = [0, -1], ∂L/∂x = [-1, 2, 0]
    func denseBackward(weights w: Matrix, input x: [Double], preActivation z: [Double], outputGradient g: [Double]) throws
        -> (weights: Matrix, bias: [Double], input: [Double])
    {
        // ✏️ δ = ∂L/∂a where z > 0, 0 elsewhere; then ∂L/∂W = δ xᵀ, ∂L/∂b = δ, ∂L/∂x = Wᵀ δ.
        throw NotDoneYet()
    }

    /// Exercise 10.3: one step of Adam on the parameters θ, whose gradient is g. m and v are the running means of the
    /// gradients and of their squares (the moments), both 0 before the first step, and t counts the steps from 1:
    ///
    ///     m = β₁ m + (1 − β₁) g           v = β₂ v + (1 − β₂) g²          entry by entry
    ///     m̂ = m / (1 − β₁ᵗ)               v̂ = v / (1 − β₂ᵗ)               the bias correction: m and v start at 0
    ///     θ = θ − lr · m̂ / (√v̂ + ε)
    ///
    /// Return the new θ, m and v. The first step from m = v = 0 has m̂ = g and v̂ = g², so it moves every parameter by
    /// lr · g / (|g| + ε), about lr, whatever the size of its gradient.
    ///
    /// Worked by hand (`--check` tries it first):
    ///
    ///     adamStep(parameters: [1, -2], gradient: [0.5, -4], firstMoment: [0, 0], secondMoment: [0, 0], step: 1, learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8) gives θ = [0.9, -1.9], m = [0.05, -0.4], v = [0.00025, 0.016]
    func adamStep(
        parameters theta: [Double], gradient g: [Double], firstMoment m: [Double], secondMoment v: [Double], step t: Int,
        learningRate lr: Double, beta1: Double, beta2: Double, epsilon: Double
    ) throws
        -> (parameters: [Double], firstMoment: [Double], secondMoment: [Double])
    {
        // ✏️ Update m and v with g, correct both for their start at 0, then step θ.
        throw NotDoneYet()
    }
}
