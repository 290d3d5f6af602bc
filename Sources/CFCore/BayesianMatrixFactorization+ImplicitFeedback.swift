import Dispatch
import Foundation

/// Bayesian matrix factorization with SVD++'s implicit-feedback term, by Gibbs sampling.
///
/// A user's effective factors are u_i + s_i with s_i = |N(i)|^-½ Σ_{l ∈ N(i)} y_l over the items N(i) the user rated:
/// who rated what tells something about a user even before the stars do. Ratings less their mean are
/// r_ij ~ N((u_i + s_i) · v_j, 1/α); U, V and Y each have Gaussian priors with Normal-Wishart hyperpriors. A sweep draws
/// the three hyperparameter pairs, then every u_i given V and S (BPMF's user step on the ratings less s_i · v_j), every
/// v_j given U + S (BPMF's item step), and every y_l in turn given everything else:
///
///     y_l | rest ~ N(P⁻¹ b, P⁻¹),   P = Λ_Y + α Σ_{i: l ∈ N(i)} c_i² G_i,
///                                   b = Λ_Y μ_Y + α Σ_{i: l ∈ N(i)} c_i (h_i − G_i (u_i + s_i − c_i y_l)),
///
/// with c_i = |N(i)|^-½, G_i = Σ_{j rated by i} v_j v_jᵀ and h_i = Σ_j (r_ij − μ) v_j (computed once per sweep), and
/// s_i updated after each draw. The y draws are sequential (each changes the s of its raters); the u and v steps
/// run on every core. Kept samples are stored as (U + S, V), so `Result.predict` averages (u_i + s_i) · v_j.
extension BayesianMatrixFactorization {
    /// Runs the sampler with the implicit-feedback term, from small random U and V and Y = 0.
    public static func trainWithImplicitFeedback(_ ratings: Ratings, _ configuration: Configuration,
                                                 onSample: (SampleReport) -> Void = { _ in }) throws -> Result {
        let k = configuration.factors, α = configuration.alpha
        var rng = RandomState(seed: configuration.seed)
        let mean = ratings.mean
        var users = 0.1 * rng.randn(ratings.userCount, k), items = 0.1 * rng.randn(ratings.itemCount, k)
        var implicit = Matrix(rows: ratings.itemCount, columns: k)
        var sums = implicitSums(ratings, implicit)
        var kept = [(users: Matrix, items: Matrix)]()
        let threads = configuration.threads ?? ProcessInfo.processInfo.activeProcessorCount
        for sample in 1...max(configuration.samples, 1) {
            let (muU, lambdaU) = hyperparameters(users, beta0: configuration.beta0, rng: &rng)
            let (muV, lambdaV) = hyperparameters(items, beta0: configuration.beta0, rng: &rng)
            let (muY, lambdaY) = hyperparameters(implicit, beta0: configuration.beta0, rng: &rng)
            // u | V, S: BPMF's user step on r − s_i · v_j.
            let shifted = ratings.mappingValues { user, item, value in value - dotRow(sums, user, items, item) }
            users = try conditionalSingle(.users, shifted, fixed: items, mean: mean, alpha: α, mu: muU, lambda: lambdaU, rng: &rng,
                                          threads: threads, iteration: sample)
            // v | U + S: BPMF's item step with the effective user factors.
            items = try conditionalSingle(.items, ratings, fixed: users + sums, mean: mean, alpha: α, mu: muV, lambda: lambdaV, rng: &rng,
                                          threads: threads, iteration: sample)
            // y_l | everything else, one item at a time.
            try drawImplicit(ratings, users: users, items: items, implicit: &implicit, sums: &sums, mean: mean, alpha: α, mu: muY,
                             lambda: lambdaY, rng: &rng, iteration: sample)
            let effective = users + sums
            let averaged = sample > configuration.burnIn
            if averaged { kept.append((effective, items)) }
            onSample(SampleReport(sample: sample, model: FactorModel(userFactors: effective, itemFactors: items, globalMean: mean), averaged: averaged))
        }
        return Result(globalMean: mean, samples: kept)
    }

    /// S: row i is |N(i)|^-½ Σ_{l ∈ N(i)} y_l.
    static func implicitSums(_ ratings: Ratings, _ implicit: Matrix) -> Matrix {
        let k = implicit.columns
        var sums = Matrix(rows: ratings.userCount, columns: k)
        for u in 0..<ratings.userCount {
            let rated = ratings.ratings(ofUser: u)
            guard !rated.isEmpty else { continue }
            let c = 1 / Double(rated.count).squareRoot()
            for r in rated { for f in 0..<k { sums.elements[u * k + f] += c * implicit.elements[Int(r.item) * k + f] } }
        }
        return sums
    }

    /// Draws every y_l in turn, keeping S in step. G_i and h_i are built on every core; the y's are drawn one after the
    /// other on one core (P and b as in the type's documentation), in loops over raw pointers.
    static func drawImplicit(_ ratings: Ratings, users: Matrix, items: Matrix, implicit: inout Matrix, sums: inout Matrix, mean: Double,
                             alpha: Double, mu: [Double], lambda: Matrix, rng: inout RandomState, iteration: Int) throws {
        let k = items.columns, kk = k * k, userCount = ratings.userCount
        let scale = (0..<userCount).map { u in ratings.ratings(ofUser: u).isEmpty ? 0 : 1 / Double(ratings.ratings(ofUser: u).count).squareRoot() }
        // G_i (full, symmetric) and h_i of every user, from the new V.
        var grams = [Double](repeating: 0, count: userCount * kk), h = [Double](repeating: 0, count: userCount * k)
        grams.withUnsafeMutableBufferPointer { g in
            h.withUnsafeMutableBufferPointer { hb in
                items.elements.withUnsafeBufferPointer { v in
                    let out = SharedSlots(g), outH = SharedSlots(hb), itemRows = ReadOnly(v)
                    let chunks = 16
                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                        for u in (userCount * chunk / chunks)..<(userCount * (chunk + 1) / chunks) {
                            let gu = out.base.baseAddress! + u * kk, hu = outH.base.baseAddress! + u * k
                            for r in ratings.ratings(ofUser: u) {
                                let row = itemRows.base.baseAddress! + Int(r.item) * k, target = r.value - mean
                                for a in 0..<k {
                                    let va = row[a]
                                    hu[a] += target * va
                                    for e in a..<k { gu[a * k + e] += va * row[e] }
                                }
                            }
                            for a in 0..<k { for e in 0..<a { gu[a * k + e] = gu[e * k + a] } }
                        }
                    }
                }
            }
        }
        let noise = rng.randn(ratings.itemCount, k)
        let prior = (lambda * Matrix(rows: k, columns: 1, elements: mu)).elements
        var p = [Double](repeating: 0, count: kk), b = [Double](repeating: 0, count: k), effective = [Double](repeating: 0, count: k)
        var failed = false
        p.withUnsafeMutableBufferPointer { p in
            b.withUnsafeMutableBufferPointer { b in
                effective.withUnsafeMutableBufferPointer { eff in
                    grams.withUnsafeBufferPointer { g in
                        h.withUnsafeBufferPointer { h in
                            users.elements.withUnsafeBufferPointer { x in
                                sums.elements.withUnsafeMutableBufferPointer { s in
                                    implicit.elements.withUnsafeMutableBufferPointer { y in
                                        noise.elements.withUnsafeBufferPointer { z in
                                            for l in 0..<ratings.itemCount {
                                                for index in 0..<kk { p[index] = lambda.elements[index] }
                                                for a in 0..<k { b[a] = prior[a] }
                                                let yl = y.baseAddress! + l * k
                                                for r in ratings.ratings(ofItem: l) {
                                                    let u = Int(r.user), c = scale[u]
                                                    let gu = g.baseAddress! + u * kk, hu = h.baseAddress! + u * k
                                                    for f in 0..<k { eff[f] = x[u * k + f] + s[u * k + f] - c * yl[f] }
                                                    let weight = alpha * c * c
                                                    for a in 0..<k {
                                                        var gx = 0.0
                                                        let row = gu + a * k, out = p.baseAddress! + a * k
                                                        for e in 0..<k {
                                                            out[e] += weight * row[e]
                                                            gx += row[e] * eff[e]
                                                        }
                                                        b[a] += alpha * c * (hu[a] - gx)
                                                    }
                                                }
                                                guard LeastSquares.choleskySolve(p.baseAddress!, b.baseAddress!, size: k, noise: z.baseAddress! + l * k) else {
                                                    failed = true
                                                    return
                                                }
                                                for r in ratings.ratings(ofItem: l) {
                                                    let u = Int(r.user), c = scale[u]
                                                    for f in 0..<k { s[u * k + f] += c * (b[f] - yl[f]) }
                                                }
                                                for f in 0..<k { yl[f] = b[f] }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if failed { throw FactorFitError.diverged(iteration: iteration) }
    }

    /// Row `a` of `x` dotted with row `b` of `y`.
    static func dotRow(_ x: Matrix, _ a: Int, _ y: Matrix, _ b: Int) -> Double {
        var s = 0.0
        for f in 0..<x.columns { s += x.elements[a * x.columns + f] * y.elements[b * y.columns + f] }
        return s
    }
}

extension Ratings {
    /// The same cells with each value replaced by `transform(user, item, value)`, without sorting again.
    func mappingValues(_ transform: (Int, Int, Double) -> Double) -> Ratings {
        Ratings(userCount: userCount, itemCount: itemCount,
                entries: entries.map { Rating(user: Int($0.user), item: Int($0.item), value: transform(Int($0.user), Int($0.item), $0.value)) },
                entriesByItem: entriesByItem.map { Rating(user: Int($0.user), item: Int($0.item), value: transform(Int($0.user), Int($0.item), $0.value)) },
                userStarts: userStarts, itemStarts: itemStarts)
    }
}
