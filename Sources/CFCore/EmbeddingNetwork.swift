/// A rating model with a neural network as its combiner (fast.ai's `EmbeddingNN`): a user's embedding and an item's,
/// placed end to end, go through dense layers with ReLUs, and one more dense layer gives one number z, which a sigmoid
/// range turns into the rating:
///
///     x = [p_u, q_i]  →  ReLU(W₁ x + b₁)  →  …  →  z = w · h + b  →  ŷ = low + (high − low) σ(z)
///
/// Where the dot product p_u · q_i fixes how tastes and traits combine, the network learns it. (fast.ai's version also
/// has dropout and batch normalization, and embeddings of different sizes for users and items; this one has neither,
/// and one size, `factors`, for both.)
///
/// Trained by minibatch Adam with weight decay (`WeightDecayForm`) and a schedule of step sizes (`LearningRateSchedule`)
/// on the squared error (`MinibatchAdam`).
public struct EmbeddingNetwork: RatingPredictor {
    /// Settings of a run (the core's trainer vocabulary: CFCore.docc/Trainers.md).
    public struct Configuration: Sendable {
        /// The size k of each embedding (the input of the network is 2k numbers).
        public var factors: Int
        /// The sizes of the hidden layers, first to last (each followed by a ReLU).
        public var hidden: [Int]
        /// The range of the sigmoid the output goes through: a little wider than the rating scale (0.5...5.5 for 1 to 5
        /// stars), so that the extreme ratings are reached at finite outputs (`SigmoidRange`).
        public var outputRange: ClosedRange<Double>
        /// The weight decay λ, applied as `decayForm` says (by default decoupled from the gradient, AdamW: every
        /// parameter is multiplied by 1 − lr λ each step). The decay applies once per step, so over an epoch it grows
        /// with the number of steps, ratings / `batchSize`: halving the batch calls for about half the λ.
        public var regularization: Double
        /// Adam's step size.
        public var learningRate: Double
        /// Epochs: passes over the ratings.
        public var iterations: Int
        /// Ratings per minibatch (one Adam step each).
        public var batchSize: Int
        /// The seed of the initial parameters and of the shuffles.
        public var seed: UInt32
        /// Threads to compute each minibatch's gradient on (nil: every core); the numbers never depend on it.
        public var threads: Int?
        /// How `regularization` pulls the parameters toward 0: decoupled (AdamW, the default), an L2 penalty on every
        /// parameter, or an L2 penalty on the embedding rows each minibatch uses (`WeightDecayForm`).
        public var decayForm: WeightDecayForm
        /// How the step size moves over the `iterations` epochs, `learningRate` its peak: constant (the default), or
        /// fast.ai's one cycle (`LearningRateSchedule`).
        public var schedule: LearningRateSchedule

        /// Settings. The defaults are a start for data of MovieLens 100K's size, chosen on its synthetic stand-in
        /// (`MovieLens.synthetic`), not on MovieLens itself: tune λ, the rate and the epochs on validation.
        public init(
            factors: Int, hidden: [Int] = [64], outputRange: ClosedRange<Double> = 0.5...5.5, regularization: Double = 0.5,
            learningRate: Double = 0.003, iterations: Int = 10, batchSize: Int = 512, seed: UInt32 = 42, threads: Int? = nil,
            decayForm: WeightDecayForm = .decoupled, schedule: LearningRateSchedule = .constant
        ) {
            self.factors = factors
            self.hidden = hidden
            self.outputRange = outputRange
            self.regularization = regularization
            self.learningRate = learningRate
            self.iterations = iterations
            self.batchSize = batchSize
            self.seed = seed
            self.threads = threads
            self.decayForm = decayForm
            self.schedule = schedule
        }
    }

    /// The outcome of `train`.
    public struct Result: Sendable {
        /// The trained model.
        public var model: EmbeddingNetwork
        /// The mean squared error of each epoch's minibatches, each measured just before its step.
        public var history: [Double]
    }

    /// The layers and where their parameters lie.
    let network: Network
    /// Every parameter, in the layout of `network`: the hidden layers, the output layer, the users' embeddings, the items'.
    public internal(set) var parameters: [Float]
    /// The sigmoid range of the output.
    public let outputRange: ClosedRange<Double>
    /// Predictions are clipped to this range when it is set (the sigmoid range already keeps them within
    /// `outputRange`; set 1...5 to clip the half star of margin).
    public var ratingScale: ClosedRange<Double>?

    /// The number of users.
    public var userCount: Int { network.users.rows }
    /// The number of items.
    public var itemCount: Int { network.items.rows }
    /// The size of each embedding.
    public var factors: Int { network.users.width }
    /// The sizes of the hidden layers.
    public var hidden: [Int] { network.tower.layers.map(\.outputs) }
    /// The users' embeddings (users × k).
    public var userEmbeddings: Matrix { network.users.matrix(parameters) }
    /// The items' embeddings (items × k).
    public var itemEmbeddings: Matrix { network.items.matrix(parameters) }

    /// The predicted rating, through the sigmoid range, before any clipping to `ratingScale`.
    public func score(user: Int, item: Int) -> Double {
        Double(OutputHead.squaredError(network.range).prediction(network.output(user: user, item: item, parameters: parameters)))
    }

    /// Trains the model on `ratings` by minibatch Adam, from embeddings drawn normal with standard deviation 0.01 and
    /// dense layers drawn by He's rule (normal, standard deviation √(2 / inputs), biases 0), all from the seed in the
    /// order of the parameters.
    ///
    /// - Parameter onStep: called after every epoch with its loss; `progress.stop()` ends training there.
    /// - Throws: `TrainingError.diverged` when the loss or a parameter stops being finite.
    public static func train(
        _ ratings: Ratings, _ configuration: Configuration,
        onStep: TrainingCallback<EmbeddingNetwork> = { _ in }
    ) throws -> Result {
        let network = Network(
            users: ratings.userCount, items: ratings.itemCount, factors: configuration.factors,
            hidden: configuration.hidden, range: configuration.outputRange)
        var rng = RandomState(seed: configuration.seed)
        var parameters = network.initialParameters(rng: &rng)
        var examples = ratings.entries.map { PairExample(user: $0.user, item: $0.item, target: Float($0.value)) }
        let settings = MinibatchSettings(
            learningRate: configuration.learningRate, regularization: configuration.regularization,
            iterations: configuration.iterations, batchSize: configuration.batchSize,
            threads: configuration.threads, method: "EmbeddingNetwork (Adam)",
            decayForm: configuration.decayForm, schedule: configuration.schedule)
        let history = try MinibatchAdam.train(
            network, parameters: &parameters, examples: &examples, head: .squaredError(network.range), settings: settings, rng: &rng,
            assemble: { EmbeddingNetwork(network: network, parameters: $0, outputRange: configuration.outputRange) }, onStep: onStep)
        return Result(
            model: EmbeddingNetwork(network: network, parameters: parameters, outputRange: configuration.outputRange),
            history: history)
    }

    /// The layers of the model, and the forward and backward passes through them.
    struct Network: PairNetwork {
        let tower: MultilayerPerceptron, output: Dense, users: Embedding, items: Embedding
        let range: SigmoidRange

        init(users userCount: Int, items itemCount: Int, factors k: Int, hidden: [Int], range: ClosedRange<Double>) {
            require(k > 0, "factors must be positive, not \(k)")
            tower = MultilayerPerceptron(inputs: 2 * k, hidden: hidden, offset: 0)
            output = Dense(inputs: tower.outputs, outputs: 1, offset: tower.end)
            users = Embedding(side: .users, rows: userCount, width: k, offset: output.end)
            items = Embedding(side: .items, rows: itemCount, width: k, offset: users.end)
            self.range = SigmoidRange(range)
        }

        var tables: [Embedding] { [users, items] }
        var denseCount: Int { output.end }
        var parameterCount: Int { items.end }
        // Scratch: x = [p_u, q_i] (2k), the tower's output h and its gradient, z's gradient, the tower's own scratch.
        var scratchCount: Int { 2 * users.width + 2 * tower.outputs + 1 + tower.scratchCount }

        func initialParameters(rng: inout RandomState) -> [Float] {
            var parameters = [Float](repeating: 0, count: parameterCount)
            tower.initialize(&parameters, rng: &rng)
            output.initialize(&parameters, rng: &rng)
            users.initialize(&parameters, deviation: 0.01, rng: &rng)
            items.initialize(&parameters, deviation: 0.01, rng: &rng)
            return parameters
        }

        func forward(user: Int, item: Int, parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>) -> Float {
            let k = users.width, x = scratch, h = x + 2 * k, towerScratch = h + 2 * tower.outputs + 1
            users.forward(user, into: x, parameters: parameters)
            items.forward(item, into: x + k, parameters: parameters)
            tower.forward(x, into: h, parameters: parameters, scratch: towerScratch)
            var result: Float = 0
            output.forward(h, into: &result, parameters: parameters)
            return result
        }

        func backward(
            user: Int, item: Int, outputGradient: Float, parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
            gradients: UnsafeMutablePointer<Float>, rowGradients: UnsafeMutablePointer<Float>
        ) {
            let k = users.width, x = scratch, h = x + 2 * k, hGradient = h + tower.outputs, zGradient = hGradient + tower.outputs
            zGradient.pointee = outputGradient
            output.backward(input: h, outputGradient: zGradient, inputGradient: hGradient, parameters: parameters, gradients: gradients)
            // x = [p_u, q_i], so ∂L/∂x is the two rows' gradients end to end: exactly the layout of rowGradients.
            tower.backward(
                input: x, output: h, outputGradient: hGradient, inputGradient: rowGradients, parameters: parameters,
                gradients: gradients, scratch: zGradient + 1)
        }
    }
}
