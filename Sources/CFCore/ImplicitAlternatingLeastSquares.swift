import Foundation

/// Weighted ALS for implicit feedback (Hu, Koren & Volinsky, 2008): every (user, item) pair has a preference p = 1 if
/// the user interacted with the item and 0 otherwise, trusted with confidence c = 1 + α r (r the interaction's
/// strength, e.g. a rating or a play count), and the factors minimise
///
///     Σ over all pairs (u, i) of c_ui (p_ui − x_u · y_i)²  +  λ (Σ ‖x_u‖² + Σ ‖y_i‖²).
///
/// The sum runs over every pair, not only the observed ones, yet a user's normal equations cost O(k² n_u + k³):
///
///     (YᵀY + Yᵀ(C_u − I)Y + λI) x_u = Yᵀ C_u p_u,
///
/// where YᵀY is computed once per half-step and C_u − I and p_u are zero outside the user's n_u items.
public enum ImplicitAlternatingLeastSquares {
    /// How each row's k × k system is solved.
    public enum Solver: Sendable, Equatable {
        /// Exactly, by Cholesky: O(k² n_u + k³) per row.
        case cholesky
        /// Approximately, by this many conjugate-gradient steps started from the row's current factors (Takács et al.,
        /// 2011; the `implicit` library's default, with 3 steps): O(k² + k n_u) per step. The objective still falls
        /// from one half-step to the next, because each step lowers the row's own quadratic. Single precision only.
        case conjugateGradient(steps: Int)
    }

    /// Settings of a run (the core's trainer vocabulary: CFCore.docc/Trainers.md).
    public struct Configuration: Sendable {
        /// Number of latent factors k.
        public var factors: Int
        /// The L2 penalty λ.
        public var regularization: Double
        /// The confidence scale α in c = 1 + α r.
        public var alpha: Double
        /// Full iterations (a user half-step and an item half-step each).
        public var iterations: Int
        /// Threads (nil: every core); the numbers never depend on it.
        public var threads: Int?
        /// `.double`: the rows solved exactly in plain Double loops, as written above; `.single`: 32-bit floats with
        /// SIMD, by `solver`.
        public var precision: Precision
        /// How `.single` solves each row (`.double` always solves exactly).
        public var solver: Solver
        /// Compute the objective after every iteration (about a tenth of a half-step). When false, no loss is reported.
        public var computesLoss: Bool
        /// The seed of the initial item factors when `train` is not given any.
        public var seed: UInt32

        /// Settings; α = 40 and λ = 0.1 follow the paper's and the `implicit` library's usual choices.
        public init(
            factors: Int, regularization: Double = 0.1, alpha: Double = 40, iterations: Int = 15, threads: Int? = nil,
            precision: Precision = .double, solver: Solver = .cholesky, computesLoss: Bool = true, seed: UInt32 = 42
        ) {
            self.factors = factors
            self.regularization = regularization
            self.alpha = alpha
            self.iterations = iterations
            self.threads = threads
            self.precision = precision
            self.solver = solver
            self.computesLoss = computesLoss
            self.seed = seed
        }
    }

    /// The outcome of `train`.
    public struct Result: Sendable {
        /// User factors X (users × k) as `userFactors`, item factors Y as `itemFactors`; scores are x_u · y_i.
        public var model: FactorModel
        /// The objective after every iteration (empty when the loss is not computed).
        public var history: [Double]
    }

    /// Trains from the given item factors (or else normal draws with standard deviation 0.01 from the seed) and user
    /// factors (which matter only to the conjugate-gradient solver, which starts from them; zero when nil).
    ///
    /// - Parameter onStep: called after every iteration; `progress.stop()` ends training there.
    /// - Throws: `TrainingError.singular` when a row's system is not positive definite (λ = 0 with too few
    ///   interactions), `.diverged` when the numbers stop being finite.
    public static func train(
        _ interactions: Ratings, _ configuration: Configuration, initialItemFactors: Matrix? = nil,
        initialUserFactors: Matrix? = nil, onStep: TrainingCallback<FactorModel> = { _ in }
    ) throws -> Result {
        let k = configuration.factors
        var rng = RandomState(seed: configuration.seed)
        let start = initialItemFactors ?? 0.01 * rng.randn(interactions.itemCount, k)
        require(start.columns == k && start.rows == interactions.itemCount, "item factors must be items × k")
        require(
            configuration.precision == .single || configuration.solver == .cholesky,
            "the conjugate-gradient solver runs in single precision: set precision to .single")
        let threads = configuration.threads ?? ProcessInfo.processInfo.activeProcessorCount
        var reporter = StepReporter(steps: configuration.iterations)
        func diverged(_ iteration: Int) -> TrainingError {
            .diverged(method: "weighted ALS", stepName: "iteration", step: iteration, regularization: configuration.regularization)
        }
        if configuration.precision == .double {
            var users = initialUserFactors ?? Matrix(rows: interactions.userCount, columns: k), items = start
            for iteration in 1...max(configuration.iterations, 1) {
                users = try halfStep(.users, interactions, fixed: items, configuration, threads: threads)
                items = try halfStep(.items, interactions, fixed: users, configuration, threads: threads)
                let loss = configuration.computesLoss ? loss(interactions, users: users, items: items, configuration) : nil
                let (u, v) = (users, items)
                if try reporter.finish(
                    step: iteration, loss: loss, finite: { allFinite(u.elements) && allFinite(v.elements) },
                    diverged: diverged(iteration), model: { FactorModel(userFactors: u, itemFactors: v) }, onStep)
                {
                    break
                }
            }
            return Result(model: FactorModel(userFactors: users, itemFactors: items), history: reporter.history)
        }
        var users = PackedFactors(initialUserFactors ?? Matrix(rows: interactions.userCount, columns: k), bias: nil, biased: false)
        var items = PackedFactors(start, bias: nil, biased: false)
        for iteration in 1...max(configuration.iterations, 1) {
            try halfStepFast(.users, interactions, own: &users, fixed: items, configuration, threads: threads, iteration: iteration)
            try halfStepFast(.items, interactions, own: &items, fixed: users, configuration, threads: threads, iteration: iteration)
            let (u, v) = (users, items)
            let loss = configuration.computesLoss ? loss(interactions, users: u.matrix, items: v.matrix, configuration) : nil
            if try reporter.finish(
                step: iteration, loss: loss, finite: { allFinite(u.values) && allFinite(v.values) },
                diverged: diverged(iteration), model: { FactorModel(userFactors: u.matrix, itemFactors: v.matrix) }, onStep)
            {
                break
            }
        }
        return Result(model: FactorModel(userFactors: users.matrix, itemFactors: items.matrix), history: reporter.history)
    }

    /// Every row of `side` solved exactly, the other side fixed.
    public static func halfStep(_ side: Side, _ interactions: Ratings, fixed: Matrix, _ configuration: Configuration, threads: Int = 1) throws -> Matrix {
        let k = fixed.columns, count = side == .users ? interactions.userCount : interactions.itemCount
        let gram = fixed.transposed * fixed  // YᵀY, once
        let solved = solveRows(count: count, k: k, threads: threads) { row, a, b in
            for index in 0..<(k * k) { a[index] = gram.elements[index] }
            for f in 0..<k { a[f * k + f] += configuration.regularization; b[f] = 0 }
            for r in side == .users ? interactions.ratings(ofUser: row) : interactions.ratings(ofItem: row) {
                let other = side == .users ? r.item : r.user
                let c = 1 + configuration.alpha * r.value
                for f in 0..<k {
                    let yf = fixed.elements[other * k + f]
                    b[f] += c * yf  // Yᵀ C_u p_u, with p = 1 on the user's items
                    for g in 0..<k { a[f * k + g] += (c - 1) * yf * fixed.elements[other * k + g] }
                }
            }
        }
        guard let solved else { throw TrainingError.singular(method: "weighted ALS", side: side, index: nil, step: 0) }
        return solved
    }

    /// The objective, in O(nnz · k + users · k²): Σ over all pairs of (x·y)² is Σ_u x_uᵀ (YᵀY) x_u; the observed pairs
    /// then replace their (x·y)² by c (1 − x·y)².
    public static func loss(_ interactions: Ratings, users: Matrix, items: Matrix, _ configuration: Configuration) -> Double {
        let k = users.columns, gram = items.transposed * items
        var total = 0.0
        for u in 0..<users.rows {
            let x = users.row(u)
            for f in 0..<k { for g in 0..<k { total += x[f] * gram[f, g] * x[g] } }
        }
        for r in interactions.entries {
            let s = dot(users.row(r.user), items.row(r.item))
            total += (1 + configuration.alpha * r.value) * (1 - s) * (1 - s) - s * s
        }
        return total + configuration.regularization * (users.sumOfSquares + items.sumOfSquares)
    }

    /// A new user's factors from their interactions (items and strengths r), the items' factors fixed: the same
    /// k × k solve as one row of the user half-step, (YᵀY + Yᵀ(C_u − I)Y + λI) x = Yᵀ C_u p_u. Their scores are then
    /// x · y_i for every item.
    public static func foldIn(_ interactions: [(item: Int, strength: Double)], itemFactors: Matrix, _ configuration: Configuration) throws -> [Double] {
        let k = itemFactors.columns
        var a = (itemFactors.transposed * itemFactors).elements, b = [Double](repeating: 0, count: k)
        for f in 0..<k { a[f * k + f] += configuration.regularization }
        for (item, strength) in interactions {
            let c = 1 + configuration.alpha * strength, y = itemFactors.row(item)
            for f in 0..<k {
                b[f] += c * y[f]
                for g in 0..<k { a[f * k + g] += (c - 1) * y[f] * y[g] }
            }
        }
        guard LeastSquares.solveInPlace(gram: &a, rhs: &b, size: k) else {
            throw TrainingError.singular(method: "weighted ALS", side: .users, index: nil, step: 0)
        }
        return b
    }
}
