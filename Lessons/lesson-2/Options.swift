// Lesson 2's command-line options.

import ArgumentParser
import LessonKit

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson-2",
        abstract: "Lesson 2: content-based filtering, one linear regression per listener (and per song).",
        discussion: """
            Fills in a small listeners × songs ratings matrix in two ways. First the songs' style scores are \
            known and each listener's tastes are learned by a linear regression on the songs they rated. Then \
            the listeners' survey answers are known and each song's style scores are learned from its ratings.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("L2 penalty λ on the learned vectors (0 = ordinary least squares).", valueName: "λ"))
    var lambda: Double = 0

    func validate() throws {
        guard lambda >= 0, lambda.isFinite else { throw ValidationError("--lambda must be a number ≥ 0, not \(lambda)") }
    }
}
