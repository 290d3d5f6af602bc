// Lesson 7's command-line options.

import ArgumentParser
import LessonKit
import MovieLens

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson-7",
        abstract: "Lesson 7: neighbours, explanations, and what the factors mean.",
        discussion: """
            On MovieLens (see lesson 5 for where the data comes from): item-item and user-user k-nearest-neighbour \
            prediction with cosine, Pearson and shrunk baseline Pearson similarities, k chosen on a validation split; \
            recommendations explained by the ratings that made them; the learned movie biases; a map of the movies from \
            the first two principal components of their factors; neighbours by factors against neighbours by ratings. On a \
            data set of more than a million ratings it keeps the ratings of users drawn at random up to a million \
            (--max-ratings, --whole).
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var movieLensOptions: MovieLensOptions
    @OptionGroup var sampling: SamplingOptions

    @Option(help: ArgumentHelp("Numbers of neighbours k to try on validation (each 1…200).", valueName: "k,k,..."))
    var k: ListOption<Int> = ListOption([5, 10, 20, 40, 60, 100])

    @Option(
        help: ArgumentHelp(
            "Shrinkage of the baseline Pearson similarity: sim · n / (n + shrinkage) for n common raters (0…1000).",
            valueName: "n"))
    var shrinkage: Double = 100

    @Option(
        help: ArgumentHelp(
            "Ratings per user (and, user by user, per movie) counted in the similarities: a fixed sample of a heavier rater's; 0 counts them all.",
            valueName: "n"))
    var ratingsPerUser: Int = 1000

    @Option(help: ArgumentHelp("Folds for the final comparison: 1 (u1) or 5 (u1..u5, MovieLens 100K).", valueName: "n"))
    var folds: Int = 1

    @Option(help: ArgumentHelp("MovieLens id of the user whose top 10 is explained (default: the first user).", valueName: "id"))
    var user: Int?

    @Option(
        help: ArgumentHelp(
            "MovieLens id of the movie for \"neighbours by factors and by ratings\" (default: Star Wars (1977) when the data set has it, else its most rated movie).",
            valueName: "id"))
    var movie: Int?

    func validate() throws {
        guard k.values.allSatisfy({ (1...200).contains($0) }), k.values.count <= 12 else {
            throw ValidationError("--k takes up to 12 values, each between 1 and 200")
        }
        guard (0...1000).contains(shrinkage) else { throw ValidationError("--shrinkage must be between 0 and 1000, not \(shrinkage)") }
        guard ratingsPerUser == 0 || ratingsPerUser >= 2 else {
            throw ValidationError("--ratings-per-user must be 0 (all) or at least 2, not \(ratingsPerUser)")
        }
        guard folds == 1 || folds == 5 else { throw ValidationError("--folds must be 1 or 5") }
    }

    /// The cap on each rater's ratings in the similarities (nil: all).
    var ratingsCap: Int? { ratingsPerUser == 0 ? nil : ratingsPerUser }
}
