import Dispatch
import Foundation

/// Adam (Kingma & Ba, 2015), the optimizer of the course's neural networks, on one flat array of parameters.
///
/// Each parameter θ keeps two running averages of its gradient g: the mean m and the mean square v (its "moments").
/// At step t (from 1):
///
///     m ← β₁ m + (1 − β₁) g          m̂ = m / (1 − β₁ᵗ)
///     v ← β₂ v + (1 − β₂) g²         v̂ = v / (1 − β₂ᵗ)
///     θ ← θ − lr · m̂ / (√v̂ + ε)
///
/// Dividing by √v̂ gives every parameter a step of about lr whatever the scale of its gradient: a rarely seen item's
/// embedding moves as fast as a dense weight. m and v start at 0, so early averages are too small; dividing by
/// 1 − βᵗ (the bias correction) undoes that exactly for a constant gradient: the very first step is lr · g / (|g| + ε),
/// about lr, where without the correction it would be lr · 0.1 g / (0.032 |g|), about 3 lr.
///
/// Weight decay λ pulls every parameter toward 0, in one of two ways (`WeightDecay`):
/// - `.decoupled` (AdamW, Loshchilov & Hutter 2019; PyTorch's `AdamW` and fast.ai's default): θ ← θ (1 − lr λ), then the
///   Adam step. The pull is the same for every parameter, however large its gradients.
/// - `.l2`: λ θ is added to the gradient before the moments (the L2 penalty λ/2 ‖θ‖² of the loss, PyTorch's `Adam` with
///   `weight_decay`). Adam then divides the pull by √v̂ along with the rest, so it is weak where gradients are large.
///
/// Every parameter gets the same decay: embeddings, weights and biases alike (one parameter group, as in PyTorch).
public struct Adam: Sendable {
    /// How weight decay is applied.
    public enum WeightDecay: Sendable, Equatable {
        /// θ ← θ (1 − lr λ) before the Adam step (AdamW).
        case decoupled
        /// g ← g + λ θ before the moments: an L2 penalty λ/2 ‖θ‖² added to the loss.
        case l2
    }

    /// The step size lr.
    public var learningRate: Double
    /// The decay rate β₁ of the mean of the gradients.
    public var beta1: Double
    /// The decay rate β₂ of the mean of their squares.
    public var beta2: Double
    /// ε, added to √v̂ so that a parameter whose gradients were all 0 does not divide by 0.
    public var epsilon: Double
    /// The weight decay λ.
    public var weightDecay: Double
    /// How weight decay is applied.
    public var decay: WeightDecay
    /// The steps taken so far, t.
    public private(set) var steps = 0
    /// m, one per parameter.
    public private(set) var mean: [Float]
    /// v, one per parameter.
    public private(set) var meanSquare: [Float]

    /// An optimizer for `parameterCount` parameters, with Kingma & Ba's defaults β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸.
    public init(
        parameterCount: Int, learningRate: Double, weightDecay: Double = 0, decay: WeightDecay = .decoupled,
        beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8
    ) {
        require(parameterCount >= 0, "a negative number of parameters")
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.decay = decay
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        mean = [Float](repeating: 0, count: parameterCount)
        meanSquare = [Float](repeating: 0, count: parameterCount)
    }

    /// One step: moves `parameters` given their `gradients` (both in the layout the optimizer was made for).
    public mutating func step(_ parameters: inout [Float], gradients: [Float]) {
        require(
            parameters.count == mean.count && gradients.count == mean.count,
            "Adam was made for \(mean.count) parameters, given \(parameters.count) with \(gradients.count) gradients")
        parameters.withUnsafeMutableBufferPointer { p in
            gradients.withUnsafeBufferPointer { g in step(p.baseAddress!, gradients: g.baseAddress!, threads: 1) }
        }
    }

    /// One step on `threads` threads, each on its own range of the parameters. Every parameter's update involves only
    /// its own numbers, so the result is the same on any number of threads.
    mutating func step(_ parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>, threads: Int) {
        steps += 1
        let t = Double(steps)
        // 1 − β in Double, then rounded: 1 − Float(0.999) would be 0.000999987, 1.3e-5 away from 0.001.
        let c = Coefficients(
            lr: Float(learningRate), beta1: Float(beta1), beta2: Float(beta2), rest1: Float(1 - beta1), rest2: Float(1 - beta2),
            epsilon: Float(epsilon),
            lambda: Float(weightDecay), decoupled: decay == .decoupled,
            correction1: Float(1 / (1 - pow(beta1, t))), correction2: Float(1 / (1 - pow(beta2, t))))
        let count = mean.count
        mean.withUnsafeMutableBufferPointer { m in
            meanSquare.withUnsafeMutableBufferPointer { v in
                let shared = UncheckedSendable((parameters, gradients, m.baseAddress!, v.baseAddress!))
                let chunks = count < 16_384 ? 1 : max(threads, 1)
                let work: @Sendable (Int) -> Void = { chunk in
                    let (θ, g, m, v) = shared.value
                    let range = (count * chunk / chunks)..<(count * (chunk + 1) / chunks)
                    Adam.update(range, θ, g, m, v, c)
                }
                if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
            }
        }
    }

    /// The numbers of one step, the same for every parameter.
    struct Coefficients: Sendable {
        let lr, beta1, beta2: Float
        /// 1 − β₁ and 1 − β₂.
        let rest1, rest2: Float
        let epsilon, lambda: Float
        let decoupled: Bool
        /// 1 / (1 − β₁ᵗ) and 1 / (1 − β₂ᵗ).
        let correction1, correction2: Float
    }

    /// The update of the parameters in `range` (the formulas of the type's documentation), 8 parameters at a time with
    /// SIMD, then the rest one by one with the same formulas.
    static func update(
        _ range: Range<Int>, _ θ: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
        _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, _ c: Coefficients
    ) {
        let keep = c.decoupled ? 1 - c.lr * c.lambda : 1, penalty = c.decoupled ? 0 : c.lambda
        typealias V = SIMD8<Float>
        var j = range.lowerBound
        while j + 8 <= range.upperBound {
            let parameter = load(θ + j)
            let gradient = load(g + j) + penalty * parameter
            let mean = c.beta1 * load(m + j) + c.rest1 * gradient
            let meanSquare = c.beta2 * load(v + j) + c.rest2 * gradient * gradient
            let mHat = mean * c.correction1, vHat = meanSquare * c.correction2
            store(mean, at: m + j)
            store(meanSquare, at: v + j)
            store(keep * parameter - c.lr * mHat / (vHat.squareRoot() + V(repeating: c.epsilon)), at: θ + j)
            j += 8
        }
        while j < range.upperBound {
            let gradient = g[j] + penalty * θ[j]
            m[j] = c.beta1 * m[j] + c.rest1 * gradient
            v[j] = c.beta2 * v[j] + c.rest2 * gradient * gradient
            let mHat = m[j] * c.correction1, vHat = v[j] * c.correction2
            θ[j] = keep * θ[j] - c.lr * mHat / (vHat.squareRoot() + c.epsilon)
            j += 1
        }
    }
}

/// 8 numbers from `p` (here, so that every build inlines it).
@inline(__always) private func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// 8 numbers stored at `p`.
@inline(__always) private func store(_ v: SIMD8<Float>, at p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}
