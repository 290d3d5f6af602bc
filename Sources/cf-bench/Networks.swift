// cf-bench --networks: one epoch of each neural rating model (lesson 10) on data of MovieLens 100K's shape.

import CFCore
import Foundation
import MovieLens
import TextOutput

extension Bench {
    /// Times an epoch of EmbeddingNetwork, EmbeddingDotBias and NeuMF (squared error, and logistic with 4 negatives per
    /// positive: five times the examples) on the 80,000 training ratings of the synthetic MovieLens 100K's seeded split,
    /// at minibatches of 256 and 1024, on one thread and on every core. The time of an epoch is the time of 3 epochs
    /// (as `onStep` reports it: initialization excluded) divided by 3; the median of the runs is shown.
    func runNetworks() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let split = try MovieLens.synthetic().split(seed: 42)
        let training = split.training, epochs = 3
        print(
            "cf-bench --networks: one epoch of each neural rating model on \(training.count) synthetic ratings "
                + "(\(training.userCount) users × \(training.itemCount) movies); \(cores) cores; "
                + "\(isDebugBuild ? "DEBUG build (times are not representative)" : "release build")\n")
        typealias Run = (Int, Int, @escaping (Double) -> Void) throws -> Void
        let models: [(name: String, settings: String, run: Run)] = [
            (
                "EmbeddingNetwork", "k=50, hidden [64]",
                { batch, threads, last in
                    _ = try EmbeddingNetwork.train(training, .init(factors: 50, hidden: [64], iterations: epochs, batchSize: batch, threads: threads)) {
                        last($0.elapsed)
                    }
                }
            ),
            (
                "EmbeddingNetwork", "k=50, hidden [64, 32]",
                { batch, threads, last in
                    _ = try EmbeddingNetwork.train(training, .init(factors: 50, hidden: [64, 32], iterations: epochs, batchSize: batch, threads: threads)) {
                        last($0.elapsed)
                    }
                }
            ),
            (
                "EmbeddingDotBias", "k=50",
                { batch, threads, last in
                    _ = try EmbeddingDotBias.train(training, .init(factors: 50, iterations: epochs, batchSize: batch, threads: threads)) { last($0.elapsed) }
                }
            ),
            (
                "NeuMF squared error", "k=32, hidden [64, 32]",
                { batch, threads, last in
                    _ = try NeuMF.train(training, .init(factors: 32, hidden: [64, 32], iterations: epochs, batchSize: batch, threads: threads)) {
                        last($0.elapsed)
                    }
                }
            ),
            (
                "NeuMF logistic", "k=32, hidden [64, 32], 4 negatives",
                { batch, threads, last in
                    _ = try NeuMF.train(
                        training,
                        .init(
                            factors: 32, hidden: [64, 32], loss: .logistic(negativesPerPositive: 4), iterations: epochs,
                            batchSize: batch, threads: threads)
                    ) { last($0.elapsed) }
                }
            )
        ]
        var rows = [[String]]()
        for model in models {
            for batch in [256, 1024] {
                var cells = [model.name, model.settings, "\(batch)"]
                for threads in [1, cores] where threads == 1 || cores > 1 {
                    var times = [Double]()
                    for _ in 0..<min(runs, 3) {
                        var elapsed = 0.0
                        try model.run(batch, threads) { elapsed = $0 }
                        times.append(elapsed / Double(epochs))
                    }
                    cells.append(String(format: "%.3f", times.sorted()[times.count / 2]))
                }
                print("  " + cells.joined(separator: ", "))
                rows.append(cells)
            }
        }
        let threadColumns = cores > 1 ? ["s/epoch, 1 thread", "s/epoch, \(cores) threads"] : ["s/epoch, 1 thread"]
        print("\n" + Table(header: ["model", "settings", "batch"] + threadColumns, rows: rows).text)
    }
}
