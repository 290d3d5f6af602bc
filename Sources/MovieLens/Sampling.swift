import CFCore
import Foundation

extension MovieLens {
    /// The ratings of users drawn at random (seeded), each with all their ratings, until about `budget` ratings are
    /// kept (the first user who reaches it is the last one drawn), and only the movies they rated; ids, titles, genres
    /// and times follow. The data set itself when it has no more than `budget` ratings.
    ///
    /// Drawing whole users keeps what a lesson studies about a user (their history, their folds) intact; the catalogue
    /// shrinks only by the movies nobody in the sample rated.
    public func sampledUsers(toAbout budget: Int, seed: UInt32) throws -> MovieLens {
        guard ratings.count > budget else { return self }
        var rng = RandomState(seed: seed)
        var chosen = [Int](), kept = 0
        for user in rng.permutation(ratings.userCount) where kept < budget {
            let count = ratings.ratings(ofUser: user).count
            guard count > 0 else { continue }
            chosen.append(user)
            kept += count
        }
        chosen.sort()
        var rated = [Bool](repeating: false, count: ratings.itemCount)
        for user in chosen { for r in ratings.ratings(ofUser: user) { rated[r.item] = true } }
        let movies = rated.indices.filter { rated[$0] }
        var newMovie = [Int](repeating: -1, count: ratings.itemCount)
        for (index, movie) in movies.enumerated() { newMovie[movie] = index }
        func subset(_ source: Ratings) throws -> Ratings {
            var kept = [Rating]()
            for (index, user) in chosen.enumerated() {
                for r in source.ratings(ofUser: user) { kept.append(Rating(user: index, item: newMovie[r.item], value: r.value)) }
            }
            return try Ratings(userCount: chosen.count, itemCount: movies.count, ratings: kept)
        }
        return MovieLens(
            format: format, directory: directory, ratings: try subset(ratings), userIDs: chosen.map { userIDs[$0] },
            movieIDs: movies.map { movieIDs[$0] }, titles: movies.map { titles[$0] }, genres: movies.map { genres[$0] }, scale: scale,
            times: try times.map(subset), sampledFrom: (ratings: ratings.count, users: ratings.userCount, movies: ratings.itemCount))
    }
}
