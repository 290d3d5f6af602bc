extension Ratings {
    /// How many ratings' worth of the global mean the course mixes into each movie's mean (`itemMeans(prior:)`):
    /// the same 10 as the movie-bias penalty of `Baseline.biases`.
    public static let meanPrior = 10.0

    /// The mean rating of each item, shrunk toward `fallback` (default: the mean of all ratings) by a prior
    /// worth `prior` ratings: (Σ r + prior · fallback) / (n + prior). With `prior` 0 this is the plain mean;
    /// items with no ratings get `fallback`.
    ///
    /// Shrinking keeps a movie with two 5-star ratings from having a "mean" of 5: with a prior of 10 and a
    /// global mean of 3.5 its mean is (10 + 35) / 12 = 3.75, and it climbs toward its own mean as ratings arrive.
    public func itemMeans(fallback: Double? = nil, prior: Double = 0) -> [Double] {
        require(prior >= 0, "the prior is a number of ratings, ≥ 0")
        let overall = fallback ?? mean
        return (0..<itemCount).map { item in
            let own = ratings(ofItem: item)
            guard !own.isEmpty || prior > 0 else { return overall }
            return (own.reduce(0) { $0 + $1.value } + prior * overall) / (Double(own.count) + prior)
        }
    }

    /// The fewest ratings a movie needs before the course recommends it: `cap` (20), lowered on a catalogue
    /// where fewer than a tenth of the movies have that many, to the count of its most rated tenth (at least 1).
    ///
    /// A rule on the catalogue's upper tail, not its median, so it does not collapse to 2 on sparse catalogues
    /// where most movies have a rating or two (MovieLens latest-small): there 20 stays 20.
    public func minimumRatingsToRecommend(cap: Int = 20) -> Int {
        let counts = (0..<itemCount).map { ratings(ofItem: $0).count }.sorted(by: >)
        guard !counts.isEmpty else { return 1 }
        let tenth = counts[max(0, counts.count / 10 - 1)]
        return max(1, min(cap, tenth))
    }

    /// The same ratings with `offsets[item]` subtracted from each (mean normalization).
    public func subtracting(itemOffsets offsets: [Double]) -> Ratings {
        require(offsets.count == itemCount, "one offset per item")
        // The same cells as these ratings, so nothing needs checking.
        return Ratings(
            trusted: entries.map { Rating(user: $0.user, item: $0.item, value: $0.value - offsets[$0.item]) },
            userCount: userCount, itemCount: itemCount)
    }
}
