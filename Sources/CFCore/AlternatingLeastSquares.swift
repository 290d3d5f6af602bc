import Dispatch
import Foundation

/// Collaborative filtering by alternating least squares (ALS).
///
/// With the item factors fixed, each user's factors are a ridge regression of that user's ratings on
/// the factors of the items they rated, and the other way round. Each half-step therefore minimises
/// the objective exactly over one side, so the objective
///
///     Σ over observed (u, i) of (r_ui − p_u·q_i)² + λ (Σ_u w_u ‖p_u‖² + Σ_i w_i ‖q_i‖²)
///
/// never increases. With weighted-λ regularization w is the number of ratings of that user or item,
/// otherwise 1. Each half-step builds every k×k system from that row's own ratings only and solves the
/// rows in parallel on all cores.
public enum AlternatingLeastSquares {
    /// Settings of an ALS run (the core's trainer vocabulary: CFCore.docc/Trainers.md).
    public struct Configuration: Sendable {
        /// Number of latent factors k.
        public var factors: Int
        /// The L2 penalty λ.
        public var regularization: Double
        /// Scale λ by each user's and item's number of ratings (weighted-λ regularization).
        public var weightedRegularization: Bool
        /// The most full iterations (a user step and an item step each) to run.
        public var iterations: Int
        /// Stop when an iteration lowers the objective by less than this fraction of it.
        public var tolerance: Double
        /// Learn a bias per user and per item around the global mean, as part of each row's regression.
        public var biases: Bool
        /// `.double` solves each row's system exactly as written (numpy's numbers); `.single` uses the SIMD
        /// kernel of `NormalEquations` in 32-bit floats, several times faster on large data.
        public var precision: Precision
        /// Threads to solve rows on (nil: every core, for problems big enough to be worth it); the numbers never
        /// depend on it.
        public var threads: Int?
        /// Compute the objective after every half-step (a pass over all ratings). When false, no loss is reported,
        /// the tolerance is not checked and all `iterations` run: for timing a fixed number of sweeps, as other
        /// libraries do by default.
        public var computesLoss: Bool
        /// The seed of the initial item factors when `train` is not given any.
        public var seed: UInt32

        /// ALS settings; the defaults suit the small examples of the lessons.
        public init(
            factors: Int = 2, regularization: Double = 0, weightedRegularization: Bool = false,
            iterations: Int = 50, tolerance: Double = 1e-6, biases: Bool = false,
            precision: Precision = .double, threads: Int? = nil, computesLoss: Bool = true, seed: UInt32 = 42
        ) {
            self.factors = factors
            self.regularization = regularization
            self.weightedRegularization = weightedRegularization
            self.iterations = iterations
            self.tolerance = tolerance
            self.biases = biases
            self.precision = precision
            self.threads = threads
            self.computesLoss = computesLoss
            self.seed = seed
        }
    }

    /// The outcome of `train`.
    public struct Result: Sendable {
        /// The learned factors.
        public var model: FactorModel
        /// The regularized objective after every iteration (empty when the loss is not computed).
        public var history: [Double]
        /// Whether the tolerance was reached before the iteration limit.
        public var converged: Bool
    }

    /// Runs ALS from the given item factors (or else uniform draws in [0, 1) from the seed) until the objective
    /// settles or `iterations` have run.
    ///
    /// Both precisions run the same alternation: each half-step solves one side's rows, the objective is measured,
    /// and after the item half-step the iteration is reported and convergence checked.
    ///
    /// - Parameter onStep: called after every iteration; `progress.stop()` ends training there.
    /// - Throws: `TrainingError.underdetermined` when a row is underdetermined without λ, `.diverged` when the
    ///   objective stops being finite.
    public static func train(
        _ ratings: Ratings, _ configuration: Configuration, initialItemFactors: Matrix? = nil,
        onStep: TrainingCallback<FactorModel> = { _ in }
    ) throws -> Result {
        var rng = RandomState(seed: configuration.seed)
        let start = initialItemFactors ?? randomItemFactors(items: ratings.itemCount, factors: configuration.factors, rng: &rng)
        require(
            start.rows == ratings.itemCount && start.columns == configuration.factors,
            "initial item factors must be \(ratings.itemCount)×\(configuration.factors)")
        let λ = configuration.regularization, weighted = configuration.weightedRegularization, biased = configuration.biases
        let mean = biased ? ratings.mean : 0
        if configuration.precision == .double {
            var model = FactorModel(
                userFactors: Matrix(rows: ratings.userCount, columns: configuration.factors), itemFactors: start,
                globalMean: mean)
            return try alternate(configuration, onStep, assemble: { model }) { side in
                let solved = try solve(side, ratings, model: model, lambda: λ, weighted: weighted, biases: biased)
                if side == .users {
                    model.userFactors = solved.factors
                    if biased { model.userBias = solved.biases }
                } else {
                    model.itemFactors = solved.factors
                    if biased { model.itemBias = solved.biases }
                }
                guard configuration.computesLoss else { return nil }
                return Metrics.sumOfSquaredErrors(model, on: ratings) + penalty(ratings, model, lambda: λ, weighted: weighted)
            }
        }
        let threads =
            configuration.threads
            ?? (ratings.count * configuration.factors * configuration.factors > 200_000
                ? ProcessInfo.processInfo.activeProcessorCount : 1)
        var users = PackedFactors(Matrix(rows: ratings.userCount, columns: configuration.factors), bias: nil, biased: biased)
        var items = PackedFactors(start, bias: nil, biased: biased)
        let assemble = {
            FactorModel(
                userFactors: users.matrix, itemFactors: items.matrix, userBias: biased ? users.bias.map(Double.init) : nil,
                itemBias: biased ? items.bias.map(Double.init) : nil, globalMean: mean)
        }
        return try alternate(configuration, onStep, assemble: assemble) { side in
            if side == .users {
                try NormalEquations.solve(.users, ratings, own: &users, fixed: items, mean: Float(mean), lambda: λ, weighted: weighted, threads: threads)
            } else {
                try NormalEquations.solve(.items, ratings, own: &items, fixed: users, mean: Float(mean), lambda: λ, weighted: weighted, threads: threads)
            }
            guard configuration.computesLoss else { return nil }
            let value = NormalEquations.objective(ratings, users: users, items: items, mean: Float(mean), lambda: λ, weighted: weighted, threads: threads)
            return value.sse + value.penalty
        }
    }

    /// The alternation both precisions share: `halfStep` solves one side and returns the objective (nil when not
    /// computed); after each iteration the objective is checked, recorded and reported, and convergence tested.
    private static func alternate(
        _ configuration: Configuration, _ onStep: TrainingCallback<FactorModel>, assemble: @escaping () -> FactorModel,
        halfStep: (Side) throws -> Double?
    ) throws -> Result {
        var reporter = StepReporter(steps: configuration.iterations)
        var converged = false
        for iteration in 1...max(configuration.iterations, 1) {
            let before = reporter.history.last
            _ = try halfStep(.users)
            let now = try halfStep(.items)
            if try reporter.finish(
                step: iteration, loss: now, finite: { allFinite(assemble().userFactors.elements) },
                diverged: TrainingError.diverged(
                    method: "ALS", stepName: "iteration", step: iteration,
                    regularization: configuration.regularization),
                model: assemble, onStep)
            {
                break
            }
            guard let now else { continue }
            if let before, before - now <= configuration.tolerance * max(before, .leastNormalMagnitude) { converged = true; break }
            if now == 0 { converged = true; break }
        }
        return Result(model: assemble(), history: reporter.history, converged: converged)
    }

    /// Item factors to start from: uniform draws in [0, 1), like `np.random.rand(items, k)`.
    public static func randomItemFactors(items: Int, factors: Int, rng: inout RandomState) -> Matrix {
        rng.rand(items, factors)
    }

    /// λ (Σ_u w_u (‖p_u‖² + b_u²) + Σ_i w_i (‖q_i‖² + b_i²)), with w the number of ratings when `weighted`, else 1.
    public static func penalty(_ ratings: Ratings, _ model: FactorModel, lambda: Double, weighted: Bool) -> Double {
        guard lambda > 0 else { return 0 }
        func norms(_ m: Matrix, _ bias: [Double], _ count: (Int) -> Int) -> Double {
            (0..<m.rows).reduce(0.0) { total, row in
                let start = row * m.columns
                let norm = m.elements[start..<(start + m.columns)].reduce(0) { $0 + $1 * $1 } + bias[row] * bias[row]
                return total + (weighted ? Double(count(row)) : 1) * norm
            }
        }
        return lambda
            * (norms(model.userFactors, model.userBias) { ratings.ratings(ofUser: $0).count }
                + norms(model.itemFactors, model.itemBias) { ratings.ratings(ofItem: $0).count })
    }

    /// One half-step: the factors of every row of `side` by ridge regression of its ratings on the
    /// `fixed` factors of the other side. This is also content-based filtering, when `fixed` is known.
    ///
    /// - Throws: `TrainingError.underdetermined` for the first row whose system is singular.
    public static func fit(_ side: Side, _ ratings: Ratings, fixed: Matrix, lambda: Double, weighted: Bool = false) throws -> Matrix {
        let fixedRows = side == .users ? ratings.itemCount : ratings.userCount
        require(fixed.rows == fixedRows, "fixed factors do not fit the ratings")
        let other = Matrix(rows: side == .users ? ratings.userCount : ratings.itemCount, columns: fixed.columns)
        let model = side == .users ? FactorModel(userFactors: other, itemFactors: fixed) : FactorModel(userFactors: fixed, itemFactors: other)
        return try solve(side, ratings, model: model, lambda: lambda, weighted: weighted, biases: false).factors
    }

    /// One half-step on a model: new factors (and, with `biases`, new biases) for every row of `side`, holding
    /// the other side's factors and biases fixed. With biases each row's regression has k + 1 unknowns, its
    /// factors and its bias, fitted to r − μ − (the other side's bias).
    public static func solve(_ side: Side, _ ratings: Ratings, model: FactorModel, lambda: Double, weighted: Bool, biases: Bool)
        throws -> (factors: Matrix, biases: [Double])
    {
        let count = side == .users ? ratings.userCount : ratings.itemCount
        let fixed = side == .users ? model.itemFactors : model.userFactors
        let otherBias = side == .users ? model.itemBias : model.userBias
        let mean = model.globalMean
        let k = fixed.columns, n = biases ? k + 1 : k
        var result = Matrix(rows: count, columns: k)
        var ownBias = [Double](repeating: 0, count: count)
        let workers = ratings.count * n * n > 200_000 ? ProcessInfo.processInfo.activeProcessorCount : 1
        let chunks = workers == 1 ? 1 : workers * 8
        var failures = [TrainingError?](repeating: nil, count: chunks)
        result.elements.withUnsafeMutableBufferPointer { out in
            ownBias.withUnsafeMutableBufferPointer { outBias in
                failures.withUnsafeMutableBufferPointer { failed in
                    let output = SharedSlots(out), outputBias = SharedSlots(outBias), failure = SharedSlots(failed)
                    let work: @Sendable (Int) -> Void = { chunk in
                        var gram = [Double](repeating: 0, count: n * n)
                        var rhs = [Double](repeating: 0, count: n)
                        var row = [Double](repeating: 1, count: n)  // the last entry stays 1: the bias column
                        let rows = (count * chunk / chunks)..<(count * (chunk + 1) / chunks)
                        for index in rows {
                            let own = side == .users ? ratings.ratings(ofUser: index) : ratings.ratings(ofItem: index)
                            // A row with no ratings has nothing to fit: its factors and bias stay zero.
                            if own.isEmpty { continue }
                            for a in 0..<(n * n) { gram[a] = 0 }
                            for a in 0..<n { rhs[a] = 0 }
                            fixed.elements.withUnsafeBufferPointer { f in
                                for r in own {
                                    let otherIndex = side == .users ? r.item : r.user
                                    let base = otherIndex * k
                                    for a in 0..<k { row[a] = f[base + a] }
                                    let target = biases ? r.value - mean - otherBias[otherIndex] : r.value
                                    for a in 0..<n {
                                        let xa = row[a]
                                        rhs[a] += target * xa
                                        for b in 0...a { gram[a * n + b] += xa * row[b] }
                                    }
                                }
                            }
                            for a in 0..<n { for b in 0..<a { gram[b * n + a] = gram[a * n + b] } }
                            let ridge = lambda * (weighted ? Double(own.count) : 1)
                            for a in 0..<n { gram[a * n + a] += ridge }
                            guard LeastSquares.solveInPlace(gram: &gram, rhs: &rhs, size: n) else {
                                failure.base[chunk] = .underdetermined(side: side, index: index, ratings: own.count, factors: n)
                                return
                            }
                            for a in 0..<k { output.base[index * k + a] = rhs[a] }
                            if biases { outputBias.base[index] = rhs[k] }
                        }
                    }
                    if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
                }
            }
        }
        if let first = failures.compactMap({ $0 }).first { throw first }
        return (result, ownBias)
    }
}
