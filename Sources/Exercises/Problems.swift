import CFCore
import LessonKit

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

/// A failing case's inputs as a learner writes them down, so that it can be redone by hand: small values only.
enum Show {
    /// The most values a shown input may have; a larger problem is named, not shown.
    static let largest = 60

    /// A number as a comment writes it: 11, 0.5, 0.333333.
    static func number(_ x: Double) -> String { Part.number("", x).written }
    /// [1, 2.5], or its length when it is too long to read.
    static func vector(_ v: [Double]) -> String? { v.count <= largest ? Part.vector("", v).written : "a vector of \(v.count) (too long to show)" }
    /// [[1, 0], [0, 1]], or its shape when it is too big to read.
    static func matrix(_ m: Matrix) -> String? {
        m.elements.count <= largest ? Part.matrix("", m).written : "a \(m.rows) × \(m.columns) matrix (too big to show)"
    }
    /// Ratings as their matrix, one row per user, `·` where there is no rating: [[5, ·], [1, 2]]; or their size.
    static func ratings(_ r: Ratings) -> String? {
        guard r.userCount * r.itemCount <= largest else {
            return "\(r.userCount) users × \(r.itemCount) items, \(r.count) ratings (too many to show)"
        }
        return "[" + r.dense.map { row in "[" + row.map { $0.map(number) ?? "·" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }

    /// "the inputs: ratings = [[5, ·]], X = [[1]], λ = 1" on lines of their own under the failure; nil when one of them
    /// cannot be shown at all. Inputs too big to read are given by their shape.
    static func inputs(_ named: (String, String?)...) -> String? {
        var lines = ["  the inputs of that case, to redo by hand:"]
        for (name, value) in named {
            guard let value else { return nil }
            lines.append("    \(name) = \(value)")
        }
        return lines.joined(separator: "\n")
    }
}
