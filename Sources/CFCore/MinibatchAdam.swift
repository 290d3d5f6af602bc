import Dispatch
import Foundation

// Minibatch Adam for the networks that score a (user, item) pair: EmbeddingNetwork, EmbeddingDotBias and NeuMF share
// this loop and differ only in their forward and backward passes (their `PairNetwork`).

/// A network that turns a user and an item into one number z, as the minibatch trainer sees it.
///
/// Its parameters are one flat array: first the "dense" ones (every parameter that is not an embedding row: weights and
/// biases of dense layers), then the embedding tables. Each thread keeps its own gradient of the dense parameters; the
/// gradients of the embedding rows an example used are written per example and added into the tables afterwards, in
/// the order of the examples (see `MinibatchAdam`).
protocol PairNetwork: Sendable {
    /// The tables an example looks a row up in (the users' tables at the user's row, the items' at the item's), in the
    /// order their gradients are laid out in `rowGradients`.
    var tables: [Embedding] { get }
    /// The number of dense parameters, stored first (0..<denseCount).
    var denseCount: Int { get }
    /// The number of parameters.
    var parameterCount: Int { get }
    /// The scratch numbers one example's forward and backward pass needs.
    var scratchCount: Int { get }

    /// Forward: z for `user` and `item`, keeping in `scratch` what the backward pass needs.
    func forward(user: Int, item: Int, parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>) -> Float

    /// Backward, after `forward` with the same example and scratch, given ∂L/∂z: adds the gradients of the dense
    /// parameters into `gradients` (indexed like the parameters) and writes those of the rows the example used into
    /// `rowGradients` (the tables' widths one after another, as in `tables`).
    func backward(
        user: Int, item: Int, outputGradient: Float, parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        gradients: UnsafeMutablePointer<Float>, rowGradients: UnsafeMutablePointer<Float>)
}

extension PairNetwork {
    /// The numbers of an example's row gradients: the tables' widths added up.
    var rowWidth: Int { tables.reduce(0) { $0 + $1.width } }

    /// z for one pair, with scratch space on the stack (for scoring a trained model, not for training).
    func output(user: Int, item: Int, parameters: [Float]) -> Float {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(scratchCount, 1)) { scratch in
            parameters.withUnsafeBufferPointer { forward(user: user, item: item, parameters: $0.baseAddress!, scratch: scratch.baseAddress!) }
        }
    }
}

/// One training example: a user, an item and the target (a rating, or 1 and 0 for an interaction and a sampled
/// non-interaction).
struct PairExample: Sendable, Equatable {
    var user: Int32
    var item: Int32
    var target: Float

    init(user: Int, item: Int, target: Float) {
        self.user = Int32(user)
        self.item = Int32(item)
        self.target = target
    }
}

/// What a network's z becomes, and the loss of one example on it.
enum OutputHead: Sendable, Equatable {
    /// A rating: ŷ = low + (high − low) σ(z), with the loss (ŷ − y)².
    case squaredError(SigmoidRange)
    /// A probability of interaction, p = σ(z), with the logistic loss −y ln p − (1 − y) ln(1 − p).
    case logistic

    /// The prediction for z: the rating, or for the logistic loss z itself (the logit, what a ranking sorts by).
    func prediction(_ z: Float) -> Float {
        switch self {
        case let .squaredError(range): return range.forward(z)
        case .logistic: return z
        }
    }

    /// The loss of one example with output z and target y, and its derivative ∂loss/∂z.
    func loss(_ z: Float, target y: Float) -> (loss: Float, gradient: Float) {
        switch self {
        case let .squaredError(range):
            let prediction = range.forward(z), error = prediction - y
            return (error * error, range.backward(output: prediction, outputGradient: 2 * error))
        case .logistic:
            // −y ln σ(z) − (1 − y) ln(1 − σ(z)) = ln(1 + eᶻ) − y z, written so that no exponential overflows; its
            // derivative is σ(z) − y.
            let loss = max(z, 0) - y * z + log1p(exp(-abs(z)))
            return (loss, 1 / (1 + exp(-z)) - y)
        }
    }
}

/// The settings every pair network trains with (the trainer vocabulary of CFCore.docc/Trainers.md).
struct MinibatchSettings {
    var learningRate: Double
    var regularization: Double
    var iterations: Int
    var batchSize: Int
    var threads: Int?
    /// The name errors give the method ("EmbeddingNetwork (Adam)").
    var method: String
    /// How `regularization` applies.
    var decayForm: WeightDecayForm = .decoupled
    /// How the step size moves over the run, `learningRate` its peak.
    var schedule: LearningRateSchedule = .constant
}

/// Minibatch Adam with weight decay (`WeightDecayForm`) and a schedule of step sizes (`LearningRateSchedule`) on a
/// `PairNetwork`.
///
/// Each epoch visits the examples in the order of a fresh shuffle of 0..<n (numpy's, from the seeded generator) and
/// cuts that order into minibatches of `batchSize` (the last may be smaller). For each minibatch the loss is the mean
/// of its examples' losses; its gradient is computed in `slices` fixed slices of the minibatch (slice s holds
/// examples n·s/slices ..< n·(s + 1)/slices), each with its own gradient of the dense parameters. The slices run on
/// `threads` threads, but which examples a slice holds, and the order in which the slices' gradients are added up
/// (slice 0, then 1, …) and the embedding rows' gradients are added into their tables (example by example), never
/// depend on the threads: a seed gives the same numbers, bit for bit, on any number of them. Then Adam takes one step
/// on every parameter (the embedding rows a minibatch did not use still move with their momentum and decay, as with
/// PyTorch's dense embeddings).
///
/// The loss recorded for an epoch is the mean of its examples' losses, each computed just before the step on its
/// minibatch (fast.ai's training loss).
enum MinibatchAdam {
    /// The fixed number of slices of each minibatch: at most this many threads work on one.
    static let slices = 8

    /// Trains `parameters` in place and returns the loss of every epoch. `resample`, when given, rebuilds the examples
    /// at the start of each epoch (fresh negatives); `assemble` turns parameters into the model for `onStep`.
    static func train<Network: PairNetwork, Model>(
        _ network: Network, parameters: inout [Float], examples: inout [PairExample], head: OutputHead, settings: MinibatchSettings,
        rng: inout RandomState, resample: ((inout RandomState, inout [PairExample]) -> Void)? = nil,
        assemble: @escaping ([Float]) -> Model, onStep: TrainingCallback<Model>
    ) throws -> [Double] {
        require(parameters.count == network.parameterCount, "the network has \(network.parameterCount) parameters, not \(parameters.count)")
        require(
            settings.batchSize > 0 && settings.iterations >= 0 && settings.learningRate > 0 && settings.regularization >= 0,
            "batchSize and learningRate must be positive, iterations and regularization at least 0")
        require(settings.schedule.isValid, "a one-cycle schedule's warmup must be at least 0 and below 1")
        let workers = min(max(settings.threads ?? ProcessInfo.processInfo.activeProcessorCount, 1), slices)
        let buffers = Buffers(network, batchSize: settings.batchSize)
        // `.l2OnBatchRows` adds its penalty to the gradient itself (`gradient`'s `penalty`); Adam then decays nothing.
        let rowPenalty = settings.decayForm == .l2OnBatchRows ? Float(settings.regularization) : 0
        var adam = Adam(
            parameterCount: parameters.count, learningRate: settings.learningRate,
            weightDecay: rowPenalty > 0 ? 0 : settings.regularization, decay: settings.decayForm == .decoupled ? .decoupled : .l2)
        var order = [Int](), reporter = StepReporter(steps: settings.iterations), steps = 0
        for epoch in 1...max(settings.iterations, 1) where settings.iterations > 0 {
            resample?(&rng, &examples)
            let runSteps = settings.iterations * ((examples.count + settings.batchSize - 1) / settings.batchSize)
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: 0..<examples.count)
            rng.shuffle(&order)
            var total = 0.0
            parameters.withUnsafeMutableBufferPointer { p in
                examples.withUnsafeBufferPointer { all in
                    order.withUnsafeBufferPointer { order in
                        for start in stride(from: 0, to: order.count, by: settings.batchSize) {
                            let batch = UnsafeBufferPointer(rebasing: order[start..<min(start + settings.batchSize, order.count)])
                            adam.learningRate = settings.schedule.learningRate(settings.learningRate, step: steps, of: runSteps)
                            steps += 1
                            total += step(
                                network, batch: batch, examples: all, head: head, parameters: p.baseAddress!,
                                buffers: buffers, adam: &adam, workers: workers, penalty: rowPenalty)
                        }
                    }
                }
            }
            let loss = total / Double(max(examples.count, 1))
            let current = parameters
            let stop = try reporter.finish(
                step: epoch, loss: loss.isFinite && allFinite(current) ? loss : .nan,
                diverged: TrainingError.diverged(
                    method: settings.method, stepName: "epoch", step: epoch,
                    learningRate: settings.learningRate, regularization: settings.regularization),
                model: { assemble(current) }, onStep)
            if stop { break }
        }
        return reporter.history
    }

    /// One minibatch: the gradient of its mean loss, then one Adam step. Returns the sum of its examples' losses.
    private static func step<Network: PairNetwork>(
        _ network: Network, batch: UnsafeBufferPointer<Int>, examples: UnsafeBufferPointer<PairExample>, head: OutputHead,
        parameters: UnsafeMutablePointer<Float>, buffers: Buffers, adam: inout Adam, workers: Int, penalty: Float
    ) -> Double {
        let loss = gradient(
            network, batch: batch, examples: examples, head: head, parameters: parameters, buffers: buffers, workers: workers,
            penalty: penalty)
        adam.step(parameters, gradients: buffers.gradients, threads: workers)
        // Clear the rows for the next minibatch (the dense part is overwritten).
        let tables = network.tables
        for position in batch.indices {
            let example = buffers.batchExamples[position]
            for table in tables {
                let index = table.side == .users ? Int(example.user) : Int(example.item)
                (buffers.gradients + table.offset + index * table.width).update(repeating: 0, count: table.width)
            }
        }
        return loss
    }

    /// The gradient of the mean loss of the examples `batch` points at, into `buffers.gradients` (whose embedding part
    /// must be zero on entry). Returns the sum of the examples' losses (without any penalty).
    ///
    /// With a `penalty` λ > 0, each example's loss also has λ/2 ‖r‖² for each embedding row r it looks up, and the
    /// minibatch's λ/2 ‖θ‖² of the dense parameters (`WeightDecayForm.l2OnBatchRows`): the gradient gains λ r / n for
    /// each of the n examples' rows, and λ θ for the dense parameters.
    static func gradient<Network: PairNetwork>(
        _ network: Network, batch: UnsafeBufferPointer<Int>, examples: UnsafeBufferPointer<PairExample>, head: OutputHead,
        parameters: UnsafePointer<Float>, buffers: Buffers, workers: Int, penalty: Float = 0
    ) -> Double {
        let n = batch.count, scale = 1 / Float(n), dense = network.denseCount, width = network.rowWidth
        let shared = UncheckedSendable((batch, examples, parameters))
        // Each slice: forward and backward for its examples, into its own gradient and its examples' row gradients.
        let work: @Sendable (Int) -> Void = { worker in
            let (batch, examples, parameters) = shared.value
            for slice in stride(from: worker, to: slices, by: workers) {
                let gradients = buffers.sliceGradients + slice * dense, scratch = buffers.scratch + slice * buffers.scratchCount
                gradients.update(repeating: 0, count: dense)
                var loss = 0.0
                let positions = (n * slice / slices)..<(n * (slice + 1) / slices)
                // The slice's examples first, side by side: scattered over the shuffled examples, each would otherwise
                // be a cache miss that the example's whole pass waits for; copied in one loop, the misses overlap.
                for position in positions { buffers.batchExamples[position] = examples[batch[position]] }
                for position in positions {
                    let example = buffers.batchExamples[position], user = Int(example.user), item = Int(example.item)
                    let z = network.forward(user: user, item: item, parameters: parameters, scratch: scratch)
                    let (exampleLoss, slope) = head.loss(z, target: example.target)
                    loss += Double(exampleLoss)
                    network.backward(
                        user: user, item: item, outputGradient: slope * scale, parameters: parameters, scratch: scratch,
                        gradients: gradients, rowGradients: buffers.rowGradients + position * width)
                }
                buffers.losses[slice] = loss
            }
        }
        if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        // The minibatch's gradient: the slices' dense gradients in slice order, the rows' example by example.
        let gradients = buffers.gradients, tables = network.tables
        var loss = 0.0
        for slice in 0..<slices { loss += buffers.losses[slice] }
        if dense > 0 {
            gradients.update(from: buffers.sliceGradients, count: dense)
            for slice in 1..<slices { Vector.add(1, times: buffers.sliceGradients + slice * dense, to: gradients, count: dense) }
            if penalty > 0 { Vector.add(penalty, times: parameters, to: gradients, count: dense) }
        }
        for position in 0..<n {
            let example = buffers.batchExamples[position]
            var row = UnsafePointer(buffers.rowGradients + position * width)
            for table in tables {
                let index = table.side == .users ? Int(example.user) : Int(example.item)
                table.backward(index, outputGradient: row, gradients: gradients)
                if penalty > 0 {
                    let start = table.offset + index * table.width
                    Vector.add(penalty * scale, times: parameters + start, to: gradients + start, count: table.width)
                }
                row += table.width
            }
        }
        return loss
    }

    /// The mean loss of `examples`, taken as one minibatch, and its gradient with respect to every parameter, as
    /// training computes them (for checking them, e.g. against finite differences).
    static func lossAndGradient<Network: PairNetwork>(
        _ network: Network, parameters: [Float], examples: [PairExample], head: OutputHead,
        threads: Int = 1, penalty: Float = 0
    ) -> (loss: Double, gradient: [Float]) {
        let buffers = Buffers(network, batchSize: examples.count), order = Array(examples.indices)
        let loss = parameters.withUnsafeBufferPointer { p in
            examples.withUnsafeBufferPointer { all in
                order.withUnsafeBufferPointer { batch in
                    gradient(
                        network, batch: batch, examples: all, head: head, parameters: p.baseAddress!, buffers: buffers, workers: threads,
                        penalty: penalty)
                }
            }
        }
        return (loss / Double(examples.count), Array(UnsafeBufferPointer(start: buffers.gradients, count: network.parameterCount)))
    }

    /// The buffers of a run, allocated once: the gradient of every parameter, each slice's dense gradient and scratch
    /// space, each example's row gradients, each slice's loss, the minibatch's examples. Threads share it, each writing
    /// only its own slices' parts and its own examples' rows and copies.
    final class Buffers: @unchecked Sendable {
        let gradients: UnsafeMutablePointer<Float>
        let sliceGradients: UnsafeMutablePointer<Float>
        let scratch: UnsafeMutablePointer<Float>
        let scratchCount: Int
        let rowGradients: UnsafeMutablePointer<Float>
        let losses: UnsafeMutablePointer<Double>
        /// The minibatch's examples, in its order (each slice copies its own).
        let batchExamples: UnsafeMutablePointer<PairExample>

        init<Network: PairNetwork>(_ network: Network, batchSize: Int) {
            func zeros<T: Numeric>(_ count: Int) -> UnsafeMutablePointer<T> {
                let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
                pointer.initialize(repeating: 0, count: max(count, 1))
                return pointer
            }
            gradients = zeros(network.parameterCount)
            sliceGradients = zeros(MinibatchAdam.slices * network.denseCount)
            scratchCount = network.scratchCount
            scratch = zeros(MinibatchAdam.slices * scratchCount)
            rowGradients = zeros(batchSize * network.rowWidth)
            losses = zeros(MinibatchAdam.slices)
            batchExamples = .allocate(capacity: max(batchSize, 1))
            batchExamples.initialize(repeating: PairExample(user: 0, item: 0, target: 0), count: max(batchSize, 1))
        }

        deinit {
            gradients.deallocate()
            sliceGradients.deallocate()
            scratch.deallocate()
            rowGradients.deallocate()
            losses.deallocate()
            batchExamples.deallocate()
        }
    }
}
