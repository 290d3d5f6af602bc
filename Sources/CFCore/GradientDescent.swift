import Dispatch
import Foundation

/// The collaborative-filtering cost of Andrew Ng's machine-learning course, its gradients, and batch
/// gradient descent on it.
///
/// With movie features X (items × k) and user preferences Θ (users × k), over the observed ratings y:
///
///     J = ½ Σ (θ_u · x_i − y_ui)²  +  λ/2 (‖X‖² + ‖Θ‖²)
///     ∂J/∂x_i = Σ_u (θ_u · x_i − y_ui) θ_u + λ x_i        ∂J/∂θ_u = Σ_i (θ_u · x_i − y_ui) x_i + λ θ_u
///
/// Both gradients come from one pass over the observed ratings: never a dense users × items loop.
public enum CollaborativeCost {
    /// The cost J of features X and preferences Θ on the observed ratings.
    public static func cost(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double) -> Double {
        let sse = AlternatingLeastSquares.sumOfSquaredErrors(ratings, theta, x)
        return 0.5 * sse + 0.5 * lambda * (x.sumOfSquares + theta.sumOfSquares)
    }

    /// The gradients of J with respect to X and Θ.
    public static func gradients(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double)
    -> (features: Matrix, preferences: Matrix) {
        var gx = lambda * x, gt = lambda * theta
        accumulateErrorGradients(ratings, x, theta, into: &gx.elements, &gt.elements)
        return (gx, gt)
    }

    /// Adds Σ err·θ_u to each x_i's gradient and Σ err·x_i to each θ_u's, in one pass over the ratings.
    static func accumulateErrorGradients(_ ratings: Ratings, _ x: Matrix, _ theta: Matrix,
                                         into gx: inout [Double], _ gt: inout [Double]) {
        let k = x.columns
        x.elements.withUnsafeBufferPointer { x in
            theta.elements.withUnsafeBufferPointer { t in
                gx.withUnsafeMutableBufferPointer { gx in
                    gt.withUnsafeMutableBufferPointer { gt in
                        ratings.entries.withUnsafeBufferPointer { entries in
                            for r in entries {
                                let i = Int(r.item) * k, u = Int(r.user) * k
                                var prediction = 0.0
                                for f in 0..<k { prediction += t[u + f] * x[i + f] }
                                let e = prediction - r.value
                                for f in 0..<k {
                                    gx[i + f] += e * t[u + f]
                                    gt[u + f] += e * x[i + f]
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The largest relative difference between the analytic gradients and central finite differences
    /// (J(w + ε) − J(w − ε)) / 2ε over every parameter: |a − n| / max(|a| + |n|, tiny). Use it on a small problem.
    public static func gradientCheck(_ ratings: Ratings, features x: Matrix, preferences theta: Matrix, lambda: Double,
                                     epsilon: Double = 1e-4) -> Double {
        let analytic = gradients(ratings, features: x, preferences: theta, lambda: lambda)
        var worst = 0.0
        // Nudge one parameter of X (or Θ) by ±ε and compare the slope of J with the analytic gradient.
        func check(_ parameters: Matrix, _ gradient: Matrix, _ cost: (Matrix) -> Double) {
            for index in parameters.elements.indices {
                var plus = parameters, minus = parameters
                plus.elements[index] += epsilon
                minus.elements[index] -= epsilon
                let numeric = (cost(plus) - cost(minus)) / (2 * epsilon), exact = gradient.elements[index]
                worst = max(worst, abs(exact - numeric) / max(abs(exact) + abs(numeric), 1e-12))
            }
        }
        check(x, analytic.features) { cost(ratings, features: $0, preferences: theta, lambda: lambda) }
        check(theta, analytic.preferences) { cost(ratings, features: x, preferences: $0, lambda: lambda) }
        return worst
    }
}

/// Batch gradient descent on `CollaborativeCost`: every iteration uses the gradient over all ratings.
public enum BatchGradientDescent {
    /// Settings of a run.
    public struct Configuration: Sendable {
        /// The step size α.
        public var learningRate: Double
        /// The L2 penalty λ.
        public var lambda: Double
        /// The number of iterations.
        public var iterations: Int

        /// Batch gradient descent settings.
        public init(learningRate: Double, lambda: Double, iterations: Int) {
            self.learningRate = learningRate
            self.lambda = lambda
            self.iterations = iterations
        }
    }

    /// The outcome of `train`.
    public struct Result: Sendable {
        /// Movie features X after the last iteration.
        public var features: Matrix
        /// User preferences Θ after the last iteration.
        public var preferences: Matrix
        /// The cost J before the first iteration and after each one (iterations + 1 values).
        public var costs: [Double]
    }

    /// Runs gradient descent from X and Θ: X −= α ∂J/∂X and Θ −= α ∂J/∂Θ, both from the same gradient.
    ///
    /// Each iteration is one fused pass over the ratings (`ErrorPass`): the errors at the current X and Θ give
    /// both the cost J there and the error parts of both gradients, on `threads` threads (nil: every core,
    /// when the problem is big enough).
    ///
    /// - Parameter onIteration: called after every iteration with its number and cost.
    /// - Throws: `TrainingError.diverged` when the cost becomes NaN or infinite.
    public static func train(_ ratings: Ratings, _ configuration: Configuration, features: Matrix, preferences: Matrix,
                             threads: Int? = nil, onIteration: (Int, Double) -> Void = { _, _ in }) throws -> Result {
        var x = features, theta = preferences
        let α = configuration.learningRate, λ = configuration.lambda
        let workers = threads ?? (ratings.count * x.columns > 100_000 ? ProcessInfo.processInfo.activeProcessorCount : 1)
        var pass = ErrorPass(ratings, k: x.columns, threads: workers)
        func cost(_ sse: Double) -> Double { 0.5 * sse + 0.5 * λ * (x.sumOfSquares + theta.sumOfSquares) }
        var costs = [cost(pass.run(features: x, preferences: theta))]
        for iteration in 1...max(configuration.iterations, 1) where configuration.iterations > 0 {
            for index in x.elements.indices { x.elements[index] -= α * (pass.featureGradient[index] + λ * x.elements[index]) }
            for index in theta.elements.indices { theta.elements[index] -= α * (pass.preferenceGradient[index] + λ * theta.elements[index]) }
            let now = cost(pass.run(features: x, preferences: theta))
            guard now.isFinite else {
                throw TrainingError.diverged(method: "gradient descent", stepName: "iteration", step: iteration, learningRate: α)
            }
            costs.append(now)
            onIteration(iteration, now)
        }
        return Result(features: x, preferences: theta, costs: costs)
    }
}

/// One pass over the ratings that gives, at features X and preferences Θ, the sum of squared errors and the
/// error parts of both gradients, Σ_u e θ_u per item and Σ_i e x_i per user (e = θ_u · x_i − y).
///
/// The ratings are split by user into chunks of about equal size, one per thread: each thread writes its own
/// users' rows of the preference gradient and its own copy of the feature gradient, and the copies are summed
/// at the end. Buffers are allocated once, when the pass is made.
struct ErrorPass {
    let ratings: Ratings, k: Int
    let bounds: [Int]
    /// Σ_u e θ_u for each item (items × k), after `run`.
    var featureGradient: [Double]
    /// Σ_i e x_i for each user (users × k), after `run`.
    var preferenceGradient: [Double]
    private let copies: Scratch

    init(_ ratings: Ratings, k: Int, threads: Int) {
        self.ratings = ratings
        self.k = k
        bounds = NormalEquations.chunkBounds(ratings.userStarts, rows: ratings.userCount, chunks: max(threads, 1))
            .map { ratings.userStarts[$0] }
        featureGradient = [Double](repeating: 0, count: ratings.itemCount * k)
        preferenceGradient = [Double](repeating: 0, count: ratings.userCount * k)
        copies = Scratch(count: (bounds.count - 1) * ratings.itemCount * k)
    }

    /// Runs the pass and returns the sum of squared errors.
    mutating func run(features x: Matrix, preferences theta: Matrix) -> Double {
        let chunks = bounds.count - 1, k = self.k, bounds = self.bounds
        var sums = [Double](repeating: 0, count: chunks)
        let size = ratings.itemCount * k, copyBase = SharedSlots(UnsafeMutableBufferPointer(start: copies.base, count: chunks * size))
        x.elements.withUnsafeBufferPointer { xs in
            theta.elements.withUnsafeBufferPointer { ts in
                ratings.entries.withUnsafeBufferPointer { entries in
                    preferenceGradient.withUnsafeMutableBufferPointer { gt in
                        sums.withUnsafeMutableBufferPointer { sse in
                            let features = ReadOnly(xs), preferences = ReadOnly(ts), list = ReadOnly(entries)
                            let userRows = SharedSlots(gt), totals = SharedSlots(sse)
                            let work: @Sendable (Int) -> Void = { c in
                                let xp = features.base.baseAddress!, tp = preferences.base.baseAddress!
                                let gx = copyBase.base.baseAddress! + c * size, gtp = userRows.base.baseAddress!  // this chunk's own copy
                                gx.update(repeating: 0, count: size)
                                // This chunk's users' rows of the preference gradient (users with no ratings stay 0).
                                if bounds[c] < bounds[c + 1] {
                                    let firstUser = Int(list.base[bounds[c]].user), lastUser = Int(list.base[bounds[c + 1] - 1].user)
                                    (gtp + firstUser * k).update(repeating: 0, count: (lastUser - firstUser + 1) * k)
                                }
                                let range = bounds[c]..<bounds[c + 1]
                                // The row's first 8, 4 or 2 entries as one vector (no loop for them), the rest in pairs.
                                switch k {
                                case 8...: totals.base[c] = ErrorPass.ratingLoop(SIMD8<Double>.self, list.base, range, xp, tp, gx, gtp, k)
                                case 4...: totals.base[c] = ErrorPass.ratingLoop(SIMD4<Double>.self, list.base, range, xp, tp, gx, gtp, k)
                                default: totals.base[c] = ErrorPass.ratingLoop(SIMD2<Double>.self, list.base, range, xp, tp, gx, gtp, k)
                                }
                            }
                            if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
                        }
                    }
                }
            }
        }
        featureGradient.withUnsafeMutableBufferPointer { total in
            total.baseAddress!.update(from: copies.base, count: size)
            for c in 1..<max(chunks, 1) { for index in 0..<size { total[index] += copies.base[c * size + index] } }
        }
        return sums.reduce(0, +)
    }

    /// Memory for the per-thread copies, freed with the pass.
    final class Scratch: @unchecked Sendable {
        let base: UnsafeMutablePointer<Double>
        init(count: Int) { base = .allocate(capacity: max(count, 1)); base.initialize(repeating: 0, count: max(count, 1)) }
        deinit { base.deallocate() }
    }

    /// The ratings in `range`: returns their sum of squared errors and adds their error terms to `gx` and `gt`.
    /// A row's first H.scalarCount entries are one vector H (so a row of 10 is one SIMD8 and one pair).
    @inline(__always)
    static func ratingLoop<H: SIMD>(_: H.Type, _ list: UnsafeBufferPointer<Rating>, _ range: Range<Int>, _ xp: UnsafePointer<Double>,
                                    _ tp: UnsafePointer<Double>, _ gx: UnsafeMutablePointer<Double>, _ gt: UnsafeMutablePointer<Double>,
                                    _ k: Int) -> Double where H.Scalar == Double {
        let h = H.scalarCount
        guard k >= h else { return scalarLoop(list, range, xp, tp, gx, gt, k) }
        var sum = 0.0
        // The ratings come user by user: the head of the current user's gradient row stays in a register and is
        // written once, when the next user begins.
        var currentUser = -1, userSum = H()
        func flush() {
            guard currentUser >= 0 else { return }
            let row = UnsafeMutableRawPointer(gt + currentUser * k)
            row.storeBytes(of: row.loadUnaligned(as: H.self) + userSum, as: H.self)
        }
        for index in range {
            let r = list[index]
            let user = Int(r.user)
            let xi = xp + Int(r.item) * k, tu = tp + user * k
            let gxi = gx + Int(r.item) * k, gtu = gt + user * k
            let xh = UnsafeRawPointer(xi).loadUnaligned(as: H.self), th = UnsafeRawPointer(tu).loadUnaligned(as: H.self)
            let e = (xh * th).sum() + dot(tu + h, xi + h, k - h) - r.value
            sum += e * e
            let scale = H(repeating: e)
            UnsafeMutableRawPointer(gxi).storeBytes(of: UnsafeRawPointer(gxi).loadUnaligned(as: H.self) + scale * th, as: H.self)
            if user != currentUser {
                flush()
                currentUser = user
                userSum = H()
            }
            userSum += scale * xh
            if k > h {
                addScaled(e, tu + h, to: gxi + h, k - h)
                addScaled(e, xi + h, to: gtu + h, k - h)
            }
        }
        flush()
        return sum
    }

    /// The same with rows of fewer than 2 entries.
    static func scalarLoop(_ list: UnsafeBufferPointer<Rating>, _ range: Range<Int>, _ xp: UnsafePointer<Double>, _ tp: UnsafePointer<Double>,
                           _ gx: UnsafeMutablePointer<Double>, _ gt: UnsafeMutablePointer<Double>, _ k: Int) -> Double {
        var sum = 0.0
        for index in range {
            let r = list[index]
            let xi = xp + Int(r.item) * k, tu = tp + Int(r.user) * k
            let e = dot(tu, xi, k) - r.value
            sum += e * e
            addScaled(e, tu, to: gx + Int(r.item) * k, k)
            addScaled(e, xi, to: gt + Int(r.user) * k, k)
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

extension Ratings {
    /// How many ratings' worth of the global mean the course mixes into each movie's mean (`itemMeans(prior:)`):
    /// the same 10 as the movie-bias penalty of `Baseline.biases`.
    public static let meanPrior = 10.0

    /// The mean rating of each item, shrunk toward `fallback` (default: the mean of all ratings) by a prior
    /// worth `prior` ratings: (Σ r + prior · fallback) / (n + prior). With `prior` 0 this is the plain mean;
    /// items with no ratings get `fallback`.
    ///
    /// Shrinking keeps a movie with two 5-star ratings from having a "mean" of 5: with a prior of 10 and a
    /// global mean of 3.5 its mean is (10 + 35) / 12 = 3.75, and it climbs toward its own mean as ratings arrive.
    public func itemMeans(fallback: Double? = nil, prior: Double = 0) -> [Double] {
        precondition(prior >= 0, "the prior is a number of ratings, ≥ 0")
        let overall = fallback ?? mean
        return (0..<itemCount).map { item in
            let own = ratings(ofItem: item)
            guard !own.isEmpty || prior > 0 else { return overall }
            return (own.reduce(0) { $0 + $1.value } + prior * overall) / (Double(own.count) + prior)
        }
    }

    /// The fewest ratings a movie needs before the course recommends it: `cap` (20), lowered on a catalogue
    /// where fewer than a tenth of the movies have that many, to the count of its most rated tenth (at least 1).
    ///
    /// A rule on the catalogue's upper tail, not its median, so it does not collapse to 2 on sparse catalogues
    /// where most movies have a rating or two (MovieLens latest-small): there 20 stays 20.
    public func minimumRatingsToRecommend(cap: Int = 20) -> Int {
        let counts = (0..<itemCount).map { ratings(ofItem: $0).count }.sorted(by: >)
        guard !counts.isEmpty else { return 1 }
        let tenth = counts[max(0, counts.count / 10 - 1)]
        return max(1, min(cap, tenth))
    }

    /// The same ratings with `offsets[item]` subtracted from each (mean normalization).
    public func subtracting(itemOffsets offsets: [Double]) -> Ratings {
        precondition(offsets.count == itemCount, "one offset per item")
        // The same cells as these ratings, so nothing needs checking.
        return Ratings(trusted: entries.map { Rating(user: Int($0.user), item: Int($0.item), value: $0.value - offsets[Int($0.item)]) },
                       userCount: userCount, itemCount: itemCount)
    }
}
