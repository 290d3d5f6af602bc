import Dispatch

/// Fills a `count × k` matrix row by row on `threads` threads, in chunks of rows: `solve` builds one row's k × k
/// system in `system` (k × k) and `rhs` (k), both handed to it already allocated (once per chunk), and the row is
/// that system solved by Cholesky (with the row's slice of `noise` added between the triangular solves, when given).
/// Used by the Double-precision Bayesian sampler and by implicit-feedback ALS.
///
/// - Returns: the matrix, or nil if some row's system was not positive definite.
func solveRows(
    count: Int, k: Int, threads: Int, noise: Matrix? = nil,
    _ build: (_ row: Int, _ system: inout [Double], _ rhs: inout [Double]) -> Void
) -> Matrix? {
    var result = Matrix(rows: count, columns: k)
    var failed = [Bool](repeating: false, count: count)
    withoutActuallyEscaping(build) { build in
        let body = UncheckedSendable(build)
        result.elements.withUnsafeMutableBufferPointer { out in
            failed.withUnsafeMutableBufferPointer { bad in
                let output = SharedSlots(out), failures = SharedSlots(bad)
                let chunks = threads <= 1 ? 1 : threads * 8
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    var system = [Double](repeating: 0, count: k * k), rhs = [Double](repeating: 0, count: k)
                    for row in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) {
                        body.value(row, &system, &rhs)
                        let solved = system.withUnsafeMutableBufferPointer { a in
                            rhs.withUnsafeMutableBufferPointer { b in
                                guard let noise else { return LeastSquares.choleskySolve(a.baseAddress!, b.baseAddress!, size: k) }
                                return noise.elements.withUnsafeBufferPointer { z in
                                    LeastSquares.choleskySolve(a.baseAddress!, b.baseAddress!, size: k, noise: z.baseAddress! + row * k)
                                }
                            }
                        }
                        if !solved { failures.base[row] = true; continue }
                        for f in 0..<k { output.base[row * k + f] = rhs[f] }
                    }
                }
            }
        }
    }
    return failed.contains(true) ? nil : result
}
