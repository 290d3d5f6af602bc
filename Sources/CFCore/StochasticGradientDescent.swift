import Dispatch
import Foundation

/// Matrix factorization by stochastic gradient descent, one rating at a time (Simon Funk's method).
///
/// For each observed rating r of user u and item i, with error e = r − prediction:
///
///     b_u += lr (e − reg b_u)             b_i += lr (e − reg b_i)          (only with biases)
///     p_u += lr (e q_i − reg p_u)         then  q_i += lr (e p_u − reg q_i), using the new p_u
///
/// Ratings are visited in the order of `Ratings.entries` (row by row) or shuffled every epoch; with implicit
/// feedback (SVD++, `Configuration.implicitFeedback`) user by user. The factors
/// live in contiguous arrays, the loop allocates nothing per rating, and it works on 8 factors at a time
/// with SIMD vectors. In `.double` precision a numpy port of the formulas above gives the same numbers to
/// about 12 digits (the dot product is summed 8 lanes at a time and the factor step is computed as
/// p (1 − lr reg) + (lr e) q, both equal up to rounding); `.single`
/// keeps the factors in 32-bit floats during training, about twice as fast and plenty for ratings.
public enum StochasticGradientDescent {
    /// The order in which ratings are visited in each epoch.
    public enum Order: Sendable, Equatable {
        /// Row-major order of the ratings matrix, the same every epoch.
        case fixed
        /// A fresh numpy-compatible shuffle every epoch, from the configuration's seed.
        case shuffled
    }

    /// Settings of an SGD run (the core's trainer vocabulary: CFCore.docc/Trainers.md).
    public struct Configuration: Sendable {
        /// Number of latent factors k.
        public var factors: Int
        /// The step size.
        public var learningRate: Double
        /// The L2 penalty on factors (and biases).
        public var regularization: Double
        /// Epochs: passes over the ratings.
        public var iterations: Int
        /// Whether to learn a user bias and an item bias around the global mean.
        public var biases: Bool
        /// The visiting order.
        public var order: Order
        /// The seed of the shuffles, and of the initial factors when `train` is not given any.
        public var seed: UInt32
        /// The floating-point type of training.
        public var precision: Precision
        /// The L2 penalty on the biases, if different from `regularization`.
        public var biasRegularization: Double?
        /// Whether to add Koren's implicit feedback (SVD++): the user vector becomes p_u + |N(u)|^-½ Σ_{j ∈ N(u)} y_j,
        /// where N(u) is the set of items u rated and y_j a second factor vector per item. Which movies a user chose
        /// to rate says something about their taste, whatever the ratings were. Ratings are then visited user by user,
        /// and the y's take one step per user with the gradient summed over that user's ratings (Koren's per-rating
        /// update of every y_j costs |N(u)| times more for nearly the same model). The trained model's user factors are
        /// the whole vectors p_u + |N(u)|^-½ Σ y_j, and it keeps the y's in `FactorModel.implicitItemFactors`.
        public var implicitFeedback: Bool
        /// Whether to compute the exact training MSE after every epoch (one more pass over the ratings). When false,
        /// the loss is the running MSE: the mean of the squared errors met during the epoch.
        public var computesLoss: Bool
        /// The grid of parallel SGD (plain and biased; SVD++ ignores it): 1 visits the ratings in one sequence; B > 1
        /// cuts users and items into B groups each (`BlockSchedule`), and each epoch runs B rounds of B blocks that
        /// share no user and no item, which can run at the same time. The visiting order, and so the numbers, depend
        /// on `blocks` (not the quality); never on `threads`.
        public var blocks: Int
        /// Threads to run the blocks of a round on (nil: every core). Used only when `blocks` > 1.
        public var threads: Int?

        /// SGD settings.
        public init(
            factors: Int, learningRate: Double, regularization: Double, iterations: Int,
            biases: Bool = false, order: Order = .fixed, seed: UInt32 = 42, precision: Precision = .double,
            computesLoss: Bool = true, biasRegularization: Double? = nil, implicitFeedback: Bool = false,
            blocks: Int = 1, threads: Int? = nil
        ) {
            self.factors = factors
            self.learningRate = learningRate
            self.regularization = regularization
            self.iterations = iterations
            self.biases = biases
            self.order = order
            self.seed = seed
            self.precision = precision
            self.computesLoss = computesLoss
            self.biasRegularization = biasRegularization
            self.implicitFeedback = implicitFeedback
            self.blocks = max(blocks, 1)
            self.threads = threads
        }
    }

    /// The outcome of `train`.
    public struct Result: Sendable {
        /// The learned model.
        public var model: FactorModel
        /// The training MSE after every epoch run (exact or running, as configured).
        public var history: [Double]
    }

    /// Trains from the given initial factors, or else from normal draws with standard deviation 0.1 from the seed.
    ///
    /// - Parameter onStep: called after every epoch; `progress.model` is the model so far, and `progress.stop()`
    ///   ends training there (early stopping).
    /// - Throws: `TrainingError.diverged` when the loss becomes NaN or infinite.
    public static func train(
        _ ratings: Ratings, _ configuration: Configuration,
        initialUserFactors: Matrix? = nil, initialItemFactors: Matrix? = nil,
        onStep: TrainingCallback<FactorModel> = { _ in }
    ) throws -> Result {
        try train(ratings, configuration, initialUserFactors: initialUserFactors, initialItemFactors: initialItemFactors, probe: nil, onStep: onStep)
    }

    /// `train`, measuring `probe`'s ratings after every epoch.
    static func train(
        _ ratings: Ratings, _ configuration: Configuration, initialUserFactors: Matrix?, initialItemFactors: Matrix?,
        probe: ValidationProbe?, onStep: TrainingCallback<FactorModel>
    ) throws -> Result {
        let k = configuration.factors
        var rng = RandomState(seed: configuration.seed)
        let users = initialUserFactors ?? 0.1 * rng.randn(ratings.userCount, k)
        let items = initialItemFactors ?? 0.1 * rng.randn(ratings.itemCount, k)
        require(
            users.rows == ratings.userCount && users.columns == k && items.rows == ratings.itemCount && items.columns == k,
            "initial factors must be \(ratings.userCount)×\(k) and \(ratings.itemCount)×\(k)")
        switch configuration.precision {
        case .double:
            return try run(Double.self, ratings, configuration, users, items, onStep, probe: probe)
        case .single:
            return try run(Float.self, ratings, configuration, users, items, onStep, probe: probe)
        }
    }

    /// Held-out ratings whose RMSE a run measures after every epoch, before `onStep` is called, on the training state
    /// itself (in its precision, each prediction clipped to `scale`): no model is assembled to measure it.
    final class ValidationProbe {
        let ratings: Ratings, scale: ClosedRange<Double>?
        /// The RMSE after each epoch so far.
        var rmse = [Double]()
        init(_ ratings: Ratings, scale: ClosedRange<Double>?) {
            self.ratings = ratings
            self.scale = scale
        }
    }

    private static func run<S: BinaryFloatingPoint & SIMDScalar>(
        _: S.Type, _ ratings: Ratings, _ configuration: Configuration, _ initialUsers: Matrix, _ initialItems: Matrix,
        _ onStep: TrainingCallback<FactorModel>, probe: ValidationProbe?
    ) throws -> Result {
        let state = State<S>(ratings, configuration, initialUsers, initialItems)
        let mean = configuration.biases ? ratings.mean : 0
        let lr = S(configuration.learningRate), reg = S(configuration.regularization)
        let biasReg = S(configuration.biasRegularization ?? configuration.regularization)
        // Ratings in the order they are visited: all of them shuffled, or (with implicit feedback) user by user.
        var order = ratings.entries
        var users = (0..<ratings.userCount).filter { !ratings.ratings(ofUser: $0).isEmpty }
        var rng: RandomState? = configuration.order == .shuffled ? RandomState(seed: configuration.seed) : nil
        let schedule =
            configuration.blocks > 1 && !configuration.implicitFeedback
            ? BlockSchedule(ratings, blocks: configuration.blocks) : nil
        let threads = configuration.threads ?? ProcessInfo.processInfo.activeProcessorCount
        var blocked = schedule?.ratings ?? []
        var reporter = StepReporter(steps: configuration.iterations)
        for epoch in 1...max(configuration.iterations, 1) where configuration.iterations > 0 {
            let squaredErrors: Double
            if let schedule {
                if rng != nil { for b in 0..<schedule.offsets.count - 1 { rng!.shuffle(&blocked[schedule.offsets[b]..<schedule.offsets[b + 1]]) } }
                squaredErrors = blocked.withUnsafeBufferPointer { all in
                    schedule.run(threads: threads) { block in
                        state.sweep(
                            UnsafeBufferPointer(rebasing: all[schedule.offsets[block]..<schedule.offsets[block + 1]]),
                            mean: S(mean), lr: lr, reg: reg, biasReg: biasReg, biases: configuration.biases)
                    }
                }
            } else if configuration.implicitFeedback {
                if rng != nil {
                    rng!.shuffle(&users)
                    for u in users { rng!.shuffle(&order[state.userStarts[u]..<state.userStarts[u + 1]]) }
                }
                squaredErrors = order.withUnsafeBufferPointer {
                    state.implicitSweep($0, users: users, mean: S(mean), lr: lr, reg: reg, biasReg: biasReg, biases: configuration.biases)
                }
            } else {
                if rng != nil { rng!.shuffle(&order) }
                squaredErrors = order.withUnsafeBufferPointer {
                    state.sweep($0, mean: S(mean), lr: lr, reg: reg, biasReg: biasReg, biases: configuration.biases)
                }
            }
            let running = squaredErrors / Double(ratings.count)
            let mse = configuration.computesLoss ? state.squaredErrors(ratings, mean: S(mean)) / Double(ratings.count) : running
            if let probe { probe.rmse.append(state.heldOutRMSE(probe.ratings, training: ratings, mean: S(mean), scale: probe.scale)) }
            let stop = try reporter.finish(
                step: epoch, loss: running.isFinite ? mse : .nan,
                diverged: TrainingError.diverged(
                    method: configuration.implicitFeedback ? "SGD (SVD++)" : "SGD", stepName: "epoch", step: epoch,
                    learningRate: configuration.learningRate,
                    regularization: max(configuration.regularization, configuration.biasRegularization ?? 0)),
                model: { state.model(ratings, mean: mean) }, onStep)
            if stop { break }
        }
        return Result(model: state.model(ratings, mean: mean), history: reporter.history)
    }

    /// The parameters during training, in contiguous storage of the training precision. Factor rows are padded with
    /// zeros to `stride`, a multiple of the SIMD width, so the loops need no scalar tail; the padding stays exactly
    /// zero (0 · decay + step · 0).
    final class State<S: BinaryFloatingPoint & SIMDScalar> {
        typealias V = SIMD8<S>
        let k: Int, stride: Int, userCount: Int, itemCount: Int
        /// User factors p, item factors q, implicit item factors y (SVD++ only), user and item biases.
        let p: UnsafeMutablePointer<S>, q: UnsafeMutablePointer<S>, y: UnsafeMutablePointer<S>
        let bu: UnsafeMutablePointer<S>, bi: UnsafeMutablePointer<S>
        /// Two scratch rows for the implicit sweep: a user's implicit sum and the gradient for the y's.
        let implicitSum: UnsafeMutablePointer<S>, implicitGradient: UnsafeMutablePointer<S>
        /// Where each user's ratings start in `Ratings.entries` (one more entry than users).
        let userStarts: [Int]
        let implicit: Bool

        init(_ ratings: Ratings, _ configuration: Configuration, _ users: Matrix, _ items: Matrix) {
            k = configuration.factors
            stride = (k + 7) / 8 * 8
            userCount = ratings.userCount
            itemCount = ratings.itemCount
            implicit = configuration.implicitFeedback
            func allocate(_ count: Int) -> UnsafeMutablePointer<S> {
                let pointer = UnsafeMutablePointer<S>.allocate(capacity: max(count, 1))
                pointer.initialize(repeating: 0, count: max(count, 1))
                return pointer
            }
            p = allocate(userCount * stride)
            q = allocate(itemCount * stride)
            y = allocate(implicit ? itemCount * stride : 0)
            bu = allocate(userCount)
            bi = allocate(itemCount)
            implicitSum = allocate(stride)
            implicitGradient = allocate(stride)
            for row in 0..<userCount { for f in 0..<k { p[row * stride + f] = S(users.elements[row * k + f]) } }
            for row in 0..<itemCount { for f in 0..<k { q[row * stride + f] = S(items.elements[row * k + f]) } }
            var starts = [0]
            for u in 0..<userCount { starts.append(starts[u] + ratings.ratings(ofUser: u).count) }
            userStarts = starts
        }

        deinit {
            for pointer in [p, q, y, bu, bi, implicitSum, implicitGradient] { pointer.deallocate() }
        }

        /// The model so far. With implicit feedback each user's factor row is p_u + |N(u)|^-½ Σ_{j ∈ N(u)} y_j, the
        /// vector the predictions use, so the model scores, recommends and folds in like any other.
        func model(_ ratings: Ratings, mean: Double) -> FactorModel {
            var users = Matrix(rows: userCount, columns: k) { row, f in Double(p[row * stride + f]) }
            if implicit {
                for u in 0..<userCount where userStarts[u + 1] > userStarts[u] {
                    sumImplicit(ratings.ratings(ofUser: u))
                    for f in 0..<k { users[u, f] += Double(implicitSum[f]) }
                }
            }
            var model = FactorModel(
                userFactors: users, itemFactors: Matrix(rows: itemCount, columns: k) { row, f in Double(q[row * stride + f]) },
                userBias: (0..<userCount).map { Double(bu[$0]) }, itemBias: (0..<itemCount).map { Double(bi[$0]) },
                globalMean: mean)
            if implicit { model.implicitItemFactors = Matrix(rows: itemCount, columns: k) { row, f in Double(y[row * stride + f]) } }
            return model
        }

        /// The sum of squared errors over the training `ratings` with the current parameters (unclipped scores), computed
        /// in the training precision with the same SIMD dot product as the sweeps.
        func squaredErrors(_ ratings: Ratings, mean: S) -> Double {
            var sum = 0.0
            ratings.entries.withUnsafeBufferPointer { entries in
                for u in 0..<userCount where userStarts[u + 1] > userStarts[u] {
                    let rated = entries[userStarts[u]..<userStarts[u + 1]]
                    var user = p + u * stride
                    if implicit {
                        sumImplicit(rated)
                        for f in Swift.stride(from: 0, to: stride, by: 8) { store(load(implicitSum + f) + load(user + f), implicitSum + f) }
                        user = implicitSum
                    }
                    for r in rated {
                        let i = r.item, qi = q + i * stride
                        var acc = V()
                        for f in Swift.stride(from: 0, to: stride, by: 8) { acc += load(user + f) * load(qi + f) }
                        let e = S(r.value) - (mean + bu[u] + bi[i] + acc.sum())
                        sum += Double(e * e)
                    }
                }
            }
            return sum
        }

        /// The RMSE on `heldOut` with the current parameters, each prediction clipped to `scale` (SVD++'s implicit sum
        /// over each user's `training` ratings), in the training precision with the sweeps' SIMD dot product.
        func heldOutRMSE(_ heldOut: Ratings, training: Ratings, mean: S, scale: ClosedRange<Double>?) -> Double {
            var sum = 0.0
            for u in 0..<min(userCount, heldOut.userCount) {
                let rated = heldOut.ratings(ofUser: u)
                guard !rated.isEmpty else { continue }
                var user = p + u * stride
                if implicit && userStarts[u + 1] > userStarts[u] {
                    sumImplicit(training.ratings(ofUser: u))
                    for f in Swift.stride(from: 0, to: stride, by: 8) { store(load(implicitSum + f) + load(user + f), implicitSum + f) }
                    user = implicitSum
                }
                for r in rated {
                    var prediction = Double(mean + bu[u] + bi[r.item] + dot(user, q + r.item * stride))
                    if let scale { prediction = min(max(prediction, scale.lowerBound), scale.upperBound) }
                    sum += (r.value - prediction) * (r.value - prediction)
                }
            }
            return heldOut.count == 0 ? .nan : (sum / Double(heldOut.count)).squareRoot()
        }

        /// p · q over the padded rows. In single precision two accumulators take alternate blocks of 8, so the
        /// additions of a long row (k = 100: 13 blocks) form two short chains instead of one long one; in double
        /// precision one accumulator keeps numpy's order of summation (the lessons' cross-checks).
        @inline(__always)
        func dot(_ pu: UnsafeMutablePointer<S>, _ qi: UnsafeMutablePointer<S>) -> S {
            var acc = V()
            if S.self == Float.self && stride >= 16 {
                var other = V(), f = 0
                while f + 16 <= stride {
                    acc += load(pu + f) * load(qi + f)
                    other += load(pu + f + 8) * load(qi + f + 8)
                    f += 16
                }
                if f < stride { acc += load(pu + f) * load(qi + f) }
                return (acc + other).sum()
            }
            for f in Swift.stride(from: 0, to: stride, by: 8) { acc += load(pu + f) * load(qi + f) }
            return acc.sum()
        }

        /// One pass over `order`, updating factors and biases in place; returns the sum of squared errors met.
        ///
        /// When the next rating shares neither the user nor the item of this one, this rating's update does not touch
        /// the rows its dot product reads, so that dot product is summed inside this update's loop, block by block in
        /// the order `dot` sums them: the same number, its chain of additions run beside the update instead of after it.
        func sweep(_ order: UnsafeBufferPointer<Rating>, mean: S, lr: S, reg: S, biasReg: S, biases: Bool) -> Double {
            let decay = V(repeating: 1 - lr * reg)
            // Locals, so the optimizer keeps them in registers instead of reloading them from the object.
            let p = p, q = q, bu = bu, bi = bi, stride = stride
            // `dot`'s two accumulators in single precision (alternate blocks of 8), one in double.
            let paired = S.self == Float.self && stride >= 16
            var squaredErrors = 0.0
            guard let first = order.first else { return 0 }
            var nextDot = dot(p + first.user * stride, q + first.item * stride)
            for t in order.indices {
                let r = order[t]
                let u = r.user, i = r.item
                let pu = p + u * stride, qi = q + i * stride
                let e = S(r.value) - (mean + bu[u] + bi[i] + nextDot)
                squaredErrors += Double(e * e)
                if biases {
                    bu[u] += lr * (e - biasReg * bu[u])
                    bi[i] += lr * (e - biasReg * bi[i])
                }
                // p + lr (e q − reg p), written as p (1 − lr reg) + (lr e) q: the same step in 3 operations instead of 5.
                let step = V(repeating: lr * e)
                let next = t + 1 < order.endIndex ? order[t + 1] : nil
                if let next, next.user != u, next.item != i {
                    let pn = p + next.user * stride, qn = q + next.item * stride
                    @inline(__always) func update(_ f: Int) {
                        let oldP = load(pu + f), oldQ = load(qi + f)
                        let newP = oldP * decay + step * oldQ
                        store(newP, pu + f)
                        store(oldQ * decay + step * newP, qi + f)
                    }
                    var acc = V(), other = V(), f = 0
                    while f + 16 <= stride {
                        update(f)
                        acc += load(pn + f) * load(qn + f)
                        update(f + 8)
                        if paired { other += load(pn + f + 8) * load(qn + f + 8) } else { acc += load(pn + f + 8) * load(qn + f + 8) }
                        f += 16
                    }
                    if f < stride {
                        update(f)
                        acc += load(pn + f) * load(qn + f)
                    }
                    nextDot = paired ? (acc + other).sum() : acc.sum()
                } else {
                    for f in Swift.stride(from: 0, to: stride, by: 8) {
                        let oldP = load(pu + f), oldQ = load(qi + f)
                        let newP = oldP * decay + step * oldQ
                        store(newP, pu + f)
                        store(oldQ * decay + step * newP, qi + f)
                    }
                    if let next { nextDot = dot(p + next.user * stride, q + next.item * stride) }
                }
            }
            return squaredErrors
        }
    }

    @inline(__always)
    static func load<S: SIMDScalar>(_ pointer: UnsafeMutablePointer<S>) -> SIMD8<S> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<S>.self)
    }

    @inline(__always)
    static func store<S: SIMDScalar>(_ value: SIMD8<S>, _ pointer: UnsafeMutablePointer<S>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<S>.self)
    }
}

extension StochasticGradientDescent {
    /// One biased SGD step for one rating, written plainly: the update the fast kernel applies to every rating, on a
    /// `FactorModel` in 64-bit precision. With e = r − (μ + b_u + b_i + p_u · q_i), computed once:
    ///
    ///     b_u += lr (e − biasReg b_u)        b_i += lr (e − biasReg b_i)
    ///     p_u += lr (e q_i − reg p_u)        then  q_i += lr (e p_u − reg q_i), with the new p_u
    ///
    /// μ (`model.globalMean`) stays fixed. Training in `.double` precision with `biases: true` and a fixed order is
    /// this step applied to `Ratings.entries` in turn (up to the rounding of the 8-lane dot product).
    public static func update(
        _ model: inout FactorModel, user u: Int, item i: Int, rating r: Double,
        learningRate lr: Double, regularization reg: Double, biasRegularization biasReg: Double
    ) {
        let e = r - model.score(user: u, item: i)
        model.userBias[u] += lr * (e - biasReg * model.userBias[u])
        model.itemBias[i] += lr * (e - biasReg * model.itemBias[i])
        for f in 0..<model.factorCount {
            let p = model.userFactors[u, f] + lr * (e * model.itemFactors[i, f] - reg * model.userFactors[u, f])
            model.userFactors[u, f] = p
            model.itemFactors[i, f] += lr * (e * p - reg * model.itemFactors[i, f])
        }
    }
}

// MARK: - SVD++: the implicit-feedback pass of SGD (Koren, 2008), one user at a time
//
// It lives in this file, beside `run`, on purpose: without whole-module optimization (the debug build), a generic
// method is specialized only in the file that defines it, and an unspecialized SIMD loop is some 20 times slower.

extension StochasticGradientDescent.State {
    @inline(__always) private func load(_ pointer: UnsafeMutablePointer<S>) -> V { StochasticGradientDescent.load(pointer) }
    @inline(__always) private func store(_ value: V, _ pointer: UnsafeMutablePointer<S>) { StochasticGradientDescent.store(value, pointer) }

    /// Sets `implicitSum` to |N(u)|^-½ Σ y_j over the items `rated` by one user, and returns that normalizer.
    @inline(__always)
    @discardableResult
    func sumImplicit<C: Collection>(_ rated: C) -> S where C.Element == Rating {
        let normalizer = 1 / S(rated.count).squareRoot(), scale = V(repeating: normalizer)
        for f in Swift.stride(from: 0, to: stride, by: 8) { store(V(), implicitSum + f) }
        for r in rated {
            let yj = y + r.item * stride
            for f in Swift.stride(from: 0, to: stride, by: 8) { store(load(implicitSum + f) + scale * load(yj + f), implicitSum + f) }
        }
        return normalizer
    }

    /// One SVD++ pass: `users` in turn, each user's ratings in the order of their segment of `order`.
    ///
    /// For user u with rated items N(u), z = p_u + |N(u)|^-½ Σ y_j. Per rating of item i, with e = r − (μ + b_u + b_i + q_i · z):
    ///
    ///     p_u += lr (e q_i − reg p_u)        q_i += lr (e z − reg q_i)        (old values on the right)
    ///
    /// and the y's, shared by all of the user's ratings, take one step after the user's last rating with the
    /// gradient summed over them: y_j += lr (|N(u)|^-½ Σ e q_i − reg y_j) for every j in N(u). The sum Σ y_j is
    /// computed once per user, so a rating costs about what it costs without implicit feedback.
    func implicitSweep(_ order: UnsafeBufferPointer<Rating>, users: [Int], mean: S, lr: S, reg: S, biasReg: S, biases: Bool) -> Double {
        let decay = V(repeating: 1 - lr * reg)
        let p = p, q = q, y = y, bu = bu, bi = bi, stride = stride
        let implicitSum = implicitSum, implicitGradient = implicitGradient
        var squaredErrors = 0.0
        // q_i · z, summed block by block in order (one accumulator).
        @inline(__always) func score(_ pu: UnsafeMutablePointer<S>, _ qi: UnsafeMutablePointer<S>) -> S {
            var acc = V()
            for f in Swift.stride(from: 0, to: stride, by: 8) { acc += (load(pu + f) + load(implicitSum + f)) * load(qi + f) }
            return acc.sum()
        }
        for u in users {
            let rated = order[userStarts[u]..<userStarts[u + 1]]
            let normalizer = sumImplicit(rated)
            for f in Swift.stride(from: 0, to: stride, by: 8) { store(V(), implicitGradient + f) }
            let pu = p + u * stride
            // The user's next rating (another item) reads p_u as this one's update leaves it: its dot product is summed
            // inside that update's loop, from the new p_u block by block, in the same order as `score`.
            var nextScore = score(pu, q + rated[rated.startIndex].item * stride)
            for index in rated.indices {
                let r = rated[index]
                let i = r.item, qi = q + i * stride
                let e = S(r.value) - (mean + bu[u] + bi[i] + nextScore)
                squaredErrors += Double(e * e)
                if biases {
                    bu[u] += lr * (e - biasReg * bu[u])
                    bi[i] += lr * (e - biasReg * bi[i])
                }
                let step = V(repeating: lr * e), error = V(repeating: e)
                if index + 1 < rated.endIndex {
                    let qn = q + rated[index + 1].item * stride
                    var acc = V()
                    for f in Swift.stride(from: 0, to: stride, by: 8) {
                        let oldP = load(pu + f), oldQ = load(qi + f), sum = load(implicitSum + f)
                        store(load(implicitGradient + f) + error * oldQ, implicitGradient + f)
                        let newP = oldP * decay + step * oldQ
                        store(newP, pu + f)
                        store(oldQ * decay + step * (oldP + sum), qi + f)
                        acc += (newP + sum) * load(qn + f)
                    }
                    nextScore = acc.sum()
                } else {
                    for f in Swift.stride(from: 0, to: stride, by: 8) {
                        let oldP = load(pu + f), oldQ = load(qi + f)
                        store(load(implicitGradient + f) + error * oldQ, implicitGradient + f)
                        store(oldP * decay + step * oldQ, pu + f)
                        store(oldQ * decay + step * (oldP + load(implicitSum + f)), qi + f)
                    }
                }
            }
            let scaledGradient = V(repeating: lr * normalizer)
            for r in rated {
                let yj = y + r.item * stride
                for f in Swift.stride(from: 0, to: stride, by: 8) {
                    store(load(yj + f) * decay + scaledGradient * load(implicitGradient + f), yj + f)
                }
            }
        }
        return squaredErrors
    }
}
