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
    /// - Parameter onIteration: called after every iteration with its number and cost.
    /// - Throws: `TrainingError.diverged` when the cost becomes NaN or infinite.
    public static func train(_ ratings: Ratings, _ configuration: Configuration, features: Matrix, preferences: Matrix,
                             onIteration: (Int, Double) -> Void = { _, _ in }) throws -> Result {
        var x = features, theta = preferences
        let α = configuration.learningRate, λ = configuration.lambda
        var costs = [CollaborativeCost.cost(ratings, features: x, preferences: theta, lambda: λ)]
        var gx = [Double](repeating: 0, count: x.elements.count), gt = [Double](repeating: 0, count: theta.elements.count)
        for iteration in 1...max(configuration.iterations, 1) where configuration.iterations > 0 {
            for index in gx.indices { gx[index] = λ * x.elements[index] }
            for index in gt.indices { gt[index] = λ * theta.elements[index] }
            CollaborativeCost.accumulateErrorGradients(ratings, x, theta, into: &gx, &gt)
            for index in gx.indices { x.elements[index] -= α * gx[index] }
            for index in gt.indices { theta.elements[index] -= α * gt[index] }
            let cost = CollaborativeCost.cost(ratings, features: x, preferences: theta, lambda: λ)
            guard cost.isFinite else {
                throw TrainingError.diverged(method: "gradient descent", stepName: "iteration", step: iteration, learningRate: α)
            }
            costs.append(cost)
            onIteration(iteration, cost)
        }
        return Result(features: x, preferences: theta, costs: costs)
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
