// cf-bench --scale: how the cost of one training step grows with the number of ratings.

import ArgumentParser
import CFCore
import Figures
import Foundation
import MovieLens
import TextOutput

/// The sizes `--scale` times: synthetic data of MovieLens' shape at the published sizes (users, movies, ratings).
let scaleSizes: [(name: String, users: Int, movies: Int, ratings: Int)] = MovieLensShape.published.map {
    ($0.name, $0.users, $0.movies, $0.ratings)
}

extension Bench {
    /// Times one SGD epoch, one ALS sweep and one batch-GD iteration (the main table's settings, every core) on
    /// each size, prints a table, and draws time against ratings on log-log axes.
    func runScale() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let memory = ProcessInfo.processInfo.physicalMemory
        print(
            "cf-bench --scale: one step of each trainer on synthetic data of MovieLens' shape; \(cores) cores, "
                + "\(memory / 1_073_741_824) GB of memory; \(isDebugBuild ? "DEBUG build (times are not representative)" : "release build")\n")
        var rows = [[String]](), points = [[(Double, Double)]](repeating: [], count: 3)
        let last = scaleSizes.firstIndex { $0.name == scaleUpTo } ?? scaleSizes.count - 1
        for size in scaleSizes.prefix(last + 1) {
            // Ratings take 32 bytes each (by user and by item, 16 bytes a copy); generating them briefly needs about 4× that.
            let needed = UInt64(size.ratings) * 32 * 4
            guard needed < memory / 2 else {
                print("skipping \(size.name): about \(needed / 1_048_576) MB needed, more than half of this machine's memory")
                continue
            }
            let started = Date()
            let data = try MovieLens.synthetic(seed: 42, users: size.users, movies: size.movies, count: size.ratings)
            let ratings = data.ratings
            let made = Date().timeIntervalSince(started)
            let bytes = Double(MemoryLayout<Rating>.stride * 2)  // entries and entriesByItem
            var rng = RandomState(seed: 42)
            let sgdStart = (0.1 * rng.randn(ratings.userCount, 100), 0.1 * rng.randn(ratings.itemCount, 100))
            let sgd = try time(runs: min(runs, 3)) {
                _ = try StochasticGradientDescent.train(
                    ratings,
                    .init(
                        factors: 100, learningRate: 0.005, regularization: 0.02, iterations: 1, biases: true,
                        precision: .single, computesLoss: false, blocks: cores == 1 ? 1 : 2 * cores, threads: cores),
                    initialUserFactors: sgdStart.0, initialItemFactors: sgdStart.1)
            }
            let alsStart = 0.1 * rng.rand(ratings.itemCount, 50)
            let als = try time(runs: min(runs, 3)) {
                _ = try AlternatingLeastSquares.train(
                    ratings,
                    .init(
                        factors: 50, regularization: 0.12, weightedRegularization: true, iterations: 1, tolerance: 0,
                        biases: true, precision: .single, computesLoss: false),
                    initialItemFactors: alsStart)
            }
            let means = ratings.itemMeans(), normalized = ratings.subtracting(itemOffsets: means)
            let gdStart = (0.01 * rng.randn(ratings.itemCount, 10), 0.01 * rng.randn(ratings.userCount, 10))
            // Two iterations less one: the first pass of a run only sets up the gradient.
            let gd =
                try time(runs: min(runs, 3)) {
                    _ = try BatchGradientDescent.train(
                        normalized, .init(learningRate: 0.003, regularization: 10, iterations: 1),
                        initialUserFactors: gdStart.1, initialItemFactors: gdStart.0)
                } / 2
            for (index, seconds) in [sgd, als, gd].enumerated() { points[index].append((Double(ratings.count), seconds)) }
            rows.append([
                size.name, "\(ratings.count)", "\(ratings.userCount) × \(ratings.itemCount)", String(format: "%.0f", bytes),
                String(format: "%.4f", sgd), String(format: "%.4f", als), String(format: "%.5f", gd), String(format: "%.1f", made)
            ])
            print(
                "  \(size.name): SGD epoch \(String(format: "%.4f", sgd)) s, ALS sweep \(String(format: "%.4f", als)) s, GD iteration \(String(format: "%.5f", gd)) s"
            )
        }
        print(
            "\n"
                + Table(
                    header: ["size", "ratings", "users × movies", "bytes/rating", "SGD epoch s", "ALS sweep s", "GD iteration s", "generating s"],
                    rows: rows
                ).text)
        let figure = Figure.lines(
            name: "scale", title: "One training step against the number of ratings (synthetic MovieLens shapes, \(cores) cores)",
            xLabel: "ratings (log scale)", yLabel: "seconds per step (log scale)",
            series: [
                Series("SGD epoch (k = 100)", x: points[0].map(\.0), y: points[0].map(\.1)),
                Series("ALS sweep (k = 50, Float)", x: points[1].map(\.0), y: points[1].map(\.1)),
                Series("batch GD iteration (k = 10)", x: points[2].map(\.0), y: points[2].map(\.1))
            ],
            logX: true, logY: true)
        let folder = URL(fileURLWithPath: scaleOutput).standardizedFileURL
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("cannot create \(folder.path): \(reason(of: error))")
        }
        let renderer = GnuplotRenderer(directory: folder)
        try renderer.writeScript(figure)
        do {
            try renderer.render("scale")
            print("\nwrote \(folder.path)/scale.gp and scale.png")
        } catch {
            print("\nwrote \(folder.path)/scale.gp (not rendered: \(error))")
        }
    }

    /// The median seconds of `runs` calls of `body`.
    func time(runs: Int, _ body: () throws -> Void) throws -> Double {
        var times = [Double]()
        for _ in 0..<max(runs, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }
}
