/// A stack of dense layers, each followed by a ReLU: x → ReLU(W₁ x + b₁) → ReLU(W₂ · + b₂) → … (the "MLP" of
/// fast.ai's EmbeddingNN and of NeuMF).
///
/// With no layers it passes its input through unchanged. Each layer's output overwrites its pre-activation in place
/// (the ReLU's backward pass needs only its output), so the forward pass keeps one vector per layer.
///
/// Backward, from the last layer down, with g = ∂L/∂(layer's output):
///
///     g ← g where the layer's output > 0, else 0         (ReLU)
///     accumulate ∂L/∂W, ∂L/∂b; g ← Wᵀ g                   (Dense)
///
/// until g is ∂L/∂x, the gradient for what fed the stack (the embeddings).
public struct MultilayerPerceptron: Sendable, Equatable {
    /// The dense layers, first to last; the parameters of each follow those of the one before.
    public let layers: [Dense]
    /// The length of the input vector.
    public let inputs: Int
    /// Where the parameters start.
    public let offset: Int
    /// Where each hidden output but the last starts in the scratch space (the last goes to the caller's `y`).
    private let outputOffsets: [Int]
    /// The widest vector the backward pass holds.
    private let widest: Int
    /// The numbers of scratch space the hidden outputs take.
    private let hiddenCount: Int

    /// Layers from `inputs` numbers through `hidden` sizes (e.g. [64, 32]), with parameters stored from `offset` on.
    public init(inputs: Int, hidden: [Int], offset: Int) {
        require(inputs > 0 && hidden.allSatisfy { $0 > 0 }, "layer sizes must be positive, not \(inputs) → \(hidden)")
        var layers = [Dense](), width = inputs, next = offset, offsets = [Int](), used = 0
        for size in hidden {
            layers.append(Dense(inputs: width, outputs: size, offset: next))
            offsets.append(used)
            used += size
            width = size
            next = layers.last!.end
        }
        self.layers = layers
        self.inputs = inputs
        self.offset = offset
        outputOffsets = offsets
        hiddenCount = used - (hidden.last ?? 0)
        widest = layers.map { max($0.inputs, $0.outputs) }.max() ?? 0
    }

    /// The length of the output: the last layer's size, or the input's when there are no layers.
    public var outputs: Int { layers.last?.outputs ?? inputs }
    /// How many parameters the layers hold together.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
    /// The index after the last parameter (`offset` when there are no layers).
    public var end: Int { layers.last?.end ?? offset }

    /// The scratch numbers a forward and backward pass needs: each hidden output but the last (which goes to the
    /// caller's `y`), and two vectors of the widest layer for the backward pass.
    public var scratchCount: Int { hiddenCount + 2 * widest }

    /// Where layer `l`'s output lies: in `scratch`, or `y` for the last layer.
    private func output(of l: Int, scratch: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        l == layers.count - 1 ? y : scratch + outputOffsets[l]
    }

    /// Forward: the last layer's output (after its ReLU) into `y`, keeping each hidden output in `scratch`.
    public func forward(
        _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, parameters: UnsafePointer<Float>,
        scratch: UnsafeMutablePointer<Float>
    ) {
        guard !layers.isEmpty else { y.update(from: x, count: inputs); return }
        var input = x
        for (l, layer) in layers.enumerated() {
            let out = output(of: l, scratch: scratch, y: y)
            layer.forward(input, into: out, parameters: parameters)
            ReLU.forward(out, into: out, count: layer.outputs)
            input = UnsafePointer(out)
        }
    }

    /// Backward, after `forward` with the same `x`, `y` and `scratch`: adds every layer's parameter gradients into
    /// `gradients` and writes ∂L/∂x into `inputGradient`, given g = ∂L/∂y.
    public func backward(
        input x: UnsafePointer<Float>, output y: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>,
        inputGradient: UnsafeMutablePointer<Float>, parameters: UnsafePointer<Float>,
        gradients: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        guard !layers.isEmpty else { inputGradient.update(from: g, count: inputs); return }
        // masked: the gradient after a layer's ReLU; below: the gradient for the layer's input (the next `g`).
        let masked = scratch + hiddenCount, below = masked + widest
        let y = UnsafeMutablePointer(mutating: y)  // only read here
        var upstream = g
        for l in layers.indices.reversed() {
            let layer = layers[l]
            let input = l == 0 ? x : UnsafePointer(output(of: l - 1, scratch: scratch, y: y))
            ReLU.backward(output: output(of: l, scratch: scratch, y: y), outputGradient: upstream, inputGradient: masked, count: layer.outputs)
            let destination = l == 0 ? inputGradient : below
            layer.backward(input: input, outputGradient: masked, inputGradient: destination, parameters: parameters, gradients: gradients)
            upstream = UnsafePointer(destination)
        }
    }
}

extension MultilayerPerceptron {
    /// He initialization of every layer, first to last.
    func initialize(_ parameters: inout [Float], rng: inout RandomState) {
        for layer in layers { layer.initialize(&parameters, rng: &rng) }
    }
}
