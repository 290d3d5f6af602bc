import Dispatch
import Foundation

/// Batch gradient descent on `CollaborativeCost`: every iteration uses the gradient over all ratings.
public enum BatchGradientDescent {
    /// Settings of a run (the core's trainer vocabulary: CFCore.docc/Trainers.md).
    public struct Configuration: Sendable {
        /// Number of latent factors k (of the initial factors drawn when `train` is not given any).
        public var factors: Int
        /// The step size α.
        public var learningRate: Double
        /// The L2 penalty λ.
        public var regularization: Double
        /// The number of iterations.
        public var iterations: Int
        /// Threads for the pass over the ratings (nil: every core, when the problem is big enough). The pass is cut into
        /// a fixed number of parts whatever the threads (two, above 100,000 ratings × factors; one below), and their
        /// partial gradients are added in a fixed order: the numbers are the same on any number of threads.
        public var threads: Int?
        /// The seed of the initial factors when `train` is not given any.
        public var seed: UInt32

        /// Batch gradient descent settings.
        public init(factors: Int = 10, learningRate: Double, regularization: Double, iterations: Int, threads: Int? = nil, seed: UInt32 = 42) {
            self.factors = factors
            self.learningRate = learningRate
            self.regularization = regularization
            self.iterations = iterations
            self.threads = threads
            self.seed = seed
        }
    }

    /// The outcome of `train`.
    public struct Result: Sendable {
        /// The user factors Θ and item factors X after the last iteration (no biases).
        public var model: FactorModel
        /// The cost J before the first iteration and after each one (iterations + 1 values).
        public var history: [Double]
    }

    /// Runs gradient descent from user factors Θ and item factors X (or else normal draws with standard deviation 0.1
    /// from the seed): Θ −= α ∂J/∂Θ and X −= α ∂J/∂X, both from the same gradient.
    ///
    /// Each iteration is one fused pass over the ratings (`ErrorPass`): the errors at the current X and Θ give
    /// both the cost J there and the error parts of both gradients, on `configuration.threads` threads.
    ///
    /// - Parameter onStep: called after every iteration with the cost J as its loss; `progress.stop()` ends training.
    /// - Throws: `TrainingError.diverged` when the cost becomes NaN or infinite.
    public static func train(
        _ ratings: Ratings, _ configuration: Configuration, initialUserFactors: Matrix? = nil,
        initialItemFactors: Matrix? = nil, onStep: TrainingCallback<FactorModel> = { _ in }
    ) throws -> Result {
        var rng = RandomState(seed: configuration.seed)
        var theta = initialUserFactors ?? 0.1 * rng.randn(ratings.userCount, configuration.factors)
        var x = initialItemFactors ?? 0.1 * rng.randn(ratings.itemCount, configuration.factors)
        require(
            theta.columns == x.columns && theta.rows == ratings.userCount && x.rows == ratings.itemCount,
            "initial factors must be \(ratings.userCount)×k and \(ratings.itemCount)×k")
        let α = configuration.learningRate, λ = configuration.regularization
        let parts = ratings.count * x.columns > 100_000 ? 2 : 1
        var pass = ErrorPass(ratings, k: x.columns, parts: parts, threads: configuration.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        // J = ½ Σ e² + ½ λ (‖X‖² + ‖Θ‖²), the two sums of squares taken by the pass beside its errors.
        func cost(_ pass: ErrorPass.Sums) -> Double { 0.5 * pass.squaredErrors + 0.5 * λ * (pass.featureSquares + pass.preferenceSquares) }
        let initial = cost(pass.run(features: x, preferences: theta))
        var reporter = StepReporter(steps: configuration.iterations)
        for iteration in 1...max(configuration.iterations, 1) where configuration.iterations > 0 {
            descend(&x.elements, pass.featureGradient, rate: α, regularization: λ)
            descend(&theta.elements, pass.preferenceGradient, rate: α, regularization: λ)
            let now = cost(pass.run(features: x, preferences: theta))
            let (users, items) = (theta, x)
            if try reporter.finish(
                step: iteration, loss: now,
                diverged: TrainingError.diverged(
                    method: "gradient descent", stepName: "iteration", step: iteration,
                    learningRate: α, regularization: λ),
                model: { FactorModel(userFactors: users, itemFactors: items) }, onStep)
            {
                break
            }
        }
        return Result(model: FactorModel(userFactors: theta, itemFactors: x), history: [initial] + reporter.history)
    }
}

/// One pass over the ratings that gives, at features X and preferences Θ, the sum of squared errors and the
/// error parts of both gradients, Σ_u e θ_u per item and Σ_i e x_i per user (e = θ_u · x_i − y).
///
/// The ratings are split by user into chunks of about equal size, one per thread: each thread writes its own
/// users' rows of the preference gradient and its own copy of the feature gradient, and the copies are summed
/// at the end. Buffers are allocated once, when the pass is made.
/// w −= α (g + λ w), entry by entry.
private func descend(_ w: inout [Double], _ g: [Double], rate α: Double, regularization λ: Double) {
    w.withUnsafeMutableBufferPointer { w in
        g.withUnsafeBufferPointer { g in for index in w.indices { w[index] -= α * (g[index] + λ * w[index]) } }
    }
}

/// Σ v² over `values`, added in order (as `Matrix.sumOfSquares` does).
private func sumOfSquares(_ values: UnsafeBufferPointer<Double>) -> Double {
    var sum = 0.0
    for v in values { sum += v * v }
    return sum
}

/// The head (the first H.scalarCount entries) of the current user's row of the preference gradient: the ratings come
/// user by user, so it stays in a register and is added to the row once, when the next user begins.
struct UserRowHead<H: SIMD> where H.Scalar == Double {
    let rows: UnsafeMutablePointer<Double>, k: Int
    var user = -1, sum = H()

    init(rows: UnsafeMutablePointer<Double>, k: Int) {
        self.rows = rows
        self.k = k
    }

    /// Adds `value` to user `u`'s head, writing out the previous user's first when `u` is a new one.
    @inline(__always) mutating func add(_ value: H, user u: Int) {
        if u != user {
            flush()
            user = u
            sum = H()
        }
        sum += value
    }

    /// Adds the head to its row.
    @inline(__always) func flush() {
        guard user >= 0 else { return }
        let row = UnsafeMutableRawPointer(rows + user * k)
        row.storeBytes(of: row.loadUnaligned(as: H.self) + sum, as: H.self)
    }
}

struct ErrorPass {
    /// What a pass sums: the squared errors, and ‖X‖² and ‖Θ‖² of the factors it ran at.
    struct Sums {
        let squaredErrors: Double, featureSquares: Double, preferenceSquares: Double
    }

    let ratings: Ratings, k: Int, threads: Int
    let bounds: [Int]
    /// Σ_u e θ_u for each item (items × k), after `run`.
    var featureGradient: [Double]
    /// Σ_i e x_i for each user (users × k), after `run`.
    var preferenceGradient: [Double]
    private let copies: ScratchBuffer<Double>

    /// Cut into `parts` (whose partial gradients are added in order), run on up to `threads` threads.
    init(_ ratings: Ratings, k: Int, parts: Int, threads: Int) {
        self.ratings = ratings
        self.k = k
        self.threads = max(threads, 1)
        bounds = NormalEquations.chunkBounds(ratings.userStarts, rows: ratings.userCount, chunks: max(parts, 1))
            .map { ratings.userStarts[$0] }
        featureGradient = [Double](repeating: 0, count: ratings.itemCount * k)
        preferenceGradient = [Double](repeating: 0, count: ratings.userCount * k)
        copies = ScratchBuffer((bounds.count - 1) * ratings.itemCount * k)
    }

    /// Runs the pass and returns the sum of squared errors, with ‖X‖² and ‖Θ‖²: each of those two is one chain of
    /// additions in order, so the first part's thread takes ‖X‖² and the last part's ‖Θ‖², beside each other.
    mutating func run(features x: Matrix, preferences theta: Matrix) -> Sums {
        let chunks = bounds.count - 1, k = self.k, bounds = self.bounds
        var sums = [Double](repeating: 0, count: chunks), squares = [Double](repeating: 0, count: 2)
        let size = ratings.itemCount * k, copyBase = SharedSlots(UnsafeMutableBufferPointer(start: copies.pointer, count: chunks * size))
        x.elements.withUnsafeBufferPointer { xs in
            theta.elements.withUnsafeBufferPointer { ts in
                ratings.entries.withUnsafeBufferPointer { entries in
                    preferenceGradient.withUnsafeMutableBufferPointer { gt in
                        sums.withUnsafeMutableBufferPointer { sse in
                            squares.withUnsafeMutableBufferPointer { squares in
                                let features = ReadOnly(xs), preferences = ReadOnly(ts), list = ReadOnly(entries)
                                let userRows = SharedSlots(gt), totals = SharedSlots(sse), norms = SharedSlots(squares)
                                let work: @Sendable (Int) -> Void = { c in
                                    defer {
                                        if c == 0 { norms.base[0] = sumOfSquares(features.base) }
                                        if c == chunks - 1 { norms.base[1] = sumOfSquares(preferences.base) }
                                    }
                                    let xp = features.base.baseAddress!, tp = preferences.base.baseAddress!
                                    let gx = copyBase.base.baseAddress! + c * size, gtp = userRows.base.baseAddress!  // this chunk's own copy
                                    gx.update(repeating: 0, count: size)
                                    // This chunk's users' rows of the preference gradient (users with no ratings stay 0).
                                    if bounds[c] < bounds[c + 1] {
                                        let firstUser = Int(list.base[bounds[c]].user), lastUser = Int(list.base[bounds[c + 1] - 1].user)
                                        (gtp + firstUser * k).update(repeating: 0, count: (lastUser - firstUser + 1) * k)
                                    }
                                    let range = bounds[c]..<bounds[c + 1]
                                    // The row's first 8, 4 or 2 entries as one vector (no loop for them), the rest in pairs;
                                    // a row of 10 (lesson 5's k) as one vector of 8 and one pair, with no loop at all.
                                    switch k {
                                    case 10:
                                        totals.base[c] = ErrorPass.ratingLoop(SIMD8<Double>.self, tail: SIMD2<Double>.self, list.base, range, xp, tp, gx, gtp)
                                    case 8...: totals.base[c] = ErrorPass.ratingLoop(SIMD8<Double>.self, list.base, range, xp, tp, gx, gtp, k)
                                    case 4...: totals.base[c] = ErrorPass.ratingLoop(SIMD4<Double>.self, list.base, range, xp, tp, gx, gtp, k)
                                    default: totals.base[c] = ErrorPass.ratingLoop(SIMD2<Double>.self, list.base, range, xp, tp, gx, gtp, k)
                                    }
                                }
                                if chunks == 1 || threads == 1 {
                                    for c in 0..<chunks { work(c) }
                                } else {
                                    DispatchQueue.concurrentPerform(iterations: chunks, execute: work)
                                }
                            }
                        }
                    }
                }
            }
        }
        featureGradient.withUnsafeMutableBufferPointer { total in
            total.baseAddress!.update(from: copies.pointer, count: size)
            for c in 1..<max(chunks, 1) { for index in 0..<size { total[index] += copies.pointer[c * size + index] } }
        }
        return Sums(squaredErrors: sums.reduce(0, +), featureSquares: squares[0], preferenceSquares: squares[1])
    }

    /// The ratings in `range`: returns their sum of squared errors and adds their error terms to `gx` and `gt`.
    /// A row's first H.scalarCount entries are one vector H (so a row of 10 is one SIMD8 and one pair).
    @inline(__always)
    static func ratingLoop<H: SIMD>(
        _: H.Type, _ list: UnsafeBufferPointer<Rating>, _ range: Range<Int>, _ xp: UnsafePointer<Double>,
        _ tp: UnsafePointer<Double>, _ gx: UnsafeMutablePointer<Double>, _ gt: UnsafeMutablePointer<Double>,
        _ k: Int
    ) -> Double where H.Scalar == Double {
        let h = H.scalarCount
        guard k >= h else { return scalarLoop(list, range, xp, tp, gx, gt, k) }
        var sum = 0.0, head = UserRowHead<H>(rows: gt, k: k)
        for index in range {
            let r = list[index]
            let user = r.user
            let xi = xp + r.item * k, tu = tp + user * k
            let gxi = gx + r.item * k, gtu = gt + user * k
            let xh = UnsafeRawPointer(xi).loadUnaligned(as: H.self), th = UnsafeRawPointer(tu).loadUnaligned(as: H.self)
            let e = (xh * th).sum() + dot(tu + h, xi + h, k - h) - r.value
            sum += e * e
            let scale = H(repeating: e)
            UnsafeMutableRawPointer(gxi).storeBytes(of: UnsafeRawPointer(gxi).loadUnaligned(as: H.self) + scale * th, as: H.self)
            head.add(scale * xh, user: user)
            if k > h {
                addScaled(e, tu + h, to: gxi + h, k - h)
                addScaled(e, xi + h, to: gtu + h, k - h)
            }
        }
        head.flush()
        return sum
    }

    /// `ratingLoop` for rows of exactly H.scalarCount + T.scalarCount entries: the head as one H and the tail as one T,
    /// each with the same additions in the same order as `ratingLoop`'s pairs (a tail of 2 is one pair), without its
    /// loops.
    @inline(__always)
    static func ratingLoop<H: SIMD, T: SIMD>(
        _: H.Type, tail _: T.Type, _ list: UnsafeBufferPointer<Rating>, _ range: Range<Int>, _ xp: UnsafePointer<Double>,
        _ tp: UnsafePointer<Double>, _ gx: UnsafeMutablePointer<Double>, _ gt: UnsafeMutablePointer<Double>
    ) -> Double where H.Scalar == Double, T.Scalar == Double {
        let h = H.scalarCount, k = h + T.scalarCount
        var sum = 0.0, head = UserRowHead<H>(rows: gt, k: k)
        for index in range {
            let r = list[index]
            let user = r.user
            let xi = UnsafeRawPointer(xp + r.item * k), tu = UnsafeRawPointer(tp + user * k)
            let gxi = UnsafeMutableRawPointer(gx + r.item * k), gtu = UnsafeMutableRawPointer(gt + user * k)
            let xh = xi.loadUnaligned(as: H.self), th = tu.loadUnaligned(as: H.self)
            let xt = xi.loadUnaligned(fromByteOffset: h * 8, as: T.self), tt = tu.loadUnaligned(fromByteOffset: h * 8, as: T.self)
            var tailProducts = T()
            tailProducts += tt * xt
            let e = (xh * th).sum() + tailProducts.sum() - r.value
            sum += e * e
            let scale = H(repeating: e), tailScale = T(repeating: e)
            gxi.storeBytes(of: gxi.loadUnaligned(as: H.self) + scale * th, as: H.self)
            head.add(scale * xh, user: user)
            gxi.storeBytes(of: gxi.loadUnaligned(fromByteOffset: h * 8, as: T.self) + tailScale * tt, toByteOffset: h * 8, as: T.self)
            gtu.storeBytes(of: gtu.loadUnaligned(fromByteOffset: h * 8, as: T.self) + tailScale * xt, toByteOffset: h * 8, as: T.self)
        }
        head.flush()
        return sum
    }

    /// The same with rows of fewer than 2 entries.
    static func scalarLoop(
        _ list: UnsafeBufferPointer<Rating>, _ range: Range<Int>, _ xp: UnsafePointer<Double>, _ tp: UnsafePointer<Double>,
        _ gx: UnsafeMutablePointer<Double>, _ gt: UnsafeMutablePointer<Double>, _ k: Int
    ) -> Double {
        var sum = 0.0
        for index in range {
            let r = list[index]
            let xi = xp + r.item * k, tu = tp + r.user * k
            let e = dot(tu, xi, k) - r.value
            sum += e * e
            addScaled(e, tu, to: gx + r.item * k, k)
            addScaled(e, xi, to: gt + r.user * k, k)
        }
        return sum
    }

    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ k: Int) -> Double {
        var s = SIMD2<Double>(), f = 0
        while f + 2 <= k {
            s += UnsafeRawPointer(a + f).loadUnaligned(as: SIMD2<Double>.self) * UnsafeRawPointer(b + f).loadUnaligned(as: SIMD2<Double>.self)
            f += 2
        }
        var total = s.sum()
        if f < k { total += a[f] * b[f] }
        return total
    }

    @inline(__always)
    static func addScaled(_ e: Double, _ v: UnsafePointer<Double>, to g: UnsafeMutablePointer<Double>, _ k: Int) {
        let scale = SIMD2<Double>(repeating: e)
        var f = 0
        while f + 2 <= k {
            let sum = UnsafeRawPointer(g + f).loadUnaligned(as: SIMD2<Double>.self) + scale * UnsafeRawPointer(v + f).loadUnaligned(as: SIMD2<Double>.self)
            UnsafeMutableRawPointer(g + f).storeBytes(of: sum, as: SIMD2<Double>.self)
            f += 2
        }
        if f < k { g[f] += e * v[f] }
    }
}
