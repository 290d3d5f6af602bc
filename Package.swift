// swift-tools-version: 6.0
// cf-lessons: a course on collaborative filtering that runs like a notebook.
import Foundation
import PackageDescription

/// The lessons, in course order. Each one is an executable target at `Lessons/lesson-N`.
let lessonNumbers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]

/// `-O` in debug builds too, for the targets that train models; with frame pointers kept, so that the runtime's crash
/// report can follow a crash back to the line of a learner's `Cells.swift` (see `CrashReport`).
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O", "-Xcc", "-fno-omit-frame-pointer"], .when(configuration: .debug))]

/// The core is compiled for the CPU it is built on (its vector width and fused multiply-adds): the course is always built
/// where it runs. `CF_PORTABLE=1` builds a core that runs on any CPU of the architecture instead (README, "Performance").
/// Fused multiply-adds round once where a multiply and an add round twice, so single-precision results differ between
/// the two builds in their last digits; every build of one kind gives the same numbers on every machine.
let portable = !["", "0"].contains(ProcessInfo.processInfo.environment["CF_PORTABLE"] ?? "")
let builtForThisCPU: [SwiftSetting] = portable ? [] : [.unsafeFlags(["-target-cpu", "native"]), .define("CF_FMA")]

/// On Linux, `Float.squareRoot()` goes through a C `sqrtf` that must set `errno` for a negative input, so a vector of 8
/// square roots becomes 8 scalar ones, each with a branch. The core never reads `errno`: without it, `squareRoot()` of a
/// SIMD vector is one vector instruction. IEEE square roots are correctly rounded, so the numbers are the same to the bit.
let squareRootsWithoutErrno: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-fno-math-errno"])]

let lessons: [Target] = lessonNumbers.map { number in
    .executableTarget(
        name: "lesson-\(number)",
        dependencies: [
            "CFCore", "Figures", "LessonKit", "MovieLens", "Exercises", "TextOutput",
            .product(name: "ArgumentParser", package: "swift-argument-parser")
        ],
        path: "Lessons/lesson-\(number)",
        // Optimized even in debug builds: the cells a learner writes in Cells.swift run on all of MovieLens.
        swiftSettings: optimizedInDebug
    )
}

let package = Package(
    name: "cf-lessons",
    platforms: [.macOS(.v13)],
    products: lessons.map { .executable(name: $0.name, targets: [$0.name]) }
        + [.executable(name: "course", targets: ["course"]), .executable(name: "cf-bench", targets: ["cf-bench"])],
    dependencies: [
        // Pinned to the ranges the course is tested with (README, "Dependencies"): patch releases only; Ink, before 1.0,
        // exactly, since its minor releases may change the HTML of the pages.
        .package(url: "https://github.com/apple/swift-argument-parser", .upToNextMinor(from: "1.8.2")),
        .package(url: "https://github.com/apple/swift-numerics", .upToNextMinor(from: "1.1.1")),
        .package(url: "https://github.com/apple/swift-crypto", .upToNextMinor(from: "3.12.3")),
        .package(url: "https://github.com/JohnSundell/Ink", exact: "0.6.0")
    ],
    targets: lessons + [
        // Pure computation: matrices, sparse ratings, numpy-compatible RNG, solvers, trainers, metrics.
        // The core is optimized even in debug builds: lessons and tests train real models on it.
        .target(name: "CFCore", swiftSettings: optimizedInDebug + builtForThisCPU + squareRootsWithoutErrno),
        // The worked solutions of the exercises: plain Swift, one file per lesson, kept out of the lesson folders.
        .target(name: "Solutions", dependencies: ["CFCore"], swiftSettings: optimizedInDebug),
        // Each lesson's cells as a set of functions, the course's own versions of them, and the checks of `--check`.
        .target(name: "Exercises", dependencies: ["CFCore", "LessonKit", "MovieLens", "Solutions"], swiftSettings: optimizedInDebug),
        // The course runner: `swift run course` lists, runs and checks the lessons, and writes the contents page.
        .executableTarget(
            name: "course",
            dependencies: [
                "CFCore", "Exercises", "LessonKit", "MovieLens", "Figures", "TextOutput",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]
        ),
        // The benchmark: times the core's trainers on a MovieLens fold (`swift run -c release cf-bench`).
        .executableTarget(
            name: "cf-bench",
            dependencies: [
                "CFCore", "MovieLens", "Figures", "TextOutput",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]
        ),
        // MovieLens: parsers for its published formats, the download from GroupLens (and the zip reader that unpacks
        // it), a synthetic stand-in. Optimized even in debug builds: unoptimized, inflating MovieLens 100K takes seconds.
        .target(
            name: "MovieLens",
            dependencies: [
                "CFCore", "TextOutput",
                .product(name: "Crypto", package: "swift-crypto")
            ],
            swiftSettings: optimizedInDebug
        ),
        // Figure descriptions turned into standalone gnuplot scripts, and rendered by the gnuplot program.
        .target(name: "Figures", dependencies: ["TextOutput"]),
        // Numbers as a person reads them, files written whole, file errors in plain words: shared by everything that prints or writes.
        .target(name: "TextOutput", dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // What makes a lesson read like a notebook: options, narrative, tables, transcript, results.json.
        .target(
            name: "LessonKit",
            dependencies: [
                "CFCore", "Figures", "MovieLens", "TextOutput",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Ink", package: "Ink"),
                .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "Crypto", package: "swift-crypto")
            ]
        ),
        // What the test targets share: one way to start a program and read what it printed, where the built programs
        // are, temporary folders and the small MovieLens data sets the tests write. A plain target, since test targets
        // cannot depend on each other; Foundation only, so `swift build` compiles it too, but no product contains it.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "CFCoreTests",
            dependencies: ["CFCore", .product(name: "Numerics", package: "swift-numerics")]
        ),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "TextOutput", "TestSupport"]),
        .testTarget(
            name: "ExercisesTests",
            dependencies: ["Exercises", "Solutions", "LessonKit", "CFCore", "TestSupport", .product(name: "Numerics", package: "swift-numerics")]
        ),
        .testTarget(
            name: "MovieLensTests",
            dependencies: [
                "MovieLens", "CFCore", "TestSupport", .product(name: "Numerics", package: "swift-numerics"),
                .product(name: "Crypto", package: "swift-crypto")
            ]
        ),
        .testTarget(
            name: "LessonKitTests",
            dependencies: ["LessonKit", "MovieLens", "TextOutput", "TestSupport", .product(name: "Numerics", package: "swift-numerics")]
        ),
        // The sentences whose words depend on results, called directly from the lessons' own modules (no binary run).
        .testTarget(
            name: "NarrativeVerdictTests",
            dependencies: lessonNumbers.filter { $0 == 1 || $0 >= 3 }.map { .target(name: "lesson-\($0)") }
                + ["CFCore", "LessonKit", "TextOutput", .product(name: "Numerics", package: "swift-numerics")]
        ),
        // End-to-end: runs the built lesson executables in temporary folders.
        .testTarget(
            name: "LessonRunTests",
            dependencies: ["Exercises", "LessonKit", "TestSupport", .product(name: "Numerics", package: "swift-numerics")]
        )
    ]
)
