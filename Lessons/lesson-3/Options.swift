// Lesson 3's command-line options.

import ArgumentParser
import CFCore
import LessonKit

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson-3",
        abstract: "Lesson 3: collaborative filtering by alternating least squares (ALS).",
        discussion: """
            Learns both the listeners' tastes and the songs' factors from the ratings alone. Starting from random \
            song factors, it alternates the two regressions of lesson 2 (listeners given songs, songs given \
            listeners) and prints the error after every half-step, which never goes up.
            """)

    @OptionGroup var common: CommonOptions

    /// More iterations than this never change the objective of so small a problem; it only makes the tables long.
    static let maxIterations = 10_000

    @Option(help: ArgumentHelp("Number of latent factors k (1…\(MusicExample.songs.count)).", valueName: "k"))
    var k: Int = 2

    @Option(help: ArgumentHelp("L2 penalty λ on all factors (0 = none).", valueName: "λ"))
    var lambda: Double = 0

    @Option(help: ArgumentHelp("Most full iterations, a listener step and a song step each (1…\(Options.maxIterations)).", valueName: "n"))
    var iterations: Int = 100

    @Option(help: ArgumentHelp("Stop when an iteration lowers the objective by less than this fraction.", valueName: "t"))
    var tolerance: Double = 1e-6

    func validate() throws {
        guard (1...MusicExample.songs.count).contains(k) else {
            throw ValidationError("--k must be between 1 and \(MusicExample.songs.count), not \(k)")
        }
        guard lambda >= 0, lambda.isFinite else { throw ValidationError("--lambda must be a number ≥ 0, not \(lambda)") }
        guard (1...Options.maxIterations).contains(iterations) else {
            throw ValidationError("--iterations must be between 1 and \(Options.maxIterations), not \(iterations)")
        }
        guard tolerance >= 0, tolerance.isFinite else { throw ValidationError("--tolerance must be a number ≥ 0") }
    }
}
