import CFCore
import Foundation

extension MovieLens {
    /// A generated data set of MovieLens 100K's shape: 943 users, 1,682 movies, 100,000 integer ratings
    /// from 1 to 5, every user with at least 20 ratings, a few very popular movies and a long tail.
    ///
    /// Ratings come from a hidden model (global mean, user and movie biases, five latent factors, noise),
    /// so the lessons' methods find real structure in it. Same seed, same data set, on every machine.
    public static func synthetic(seed: UInt32 = 42, users: Int = 943, movies: Int = 1682, count: Int = 100_000) throws -> MovieLens {
        precondition(
            count >= 20 * users && count <= users * (movies / 2),
            "\(count) ratings cannot give \(users) users between 20 and \(movies / 2) ratings each")
        var rng = RandomState(seed: seed)
        let k = 5
        let userFactors = 0.45 * rng.randn(users, k), movieFactors = 0.45 * rng.randn(movies, k)
        let userBias = (0..<users).map { _ in 0.35 * rng.randn() }
        // Popularity follows a power law over a random order of the movies; popular movies are also liked more.
        let rank = rng.permutation(movies)
        let weights = (0..<movies).map { 1 / pow(Double(rank[$0]) + 15, 1.1) }
        let movieBias = (0..<movies).map { 0.45 * rng.randn() - 0.5 * Double(rank[$0]) / Double(movies) }
        var cumulative = [Double](), total = 0.0
        for w in weights { total += w; cumulative.append(total) }
        // Activity: at least 20 ratings each, a heavy tail, scaled to `count` in all.
        let raw = (0..<users).map { _ in exp(1.1 * rng.randn()) }
        let scale = Double(count - 20 * users) / raw.reduce(0, +)
        var activity = raw.map { min(20 + Int(($0 * scale).rounded(.down)), movies / 2) }
        var missing = count - activity.reduce(0, +), u = 0
        while missing > 0 { if activity[u] < movies / 2 { activity[u] += 1; missing -= 1 }; u = (u + 1) % users }
        var ratings = [Rating]()
        ratings.reserveCapacity(count)
        var taken = [Bool](repeating: false, count: movies)
        for user in 0..<users {
            var chosen = [Int]()
            while chosen.count < activity[user] {
                let target = rng.rand() * total
                var low = 0, high = movies - 1
                while low < high { let mid = (low + high) / 2; if cumulative[mid] < target { low = mid + 1 } else { high = mid } }
                if !taken[low] { taken[low] = true; chosen.append(low) }
            }
            for movie in chosen {
                taken[movie] = false
                var score = 3.53 + userBias[user] + movieBias[movie] + 0.9 * rng.randn()
                for f in 0..<k { score += userFactors[user, f] * movieFactors[movie, f] }
                ratings.append(Rating(user: user, item: movie, value: min(max(score.rounded(), 1), 5)))
            }
        }
        // Distinct cells and integer values in 1...5 by construction; a size too small to hold them is an error.
        let all = try Ratings(userCount: users, itemCount: movies, ratings: ratings)
        let times = try Ratings(
            userCount: users, itemCount: movies,
            ratings: ratings.enumerated().map { Rating(user: Int($1.user), item: Int($1.item), value: Double($0)) })
        var splitRNG = RandomState(seed: seed &+ 1)
        let split = try all.split(holdingOut: 0.2, rng: &splitRNG)
        return MovieLens(
            format: .synthetic, directory: nil, ratings: all, userIDs: Array(1...users), movieIDs: Array(1...movies),
            titles: (1...movies).map { "Synthetic movie \($0)" }, scale: 1...5, times: times, syntheticSplit: (split.training, split.heldOut))
    }
}
