/// The collaborative-filtering cost of Andrew Ng's machine-learning course, and its gradients.
///
/// With item factors X (items × k; the course calls them movie features) and user factors Θ (users × k; its
/// preferences), over the observed ratings y:
///
///     J = ½ Σ (θ_u · x_i − y_ui)²  +  λ/2 (‖X‖² + ‖Θ‖²)
///     ∂J/∂x_i = Σ_u (θ_u · x_i − y_ui) θ_u + λ x_i        ∂J/∂θ_u = Σ_i (θ_u · x_i − y_ui) x_i + λ θ_u
///
/// Both gradients come from one pass over the observed ratings: never a dense users × items loop.
public enum CollaborativeCost {
    /// The cost J of user factors Θ and item factors X on the observed ratings.
    public static func cost(_ ratings: Ratings, users theta: Matrix, items x: Matrix, lambda: Double) -> Double {
        let sse = Metrics.sumOfSquaredErrors(FactorModel(userFactors: theta, itemFactors: x), on: ratings)
        return 0.5 * sse + 0.5 * lambda * (x.sumOfSquares + theta.sumOfSquares)
    }

    /// The gradients of J with respect to Θ (users) and X (items).
    public static func gradients(_ ratings: Ratings, users theta: Matrix, items x: Matrix, lambda: Double)
        -> (users: Matrix, items: Matrix)
    {
        var gx = lambda * x, gt = lambda * theta
        accumulateErrorGradients(ratings, x, theta, into: &gx.elements, &gt.elements)
        return (gt, gx)
    }

    /// Adds Σ err·θ_u to each x_i's gradient and Σ err·x_i to each θ_u's, in one pass over the ratings.
    static func accumulateErrorGradients(
        _ ratings: Ratings, _ x: Matrix, _ theta: Matrix,
        into gx: inout [Double], _ gt: inout [Double]
    ) {
        let k = x.columns
        x.elements.withUnsafeBufferPointer { x in
            theta.elements.withUnsafeBufferPointer { t in
                gx.withUnsafeMutableBufferPointer { gx in
                    gt.withUnsafeMutableBufferPointer { gt in
                        ratings.entries.withUnsafeBufferPointer { entries in
                            for r in entries {
                                let i = r.item * k, u = r.user * k
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
    public static func gradientCheck(
        _ ratings: Ratings, users theta: Matrix, items x: Matrix, lambda: Double,
        epsilon: Double = 1e-4
    ) -> Double {
        let analytic = gradients(ratings, users: theta, items: x, lambda: lambda)
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
        check(x, analytic.items) { cost(ratings, users: theta, items: $0, lambda: lambda) }
        check(theta, analytic.users) { cost(ratings, users: $0, items: x, lambda: lambda) }
        return worst
    }
}
