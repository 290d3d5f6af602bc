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
    /// Settings of a run.
    public struct Configuration: Sendable {
        /// Number of latent factors k.
        public var factors: Int
        /// The L2 penalty λ.
        public var lambda: Double
        /// The confidence scale α in c = 1 + α r.
        public var alpha: Double
        /// Full iterations (a user half-step and an item half-step each).
        public var iterations: Int
        /// Threads (nil: every core).
        public var threads: Int?

        /// Settings; α = 40 and λ = 0.1 follow the paper's and the `implicit` library's usual choices.
        public init(factors: Int, lambda: Double = 0.1, alpha: Double = 40, iterations: Int = 15, threads: Int? = nil) {
            self.factors = factors
            self.lambda = lambda
            self.alpha = alpha
            self.iterations = iterations
            self.threads = threads
        }
    }

    /// The outcome of `train`.
    public struct Result: Sendable {
        /// User factors X (users × k) as `userFactors`, item factors Y as `itemFactors`; scores are x_u · y_i.
        public var model: FactorModel
        /// The objective after every half-step.
        public var losses: [Double]
    }

    /// Trains from the given item factors.
    public static func train(_ interactions: Ratings, _ configuration: Configuration, initialItemFactors: Matrix) throws -> Result {
        var users = Matrix(rows: interactions.userCount, columns: configuration.factors), items = initialItemFactors
        var losses = [Double]()
        let threads = configuration.threads ?? ProcessInfo.processInfo.activeProcessorCount
        for _ in 0..<max(configuration.iterations, 1) {
            users = try halfStep(.users, interactions, fixed: items, configuration, threads: threads)
            losses.append(loss(interactions, users: users, items: items, configuration))
            items = try halfStep(.items, interactions, fixed: users, configuration, threads: threads)
            losses.append(loss(interactions, users: users, items: items, configuration))
        }
        return Result(model: FactorModel(userFactors: users, itemFactors: items), losses: losses)
    }

    /// Every row of `side` solved exactly, the other side fixed.
    public static func halfStep(_ side: Side, _ interactions: Ratings, fixed: Matrix, _ configuration: Configuration, threads: Int = 1) throws -> Matrix {
        let k = fixed.columns, count = side == .users ? interactions.userCount : interactions.itemCount
        let gram = fixed.transposed * fixed   // YᵀY, once
        let solved = solveRows(count: count, k: k, threads: threads) { row, a, b in
            for index in 0..<(k * k) { a[index] = gram.elements[index] }
            for f in 0..<k { a[f * k + f] += configuration.lambda; b[f] = 0 }
            for r in side == .users ? interactions.ratings(ofUser: row) : interactions.ratings(ofItem: row) {
                let other = side == .users ? r.item : r.user
                let c = 1 + configuration.alpha * r.value
                for f in 0..<k {
                    let yf = fixed.elements[other * k + f]
                    b[f] += c * yf                      // Yᵀ C_u p_u, with p = 1 on the user's items
                    for g in 0..<k { a[f * k + g] += (c - 1) * yf * fixed.elements[other * k + g] }
                }
            }
        }
        guard let solved else { throw FactorFitError.diverged(iteration: 0) }
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
        return total + configuration.lambda * (users.sumOfSquares + items.sumOfSquares)
    }

    /// A new user's factors from their interactions (items and strengths r), the items' factors fixed: the same
    /// k × k solve as one row of the user half-step, (YᵀY + Yᵀ(C_u − I)Y + λI) x = Yᵀ C_u p_u. Their scores are then
    /// x · y_i for every item.
    public static func foldIn(_ interactions: [(item: Int, strength: Double)], itemFactors: Matrix, _ configuration: Configuration) throws -> [Double] {
        let k = itemFactors.columns
        var a = (itemFactors.transposed * itemFactors).elements, b = [Double](repeating: 0, count: k)
        for f in 0..<k { a[f * k + f] += configuration.lambda }
        for (item, strength) in interactions {
            let c = 1 + configuration.alpha * strength, y = itemFactors.row(item)
            for f in 0..<k {
                b[f] += c * y[f]
                for g in 0..<k { a[f * k + g] += (c - 1) * y[f] * y[g] }
            }
        }
        guard LeastSquares.solveInPlace(gram: &a, rhs: &b, size: k) else { throw FactorFitError.diverged(iteration: 0) }
        return b
    }
}

