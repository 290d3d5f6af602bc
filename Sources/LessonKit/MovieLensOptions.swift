import ArgumentParser
import MovieLens

/// The options of the lessons that read MovieLens: where the data is, and a new user's ratings.
public struct MovieLensOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Folder with MovieLens (or where to download it). Default: $CF_DATA_DIR, else a per-user cache folder.",
                               valueName: "dir"))
    public var data: String?

    @Option(name: .customLong("my-ratings"),
            help: ArgumentHelp("A new user's ratings: lines of `movie id, rating` (default: a built-in set).", valueName: "file"))
    public var myRatings: String?

    public init() {}

    /// The new user's ratings: from `--my-ratings`, else the built-in set.
    public func newUserRatings(in movieLens: MovieLens) throws -> [(item: Int, rating: Double)] {
        try myRatings.map { try movieLens.newUserRatings(fromFile: $0) } ?? movieLens.sampleNewUserRatings
    }
}
