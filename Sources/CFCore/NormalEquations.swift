import Dispatch
import Foundation

/// The normal equations of ALS, built and solved fast: for each row, the ratings' vectors of the fixed side are
/// gathered into one contiguous block X (m × stride), XᵀX is accumulated four rows at a time with 8-wide SIMD
/// (upper triangle only), and the (k + 1)-unknown system is solved in place by a Cholesky
/// factorization whose row updates are SIMD too. Rows are split over the threads in chunks of about equal
/// numbers of ratings (users' rating counts are very uneven), and nothing is allocated per row.
enum NormalEquations {
    /// What turns a row's solve into a draw from its Gaussian conditional (Bayesian matrix factorization): the
    /// system becomes P = Λ + α XᵀX with right-hand side α Xᵀ(r − μ) + Λμ₀, and the row is P⁻¹b + U⁻¹z with P = UᵀU
    /// and z its slice of `noise` (rows × k). Rows without ratings are drawn from the prior alone.
    struct Draw {
        /// The observation precision α.
        let alpha: Float
        /// The prior's precision Λ (k × k) and Λμ₀ (k).
        let precision: [Float], shift: [Float]
        /// Standard normal noise, one row of k per row solved.
        let noise: [Float]
        /// The sweep, for the error message.
        let iteration: Int
    }

    /// Solves every row of `side` in place in `own`, holding `fixed` (the other side) constant; with `draw`, draws each
    /// row from its Gaussian conditional instead (unbiased factors only).
    ///
    /// - Throws: `TrainingError.underdetermined` for the first row whose system is not positive definite
    ///   (`.diverged` when drawing).
    static func solve(
        _ side: Side, _ ratings: Ratings, own: inout PackedFactors, fixed: PackedFactors, mean: Float,
        lambda: Double, weighted: Bool, threads: Int, draw: Draw? = nil
    ) throws {
        require(draw == nil || !fixed.biased, "draws are for unbiased factors")
        let count = own.rows, stride = fixed.stride, k = fixed.k, biased = fixed.biased
        let n = biased ? k + 1 : k
        let starts = side == .users ? ratings.userStarts : ratings.itemStarts
        let chunks = chunkBounds(starts, rows: count, chunks: threads == 1 ? 1 : threads * 16)
        var failures = [TrainingError?](repeating: nil, count: chunks.count - 1)
        let longest = (0..<count).reduce(0) { max($0, starts[$1 + 1] - starts[$1]) }
        let entries = side == .users ? ratings.entries : ratings.entriesByItem
        // A draw's prior precision Λ in rows of `stride`, zeros past column k.
        let priorRows = UnsafeMutablePointer<Float>.allocate(capacity: max(k * stride, 1))
        defer { priorRows.deallocate() }
        priorRows.initialize(repeating: 0, count: max(k * stride, 1))
        if let draw { for a in 0..<k { for b in 0..<k { priorRows[a * stride + b] = draw.precision[a * k + b] } } }
        let paddedPrior = ReadOnly(UnsafeBufferPointer(start: priorRows, count: k * stride))
        own.values.withUnsafeMutableBufferPointer { ownValues in
            own.bias.withUnsafeMutableBufferPointer { ownBias in
                fixed.values.withUnsafeBufferPointer { fixedValues in
                    fixed.bias.withUnsafeBufferPointer { fixedBias in
                        entries.withUnsafeBufferPointer { list in
                            failures.withUnsafeMutableBufferPointer { failed in
                                let out = SharedSlots(ownValues), outBias = SharedSlots(ownBias), failure = SharedSlots(failed)
                                let ratingList = ReadOnly(list), fixedRows = ReadOnly(fixedValues), fixedBiases = ReadOnly(fixedBias)
                                let work: @Sendable (Int) -> Void = { chunk in
                                    let list = ratingList.base, fixedValues = fixedRows.base, fixedBias = fixedBiases.base
                                    let x = UnsafeMutablePointer<Float>.allocate(capacity: max(longest, 1) * stride)
                                    let targets = UnsafeMutablePointer<Float>.allocate(capacity: max(longest, 1))
                                    let gram = UnsafeMutablePointer<Float>.allocate(capacity: stride * stride)
                                    let rhs = UnsafeMutablePointer<Float>.allocate(capacity: stride)
                                    let dual = UnsafeMutablePointer<Float>.allocate(capacity: stride)
                                    let xT = UnsafeMutablePointer<Float>.allocate(capacity: stride * stride)  // n × m, m < n ≤ stride
                                    let z = UnsafeMutablePointer<Float>.allocate(capacity: stride)
                                    defer {
                                        x.deallocate(); targets.deallocate(); gram.deallocate(); rhs.deallocate(); dual.deallocate(); xT.deallocate();
                                        z.deallocate()
                                    }
                                    for row in chunks[chunk]..<chunks[chunk + 1] {
                                        let first = starts[row], m = starts[row + 1] - first
                                        let result = out.base.baseAddress! + row * stride
                                        if m == 0 && draw == nil {  // nothing to fit: zero factors and bias
                                            for f in 0..<k { result[f] = 0 }
                                            if biased { outBias.base[row] = 0 }
                                            continue
                                        }
                                        // Gather the fixed side's rows and the targets.
                                        for j in 0..<m {
                                            let r = list[first + j]
                                            let other = side == .users ? r.item : r.user
                                            (x + j * stride).update(from: fixedValues.baseAddress! + other * stride, count: stride)
                                            targets[j] =
                                                draw.map { $0.alpha * (Float(r.value) - mean) }
                                                ?? (biased ? Float(r.value) - mean - fixedBias[other] : Float(r.value))
                                        }
                                        let ridge = Float(lambda * (weighted ? Double(m) : 1))
                                        let solved: Bool
                                        if let draw {
                                            // P = Λ + α XᵀX (upper triangle; zero past column k), b = α Xᵀ(r − μ) + Λμ₀.
                                            gram.update(repeating: 0, count: stride * stride)
                                            rhs.update(repeating: 0, count: stride)
                                            if m > 0 {
                                                gramUpper(x, rows: m, n: k, stride: stride, into: gram)
                                                rightHandSide(x, targets, rows: m, stride: stride, into: rhs)
                                            }
                                            // Eight columns at a time from the diagonal's block (entries left of the diagonal
                                            // are scratch); the prior's rows are padded with zeros past column k.
                                            let alpha = SIMD8<Float>(repeating: draw.alpha)
                                            for a in 0..<k {
                                                var b = a / 8 * 8
                                                while b < stride {
                                                    let at = UnsafeMutableRawPointer(gram + a * stride + b)
                                                    let prior = UnsafeRawPointer(paddedPrior.base.baseAddress! + a * stride + b)
                                                    at.storeBytes(
                                                        of: alpha * at.loadUnaligned(as: SIMD8<Float>.self) + prior.loadUnaligned(as: SIMD8<Float>.self),
                                                        as: SIMD8<Float>.self)
                                                    b += 8
                                                }
                                                rhs[a] += draw.shift[a]
                                                z[a] = draw.noise[row * k + a]
                                            }
                                            solved = choleskySolve(gram, rhs, n: k, stride: stride, noise: z)
                                        } else if ridge > 0 && m < n {
                                            // Fewer ratings than unknowns: solve the m × m dual system instead,
                                            // w = Xᵀ (X Xᵀ + ridge I)⁻¹ t, the same w as (XᵀX + ridge I)⁻¹ Xᵀ t.
                                            // X Xᵀ is the Gram matrix of Xᵀ's rows: transpose X (n × m, padded with
                                            // zero columns), and the same kernel builds its upper triangle.
                                            let mStride = (m + 7) / 8 * 8
                                            for f in 0..<n {
                                                let column = xT + f * mStride
                                                for j in 0..<m { column[j] = x[j * stride + f] }
                                                for j in m..<mStride { column[j] = 0 }
                                            }
                                            gramUpper(xT, rows: n, n: m, stride: mStride, into: gram)
                                            for i in 0..<m {
                                                gram[i * mStride + i] += ridge
                                                dual[i] = targets[i]
                                            }
                                            for i in m..<mStride { dual[i] = 0 }
                                            solved = choleskySolve(gram, dual, n: m, stride: mStride)
                                            if solved { rightHandSide(x, dual, rows: m, stride: stride, into: rhs) }
                                        } else {
                                            gramUpper(x, rows: m, n: n, stride: stride, into: gram)
                                            rightHandSide(x, targets, rows: m, stride: stride, into: rhs)
                                            for a in 0..<n { gram[a * stride + a] += ridge }
                                            solved = choleskySolve(gram, rhs, n: n, stride: stride)
                                        }
                                        guard solved else {
                                            failure.base[chunk] =
                                                draw.map { .singular(method: "Bayesian MF", side: side, index: row, step: $0.iteration) }
                                                ?? .underdetermined(side: side, index: row, ratings: m, factors: n)
                                            return
                                        }
                                        for f in 0..<k { result[f] = rhs[f] }
                                        if biased { outBias.base[row] = rhs[k] }
                                    }
                                }
                                if chunks.count == 2 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks.count - 1, execute: work) }
                            }
                        }
                    }
                }
            }
        }
        if let first = failures.compactMap({ $0 }).first { throw first }
    }

    /// Row boundaries of `chunks` chunks holding about equal numbers of ratings (`starts` are the rows' offsets).
    static func chunkBounds(_ starts: [Int], rows: Int, chunks: Int) -> [Int] {
        let total = starts[rows]
        var bounds = [0], row = 0
        for c in 1..<max(chunks, 1) {
            let goal = total * c / chunks
            while row < rows && starts[row] < goal { row += 1 }
            if row > bounds[bounds.count - 1] && row < rows { bounds.append(row) }
        }
        bounds.append(rows)
        return bounds
    }

    /// The upper triangle (by blocks of 8 columns) of XᵀX for the first `n` columns: four rows of the result at a
    /// time, each a SIMD accumulator per 8 columns, summed over the m rows of X.
    @inline(never)
    static func gramUpper(_ x: UnsafeMutablePointer<Float>, rows m: Int, n: Int, stride: Int, into gram: UnsafeMutablePointer<Float>) {
        let step = stride * MemoryLayout<Float>.stride
        // Rows of X in panels that stay in the L1 cache while every tile of the result passes over them.
        let panel = max(8, 24_576 / step)
        var first = 0
        while first < m {
            let count = min(panel, m - first), fresh = first == 0
            let base = x + first * stride
            var a0 = 0
            while a0 < n {
                var block = a0 / 8 * 8
                while block < stride {
                    let out = UnsafeMutableRawPointer(gram + a0 * stride + block)
                    var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
                    if !fresh {
                        s0 = out.loadUnaligned(as: SIMD8<Float>.self)
                        s1 = (out + step).loadUnaligned(as: SIMD8<Float>.self)
                        s2 = (out + 2 * step).loadUnaligned(as: SIMD8<Float>.self)
                        s3 = (out + 3 * step).loadUnaligned(as: SIMD8<Float>.self)
                    }
                    // Pointer steps, not index arithmetic: nothing to overflow-check in the innermost loop.
                    var left = UnsafeRawPointer(base + a0), right = UnsafeRawPointer(base + block)
                    for _ in 0..<count {
                        let v = right.loadUnaligned(as: SIMD8<Float>.self)
                        let a = left.loadUnaligned(as: SIMD4<Float>.self)
                        #if CF_FMA  // fused multiply-adds: only for a build for a CPU that has them (`make bench-native`)
                            s0.addProduct(SIMD8(repeating: a[0]), v)
                            s1.addProduct(SIMD8(repeating: a[1]), v)
                            s2.addProduct(SIMD8(repeating: a[2]), v)
                            s3.addProduct(SIMD8(repeating: a[3]), v)
                        #else
                            s0 += SIMD8(repeating: a[0]) * v
                            s1 += SIMD8(repeating: a[1]) * v
                            s2 += SIMD8(repeating: a[2]) * v
                            s3 += SIMD8(repeating: a[3]) * v
                        #endif
                        left += step
                        right += step
                    }
                    // a0 is a multiple of 4 below n ≤ stride, a multiple of 8, so rows a0...a0 + 3 all exist.
                    out.storeBytes(of: s0, as: SIMD8<Float>.self)
                    (out + step).storeBytes(of: s1, as: SIMD8<Float>.self)
                    (out + 2 * step).storeBytes(of: s2, as: SIMD8<Float>.self)
                    (out + 3 * step).storeBytes(of: s3, as: SIMD8<Float>.self)
                    block += 8
                }
                a0 += 4
            }
            first += count
        }
    }

    /// Xᵀt, 8 columns at a time.
    @inline(never)
    static func rightHandSide(
        _ x: UnsafeMutablePointer<Float>, _ t: UnsafeMutablePointer<Float>, rows m: Int, stride: Int,
        into rhs: UnsafeMutablePointer<Float>
    ) {
        let raw = UnsafeRawPointer(x)
        var block = 0
        while block < stride {
            var s = SIMD8<Float>()
            for j in 0..<m { s += t[j] * raw.loadUnaligned(fromByteOffset: (j * stride + block) * 4, as: SIMD8<Float>.self) }
            UnsafeMutableRawPointer(rhs + block).storeBytes(of: s, as: SIMD8<Float>.self)
            block += 8
        }
    }

    /// The dot product of the first `count` entries of two rows, 8 at a time.
    @inline(__always)
    static func dot(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, count: Int) -> Float {
        var s = SIMD8<Float>(), p = 0
        while p + 8 <= count {
            s += UnsafeRawPointer(a + p).loadUnaligned(as: SIMD8<Float>.self) * UnsafeRawPointer(b + p).loadUnaligned(as: SIMD8<Float>.self)
            p += 8
        }
        var sum = s.sum()
        while p < count { sum += a[p] * b[p]; p += 1 }
        return sum
    }

    /// y[from..<stride] −= f · x[from..<stride]: scalar up to the next multiple of 8, then 8 at a time.
    @inline(__always)
    static func subtractScaled(_ f: Float, _ x: UnsafeMutablePointer<Float>, from: Int, stride: Int, from y: UnsafeMutablePointer<Float>) {
        var l = from
        while l < stride && l % 8 != 0 { y[l] -= f * x[l]; l += 1 }
        let scale = SIMD8<Float>(repeating: f)
        while l < stride {
            let v = UnsafeRawPointer(y + l).loadUnaligned(as: SIMD8<Float>.self) - scale * UnsafeRawPointer(x + l).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + l).storeBytes(of: v, as: SIMD8<Float>.self)
            l += 8
        }
    }

    /// Solves A w = b for the symmetric positive definite n × n matrix A, given by its upper triangle (row stride
    /// `stride`, a multiple of 8; columns n..<stride zero), by Cholesky: A = UᵀU with U upper triangular, computed
    /// row by row over A (each row scaled, then subtracted from the rows below it, 8 columns at a time). Entries
    /// left of the diagonal are scratch. `b` becomes w. False when A is not positive definite to working precision.
    static func choleskySolve(
        _ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, n: Int, stride: Int,
        noise: UnsafePointer<Float>? = nil
    ) -> Bool {
        var largest: Float = 0
        for d in 0..<n { largest = max(largest, abs(a[d * stride + d])) }
        let tolerance = max(largest, .leastNormalMagnitude) * 1e-6
        // Four pivot rows at a time: factor them among themselves, then subtract all four from every row below
        // in one pass (a rank-4 update), which loads and stores each trailing row once instead of four times.
        var j0 = 0
        while j0 < n {
            let panel = min(4, n - j0)
            for j in j0..<(j0 + panel) {
                let rowJ = a + j * stride
                let pivot = rowJ[j]
                guard pivot > tolerance, pivot.isFinite else { return false }
                let scale = SIMD8<Float>(repeating: 1 / pivot.squareRoot())
                var l = j / 8 * 8
                while l < stride {
                    UnsafeMutableRawPointer(rowJ + l).storeBytes(
                        of: UnsafeRawPointer(rowJ + l).loadUnaligned(as: SIMD8<Float>.self) * scale,
                        as: SIMD8<Float>.self)
                    l += 8
                }
                for i in (j + 1)..<(j0 + panel) where rowJ[i] != 0 {
                    subtractScaled(rowJ[i], rowJ, from: i / 8 * 8, stride: stride, from: a + i * stride)
                }
            }
            if panel == 4 {
                let u0 = UnsafeRawPointer(a + j0 * stride), u1 = UnsafeRawPointer(a + (j0 + 1) * stride)
                let u2 = UnsafeRawPointer(a + (j0 + 2) * stride), u3 = UnsafeRawPointer(a + (j0 + 3) * stride)
                for i in (j0 + 4)..<max(n, j0 + 4) {
                    let f0 = SIMD8<Float>(repeating: a[j0 * stride + i]), f1 = SIMD8<Float>(repeating: a[(j0 + 1) * stride + i])
                    let f2 = SIMD8<Float>(repeating: a[(j0 + 2) * stride + i]), f3 = SIMD8<Float>(repeating: a[(j0 + 3) * stride + i])
                    let row = UnsafeMutableRawPointer(a + i * stride)
                    var offset = i / 8 * 8 * MemoryLayout<Float>.stride
                    let end = stride * MemoryLayout<Float>.stride
                    while offset < end {
                        var v = row.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                        #if CF_FMA
                            v.addProduct(-f0, u0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                            v.addProduct(-f1, u1.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                            v.addProduct(-f2, u2.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                            v.addProduct(-f3, u3.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                        #else
                            v -= f0 * u0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                            v -= f1 * u1.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                            v -= f2 * u2.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                            v -= f3 * u3.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                        #endif
                        row.storeBytes(of: v, toByteOffset: offset, as: SIMD8<Float>.self)
                        offset += 8 * MemoryLayout<Float>.stride
                    }
                }
            } else {
                for j in j0..<(j0 + panel) {
                    let rowJ = a + j * stride
                    for i in (j0 + panel)..<max(n, j0 + panel) where rowJ[i] != 0 {
                        subtractScaled(rowJ[i], rowJ, from: i / 8 * 8, stride: stride, from: a + i * stride)
                    }
                }
            }
            j0 += panel
        }
        // Uᵀ y = b, by columns of Uᵀ (rows of U); then U w = y, by rows. With `noise` z, U w = y + z instead: w is
        // then A⁻¹b + U⁻¹z, a draw from N(A⁻¹b, A⁻¹) when z ~ N(0, I) (Bayesian matrix factorization).
        for p in 0..<n {
            let rowP = a + p * stride
            let y = b[p] / rowP[p]
            b[p] = y
            subtractScaled(y, rowP, from: p + 1, stride: stride, from: b)
        }
        if let noise { for i in 0..<n { b[i] += noise[i] } }
        for i in Swift.stride(from: n - 1, through: 0, by: -1) {
            let rowI = a + i * stride
            var sum = b[i], p = i + 1
            while p < stride && p % 8 != 0 { sum -= rowI[p] * b[p]; p += 1 }
            if p < stride { sum -= dot(rowI + p, b + p, count: stride - p) }
            b[i] = sum / rowI[i]
        }
        return true
    }

    /// Σ (r − prediction)² over all ratings, and λ Σ w (‖factors‖² + bias²) over both sides, in one parallel pass.
    static func objective(
        _ ratings: Ratings, users: PackedFactors, items: PackedFactors, mean: Float,
        lambda: Double, weighted: Bool, threads: Int
    ) -> (sse: Double, penalty: Double) {
        let chunks = threads == 1 ? 1 : threads * 4
        var partial = [Double](repeating: 0, count: chunks)
        let total = ratings.count, stride = users.stride, biased = users.biased
        users.values.withUnsafeBufferPointer { p in
            items.values.withUnsafeBufferPointer { q in
                ratings.entries.withUnsafeBufferPointer { list in
                    partial.withUnsafeMutableBufferPointer { sums in
                        let out = SharedSlots(sums), userRows = ReadOnly(p), itemRows = ReadOnly(q), ratingList = ReadOnly(list)
                        let userBias = users.bias, itemBias = items.bias
                        let work: @Sendable (Int) -> Void = { chunk in
                            var sum = 0.0
                            let list = ratingList.base
                            let pp = UnsafeMutablePointer(mutating: userRows.base.baseAddress!), qq = UnsafeMutablePointer(mutating: itemRows.base.baseAddress!)
                            for index in (total * chunk / chunks)..<(total * (chunk + 1) / chunks) {
                                let r = list[index], u = r.user, i = r.item
                                var prediction = dot(pp + u * stride, qq + i * stride, count: stride)
                                // With biases both rows carry a 1 in column k: remove that 1·1, add the biases.
                                if biased { prediction += mean + userBias[u] + itemBias[i] - 1 }
                                let e = r.value - Double(prediction)
                                sum += e * e
                            }
                            out.base[chunk] = sum
                        }
                        if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
                    }
                }
            }
        }
        guard lambda > 0 else { return (partial.reduce(0, +), 0) }
        func norms(_ side: PackedFactors, _ count: (Int) -> Int) -> Double {
            var total = 0.0
            for row in 0..<side.rows {
                var norm = 0.0
                for f in 0..<side.k { let v = Double(side.values[row * side.stride + f]); norm += v * v }
                if side.biased { norm += Double(side.bias[row]) * Double(side.bias[row]) }
                total += (weighted ? Double(count(row)) : 1) * norm
            }
            return total
        }
        let penalty = lambda * (norms(users) { ratings.ratings(ofUser: $0).count } + norms(items) { ratings.ratings(ofItem: $0).count })
        return (partial.reduce(0, +), penalty)
    }
}
