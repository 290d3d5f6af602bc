import Dispatch
import Foundation

extension ImplicitAlternatingLeastSquares {
    /// YᵀY (full, stride × stride, zero outside k × k) of a packed side, in Double sums rounded once.
    static func gram(_ side: PackedFactors) -> [Float] {
        let stride = side.stride, k = side.k
        var sums = [Double](repeating: 0, count: k * k)
        side.values.withUnsafeBufferPointer { v in
            for row in 0..<side.rows {
                let y = v.baseAddress! + row * stride
                for f in 0..<k {
                    let yf = Double(y[f])
                    for g in f..<k { sums[f * k + g] += yf * Double(y[g]) }
                }
            }
        }
        var result = [Float](repeating: 0, count: stride * stride)
        for f in 0..<k { for g in f..<k { result[f * stride + g] = Float(sums[f * k + g]); result[g * stride + f] = Float(sums[f * k + g]) } }
        return result
    }

    /// Every row of `side` solved (or improved, by conjugate gradients) in place, the other side fixed.
    static func halfStepFast(
        _ side: Side, _ interactions: Ratings, own: inout PackedFactors, fixed: PackedFactors, _ configuration: Configuration,
        threads: Int, iteration: Int
    ) throws {
        let solver = configuration.solver
        let stride = fixed.stride, k = fixed.k, count = own.rows
        let lambda = Float(configuration.regularization), alpha = Float(configuration.alpha)
        let yty = gram(fixed)
        let starts = side == .users ? interactions.userStarts : interactions.itemStarts
        let entries = side == .users ? interactions.entries : interactions.entriesByItem
        let chunks = NormalEquations.chunkBounds(starts, rows: count, chunks: threads <= 1 ? 1 : threads * 16)
        let longest = (0..<count).reduce(0) { max($0, starts[$1 + 1] - starts[$1]) }
        var failed = [Bool](repeating: false, count: chunks.count - 1)
        own.values.withUnsafeMutableBufferPointer { ownValues in
            fixed.values.withUnsafeBufferPointer { fixedValues in
                entries.withUnsafeBufferPointer { list in
                    yty.withUnsafeBufferPointer { gramValues in
                        failed.withUnsafeMutableBufferPointer { failures in
                            let out = SharedSlots(ownValues), fixedRows = ReadOnly(fixedValues), ratingList = ReadOnly(list)
                            let gramRows = ReadOnly(gramValues), failure = SharedSlots(failures)
                            let work: @Sendable (Int) -> Void = { chunk in
                                let y = UnsafeMutablePointer(mutating: fixedRows.base.baseAddress!),
                                    g = UnsafeMutablePointer(mutating: gramRows.base.baseAddress!)
                                let list = ratingList.base
                                let block = UnsafeMutablePointer<Float>.allocate(capacity: max(longest, 1) * stride)
                                let targets = UnsafeMutablePointer<Float>.allocate(capacity: max(longest, 1))
                                let a = UnsafeMutablePointer<Float>.allocate(capacity: stride * stride)
                                let r = UnsafeMutablePointer<Float>.allocate(capacity: stride), p = UnsafeMutablePointer<Float>.allocate(capacity: stride)
                                let ap = UnsafeMutablePointer<Float>.allocate(capacity: stride)
                                defer { block.deallocate(); targets.deallocate(); a.deallocate(); r.deallocate(); p.deallocate(); ap.deallocate() }
                                for row in chunks[chunk]..<chunks[chunk + 1] {
                                    let first = starts[row], m = starts[row + 1] - first
                                    let x = out.base.baseAddress! + row * stride
                                    switch solver {
                                    case .cholesky:
                                        // Rows of Y scaled by √(c − 1): the block's Gram matrix is Yᵀ(C_u − I)Y, and with
                                        // targets c / √(c − 1) its right-hand side is Yᵀ C_u p_u.
                                        for j in 0..<m {
                                            let e = list[first + j]
                                            let other = side == .users ? e.item : e.user
                                            let c = 1 + alpha * Float(e.value), s = (c - 1).squareRoot()
                                            let source = y + other * stride, target = block + j * stride
                                            for f in 0..<stride { target[f] = s * source[f] }
                                            targets[j] = c / s
                                        }
                                        a.update(repeating: 0, count: stride * stride)
                                        if m > 0 {
                                            NormalEquations.gramUpper(block, rows: m, n: k, stride: stride, into: a)
                                            NormalEquations.rightHandSide(block, targets, rows: m, stride: stride, into: r)
                                        } else {
                                            r.update(repeating: 0, count: stride)
                                        }
                                        for f in 0..<k {
                                            for h in f..<k { a[f * stride + h] += g[f * stride + h] }
                                            a[f * stride + f] += lambda
                                        }
                                        guard NormalEquations.choleskySolve(a, r, n: k, stride: stride) else { failure.base[chunk] = true; return }
                                        for f in 0..<k { x[f] = r[f] }
                                    case .conjugateGradient(let steps):
                                        // A v = (YᵀY + λI) v + Σ (c − 1)(y · v) y over the row's items; b = Σ c y.
                                        func multiply(_ v: UnsafeMutablePointer<Float>, into result: UnsafeMutablePointer<Float>) {
                                            for f in 0..<k { result[f] = NormalEquations.dot(g + f * stride, v, count: stride) + lambda * v[f] }
                                            for f in k..<stride { result[f] = 0 }
                                            for j in 0..<m {
                                                let e = list[first + j]
                                                let row = y + (side == .users ? e.item : e.user) * stride
                                                let d = alpha * Float(e.value) * NormalEquations.dot(row, v, count: stride)
                                                NormalEquations.subtractScaled(-d, row, from: 0, stride: stride, from: result)
                                            }
                                        }
                                        // r = b − A x
                                        multiply(x, into: ap)
                                        for f in 0..<stride { r[f] = -ap[f] }
                                        for j in 0..<m {
                                            let e = list[first + j]
                                            let row = y + (side == .users ? e.item : e.user) * stride
                                            NormalEquations.subtractScaled(-(1 + alpha * Float(e.value)), row, from: 0, stride: stride, from: r)
                                        }
                                        p.update(from: r, count: stride)
                                        var old = NormalEquations.dot(r, r, count: stride)
                                        for _ in 0..<steps {
                                            guard old > 1e-20 else { break }
                                            multiply(p, into: ap)
                                            let step = old / NormalEquations.dot(p, ap, count: stride)
                                            guard step.isFinite else { failure.base[chunk] = true; return }
                                            NormalEquations.subtractScaled(-step, p, from: 0, stride: stride, from: x)
                                            NormalEquations.subtractScaled(step, ap, from: 0, stride: stride, from: r)
                                            let new = NormalEquations.dot(r, r, count: stride)
                                            for f in 0..<stride { p[f] = r[f] + new / old * p[f] }
                                            old = new
                                        }
                                    }
                                }
                            }
                            if chunks.count == 2 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks.count - 1, execute: work) }
                        }
                    }
                }
            }
        }
        if failed.contains(true) { throw TrainingError.singular(method: "weighted ALS", side: side, index: nil, step: iteration) }
    }
}
