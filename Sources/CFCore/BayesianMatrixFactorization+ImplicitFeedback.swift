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
        let sources = ratings.sourcesByItem
        let threads = configuration.threads ?? ProcessInfo.processInfo.activeProcessorCount
        var reporter = StepReporter(steps: configuration.iterations)
        for sample in 1...max(configuration.iterations, 1) {
            let (muU, lambdaU) = hyperparameters(users, beta0: configuration.beta0, rng: &rng)
            let (muV, lambdaV) = hyperparameters(items, beta0: configuration.beta0, rng: &rng)
            let (muY, lambdaY) = hyperparameters(implicit, beta0: configuration.beta0, rng: &rng)
            let (muZ, lambdaZ) = flipped ? hyperparameters(mirror, beta0: configuration.beta0, rng: &rng) : ([], Matrix(rows: 0, columns: 0))
            // u | V, S: BPMF's user step on r − s_i · w_j, with the movies' effective factors w = V + T.
            var effectiveItems = flipped ? items + mirrorSums : items
            let shifted = ratings.subtractingDots(sums, effectiveItems, sources: sources)
            users = try conditionalSingle(
                .users, shifted, fixed: effectiveItems, mean: mean, alpha: α, mu: muU, lambda: lambdaU, rng: &rng,
                threads: threads, iteration: sample)
            // v | U + S: BPMF's item step with the effective user factors (on r − (u_i + s_i) · t_j when flipped).
            var effectiveUsers = users + sums
            let itemTargets = flipped ? ratings.subtractingDots(effectiveUsers, mirrorSums, sources: sources) : ratings
            items = try conditionalSingle(
                .items, itemTargets, fixed: effectiveUsers, mean: mean, alpha: α, mu: muV, lambda: lambdaV, rng: &rng,
                threads: threads, iteration: sample)
            effectiveItems = flipped ? items + mirrorSums : items
            // y_l | everything else, one item at a time.
            try drawImplicit(
                ratings, users: users, items: effectiveItems, implicit: &implicit, sums: &sums, mean: mean, alpha: α, mu: muY,
                lambda: lambdaY, rng: &rng, threads: threads, iteration: sample)
            effectiveUsers = users + sums
            if flipped {
                // z_i | everything else: the same step with the roles of users and movies swapped.
                try drawImplicit(
                    transposed, users: items, items: effectiveUsers, implicit: &mirror, sums: &mirrorSums, mean: mean, alpha: α,
                    mu: muZ, lambda: lambdaZ, rng: &rng, threads: threads, iteration: sample)
                effectiveItems = items + mirrorSums
            }
            if sample > configuration.burnIn && configuration.keepsSamples { kept.append((effectiveUsers, effectiveItems)) }
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

    /// Draws every y_l in turn, keeping S in step. G_i, q_i and the precisions P_l are built on `threads` threads; the y's are
    /// drawn one after the other on one core (P and b as in the type's documentation, b through a running q_i). G, P and
    /// q are kept in single precision, G and q with rows padded to a multiple of 8 and P as a packed triangle padded the same
    /// way, so that every loop over them is whole `SIMD8` vectors: the work is reading the k × k matrices G_i twice per
    /// rating, so their size is the time. Each entry is
    /// summed in the same order as one entry at a time would be, with a separate multiply and add (no fused
    /// multiply-add), so the draws do not depend on the vector width. The y's, S and each solve stay in double precision.
    static func drawImplicit(
        _ ratings: Ratings, users: Matrix, items: Matrix, implicit: inout Matrix, sums: inout Matrix, mean: Double,
        alpha: Double, mu: [Double], lambda: Matrix, rng: inout RandomState, threads: Int, iteration: Int
    ) throws {
        typealias V = SIMD8<Float>
        let k = items.columns, userCount = ratings.userCount, itemCount = ratings.itemCount, chunks = 16
        // Rows padded to kp floats (a multiple of 8, zeros beyond k); G_i and P_l are kp × kp.
        let kp = (k + 7) / 8 * 8, kk = kp * kp
        let scale = (0..<userCount).map { u in ratings.ratings(ofUser: u).isEmpty ? 0 : 1 / Double(ratings.ratings(ofUser: u).count).squareRoot() }
        let padded = { (m: Matrix) -> ScratchBuffer<Float> in
            let out = ScratchBuffer<Float>(m.rows * kp)
            let rows = out.pointer
            for row in 0..<m.rows { for f in 0..<k { rows[row * kp + f] = Float(m.elements[row * k + f]) } }
            return out
        }
        let itemRows = padded(items), effective = padded(users + sums)
        // G_i (full, symmetric) and q_i = h_i − G_i (u_i + s_i) of every user, with h_i = Σ_j (r_ij − μ) v_j, on every core.
        // G_i's upper triangle (with the diagonal), packed row after row into `packedSize` floats (a multiple of 8, zeros at the
        // end): P_l sums these, so that it reads each rater's G_i as one contiguous run of under half the full matrix's size.
        // `triangle` maps an entry (a, e) of a k × k matrix to its place in the packed triangle, whichever side it is on.
        let packedSize = (k * (k + 1) / 2 + 7) / 8 * 8
        let triangle = ScratchBuffer<Int>(k * k)
        for a in 0..<k {
            for e in a..<k {
                let place = a * k - a * (a - 1) / 2 + e - a
                (triangle.pointer[a * k + e], triangle.pointer[e * k + a]) = (place, place)
            }
        }
        let grams = ScratchBuffer<Float>(uninitialized: userCount * kk), q = ScratchBuffer<Float>(uninitialized: userCount * kp)
        let packed = ScratchBuffer<Float>(userCount * packedSize)
        let shared = UncheckedSendable((grams, q, itemRows, effective, packed, triangle))
        inChunks(chunks, threads: threads) { chunk in
            let (grams, q, itemRows, effective, packed, triangle) = shared.value
            let h = ScratchBuffer<Float>(kp)
            for u in (userCount * chunk / chunks)..<(userCount * (chunk + 1) / chunks) {
                let gu = grams.pointer + u * kk
                h.pointer.update(repeating: 0, count: kp)
                let rated = ratings.ratings(ofUser: u)
                for r in rated {
                    let row = itemRows.pointer + r.item * kp, target = V(repeating: Float(r.value - mean))
                    for f in stride(from: 0, to: kp, by: 8) { store(load(h.pointer + f) + target * load(row + f), h.pointer + f) }
                }
                // Row a of G_i is Σ_j v_ja v_j, summed over the ratings in order in registers: 8 entries of four rows at a
                // time (the padding rows come out 0). G_i is symmetric ((a, e) and (e, a) are the same products in the same
                // order, equal to the bit), so only the blocks on or right of the diagonal are summed, and the rest copied.
                for a in stride(from: 0, to: kp, by: 4) {
                    for f in stride(from: a / 8 * 8, to: kp, by: 8) {
                        var s0 = V(), s1 = V(), s2 = V(), s3 = V()
                        for r in rated {
                            let row = itemRows.pointer + r.item * kp, v = load(row + f)
                            s0 += V(repeating: row[a]) * v
                            s1 += V(repeating: row[a + 1]) * v
                            s2 += V(repeating: row[a + 2]) * v
                            s3 += V(repeating: row[a + 3]) * v
                        }
                        store(s0, gu + a * kp + f)
                        store(s1, gu + (a + 1) * kp + f)
                        store(s2, gu + (a + 2) * kp + f)
                        store(s3, gu + (a + 3) * kp + f)
                    }
                }
                mirrorBelowBlocks(gu, kp)
                let pu = packed.pointer + u * packedSize
                for a in 0..<k { for e in a..<k { pu[triangle.pointer[a * k + e]] = gu[a * kp + e] } }
                // G_i x_i, column by column in order e = 0, 1, …: entry a is the sum of G_ae x_e in that order.
                let xu = effective.pointer + u * kp, qu = q.pointer + u * kp
                for f in stride(from: 0, to: kp, by: 8) {
                    var gx = V()
                    for e in 0..<k { gx += load(gu + e * kp + f) * V(repeating: xu[e]) }
                    store(load(h.pointer + f) - gx, qu + f)
                }
            }
        }
        // Each y_l's precision P_l = Λ + α Σ_{i ∋ l} c_i² G_i, its Cholesky factor, and the part of b that the draws do not
        // move, Λμ + (P_l − Λ) y_l (y_l changes only at its own draw), for every movie before any is drawn, on every core.
        let prior = (lambda * Matrix(rows: k, columns: 1, elements: mu)).elements
        let factors = ScratchBuffer<Double>(uninitialized: itemCount * k * k), fixedParts = ScratchBuffer<Double>(uninitialized: itemCount * k)
        let failures = ScratchBuffer<Int32>(chunks)
        // Each rating's weight α c_i², in the order of `ratings(ofItem:)`.
        let weights = ScratchBuffer<Float>(uninitialized: ratings.count)
        for (position, r) in ratings.entriesByItem.enumerated() { weights.pointer[position] = Float(alpha * scale[r.user] * scale[r.user]) }
        let lambdaPacked = ScratchBuffer<Float>(packedSize)
        for a in 0..<k { for e in a..<k { lambdaPacked.pointer[triangle.pointer[a * k + e]] = Float(lambda.elements[a * k + e]) } }
        let sharedPrecisions = UncheckedSendable((packed, triangle, lambdaPacked, factors, fixedParts, failures, weights))
        implicit.elements.withUnsafeBufferPointer { oldY in
            let oldY = UncheckedSendable(oldY.baseAddress!)
            inChunks(chunks, threads: threads) { chunk in
                let (packed, triangle, lambdaPacked, factors, fixedParts, failures, weights) = sharedPrecisions.value
                let first = itemCount * chunk / chunks, last = itemCount * (chunk + 1) / chunks
                let pl = UnsafeMutablePointer<Float>.allocate(capacity: packedSize)
                defer { pl.deallocate() }
                for l in first..<last {
                    // Each entry of P_l's packed triangle starts at Λ's and adds w_i G_i over the raters in order, four
                    // raters per pass (each entry's sum in the same order as one rater at a time).
                    let raters = ratings.ratings(ofItem: l), n = raters.count, w = weights.pointer + raters.startIndex
                    pl.update(from: lambdaPacked.pointer, count: packedSize)
                    func gram(_ p: Int) -> UnsafeMutablePointer<Float> { packed.pointer + raters[raters.startIndex + p].user * packedSize }
                    var p = 0
                    while p + 4 <= n {
                        let g0 = gram(p), g1 = gram(p + 1), g2 = gram(p + 2), g3 = gram(p + 3)
                        let w0 = V(repeating: w[p]), w1 = V(repeating: w[p + 1]), w2 = V(repeating: w[p + 2]), w3 = V(repeating: w[p + 3])
                        for e in stride(from: 0, to: packedSize, by: 8) {
                            var sum = load(pl + e)
                            sum += w0 * load(g0 + e)
                            sum += w1 * load(g1 + e)
                            sum += w2 * load(g2 + e)
                            sum += w3 * load(g3 + e)
                            store(sum, pl + e)
                        }
                        p += 4
                    }
                    while p < n {
                        let g = gram(p), weight = V(repeating: w[p])
                        for e in stride(from: 0, to: packedSize, by: 8) { store(load(pl + e) + weight * load(g + e), pl + e) }
                        p += 1
                    }
                    // P_l is symmetric (G_i and Λ are): entry (a, e) is the triangle's, on whichever side.
                    let yl = oldY.value + l * k, factor = factors.pointer + l * k * k, place = triangle.pointer
                    for a in 0..<k {
                        var sum = prior[a]
                        for e in 0..<k { sum += Double(pl[place[a * k + e]] - lambdaPacked.pointer[place[a * k + e]]) * yl[e] }
                        fixedParts.pointer[l * k + a] = sum
                    }
                    for a in 0..<k { for e in 0..<k { factor[a * k + e] = Double(pl[place[a * k + e]]) } }
                    if !LeastSquares.choleskyFactorInPlace(factor, size: k) { failures.pointer[chunk] = 1 }
                }
            }
        }
        guard (0..<chunks).allSatisfy({ failures.pointer[$0] == 0 }) else {
            throw TrainingError.singular(method: "Bayesian MF", side: .items, index: nil, step: iteration)
        }
        // Then the y's in turn: b = that fixed part + α Σ_{i ∋ l} c_i q_i, a draw, and every rater's s_i and q_i moved by
        // the change Δ: s_i += c_i Δ, q_i −= c_i G_i Δ.
        let noise = rng.randn(itemCount, k)
        // Scratch rows as raw pointers: the loops below run once per rating and read them without bounds checks.
        let b = UnsafeMutablePointer<Double>.allocate(capacity: k)
        let delta = UnsafeMutablePointer<Double>.allocate(capacity: k), steps = UnsafeMutablePointer<Float>.allocate(capacity: k)
        let otherSteps = UnsafeMutablePointer<Float>.allocate(capacity: k)
        let c = UnsafeMutablePointer<Double>.allocate(capacity: max(userCount, 1))
        c.initialize(from: scale, count: userCount)
        defer { for pointer in [b, delta, c] { pointer.deallocate() }; for pointer in [steps, otherSteps] { pointer.deallocate() } }
        let y = UnsafeMutablePointer<Double>.allocate(capacity: itemCount * k), s = UnsafeMutablePointer<Double>.allocate(capacity: userCount * k)
        defer {
            implicit.elements = Array(UnsafeBufferPointer(start: y, count: itemCount * k))
            sums.elements = Array(UnsafeBufferPointer(start: s, count: userCount * k))
            y.deallocate()
            s.deallocate()
        }
        y.initialize(from: implicit.elements, count: itemCount * k)
        s.initialize(from: sums.elements, count: userCount * k)
        for l in 0..<itemCount {
            let yl = y + l * k
            b.update(from: fixedParts.pointer + l * k, count: k)
            for r in ratings.ratings(ofItem: l) {
                let u = r.user, weight = alpha * c[u], qu = q.pointer + u * kp
                for a in 0..<k { b[a] += weight * Double(qu[a]) }
            }
            noise.elements.withUnsafeBufferPointer { z in
                LeastSquares.choleskySubstitute(factors.pointer + l * k * k, b, size: k, noise: z.baseAddress! + l * k)
            }
            for f in 0..<k {
                delta[f] = b[f] - yl[f]
                yl[f] = b[f]
            }
            // q_i −= c_i G_i Δ for every rater: two raters at a time, so that their chains of subtractions (one per entry
            // of q_i, over the columns of G_i in order) run side by side.
            let raters = ratings.ratings(ofItem: l)
            var p = raters.startIndex
            while p < raters.endIndex {
                let pair = p + 1 < raters.endIndex
                let u0 = raters[p].user, u1 = pair ? raters[p + 1].user : u0
                // s_i += c_i Δ, and the step c_i Δ of each rater in single precision.
                func move(_ u: Int, _ steps: UnsafeMutablePointer<Float>) {
                    let cu = c[u], su = s + u * k
                    for a in 0..<k {
                        su[a] += cu * delta[a]
                        steps[a] = Float(cu * delta[a])
                    }
                }
                move(u0, steps)
                if pair { move(u1, otherSteps) }
                let g0 = grams.pointer + u0 * kk, g1 = grams.pointer + u1 * kk, q0 = q.pointer + u0 * kp, q1 = q.pointer + u1 * kp
                for f in stride(from: 0, to: kp, by: 24) {
                    switch (min(kp - f, 24) / 8, pair) {
                    case (1, true): subtractColumns(1, k, kp, q0 + f, g0 + f, steps, q1 + f, g1 + f, otherSteps)
                    case (2, true): subtractColumns(2, k, kp, q0 + f, g0 + f, steps, q1 + f, g1 + f, otherSteps)
                    case (_, true): subtractColumns(3, k, kp, q0 + f, g0 + f, steps, q1 + f, g1 + f, otherSteps)
                    case (1, false): subtractColumns(1, k, kp, q0 + f, g0 + f, steps, nil, g0, steps)
                    case (2, false): subtractColumns(2, k, kp, q0 + f, g0 + f, steps, nil, g0, steps)
                    case (_, false): subtractColumns(3, k, kp, q0 + f, g0 + f, steps, nil, g0, steps)
                    }
                }
                p += pair ? 2 : 1
            }
        }
    }

}

/// q −= Σ_e G[e] · step[e] over the columns e = 0..<k of a symmetric kp × kp G (row e is column e), for `blocks` vectors of
/// 8 entries of q: each entry one chain of subtractions in the order of e. With a second q (`q1`, its own G and steps),
/// the two chains run interleaved; each entry's arithmetic is the same as alone.
@inline(__always) private func subtractColumns(
    _ blocks: Int, _ k: Int, _ kp: Int, _ q0: UnsafeMutablePointer<Float>, _ g0: UnsafeMutablePointer<Float>,
    _ steps0: UnsafeMutablePointer<Float>, _ q1: UnsafeMutablePointer<Float>?, _ g1: UnsafeMutablePointer<Float>,
    _ steps1: UnsafeMutablePointer<Float>
) {
    typealias V = SIMD8<Float>
    let second = q1 != nil, q1 = q1 ?? q0
    var a0 = load(q0), a1 = blocks > 1 ? load(q0 + 8) : V(), a2 = blocks > 2 ? load(q0 + 16) : V()
    var b0 = second ? load(q1) : V(), b1 = second && blocks > 1 ? load(q1 + 8) : V(), b2 = second && blocks > 2 ? load(q1 + 16) : V()
    var c0 = g0, c1 = g1
    for e in 0..<k {
        let s0 = V(repeating: steps0[e])
        a0 -= load(c0) * s0
        if blocks > 1 { a1 -= load(c0 + 8) * s0 }
        if blocks > 2 { a2 -= load(c0 + 16) * s0 }
        if second {
            let s1 = V(repeating: steps1[e])
            b0 -= load(c1) * s1
            if blocks > 1 { b1 -= load(c1 + 8) * s1 }
            if blocks > 2 { b2 -= load(c1 + 16) * s1 }
        }
        c0 += kp
        c1 += kp
    }
    store(a0, q0)
    if blocks > 1 { store(a1, q0 + 8) }
    if blocks > 2 { store(a2, q0 + 16) }
    if second {
        store(b0, q1)
        if blocks > 1 { store(b1, q1 + 8) }
        if blocks > 2 { store(b2, q1 + 16) }
    }
}

/// Fills the entries of a symmetric kp × kp matrix (row-major) left of each row's diagonal block of 8 from their mirror
/// images.
@inline(__always) private func mirrorBelowBlocks(_ m: UnsafeMutablePointer<Float>, _ kp: Int) {
    for a in 0..<kp {
        for e in 0..<(a / 8 * 8) { m[a * kp + e] = m[e * kp + a] }
    }
}

@inline(__always) private func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
@inline(__always) private func store(_ value: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD8<Float>.self)
}

extension Ratings {
    /// For each rating of `entriesByItem`, its place in `entries`: walking the ratings user by user meets each movie's
    /// raters in the order `entriesByItem` lists them.
    var sourcesByItem: [Int] {
        var next = Array(itemStarts.dropLast()), sources = [Int](repeating: 0, count: count)
        for (index, rating) in entries.enumerated() {
            sources[next[rating.item]] = index
            next[rating.item] += 1
        }
        return sources
    }

    /// The same cells with each value less row `user` of `x` dotted with row `item` of `y` (summed over the columns in
    /// order): each dot computed once, eight ratings side by side, and placed in both orders through `sources`
    /// (`sourcesByItem`).
    func subtractingDots(_ x: Matrix, _ y: Matrix, sources: [Int]) -> Ratings {
        let k = x.columns, n = count
        var byUser = entries, byItem = entriesByItem
        x.elements.withUnsafeBufferPointer { xs in
            y.elements.withUnsafeBufferPointer { ys in
                byUser.withUnsafeMutableBufferPointer { e in
                    let xp = xs.baseAddress!, yp = ys.baseAddress!
                    func rows(_ i: Int) -> (UnsafePointer<Double>, UnsafePointer<Double>) {
                        (xp + Int(e[i].userIndex) * k, yp + Int(e[i].itemIndex) * k)
                    }
                    var i = 0
                    while i + 8 <= n {
                        let (a0, b0) = rows(i), (a1, b1) = rows(i + 1), (a2, b2) = rows(i + 2), (a3, b3) = rows(i + 3)
                        let (a4, b4) = rows(i + 4), (a5, b5) = rows(i + 5), (a6, b6) = rows(i + 6), (a7, b7) = rows(i + 7)
                        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
                        for f in 0..<k {
                            s0 += a0[f] * b0[f]
                            s1 += a1[f] * b1[f]
                            s2 += a2[f] * b2[f]
                            s3 += a3[f] * b3[f]
                            s4 += a4[f] * b4[f]
                            s5 += a5[f] * b5[f]
                            s6 += a6[f] * b6[f]
                            s7 += a7[f] * b7[f]
                        }
                        e[i].value -= s0
                        e[i + 1].value -= s1
                        e[i + 2].value -= s2
                        e[i + 3].value -= s3
                        e[i + 4].value -= s4
                        e[i + 5].value -= s5
                        e[i + 6].value -= s6
                        e[i + 7].value -= s7
                        i += 8
                    }
                    while i < n {
                        let (a, b) = rows(i)
                        var sum = 0.0
                        for f in 0..<k { sum += a[f] * b[f] }
                        e[i].value -= sum
                        i += 1
                    }
                    byItem.withUnsafeMutableBufferPointer { b in
                        sources.withUnsafeBufferPointer { from in for p in 0..<n { b[p].value = e[from[p]].value } }
                    }
                }
            }
        }
        return Ratings(userCount: userCount, itemCount: itemCount, entries: byUser, entriesByItem: byItem, userStarts: userStarts, itemStarts: itemStarts)
    }

    /// The same cells with each value replaced by `transform(user, item, value)`, without sorting again.
    func mappingValues(_ transform: (Int, Int, Double) -> Double) -> Ratings {
        Ratings(
            userCount: userCount, itemCount: itemCount,
            entries: entries.map { Rating(user: $0.user, item: $0.item, value: transform($0.user, $0.item, $0.value)) },
            entriesByItem: entriesByItem.map { Rating(user: $0.user, item: $0.item, value: transform($0.user, $0.item, $0.value)) },
            userStarts: userStarts, itemStarts: itemStarts)
    }
}
