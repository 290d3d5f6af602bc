/// Biased matrix factorization trained the way the networks are (fast.ai's `EmbeddingDotBias`): the dot product of a
/// user's embedding and an item's, plus a bias for each, through the same sigmoid range,
///
///     z = p_u · q_i + b_u + b_i        ŷ = low + (high − low) σ(z)
///
/// with the same weight decay, minibatches, Adam and schedule as `EmbeddingNetwork` and `NeuMF`. There is no global
/// mean μ: the sigmoid's midpoint and the biases take its place. Set beside `EmbeddingNetwork` with the same settings,
/// a comparison is about the combiner alone: a fixed dot product against a learned network.
public struct EmbeddingDotBias: RatingPredictor {
    /// Settings of a run (the core's trainer vocabulary: CFCore.docc/Trainers.md).
    public struct Configuration: Sendable {
        /// The number of latent factors k (the size of each embedding).
        public var factors: Int
        /// The range of the sigmoid the output goes through (`SigmoidRange`).
        public var outputRange: ClosedRange<Double>
        /// The weight decay λ, on factors and biases alike, applied as `decayForm` says.
        public var regularization: Double
        /// Adam's step size.
        public var learningRate: Double
        /// Epochs: passes over the ratings.
        public var iterations: Int
        /// Ratings per minibatch (one Adam step each).
        public var batchSize: Int
        /// The seed of the initial factors and of the shuffles.
        public var seed: UInt32
        /// Threads to compute each minibatch's gradient on (nil: every core); the numbers never depend on it.
        public var threads: Int?
        /// How `regularization` pulls the parameters toward 0: decoupled (AdamW, the default), an L2 penalty on every
        /// parameter, or an L2 penalty on the embedding rows each minibatch uses (`WeightDecayForm`).
        public var decayForm: WeightDecayForm
        /// How the step size moves over the `iterations` epochs, `learningRate` its peak: constant (the default), or
        /// fast.ai's one cycle (`LearningRateSchedule`).
        public var schedule: LearningRateSchedule

        /// Settings; the defaults are those of `EmbeddingNetwork.Configuration`.
        public init(
            factors: Int, outputRange: ClosedRange<Double> = 0.5...5.5, regularization: Double = 0.5, learningRate: Double = 0.003,
            iterations: Int = 10, batchSize: Int = 512, seed: UInt32 = 42, threads: Int? = nil,
            decayForm: WeightDecayForm = .decoupled, schedule: LearningRateSchedule = .constant
        ) {
            self.factors = factors
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
        public var model: EmbeddingDotBias
        /// The mean squared error of each epoch's minibatches, each measured just before its step.
        public var history: [Double]
    }

    /// The tables and where they lie.
    let network: Network
    /// Every parameter, in the layout of `network`: user factors, item factors, user biases, item biases.
    public internal(set) var parameters: [Float]
    /// The sigmoid range of the output.
    public let outputRange: ClosedRange<Double>
    /// Predictions are clipped to this range when it is set.
    public var ratingScale: ClosedRange<Double>?

    /// The number of users.
    public var userCount: Int { network.users.rows }
    /// The number of items.
    public var itemCount: Int { network.items.rows }
    /// The number of latent factors k.
    public var factors: Int { network.users.width }
    /// The user factors p (users × k).
    public var userFactors: Matrix { network.users.matrix(parameters) }
    /// The item factors q (items × k).
    public var itemFactors: Matrix { network.items.matrix(parameters) }
    /// The user biases b_u (in the units of z, before the sigmoid).
    public var userBias: [Double] { parameters[network.userBias.offset..<network.userBias.end].map(Double.init) }
    /// The item biases b_i: an item with a high bias is liked whatever the user's tastes.
    public var itemBias: [Double] { parameters[network.itemBias.offset..<network.itemBias.end].map(Double.init) }

    /// The predicted rating, through the sigmoid range, before any clipping to `ratingScale`.
    public func score(user: Int, item: Int) -> Double {
        Double(OutputHead.squaredError(network.range).prediction(network.output(user: user, item: item, parameters: parameters)))
    }

    /// Trains the model on `ratings` by minibatch Adam, from factors drawn normal with standard deviation 0.01 from the
    /// seed (user factors, then item factors) and biases 0.
    ///
    /// - Parameter onStep: called after every epoch with its loss; `progress.stop()` ends training there.
    /// - Throws: `TrainingError.diverged` when the loss or a parameter stops being finite.
    public static func train(
        _ ratings: Ratings, _ configuration: Configuration,
        onStep: TrainingCallback<EmbeddingDotBias> = { _ in }
    ) throws -> Result {
        let network = Network(users: ratings.userCount, items: ratings.itemCount, factors: configuration.factors, range: configuration.outputRange)
        var rng = RandomState(seed: configuration.seed)
        var parameters = [Float](repeating: 0, count: network.parameterCount)
        network.users.initialize(&parameters, deviation: 0.01, rng: &rng)
        network.items.initialize(&parameters, deviation: 0.01, rng: &rng)
        var examples = ratings.entries.map { PairExample(user: $0.user, item: $0.item, target: Float($0.value)) }
        let settings = MinibatchSettings(
            learningRate: configuration.learningRate, regularization: configuration.regularization,
            iterations: configuration.iterations, batchSize: configuration.batchSize,
            threads: configuration.threads, method: "EmbeddingDotBias (Adam)",
            decayForm: configuration.decayForm, schedule: configuration.schedule)
        let history = try MinibatchAdam.train(
            network, parameters: &parameters, examples: &examples, head: .squaredError(network.range), settings: settings, rng: &rng,
            assemble: { EmbeddingDotBias(network: network, parameters: $0, outputRange: configuration.outputRange) }, onStep: onStep)
        return Result(
            model: EmbeddingDotBias(network: network, parameters: parameters, outputRange: configuration.outputRange),
            history: history)
    }

    /// Four tables and no dense parameters: z = p_u · q_i + b_u + b_i. Backward, with g = ∂L/∂z:
    /// ∂L/∂p_u = g q_i, ∂L/∂q_i = g p_u, ∂L/∂b_u = ∂L/∂b_i = g.
    struct Network: PairNetwork {
        let users: Embedding, items: Embedding, userBias: Embedding, itemBias: Embedding
        let range: SigmoidRange

        init(users userCount: Int, items itemCount: Int, factors k: Int, range: ClosedRange<Double>) {
            require(k > 0, "factors must be positive, not \(k)")
            users = Embedding(side: .users, rows: userCount, width: k, offset: 0)
            items = Embedding(side: .items, rows: itemCount, width: k, offset: users.end)
            userBias = Embedding(side: .users, rows: userCount, width: 1, offset: items.end)
            itemBias = Embedding(side: .items, rows: itemCount, width: 1, offset: userBias.end)
            self.range = SigmoidRange(range)
        }

        var tables: [Embedding] { [users, items, userBias, itemBias] }
        var denseCount: Int { 0 }
        var parameterCount: Int { itemBias.end }
        var scratchCount: Int { 0 }  // the rows are read where they lie

        func forward(user: Int, item: Int, parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>) -> Float {
            let k = users.width, p = parameters + users.offset + user * k, q = parameters + items.offset + item * k
            return Vector.dot(p, q, count: k) + parameters[userBias.offset + user] + parameters[itemBias.offset + item]
        }

        func backward(
            user: Int, item: Int, outputGradient g: Float, parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
            gradients: UnsafeMutablePointer<Float>, rowGradients: UnsafeMutablePointer<Float>
        ) {
            let k = users.width, p = parameters + users.offset + user * k, q = parameters + items.offset + item * k
            for f in 0..<k {
                rowGradients[f] = g * q[f]  // ∂L/∂p_u
                rowGradients[k + f] = g * p[f]  // ∂L/∂q_i
            }
            rowGradients[2 * k] = g  // ∂L/∂b_u
            rowGradients[2 * k + 1] = g  // ∂L/∂b_i
        }
    }
}
