// cf-bench: how fast and how accurate the core's trainers are on a MovieLens fold.
//
//     swift run -c release cf-bench --data ../shared/datasets/ml-100k
//
// Each trainer runs several times from the same start; the table gives the median time with its range,
// rating updates per second, seconds per epoch (or sweep, or iteration), and the test RMSE.

import ArgumentParser
import CFCore
import Figures
import Foundation
import MovieLens
import TextOutput

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cf-bench",
        abstract: "Times the core's trainers (SGD, ALS, batch GD) on a MovieLens fold.",
        discussion: """
            SGD: biased matrix factorization, k = 100, 20 epochs, learning rate 0.005, λ 0.02 (the defaults of \
            Surprise's SVD), on one thread and on every core; SVD++ with Surprise SVDpp's defaults. ALS: weighted λ, \
            10 sweeps, on every core: biased k = 50 in double and in single precision, plain k = 50 and k = 10. Batch \
            GD: k = 10, 100 iterations, α = 0.003, λ = 10, with mean normalization (lesson 5), on every core. Only \
            training is timed. `make bench-peers` runs the same settings in numpy, Surprise and Spark beside it. \
            Build in release mode.

            --write-shape 25M --fraction 0.01 --to DIR writes generated data of MovieLens 25M's shape (162,541 users, \
            59,047 movies, 25,000,095 ratings, each scaled by the fraction) in latest-small's CSV format; the lessons read \
            it with --data DIR. --lessons --fraction 0.1 writes (or reuses) such a data set and runs lessons 5 to 10 on it, \
            one process each, printing each lesson's wall time, peak resident memory and exit status (a lesson that fails \
            shows its one-line error there). Build the lessons in release mode first: swift build -c release.
            """)

    @Option(
        help: ArgumentHelp(
            "Folder with MovieLens (default: $CF_DATA_DIR, else the cache folder lesson 5 downloads to).",
            valueName: "dir"))
    var data: String?

    @Flag(help: "Benchmark on generated data of MovieLens 100K's shape instead.")
    var synthetic = false

    @Option(
        help: ArgumentHelp("The official fold of MovieLens 100K to use, 1-5 (default: u1 when the data set has it, else a seeded 80/20 split).", valueName: "n")
    )
    var fold: Int?

    @Option(help: ArgumentHelp("Runs of each trainer (the median is reported).", valueName: "n"))
    var runs: Int = 5

    @Option(help: ArgumentHelp("Also write the results as JSON to this file.", valueName: "file"))
    var json: String?

    @Flag(help: "Instead, time one step of each trainer on synthetic data of 100K, 1M, 10M and 25M ratings, and draw time against ratings.")
    var scale = false

    @Flag(help: "Instead, time one epoch of each neural rating model (lesson 10) on synthetic data of MovieLens 100K's shape.")
    var networks = false

    @Option(name: .customLong("scale-output"), help: ArgumentHelp("Folder for --scale's figure.", valueName: "dir"))
    var scaleOutput: String = "output/cf-bench"

    @Option(name: .customLong("scale-up-to"), help: ArgumentHelp("The largest size --scale times: 100K, 1M, 10M or 25M.", valueName: "size"))
    var scaleUpTo: String = "25M"

    @Option(
        name: .customLong("write-shape"),
        help: ArgumentHelp(
            "Instead, write generated data of a MovieLens shape (100K, 1M, 10M or 25M) to --to DIR in latest-small's CSV format, "
                + "scaled by --fraction; every MovieLens lesson reads it with --data DIR.", valueName: "size"))
    var writeShape: String?

    @Option(
        help: ArgumentHelp(
            "With --write-shape and --lessons: the share of the shape's users, movies and ratings to generate, above 0 and at most 1.",
            valueName: "f"))
    var fraction: Double = 1

    @Option(
        help: ArgumentHelp(
            "With --write-shape: the folder to write (new, empty, or written by --write-shape before). With --lessons: the data set's "
                + "folder (default: output/cf-bench/ml-<shape>-shape-<fraction>-seed<seed>), reused when it holds the same data set.",
            valueName: "dir"))
    var to: String?

    @Option(help: ArgumentHelp("With --write-shape and --lessons: the seed of the generated data set.", valueName: "n"))
    var seed: UInt32 = 42

    @Flag(
        help: ArgumentHelp(
            "Instead, run lessons 5 to 10 (release builds, beside cf-bench) on generated data of MovieLens 25M's shape at --fraction, "
                + "and print each one's wall time, peak memory and exit status."))
    var lessons = false

    @Option(name: .customLong("shape"), help: ArgumentHelp("With --lessons: the shape of the data set, 100K, 1M, 10M or 25M.", valueName: "size"))
    var lessonShape: String = "25M"

    @Option(name: .customLong("lesson-numbers"), help: ArgumentHelp("With --lessons: which lessons to run, such as 5,7,9.", valueName: "list"))
    var lessonNumbers: String = "5,6,7,8,9,10"

    @Option(
        name: .customLong("lesson-timeout"),
        help: ArgumentHelp("With --lessons: seconds after which a lesson is stopped and reported as such.", valueName: "s"))
    var lessonTimeout: Double = 900

    func validate() throws {
        if let fold, !(1...5).contains(fold) { throw ValidationError("--fold must be 1 to 5") }
        if synthetic && data != nil { throw ValidationError("--synthetic and --data exclude each other: the benchmark runs on one data set") }
        let modes = [("--scale", scale), ("--networks", networks), ("--write-shape", writeShape != nil), ("--lessons", lessons)].filter(\.1)
        if modes.count > 1 {
            throw ValidationError("\(modes[0].0) and \(modes[1].0) exclude each other: each is a mode of its own")
        }
        if writeShape != nil || lessons {
            let name = writeShape ?? lessonShape
            guard let shape = MovieLensShape.named(name) else { throw ValidationError(unknownShape(name)) }
            do { _ = try shape.scaled(by: fraction) } catch { throw ValidationError("--fraction: \(error)") }
            if writeShape != nil && to == nil { throw ValidationError("--write-shape needs --to DIR, the folder to write the data set to") }
            if let to, to.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--to needs a folder name (it is empty)") }
            if data != nil || synthetic {
                throw ValidationError("--data and --synthetic do not apply to --write-shape and --lessons, which generate their data")
            }
        }
        if lessons {
            _ = try lessonList()
            guard lessonTimeout > 0 && lessonTimeout.isFinite else { throw ValidationError("--lesson-timeout must be a positive number of seconds") }
        }
        if synthetic && fold != nil { throw ValidationError("--fold needs MovieLens 100K's folds; the synthetic data has one seeded split") }
        guard (1...100).contains(runs) else { throw ValidationError("--runs must be between 1 and 100, not \(runs)") }
        if let json { try checkWritable(json) }
        guard scaleSizes.contains(where: { $0.name == scaleUpTo }) else {
            throw ValidationError("--scale-up-to must be one of \(scaleSizes.map(\.name).joined(separator: ", ")), not \(scaleUpTo)")
        }
    }

    /// Checks, before minutes of benchmarking, that `path` can be written: not empty, not a folder, in a writable folder.
    func checkWritable(_ path: String) throws {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--json needs a file name (it is empty)") }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            throw ValidationError("--json \(path) is a folder; give a file name such as \(path)/bench.json")
        }
        let folder = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("--json \(path): the folder \(folder.path) does not exist")
        }
        // A probe file, really created and removed: permissions alone do not tell (root may "write" in /proc).
        let probe = folder.appendingPathComponent(".cf-bench-probe-\(getpid())")
        guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
            throw ValidationError("--json \(path): cannot create a file in \(folder.path)")
        }
        try? FileManager.default.removeItem(at: probe)
    }

    func run() throws {
        if scale { return try runScale() }
        if let writeShape { return try runWriteShape(writeShape) }
        if lessons { return try runLessons() }
        if networks { return try runNetworks() }
        let movieLens: MovieLens
        if synthetic {
            movieLens = try .synthetic()
        } else {
            // The lessons' own lookup: a mistyped --data or CF_DATA_DIR is said the same way.
            let (folder, found) = try DataLocation.locate(explicit: data)
            guard let found else {
                throw ValidationError("no MovieLens in \(folder.path): pass --data DIR, run `swift run lesson-5` once to download it, or use --synthetic")
            }
            movieLens = try MovieLens.load(from: found)
        }
        let split = try fold.map { try movieLens.split(fold: $0) } ?? movieLens.split(seed: 42)
        let training = split.training, test = split.test
        print("cf-bench: \(movieLens.format.rawValue), \(split.description): \(training.count) training and \(test.count) test ratings")
        print(
            "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(isDebugBuild ? "DEBUG build (times are not representative)" : "release build")\n"
        )

        let rows = try trainers(training, test)

        print(
            Table(
                header: ["trainer", "settings", "median s", "min–max s", "s per step", "updates/s", "RMSE test"],
                rows: rows.map {
                    [
                        $0.name, $0.settings, String(format: "%.4f", $0.median), String(format: "%.4f–%.4f", $0.times.min()!, $0.times.max()!),
                        String(format: "%.5f", $0.median / Double($0.steps)) + " /" + $0.unit, String(format: "%.3g", $0.updatesPerSecond),
                        $0.rmse.isNaN ? "—" : String(format: "%.4f", $0.rmse)
                    ]
                }
            ).text)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if let peak = peakGigaflops(cores: cores) {
            print("\nALS against this machine's peak, \(String(format: "%.0f", peak.gigaflops)) GFLOP/s in 32 bits (\(peak.how)):")
            for row in rows where row.gigaflops != nil {
                print(
                    "  \(row.name), \(row.settings): \(String(format: "%.1f", row.gigaflops!)) GFLOP/s, "
                        + "\(String(format: "%.0f", 100 * row.gigaflops! / peak.gigaflops))% of peak")
            }
        }
        if let json {
            let value = JSONValue.object([
                ("dataset", movieLens.format.rawValue.json), ("split", split.description.json),
                ("training_ratings", training.count.json), ("test_ratings", test.count.json),
                ("cores", ProcessInfo.processInfo.activeProcessorCount.json), ("debug_build", isDebugBuild.json),
                ("runs", runs.json), ("rows", .array(rows.map(\.json)))
            ])
            try writeAtomically(value.text() + "\n", to: URL(fileURLWithPath: json))
            print("\nwrote \(json)")
        }
    }

    /// The trainers of the table, each with the settings its peer uses (README, "Performance"). Every row's
    /// starting factors and inputs are made before the clock starts: only training is timed, as the peers are.
    func trainers(_ training: Ratings, _ test: Ratings) throws -> [BenchRow] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var rows = [BenchRow]()
        // SGD, biased, Surprise SVD's defaults; factors start as normal(0, 0.1) like Surprise's.
        for threads in [1, cores] where threads == 1 || cores > 1 {
            rows.append(
                try measure(
                    "SGD biased MF", settings: "k=100, 20 epochs, lr 0.005, λ 0.02, Float, \(threads) thread\(threads == 1 ? "" : "s")",
                    unit: "epoch", steps: 20, ratings: training.count, test: test,
                    prepare: {
                        var rng = RandomState(seed: 42)
                        return (0.1 * rng.randn(training.userCount, 100), 0.1 * rng.randn(training.itemCount, 100))
                    },
                    train: { start in
                        try StochasticGradientDescent.train(
                            training,
                            .init(
                                factors: 100, learningRate: 0.005, regularization: 0.02, iterations: 20, biases: true,
                                precision: .single, computesLoss: false, blocks: threads == 1 ? 1 : 2 * threads, threads: threads),
                            initialUserFactors: start.0, initialItemFactors: start.1
                        ).model
                    }))
        }
        // SVD++ (implicit feedback), Surprise SVDpp's defaults, the same start.
        rows.append(
            try measure(
                "SGD SVD++", settings: "k=20, 20 epochs, lr 0.007, λ 0.02, Float, 1 thread", unit: "epoch",
                steps: 20, ratings: training.count, test: test,
                prepare: {
                    var rng = RandomState(seed: 42)
                    return (0.1 * rng.randn(training.userCount, 20), 0.1 * rng.randn(training.itemCount, 20))
                },
                train: { start in
                    try StochasticGradientDescent.train(
                        training,
                        .init(
                            factors: 20, learningRate: 0.007, regularization: 0.02, iterations: 20, biases: true,
                            precision: .single, computesLoss: false, implicitFeedback: true),
                        initialUserFactors: start.0, initialItemFactors: start.1
                    ).model
                }))
        // ALS: 10 sweeps with weighted λ, the objective not computed (numpy's loop and Spark do not compute it either).
        let als: [(name: String, k: Int, biases: Bool, precision: Precision)] = [
            ("ALS biased", 50, true, .double), ("ALS biased", 50, true, .single), ("ALS", 50, false, .single), ("ALS", 10, false, .single)
        ]
        for setting in als {
            var row = try measure(
                setting.name,
                settings: "k=\(setting.k), 10 sweeps, weighted λ \(setting.k == 10 ? "0.1" : "0.12"), "
                    + "\(setting.precision == .single ? "Float" : "Double"), \(cores) threads",
                unit: "sweep", steps: 10, ratings: 2 * training.count, test: test,
                prepare: {
                    var rng = RandomState(seed: 42)
                    return 0.1 * rng.rand(training.itemCount, setting.k)
                },
                train: { start in
                    try AlternatingLeastSquares.train(
                        training,
                        .init(
                            factors: setting.k, regularization: setting.k == 10 ? 0.1 : 0.12, weightedRegularization: true, iterations: 10,
                            tolerance: 0, biases: setting.biases, precision: setting.precision, computesLoss: false),
                        initialItemFactors: start
                    ).model
                })
            if setting.precision == .single {
                row.flopsPerStep = alsFlops(
                    ratings: training.count, users: training.userCount, items: training.itemCount,
                    factors: setting.k, biases: setting.biases)
            }
            rows.append(row)
        }
        // Batch GD on mean-normalized ratings (lesson 5), as numpy's dense masked version does.
        let means = training.itemMeans(), normalized = training.subtracting(itemOffsets: means)
        rows.append(
            try measure(
                "batch GD", settings: "k=10, 100 iterations, α 0.003, λ 10, \(cores) threads", unit: "iteration",
                steps: 100, ratings: training.count, test: test,
                prepare: {
                    var rng = RandomState(seed: 42)
                    return (0.01 * rng.randn(training.itemCount, 10), 0.01 * rng.randn(training.userCount, 10))
                },
                train: { start in
                    var model = try BatchGradientDescent.train(
                        normalized, .init(learningRate: 0.003, regularization: 10, iterations: 100),
                        initialUserFactors: start.1, initialItemFactors: start.0
                    ).model
                    model.itemBias = means
                    return model
                }))
        // Implicit feedback (lesson 9): every training rating is an interaction of strength 1, as the `implicit` library
        // is given a binary matrix; α 40, λ 0.1 as its usual settings, 15 iterations.
        let interactions = try Ratings(
            userCount: training.userCount, itemCount: training.itemCount,
            ratings: training.entries.map { Rating(user: $0.user, item: $0.item, value: 1) })
        for (solver, label) in [(ImplicitAlternatingLeastSquares.Solver.conjugateGradient(steps: 3), "3 CG steps"), (.cholesky, "Cholesky")] {
            rows.append(
                try measure(
                    "implicit wALS", settings: "k=50, 15 iterations, α 40, λ 0.1, \(label), Float, \(cores) threads", unit: "iteration",
                    steps: 15, ratings: 2 * interactions.count, test: nil,
                    prepare: {
                        var rng = RandomState(seed: 42)
                        return (0.01 * rng.randn(training.itemCount, 50), 0.01 * rng.randn(training.userCount, 50))
                    },
                    train: { start in
                        try ImplicitAlternatingLeastSquares.train(
                            interactions,
                            .init(
                                factors: 50, regularization: 0.1, alpha: 40, iterations: 15, threads: cores,
                                precision: .single, solver: solver, computesLoss: false),
                            initialItemFactors: start.0, initialUserFactors: start.1
                        ).model
                    }))
        }
        // Bayesian MF by Gibbs sampling (lesson 8's settings): plain, and with SVD++'s term on both sides (flipped).
        for (name, implicit) in [("Bayesian MF", false), ("Bayesian SVD++ both sides", true)] {
            rows.append(
                try measure(
                    name, settings: "k=20, 20 sweeps (10 burned in), α 1.5, \(cores) threads", unit: "sweep", steps: 20,
                    ratings: training.count, test: test, prepare: { () },
                    train: { _ in
                        try BayesianMatrixFactorization.train(
                            training,
                            .init(factors: 20, iterations: 20, burnIn: 10, alpha: 1.5, seed: 42, implicitFeedback: implicit, flipped: implicit))
                    }))
        }
        rows.append(
            try measure(
                "BPR-MF", settings: "k=50, 20 epochs of \(interactions.count) triples, lr 0.05, λ 0.01, 1 thread", unit: "epoch",
                steps: 20, ratings: interactions.count, test: nil, prepare: { () },
                train: { _ in
                    try BayesianPersonalizedRanking.train(interactions, .init(factors: 50, iterations: 20, seed: 42)).model
                }))
        return rows
    }

    /// Runs `train` `runs` times on what `prepare` makes (outside the timing) and measures it; the model of the
    /// last run gives the test RMSE (NaN without `test`: implicit-feedback models do not predict ratings).
    func measure<Input, Model: RatingPredictor>(
        _ name: String, settings: String, unit: String, steps: Int, ratings: Int, test: Ratings?,
        prepare: () -> Input, train: (Input) throws -> Model
    ) throws -> BenchRow {
        var times = [Double](), model: Model?
        for _ in 0..<runs {
            let input = prepare()
            let start = DispatchTime.now().uptimeNanoseconds
            model = try train(input)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        guard var clipped = model else { throw ValidationError("--runs must be at least 1") }
        clipped.ratingScale = 1...5
        let median = times.sorted()[times.count / 2]
        return BenchRow(
            name: name, settings: settings, unit: unit, steps: steps, times: times, median: median,
            updatesPerSecond: Double(ratings * steps) / median, rmse: test.map { clipped.rmse(on: $0) } ?? .nan)
    }
}

/// One trainer's measurements.
struct BenchRow {
    let name: String, settings: String, unit: String, steps: Int
    let times: [Double]
    let median: Double
    let updatesPerSecond: Double
    let rmse: Double
    /// Floating-point operations of one step, where they are counted (ALS: `alsFlops`).
    var flopsPerStep: Double? = nil

    /// Achieved GFLOP/s, where the flops are counted.
    var gigaflops: Double? { flopsPerStep.map { $0 * Double(steps) / median / 1e9 } }

    var json: JSONValue {
        .object([
            ("trainer", name.json), ("settings", settings.json), ("seconds", times.json), ("median_seconds", median.json),
            ("min_seconds", times.min()!.json), ("max_seconds", times.max()!.json), ("steps", steps.json), ("step", unit.json),
            ("seconds_per_step", (median / Double(steps)).json), ("rating_updates_per_second", updatesPerSecond.json),
            ("rmse_test", rmse.isNaN ? .null : rmse.json), ("gflops", gigaflops.map(\.json) ?? .null)
        ])
    }
}

/// The floating-point operations of one ALS sweep with k factors (k + 1 unknowns per row with biases): per rating, on
/// each side, the upper triangle of the row's Gram matrix and its right-hand side, (k + 1)(k + 2) flops (a multiply and
/// an add each); per row, a Cholesky factorization (k³/3) and two triangular solves (2k²). Lower-order terms left out.
func alsFlops(ratings: Int, users: Int, items: Int, factors k: Int, biases: Bool) -> Double {
    let n = Double(biases ? k + 1 : k)
    return 2 * Double(ratings) * (n * (n + 1) + 2 * n) + Double(users + items) * (n * n * n / 3 + 2 * n * n)
}

/// This machine's peak in 32-bit flops per second for the instructions this build uses, from /proc/cpuinfo: cores ×
/// clock × flops per cycle (8 for the portable x86-64 build's SSE: 4 lanes, an add and a multiply per cycle; 32 when
/// built for the CPU with AVX2 and fused multiply-adds: 8 lanes × 2 units × 2). Nil where /proc/cpuinfo says nothing.
func peakGigaflops(cores: Int) -> (gigaflops: Double, how: String)? {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
        let line = info.split(separator: "\n").first(where: { $0.hasPrefix("cpu MHz") }),
        let mhz = Double(line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "")
    else { return nil }
    // The core's build decides the instructions (cf-bench itself is not compiled with the core's CPU flags).
    let (perCycle, instructions) =
        coreUsesFusedMultiplyAdd ? (32.0, "AVX2 with fused multiply-adds, the default build's") : (8.0, "SSE, the portable build's")
    let peak = Double(cores) * mhz / 1000 * perCycle
    return (peak, "\(cores) cores × \(String(format: "%.2f", mhz / 1000)) GHz × \(Int(perCycle)) flops per cycle (\(instructions))")
}

#if DEBUG
    let isDebugBuild = true
#else
    let isDebugBuild = false
#endif

Bench.mainExplaining()
