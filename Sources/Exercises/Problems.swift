import CFCore

/// Small random problems the checks grade the cells on, each from a fixed seed.
enum Problems {
    /// A `users × items` ratings matrix with about `density` of its cells rated 1…5, in which every user and every item
    /// has at least one rating.
    static func ratings(users: Int, items: Int, density: Double, seed: UInt32) -> Ratings {
        var rng = RandomState(seed: seed)
        var cells = [Rating]()
        for u in 0..<users {
            for i in 0..<items where rng.rand() < density || i == u % items || u == i % users {
                cells.append(Rating(user: u, item: i, value: Double(1 + rng.integer(upTo: 5))))
            }
        }
        // Not empty and no cell twice, by construction.
        return (try? Ratings(userCount: users, itemCount: items, ratings: cells))!
    }

    /// A matrix of standard normal draws.
    static func normal(_ rows: Int, _ columns: Int, seed: UInt32, scale: Double = 1) -> Matrix {
        var rng = RandomState(seed: seed)
        return scale * rng.randn(rows, columns)
    }

    /// "a random 6 × 8 problem (seed 3)"
    static func label(_ ratings: Ratings, seed: UInt32, _ extra: String = "") -> String {
        "a random \(ratings.userCount) × \(ratings.itemCount) problem (seed \(seed)\(extra.isEmpty ? "" : ", " + extra))"
    }
}

/// The same ratings with every missing cell filled in as a rating of 0: what a cell computes by mistake when it loops
/// over the whole matrix instead of over the observed ratings.
func withMissingAsZero(_ ratings: Ratings) -> Ratings {
    let dense = ratings.dense.map { $0.map { $0 ?? 0 } }
    return (try? Ratings(dense: dense))!
}
