/// Neural matrix factorization (NeuMF; He et al., "Neural Collaborative Filtering", 2017): two branches side by side,
/// each with its own user and item embeddings,
///
///     GMF:  φ = p_u ⊙ q_i                                  (a dot product before its sum: generalized MF)
///     MLP:  ψ = ReLU(W_L · … ReLU(W₁ [p′_u, q′_i] + b₁) … + b_L)
///     z = w · [φ, ψ] + b
///
/// so the output unit can weigh the dot product's terms and the network's features as it likes (with w all ones and no
/// MLP it is the plain dot product). Two ways to train it (`Loss`):
/// - `.squaredError(range)`: ratings, with ŷ = low + (high − low) σ(z) as in `EmbeddingNetwork`;
/// - `.logistic(negativesPerPositive:)`: implicit feedback, as in the paper: every cell of the ratings is an
///   interaction (label 1, whatever its value), and each epoch draws that many items the user has not interacted with
///   for each (label 0); the loss is the logistic loss on σ(z), and the score is z itself, what a ranking sorts by.
///
/// Both branches' embeddings have `factors` numbers. (The paper also pretrains the two branches apart and joins them;
/// this trains the whole model from random parameters, by minibatch Adam with weight decay, `decayForm`.)
public struct NeuMF: RatingPredictor {
    /// What the model is trained to predict, and the loss of doing so.
    public enum Loss: Sendable, Equatable {
        /// Ratings: the squared error of low + (high − low) σ(z), with the sigmoid's range (e.g. 0.5...5.5).
        case squaredError(ClosedRange<Double>)
        /// Interactions: the logistic loss of σ(z), on every interaction and this many sampled non-interactions for each,
        /// drawn afresh every epoch.
        case logistic(negativesPerPositive: Int)
    }

    /// Settings of a run (the core's trainer vocabulary: CFCore.docc/Trainers.md).
    public struct Configuration: Sendable {
        /// The size k of every embedding (GMF's and the MLP's).
        public var factors: Int
        /// The sizes of the MLP branch's layers, first to last (each followed by a ReLU).
        public var hidden: [Int]
        /// What is predicted, and the loss.
        public var loss: Loss
        /// The weight decay λ, applied as `decayForm` says.
        public var regularization: Double
        /// Adam's step size.
        public var learningRate: Double
        /// Epochs: passes over the ratings (with `.logistic`, over the interactions and their sampled negatives).
        public var iterations: Int
        /// Examples per minibatch (one Adam step each).
        public var batchSize: Int
        /// The seed of the initial parameters, the negatives and the shuffles.
        public var seed: UInt32
        /// Threads to compute each minibatch's gradient on (nil: every core); the numbers never depend on it.
        public var threads: Int?
        /// How `regularization` pulls the parameters toward 0: decoupled (AdamW, the default), an L2 penalty on every
        /// parameter, or an L2 penalty on the embedding rows each minibatch uses (`WeightDecayForm`).
        public var decayForm: WeightDecayForm
        /// How the step size moves over the `iterations` epochs, `learningRate` its peak: constant (the default), or
        /// fast.ai's one cycle (`LearningRateSchedule`).
        public var schedule: LearningRateSchedule

        /// Settings; the defaults are those of `EmbeddingNetwork.Configuration`, predicting ratings of 1 to 5.
        public init(
            factors: Int, hidden: [Int] = [64], loss: Loss = .squaredError(0.5...5.5), regularization: Double = 0.5,
            learningRate: Double = 0.003, iterations: Int = 10, batchSize: Int = 512, seed: UInt32 = 42, threads: Int? = nil,
            decayForm: WeightDecayForm = .decoupled, schedule: LearningRateSchedule = .constant
        ) {
            self.factors = factors
            self.hidden = hidden
            self.loss = loss
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
        public var model: NeuMF
        /// The mean loss of each epoch's examples (squared error or logistic loss), each measured just before its step.
        public var history: [Double]
    }

    /// The layers and where their parameters lie.
    let network: Network
    /// Every parameter, in the layout of `network`: the MLP's layers, the output unit, then the embeddings of GMF's
    /// users and items and of the MLP's users and items.
    public internal(set) var parameters: [Float]
    /// The loss the model was trained with, which says what its score is.
    public let loss: Loss
    /// Predictions are clipped to this range when it is set (never with `.logistic`, whose scores are logits).
    public var ratingScale: ClosedRange<Double>?

    /// The number of users.
    public var userCount: Int { network.gmfUsers.rows }
    /// The number of items.
    public var itemCount: Int { network.gmfItems.rows }
    /// The size of every embedding.
    public var factors: Int { network.gmfUsers.width }
    /// The sizes of the MLP branch's layers.
    public var hidden: [Int] { network.tower.layers.map(\.outputs) }

    /// With `.squaredError`, the predicted rating through the sigmoid range; with `.logistic`, the logit z (the
    /// probability of an interaction is σ(z)).
    public func score(user: Int, item: Int) -> Double {
        let z = network.output(user: user, item: item, parameters: parameters)
        switch loss {
        case let .squaredError(range): return Double(OutputHead.squaredError(SigmoidRange(range)).prediction(z))
        case .logistic: return Double(z)
        }
    }

    /// Trains the model on `ratings` by minibatch Adam, from embeddings drawn normal with standard deviation 0.01 and
    /// dense layers drawn by He's rule, all from the seed in the order of the parameters; then, each epoch, the
    /// negatives (with `.logistic`) and the shuffle.
    ///
    /// - Parameter onStep: called after every epoch with its loss; `progress.stop()` ends training there.
    /// - Throws: `TrainingError.diverged` when the loss or a parameter stops being finite.
    public static func train(_ ratings: Ratings, _ configuration: Configuration, onStep: TrainingCallback<NeuMF> = { _ in }) throws -> Result {
        let network = Network(users: ratings.userCount, items: ratings.itemCount, factors: configuration.factors, hidden: configuration.hidden)
        var rng = RandomState(seed: configuration.seed)
        var parameters = network.initialParameters(rng: &rng)
        let head: OutputHead, resample: ((inout RandomState, inout [PairExample]) -> Void)?
        var examples = [PairExample]()
        switch configuration.loss {
        case let .squaredError(range):
            head = .squaredError(SigmoidRange(range))
            examples = ratings.entries.map { PairExample(user: $0.user, item: $0.item, target: Float($0.value)) }
            resample = nil
        case let .logistic(negatives):
            require(negatives >= 1, "the logistic loss needs at least one negative per positive, not \(negatives)")
            head = .logistic
            let sampler = NegativeSampler(ratings, negativesPerPositive: negatives)
            resample = { rng, examples in sampler.sample(&rng, into: &examples) }
        }
        let settings = MinibatchSettings(
            learningRate: configuration.learningRate, regularization: configuration.regularization,
            iterations: configuration.iterations, batchSize: configuration.batchSize,
            threads: configuration.threads, method: "NeuMF (Adam)",
            decayForm: configuration.decayForm, schedule: configuration.schedule)
        let history = try MinibatchAdam.train(
            network, parameters: &parameters, examples: &examples, head: head, settings: settings, rng: &rng, resample: resample,
            assemble: { NeuMF(network: network, parameters: $0, loss: configuration.loss) }, onStep: onStep)
        return Result(model: NeuMF(network: network, parameters: parameters, loss: configuration.loss), history: history)
    }

    /// The two branches and the output unit, and the forward and backward passes through them.
    struct Network: PairNetwork {
        let tower: MultilayerPerceptron, output: Dense
        let gmfUsers: Embedding, gmfItems: Embedding, mlpUsers: Embedding, mlpItems: Embedding

        init(users userCount: Int, items itemCount: Int, factors k: Int, hidden: [Int]) {
            require(k > 0, "factors must be positive, not \(k)")
            tower = MultilayerPerceptron(inputs: 2 * k, hidden: hidden, offset: 0)
            output = Dense(inputs: k + tower.outputs, outputs: 1, offset: tower.end)
            gmfUsers = Embedding(side: .users, rows: userCount, width: k, offset: output.end)
            gmfItems = Embedding(side: .items, rows: itemCount, width: k, offset: gmfUsers.end)
            mlpUsers = Embedding(side: .users, rows: userCount, width: k, offset: gmfItems.end)
            mlpItems = Embedding(side: .items, rows: itemCount, width: k, offset: mlpUsers.end)
        }

        var tables: [Embedding] { [gmfUsers, gmfItems, mlpUsers, mlpItems] }
        var denseCount: Int { output.end }
        var parameterCount: Int { mlpItems.end }
        /// [φ, ψ]: the GMF vector and the MLP's output end to end, the input of the output unit.
        var joined: Int { output.inputs }
        // Scratch: the MLP's input (2k), [φ, ψ] and its gradient, z's gradient, the MLP's own scratch.
        var scratchCount: Int { 2 * gmfUsers.width + 2 * joined + 1 + tower.scratchCount }

        func initialParameters(rng: inout RandomState) -> [Float] {
            var parameters = [Float](repeating: 0, count: parameterCount)
            tower.initialize(&parameters, rng: &rng)
            output.initialize(&parameters, rng: &rng)
            for table in tables { table.initialize(&parameters, deviation: 0.01, rng: &rng) }
            return parameters
        }

        func forward(user: Int, item: Int, parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>) -> Float {
            let k = gmfUsers.width, x = scratch, joinedVector = x + 2 * k, towerScratch = joinedVector + 2 * joined + 1
            let p = parameters + gmfUsers.offset + user * k, q = parameters + gmfItems.offset + item * k
            ElementwiseProduct.forward(p, q, into: joinedVector, count: k)  // φ
            mlpUsers.forward(user, into: x, parameters: parameters)
            mlpItems.forward(item, into: x + k, parameters: parameters)
            tower.forward(x, into: joinedVector + k, parameters: parameters, scratch: towerScratch)  // ψ
            var z: Float = 0
            output.forward(joinedVector, into: &z, parameters: parameters)
            return z
        }

        func backward(
            user: Int, item: Int, outputGradient: Float, parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
            gradients: UnsafeMutablePointer<Float>, rowGradients: UnsafeMutablePointer<Float>
        ) {
            let k = gmfUsers.width, x = scratch, joinedVector = x + 2 * k, joinedGradient = joinedVector + joined
            let zGradient = joinedGradient + joined
            let p = parameters + gmfUsers.offset + user * k, q = parameters + gmfItems.offset + item * k
            zGradient.pointee = outputGradient
            output.backward(input: joinedVector, outputGradient: zGradient, inputGradient: joinedGradient, parameters: parameters, gradients: gradients)
            // Row gradients: GMF's user and item rows, then the MLP's (∂L/∂x, as x = [p′_u, q′_i]).
            ElementwiseProduct.backward(p, q, outputGradient: joinedGradient, aGradient: rowGradients, bGradient: rowGradients + k, count: k)
            tower.backward(
                input: x, output: joinedVector + k, outputGradient: joinedGradient + k, inputGradient: rowGradients + 2 * k,
                parameters: parameters, gradients: gradients, scratch: zGradient + 1)
        }
    }
}
