import Foundation

/// Bayesian probabilistic matrix factorization by Gibbs sampling (Salakhutdinov & Mnih, 2008).
///
/// Ratings less their global mean are r_ij ~ N(u_i · v_j, 1/α). Each user's factors are drawn from N(μ_U, Λ_U⁻¹)
/// and each item's from N(μ_V, Λ_V⁻¹), and (μ_U, Λ_U), (μ_V, Λ_V) have Normal-Wishart priors (μ₀ = 0, β₀, W₀ = I,
/// ν₀ = k). A Gibbs sweep draws, in turn:
///
///     (μ_U, Λ_U) | U     from their Normal-Wishart posterior, and the same for the items;
///     u_i | V, r_i        ~ N(m, P⁻¹),  P = Λ_U + α Σ_j v_j v_jᵀ,  m = P⁻¹ (α Σ_j r_ij v_j + Λ_U μ_U),  for every user;
///     v_j | U, r_j        the same for every item, with the new U.
///
/// A user's P is the k × k system of ALS plus the prior's precision, and the draw is m + L⁻ᵀ z with P = L Lᵀ and
/// z ~ N(0, I): the ALS kernel plus noise. The prediction averages u_i · v_j over the samples after burn-in, so it
/// averages over the model's uncertainty; there is no learning rate and no λ to tune (the noise precision α is the one
/// setting left: fixed, or drawn with `samplesNoise`). The noise z of every row is
/// drawn from the seeded generator before the rows are solved in parallel, so a seed gives the same samples on any
/// number of threads.
public enum BayesianMatrixFactorization {
    /// Settings of a run (the core's trainer vocabulary: CFCore.docc/Trainers.md).
    public struct Configuration: Sendable {
        /// Number of latent factors k.
        public var factors: Int
        /// Gibbs sweeps in all, each one sample.
        public var iterations: Int
        /// Sweeps discarded before averaging.
        public var burnIn: Int
        /// The observation precision α (1 / noise variance of a rating): fixed, or the first sweep's value when
        /// `samplesNoise` is on.
        public var alpha: Double
        /// Draws α at every sweep from its Gamma posterior given the residuals (prior Gamma(1, 1)), instead of fixing it.
        public var samplesNoise: Bool
        /// Adds SVD++'s implicit-feedback term: a user's factors become u_i + |N(i)|^-½ Σ_{l ∈ N(i)} y_l over the
        /// movies N(i) the user rated (see `trainWithImplicitFeedback`).
        public var implicitFeedback: Bool
        /// With `implicitFeedback`: the movies get the mirror term too, v_j + |R(j)|^-½ Σ z_i over the users
        /// R(j) who rated movie j ("flipped" SVD++).
        public var flipped: Bool
        /// β₀ of the Normal-Wishart prior.
        public var beta0: Double
        /// The seed of the random draws.
        public var seed: UInt32
        /// Threads for the rows (nil: every core); the numbers never depend on it.
        public var threads: Int?
        /// `.single` draws the rows on ALS's single-precision kernel (`NormalEquations`); `.double` in plain Double loops.
        public var precision: Precision
        /// Whether the result keeps the samples after the burn-in (`Result.samples`). Off for a run that is only watched
        /// through `onStep`, such as one scored on held-out ratings sweep by sweep: its samples would only take memory
        /// (gigabytes on a large catalogue), and its result predicts the global mean.
        public var keepsSamples: Bool = true

        /// BPMF settings; the defaults are the paper's (α = 2, β₀ = 2).
        public init(
            factors: Int, iterations: Int, burnIn: Int, alpha: Double = 2, beta0: Double = 2, seed: UInt32 = 42, threads: Int? = nil,
            precision: Precision = .single, samplesNoise: Bool = false, implicitFeedback: Bool = false, flipped: Bool = false
        ) {
            self.factors = factors
            self.iterations = iterations
            self.burnIn = burnIn
            self.alpha = alpha
            self.beta0 = beta0
            self.seed = seed
            self.threads = threads
            self.precision = precision
            self.samplesNoise = samplesNoise
            self.implicitFeedback = implicitFeedback
            self.flipped = flipped
        }
    }

    /// The outcome of `train`: the posterior mean prediction, a `RatingPredictor`.
    public struct Result: Sendable, RatingPredictor {
        /// The global mean the factors model the departures from.
        public var globalMean: Double
        /// The averaged predictions' ingredients: each kept sample's factors.
        public var samples: [(users: Matrix, items: Matrix)]
        /// The noise precision α each sweep used, in order.
        public var alphas: [Double]
        /// Predictions are clipped to this range when it is set.
        public var ratingScale: ClosedRange<Double>?
        /// The sampler computes no loss, so its history is empty (the trainers' common field).
        public var history: [Double] { [] }

        /// The number of items.
        public var itemCount: Int { samples.first?.items.rows ?? 0 }

        /// The posterior mean score: μ + the average over kept samples of u_i · v_j (before clipping).
        public func score(user: Int, item: Int) -> Double {
            var sum = 0.0
            for s in samples { sum += rowDot(s, user, item) }
            return globalMean + (samples.isEmpty ? 0 : sum / Double(samples.count))
        }

        /// u · v of one sample, in index order, read in place.
        private func rowDot(_ sample: (users: Matrix, items: Matrix), _ user: Int, _ item: Int) -> Double {
            let k = sample.users.columns
            return sample.users.elements.withUnsafeBufferPointer { u in
                sample.items.elements.withUnsafeBufferPointer { v in
                    dot(UnsafeBufferPointer(rebasing: u[user * k..<(user + 1) * k]), UnsafeBufferPointer(rebasing: v[item * k..<(item + 1) * k]))
                }
            }
        }

        /// The spread of the kept samples' predictions (their standard deviation), unclipped.
        public func spread(user: Int, item: Int) -> Double {
            guard samples.count > 1 else { return 0 }
            let values = samples.map { rowDot($0, user, item) }
            let mean = values.reduce(0, +) / Double(values.count)
            return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
        }
    }

    /// Runs the Gibbs sampler from small random factors (with `implicitFeedback`, `trainWithImplicitFeedback`).
    ///
    /// - Parameter onStep: called after every sweep; `progress.model` is this sweep's factors alone as a model (global
    ///   mean included), and `progress.step > burnIn` says whether the sweep is part of the average. No loss is computed.
    /// - Throws: `TrainingError.singular` if a posterior precision stops being positive definite.
    public static func train(_ ratings: Ratings, _ configuration: Configuration, onStep: TrainingCallback<FactorModel> = { _ in }) throws -> Result {
        if configuration.implicitFeedback { return try trainWithImplicitFeedback(ratings, configuration, onStep: onStep) }
        let k = configuration.factors
        var α = configuration.alpha
        var rng = RandomState(seed: configuration.seed)
        let mean = ratings.mean
        var users = 0.1 * rng.randn(ratings.userCount, k), items = 0.1 * rng.randn(ratings.itemCount, k)
        var kept = [(users: Matrix, items: Matrix)](), alphas = [Double]()
        let threads = configuration.threads ?? ProcessInfo.processInfo.activeProcessorCount
        var reporter = StepReporter(steps: configuration.iterations)
        for sample in 1...max(configuration.iterations, 1) {
            let (muU, lambdaU) = hyperparameters(users, beta0: configuration.beta0, rng: &rng)
            let (muV, lambdaV) = hyperparameters(items, beta0: configuration.beta0, rng: &rng)
            if configuration.precision == .single {
                users = try conditionalSingle(
                    .users, ratings, fixed: items, mean: mean, alpha: α, mu: muU, lambda: lambdaU, rng: &rng, threads: threads, iteration: sample)
                items = try conditionalSingle(
                    .items, ratings, fixed: users, mean: mean, alpha: α, mu: muV, lambda: lambdaV, rng: &rng, threads: threads, iteration: sample)
            } else {
                users = try conditional(
                    .users, ratings, fixed: items, mean: mean, alpha: α, mu: muU, lambda: lambdaU, rng: &rng, threads: threads, iteration: sample)
                items = try conditional(
                    .items, ratings, fixed: users, mean: mean, alpha: α, mu: muV, lambda: lambdaV, rng: &rng, threads: threads, iteration: sample)
            }
            if sample > configuration.burnIn && configuration.keepsSamples { kept.append((users, items)) }
            alphas.append(α)
            let (u, v) = (users, items)
            let stop = try reporter.finish(
                step: sample, loss: nil, finite: { allFinite(u.elements) && allFinite(v.elements) },
                diverged: TrainingError.diverged(method: "Bayesian MF", stepName: "sweep", step: sample),
                model: { FactorModel(userFactors: u, itemFactors: v, globalMean: mean) }, onStep)
            if stop { break }
            if configuration.samplesNoise { α = noisePrecision(ratings, users: users, items: items, mean: mean, rng: &rng) }
        }
        return Result(globalMean: mean, samples: kept, alphas: alphas)
    }

    /// The Gaussian a row's factors are drawn from, in closed form: given the factors v_j of the other side (one row of
    /// `fixed` per rating), the ratings less the global mean, the noise precision α and the prior N(μ, Λ⁻¹),
    ///
    ///     P = Λ + α Σ_j v_j v_jᵀ,   covariance P⁻¹,   mean P⁻¹ (α Σ_j r_j v_j + Λ μ).
    ///
    /// - Throws: `LeastSquaresError.rankDeficient` if P is not positive definite.
    public static func rowPosterior(fixed: Matrix, residuals: [Double], alpha: Double, mu: [Double], lambda: Matrix) throws
        -> (mean: [Double], covariance: Matrix)
    {
        let k = lambda.rows
        var precision = lambda, rhs = (lambda * Matrix(rows: k, columns: 1, elements: mu)).elements
        for (row, r) in zip(0..<fixed.rows, residuals) {
            for a in 0..<k {
                rhs[a] += alpha * r * fixed[row, a]
                for b in 0..<k { precision[a, b] += alpha * fixed[row, a] * fixed[row, b] }
            }
        }
        let covariance = try inverseSymmetric(precision)
        return (covariance * rhs, covariance)
    }

    /// The Gaussian that fits the rows of `factors`: their mean μ and the inverse of their covariance, Λ (a prior
    /// like the one a sweep draws, estimated instead of drawn).
    ///
    /// - Throws: `LeastSquaresError.rankDeficient` if the rows' covariance is singular (fewer rows than factors, say).
    public static func momentPrior(_ factors: Matrix) throws -> (mu: [Double], lambda: Matrix) {
        let (mean, scatter) = meanAndScatter(factors)
        return (mean, try inverseSymmetric((1 / Double(max(factors.rows, 1))) * scatter))
    }

    /// The rows' mean x̄ and their scatter N S̄ = Σ_r (x_r − x̄)(x_r − x̄)ᵀ.
    static func meanAndScatter(_ factors: Matrix) -> (mean: [Double], scatter: Matrix) {
        let n = Double(factors.rows), k = factors.columns
        var mean = [Double](repeating: 0, count: k), scatter = [Double](repeating: 0, count: k * k), centred = mean
        factors.elements.withUnsafeBufferPointer { x in
            mean.withUnsafeMutableBufferPointer { mean in
                scatter.withUnsafeMutableBufferPointer { scatter in
                    centred.withUnsafeMutableBufferPointer { centred in
                        for r in 0..<factors.rows { for c in 0..<k { mean[c] += x[r * k + c] / n } }
                        // The upper triangle, row by row (each entry summed over the rows in order), then mirrored.
                        for r in 0..<factors.rows {
                            for c in 0..<k { centred[c] = x[r * k + c] - mean[c] }
                            for a in 0..<k {
                                let ca = centred[a]
                                for b in a..<k { scatter[a * k + b] += ca * centred[b] }
                            }
                        }
                    }
                }
            }
        }
        for a in 0..<k { for b in 0..<a { scatter[a * k + b] = scatter[b * k + a] } }
        return (mean, Matrix(rows: k, columns: k, elements: scatter))
    }

    /// A draw of the noise precision α from its Gamma posterior given the residuals e = r − μ − u_i · v_j:
    /// Gamma(a₀ + N/2, rate b₀ + Σ e²/2) with a₀ = b₀ = 1.
    static func noisePrecision(_ ratings: Ratings, users: Matrix, items: Matrix, mean: Double, rng: inout RandomState) -> Double {
        var squares = 0.0
        let k = users.columns
        users.elements.withUnsafeBufferPointer { u in
            items.elements.withUnsafeBufferPointer { v in
                for r in ratings.entries {
                    let a = u.baseAddress! + r.user * k, b = v.baseAddress! + r.item * k
                    var score = 0.0
                    for f in 0..<k { score += a[f] * b[f] }
                    let e = r.value - mean - score
                    squares += e * e
                }
            }
        }
        return gamma(shape: 1 + Double(ratings.count) / 2, rng: &rng) / (1 + squares / 2)
    }

    /// A draw of (μ, Λ) from the Normal-Wishart posterior given the rows of `factors`.
    static func hyperparameters(_ factors: Matrix, beta0: Double, rng: inout RandomState) -> (mu: [Double], lambda: Matrix) {
        let n = Double(factors.rows), k = factors.columns
        let (mean, scatter) = meanAndScatter(factors)
        // W*⁻¹ = W₀⁻¹ + N S̄ + β₀N/(β₀+N) (μ₀ − x̄)(μ₀ − x̄)ᵀ with W₀ = I and μ₀ = 0.
        var inverseScale = scatter
        for a in 0..<k {
            inverseScale[a, a] += 1
            for b in 0..<k { inverseScale[a, b] += beta0 * n / (beta0 + n) * mean[a] * mean[b] }
        }
        // W* (I + N S̄ + … is positive definite; the identity only if rounding says otherwise).
        let scale = (try? inverseSymmetric(inverseScale)) ?? .identity(k)
        let lambda = wishart(scale: scale, degrees: Double(k) + n, rng: &rng)
        let betaStar = beta0 + n
        let muStar = mean.map { n * $0 / betaStar }  // (β₀ μ₀ + N x̄) / (β₀ + N)
        // μ ~ N(μ*, (β* Λ)⁻¹): μ* + L⁻ᵀ z / √β* with β* Λ... = L Lᵀ.
        let z = (0..<k).map { _ in rng.randn() }
        let offset = (try? choleskyDraw(betaStar * lambda, z)) ?? [Double](repeating: 0, count: k)
        return (zip(muStar, offset).map(+), lambda)
    }

    /// The rows of `side`, each drawn from its Gaussian conditional given the `fixed` other side.
    static func conditional(
        _ side: Side, _ ratings: Ratings, fixed: Matrix, mean: Double, alpha: Double, mu: [Double], lambda: Matrix,
        rng: inout RandomState, threads: Int, iteration: Int
    ) throws -> Matrix {
        let count = side == .users ? ratings.userCount : ratings.itemCount, k = fixed.columns
        // Every row's noise first, in row order, so the samples do not depend on the number of threads.
        let noise = rng.randn(count, k)
        let prior = lambda * Matrix(rows: k, columns: 1, elements: mu)  // Λ μ
        // Each row: P = Λ + α Σ v vᵀ, b = α Σ (r − μ) v + Λμ, drawn as P⁻¹b + L⁻ᵀz.
        let drawn = solveRows(count: count, k: k, threads: threads, noise: noise) { row, precision, rhs in
            for a in 0..<(k * k) { precision[a] = lambda.elements[a] }
            for a in 0..<k { rhs[a] = prior.elements[a] }
            for r in side == .users ? ratings.ratings(ofUser: row) : ratings.ratings(ofItem: row) {
                let other = side == .users ? r.item : r.user
                let target = alpha * (r.value - mean)
                for a in 0..<k {
                    let va = fixed.elements[other * k + a]
                    rhs[a] += target * va
                    for b in 0..<k { precision[a * k + b] += alpha * va * fixed.elements[other * k + b] }
                }
            }
        }
        guard let drawn else { throw TrainingError.singular(method: "Bayesian MF", side: side, index: nil, step: iteration) }
        return drawn
    }

    /// `conditional` on the single-precision kernel of ALS: the same draws (the noise comes from the generator in the
    /// same order), computed in 32-bit floats.
    static func conditionalSingle(
        _ side: Side, _ ratings: Ratings, fixed: Matrix, mean: Double, alpha: Double, mu: [Double], lambda: Matrix,
        rng: inout RandomState, threads: Int, iteration: Int
    ) throws -> Matrix {
        let count = side == .users ? ratings.userCount : ratings.itemCount, k = fixed.columns
        let noise = rng.randn(count, k).elements.map(Float.init)
        let shift = (lambda * Matrix(rows: k, columns: 1, elements: mu)).elements.map(Float.init)
        var own = PackedFactors(Matrix(rows: count, columns: k), bias: nil, biased: false)
        let draw = NormalEquations.Draw(
            alpha: Float(alpha), precision: lambda.elements.map(Float.init), shift: shift, noise: noise,
            iteration: iteration)
        try NormalEquations.solve(
            side, ratings, own: &own, fixed: PackedFactors(fixed, bias: nil, biased: false), mean: Float(mean),
            lambda: 0, weighted: false, threads: threads, draw: draw)
        return own.matrix
    }

    /// For a symmetric positive definite P = L Lᵀ: P⁻¹ b + L⁻ᵀ z (with b = 0 by default, a draw from N(0, P⁻¹)).
    static func choleskyDraw(_ p: Matrix, _ z: [Double], mean b: [Double]? = nil) throws -> [Double] {
        var a = p.elements, y = b ?? [Double](repeating: 0, count: p.rows)
        let done = a.withUnsafeMutableBufferPointer { a in
            y.withUnsafeMutableBufferPointer { y in
                z.withUnsafeBufferPointer { LeastSquares.choleskySolve(a.baseAddress!, y.baseAddress!, size: p.rows, noise: $0.baseAddress!) }
            }
        }
        guard done else { throw LeastSquaresError.rankDeficient(equations: p.rows, unknowns: p.rows) }
        return y
    }

    /// A draw from the Wishart distribution with scale W and ν degrees of freedom (Bartlett's decomposition):
    /// L A Aᵀ Lᵀ with W = L Lᵀ, A lower triangular, A_ii = √χ²(ν − i), A_ij ~ N(0, 1) below the diagonal.
    static func wishart(scale: Matrix, degrees: Double, rng: inout RandomState) -> Matrix {
        let k = scale.rows
        // W is the inverse of a positive definite matrix, so it is positive definite; rounding aside.
        let l = LeastSquares.choleskyFactor(scale) ?? Matrix.identity(k)
        var a = Matrix(rows: k, columns: k)
        for i in 0..<k {
            a[i, i] = (2 * gamma(shape: (degrees - Double(i)) / 2, rng: &rng)).squareRoot()
            for j in 0..<i { a[i, j] = rng.randn() }
        }
        let la = l * a
        return symmetrized(la * la.transposed)
    }

    /// A Gamma(shape, 1) draw (Marsaglia and Tsang's method; shape < 1 by the boost U^(1/shape)).
    static func gamma(shape: Double, rng: inout RandomState) -> Double {
        if shape < 1 {
            let u = max(rng.rand(), .leastNormalMagnitude)
            return gamma(shape: shape + 1, rng: &rng) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat {
                x = rng.randn()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = rng.rand()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(max(u, .leastNormalMagnitude)) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    static func symmetrized(_ m: Matrix) -> Matrix {
        Matrix(rows: m.rows, columns: m.columns) { 0.5 * (m[$0, $1] + m[$1, $0]) }
    }
}
