// SVD++: the implicit-feedback pass of SGD (Koren, 2008), one user at a time.

extension StochasticGradientDescent.State {
    @inline(__always) private func load(_ pointer: UnsafeMutablePointer<S>) -> V { StochasticGradientDescent.load(pointer) }
    @inline(__always) private func store(_ value: V, _ pointer: UnsafeMutablePointer<S>) { StochasticGradientDescent.store(value, pointer) }

        /// Sets `implicitSum` to |N(u)|^-½ Σ y_j over the items `rated` by one user, and returns that normalizer.
        @inline(__always)
        @discardableResult
        func sumImplicit<C: Collection>(_ rated: C) -> S where C.Element == Rating {
            let normalizer = 1 / S(rated.count).squareRoot(), scale = V(repeating: normalizer)
            for f in Swift.stride(from: 0, to: stride, by: 8) { store(V(), implicitSum + f) }
            for r in rated {
                let yj = y + Int(r.item) * stride
                for f in Swift.stride(from: 0, to: stride, by: 8) { store(load(implicitSum + f) + scale * load(yj + f), implicitSum + f) }
            }
            return normalizer
        }

        /// One SVD++ pass: `users` in turn, each user's ratings in the order of their segment of `order`.
        ///
        /// For user u with rated items N(u), z = p_u + |N(u)|^-½ Σ y_j. Per rating of item i, with e = r − (μ + b_u + b_i + q_i · z):
        ///
        ///     p_u += lr (e q_i − reg p_u)        q_i += lr (e z − reg q_i)        (old values on the right)
        ///
        /// and the y's, shared by all of the user's ratings, take one step after the user's last rating with the
        /// gradient summed over them: y_j += lr (|N(u)|^-½ Σ e q_i − reg y_j) for every j in N(u). The sum Σ y_j is
        /// computed once per user, so a rating costs about what it costs without implicit feedback.
        func implicitSweep(_ order: UnsafeBufferPointer<Rating>, users: [Int], mean: S, lr: S, reg: S, biasReg: S, biases: Bool) -> Double {
            let decay = V(repeating: 1 - lr * reg)
            let p = p, q = q, y = y, bu = bu, bi = bi, stride = stride
            let implicitSum = implicitSum, implicitGradient = implicitGradient
            var squaredErrors = 0.0
            for u in users {
                let rated = order[userStarts[u]..<userStarts[u + 1]]
                let normalizer = sumImplicit(rated)
                for f in Swift.stride(from: 0, to: stride, by: 8) { store(V(), implicitGradient + f) }
                let pu = p + u * stride
                for r in rated {
                    let i = Int(r.item), qi = q + i * stride
                    var acc = V()
                    for f in Swift.stride(from: 0, to: stride, by: 8) { acc += (load(pu + f) + load(implicitSum + f)) * load(qi + f) }
                    let e = S(r.value) - (mean + bu[u] + bi[i] + acc.sum())
                    squaredErrors += Double(e * e)
                    if biases {
                        bu[u] += lr * (e - biasReg * bu[u])
                        bi[i] += lr * (e - biasReg * bi[i])
                    }
                    let step = V(repeating: lr * e), error = V(repeating: e)
                    for f in Swift.stride(from: 0, to: stride, by: 8) {
                        let oldP = load(pu + f), oldQ = load(qi + f)
                        store(load(implicitGradient + f) + error * oldQ, implicitGradient + f)
                        store(oldP * decay + step * oldQ, pu + f)
                        store(oldQ * decay + step * (oldP + load(implicitSum + f)), qi + f)
                    }
                }
                let scaledGradient = V(repeating: lr * normalizer)
                for r in rated {
                    let yj = y + Int(r.item) * stride
                    for f in Swift.stride(from: 0, to: stride, by: 8) {
                        store(load(yj + f) * decay + scaledGradient * load(implicitGradient + f), yj + f)
                    }
                }
            }
            return squaredErrors
        }
}
