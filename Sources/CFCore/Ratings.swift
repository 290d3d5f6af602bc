/// Why a set of ratings could not be built.
public enum RatingsError: Error, Equatable, CustomStringConvertible {
    /// No rating at all was given.
    case empty
    /// A rating names a user or an item outside the matrix.
    case outOfRange(user: Int, item: Int, users: Int, items: Int)
    /// The same (user, item) cell was rated twice.
    case duplicate(user: Int, item: Int)
    /// A rating is NaN or infinite.
    case notFinite(user: Int, item: Int)

    public var description: String {
        switch self {
        case .empty:
            return "there are no ratings: at least one observed rating is needed"
        case let .outOfRange(user, item, users, items):
            return "rating for user \(user), item \(item) is outside the \(users) users × \(items) items matrix"
        case let .duplicate(user, item):
            return "user \(user) rated item \(item) more than once"
        case let .notFinite(user, item):
            return "the rating of user \(user) for item \(item) is not a finite number"
        }
    }
}

/// The observed entries of a users × items ratings matrix, stored sparsely.
///
/// The ratings are kept twice, in two contiguous arrays: sorted by user (then item), and sorted by
/// item (then user), so that both "everything user u rated" and "everyone who rated item i" are
/// contiguous slices. That is what alternating least squares and gradient descent walk over.
public struct Ratings: Sendable {
    /// Number of users (rows of the matrix).
    public let userCount: Int
    /// Number of items (columns of the matrix).
    public let itemCount: Int
    /// All ratings, sorted by user and then by item: the row-major order of the matrix.
    public let entries: [Rating]
    /// All ratings, sorted by item and then by user.
    public let entriesByItem: [Rating]
    let userStarts: [Int]
    let itemStarts: [Int]

    /// Builds the ratings of a `userCount × itemCount` matrix from its observed entries, in any order.
    ///
    /// - Throws: `RatingsError` if there are none, if one lies outside the matrix, if a cell is rated
    ///   twice, or if a value is not finite.
    public init(userCount: Int, itemCount: Int, ratings: [Rating]) throws {
        guard !ratings.isEmpty else { throw RatingsError.empty }
        for r in ratings {
            guard r.user >= 0, r.user < userCount, r.item >= 0, r.item < itemCount else {
                throw RatingsError.outOfRange(user: r.user, item: r.item, users: userCount, items: itemCount)
            }
            guard r.value.isFinite else { throw RatingsError.notFinite(user: r.user, item: r.item) }
        }
        self.userCount = userCount
        self.itemCount = itemCount
        entries = ratings.sorted { ($0.user, $0.item) < ($1.user, $1.item) }
        for (a, b) in zip(entries, entries.dropFirst()) where a.user == b.user && a.item == b.item {
            throw RatingsError.duplicate(user: Int(a.user), item: Int(a.item))
        }
        entriesByItem = ratings.sorted { ($0.item, $0.user) < ($1.item, $1.user) }
        userStarts = Ratings.starts(of: entries.map { $0.user }, count: userCount)
        itemStarts = Ratings.starts(of: entriesByItem.map { $0.item }, count: itemCount)
    }

    /// Builds ratings whose cells are known to be valid (inside the matrix, each cell once, finite values): tables
    /// written in the code and ratings derived from an existing `Ratings`. Nothing is checked, so nothing throws.
    init(trusted ratings: [Rating], userCount: Int, itemCount: Int) {
        self.userCount = userCount
        self.itemCount = itemCount
        entries = ratings.sorted { ($0.user, $0.item) < ($1.user, $1.item) }
        entriesByItem = ratings.sorted { ($0.item, $0.user) < ($1.item, $1.user) }
        userStarts = Ratings.starts(of: entries.map { $0.user }, count: userCount)
        itemStarts = Ratings.starts(of: entriesByItem.map { $0.item }, count: itemCount)
    }

    /// Ratings assembled from parts already in order (used to replace values cell by cell).
    init(userCount: Int, itemCount: Int, entries: [Rating], entriesByItem: [Rating], userStarts: [Int], itemStarts: [Int]) {
        self.userCount = userCount
        self.itemCount = itemCount
        self.entries = entries
        self.entriesByItem = entriesByItem
        self.userStarts = userStarts
        self.itemStarts = itemStarts
    }

    /// Builds ratings from (user, item, value) triples.
    public init(userCount: Int, itemCount: Int, triples: [(user: Int, item: Int, value: Double)]) throws {
        try self.init(
            userCount: userCount, itemCount: itemCount,
            ratings: triples.map { Rating(user: $0.user, item: $0.item, value: $0.value) })
    }

    /// Builds ratings from a dense matrix in which `nil` marks a missing cell.
    public init(dense: [[Double?]]) throws {
        let itemCount = dense.first?.count ?? 0
        var ratings = [Rating]()
        for (u, row) in dense.enumerated() {
            guard row.count == itemCount else {
                throw RatingsError.outOfRange(user: u, item: row.count - 1, users: dense.count, items: itemCount)
            }
            for (i, value) in row.enumerated() {
                if let value { ratings.append(Rating(user: u, item: i, value: value)) }
            }
        }
        try self.init(userCount: dense.count, itemCount: itemCount, ratings: ratings)
    }

    /// Builds ratings from the cells of `matrix` where `observed(i, j)` is true.
    public init(matrix: Matrix, observed: (Int, Int) -> Bool) throws {
        var ratings = [Rating]()
        for i in 0..<matrix.rows {
            for j in 0..<matrix.columns where observed(i, j) {
                ratings.append(Rating(user: i, item: j, value: matrix[i, j]))
            }
        }
        try self.init(userCount: matrix.rows, itemCount: matrix.columns, ratings: ratings)
    }

    /// Offsets of each group in a sorted array of group keys: group g is `starts[g]..<starts[g + 1]`.
    private static func starts(of keys: [Int], count: Int) -> [Int] {
        var starts = [Int](repeating: 0, count: count + 1)
        for key in keys { starts[key + 1] += 1 }
        for g in 0..<count { starts[g + 1] += starts[g] }
        return starts
    }

    /// Number of observed ratings.
    public var count: Int { entries.count }

    /// The fraction of cells of the matrix that are observed.
    public var density: Double { Double(count) / (Double(userCount) * Double(itemCount)) }

    /// The mean of all observed ratings.
    public var mean: Double { entries.reduce(0) { $0 + $1.value } / Double(count) }

    /// The ratings given by `user`, sorted by item.
    public func ratings(ofUser user: Int) -> ArraySlice<Rating> {
        entries[userStarts[user]..<userStarts[user + 1]]
    }

    /// The ratings given to `item`, sorted by user.
    public func ratings(ofItem item: Int) -> ArraySlice<Rating> {
        entriesByItem[itemStarts[item]..<itemStarts[item + 1]]
    }

    /// The rating `user` gave `item`, or `nil` if that cell is not observed.
    public func value(user: Int, item: Int) -> Double? {
        let row = ratings(ofUser: user)
        var low = row.startIndex, high = row.endIndex
        while low < high {
            let mid = (low + high) / 2
            if Int(row[mid].item) < item { low = mid + 1 } else { high = mid }
        }
        return low < row.endIndex && Int(row[low].item) == item ? row[low].value : nil
    }

    /// The full matrix with `nil` in every cell that is not observed.
    public var dense: [[Double?]] {
        var result = [[Double?]](repeating: [Double?](repeating: nil, count: itemCount), count: userCount)
        for r in entries { result[r.user][r.item] = r.value }
        return result
    }
}

extension Ratings {
    /// Splits the ratings at random into a training part and a held-out part with about `fraction` of them.
    ///
    /// The split is a numpy-compatible permutation of the ratings (in row-major order) drawn from `rng`,
    /// so the same seed gives the same split everywhere. Both parts keep the full matrix shape.
    ///
    /// - Throws: `RatingsError.empty` if either part would be empty.
    public func split(holdingOut fraction: Double, rng: inout RandomState) throws -> (training: Ratings, heldOut: Ratings) {
        require(fraction > 0 && fraction < 1, "the held-out fraction must lie strictly between 0 and 1")
        let order = rng.permutation(count)
        let heldCount = Int((Double(count) * fraction).rounded())
        let held = order.prefix(heldCount).map { entries[$0] }, kept = order.dropFirst(heldCount).map { entries[$0] }
        return (
            try Ratings(userCount: userCount, itemCount: itemCount, ratings: kept),
            try Ratings(userCount: userCount, itemCount: itemCount, ratings: held)
        )
    }
}

extension Ratings {
    /// The same ratings with users and items exchanged: user-user neighbourhoods are item-item ones of this.
    public var transposed: Ratings {
        Ratings(trusted: entries.map { Rating(user: $0.item, item: $0.user, value: $0.value) }, userCount: itemCount, itemCount: userCount)
    }
}
