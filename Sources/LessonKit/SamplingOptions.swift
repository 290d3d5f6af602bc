import ArgumentParser
import MovieLens
import TextOutput

/// The options of the lessons that sample a large data set: how many ratings they keep, or all of them.
public struct SamplingOptions: ParsableArguments {
    @Option(
        name: .customLong("max-ratings"),
        help: ArgumentHelp(
            "On a data set with more ratings than this, the lesson keeps the ratings of users drawn at random (all of each "
                + "one's) up to about this many, and says so (default: the lesson's own limit, in its description).", valueName: "n"))
    public var maxRatings: Int?

    @Flag(help: "Use every rating of a large data set, however long it takes (no sampling).")
    public var whole = false

    public init() {}

    public func validate() throws {
        if let maxRatings, maxRatings < 1_000 { throw ValidationError("--max-ratings must be at least 1000, not \(maxRatings)") }
        if whole && maxRatings != nil { throw ValidationError("--whole and --max-ratings exclude each other") }
    }
}

extension Notebook {
    /// `movieLens` itself, or, when it has more ratings than `options` allow (`limit` by default, the lesson's own), a
    /// sample of its users (`MovieLens.sampledUsers`, drawn with the run's seed), said in one paragraph that gives
    /// `why` (what grows with the number of ratings; or that `--max-ratings` asked for it) and how to run the whole, and
    /// recorded in results.json.
    public func sampled(_ movieLens: MovieLens, _ options: SamplingOptions, limit: Int, why: String) throws -> MovieLens {
        let budget = options.maxRatings ?? limit
        guard !options.whole, movieLens.ratings.count > budget else { return movieLens }
        let sample = try movieLens.sampledUsers(toAbout: budget, seed: seed)
        paragraph(Self.onTheSample(sample, why: why, askedFor: options.maxRatings))
        record(
            "sample",
            JSONValue.object([
                ("ratings", sample.ratings.count.json), ("users", sample.ratings.userCount.json), ("movies", sample.ratings.itemCount.json),
                ("of_ratings", movieLens.ratings.count.json), ("of_users", movieLens.ratings.userCount.json),
                ("of_movies", movieLens.ratings.itemCount.json)
            ]))
        return sample
    }

    /// The sentence on a sample: how much of the data set it keeps, why (`why`, a clause, or that `--max-ratings`
    /// asked for `askedFor` ratings), and how to run the whole. Empty for a data set that is not a sample.
    public static func onTheSample(_ sample: MovieLens, why: String, askedFor: Int?) -> String {
        guard let whole = sample.sampledFrom else { return "" }
        let share = Double(sample.ratings.count) / Double(max(whole.ratings, 1))
        let lead = askedFor.map { "as `--max-ratings \($0)` asks," } ?? "\(why), so"
        return """
            This data set has \(formatGrouped(whole.ratings)) ratings from \(formatGrouped(whole.users)) users; \(lead) this run keeps \
            the ratings of \(formatGrouped(sample.ratings.userCount)) users drawn at random, all of each one's \
            (\(formatGrouped(sample.ratings.count)) ratings, \(formatPercent(share)) of them, on \(formatGrouped(sample.ratings.itemCount)) of the \
            \(formatGrouped(whole.movies)) movies). `--whole` runs on every rating.
            """
    }
}
