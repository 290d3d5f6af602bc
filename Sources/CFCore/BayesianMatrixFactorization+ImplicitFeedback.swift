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
        let positions = ratings.positionsByItem
        let threads = configuration.threads ?? ProcessInfo.processInfo.activeProcessorCount
        var reporter = StepReporter(steps: configuration.iterations)
        for sample in 1...max(configuration.iterations, 1) {
            let (muU, lambdaU) = hyperparameters(users, beta0: configuration.beta0, rng: &rng)
            let (muV, lambdaV) = hyperparameters(items, beta0: configuration.beta0, rng: &rng)
            let (muY, lambdaY) = hyperparameters(implicit, beta0: configuration.beta0, rng: &rng)
            let (muZ, lambdaZ) = flipped ? hyperparameters(mirror, beta0: configuration.beta0, rng: &rng) : ([], Matrix(rows: 0, columns: 0))
            // u | V, S: BPMF's user step on r − s_i · w_j, with the movies' effective factors w = V + T.
            var effectiveItems = flipped ? items + mirrorSums : items
            let shifted = ratings.subtractingDots(sums, effectiveItems, positions: positions)
            users = try conditionalSingle(
                .users, shifted, fixed: effectiveItems, mean: mean, alpha: α, mu: muU, lambda: lambdaU, rng: &rng,
                threads: threads, iteration: sample)
            // v | U + S: BPMF's item step with the effective user factors (on r − (u_i + s_i) · t_j when flipped).
            var effectiveUsers = users + sums
            let itemTargets = flipped ? ratings.subtractingDots(effectiveUsers, mirrorSums, positions: positions) : ratings
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

    /// Draws every y_l in turn, keeping S in step. G_i, q_i and the precisions P_l are built on `threads` threads; the y's are
    /// drawn one after the other on one core (P and b as in the type's documentation, b through a running q_i). G, P and
    /// q are kept in single precision, with rows padded to a multiple of 8 so that every loop over them is whole `SIMD8`
    /// vectors: the work is reading the k × k matrices G_i once per rating, so their size is the time. Each entry is
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
        let lambdaRows = ScratchBuffer<Float>(kk)
        let lambdaP = lambdaRows.pointer
        for a in 0..<k { for e in 0..<k { lambdaP[a * kp + e] = Float(lambda.elements[a * k + e]) } }
        // G_i (full, symmetric) and q_i = h_i − G_i (u_i + s_i) of every user, with h_i = Σ_j (r_ij − μ) v_j, on every core.
        let grams = ScratchBuffer<Float>(userCount * kk), q = ScratchBuffer<Float>(userCount * kp)
        let shared = UncheckedSendable((grams, q, itemRows, effective))
        inChunks(chunks, threads: threads) { chunk in
            let (grams, q, itemRows, effective) = shared.value
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
        let factors = ScratchBuffer<Double>(itemCount * k * k), fixedParts = ScratchBuffer<Double>(itemCount * k)
        let failures = ScratchBuffer<Int32>(chunks)
        // Each rating's weight α c_i², in the order of `ratings(ofItem:)`.
        let weights = ScratchBuffer<Float>(ratings.count)
        for (position, r) in ratings.entriesByItem.enumerated() { weights.pointer[position] = Float(alpha * scale[r.user] * scale[r.user]) }
        let sharedPrecisions = UncheckedSendable((grams, lambdaRows, factors, fixedParts, failures, weights))
        implicit.elements.withUnsafeBufferPointer { oldY in
            let oldY = UncheckedSendable(oldY.baseAddress!)
            inChunks(chunks, threads: threads) { chunk in
                let (grams, lambdaRows, factors, fixedParts, failures, weights) = sharedPrecisions.value
                let first = itemCount * chunk / chunks, last = itemCount * (chunk + 1) / chunks
                let block = UnsafeMutablePointer<Float>.allocate(capacity: max(last - first, 1) * kk)
                defer { block.deallocate() }
                for l in first..<last {
                    let out = block + (l - first) * kk, raters = ratings.ratings(ofItem: l)
                    let w = weights.pointer + raters.startIndex
                    // Four rows and up to 24 columns at a time, from the rows' diagonal block on: twelve vectors, each summed
                    // over the raters in order in a register (the blocks left of the diagonal are copied below; P_l is
                    // symmetric as G_i and Λ are). Rows past k are padding: summed like the others, never read.
                    for a in stride(from: 0, to: k, by: 4) {
                        var f = a / 8 * 8
                        while f < kp {
                            let blocks = min(kp - f, 24) / 8, at = a * kp + f
                            let lambdaAt = lambdaRows.pointer + at
                            func start(_ row: Int, _ b: Int) -> V { b < blocks ? load(lambdaAt + row * kp + 8 * b) : V() }
                            var s00 = start(0, 0), s01 = start(0, 1), s02 = start(0, 2)
                            var s10 = start(1, 0), s11 = start(1, 1), s12 = start(1, 2)
                            var s20 = start(2, 0), s21 = start(2, 1), s22 = start(2, 2)
                            var s30 = start(3, 0), s31 = start(3, 1), s32 = start(3, 2)
                            for (position, r) in raters.enumerated() {
                                let weight = V(repeating: w[position]), g = grams.pointer + r.user * kk + at
                                s00 += weight * load(g)
                                s10 += weight * load(g + kp)
                                s20 += weight * load(g + 2 * kp)
                                s30 += weight * load(g + 3 * kp)
                                if blocks > 1 {
                                    s01 += weight * load(g + 8)
                                    s11 += weight * load(g + kp + 8)
                                    s21 += weight * load(g + 2 * kp + 8)
                                    s31 += weight * load(g + 3 * kp + 8)
                                }
                                if blocks > 2 {
                                    s02 += weight * load(g + 16)
                                    s12 += weight * load(g + kp + 16)
                                    s22 += weight * load(g + 2 * kp + 16)
                                    s32 += weight * load(g + 3 * kp + 16)
                                }
                            }
                            func put(_ row: Int, _ s0: V, _ s1: V, _ s2: V) {
                                let o = out + at + row * kp
                                store(s0, o)
                                if blocks > 1 { store(s1, o + 8) }
                                if blocks > 2 { store(s2, o + 16) }
                            }
                            put(0, s00, s01, s02)
                            put(1, s10, s11, s12)
                            put(2, s20, s21, s22)
                            put(3, s30, s31, s32)
                            f += 8 * blocks
                        }
                    }
                }
                for l in first..<last {
                    let pl = block + (l - first) * kk, yl = oldY.value + l * k, factor = factors.pointer + l * k * k
                    mirrorBelowBlocks(pl, kp, rows: k)
                    for a in 0..<k {
                        var sum = prior[a]
                        for e in 0..<k { sum += Double(pl[a * kp + e] - lambdaRows.pointer[a * kp + e]) * yl[e] }
                        fixedParts.pointer[l * k + a] = sum
                    }
                    for a in 0..<k { for e in 0..<k { factor[a * k + e] = Double(pl[a * kp + e]) } }
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
        let c = UnsafeMutablePointer<Double>.allocate(capacity: max(userCount, 1))
        c.initialize(from: scale, count: userCount)
        defer { for pointer in [b, delta, c] { pointer.deallocate() }; steps.deallocate() }
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
            for r in ratings.ratings(ofItem: l) {
                let u = r.user, cu = c[u], gu = grams.pointer + u * kk, qu = q.pointer + u * kp, su = s + u * k
                for a in 0..<k {
                    su[a] += cu * delta[a]
                    steps[a] = Float(cu * delta[a])
                }
                // q_i −= c G_i Δ, column by column (G_i is symmetric), up to 32 entries of q_i at a time held in registers
                // so that their chains of subtractions run side by side.
                var f = 0
                while f < kp {
                    let width = min(kp - f, 32)
                    var q0 = load(qu + f), q1 = width > 8 ? load(qu + f + 8) : V()
                    var q2 = width > 16 ? load(qu + f + 16) : V(), q3 = width > 24 ? load(qu + f + 24) : V()
                    for e in 0..<k {
                        let step = V(repeating: steps[e]), column = gu + e * kp + f
                        q0 -= load(column) * step
                        if width > 8 { q1 -= load(column + 8) * step }
                        if width > 16 { q2 -= load(column + 16) * step }
                        if width > 24 { q3 -= load(column + 24) * step }
                    }
                    store(q0, qu + f)
                    if width > 8 { store(q1, qu + f + 8) }
                    if width > 16 { store(q2, qu + f + 16) }
                    if width > 24 { store(q3, qu + f + 24) }
                    f += width
                }
            }
        }
    }

}

/// Fills the entries of a symmetric kp × kp matrix (row-major) left of each row's diagonal block of 8 from their mirror
/// images, for the first `rows` rows (all by default).
@inline(__always) private func mirrorBelowBlocks(_ m: UnsafeMutablePointer<Float>, _ kp: Int, rows: Int? = nil) {
    for a in 0..<(rows ?? kp) {
        for e in 0..<(a / 8 * 8) { m[a * kp + e] = m[e * kp + a] }
    }
}

@inline(__always) private func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
@inline(__always) private func store(_ value: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD8<Float>.self)
}

extension Ratings {
    /// For each rating of `entries`, its place in `entriesByItem`: walking the ratings user by user meets each movie's
    /// raters in the order `entriesByItem` lists them.
    var positionsByItem: [Int] {
        var next = Array(itemStarts.dropLast()), positions = [Int](repeating: 0, count: count)
        for (index, rating) in entries.enumerated() {
            positions[index] = next[rating.item]
            next[rating.item] += 1
        }
        return positions
    }

    /// The same cells with each value less row `user` of `x` dotted with row `item` of `y` (summed over the columns in
    /// order): each dot computed once, four ratings side by side, and placed in both orders through `positions`
    /// (`positionsByItem`).
    func subtractingDots(_ x: Matrix, _ y: Matrix, positions: [Int]) -> Ratings {
        let k = x.columns, n = count
        var values = [Double](repeating: 0, count: n)
        x.elements.withUnsafeBufferPointer { xs in
            y.elements.withUnsafeBufferPointer { ys in
                entries.withUnsafeBufferPointer { e in
                    values.withUnsafeMutableBufferPointer { out in
                        let xp = xs.baseAddress!, yp = ys.baseAddress!
                        func rows(_ i: Int) -> (UnsafePointer<Double>, UnsafePointer<Double>) {
                            (xp + Int(e[i].userIndex) * k, yp + Int(e[i].itemIndex) * k)
                        }
                        var i = 0
                        while i + 4 <= n {
                            let (a0, b0) = rows(i), (a1, b1) = rows(i + 1), (a2, b2) = rows(i + 2), (a3, b3) = rows(i + 3)
                            var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                            for f in 0..<k {
                                s0 += a0[f] * b0[f]
                                s1 += a1[f] * b1[f]
                                s2 += a2[f] * b2[f]
                                s3 += a3[f] * b3[f]
                            }
                            out[i] = e[i].value - s0
                            out[i + 1] = e[i + 1].value - s1
                            out[i + 2] = e[i + 2].value - s2
                            out[i + 3] = e[i + 3].value - s3
                            i += 4
                        }
                        while i < n {
                            let (a, b) = rows(i)
                            var sum = 0.0
                            for f in 0..<k { sum += a[f] * b[f] }
                            out[i] = e[i].value - sum
                            i += 1
                        }
                    }
                }
            }
        }
        var byUser = entries, byItem = entriesByItem
        for index in 0..<n {
            byUser[index].value = values[index]
            byItem[positions[index]].value = values[index]
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
