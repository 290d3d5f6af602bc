// Lesson 1's command-line options.

import ArgumentParser
import LessonKit

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson-1",
        abstract: "Lesson 1: latent factors and the dot product of tastes.",
        discussion: """
            Describes movies and users by three hidden "taste" numbers (science fiction, novelty, action) \
            and scores a movie for a user by the dot product of the two vectors. Prints the worked sums, \
            the score of every user for every movie, and writes heatmaps and bar charts as gnuplot scripts \
            and images to the output folder.
            """)

    @OptionGroup var common: CommonOptions

    @Option(
        help: ArgumentHelp(
            "Your own tastes as three numbers in [-1, 1]: sci-fi, novelty, action (e.g. --you=-0.5,0.2,0.9).",
            valueName: "a,b,c"))
    var you: TasteVector?
}

/// Three numbers in [-1, 1] given on the command line as `a,b,c`.
struct TasteVector: ExpressibleByArgument {
    var values: [Double]
    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, parts.allSatisfy({ $0 != nil && (-1...1).contains($0!) }) else { return nil }
        values = parts.map { $0! }
    }
    static var defaultCompletionKind: CompletionKind { .default }
}
