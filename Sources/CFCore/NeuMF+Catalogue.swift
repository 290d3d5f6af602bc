extension NeuMF {
    /// Scores a user's whole catalogue faster than one `score` per pair, for ranking.
    ///
    /// The MLP's first layer is linear in its input [p′_u, q′_i], so W₁ [p′_u, q′_i] + b₁ = (W₁ᵘ p′_u + b₁) + W₁ⁱ q′_i:
    /// the item half is computed once for every item when the scorer is made, the user half once per user, and each
    /// pair costs one addition per unit of the first layer instead of its 2k multiplications. The layers after it, and
    /// the output unit, are computed as in `score`. The scores equal `score`'s up to the rounding of the sums' order.
    public struct CatalogueScorer: Sendable {
        let model: NeuMF
        /// W₁ⁱ q′_i for every item i, one row of the first layer's width each (empty without an MLP layer).
        let itemHalves: [Float]

        /// The scorer of `model`, with every item's half of the first layer computed.
        public init(_ model: NeuMF) {
            self.model = model
            let network = model.network, k = network.gmfUsers.width
            guard let first = network.tower.layers.first else {
                itemHalves = []
                return
            }
            var halves = [Float](repeating: 0, count: network.mlpItems.rows * first.outputs)
            model.parameters.withUnsafeBufferPointer { p in
                let w = p.baseAddress! + first.offset
                for i in 0..<network.mlpItems.rows {
                    let q = p.baseAddress! + network.mlpItems.offset + i * k
                    for o in 0..<first.outputs { halves[i * first.outputs + o] = Vector.dot(w + o * first.inputs + k, q, count: k) }
                }
            }
            itemHalves = halves
        }

        /// Every item's score for `user` (as `score`: the logit with `.logistic`, the rating with `.squaredError`) into
        /// `scores`, which must hold one number per item.
        public func scores(user: Int, into scores: inout [Double]) {
            let network = model.network, k = network.gmfUsers.width, layers = network.tower.layers
            require(scores.count == network.gmfItems.rows, "one score per item: \(network.gmfItems.rows), not \(scores.count)")
            guard let first = layers.first else {
                for i in scores.indices { scores[i] = model.score(user: user, item: i) }
                return
            }
            let widest = layers.map(\.outputs).max()!
            model.parameters.withUnsafeBufferPointer { p in
                itemHalves.withUnsafeBufferPointer { halves in
                    let parameters = p.baseAddress!, w = parameters + first.offset, b = parameters + first.biasOffset
                    let userHalf = UnsafeMutablePointer<Float>.allocate(capacity: first.outputs)
                    let joined = UnsafeMutablePointer<Float>.allocate(capacity: network.joined)
                    let a = UnsafeMutablePointer<Float>.allocate(capacity: widest), c = UnsafeMutablePointer<Float>.allocate(capacity: widest)
                    defer { [userHalf, joined, a, c].forEach { $0.deallocate() } }
                    let pu = parameters + network.mlpUsers.offset + user * k, gu = parameters + network.gmfUsers.offset + user * k
                    for o in 0..<first.outputs { userHalf[o] = b[o] + Vector.dot(w + o * first.inputs, pu, count: k) }
                    for i in scores.indices {
                        let gi = parameters + network.gmfItems.offset + i * k
                        ElementwiseProduct.forward(gu, gi, into: joined, count: k)  // φ
                        let half = halves.baseAddress! + i * first.outputs
                        for o in 0..<first.outputs { a[o] = userHalf[o] + half[o] }
                        ReLU.forward(a, into: a, count: first.outputs)
                        var input = a, output = c
                        for layer in layers.dropFirst() {
                            layer.forward(input, into: output, parameters: parameters)
                            ReLU.forward(output, into: output, count: layer.outputs)
                            swap(&input, &output)
                        }
                        (joined + k).update(from: input, count: network.tower.outputs)  // ψ
                        var z: Float = 0
                        network.output.forward(joined, into: &z, parameters: parameters)
                        switch model.loss {
                        case let .squaredError(range): scores[i] = Double(OutputHead.squaredError(SigmoidRange(range)).prediction(z))
                        case .logistic: scores[i] = Double(z)
                        }
                    }
                }
            }
        }
    }
}
