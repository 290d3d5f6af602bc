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
///
/// With `Configuration.flipped` the movies get the mirror term: w_j = v_j + t_j, t_j = |R(j)|^-½ Σ_{i ∈ R(j)} z_i over
/// the users R(j) who rated movie j. The u, v and y steps then see w in place of v, and the z's are drawn by the y step
/// run on the transposed ratings (users and movies swapped); kept samples are (U + S, V + T).
extension BayesianMatrixFactorization {
    /// Runs the sampler with the implicit-feedback term, from small random U and V and Y = 0 (`train` with
    /// `implicitFeedback` on).
    static func trainWithImplicitFeedback(_ ratings: Ratings, _ configuration: Configuration, onStep: TrainingCallback<FactorModel>) throws -> Result {
        let k = configuration.factors
        var α = configuration.alpha
        var rng = RandomState(seed: configuration.seed)
        let mean = ratings.mean
        var users = 0.1 * rng.randn(ratings.userCount, k), items = 0.1 * rng.randn(ratings.itemCount, k)
        var implicit = Matrix(rows: ratings.itemCount, columns: k)
        var sums = implicitSums(ratings, implicit)
        // The mirror term of the movies (flipped): Z, one row per user, and T, one row per movie.
        let flipped = configuration.flipped, transposed = flipped ? ratings.transposed : ratings
        var mirror = Matrix(rows: flipped ? ratings.userCount : 0, columns: k)
        var mirrorSums = Matrix(rows: ratings.itemCount, columns: k)
        var kept = [(users: Matrix, items: Matrix)](), alphas = [Double]()
        let threads = configuration.threads ?? ProcessInfo.processInfo.activeProcessorCount
        var reporter = StepReporter(steps: configuration.iterations)
        for sample in 1...max(configuration.iterations, 1) {
            let (muU, lambdaU) = hyperparameters(users, beta0: configuration.beta0, rng: &rng)
            let (muV, lambdaV) = hyperparameters(items, beta0: configuration.beta0, rng: &rng)
            let (muY, lambdaY) = hyperparameters(implicit, beta0: configuration.beta0, rng: &rng)
            let (muZ, lambdaZ) = flipped ? hyperparameters(mirror, beta0: configuration.beta0, rng: &rng) : ([], Matrix(rows: 0, columns: 0))
            // u | V, S: BPMF's user step on r − s_i · w_j, with the movies' effective factors w = V + T.
            var effectiveItems = flipped ? items + mirrorSums : items
            let shifted = ratings.mappingValues { user, item, value in value - dotRow(sums, user, effectiveItems, item) }
            users = try conditionalSingle(
                .users, shifted, fixed: effectiveItems, mean: mean, alpha: α, mu: muU, lambda: lambdaU, rng: &rng,
                threads: threads, iteration: sample)
            // v | U + S: BPMF's item step with the effective user factors (on r − (u_i + s_i) · t_j when flipped).
            var effectiveUsers = users + sums
            let itemTargets = flipped ? ratings.mappingValues { user, item, value in value - dotRow(effectiveUsers, user, mirrorSums, item) } : ratings
            items = try conditionalSingle(
                .items, itemTargets, fixed: effectiveUsers, mean: mean, alpha: α, mu: muV, lambda: lambdaV, rng: &rng,
                threads: threads, iteration: sample)
            effectiveItems = flipped ? items + mirrorSums : items
            // y_l | everything else, one item at a time.
            try drawImplicit(
                ratings, users: users, items: effectiveItems, implicit: &implicit, sums: &sums, mean: mean, alpha: α, mu: muY,
                lambda: lambdaY, rng: &rng, iteration: sample)
            effectiveUsers = users + sums
            if flipped {
                // z_i | everything else: the same step with the roles of users and movies swapped.
                try drawImplicit(
                    transposed, users: items, items: effectiveUsers, implicit: &mirror, sums: &mirrorSums, mean: mean, alpha: α,
                    mu: muZ, lambda: lambdaZ, rng: &rng, iteration: sample)
                effectiveItems = items + mirrorSums
            }
            if sample > configuration.burnIn { kept.append((effectiveUsers, effectiveItems)) }
            alphas.append(α)
            let (u, v) = (effectiveUsers, effectiveItems)
            let stop = try reporter.finish(
                step: sample, loss: nil, finite: { allFinite(u.elements) && allFinite(v.elements) },
                diverged: TrainingError.diverged(method: "Bayesian MF (SVD++)", stepName: "sweep", step: sample),
                model: { FactorModel(userFactors: u, itemFactors: v, globalMean: mean) }, onStep)
            if stop { break }
            if configuration.samplesNoise { α = noisePrecision(ratings, users: effectiveUsers, items: effectiveItems, mean: mean, rng: &rng) }
        }
        return Result(globalMean: mean, samples: kept, alphas: alphas)
    }

    /// S: row i is |N(i)|^-½ Σ_{l ∈ N(i)} y_l.
    static func implicitSums(_ ratings: Ratings, _ implicit: Matrix) -> Matrix {
        let k = implicit.columns
        var sums = Matrix(rows: ratings.userCount, columns: k)
        for u in 0..<ratings.userCount {
            let rated = ratings.ratings(ofUser: u)
            guard !rated.isEmpty else { continue }
            let c = 1 / Double(rated.count).squareRoot()
            for r in rated { for f in 0..<k { sums.elements[u * k + f] += c * implicit.elements[r.item * k + f] } }
        }
        return sums
    }

    /// Draws every y_l in turn, keeping S in step. G_i, q_i and the precisions P_l are built on every core; the y's are
    /// drawn one after the other on one core (P and b as in the type's documentation, b through a running q_i). G, P and
    /// q are kept in single precision, in loops over raw pointers that the compiler vectorizes: the work is reading the
    /// k × k matrices G_i once per rating, so their size is the time. The y's, S and each solve stay in double precision.
    static func drawImplicit(
        _ ratings: Ratings, users: Matrix, items: Matrix, implicit: inout Matrix, sums: inout Matrix, mean: Double,
        alpha: Double, mu: [Double], lambda: Matrix, rng: inout RandomState, iteration: Int
    ) throws {
        let k = items.columns, kk = k * k, userCount = ratings.userCount, itemCount = ratings.itemCount, chunks = 16
        let scale = (0..<userCount).map { u in ratings.ratings(ofUser: u).isEmpty ? 0 : 1 / Double(ratings.ratings(ofUser: u).count).squareRoot() }
        let itemRows = items.elements.map(Float.init), effective = (users + sums).elements.map(Float.init)
        let lambdaRows = lambda.elements.map(Float.init)
        // G_i (full, symmetric) and q_i = h_i − G_i (u_i + s_i) of every user, with h_i = Σ_j (r_ij − μ) v_j, on every core.
        var grams = [Float](repeating: 0, count: userCount * kk), q = [Float](repeating: 0, count: userCount * k)
        grams.withUnsafeMutableBufferPointer { g in
            q.withUnsafeMutableBufferPointer { qb in
                itemRows.withUnsafeBufferPointer { v in
                    effective.withUnsafeBufferPointer { x in
                        let outG = SharedSlots(g), outQ = SharedSlots(qb), rows = ReadOnly(v), xRows = ReadOnly(x)
                        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                            var h = [Float](repeating: 0, count: k)
                            h.withUnsafeMutableBufferPointer { h in
                                let h = h.baseAddress!
                                for u in (userCount * chunk / chunks)..<(userCount * (chunk + 1) / chunks) {
                                    let gu = outG.base.baseAddress! + u * kk
                                    h.update(repeating: 0, count: k)
                                    for r in ratings.ratings(ofUser: u) {
                                        let row = rows.base.baseAddress! + r.item * k, target = Float(r.value - mean)
                                        for a in 0..<k {
                                            let va = row[a], ga = gu + a * k
                                            h[a] += target * va
                                            for e in a..<k { ga[e] += va * row[e] }
                                        }
                                    }
                                    for a in 0..<k { for e in 0..<a { gu[a * k + e] = gu[e * k + a] } }
                                    let qu = outQ.base.baseAddress! + u * k, xu = xRows.base.baseAddress! + u * k
                                    for a in 0..<k {
                                        let ga = gu + a * k
                                        var gx: Float = 0
                                        for e in 0..<k { gx += ga[e] * xu[e] }
                                        qu[a] = h[a] - gx
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Each y_l's precision P_l = Λ + α Σ_{i ∋ l} c_i² G_i, which does not change while the y's are drawn, on every core.
        var precisions = [Float](repeating: 0, count: itemCount * kk)
        precisions.withUnsafeMutableBufferPointer { pb in
            grams.withUnsafeBufferPointer { g in
                lambdaRows.withUnsafeBufferPointer { lb in
                    let outP = SharedSlots(pb), gramRows = ReadOnly(g), prior = ReadOnly(lb)
                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                        for l in (itemCount * chunk / chunks)..<(itemCount * (chunk + 1) / chunks) {
                            let out = outP.base.baseAddress! + l * kk
                            out.update(from: prior.base.baseAddress!, count: kk)
                            for r in ratings.ratings(ofItem: l) {
                                let u = r.user, weight = Float(alpha * scale[u] * scale[u]), gu = gramRows.base.baseAddress! + u * kk
                                for index in 0..<kk { out[index] += weight * gu[index] }
                            }
                        }
                    }
                }
            }
        }
        // Then the y's in turn: b = Λμ + (P_l − Λ) y_l (the old y_l) + α Σ_{i ∋ l} c_i q_i, a draw, and every rater's s_i
        // and q_i moved by the change Δ: s_i += c_i Δ, q_i −= c_i G_i Δ.
        let noise = rng.randn(itemCount, k)
        let prior = (lambda * Matrix(rows: k, columns: 1, elements: mu)).elements
        var p = [Double](repeating: 0, count: kk), b = [Double](repeating: 0, count: k), change = [Double](repeating: 0, count: k)
        var failed = false
        p.withUnsafeMutableBufferPointer { p in
            b.withUnsafeMutableBufferPointer { b in
                change.withUnsafeMutableBufferPointer { delta in
                    grams.withUnsafeBufferPointer { g in
                        precisions.withUnsafeBufferPointer { precision in
                            lambdaRows.withUnsafeBufferPointer { lb in
                                q.withUnsafeMutableBufferPointer { q in
                                    sums.elements.withUnsafeMutableBufferPointer { s in
                                        implicit.elements.withUnsafeMutableBufferPointer { y in
                                            noise.elements.withUnsafeBufferPointer { z in
                                                for l in 0..<itemCount {
                                                    let yl = y.baseAddress! + l * k, pl = precision.baseAddress! + l * kk
                                                    for a in 0..<k {
                                                        var sum = prior[a]
                                                        for e in 0..<k { sum += Double(pl[a * k + e] - lb[a * k + e]) * yl[e] }
                                                        b[a] = sum
                                                    }
                                                    for r in ratings.ratings(ofItem: l) {
                                                        let u = r.user, weight = alpha * scale[u], qu = q.baseAddress! + u * k
                                                        for a in 0..<k { b[a] += weight * Double(qu[a]) }
                                                    }
                                                    for index in 0..<kk { p[index] = Double(pl[index]) }
                                                    guard LeastSquares.choleskySolve(p.baseAddress!, b.baseAddress!, size: k, noise: z.baseAddress! + l * k)
                                                    else {
                                                        failed = true
                                                        return
                                                    }
                                                    for f in 0..<k { delta[f] = b[f] - yl[f]; yl[f] = b[f] }
                                                    for r in ratings.ratings(ofItem: l) {
                                                        let u = r.user, c = scale[u], gu = g.baseAddress! + u * kk
                                                        let su = s.baseAddress! + u * k, qu = q.baseAddress! + u * k
                                                        for a in 0..<k { su[a] += c * delta[a] }
                                                        // q_i −= c G_i Δ, column by column (G_i is symmetric): no running sum to wait on.
                                                        for e in 0..<k {
                                                            let step = Float(c * delta[e]), column = gu + e * k
                                                            for a in 0..<k { qu[a] -= column[a] * step }
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
                }
            }
        }
        if failed { throw TrainingError.singular(method: "Bayesian MF", side: .items, index: nil, step: iteration) }
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
        Ratings(
            userCount: userCount, itemCount: itemCount,
            entries: entries.map { Rating(user: $0.user, item: $0.item, value: transform($0.user, $0.item, $0.value)) },
            entriesByItem: entriesByItem.map { Rating(user: $0.user, item: $0.item, value: transform($0.user, $0.item, $0.value)) },
            userStarts: userStarts, itemStarts: itemStarts)
    }
}
